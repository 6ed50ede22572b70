//! `landscape.json`: the description of a running mock landscape that `sapland up` writes and
//! tools (the agent among them) read instead of the human summary. Stable keys (DESIGN.md):
//! `ca_cert`, `admin_token`, `clock_url`, and one object per mock with at least `url` and
//! `admin_url`. Plain data: reading and writing the file is the business of the crates above.

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
    /// The admin URL to reach the landscape clock at (`GET /_admin/clock`,
    /// `POST /_admin/clock/advance`): every mock's admin surface serves the same clock, and this
    /// is the first mock's.
    pub clock_url: String,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The file as `docs/landscape.md` shows it, written out by hand.
    const FILE: &str = r#"{
      "ca_cert": ".sapland/ca.pem",
      "admin_token": "t0k3n",
      "clock_url": "https://127.0.0.1:41233",
      "ias": {
        "url": "https://127.0.0.1:41234",
        "admin_url": "https://127.0.0.1:41233",
        "tenants": [{
          "name": "source",
          "url": "https://127.0.0.1:41234",
          "token_url": "https://127.0.0.1:41234/oauth2/token",
          "technical_user": {
            "client_id": "c", "client_secret": "s",
            "certificate": ".sapland/ias-source-client.pem",
            "key": ".sapland/ias-source-client-key.pem"
          }
        }]
      },
      "calm": {
        "url": "https://127.0.0.1:41240",
        "admin_url": "https://127.0.0.1:41239",
        "service_key": ".sapland/calm-service-key.json"
      }
    }"#;

    #[test]
    fn the_documented_file_reads_and_writes_back_the_same_keys() {
        let file: LandscapeFile = serde_json::from_str(FILE).unwrap();
        assert_eq!(file.clock_url, "https://127.0.0.1:41233");
        assert_eq!(file.ias.tenants[0].technical_user.client_id, "c");
        assert_eq!(file.calm.service_key_x509, None);
        let written = serde_json::to_value(&file).unwrap();
        let read: serde_json::Value = serde_json::from_str(FILE).unwrap();
        assert_eq!(written, read);
        let keys: Vec<&String> = written.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["ca_cert", "admin_token", "clock_url", "ias", "calm"]);
    }

    #[test]
    fn plain_http_leaves_out_the_ca_and_the_certificates() {
        let mut plain: serde_json::Value = serde_json::from_str(FILE).unwrap();
        plain.as_object_mut().unwrap().remove("ca_cert");
        let user = plain["ias"]["tenants"][0]["technical_user"]
            .as_object_mut()
            .unwrap();
        user.remove("certificate");
        user.remove("key");
        let file: LandscapeFile = serde_json::from_value(plain).unwrap();
        assert_eq!(file.ca_cert, None);
        assert_eq!(file.ias.tenants[0].technical_user.certificate, None);
        let written = serde_json::to_string(&file).unwrap();
        assert!(!written.contains("ca_cert") && !written.contains("certificate"));
    }
}
