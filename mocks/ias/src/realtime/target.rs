//! Real-time targets and their configuration: the SCIM URL, the SCIM version and the
//! authentication, read from a registration body with every problem at once and shown without
//! secrets.

use reqwest::Url;
use sapland_core::scim::Secret;
use serde_json::{Map, Value, json};

use super::client::identity;

/// The only target type the mock serves ([DOC]: *Identity Provisioning*; SAP Jam is another).
pub const TARGET_TYPE: &str = "Identity Provisioning";

/// The path a SCIM URL of the real-time API ends with ([DOC] §4).
const USER_ENTITY_SUFFIX: &str = "/entities/user";

/// The SCIM API version a target expects ([DOC]: must equal the source system's
/// `ias.api.version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimVersion {
    /// The Identity Authentication SCIM REST API.
    V1,
    /// The Identity Directory SCIM API.
    V2,
}

impl ScimVersion {
    /// The version as the admin surface shows it.
    fn number(self) -> u8 {
        match self {
            ScimVersion::V1 => 1,
            ScimVersion::V2 => 2,
        }
    }
}

/// How the tenant authenticates at a target ([DOC] §4 *Authentication Mechanism*).
#[derive(Debug, Clone)]
pub enum Authentication {
    /// HTTP Basic with the technical user's client id and secret.
    Basic {
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: Secret,
    },
    /// A client-credentials token from `token_url`.
    OAuth {
        /// The token endpoint.
        token_url: Url,
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: Secret,
    },
    /// A TLS client certificate.
    Certificate {
        /// The certificate chain, PEM.
        certificate_pem: String,
        /// The private key, PEM.
        key_pem: Secret,
    },
}

impl Authentication {
    /// The authentication as the admin surface shows it: no secrets.
    fn view(&self) -> Value {
        match self {
            Authentication::Basic { client_id, .. } => {
                json!({ "basic": { "clientId": client_id } })
            }
            Authentication::OAuth {
                token_url,
                client_id,
                ..
            } => json!({ "oauth": { "tokenUrl": token_url.as_str(), "clientId": client_id } }),
            Authentication::Certificate {
                certificate_pem, ..
            } => json!({ "certificate": { "certificatePem": certificate_pem } }),
        }
    }

    /// The secret values, to keep them out of any text the mock shows.
    fn secrets(&self) -> Vec<&str> {
        match self {
            Authentication::Basic { client_secret, .. }
            | Authentication::OAuth { client_secret, .. } => vec![client_secret.expose()],
            Authentication::Certificate { key_pem, .. } => vec![key_pem.expose()],
        }
    }
}

/// A real-time provisioning target of a tenant.
#[derive(Debug, Clone)]
pub struct Target {
    /// The id the mock gave it.
    pub id: String,
    /// Its display name.
    pub display_name: String,
    /// The SCIM URL of the real-time API.
    pub url: Url,
    /// The SCIM version pushes use.
    pub version: ScimVersion,
    /// How pushes authenticate.
    pub authentication: Authentication,
}

impl Target {
    /// Reads a target from the body of `POST …/realtime-targets`, reporting every problem at
    /// once with its JSON path. No message quotes a secret or the URL (which could carry one).
    pub fn parse(body: &str, id: String) -> Result<Self, String> {
        let value: Value = sapland_core::json::from_str(body)
            .map_err(|err| format!("invalid real-time target: {err}"))?;
        let Value::Object(object) = value else {
            return Err("invalid real-time target: $: expected a JSON object".into());
        };
        let mut problems = Vec::new();
        unknown_members(
            &object,
            "$",
            &["displayName", "type", "url", "version", "authentication"],
            &mut problems,
        );
        let display_name = text(&object, "$", "displayName", &mut problems);
        if let Some(kind) = text(&object, "$", "type", &mut problems)
            && kind != TARGET_TYPE
        {
            problems.push(format!(
                "$.type: expected \"{TARGET_TYPE}\", the only target type the mock serves, not {kind:?}"
            ));
        }
        let url = text(&object, "$", "url", &mut problems).and_then(|url| {
            scim_url(&url, "$.url", true)
                .map_err(|problem| problems.push(problem))
                .ok()
        });
        let version = match object.get("version") {
            None => {
                problems.push("$.version: missing; expected 1 or 2".into());
                None
            }
            Some(version) => match version.as_u64() {
                Some(1) => Some(ScimVersion::V1),
                Some(2) => Some(ScimVersion::V2),
                _ => {
                    problems.push(format!("$.version: expected 1 or 2, not {version}"));
                    None
                }
            },
        };
        let authentication = match object.get("authentication") {
            None => {
                problems.push(
                    "$.authentication: missing; expected one of basic, oauth, certificate".into(),
                );
                None
            }
            Some(value) => authentication(value, &mut problems),
        };
        match (display_name, url, version, authentication) {
            (Some(display_name), Some(url), Some(version), Some(authentication))
                if problems.is_empty() =>
            {
                Ok(Self {
                    id,
                    display_name,
                    url,
                    version,
                    authentication,
                })
            }
            _ => Err(format!("invalid real-time target: {}", problems.join("; "))),
        }
    }

    /// The target as the admin surface shows it: no secrets.
    pub fn view(&self) -> Value {
        json!({
            "id": self.id,
            "displayName": self.display_name,
            "type": TARGET_TYPE,
            "url": self.url.as_str(),
            "version": self.version.number(),
            "authentication": self.authentication.view(),
        })
    }

    /// Removes the target's secrets from a text (a target's answer could echo them).
    pub(super) fn scrub(&self, text: &str) -> String {
        self.authentication
            .secrets()
            .into_iter()
            .filter(|secret| !secret.is_empty())
            .fold(text.to_string(), |text, secret| {
                text.replace(secret, "****")
            })
    }
}

/// Reports every member of `object` at `path` that is not `known`.
fn unknown_members(
    object: &Map<String, Value>,
    path: &str,
    known: &[&str],
    problems: &mut Vec<String>,
) {
    for key in object.keys() {
        if !known.contains(&key.as_str()) {
            problems.push(format!(
                "{path}.{key}: unknown member; expected {}",
                known.join(", ")
            ));
        }
    }
}

/// A required non-empty string member.
fn text(
    object: &Map<String, Value>,
    path: &str,
    key: &str,
    problems: &mut Vec<String>,
) -> Option<String> {
    match object.get(key) {
        Some(Value::String(text)) if !text.trim().is_empty() => Some(text.clone()),
        Some(Value::String(_)) => {
            problems.push(format!("{path}.{key}: must not be empty"));
            None
        }
        Some(_) => {
            problems.push(format!("{path}.{key}: expected a string"));
            None
        }
        None => {
            problems.push(format!("{path}.{key}: missing"));
            None
        }
    }
}

/// A required secret member; the message never shows the value.
fn secret(
    object: &Map<String, Value>,
    path: &str,
    key: &str,
    problems: &mut Vec<String>,
) -> Option<Secret> {
    match object.get(key) {
        Some(Value::String(text)) if !text.is_empty() => Some(Secret::new(text.clone())),
        Some(Value::String(_)) => {
            problems.push(format!("{path}.{key}: must not be empty"));
            None
        }
        Some(_) => {
            problems.push(format!("{path}.{key}: expected a string"));
            None
        }
        None => {
            problems.push(format!("{path}.{key}: missing"));
            None
        }
    }
}

/// An http(s) URL without credentials; with `entity`, the path must end in `/entities/user`.
fn scim_url(text: &str, path: &str, entity: bool) -> Result<Url, String> {
    let url = Url::parse(text.trim())
        .map_err(|err| format!("{path}: not a URL ({err}); expected https://<host>/…"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("{path}: expected an http or https URL with a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{path}: must not carry credentials; give them under authentication"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{path}: must not have a query or fragment"));
    }
    if entity
        && !url
            .path()
            .trim_end_matches('/')
            .ends_with(USER_ENTITY_SUFFIX)
    {
        return Err(format!(
            "{path}: expected the SCIM URL of the real-time API, \
             https://<host>/ipsproxy/service/api/v1/systems/<system-id>/entities/user"
        ));
    }
    Ok(url)
}

/// The `authentication` member: exactly one of `basic`, `oauth`, `certificate`, each checked
/// whole; a certificate and key must form a usable client identity.
fn authentication(value: &Value, problems: &mut Vec<String>) -> Option<Authentication> {
    const PATH: &str = "$.authentication";
    let Value::Object(object) = value else {
        problems.push(format!(
            "{PATH}: expected an object with one of basic, oauth, certificate"
        ));
        return None;
    };
    unknown_members(object, PATH, &["basic", "oauth", "certificate"], problems);
    let chosen: Vec<(&String, &Value)> = object
        .iter()
        .filter(|(key, _)| matches!(key.as_str(), "basic" | "oauth" | "certificate"))
        .collect();
    let [(kind, value)] = chosen.as_slice() else {
        problems.push(format!(
            "{PATH}: expected exactly one of basic, oauth, certificate, found {}",
            chosen.len()
        ));
        return None;
    };
    let path = format!("{PATH}.{kind}");
    let Value::Object(fields) = value else {
        problems.push(format!("{path}: expected an object"));
        return None;
    };
    match kind.as_str() {
        "basic" => {
            unknown_members(fields, &path, &["clientId", "clientSecret"], problems);
            let client_id = text(fields, &path, "clientId", problems);
            let client_secret = secret(fields, &path, "clientSecret", problems);
            Some(Authentication::Basic {
                client_id: client_id?,
                client_secret: client_secret?,
            })
        }
        "oauth" => {
            unknown_members(
                fields,
                &path,
                &["tokenUrl", "clientId", "clientSecret"],
                problems,
            );
            let token_url = text(fields, &path, "tokenUrl", problems).and_then(|url| {
                scim_url(&url, &format!("{path}.tokenUrl"), false)
                    .map_err(|problem| problems.push(problem))
                    .ok()
            });
            let client_id = text(fields, &path, "clientId", problems);
            let client_secret = secret(fields, &path, "clientSecret", problems);
            Some(Authentication::OAuth {
                token_url: token_url?,
                client_id: client_id?,
                client_secret: client_secret?,
            })
        }
        _ => {
            unknown_members(fields, &path, &["certificatePem", "keyPem"], problems);
            let certificate_pem = text(fields, &path, "certificatePem", problems);
            let key_pem = secret(fields, &path, "keyPem", problems);
            let (certificate_pem, key_pem) = (certificate_pem?, key_pem?);
            if !certificate_pem.contains("-----BEGIN CERTIFICATE-----") {
                problems.push(format!(
                    "{path}.certificatePem: expected a PEM certificate (-----BEGIN CERTIFICATE-----)"
                ));
                return None;
            }
            if !key_pem.expose().contains("PRIVATE KEY-----") {
                problems.push(format!("{path}.keyPem: expected a PEM private key"));
                return None;
            }
            if identity(&certificate_pem, &key_pem).is_none() {
                problems.push(format!(
                    "{path}: the certificate and key do not form a usable client identity"
                ));
                return None;
            }
            Some(Authentication::Certificate {
                certificate_pem,
                key_pem,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::realtime::Realtime;
    use crate::realtime::fixtures::BASIC;

    use super::*;

    #[test]
    fn a_target_is_shown_without_its_secret() {
        let realtime = Realtime::new(1);
        let target = realtime.add_target(BASIC).unwrap();
        let shown = target.view().to_string();
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert_eq!(target.view()["authentication"]["basic"]["clientId"], "rt");
        assert_eq!(target.view()["version"], 2);
        assert!(realtime.has_targets());
        assert!(realtime.remove_target(&target.id));
        assert!(!realtime.has_targets());
    }

    #[test]
    fn every_problem_of_a_target_is_reported_without_secrets() {
        let body = r#"{"displayName": "", "type": "SAP Jam", "url": "https://u:pw-secret@h/x",
            "version": 3, "colour": "red",
            "authentication": {"basic": {"clientId": "rt", "clientSecret": 42}}}"#;
        let error = Target::parse(body, "id".into()).unwrap_err();
        for expected in [
            "$.displayName: must not be empty",
            "$.type: expected \"Identity Provisioning\"",
            "$.url: must not carry credentials",
            "$.version: expected 1 or 2, not 3",
            "$.colour: unknown member",
            "$.authentication.basic.clientSecret: expected a string",
        ] {
            assert!(error.contains(expected), "{expected} in {error}");
        }
        assert!(
            !error.contains("pw-secret") && !error.contains("42"),
            "{error}"
        );
    }

    #[test]
    fn a_target_has_exactly_one_authentication_and_a_real_time_url() {
        let two = BASIC.replace(
            r#""authentication": {"#,
            r#""authentication": {"oauth": {"tokenUrl": "https://h/oauth2/token", "clientId": "a", "clientSecret": "b"}, "#,
        );
        let error = Target::parse(&two, "id".into()).unwrap_err();
        assert!(
            error.contains("exactly one of basic, oauth, certificate, found 2"),
            "{error}"
        );
        let scim = BASIC.replace(
            "/ipsproxy/service/api/v1/systems/abc/entities/user",
            "/scim/Users",
        );
        let error = Target::parse(&scim, "id".into()).unwrap_err();
        assert!(
            error.contains("$.url: expected the SCIM URL of the real-time API"),
            "{error}"
        );
        let error = Target::parse("{\"displayName\": ", "id".into()).unwrap_err();
        assert!(
            error.starts_with("invalid real-time target: line 1"),
            "{error}"
        );
    }
}
