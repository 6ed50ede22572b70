//! `POST /api/calm-csa/v1/stores?serviceId=<lmsId>` (**proposed**, reference §2.10): a snapshot
//! of configuration stores; 201 with, per store, its item count and the changes against the
//! previous snapshot.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use super::params::Params;
use super::respond::{ApiError, authorization, json_body, json_response};
use crate::mock::CalmMock;
use crate::scopes::Scope;

pub(crate) async fn push(
    State(mock): State<Arc<CalmMock>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    mock.authorize(authorization(&headers), Scope::CsaWrite)?;
    let params = Params::new(uri.query());
    let service_id = params.required("serviceId")?;
    let body = json_body(&headers, &body, "the stores")?;
    let now = mock.clock().now();
    let stores = mock.tenant_mut().push_csa(service_id, &body, now)?;
    Ok(json_response(
        StatusCode::CREATED,
        &json!({ "serviceId": service_id, "stores": stores }),
    ))
}
