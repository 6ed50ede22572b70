//! Landscape Management: `POST …/landscape-management/v1/Registration` (path [DOC], body and
//! answer **proposed**), `DELETE …/Registration/{lmsId}` and `POST …/Heartbeat` (**proposed**),
//! and `GET …/calm-landscape/v1/landscapeObjects` (3P, reference §2.4).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::params::Params;
use super::respond::{ApiError, authorization, json_body, json_response};
use crate::landscape::LandscapeError;
use crate::mock::CalmMock;
use crate::scopes::Scope;

/// The list filters of `GET landscapeObjects`.
const FILTERS: [&str; 9] = [
    "name",
    "systemNumber",
    "objectType",
    "source",
    "lmsId",
    "serviceType",
    "role",
    "externalId",
    "deploymentModel",
];

impl From<LandscapeError> for ApiError {
    fn from(error: LandscapeError) -> Self {
        match error {
            LandscapeError::Invalid(message) => ApiError::bad_request(message),
            LandscapeError::NotFound(message) => ApiError::new(StatusCode::NOT_FOUND, message),
            LandscapeError::Conflict(message) => ApiError::new(StatusCode::CONFLICT, message),
        }
    }
}

pub(crate) async fn register(
    State(mock): State<Arc<CalmMock>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    mock.authorize(authorization(&headers), Scope::LandscapeWrite)?;
    let body = json_body(&headers, &body, "the registration")?;
    let now = mock.clock().now();
    let lms_id = mock
        .tenant_mut()
        .landscape
        .register(&body, mock.config().seed, now)?;
    Ok(json_response(
        StatusCode::CREATED,
        &json!({ "lmsId": lms_id, "status": "Registered" }),
    ))
}

pub(crate) async fn unregister(
    State(mock): State<Arc<CalmMock>>,
    headers: HeaderMap,
    Path(lms_id): Path<String>,
) -> Result<Response, ApiError> {
    mock.authorize(authorization(&headers), Scope::LandscapeWrite)?;
    let now = mock.clock().now();
    mock.tenant_mut().landscape.unregister(&lms_id, now)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn heartbeat(
    State(mock): State<Arc<CalmMock>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    mock.authorize(authorization(&headers), Scope::LandscapeWrite)?;
    let body = json_body(&headers, &body, "the heartbeat")?;
    let now = mock.clock().now();
    mock.tenant_mut().landscape.heartbeat(&body, now)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn list(
    State(mock): State<Arc<CalmMock>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    mock.authorize(authorization(&headers), Scope::LandscapeRead)?;
    let params = Params::new(uri.query());
    let limit = params.count("limit")?;
    let offset = params.count("offset")?.unwrap_or(0);
    let filters: Vec<(&str, &str)> = params
        .pairs()
        .iter()
        .filter(|(name, _)| FILTERS.contains(&name.as_str()))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let tenant = mock.tenant();
    let matching = tenant.landscape.filtered(&filters);
    let total = matching.len();
    let page: Vec<Value> = matching
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|object| object.wire_json())
        .collect();
    let mut response = json_response(StatusCode::OK, &Value::Array(page));
    response
        .headers_mut()
        .insert("x-total-count", HeaderValue::from(total));
    Ok(response)
}
