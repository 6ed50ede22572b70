//! One API exchange: the bearer token, the single retry after a 401 with a fresh token, and
//! reading error answers. No other retries: the caller decides.

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use sapland_core::scim::Secret;
use sapland_outbound::https::TransportError;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, ErrorKind, MissingScope, read_error_body};
use crate::query::Query;

/// A request to make.
pub(crate) struct Call {
    pub(crate) method: Method,
    /// The path below the API root, segments already encoded (`/api/…`).
    pub(crate) path: String,
    pub(crate) query: Query,
    /// A JSON body.
    pub(crate) body: Option<Vec<u8>>,
    /// The scope the endpoint needs (for the 403 message).
    pub(crate) scope: &'static str,
}

impl Call {
    /// A call without body or query.
    pub(crate) fn new(method: Method, path: impl Into<String>, scope: &'static str) -> Self {
        Self {
            method,
            path: path.into(),
            query: Query::new(),
            body: None,
            scope,
        }
    }

    /// This call with `query`.
    pub(crate) fn query(mut self, query: Query) -> Self {
        self.query = query;
        self
    }

    /// This call with `body` as JSON.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Self {
        // Serializing sapland's own types to a vector cannot fail (string keys only).
        self.body = serde_json::to_vec(body).ok();
        self
    }
}

/// A successful answer.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    /// The URL without query, for errors about the answer.
    pub(crate) url: String,
    pub(crate) method: Method,
}

impl Answer {
    /// The body as JSON of type `T`; an empty body reads as `{}`.
    pub(crate) fn json<T: DeserializeOwned>(&self, what: &str) -> Result<T, Error> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &self.body
        };
        serde_json::from_slice(body).map_err(|err| self.invalid(format!("{what}: {err}")))
    }

    /// The body as OTLP JSON, refusing protobuf (the raw data APIs are asked for
    /// `format=protobuf-json`; their default is `application/x-protobuf`, §2.8).
    pub(crate) fn otlp_json<T: DeserializeOwned>(&self, what: &str) -> Result<T, Error> {
        let content_type = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        if content_type.contains("protobuf") {
            return Err(self.invalid(format!(
                "{what}: the server answered {content_type} although format=protobuf-json was \
                 asked"
            )));
        }
        self.json(what)
    }

    /// An error about this answer.
    pub(crate) fn invalid(&self, reason: String) -> Error {
        Error {
            kind: Box::new(ErrorKind::InvalidResponse {
                status: self.status,
                reason,
            }),
            method: self.method.to_string(),
            url: self.url.clone(),
        }
    }

    /// Whether a page of `count` items, read with `limit` and ending at `offset`, is the last:
    /// a short page, or `x-total-count` reached.
    pub(crate) fn is_last_page(&self, count: u64, limit: u32, offset: u64) -> bool {
        count != u64::from(limit) || self.total_count().is_some_and(|total| offset >= total)
    }

    /// The `x-total-count` header as a number.
    pub(crate) fn total_count(&self) -> Option<u64> {
        self.headers
            .get("x-total-count")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse().ok())
    }
}

impl Client {
    /// Sends `call`; on a 401, once more with a fresh token.
    pub(crate) async fn send(&self, call: &Call) -> Result<Answer, Error> {
        let fail = |url: &str, kind| Error {
            kind: Box::new(kind),
            method: call.method.to_string(),
            url: url.to_string(),
        };
        let base = format!("{}{}", self.inner.root, call.path);
        let Some(mut url) = self.url(&call.path) else {
            return Err(fail(
                &base,
                ErrorKind::InvalidRequest {
                    reason: "the request URL is not valid".into(),
                },
            ));
        };
        url.set_query(call.query.encode().as_deref());
        let shown = {
            let mut shown = url.clone();
            shown.set_query(None);
            shown.to_string()
        };
        let mut refreshed = false;
        loop {
            let token = self.inner.tokens.token().await?;
            let mut request = self
                .inner
                .http
                .request(call.method.clone(), url.clone())
                .header(ACCEPT, "application/json")
                .header(AUTHORIZATION, bearer(token.secret()));
            if let Some(body) = &call.body {
                request = request
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            let transport = |err: reqwest::Error| {
                fail(
                    &shown,
                    ErrorKind::Transport(TransportError::from_reqwest(&err)),
                )
            };
            let response = request.send().await.map_err(transport)?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(transport)?.to_vec();
            if status.is_success() {
                return Ok(Answer {
                    status: status.as_u16(),
                    headers,
                    body,
                    url: shown,
                    method: call.method.clone(),
                });
            }
            if status == StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                self.inner.tokens.invalidate(token.secret()).await;
                continue;
            }
            let (code, message) = read_error_body(status, &body);
            let scope = (status == StatusCode::FORBIDDEN)
                .then(|| match token.grants(call.scope) {
                    Some(true) => None,
                    Some(false) => Some(MissingScope {
                        scope: call.scope,
                        known_missing: true,
                    }),
                    None => Some(MissingScope {
                        scope: call.scope,
                        known_missing: false,
                    }),
                })
                .flatten();
            return Err(fail(
                &shown,
                ErrorKind::Status {
                    status: status.as_u16(),
                    code,
                    message,
                    scope,
                },
            ));
        }
    }
}

fn bearer(token: &Secret) -> HeaderValue {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid"));
    value.set_sensitive(true);
    value
}
