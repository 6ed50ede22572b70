//! Answers: Cloud ALM's non-OData error envelope `{"status", "error", "message"}` (the envelope
//! is **proposed**, reference §2.1; the messages quoted there are SAP's), the OData error body
//! `{"error": {"code", "message", "details"}}`, JSON bodies, and request checks.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::mock::Denied;
use crate::tenant::PushError;

/// An error answer of a REST endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// The message.
    pub message: String,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 428 `A required parameter is missing : <name>` ([OBS] reference §2.1).
    pub fn missing(name: &str) -> Self {
        Self::new(
            StatusCode::PRECONDITION_REQUIRED,
            format!("A required parameter is missing : {name}"),
        )
    }
}

/// The REST error envelope for a status and message.
pub fn error_body(status: u16, message: &str) -> Value {
    let name = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("ERROR")
        .to_ascii_uppercase()
        .replace([' ', '-'], "_");
    json!({ "status": status, "error": name, "message": message })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json_response(
            self.status,
            &error_body(self.status.as_u16(), &self.message),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::Unauthorized(message) => Self::new(StatusCode::UNAUTHORIZED, message),
            Denied::Forbidden(message) => Self::new(StatusCode::FORBIDDEN, message),
        }
    }
}

impl From<PushError> for ApiError {
    fn from(error: PushError) -> Self {
        match error {
            PushError::Invalid(message) => Self::bad_request(message),
            PushError::UnknownService(message) => Self::new(StatusCode::NOT_FOUND, message),
        }
    }
}

/// An error answer of an OData endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ODataError(pub ApiError);

impl From<ApiError> for ODataError {
    fn from(error: ApiError) -> Self {
        Self(error)
    }
}

impl From<Denied> for ODataError {
    fn from(denied: Denied) -> Self {
        Self(denied.into())
    }
}

impl IntoResponse for ODataError {
    fn into_response(self) -> Response {
        let ApiError { status, message } = self.0;
        let body = json!({ "error": { "code": status.as_u16().to_string(), "message": message, "details": [] } });
        let mut response = json_response(status, &body);
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A JSON answer.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Reads a JSON request body: `Content-Type: application/json` (415 otherwise, naming `what`
/// the endpoint takes) and valid JSON (400 with line, column and path otherwise).
pub fn json_body(headers: &HeaderMap, body: &Bytes, what: &str) -> Result<Value, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media != "application/json" && !media.ends_with("+json") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Unsupported Media Type {content_type:?}: send {what} with Content-Type: application/json"
            ),
        ));
    }
    sapland_core::json::from_str(&String::from_utf8_lossy(body))
        .map_err(|err| ApiError::bad_request(format!("The request body is not valid JSON: {err}")))
}

/// The `Authorization` header, if any.
pub fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

/// 404 for paths the mock does not serve.
pub async fn not_found(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("No endpoint {method} {}", uri.path()),
    )
    .into_response()
}
