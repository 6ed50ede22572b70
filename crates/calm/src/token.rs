//! OAuth 2.0 client-credentials tokens from XSUAA ([DOC] `reference/cloud-alm.md` §1.4).
//!
//! - A secret key asks `POST {uaa.url}/oauth/token` with `grant_type=client_credentials`,
//!   the client authenticated by an `Authorization: Basic` header (default) or by the form
//!   fields `client_id` and `client_secret` ([`TokenRequestStyle`]).
//! - An X.509 key asks `POST {uaa.certurl}/oauth/token` over mTLS with the key's certificate,
//!   the form carrying `client_id`.
//!
//! A token is kept until [`REFRESH_MARGIN`] before it expires on the [`Clock`] — or half its
//! lifetime for tokens shorter than two margins — (**proposed**, as §6.4 and third-party
//! clients do: XSUAA issues no refresh token for client credentials). Concurrent callers share
//! one token request: the cache is locked while a token is fetched. An API answer 401 drops the
//! token it was sent with, and the call is made once more with a fresh one.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use reqwest::header::ACCEPT;
use sapland_core::scim::Secret;
use sapland_outbound::clock::Clock;
use sapland_outbound::https::TransportError;
pub use sapland_outbound::refresh::{REFRESH_MARGIN, refresh_time};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use tokio::sync::Mutex;

use crate::error::{Error, ErrorKind, one_line};
use crate::scope;

/// The lifetime assumed when a token answer has no `expires_in` (**proposed**; XSUAA sends
/// it).
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// How a client secret travels to the token endpoint (§1.4 variants 1 and 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenRequestStyle {
    /// `Authorization: Basic base64(clientid:clientsecret)` (the default).
    #[default]
    BasicHeader,
    /// Form fields `client_id` and `client_secret` (SAP's Postman sample).
    FormFields,
}

/// An access token and what the token endpoint said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    access_token: Secret,
    token_type: String,
    scopes: Option<Vec<String>>,
    obtained_at: Timestamp,
    expires_at: Timestamp,
    refresh_at: Timestamp,
}

impl Token {
    /// The access token, for the one place that sends it.
    pub fn secret(&self) -> &Secret {
        &self.access_token
    }

    /// `token_type` (`bearer`).
    pub fn token_type(&self) -> &str {
        &self.token_type
    }

    /// The scopes of the answer's `scope` (space separated); `None` when it had none.
    pub fn scopes(&self) -> Option<&[String]> {
        self.scopes.as_deref()
    }

    /// Whether the token grants `wanted` (full or short form, [`scope::grants`]); `None` when
    /// the answer listed no scopes.
    pub fn grants(&self, wanted: &str) -> Option<bool> {
        self.scopes
            .as_ref()
            .map(|scopes| scopes.iter().any(|granted| scope::grants(granted, wanted)))
    }

    /// When the token was obtained, on the clock.
    pub fn obtained_at(&self) -> Timestamp {
        self.obtained_at
    }

    /// When it expires: obtained + `expires_in`.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// When the provider replaces it.
    pub fn refresh_at(&self) -> Timestamp {
        self.refresh_at
    }
}

/// What authenticates the client at the token endpoint.
#[derive(Debug, Clone)]
pub(crate) enum TokenCredential {
    /// A client secret.
    Secret(Secret, TokenRequestStyle),
    /// The client certificate of the HTTPS client (mTLS).
    Certificate,
}

/// The tokens of one service key, cached on the clock.
#[derive(Debug)]
pub struct TokenProvider {
    http: reqwest::Client,
    token_url: String,
    client_id: String,
    credential: TokenCredential,
    clock: Arc<dyn Clock>,
    cached: Mutex<Option<Token>>,
}

/// The token endpoint's answer.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Secret,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default, deserialize_with = "seconds")]
    expires_in: Option<u64>,
    #[serde(default)]
    scope: Option<String>,
}

/// `expires_in` as a number or, as some servers send it, a string of digits.
fn seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(u64),
        Text(String),
    }
    match Option::<Seconds>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Seconds::Number(n)) => Ok(Some(n)),
        Some(Seconds::Text(text)) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom("expires_in is not a number of seconds")),
    }
}

/// RFC 6749 §5.2 error answer.
#[derive(Deserialize)]
struct TokenErrorAnswer {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

impl TokenProvider {
    /// A provider asking `token_url` with `http` (which must present the client certificate
    /// for [`TokenCredential::Certificate`]).
    pub(crate) fn new(
        http: reqwest::Client,
        token_url: String,
        client_id: String,
        credential: TokenCredential,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            http,
            token_url,
            client_id,
            credential,
            clock,
            cached: Mutex::new(None),
        }
    }

    /// The token URL.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// A valid token: the cached one, or a new one. Callers waiting meanwhile get the same.
    pub async fn token(&self) -> Result<Token, Error> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref()
            && self.clock.now() < token.refresh_at
        {
            return Ok(token.clone());
        }
        let fresh = self.request().await?;
        *cached = Some(fresh.clone());
        Ok(fresh)
    }

    /// Forgets `used` after an API refused it, unless another caller already replaced it.
    pub async fn invalidate(&self, used: &Secret) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|c| &c.access_token == used) {
            *cached = None;
        }
    }

    async fn request(&self) -> Result<Token, Error> {
        let url = self
            .token_url
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_string();
        let fail = |status, reason| Error {
            kind: Box::new(ErrorKind::Token { status, reason }),
            method: "POST".into(),
            url: url.clone(),
        };
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        let mut request = self.http.post(&self.token_url);
        match &self.credential {
            TokenCredential::Secret(secret, TokenRequestStyle::BasicHeader) => {
                request = request.basic_auth(&self.client_id, Some(secret.expose()));
            }
            TokenCredential::Secret(secret, TokenRequestStyle::FormFields) => {
                form.push(("client_id", &self.client_id));
                form.push(("client_secret", secret.expose()));
            }
            TokenCredential::Certificate => form.push(("client_id", &self.client_id)),
        }
        let obtained = self.clock.now();
        let response = request
            .header(ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|err| fail(None, TransportError::from_reqwest(&err).to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|err| fail(None, TransportError::from_reqwest(&err).to_string()))?;
        if !status.is_success() {
            return Err(fail(Some(status.as_u16()), token_error_text(status, &body)));
        }
        let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|err| {
            fail(
                Some(status.as_u16()),
                format!("the answer is not a token response: {}", classify(&err)),
            )
        })?;
        let lifetime = answer
            .expires_in
            .map_or(DEFAULT_LIFETIME, Duration::from_secs);
        let scopes = answer.scope.map(|scope| {
            scope
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        });
        Ok(Token {
            access_token: answer.access_token,
            token_type: answer.token_type.unwrap_or_else(|| "bearer".into()),
            scopes,
            obtained_at: obtained,
            expires_at: SignedDuration::try_from(lifetime)
                .ok()
                .and_then(|lifetime| obtained.checked_add(lifetime).ok())
                .unwrap_or(Timestamp::MAX),
            refresh_at: refresh_time(obtained, lifetime),
        })
    }
}

/// The error code and description of a token endpoint's answer, never its raw body beyond
/// them (a misbehaving endpoint could echo the request, secret included).
fn token_error_text(status: StatusCode, body: &[u8]) -> String {
    match serde_json::from_slice::<TokenErrorAnswer>(body) {
        Ok(answer) => match answer.error_description {
            Some(description) => one_line(&format!("{}: {description}", answer.error)),
            None => one_line(&answer.error),
        },
        Err(_) => status
            .canonical_reason()
            .unwrap_or("unexpected answer")
            .to_string(),
    }
}

/// A serde error's category, without the input it quotes.
fn classify(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Io => "it could not be read",
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "it is not JSON",
        serde_json::error::Category::Data => {
            "access_token is missing or not a string, or expires_in is not a number"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_errors_keep_code_and_description_only() {
        assert_eq!(
            token_error_text(
                StatusCode::UNAUTHORIZED,
                br#"{"error":"invalid_client","error_description":"Bad credentials"}"#,
            ),
            "invalid_client: Bad credentials"
        );
        assert_eq!(
            token_error_text(StatusCode::BAD_GATEWAY, b"client_secret=hunter2"),
            "Bad Gateway"
        );
    }

    /// A third-party fixture (§1.4) sends `expires_in` as a string.
    #[test]
    fn expires_in_may_be_a_string() {
        let answer: TokenAnswer = serde_json::from_str(
            r#"{"access_token":"t","token_type":"Bearer","expires_in":"3600","scope":"calm-api.features.read","jti":"j"}"#,
        )
        .unwrap();
        assert_eq!(answer.expires_in, Some(3600));
        assert_eq!(answer.scope.as_deref(), Some("calm-api.features.read"));
    }
}
