//! A client's configuration, and how IPS's system properties map onto it ([DOC]
//! `reference/ips-ias.md` §2.8).

use std::sync::Arc;

use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, IF_MATCH};
use sapland_core::system::{Authentication, ResolvedSystem};
use sapland_outbound::clock::Clock;
use sapland_outbound::https::{HttpsError, HttpsOptions};

use crate::auth::{Auth, OAuth, OAuthCredential, TokenRequestStyle};
use crate::bulk::{DEFAULT_MAX_OPERATIONS, max_operations_from_property};
use crate::dialect::Dialect;
use crate::pace::Pace;
use crate::retry::RetryPolicy;
use crate::send::{Inner, accept};
use crate::token::TokenCache;

/// The default `Content-Type` of request bodies (`ias.content.type`, [DOC] §2.8).
pub const DEFAULT_CONTENT_TYPE: &str = "application/scim+json";
/// The default page size: IAS's own ([REC] §3.4), and v1's maximum.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// Everything a [`crate::Client`] needs besides the clock.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The service URL (`URL`), such as `https://<tenant>.accounts.ondemand.com`; the dialect
    /// adds its base path.
    pub url: String,
    /// Which SCIM the service speaks.
    pub dialect: Dialect,
    /// The credentials.
    pub auth: Auth,
    /// Trust, client certificate and timeouts of the HTTPS client ([`crate::Client::new`]).
    pub https: HttpsOptions,
    /// IPS's retries.
    pub retry: RetryPolicy,
    /// The shared requests-per-minute budget, if any.
    pub pace: Option<Pace>,
    /// Extra headers on every request (`ips.http.header.<name>`).
    pub headers: Vec<(String, String)>,
    /// The `Content-Type` of request bodies (`ias.content.type`).
    pub content_type: String,
    /// Send `If-Match: *` on every request (`ias.include.if.match.wildcard.header`).
    pub if_match_wildcard: bool,
    /// Resources per list page.
    pub page_size: u32,
    /// Operations per `/Bulk` request (`ias.bulk.operations.max.count`).
    pub bulk_max_operations: usize,
}

/// A configuration that cannot make a client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The URL is not an absolute HTTP(S) URL.
    #[error("URL {url:?}: {reason}")]
    Url {
        /// The URL as given.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// A header name or value cannot be sent.
    #[error("header {name:?}: {reason}")]
    Header {
        /// The header name.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A property is missing or has a value sapland cannot use.
    #[error("property {property}: {reason}")]
    Property {
        /// The property name.
        property: String,
        /// What is wrong.
        reason: String,
    },
    /// The HTTPS client cannot be built.
    #[error(transparent)]
    Https(#[from] HttpsError),
}

impl ClientConfig {
    /// A configuration with IPS's defaults: 2 retries after 30 s, `application/scim+json`, 100
    /// a page, 20 operations a `/Bulk` request, and for IAS a pace of
    /// [`Pace::IAS_DEFAULT_PER_MINUTE`] requests a minute (**proposed**; none for generic
    /// SCIM, whose limits are unknown).
    pub fn new(url: impl Into<String>, dialect: Dialect, auth: Auth) -> Self {
        let pace = match dialect {
            Dialect::IasV2 | Dialect::IasV1 => Some(Pace::per_minute(Pace::IAS_DEFAULT_PER_MINUTE)),
            Dialect::Scim2 => None,
        };
        Self {
            url: url.into(),
            dialect,
            auth,
            https: HttpsOptions::default(),
            retry: RetryPolicy::default(),
            pace,
            headers: Vec::new(),
            content_type: DEFAULT_CONTENT_TYPE.to_string(),
            if_match_wildcard: false,
            page_size: DEFAULT_PAGE_SIZE,
            bulk_max_operations: DEFAULT_MAX_OPERATIONS,
        }
    }

    /// The configuration of an IPS target or source system: `URL`, `ias.api.version` (IAS) or
    /// generic SCIM (other connectors), `Authentication` with `User`/`Password`,
    /// `OAuth2TokenServiceURL`, `AuthType`, `OAuth2TokenScope` and `client_id`, `TrustAll`,
    /// `ips.http.header.<name>`, `ias.`/`scim.` `content.type` and
    /// `include.if.match.wildcard.header`, `ias.bulk.operations.max.count`, and the retry
    /// properties. `https` brings the caller's trust (`--ca-cert`) and the client certificate,
    /// which the caller reads from the files the `ClientCertificate` and
    /// `ClientCertificateKey` credentials name (this crate reads no files).
    ///
    /// Mapping (IPS documents the properties, not their combination; **proposed**):
    /// `BasicAuthentication` with `OAuth2TokenServiceURL` is OAuth with `User` as client id and
    /// `Password` as secret, sent per `AuthType`; without it, HTTP Basic.
    /// `ClientCertificateAuthentication` with `OAuth2TokenServiceURL` is OAuth with the
    /// certificate (`client_id`, else `User`); without it, mTLS alone.
    pub fn from_system(system: &ResolvedSystem, https: HttpsOptions) -> Result<Self, ConfigError> {
        let missing = |property: &str| ConfigError::Property {
            property: property.to_string(),
            reason: "is required".into(),
        };
        let url = system
            .value("URL")
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| missing("URL"))?;
        let dialect = if system.export.connector_type.is_ias() {
            Dialect::from_ias_api_version(system.value("ias.api.version"))
        } else {
            Dialect::Scim2
        };
        let prefixed = |key: &str| {
            system
                .value(&format!("ias.{key}"))
                .or_else(|| system.value(&format!("scim.{key}")))
        };
        let flag = |key: &str| prefixed(key).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let token_url = system
            .value("OAuth2TokenServiceURL")
            .filter(|u| !u.trim().is_empty());
        let style = match system.value("AuthType") {
            None => TokenRequestStyle::default(),
            Some(value) => {
                TokenRequestStyle::from_auth_type(value).ok_or_else(|| ConfigError::Property {
                    property: "AuthType".into(),
                    reason: format!("{value:?} is neither Basic nor Form"),
                })?
            }
        };
        let scope = system.value("OAuth2TokenScope").map(str::to_string);
        let user = || {
            system
                .value("User")
                .map(str::to_string)
                .ok_or_else(|| missing("User"))
        };
        let password = || {
            system
                .credential("Password")
                .cloned()
                .ok_or_else(|| missing("Password"))
        };
        let auth = match (system.authentication(), token_url) {
            (Some(Authentication::BasicAuthentication), Some(token_url)) => {
                Auth::OAuthClientCredentials(OAuth {
                    token_url: token_url.to_string(),
                    client_id: user()?,
                    credential: OAuthCredential::Secret(password()?),
                    style,
                    scope,
                })
            }
            (Some(Authentication::BasicAuthentication), None) => Auth::Basic {
                user: user()?,
                password: password()?,
            },
            (Some(Authentication::ClientCertificateAuthentication), Some(token_url)) => {
                Auth::OAuthClientCredentials(OAuth {
                    token_url: token_url.to_string(),
                    client_id: system
                        .value("client_id")
                        .map(str::to_string)
                        .map_or_else(user, Ok)?,
                    credential: OAuthCredential::ClientCertificate,
                    style,
                    scope,
                })
            }
            (Some(Authentication::ClientCertificateAuthentication), None) => {
                Auth::ClientCertificate
            }
            (Some(Authentication::NoAuthentication), _) | (None, _) => Auth::None,
        };
        let mut config = Self::new(url, dialect, auth);
        config.https = HttpsOptions {
            trust_all: system.flag("TrustAll") || https.trust_all,
            ..https
        };
        config.retry = RetryPolicy::new(
            u32::try_from(system.retry_attempts()).unwrap_or(u32::MAX),
            system.retry_interval(),
        );
        config.headers = system
            .properties
            .iter()
            .filter(|p| !p.credential)
            .filter_map(|p| {
                p.name
                    .strip_prefix("ips.http.header.")
                    .map(|name| (name.to_string(), p.value.clone()))
            })
            .collect();
        if let Some(content_type) = prefixed("content.type") {
            config.content_type = content_type.to_string();
        }
        config.if_match_wildcard = flag("include.if.match.wildcard.header");
        if let Some(count) = system
            .value("ias.bulk.operations.max.count")
            .or_else(|| system.value("idds.bulk.operations.max.count"))
        {
            config.bulk_max_operations =
                max_operations_from_property(count.trim().parse().unwrap_or(0));
        }
        Ok(config)
    }

    /// Checks that the HTTPS options carry what the authentication needs: a client
    /// certificate for `ClientCertificateAuthentication` and OAuth with a certificate.
    pub(crate) fn check_identity(&self) -> Result<(), ConfigError> {
        let needs_certificate = match &self.auth {
            Auth::ClientCertificate => true,
            Auth::OAuthClientCredentials(oauth) => {
                oauth.credential == OAuthCredential::ClientCertificate
            }
            Auth::None | Auth::Basic { .. } => false,
        };
        if needs_certificate && self.https.identity.is_none() {
            return Err(ConfigError::Property {
                property: "Authentication".into(),
                reason: "certificate authentication needs a client certificate and its key".into(),
            });
        }
        Ok(())
    }

    /// The shared state of a client.
    pub(crate) fn into_inner(
        self,
        http: reqwest::Client,
        clock: Arc<dyn Clock>,
    ) -> Result<Inner, ConfigError> {
        let url_error = |reason: &str| ConfigError::Url {
            url: self.url.clone(),
            reason: reason.to_string(),
        };
        let mut root = Url::parse(self.url.trim()).map_err(|err| url_error(&err.to_string()))?;
        if !matches!(root.scheme(), "https" | "http") || root.cannot_be_a_base() {
            return Err(url_error("expected an https:// URL"));
        }
        if root.query().is_some() || root.fragment().is_some() {
            return Err(url_error("expected no query or fragment"));
        }
        let path = format!(
            "{}{}",
            root.path().trim_end_matches('/'),
            self.dialect.base_path()
        );
        root.set_path(&path);

        let mut headers = HeaderMap::new();
        let (name, value) = accept();
        headers.insert(name, value);
        for (name, value) in &self.headers {
            let header_name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| ConfigError::Header {
                    name: name.clone(),
                    reason: "not a valid header name",
                })?;
            let header_value = HeaderValue::from_str(value).map_err(|_| ConfigError::Header {
                name: name.clone(),
                reason: "the value holds characters a header cannot",
            })?;
            headers.append(header_name, header_value);
        }
        if self.if_match_wildcard {
            headers.insert(IF_MATCH, HeaderValue::from_static("*"));
        }
        let content_type =
            HeaderValue::from_str(&self.content_type).map_err(|_| ConfigError::Header {
                name: "Content-Type".into(),
                reason: "the value holds characters a header cannot",
            })?;
        let token = match &self.auth {
            Auth::OAuthClientCredentials(oauth) => {
                Url::parse(&oauth.token_url).map_err(|err| ConfigError::Url {
                    url: oauth.token_url.clone(),
                    reason: err.to_string(),
                })?;
                Some(TokenCache::new(oauth.clone()))
            }
            _ => None,
        };
        Ok(Inner {
            http,
            clock,
            root,
            dialect: self.dialect,
            auth: self.auth,
            token,
            retry: self.retry,
            pace: self.pace,
            headers,
            content_type,
            page_size: self.page_size.max(1),
            bulk_max_operations: self.bulk_max_operations.max(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use sapland_core::system::{Secrets, resolve};

    use super::*;

    fn system(properties: &str) -> ResolvedSystem {
        let export = format!(
            r#"{{"connectorTypeString": "SAP_CLOUD_IDENTITY", "accessMode": "WRITE",
                "name": "IAS Target", "properties": {{{properties}}}}}"#
        );
        let secrets = Secrets::from_toml(
            "[\"IAS Target\"]\nPassword = \"client-secret-1\"\n\
             ClientCertificate = \"agent.pem\"\nClientCertificateKey = \"agent-key.pem\"",
        )
        .unwrap();
        resolve(&export, &secrets, |_| None).unwrap()
    }

    /// [DOC] §2.8: the IPS properties of an IAS target map onto the client.
    #[test]
    fn ips_properties_of_an_ias_v2_target() {
        let system = system(
            r#""URL": "https://t.accounts.ondemand.com", "ias.api.version": "2",
               "Authentication": "BasicAuthentication", "User": "2a7d9e4c",
               "OAuth2TokenServiceURL": "https://t.accounts.ondemand.com/oauth2/token",
               "AuthType": "Form", "TrustAll": "true",
               "ips.http.header.X-Correlation": "abc",
               "ias.content.type": "application/json",
               "ias.include.if.match.wildcard.header": "true",
               "ias.bulk.operations.max.count": "150",
               "ips.failed.request.retry.attempts": "3",
               "ips.failed.request.retry.attempts.interval": "60""#,
        );
        let config = ClientConfig::from_system(&system, HttpsOptions::default()).unwrap();
        assert_eq!(config.dialect, Dialect::IasV2);
        let Auth::OAuthClientCredentials(oauth) = &config.auth else {
            panic!("{:?}", config.auth)
        };
        assert_eq!(oauth.client_id, "2a7d9e4c");
        assert_eq!(oauth.style, TokenRequestStyle::FormFields);
        assert_eq!(
            oauth.credential,
            OAuthCredential::Secret(sapland_core::scim::Secret::new("client-secret-1"))
        );
        assert!(config.https.trust_all);
        assert_eq!(
            config.headers,
            [("X-Correlation".to_string(), "abc".to_string())]
        );
        assert_eq!(config.content_type, "application/json");
        assert!(config.if_match_wildcard);
        assert_eq!(config.bulk_max_operations, 20, "values above 100 become 20");
        assert_eq!(
            config.retry,
            RetryPolicy::new(3, std::time::Duration::from_secs(60))
        );
        assert!(config.pace.is_some());
        assert!(!format!("{config:?}").contains("client-secret-1"));
    }

    /// [DOC] §2.8: without `ias.api.version` an IAS system is v1; Basic without a token URL;
    /// certificate authentication without a token URL is mTLS alone.
    #[test]
    fn v1_basic_and_certificate_systems() {
        let basic = system(
            r#""URL": "https://t.accounts.ondemand.com", "Authentication": "BasicAuthentication",
               "User": "T000001""#,
        );
        let config = ClientConfig::from_system(&basic, HttpsOptions::default()).unwrap();
        assert_eq!(config.dialect, Dialect::IasV1);
        assert!(matches!(config.auth, Auth::Basic { ref user, .. } if user == "T000001"));
        let certificate = system(
            r#""URL": "https://t.accounts.ondemand.com", "ias.api.version": "2",
               "Authentication": "ClientCertificateAuthentication""#,
        );
        let config = ClientConfig::from_system(&certificate, HttpsOptions::default()).unwrap();
        assert_eq!(config.auth, Auth::ClientCertificate);
        assert!(config.check_identity().is_err(), "no certificate given");
    }
}
