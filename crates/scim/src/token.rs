//! OAuth client-credentials tokens for SCIM requests ([DOC] `reference/ips-ias.md` §3.2:
//! `POST <tenant>/oauth2/token`, `grant_type=client_credentials`, answer
//! `{"access_token", "token_type": "Bearer", "expires_in": 3600}`).
//!
//! A token is kept until shortly before it expires on the [`Clock`] — [`REFRESH_MARGIN`]
//! before, or half its lifetime for tokens shorter than two margins (**proposed**) — and
//! concurrent requests share one token request. A SCIM answer 401 drops the token it was sent
//! with, and the request is sent once more with a fresh one.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::StatusCode;
use sapland_core::scim::Secret;
use sapland_outbound::clock::Clock;
use sapland_outbound::https::TransportError;
pub use sapland_outbound::refresh::{REFRESH_MARGIN, refresh_time};
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::auth::{OAuth, OAuthCredential, TokenRequestStyle};
use crate::error::{Error, ErrorKind};
use crate::retry::RetryPolicy;

/// The token of one OAuth client, cached.
#[derive(Debug)]
pub(crate) struct TokenCache {
    oauth: OAuth,
    cached: Mutex<Option<Cached>>,
}

#[derive(Debug, Clone)]
struct Cached {
    token: Secret,
    refresh_at: Timestamp,
}

/// The token endpoint's answer.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Secret,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// RFC 6749 §5.2 error answer.
#[derive(Deserialize)]
struct TokenErrorAnswer {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

impl TokenCache {
    pub(crate) fn new(oauth: OAuth) -> Self {
        Self {
            oauth,
            cached: Mutex::new(None),
        }
    }

    /// A valid token: the cached one, or a new one.
    pub(crate) async fn bearer(
        &self,
        http: &reqwest::Client,
        clock: &dyn Clock,
        retry: &RetryPolicy,
    ) -> Result<Secret, Error> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref()
            && clock.now() < token.refresh_at
        {
            return Ok(token.token.clone());
        }
        let fresh = self.request(http, clock, retry).await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Forgets `used` after the service refused it (unless another request already replaced
    /// it).
    pub(crate) async fn invalidate(&self, used: &Secret) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|c| &c.token == used) {
            *cached = None;
        }
    }

    async fn request(
        &self,
        http: &reqwest::Client,
        clock: &dyn Clock,
        retry: &RetryPolicy,
    ) -> Result<Cached, Error> {
        let path = reqwest::Url::parse(&self.oauth.token_url)
            .map(|url| url.path().to_string())
            .unwrap_or_else(|_| self.oauth.token_url.clone());
        let fail = |kind, attempts| Error {
            kind: Box::new(kind),
            method: "POST".into(),
            path: path.clone(),
            attempts,
        };
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        if let Some(scope) = &self.oauth.scope {
            form.push(("scope", scope));
        }
        let mut tries = 0;
        loop {
            tries += 1;
            let mut request = http.post(&self.oauth.token_url);
            let mut fields = form.clone();
            match (&self.oauth.credential, self.oauth.style) {
                (OAuthCredential::Secret(secret), TokenRequestStyle::BasicHeader) => {
                    request = request.basic_auth(&self.oauth.client_id, Some(secret.expose()));
                }
                (OAuthCredential::Secret(secret), TokenRequestStyle::FormFields) => {
                    fields.push(("client_id", &self.oauth.client_id));
                    fields.push(("client_secret", secret.expose()));
                }
                (OAuthCredential::ClientCertificate, _) => {
                    fields.push(("client_id", &self.oauth.client_id));
                }
            }
            let obtained = clock.now();
            let outcome = request
                .header(reqwest::header::ACCEPT, "application/json")
                .form(&fields)
                .send()
                .await;
            let response = match outcome {
                Ok(response) => response,
                Err(err) => {
                    let transport = TransportError::from_reqwest(&err);
                    if transport.is_timeout()
                        && let Some(wait) = retry.after_failure(tries, None, None, clock.now())
                    {
                        clock.sleep(wait).await;
                        continue;
                    }
                    return Err(fail(
                        ErrorKind::Token {
                            status: None,
                            reason: transport.to_string(),
                        },
                        tries,
                    ));
                }
            };
            let status = response.status();
            if !status.is_success() {
                if let Some(wait) = retry.after_failure(
                    tries,
                    Some(status.as_u16()),
                    Some(response.headers()),
                    clock.now(),
                ) {
                    clock.sleep(wait).await;
                    continue;
                }
                let body = response.text().await.unwrap_or_default();
                return Err(fail(
                    ErrorKind::Token {
                        status: Some(status.as_u16()),
                        reason: token_error_text(status, &body),
                    },
                    tries,
                ));
            }
            let body = response.bytes().await.map_err(|err| {
                fail(
                    ErrorKind::Token {
                        status: Some(status.as_u16()),
                        reason: TransportError::from_reqwest(&err).to_string(),
                    },
                    tries,
                )
            })?;
            let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|err| {
                fail(
                    ErrorKind::Token {
                        status: Some(status.as_u16()),
                        reason: format!(
                            "the answer is not a token response: {}",
                            err.classify_text()
                        ),
                    },
                    tries,
                )
            })?;
            let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(3600));
            return Ok(Cached {
                token: answer.access_token,
                refresh_at: refresh_time(obtained, lifetime),
            });
        }
    }
}

/// The error code and description of a token endpoint's answer, never its raw body beyond
/// them (a misbehaving endpoint could echo the request).
fn token_error_text(status: StatusCode, body: &str) -> String {
    match serde_json::from_str::<TokenErrorAnswer>(body) {
        Ok(answer) => match answer.error_description {
            Some(description) => format!("{}: {description}", answer.error),
            None => answer.error,
        },
        Err(_) => status
            .canonical_reason()
            .unwrap_or("unexpected answer")
            .to_string(),
    }
}

/// A serde error's category, without the input it quotes.
trait ClassifyText {
    fn classify_text(&self) -> &'static str;
}

impl ClassifyText for serde_json::Error {
    fn classify_text(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "it could not be read",
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                "it is not JSON"
            }
            serde_json::error::Category::Data => "access_token is missing or not a string",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_errors_keep_code_and_description_only() {
        let text = token_error_text(
            StatusCode::UNAUTHORIZED,
            r#"{"error":"invalid_client","error_description":"client authentication failed"}"#,
        );
        assert_eq!(text, "invalid_client: client authentication failed");
        assert_eq!(
            token_error_text(StatusCode::BAD_GATEWAY, "client_secret=hunter2"),
            "Bad Gateway"
        );
    }
}
