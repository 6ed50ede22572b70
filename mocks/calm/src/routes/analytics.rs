//! `GET /api/calm-analytics/v1/odata/v4/analytics/DataSet` (reference §2.6): OData v4 with
//! `$filter`, `$select`, `$count`, `$top`, `$skip`; `$orderby` is accepted and ignored (3P).
//! Errors use the OData error body.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value};

use super::params::Params;
use super::respond::{ApiError, ODataError, authorization, json_response};
use crate::mock::CalmMock;
use crate::scopes::Scope;

pub(crate) async fn dataset(
    State(mock): State<Arc<CalmMock>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ODataError> {
    mock.authorize(authorization(&headers), Scope::AnalyticsRead)?;
    let params = Params::new(uri.query());
    let filter = params.non_empty("$filter").ok_or_else(|| {
        ApiError::bad_request(
            "The DataSet needs $filter=provider eq '<provider>' (and resolution, period, query)",
        )
    })?;
    let top = params.count("$top")?;
    let skip = params.count("$skip")?.unwrap_or(0);
    let count = match params.non_empty("$count") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Invalid $count {other:?}: expected true or false"
            ))
            .into());
        }
    };
    let select: Option<Vec<&str>> = params
        .non_empty("$select")
        .map(|text| text.split(',').map(str::trim).collect());
    let now = mock.clock().now();
    let rows = {
        let tenant = mock.tenant();
        crate::analytics::dataset(&tenant, &mock.config().ratings, filter, now)
            .map_err(ApiError::bad_request)?
    };
    let total = rows.len();
    let value: Vec<Value> = rows
        .into_iter()
        .skip(skip)
        .take(top.unwrap_or(usize::MAX))
        .map(|row| match (&select, row) {
            (Some(columns), Value::Object(map)) => Value::Object(
                map.into_iter()
                    .filter(|(name, _)| columns.contains(&name.as_str()))
                    .collect(),
            ),
            (_, row) => row,
        })
        .collect();
    let mut body = Map::new();
    body.insert("@odata.context".into(), "$metadata#DataSet".into());
    if count {
        body.insert("@odata.count".into(), total.into());
    }
    body.insert("value".into(), Value::Array(value));
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}
