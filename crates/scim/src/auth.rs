//! How the client authenticates, as IPS's connection properties say ([DOC]
//! `reference/ips-ias.md` §2.8, §3.2): `BasicAuthentication` with the technical user's client
//! id and secret (`User`, `Password`); OAuth client credentials from the tenant's
//! `/oauth2/token` (`OAuth2TokenServiceURL`, with `AuthType` `Basic` or `Form`) with a secret
//! or a client certificate; or `ClientCertificateAuthentication` (mTLS, the certificate in
//! the HTTPS options). Secrets are [`Secret`]s: `Debug` and `Display` print `****`.

use sapland_core::scim::Secret;

/// The credentials of SCIM requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header (IPS `NoAuthentication`).
    None,
    /// HTTP Basic (IPS `BasicAuthentication`; for IAS the technical user's client id and
    /// secret).
    Basic {
        /// The user (client id).
        user: String,
        /// The password (client secret).
        password: Secret,
    },
    /// A bearer token from an OAuth 2.0 client-credentials grant (RFC 6749 §4.4).
    OAuthClientCredentials(OAuth),
    /// The client certificate of the HTTPS options authenticates (IPS
    /// `ClientCertificateAuthentication`); no `Authorization` header.
    ClientCertificate,
}

/// An OAuth client-credentials client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth {
    /// The token endpoint (`OAuth2TokenServiceURL`), such as `https://<tenant>/oauth2/token`.
    pub token_url: String,
    /// The client id.
    pub client_id: String,
    /// How the client proves who it is.
    pub credential: OAuthCredential,
    /// How a secret is sent (IPS `AuthType`).
    pub style: TokenRequestStyle,
    /// The scope to ask for (`OAuth2TokenScope`), if any.
    pub scope: Option<String>,
}

/// What authenticates the client at the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthCredential {
    /// A client secret.
    Secret(Secret),
    /// The client certificate of the HTTPS options (mTLS); `client_id` goes in the form.
    ClientCertificate,
}

/// How a client secret travels to the token endpoint (IPS `AuthType`, [DOC] §2.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenRequestStyle {
    /// `Authorization: Basic` with client id and secret (`AuthType=Basic`, IPS's default).
    #[default]
    BasicHeader,
    /// `client_id` and `client_secret` form fields (`AuthType=Form`; SAP's Terraform provider
    /// does this, §3.2).
    FormFields,
}

impl TokenRequestStyle {
    /// Reads IPS's `AuthType` (`Basic` or `Form`, case-insensitive).
    pub fn from_auth_type(value: &str) -> Option<Self> {
        if value.eq_ignore_ascii_case("basic") {
            Some(Self::BasicHeader)
        } else if value.eq_ignore_ascii_case("form") {
            Some(Self::FormFields)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug() {
        let auth = Auth::OAuthClientCredentials(OAuth {
            token_url: "https://t/oauth2/token".into(),
            client_id: "client".into(),
            credential: OAuthCredential::Secret(Secret::new("s3cret-value")),
            style: TokenRequestStyle::FormFields,
            scope: None,
        });
        let basic = Auth::Basic {
            user: "client".into(),
            password: Secret::new("p4ssword"),
        };
        let shown = format!("{auth:?} {basic:?}");
        assert!(
            !shown.contains("s3cret-value") && !shown.contains("p4ssword"),
            "{shown}"
        );
        assert!(shown.contains("****"));
    }
}
