//! Credentials of systems, kept outside the exports: a `secrets.toml` file with one table per
//! system name, and environment variables that override it.
//!
//! ```toml
//! ["IAS Target"]
//! Password = "…"
//! ```
//!
//! Environment variables (`proposed`): `SAPLAND_SECRET__<SYSTEM>__<PROPERTY>`, where system name
//! and property are upper-cased and every character other than A–Z and 0–9 becomes `_`; so the
//! Password of "IAS Target" is `SAPLAND_SECRET__IAS_TARGET__PASSWORD`.

use std::collections::BTreeMap;

use crate::scim::Secret;

/// The prefix of credential environment variables.
pub const ENV_PREFIX: &str = "SAPLAND_SECRET__";

/// Credentials per system name, as read from a secrets file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    systems: BTreeMap<String, BTreeMap<String, Secret>>,
}

/// A secrets file that could not be read. Never contains a secret value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct SecretsError {
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// The table and key, such as `["IAS Target"].Password` (empty when not known).
    pub key: String,
    /// What was wrong and what was expected.
    pub message: String,
}

impl SecretsError {
    fn render(&self) -> String {
        let mut out = String::new();
        if self.line > 0 {
            out.push_str(&format!("line {}, column {}: ", self.line, self.column));
        }
        if !self.key.is_empty() {
            out.push_str(&format!("{}: ", self.key));
        }
        out.push_str(&self.message);
        out
    }
}

impl Secrets {
    /// Reads a secrets file: a TOML table per system name whose values are strings.
    pub fn from_toml(text: &str) -> Result<Self, SecretsError> {
        let table: toml::Table = text.parse().map_err(|err: toml::de::Error| {
            let (line, column) = err
                .span()
                .map_or((0, 0), |span| line_column(text, span.start));
            SecretsError {
                line,
                column,
                key: String::new(),
                message: err.message().to_string(),
            }
        })?;
        let mut systems = BTreeMap::new();
        for (system, value) in table {
            let toml::Value::Table(entries) = value else {
                return Err(SecretsError {
                    line: find_line(text, &system),
                    column: 1,
                    key: system.clone(),
                    message: format!(
                        "expected a table of credentials per system, like [\"{system}\"] with Password = \"…\""
                    ),
                });
            };
            let mut credentials = BTreeMap::new();
            for (property, value) in entries {
                let toml::Value::String(secret) = value else {
                    return Err(SecretsError {
                        line: find_line(text, &property),
                        column: 1,
                        key: format!("[\"{system}\"].{property}"),
                        message: format!(
                            "expected a string, found a {} (credential values are strings)",
                            value.type_str()
                        ),
                    });
                };
                credentials.insert(property, Secret::new(secret));
            }
            systems.insert(system, credentials);
        }
        Ok(Self { systems })
    }

    /// Sets one credential.
    pub fn insert(&mut self, system: &str, property: &str, value: Secret) {
        self.systems
            .entry(system.to_string())
            .or_default()
            .insert(property.to_string(), value);
    }

    /// The credentials held for a system, by property name.
    pub fn for_system(&self, system: &str) -> Option<&BTreeMap<String, Secret>> {
        self.systems.get(system)
    }

    /// The names of the systems this file has credentials for.
    pub fn system_names(&self) -> impl Iterator<Item = &str> {
        self.systems.keys().map(String::as_str)
    }
}

/// The environment variable that holds a system's credential property.
///
/// ```
/// assert_eq!(
///     sapland_core::system::env_var_name("IAS Target", "Password"),
///     "SAPLAND_SECRET__IAS_TARGET__PASSWORD",
/// );
/// ```
pub fn env_var_name(system: &str, property: &str) -> String {
    format!("{ENV_PREFIX}{}__{}", env_part(system), env_part(property))
}

fn env_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Whether a property name denotes a credential, whatever connector it comes from: the
/// documented ones and any name that says password, secret or private key.
pub fn is_credential_name(property: &str) -> bool {
    if super::spec_for(property).is_some_and(|spec| spec.kind == super::PropertyKind::Credential) {
        return true;
    }
    let lower = property.to_ascii_lowercase();
    [
        "password",
        "secret",
        "privatekey",
        "private.key",
        "private_key",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn find_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| line.contains(key))
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_names_upper_case_and_replace_other_characters() {
        assert_eq!(
            env_var_name("IAS Target", "Password"),
            "SAPLAND_SECRET__IAS_TARGET__PASSWORD"
        );
        assert_eq!(
            env_var_name("hr-file.v2", "x"),
            "SAPLAND_SECRET__HR_FILE_V2__X"
        );
    }

    #[test]
    fn reads_tables_per_system() {
        let secrets = Secrets::from_toml("[\"IAS Target\"]\nPassword = \"s3cret\"\n").unwrap();
        let target = secrets.for_system("IAS Target").unwrap();
        assert_eq!(target["Password"].expose(), "s3cret");
    }

    #[test]
    fn a_non_string_value_names_table_key_and_line_but_not_the_value() {
        let err = Secrets::from_toml("[\"IAS Target\"]\nPassword = 12345\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.key, "[\"IAS Target\"].Password");
        assert!(!err.to_string().contains("12345"), "{err}");
    }

    #[test]
    fn a_syntax_error_has_a_position() {
        let err = Secrets::from_toml("[\"IAS Target\"\nPassword = \"x\"\n").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn credential_names() {
        assert!(is_credential_name("Password"));
        assert!(is_credential_name("ssh.password"));
        assert!(is_credential_name("OAuth2ClientSecret"));
        assert!(!is_credential_name("User"));
    }
}
