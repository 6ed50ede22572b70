//! SCIM responses: `application/scim+json`, errors in the SCIM error schema, request checks.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sapland_core::scim::{ScimError, ScimType};
use serde_json::Value;

use crate::directory::scim_error;

/// The media type of SCIM.
pub(super) const SCIM_JSON: &str = "application/scim+json";

/// A SCIM JSON answer.
pub(super) fn scim_json(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, SCIM_JSON)],
        body.to_string(),
    )
        .into_response()
}

/// A SCIM error answer with the status it names.
pub fn error_response(error: &ScimError) -> Response {
    let status = error
        .status_code()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_value(error).unwrap_or(Value::Null);
    scim_json(status, &body)
}

/// A resource answer with `ETag` (the quoted `meta.version`) and `Location` ([REC] §3.4).
pub(super) fn resource(status: StatusCode, body: &Value) -> Response {
    let mut response = scim_json(status, body);
    let meta = body.get("meta");
    if let Some(version) = meta.and_then(|m| m.get("version")).and_then(Value::as_str)
        && let Ok(value) = HeaderValue::from_str(&format!("\"{version}\""))
    {
        response.headers_mut().insert(header::ETAG, value);
    }
    if let Some(location) = meta.and_then(|m| m.get("location")).and_then(Value::as_str)
        && let Ok(value) = HeaderValue::from_str(location)
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// A 200 resource answer from JSON text already written, with `ETag` and `Location`.
pub(super) fn resource_text(text: axum::body::Bytes, version: &str, location: &str) -> Response {
    let mut response = (StatusCode::OK, [(header::CONTENT_TYPE, SCIM_JSON)], text).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Reads a JSON request body: the content type must be SCIM or plain JSON (415 otherwise), and
/// the body valid JSON (400 `invalidSyntax` with the position otherwise).
pub(super) fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<Value, ScimError> {
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
    if media != SCIM_JSON && media != "application/json" {
        return Err(scim_error(
            415,
            None,
            format!("Unsupported Media Type {content_type:?}: send application/scim+json"),
        ));
    }
    sapland_core::json::from_str(&String::from_utf8_lossy(body)).map_err(|err| {
        scim_error(
            400,
            Some(ScimType::InvalidSyntax),
            format!("The request body is not valid JSON: {err}"),
        )
    })
}

/// 404 for paths the mock does not serve.
pub(super) async fn not_found() -> Response {
    error_response(&scim_error(404, None, "Not Found"))
}

/// `POST …/.search` (RFC 7644 §3.4.3) is optional and IAS documents none: 501, as RFC 7644
/// §3.12 prescribes for an operation the service provider does not support (`proposed`).
pub(super) async fn search_not_supported() -> Response {
    error_response(&scim_error(
        501,
        None,
        "Not Implemented: POST /.search is not supported; use GET with filter",
    ))
}
