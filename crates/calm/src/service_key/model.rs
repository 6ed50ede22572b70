//! A validated service key and what is derived from it.

use std::collections::BTreeMap;
use std::fmt;

use sapland_core::scim::Secret;
use sapland_outbound::https::{ClientIdentity, PemSource, PrivateKeyPem};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::ServiceKeyError;

/// The path XSUAA serves tokens at, appended to `uaa.url` or `uaa.certurl` ([DOC] §1.3).
pub const TOKEN_PATH: &str = "/oauth/token";

/// A service key of the SAP Cloud ALM API service, checked: the API URL ends in `/api`, the
/// credential its type needs is present, the URLs are http(s) URLs.
///
/// Built only by [`ServiceKey::from_json`], so every accessor can rely on those checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceKey {
    pub(super) api: String,
    pub(super) uaa: Uaa,
    pub(super) endpoints_extra: Extra,
    pub(super) extra: Extra,
}

/// The `uaa` object: the OAuth client of the key. Informational members are kept as they
/// were; the credential is in [`Uaa::credential`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uaa {
    /// `clientid`: the OAuth client id, `sb-<guid>!b<n>|calm!b<n>`.
    pub client_id: String,
    /// `url`: the XSUAA base URL (absent in some X.509 keys).
    pub url: Option<String>,
    /// `certurl`: the XSUAA base URL for mTLS (X.509 keys).
    pub cert_url: Option<String>,
    /// `credential-type` as given; `None` when the key has none (the type is then inferred).
    pub credential_type_given: Option<CredentialType>,
    /// The client secret or the certificate and private key.
    pub credential: Credential,
    /// `identityzone`: the subaccount subdomain.
    pub identity_zone: Option<String>,
    /// `identityzoneid`.
    pub identity_zone_id: Option<String>,
    /// `tenantid`.
    pub tenant_id: Option<String>,
    /// `tenantmode` (`shared`).
    pub tenant_mode: Option<String>,
    /// `sburl`.
    pub sb_url: Option<String>,
    /// `apiurl`.
    pub api_url: Option<String>,
    /// `verificationkey`: XSUAA's public key (PEM).
    pub verification_key: Option<String>,
    /// `xsappname`.
    pub xs_app_name: Option<String>,
    /// `uaadomain`.
    pub uaa_domain: Option<String>,
    /// `subaccountid`.
    pub subaccount_id: Option<String>,
    /// `zoneid`.
    pub zone_id: Option<String>,
    /// Members of `uaa` the model does not name.
    pub extra: Extra,
}

/// How the client proves who it is at the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// `clientsecret` (`Debug` prints `****`).
    Secret(Secret),
    /// `certificate` (PEM chain, leaf first) and `key` (PEM private key, `Debug` prints
    /// `****`), presented over mTLS to `certurl`.
    Certificate {
        /// The client certificate chain, PEM.
        certificate: String,
        /// Its private key.
        key: PrivateKeyPem,
    },
}

/// `uaa.credential-type` ([DOC] §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialType {
    /// `binding-secret`: a secret per binding (without Cloud Foundry).
    BindingSecret,
    /// `instance-secret`: one secret for the instance (with Cloud Foundry).
    InstanceSecret,
    /// `x509`: a client certificate; tokens come from `certurl` over mTLS.
    X509,
}

impl CredentialType {
    /// The value as a key writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BindingSecret => "binding-secret",
            Self::InstanceSecret => "instance-secret",
            Self::X509 => "x509",
        }
    }

    /// Reads a key's value (exact, as XSUAA writes it).
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "binding-secret" => Some(Self::BindingSecret),
            "instance-secret" => Some(Self::InstanceSecret),
            "x509" => Some(Self::X509),
            _ => None,
        }
    }

    /// Whether the client authenticates with a certificate.
    pub fn is_x509(self) -> bool {
        self == Self::X509
    }
}

impl fmt::Display for CredentialType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// JSON members a model does not name, kept as they were. `Debug` shows only their names: an
/// unknown member may hold a secret.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Extra(pub BTreeMap<String, Value>);

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl ServiceKey {
    /// Reads and checks a service key from its JSON text. The error lists every problem with
    /// its JSON path, line and column; name the file with [`ServiceKeyError::in_file`].
    pub fn from_json(text: &str) -> Result<Self, ServiceKeyError> {
        super::parse::parse(text)
    }

    /// `endpoints.Api` as the key gives it, ending in `/api`.
    pub fn api_url(&self) -> &str {
        &self.api
    }

    /// The API root: `endpoints.Api` without the trailing `/api` ([DOC] §1.3, the ABAP "Root
    /// URL"); API calls go to `<root>/api/<service path>`.
    pub fn api_root(&self) -> &str {
        self.api.strip_suffix("/api").unwrap_or(self.api.as_str())
    }

    /// The token URL: `uaa.url` + `/oauth/token`, or for X.509 keys `uaa.certurl` +
    /// `/oauth/token` ([DOC] §1.3).
    pub fn token_url(&self) -> String {
        let base = if self.credential_type().is_x509() {
            self.uaa.cert_url.as_deref()
        } else {
            self.uaa.url.as_deref()
        };
        format!(
            "{}{TOKEN_PATH}",
            base.unwrap_or_default().trim_end_matches('/')
        )
    }

    /// The credential type: `credential-type` when given, otherwise inferred from the
    /// credential the key holds (**proposed**: old keys may lack the member).
    pub fn credential_type(&self) -> CredentialType {
        match (&self.uaa.credential_type_given, &self.uaa.credential) {
            (Some(given), _) => *given,
            (None, Credential::Certificate { .. }) => CredentialType::X509,
            (None, Credential::Secret(_)) => CredentialType::BindingSecret,
        }
    }

    /// The OAuth client id.
    pub fn client_id(&self) -> &str {
        &self.uaa.client_id
    }

    /// The `uaa` object.
    pub fn uaa(&self) -> &Uaa {
        &self.uaa
    }

    /// The client certificate of an X.509 key, for the mTLS connection to the token URL.
    pub fn client_identity(&self) -> Option<ClientIdentity> {
        match &self.uaa.credential {
            Credential::Certificate { certificate, key } => Some(ClientIdentity {
                certificate: PemSource::new(
                    "the service key's uaa.certificate",
                    certificate.clone(),
                ),
                private_key: key.clone(),
            }),
            Credential::Secret(_) => None,
        }
    }

    /// Members of `endpoints` besides `Api`.
    pub fn endpoints_extra(&self) -> &Extra {
        &self.endpoints_extra
    }

    /// Top-level members besides `endpoints` and `uaa`.
    pub fn extra(&self) -> &Extra {
        &self.extra
    }
}
