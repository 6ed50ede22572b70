//! Resolving a system: its export checked against the catalogue, defaults filled in, and its
//! credentials taken from the secrets file or the environment.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::catalogue::{PropertyKind, PropertySpec, Role, catalogue, spec_for};
use super::problem::{Location, Problem};
use super::secrets::{Secrets, env_var_name, is_credential_name};
use super::{ConnectorType, SystemExport};
use crate::json::{self, JsonError, JsonPath};
use crate::scim::Secret;

/// Where an effective property value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Set in the export.
    Export,
    /// Not set; IPS's documented default applies.
    Default,
    /// A credential from the secrets file.
    Secrets,
    /// A credential from an environment variable.
    Environment,
}

/// One property as it will be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveProperty {
    /// The property name.
    pub name: String,
    /// The value; `****` for credentials.
    pub value: String,
    /// Where the value came from.
    pub origin: Origin,
    /// Whether the property is in IPS's documented catalogue (others are custom parameters).
    pub known: bool,
    /// Whether the value is a credential.
    pub credential: bool,
    /// A remark, such as a value IPS replaces or a property the role does not use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How sapland authenticates to a system (`Authentication`, case-sensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Authentication {
    /// No credentials.
    NoAuthentication,
    /// HTTP Basic with `User` and `Password`.
    BasicAuthentication,
    /// An X.509 client certificate (mTLS).
    ClientCertificateAuthentication,
}

/// Which IAS SCIM API a system uses (`ias.api.version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum IasApiVersion {
    /// Identity Authentication SCIM REST API, `/service/scim` (deprecated).
    V1,
    /// Identity Directory SCIM API, `/scim`.
    V2,
}

/// A system ready for use: its export, its effective properties and its credentials.
#[derive(Debug, Clone)]
pub struct ResolvedSystem {
    /// The export as read.
    pub export: SystemExport,
    /// Every property that applies, explicit or default, sorted by name.
    pub properties: Vec<EffectiveProperty>,
    /// Things worth knowing that do not stop the system from working.
    pub warnings: Vec<Problem>,
    credentials: BTreeMap<String, Secret>,
}

impl ResolvedSystem {
    /// The system's name.
    pub fn name(&self) -> &str {
        &self.export.name
    }

    /// The system's role, from its access mode.
    pub fn role(&self) -> Role {
        self.export.role()
    }

    /// The effective value of a non-credential property.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|p| p.name == key && !p.credential)
            .map(|p| p.value.as_str())
    }

    /// A credential from the secrets file or the environment.
    pub fn credential(&self, key: &str) -> Option<&Secret> {
        self.credentials.get(key)
    }

    /// The effective value of a boolean property (`false` when unset).
    pub fn flag(&self, key: &str) -> bool {
        self.value(key)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The effective value of a numeric property.
    pub fn number(&self, key: &str) -> Option<u64> {
        self.value(key).and_then(|v| v.parse().ok())
    }

    /// How to authenticate, when `Authentication` is set.
    pub fn authentication(&self) -> Option<Authentication> {
        match self.value("Authentication")? {
            "NoAuthentication" => Some(Authentication::NoAuthentication),
            "BasicAuthentication" => Some(Authentication::BasicAuthentication),
            "ClientCertificateAuthentication" => {
                Some(Authentication::ClientCertificateAuthentication)
            }
            _ => None,
        }
    }

    /// The IAS SCIM API version of an IAS system (absent `ias.api.version` means 1).
    pub fn ias_api_version(&self) -> Option<IasApiVersion> {
        match self.value("ias.api.version")? {
            "2" => Some(IasApiVersion::V2),
            _ => Some(IasApiVersion::V1),
        }
    }

    /// How often a failed request is retried (`ips.failed.request.retry.attempts`, 0–3).
    pub fn retry_attempts(&self) -> u64 {
        self.number("ips.failed.request.retry.attempts")
            .unwrap_or(2)
    }

    /// How long to wait between retries (`ips.failed.request.retry.attempts.interval`).
    pub fn retry_interval(&self) -> Duration {
        Duration::from_secs(
            self.number("ips.failed.request.retry.attempts.interval")
                .unwrap_or(30),
        )
    }

    /// The attributes that identify an existing user on a conflict; a comma list means all
    /// must match.
    pub fn user_unique_attributes(&self) -> Vec<String> {
        let key = if self.export.connector_type.is_ias() {
            "ias.user.unique.attribute"
        } else {
            "scim.user.unique.attribute"
        };
        self.value(key)
            .unwrap_or("userName")
            .split(',')
            .map(|part| part.trim().to_string())
            .filter(|part| !part.is_empty())
            .collect()
    }

    /// The delete threshold for `users`, `groups` or `roles`, when set.
    pub fn delete_threshold(&self, entity_type: &str) -> Option<u64> {
        self.number(&format!("ips.delete.threshold.{entity_type}"))
    }
}

/// Why a system cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// The export is not JSON of the export's shape.
    #[error("{0}")]
    Json(#[from] JsonError),
    /// The export parsed but its configuration is wrong.
    #[error("{} problem(s) in the system configuration", .0.len())]
    Invalid(Vec<Problem>),
}

/// Reads an export, checks every property, fills in defaults and takes the credentials from
/// `secrets`, overridden by environment variables that `env` looks up.
///
/// ```
/// use sapland_core::system::{Secrets, resolve};
///
/// let export = r#"{"connectorTypeString": "SAP_CLOUD_IDENTITY", "accessMode": "WRITE",
///     "name": "IAS Target", "properties": {"Authentication": "BasicAuthentication",
///     "User": "2a7d9e4c", "URL": "https://t.accounts.ondemand.com"}}"#;
/// let secrets = Secrets::from_toml("[\"IAS Target\"]\nPassword = \"x\"")?;
/// let system = resolve(export, &secrets, |_| None)?;
/// assert_eq!(system.value("ias.api.version"), Some("1")); // absent means 1
/// assert_eq!(system.retry_attempts(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn resolve(
    export_text: &str,
    secrets: &Secrets,
    env: impl Fn(&str) -> Option<String>,
) -> Result<ResolvedSystem, ResolveError> {
    resolve_with(export_text, secrets, env, true)
}

/// Resolves an export for its properties alone — the same property checks and defaults as
/// [`resolve`], but no credentials and none of the requirements of a connection (URL,
/// authentication, credentials), which running a transformation does not need.
pub fn resolve_properties(export_text: &str) -> Result<ResolvedSystem, ResolveError> {
    resolve_with(export_text, &Secrets::default(), |_| None, false)
}

fn resolve_with(
    export_text: &str,
    secrets: &Secrets,
    env: impl Fn(&str) -> Option<String>,
    connection: bool,
) -> Result<ResolvedSystem, ResolveError> {
    let export = SystemExport::from_json(export_text)?;
    let mut check = Checker {
        text: export_text,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let role = export.role();
    let connector = &export.connector_type;

    if export.name.trim().is_empty() {
        check.error(
            JsonPath::root().key("name"),
            "the system name must not be empty".into(),
        );
    }

    let mut properties = Vec::new();
    for (key, value) in &export.properties {
        properties.push(check.explicit_property(key, value, connector, role));
    }
    for spec in catalogue() {
        let applies = spec.applies_to(connector, role);
        if let Some(default) = spec
            .default
            .filter(|_| applies && !export.properties.contains_key(spec.key))
        {
            properties.push(EffectiveProperty {
                name: spec.key.to_string(),
                value: default.to_string(),
                origin: Origin::Default,
                known: true,
                credential: false,
                note: None,
            });
        }
    }

    let credentials = collect_credentials(&export, secrets, &env, &mut properties);
    if connection {
        check.requirements(&export, &credentials);
    }
    properties.sort_by(|a, b| {
        a.name
            .to_ascii_lowercase()
            .cmp(&b.name.to_ascii_lowercase())
    });

    if !check.errors.is_empty() {
        return Err(ResolveError::Invalid(check.errors));
    }
    Ok(ResolvedSystem {
        export,
        properties,
        warnings: check.warnings,
        credentials,
    })
}

/// Takes each credential the system needs or has from the environment or the secrets file.
fn collect_credentials(
    export: &SystemExport,
    secrets: &Secrets,
    env: &impl Fn(&str) -> Option<String>,
    properties: &mut Vec<EffectiveProperty>,
) -> BTreeMap<String, Secret> {
    let from_file = secrets.for_system(&export.name);
    let mut names: Vec<String> = catalogue()
        .iter()
        .filter(|s| {
            s.kind == PropertyKind::Credential
                && s.applies_to(&export.connector_type, export.role())
        })
        .map(|s| s.key.to_string())
        .collect();
    names.extend(from_file.into_iter().flat_map(|m| m.keys().cloned()));
    names.sort();
    names.dedup();

    let mut credentials = BTreeMap::new();
    for name in names {
        let var = env_var_name(&export.name, &name);
        let found = match env(&var) {
            Some(value) => Some((Secret::new(value), Origin::Environment, Some(var))),
            None => from_file
                .and_then(|m| m.get(&name))
                .map(|s| (s.clone(), Origin::Secrets, None)),
        };
        if let Some((secret, origin, var)) = found {
            properties.push(EffectiveProperty {
                name: name.clone(),
                value: "****".into(),
                origin,
                known: spec_for(&name).is_some(),
                credential: true,
                note: var.map(|v| format!("from {v}")),
            });
            credentials.insert(name, secret);
        }
    }
    credentials
}

struct Checker<'a> {
    text: &'a str,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Checker<'_> {
    fn at(&self, path: JsonPath) -> Location {
        let (line, column) = json::locate(self.text, &path).unwrap_or((0, 0));
        Location::Export { path, line, column }
    }

    fn error(&mut self, path: JsonPath, message: String) {
        let location = self.at(path);
        self.errors.push(Problem { location, message });
    }

    fn warn(&mut self, path: JsonPath, message: String) {
        let location = self.at(path);
        self.warnings.push(Problem { location, message });
    }

    fn explicit_property(
        &mut self,
        key: &str,
        value: &str,
        connector: &ConnectorType,
        role: Role,
    ) -> EffectiveProperty {
        let path = JsonPath::root().key("properties").key(key);
        let spec = spec_for(key);
        let credential = is_credential_name(key);
        let mut effective = EffectiveProperty {
            name: key.to_string(),
            value: if credential {
                "****".into()
            } else {
                value.to_string()
            },
            origin: Origin::Export,
            known: spec.is_some(),
            credential,
            note: None,
        };
        if credential {
            self.error(
                path,
                format!(
                    "{key} is a credential and must not be in the export (IPS never exports credentials): \
                     remove it and put it in the secrets file under [\"<system name>\"] \
                     or in the environment"
                ),
            );
            return effective;
        }
        let Some(spec) = spec else {
            return effective;
        };
        match check_value(spec, value) {
            Ok(Some((replacement, note))) => {
                self.warn(path, format!("{key}: {note}"));
                effective.value = replacement;
                effective.note = Some(note);
            }
            Ok(None) => {}
            Err(message) => self.error(path, format!("{key}: {message}")),
        }
        if !spec.applies_to(connector, role) {
            let note = not_used_note(spec, connector, role);
            self.warn(
                JsonPath::root().key("properties").key(key),
                format!("{key} is {note}"),
            );
            effective.note = Some(note);
        }
        effective
    }

    fn requirements(&mut self, export: &SystemExport, credentials: &BTreeMap<String, Secret>) {
        let props = &export.properties;
        let connector = &export.connector_type;
        let properties_path = || JsonPath::root().key("properties");
        let path_of = |key: &str| {
            if props.contains_key(key) {
                properties_path().key(key)
            } else {
                properties_path()
            }
        };
        if connector.is_local_file() {
            for key in ["file.path", "file.format"] {
                if props.get(key).is_none_or(|v| v.trim().is_empty()) {
                    self.error(
                        path_of(key),
                        format!("{key} is required for a LOCAL_FILE system"),
                    );
                }
            }
            return;
        }
        if props.get("URL").is_none_or(|v| v.trim().is_empty()) && connector.is_ias() {
            self.warn(
                path_of("URL"),
                "URL is empty: exports leave it for you to fill in; set it before a job runs"
                    .into(),
            );
        }
        if props
            .get("TrustAll")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            self.warn(
                path_of("TrustAll"),
                "TrustAll=true turns off TLS server verification (security recommendation BTP-IPS-0007 asks for false)".into(),
            );
        }
        let needed: &[&str] = match props.get("Authentication").map(String::as_str) {
            Some("BasicAuthentication") => {
                if props.get("User").is_none_or(|v| v.trim().is_empty()) {
                    self.error(
                        path_of("User"),
                        "BasicAuthentication needs User, the client ID of the technical user"
                            .into(),
                    );
                }
                &["Password"]
            }
            Some("ClientCertificateAuthentication") => {
                &["ClientCertificate", "ClientCertificateKey"]
            }
            Some(_) => &[],
            None if connector.is_ias() => {
                self.error(
                    properties_path(),
                    "Authentication is required for SAP_CLOUD_IDENTITY systems: \
                     BasicAuthentication or ClientCertificateAuthentication"
                        .into(),
                );
                &[]
            }
            None => &[],
        };
        let method = props.get("Authentication").map_or("", String::as_str);
        for credential in needed {
            if !credentials.contains_key(*credential) {
                self.errors.push(Problem {
                    location: Location::Secrets {
                        system: export.name.clone(),
                        property: (*credential).to_string(),
                    },
                    message: format!(
                        "system \"{name}\" uses {method} but has no {credential}: add {credential} \
                         under [\"{name}\"] in the secrets file, or set {var}",
                        name = export.name,
                        var = env_var_name(&export.name, credential),
                    ),
                });
            }
        }
    }
}

fn not_used_note(spec: &PropertySpec, connector: &ConnectorType, role: Role) -> String {
    if spec.roles.contains(&role) {
        format!("not used by {connector} systems")
    } else {
        let role = match role {
            Role::Source => "source",
            Role::Target => "target",
        };
        format!("not used by {role} systems")
    }
}

/// Checks a value against its property's kind. `Ok(Some((value, note)))` when IPS replaces the
/// value, as it does for `ias.bulk.operations.max.count` above 100.
pub(super) fn check_value(
    spec: &PropertySpec,
    value: &str,
) -> Result<Option<(String, String)>, String> {
    let default = spec
        .default
        .map(|d| format!(" (default {d})"))
        .unwrap_or_default();
    match spec.kind {
        PropertyKind::Text | PropertyKind::Credential => Ok(None),
        PropertyKind::Bool => {
            if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false") {
                Ok(None)
            } else {
                Err(format!("expected true or false{default}, found {value:?}"))
            }
        }
        PropertyKind::OneOf {
            values,
            case_sensitive,
        } => {
            let exact = values.contains(&value);
            let folded = values.iter().find(|v| v.eq_ignore_ascii_case(value));
            match (exact, folded, case_sensitive) {
                (true, _, _) | (false, Some(_), false) => Ok(None),
                (false, Some(meant), true) => Err(format!(
                    "found {value:?}, but values are case-sensitive: did you mean {meant:?}?"
                )),
                (false, None, _) => Err(format!(
                    "expected one of {}{default}, found {value:?}",
                    values.join(", ")
                )),
            }
        }
        PropertyKind::Integer {
            min,
            max,
            above_max_becomes,
        } => {
            let range = if max == u32::MAX as u64 {
                format!("a whole number of at least {min}")
            } else {
                format!("a whole number from {min} to {max}")
            };
            let number: u64 = value
                .parse()
                .map_err(|_| format!("expected {range}{default}, found {value:?}"))?;
            if number < min {
                return Err(format!(
                    "{number} is below the minimum {min}; expected {range}{default}"
                ));
            }
            if number > max {
                return match above_max_becomes {
                    Some(replacement) => Ok(Some((
                        replacement.to_string(),
                        format!("{number} is above the maximum {max}, so IPS uses {replacement}"),
                    ))),
                    None => Err(format!(
                        "{number} is above the maximum {max}; expected {range}{default}"
                    )),
                };
            }
            Ok(None)
        }
        PropertyKind::Url => {
            if value.is_empty() || value.starts_with("https://") || value.starts_with("http://") {
                Ok(None)
            } else {
                Err(format!("expected an https:// URL, found {value:?}"))
            }
        }
    }
}
