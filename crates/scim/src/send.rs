//! One SCIM exchange with everything around it: pacing, credentials, IPS's retries, the
//! one-time token refresh on 401, and the dialect's error reading.

use std::sync::Arc;

use bytes::Bytes;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use sapland_core::scim::{ScimError, Secret};
use sapland_outbound::clock::Clock;
use sapland_outbound::https::TransportError;
use serde_json::Value;

use crate::auth::Auth;
use crate::dialect::Dialect;
use crate::error::{Error, ErrorKind};
use crate::pace::Pace;
use crate::retry::RetryPolicy;
use crate::token::TokenCache;

/// What every clone of a client shares.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) clock: Arc<dyn Clock>,
    /// The SCIM root: the configured URL plus the dialect's base path.
    pub(crate) root: Url,
    pub(crate) dialect: Dialect,
    pub(crate) auth: Auth,
    pub(crate) token: Option<TokenCache>,
    pub(crate) retry: RetryPolicy,
    pub(crate) pace: Option<Pace>,
    /// `ips.http.header.*`, `If-Match: *` and `Accept`.
    pub(crate) headers: HeaderMap,
    pub(crate) content_type: HeaderValue,
    pub(crate) page_size: u32,
    pub(crate) bulk_max_operations: usize,
}

/// A request to make.
pub(crate) struct Call {
    pub(crate) method: Method,
    /// Path segments below the SCIM root, such as `["Users", id]` (encoded when joined).
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Bytes>,
}

/// `value` as a JSON request body.
pub(crate) fn json_body(value: &Value) -> Bytes {
    let mut body = Vec::with_capacity(1024);
    // Writing into a Vec cannot fail, and a `Value` always serializes (its keys are strings).
    let _ = serde_json::to_writer(&mut body, value);
    Bytes::from(body)
}

/// A successful answer.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

impl Inner {
    pub(crate) fn url(&self, segments: &[String]) -> Url {
        let mut url = self.root.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            for segment in segments {
                path.push(segment);
            }
        }
        url
    }

    /// The error for a request refused before it was sent.
    pub(crate) fn refuse(&self, method: Method, segments: &[String], reason: String) -> Error {
        Error {
            kind: Box::new(ErrorKind::InvalidRequest { reason }),
            method: method.to_string(),
            path: self.url(segments).path().to_string(),
            attempts: 0,
        }
    }

    /// Sends `call` until it succeeds or fails for good.
    pub(crate) async fn send(&self, call: Call) -> Result<Answer, Error> {
        let url = self.url(&call.segments);
        let fail = |kind, attempts| Error {
            kind: Box::new(kind),
            method: call.method.to_string(),
            path: url.path().to_string(),
            attempts,
        };
        let mut tries = 0u32;
        let mut refreshed = false;
        loop {
            if let Some(pace) = &self.pace {
                pace.wait(self.clock.as_ref()).await;
            }
            let bearer = self.bearer().await?;
            tries += 1;
            let mut request = self
                .http
                .request(call.method.clone(), url.clone())
                .headers(self.headers.clone());
            if !call.query.is_empty() {
                request = request.query(&call.query);
            }
            if let Some(body) = &call.body {
                request = request
                    .header(CONTENT_TYPE, self.content_type.clone())
                    .body(body.clone());
            }
            request = match (&self.auth, &bearer) {
                (_, Some(token)) => request.header(AUTHORIZATION, bearer_value(token)),
                (Auth::Basic { user, password }, None) => {
                    request.basic_auth(user, Some(password.expose()))
                }
                _ => request,
            };
            let failure = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    // Only a failure reads the headers (Retry-After, the error's reason).
                    let headers = if status.is_success() {
                        HeaderMap::new()
                    } else {
                        response.headers().clone()
                    };
                    match response.bytes().await {
                        Ok(body) if status.is_success() => {
                            return Ok(Answer {
                                status: status.as_u16(),
                                body: body.to_vec(),
                            });
                        }
                        Ok(body) => {
                            if status == StatusCode::UNAUTHORIZED
                                && !refreshed
                                && let (Some(cache), Some(token)) = (&self.token, &bearer)
                            {
                                refreshed = true;
                                cache.invalidate(token).await;
                                continue;
                            }
                            let wait = self.retry.after_failure(
                                tries,
                                Some(status.as_u16()),
                                Some(&headers),
                                self.clock.now(),
                            );
                            (status_error(status, &headers, &body), wait)
                        }
                        Err(err) => {
                            transport_failure(&self.retry, tries, &err, self.clock.as_ref())
                        }
                    }
                }
                Err(err) => transport_failure(&self.retry, tries, &err, self.clock.as_ref()),
            };
            match failure {
                (_, Some(wait)) => self.clock.sleep(wait).await,
                (kind, None) => return Err(fail(kind, tries)),
            }
        }
    }

    async fn bearer(&self) -> Result<Option<Secret>, Error> {
        match &self.token {
            Some(cache) => cache
                .bearer(&self.http, self.clock.as_ref(), &self.retry)
                .await
                .map(Some),
            None => Ok(None),
        }
    }
}

fn bearer_value(token: &Secret) -> HeaderValue {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid"));
    value.set_sensitive(true);
    value
}

fn transport_failure(
    retry: &RetryPolicy,
    tries: u32,
    err: &reqwest::Error,
    clock: &dyn Clock,
) -> (ErrorKind, Option<std::time::Duration>) {
    let transport = TransportError::from_reqwest(err);
    let wait = if transport.is_timeout() {
        retry.after_failure(tries, None, None, clock.now())
    } else {
        None
    };
    (ErrorKind::Transport(transport), wait)
}

/// The `Accept` header: SCIM JSON first (RFC 7644 §3.1), plain JSON accepted.
pub(crate) fn accept() -> (reqwest::header::HeaderName, HeaderValue) {
    (
        ACCEPT,
        HeaderValue::from_static("application/scim+json, application/json"),
    )
}

/// Reads an error answer: the SCIM error schema with `status` as a string (IAS v2, generic
/// SCIM; IAS v1's body is undocumented, §7 item 8, and read the same way when it fits), and
/// IAS v1's `X-message-code` header ([DOC] §3.3), kept whichever dialect sends it.
pub(crate) fn status_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ErrorKind {
    let (scim_type, detail) = match serde_json::from_slice::<ScimError>(body) {
        Ok(error) => (error.scim_type, error.detail),
        Err(_) => (None, other_detail(body)),
    };
    let detail = detail.or_else(|| status.canonical_reason().map(str::to_string));
    let message_code = headers
        .get("x-message-code")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if status == StatusCode::NOT_FOUND {
        return ErrorKind::NotFound { detail };
    }
    ErrorKind::Status {
        status: status.as_u16(),
        scim_type,
        detail,
        message_code,
    }
}

/// A detail from a JSON error body that is not in the SCIM schema (`message`, `error`).
fn other_detail(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    ["detail", "message", "error_description", "error"]
        .iter()
        .find_map(|key| value.get(key).and_then(Value::as_str))
        .map(|text| text.chars().take(300).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [REC] §3.4: `{"status":"404","detail":"User <id> not found"}` with `status` a string.
    #[test]
    fn a_scim_404_is_its_own_kind() {
        let body = br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"User 42 not found"}"#;
        let kind = status_error(StatusCode::NOT_FOUND, &HeaderMap::new(), body);
        assert_eq!(
            kind,
            ErrorKind::NotFound {
                detail: Some("User 42 not found".into())
            }
        );
    }

    /// [DOC] §3.3: IAS v1 names the problem in `X-message-code`.
    #[test]
    fn the_v1_message_code_is_kept() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-message-code",
            HeaderValue::from_static("Mismatched group id"),
        );
        let kind = status_error(StatusCode::BAD_REQUEST, &headers, b"");
        assert_eq!(kind.to_string(), "400 (Mismatched group id): Bad Request");
    }

    #[test]
    fn a_body_that_is_not_json_gives_the_reason_phrase() {
        let kind = status_error(
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            b"<html>upstream</html>",
        );
        assert_eq!(kind.to_string(), "502: Bad Gateway");
    }
}
