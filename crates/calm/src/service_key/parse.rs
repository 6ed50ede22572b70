//! From JSON text to a [`ServiceKey`], collecting every problem.
//!
//! The text is read into loose structures first (every known member an optional JSON value,
//! unknown members kept with `#[serde(flatten)]`), then each member is checked here, so that
//! messages are ours — serde's would quote the offending value, which may be a secret.

use std::collections::BTreeMap;

use sapland_core::json::{JsonPath, locate};
use sapland_core::scim::Secret;
use sapland_outbound::https::PrivateKeyPem;
use serde::Deserialize;
use serde_json::Value;

use super::error::{Problem, ServiceKeyError};
use super::model::{Credential, CredentialType, Extra, ServiceKey, TOKEN_PATH, Uaa};

/// The top level of a key.
#[derive(Deserialize)]
struct RawKey {
    endpoints: Option<Value>,
    uaa: Option<Value>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

/// `endpoints`.
#[derive(Deserialize)]
struct RawEndpoints {
    #[serde(rename = "Api")]
    api: Option<Value>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

/// `uaa`, member names as XSUAA writes them.
#[derive(Deserialize)]
struct RawUaa {
    clientid: Option<Value>,
    clientsecret: Option<Value>,
    url: Option<Value>,
    certurl: Option<Value>,
    certificate: Option<Value>,
    key: Option<Value>,
    #[serde(rename = "credential-type")]
    credential_type: Option<Value>,
    identityzone: Option<Value>,
    identityzoneid: Option<Value>,
    tenantid: Option<Value>,
    tenantmode: Option<Value>,
    sburl: Option<Value>,
    apiurl: Option<Value>,
    verificationkey: Option<Value>,
    xsappname: Option<Value>,
    uaadomain: Option<Value>,
    subaccountid: Option<Value>,
    zoneid: Option<Value>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

/// An example of the API URL, for messages.
const API_EXAMPLE: &str = "https://eu10.alm.cloud.sap/api";

/// Collects problems with their positions in `text`.
struct Checker<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    /// A problem at the member `path` (positioned at the member).
    fn at(&mut self, path: &JsonPath, message: impl Into<String>) {
        let position = locate(self.text, path);
        self.problems.push(Problem {
            path: path.clone(),
            position,
            message: message.into(),
        });
    }

    /// A missing member: positioned at the object that should hold it.
    fn missing(&mut self, parent: &JsonPath, name: &str, message: impl Into<String>) {
        let position = locate(self.text, parent);
        self.problems.push(Problem {
            path: parent.clone().key(name),
            position,
            message: format!("is missing: {}", message.into()),
        });
    }

    /// An optional string member; a value of another type is a problem (and counts as absent).
    fn string(&mut self, parent: &JsonPath, name: &str, value: Option<Value>) -> Option<String> {
        match value {
            None => None,
            Some(Value::String(text)) => Some(text),
            Some(other) => {
                self.at(
                    &parent.clone().key(name),
                    format!("expected a string, found {}", kind(&other)),
                );
                None
            }
        }
    }

    /// A string member that must be there and not be empty.
    fn required(
        &mut self,
        parent: &JsonPath,
        name: &str,
        value: Option<Value>,
        what: &str,
    ) -> Option<String> {
        let present = value.is_some();
        match self.string(parent, name, value) {
            Some(text) if text.trim().is_empty() => {
                self.at(&parent.clone().key(name), format!("is empty: {what}"));
                None
            }
            Some(text) => Some(text),
            None => {
                if !present {
                    self.missing(parent, name, what);
                }
                None
            }
        }
    }

    /// An http(s) URL member.
    fn url(&mut self, path: &JsonPath, text: &str) -> bool {
        match reqwest::Url::parse(text) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => true,
            _ => {
                self.at(path, format!("is not an http(s) URL: {text:?}"));
                false
            }
        }
    }

    /// An XSUAA base URL (`url`, `certurl`): an http(s) URL that does not already end in
    /// `/oauth/token` (the seed's connector guide: "Do NOT add /oauth/token at the end").
    fn base_url(&mut self, parent: &JsonPath, name: &str, text: &str) -> bool {
        let path = parent.clone().key(name);
        if !self.url(&path, text) {
            return false;
        }
        let without_query = text.split(['?', '#']).next().unwrap_or(text);
        let trimmed = without_query.trim_end_matches('/');
        if let Some(base) = trimmed.strip_suffix(TOKEN_PATH) {
            self.at(
                &path,
                format!(
                    "must not end in /oauth/token: it is the XSUAA base URL and sapland \
                     appends /oauth/token itself; write {base:?}"
                ),
            );
            return false;
        }
        true
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads `text` as a service key.
pub(super) fn parse(text: &str) -> Result<ServiceKey, ServiceKeyError> {
    let fail = |problems| ServiceKeyError {
        file: None,
        problems,
    };
    let root = JsonPath::root();
    if text.trim().is_empty() {
        return Err(fail(vec![Problem {
            path: root,
            position: None,
            message: "is empty: expected the service key JSON as the SAP BTP cockpit shows it"
                .into(),
        }]));
    }
    let value: Value = serde_json::from_str(text).map_err(|err| {
        fail(vec![Problem {
            path: JsonPath::root(),
            position: Some((err.line(), err.column())),
            message: format!("not JSON: {}", without_position(&err.to_string())),
        }])
    })?;
    if !value.is_object() {
        return Err(fail(vec![Problem {
            path: root,
            position: Some((1, 1)),
            message: format!(
                "expected a JSON object with endpoints and uaa, found {}",
                kind(&value)
            ),
        }]));
    }
    let raw: RawKey = serde_json::from_value(value).map_err(|_| {
        fail(vec![Problem {
            path: JsonPath::root(),
            position: None,
            message: "expected a JSON object with endpoints and uaa".into(),
        }])
    })?;
    let mut checker = Checker {
        text,
        problems: Vec::new(),
    };
    let endpoints = endpoints(&mut checker, raw.endpoints);
    let uaa = uaa(&mut checker, raw.uaa);
    match (endpoints, uaa) {
        (Some((api, endpoints_extra)), Some(uaa)) if checker.problems.is_empty() => {
            Ok(ServiceKey {
                api,
                uaa,
                endpoints_extra,
                extra: Extra(raw.extra),
            })
        }
        _ => Err(fail(checker.problems)),
    }
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn without_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |index| &message[..index])
}

/// An object member: `None` (with a problem) when it is missing or not an object.
fn object<T: for<'de> Deserialize<'de>>(
    checker: &mut Checker<'_>,
    name: &str,
    value: Option<Value>,
    what: &str,
) -> Option<T> {
    let path = JsonPath::root().key(name);
    match value {
        None => {
            checker.missing(&JsonPath::root(), name, what);
            None
        }
        Some(value @ Value::Object(_)) => serde_json::from_value(value).ok(),
        Some(other) => {
            checker.at(&path, format!("expected an object, found {}", kind(&other)));
            None
        }
    }
}

/// `endpoints.Api`, normalized without a trailing slash, and the other members.
fn endpoints(checker: &mut Checker<'_>, value: Option<Value>) -> Option<(String, Extra)> {
    let raw: RawEndpoints = object(
        checker,
        "endpoints",
        value,
        &format!("a Cloud ALM service key has \"endpoints\": {{\"Api\": \"{API_EXAMPLE}\"}}"),
    )?;
    let parent = JsonPath::root().key("endpoints");
    let api = checker.required(
        &parent,
        "Api",
        raw.api,
        &format!("the Cloud ALM API URL, such as {API_EXAMPLE}"),
    )?;
    let path = parent.key("Api");
    if !checker.url(&path, &api) {
        return None;
    }
    let normalized = api.strip_suffix('/').unwrap_or(&api);
    if !normalized.ends_with("/api") {
        checker.at(
            &path,
            format!(
                "must end in /api, such as {API_EXAMPLE} (the API root is this URL without \
                 /api); found {api:?}"
            ),
        );
        return None;
    }
    Some((normalized.to_string(), Extra(raw.extra)))
}

/// `uaa`, with the credential its type needs.
fn uaa(checker: &mut Checker<'_>, value: Option<Value>) -> Option<Uaa> {
    let raw: RawUaa = object(
        checker,
        "uaa",
        value,
        "the OAuth client of the key (clientid, clientsecret, url)",
    )?;
    let parent = JsonPath::root().key("uaa");
    let before = checker.problems.len();
    let client_id = checker.required(
        &parent,
        "clientid",
        raw.clientid,
        "the OAuth client id (sb-…)",
    );
    let given = credential_type(checker, &parent, raw.credential_type);
    let has_secret = raw.clientsecret.is_some();
    let has_certificate = raw.certificate.is_some() || raw.key.is_some() || raw.certurl.is_some();
    let effective = match given {
        Some(Ok(given)) => given,
        _ if !has_secret && has_certificate => CredentialType::X509,
        _ => CredentialType::BindingSecret,
    };
    let url = checker.string(&parent, "url", raw.url);
    let cert_url = checker.string(&parent, "certurl", raw.certurl);
    let credential = if effective.is_x509() {
        x509_credential(checker, &parent, &url, &cert_url, raw.certificate, raw.key)
    } else {
        secret_credential(
            checker,
            &parent,
            &url,
            raw.clientsecret,
            given.is_some(),
            has_certificate,
        )
    };
    let mut info = |name: &str, value| checker.string(&parent, name, value);
    let identity_zone = info("identityzone", raw.identityzone);
    let identity_zone_id = info("identityzoneid", raw.identityzoneid);
    let tenant_id = info("tenantid", raw.tenantid);
    let tenant_mode = info("tenantmode", raw.tenantmode);
    let sb_url = info("sburl", raw.sburl);
    let api_url = info("apiurl", raw.apiurl);
    let verification_key = info("verificationkey", raw.verificationkey);
    let xs_app_name = info("xsappname", raw.xsappname);
    let uaa_domain = info("uaadomain", raw.uaadomain);
    let subaccount_id = info("subaccountid", raw.subaccountid);
    let zone_id = info("zoneid", raw.zoneid);
    let uaa = Uaa {
        client_id: client_id.unwrap_or_default(),
        url,
        cert_url,
        credential_type_given: given.and_then(Result::ok),
        credential: credential?,
        identity_zone,
        identity_zone_id,
        tenant_id,
        tenant_mode,
        sb_url,
        api_url,
        verification_key,
        xs_app_name,
        uaa_domain,
        subaccount_id,
        zone_id,
        extra: Extra(raw.extra),
    };
    (checker.problems.len() == before).then_some(uaa)
}

/// `credential-type`: `None` when absent, `Some(Err(()))` when unusable (reported).
fn credential_type(
    checker: &mut Checker<'_>,
    parent: &JsonPath,
    value: Option<Value>,
) -> Option<Result<CredentialType, ()>> {
    let present = value.is_some();
    let Some(text) = checker.string(parent, "credential-type", value) else {
        return present.then_some(Err(()));
    };
    match CredentialType::parse(&text) {
        Some(kind) => Some(Ok(kind)),
        None => {
            checker.at(
                &parent.clone().key("credential-type"),
                format!(
                    "unknown credential type {text:?}: expected binding-secret, \
                     instance-secret or x509"
                ),
            );
            Some(Err(()))
        }
    }
}

fn secret_credential(
    checker: &mut Checker<'_>,
    parent: &JsonPath,
    url: &Option<String>,
    secret: Option<Value>,
    type_given: bool,
    has_certificate: bool,
) -> Option<Credential> {
    match url {
        Some(url) => {
            checker.base_url(parent, "url", url);
        }
        None => checker.missing(
            parent,
            "url",
            "the XSUAA URL, such as https://<subdomain>.authentication.eu10.hana.ondemand.com; \
             the token URL is uaa.url + /oauth/token",
        ),
    }
    let what = if type_given || has_certificate {
        "a key whose credential-type is binding-secret or instance-secret authenticates with its \
         client secret; copy the whole key from the SAP BTP cockpit, or use an X.509 key \
         (credential-type x509 with certurl, certificate and key)"
    } else {
        "the key holds no credential, neither uaa.clientsecret nor uaa.certificate and uaa.key; \
         copy the whole key from the SAP BTP cockpit"
    };
    checker
        .required(parent, "clientsecret", secret, what)
        .map(|secret| Credential::Secret(Secret::new(secret)))
}

fn x509_credential(
    checker: &mut Checker<'_>,
    parent: &JsonPath,
    url: &Option<String>,
    cert_url: &Option<String>,
    certificate: Option<Value>,
    key: Option<Value>,
) -> Option<Credential> {
    if let Some(url) = url {
        checker.base_url(parent, "url", url);
    }
    match cert_url {
        Some(cert_url) => {
            checker.base_url(parent, "certurl", cert_url);
        }
        None => checker.missing(
            parent,
            "certurl",
            "an X.509 key (credential-type x509) gets its token from uaa.certurl + /oauth/token \
             over mTLS",
        ),
    }
    let certificate = checker.required(
        parent,
        "certificate",
        certificate,
        "an X.509 key (credential-type x509) needs the client certificate (PEM) it presents",
    );
    if let Some(text) = &certificate
        && !text.contains("-----BEGIN CERTIFICATE-----")
    {
        checker.at(
            &parent.clone().key("certificate"),
            "is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)",
        );
    }
    let key = checker.required(
        parent,
        "key",
        key,
        "an X.509 key (credential-type x509) needs the private key (PEM) of uaa.certificate",
    );
    if let Some(text) = &key
        && !(text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----"))
    {
        checker.at(
            &parent.clone().key("key"),
            "is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA \
             PRIVATE KEY-----)",
        );
    }
    Some(Credential::Certificate {
        certificate: certificate?,
        key: PrivateKeyPem::new(key?),
    })
}
