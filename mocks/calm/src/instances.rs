//! Service instances of *SAP Cloud ALM API*, their bindings, and the service key JSON in the real
//! format (reference §1.2): client ids `sb-<uuid>!b<n>|calm!b2716`, one client per instance
//! shared by its bindings (as XSUAA does), a secret for the `binding-secret` binding and a client
//! certificate for the `x509` binding.

use sapland_core::scim::Secret;
use sapland_mock_kit::ids::IdGenerator;
use sapland_mock_kit::oauth::OAuthClient;
use serde_json::{Value, json};

use crate::config::CredentialType;
use crate::scopes::{self, MASTER_APP};

/// The public key every binding shows as `uaa.verificationkey`. Tokens of the mock are opaque, so
/// it verifies nothing; it is there so that keys have the real shape (**proposed**).
const VERIFICATION_KEY: &str = "-----BEGIN PUBLIC KEY-----\n\
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA4s3wrLdjv8vM1UNJTvYJ\n\
vLvPot1v1vhlGB6GV9ELqYgLwgPEfYDJ6/clo5L6lpBp85NTAYdyPOsciyQj39+m\n\
+iTJnKVuoaBywzJKGLoS1drhbDCa439EkO9TCs/TRuHoJBnK/AwNvj9n+X2/k7z7\n\
h7jJwc6Qqs5IBq/IZRXSmhouuPMYgi4MTowgA3UtX1or9lk1ChiuAkgnB4oIoDWH\n\
rsRlXKiNtX10k1OLWg58x/BNDxDHUIOgCwFto2kEeZ05RDzDJB5DMpHkt1e1atRn\n\
207XqIBExTbnp0Zn0dP/Qjt5681aXzTTxf2IyVPsQZKr147JO1AK4GLAqIToyLLP\n\
sQIDAQAB\n\
-----END PUBLIC KEY-----";

/// A subaccount's UAA as bindings show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// The subdomain (`uaa.identityzone`).
    pub subdomain: String,
    /// The zone's id (`identityzoneid`, `tenantid`, `subaccountid`, `zoneid`).
    pub zone_id: String,
    /// The UAA base URL (`uaa.url`); tokens at `<url>/oauth/token`.
    pub url: String,
    /// The UAA's mutual-TLS base URL (`uaa.certurl`).
    pub certurl: String,
}

impl Zone {
    /// The zone of `subdomain` in a landscape seeded with `seed`, served at these URLs.
    pub fn new(seed: u64, subdomain: &str, url: String, certurl: String) -> Self {
        let zone_id = IdGenerator::derived(seed, &format!("calm.zone.{subdomain}")).uuid();
        Self {
            subdomain: subdomain.to_string(),
            zone_id,
            url,
            certurl,
        }
    }
}

/// One service instance with its bindings.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The subdomain of the subaccount it lives in.
    pub subaccount: String,
    /// The instance name.
    pub name: String,
    /// The instance's id.
    pub instance_id: String,
    /// The OAuth client id, `sb-<uuid>!b<n>|calm!b2716`.
    pub client_id: String,
    /// The xsappname, the client id without `sb-`.
    pub xsappname: String,
    /// The authorities, short form (`calm-api.metrics.read`).
    pub authorities: Vec<String>,
    /// The secret of the `binding-secret` binding.
    pub secret: Option<Secret>,
    /// The subject of the `x509` binding's certificate (`CN=<binding id>`).
    pub certificate_subject: Option<String>,
    /// Whether the instance comes from the configuration (kept on reset).
    pub configured: bool,
}

/// Why an instance cannot be created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstanceError {
    /// The name breaks BTP's rules.
    #[error(
        "$.name: {0:?} is not an instance name: at most 32 characters, letters, digits, '.', '-' and '_' (reference §1.1)"
    )]
    Name(String),
    /// An authority is unknown.
    #[error("$.authorities[{index}]: {message}")]
    Authority {
        /// Its position.
        index: usize,
        /// What is wrong.
        message: String,
    },
    /// No credential type was asked for.
    #[error("$.credentialTypes: expected at least one of binding-secret and x509")]
    NoCredentials,
}

impl Instance {
    /// An instance named `name` in `subaccount`, with ids, client id and secret derived from the
    /// landscape seed and its name, so the same landscape always gives the same keys.
    pub fn new(
        seed: u64,
        subaccount: &str,
        name: &str,
        authorities: &[String],
        credential_types: &[CredentialType],
        configured: bool,
    ) -> Result<Self, InstanceError> {
        let valid_name = !name.is_empty()
            && name.chars().count() <= 32
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !valid_name {
            return Err(InstanceError::Name(name.to_string()));
        }
        if credential_types.is_empty() {
            return Err(InstanceError::NoCredentials);
        }
        let mut short = Vec::new();
        for (index, authority) in authorities.iter().enumerate() {
            let normalized = scopes::normalize(authority)
                .map_err(|message| InstanceError::Authority { index, message })?;
            if !short.contains(&normalized) {
                short.push(normalized);
            }
        }
        let mut ids = IdGenerator::derived(seed, &format!("calm.instance.{subaccount}.{name}"));
        let instance_id = ids.uuid();
        let app_id = ids.uuid();
        let build = 10_000 + ids.next_u64() % 90_000;
        let xsappname = format!("{app_id}!b{build}|{MASTER_APP}");
        let secret = format!("{}${}=", ids.uuid(), ids.secret(43));
        let binding_id = ids.uuid();
        Ok(Self {
            subaccount: subaccount.to_string(),
            name: name.to_string(),
            instance_id,
            client_id: format!("sb-{xsappname}"),
            xsappname,
            authorities: short,
            secret: credential_types
                .contains(&CredentialType::BindingSecret)
                .then(|| Secret::new(secret)),
            certificate_subject: credential_types
                .contains(&CredentialType::X509)
                .then(|| format!("CN={binding_id}")),
            configured,
        })
    }

    /// The common name the `x509` binding's certificate must carry, if the instance has one.
    pub fn certificate_common_name(&self) -> Option<&str> {
        self.certificate_subject
            .as_deref()
            .and_then(|s| s.strip_prefix("CN="))
    }

    /// The client the UAA registers for this instance.
    pub fn oauth_client(&self) -> OAuthClient {
        OAuthClient {
            client_id: self.client_id.clone(),
            secret: self.secret.clone(),
            certificate_subject: self.certificate_subject.clone(),
            scopes: scopes::token_scopes(&self.authorities),
        }
    }

    /// What the admin surface shows of the instance: no secret, no key.
    pub fn view(&self) -> Value {
        json!({
            "subaccount": self.subaccount,
            "name": self.name,
            "instanceId": self.instance_id,
            "clientId": self.client_id,
            "authorities": self.authorities,
            "credentialTypes": self.credential_types().iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            "certificateSubject": self.certificate_subject,
        })
    }

    fn credential_types(&self) -> Vec<CredentialType> {
        let mut types = Vec::new();
        if self.secret.is_some() {
            types.push(CredentialType::BindingSecret);
        }
        if self.certificate_subject.is_some() {
            types.push(CredentialType::X509);
        }
        types
    }
}

/// The certificate and key of an `x509` binding.
#[derive(Debug, Clone)]
pub struct X509Credentials {
    /// The certificate chain, PEM, leaf first.
    pub certificate_pem: String,
    /// The private key, PEM.
    pub key_pem: Secret,
}

/// The service key of the `binding-secret` binding: `endpoints.Api` and the `uaa` section in the
/// order of SAP's screenshot (reference §1.2), `None` when the instance has no secret binding.
pub fn secret_key(api_root: &str, zone: &Zone, instance: &Instance) -> Option<Value> {
    let secret = instance.secret.as_ref()?;
    let mut uaa = serde_json::Map::new();
    uaa.insert("clientid".into(), json!(instance.client_id));
    uaa.insert("clientsecret".into(), json!(secret.expose()));
    common_uaa(&mut uaa, zone, instance, CredentialType::BindingSecret);
    Some(json!({ "endpoints": { "Api": format!("{api_root}/api") }, "uaa": uaa }))
}

/// The service key of the `x509` binding: the same as the secret key without `clientsecret`,
/// with `certurl`, `certificate` (the PEM chain) and `key` (the PEM private key), as the XSUAA
/// binding of `credential-type: x509` carries them (reference §1.2).
pub fn x509_key(
    api_root: &str,
    zone: &Zone,
    instance: &Instance,
    credentials: &X509Credentials,
) -> Option<Value> {
    instance.certificate_subject.as_ref()?;
    let mut uaa = serde_json::Map::new();
    uaa.insert("clientid".into(), json!(instance.client_id));
    uaa.insert("certificate".into(), json!(credentials.certificate_pem));
    uaa.insert("key".into(), json!(credentials.key_pem.expose()));
    uaa.insert("certurl".into(), json!(zone.certurl));
    common_uaa(&mut uaa, zone, instance, CredentialType::X509);
    Some(json!({ "endpoints": { "Api": format!("{api_root}/api") }, "uaa": uaa }))
}

fn common_uaa(
    uaa: &mut serde_json::Map<String, Value>,
    zone: &Zone,
    instance: &Instance,
    credential_type: CredentialType,
) {
    let domain = zone
        .url
        .split_once("://")
        .map_or(zone.url.as_str(), |(_, rest)| rest)
        .to_string();
    let fields = [
        ("url", json!(zone.url)),
        ("identityzone", json!(zone.subdomain)),
        ("identityzoneid", json!(zone.zone_id)),
        ("tenantid", json!(zone.zone_id)),
        ("tenantmode", json!("shared")),
        ("sburl", json!(zone.url)),
        ("apiurl", json!(zone.url)),
        ("verificationkey", json!(VERIFICATION_KEY)),
        ("xsappname", json!(instance.xsappname)),
        ("uaadomain", json!(domain)),
        ("credential-type", json!(credential_type.as_str())),
        ("subaccountid", json!(zone.zone_id)),
        ("zoneid", json!(zone.zone_id)),
        ("serviceInstanceId", json!(instance.instance_id)),
    ];
    for (name, value) in fields {
        uaa.insert(name.into(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> Zone {
        Zone::new(
            7,
            "sapland",
            "https://uaa.test".into(),
            "https://cert.test".into(),
        )
    }

    #[test]
    fn client_ids_have_the_documented_shape_and_depend_only_on_seed_and_name() {
        let both = [CredentialType::BindingSecret, CredentialType::X509];
        let a = Instance::new(7, "sapland", "agent", &[], &both, true).unwrap();
        let b = Instance::new(7, "sapland", "agent", &[], &both, true).unwrap();
        assert_eq!(a.client_id, b.client_id);
        let (sb, rest) = a.client_id.split_once('-').unwrap();
        assert_eq!(sb, "sb");
        assert!(rest.ends_with("|calm!b2716"), "{}", a.client_id);
        assert!(rest.contains("!b"));
        assert!(a.secret.as_ref().unwrap().expose().len() > 64);
        assert_ne!(
            Instance::new(8, "sapland", "agent", &[], &both, true)
                .unwrap()
                .client_id,
            a.client_id
        );
    }

    #[test]
    fn names_and_authorities_are_checked() {
        let secret = [CredentialType::BindingSecret];
        let long = "x".repeat(33);
        assert!(matches!(
            Instance::new(1, "s", &long, &[], &secret, false),
            Err(InstanceError::Name(_))
        ));
        assert!(Instance::new(1, "s", "has space", &[], &secret, false).is_err());
        let err = Instance::new(1, "s", "ok", &["nope".into()], &secret, false).unwrap_err();
        assert!(err.to_string().starts_with("$.authorities[0]"), "{err}");
    }

    #[test]
    fn the_secret_key_follows_the_canonical_example() {
        let instance = Instance::new(
            7,
            "sapland",
            "agent",
            &["$XSMASTERAPPNAME.calm-api.metrics.read".into()],
            &[CredentialType::BindingSecret],
            true,
        )
        .unwrap();
        let key = secret_key("https://calm.test", &zone(), &instance).unwrap();
        assert_eq!(key["endpoints"]["Api"], "https://calm.test/api");
        let uaa = key["uaa"].as_object().unwrap();
        let names: Vec<&str> = uaa.keys().map(String::as_str).take(11).collect();
        assert_eq!(
            names,
            [
                "clientid",
                "clientsecret",
                "url",
                "identityzone",
                "identityzoneid",
                "tenantid",
                "tenantmode",
                "sburl",
                "apiurl",
                "verificationkey",
                "xsappname"
            ]
        );
        assert_eq!(uaa["credential-type"], "binding-secret");
        assert_eq!(uaa["tenantmode"], "shared");
        assert!(x509_key("https://calm.test", &zone(), &instance, &creds()).is_none());
    }

    fn creds() -> X509Credentials {
        X509Credentials {
            certificate_pem: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n".into(),
            key_pem: Secret::new("-----BEGIN PRIVATE KEY-----\ny\n-----END PRIVATE KEY-----\n"),
        }
    }

    #[test]
    fn the_x509_key_has_certurl_certificate_and_key_and_no_secret() {
        let instance =
            Instance::new(7, "sapland", "agent", &[], &[CredentialType::X509], true).unwrap();
        assert!(secret_key("https://calm.test", &zone(), &instance).is_none());
        let key = x509_key("https://calm.test", &zone(), &instance, &creds()).unwrap();
        let uaa = &key["uaa"];
        assert!(uaa.get("clientsecret").is_none());
        assert_eq!(uaa["certurl"], "https://cert.test");
        assert_eq!(uaa["credential-type"], "x509");
        assert!(uaa["key"].as_str().unwrap().contains("PRIVATE KEY"));
    }
}
