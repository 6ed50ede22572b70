//! `landscape.json`: the stable description of a running landscape (DESIGN.md contract).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LandscapeFile {
    /// The landscape CA's certificate (PEM); absent with plain HTTP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
    /// The bearer token of every `/_admin` surface.
    pub admin_token: String,
    /// The mock IAS.
    pub ias: IasDescription,
    /// The mock Cloud ALM.
    pub calm: CalmDescription,
}

/// The mock IAS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IasDescription {
    /// The first tenant's URL.
    pub url: String,
    /// The admin surface.
    pub admin_url: String,
    /// Every tenant.
    pub tenants: Vec<TenantDescription>,
}

/// One IAS tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantDescription {
    /// The tenant's name.
    pub name: String,
    /// Its base URL; SCIM v2 is under `/scim`.
    pub url: String,
    /// Its OAuth token endpoint.
    pub token_url: String,
    /// The technical user that holds every role.
    pub technical_user: TechnicalUserDescription,
}

/// A technical user's credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechnicalUserDescription {
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: String,
    /// PEM file of its client certificate (with TLS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<PathBuf>,
    /// PEM file of that certificate's private key (with TLS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<PathBuf>,
}

/// The mock Cloud ALM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalmDescription {
    /// The API root, the service key's `endpoints.Api` without `/api`.
    pub url: String,
    /// The admin surface.
    pub admin_url: String,
    /// The service key of the default instance's `binding-secret` binding (real format, JSON).
    pub service_key: PathBuf,
    /// The service key of its `x509` binding, with the client certificate and key embedded
    /// (absent with plain HTTP: there is no landscape CA to issue the certificate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_key_x509: Option<PathBuf>,
}
