//! `/api/calm-logs/v1/logs` (reference §2.8). `POST` takes OTLP JSON logs for a service
//! (`useCase=JAM|EXM|IM|HM&serviceId=<lmsId>`, **proposed**; a JAM push records job executions).
//! `GET` answers the records of a provider with the quirks observed on live tenants ([OBS]):
//!
//! - `provider` is required (400);
//! - `serviceId` is required as a plain parameter; the bracket form `logsFilters[serviceId]`
//!   does not count: 428 `A required parameter is missing : serviceId`;
//! - `period` is `<n>M` minutes, at most 60: more answers 400 `Time interval > 60 mins`;
//! - `from`/`to` are `YYYYMMDDHHmmss`: another format answers 400
//!   `From is not of format YYYYMMDDHHmmss`;
//! - `limit`/`offset` are honoured only with `onLimit=truncate` (any letter case); without it,
//!   more matching records than the page limit answer 403 `Response total count is over the
//!   limit`;
//! - `format=protobuf-json` answers JSON (`{}` for an empty window); the default protobuf.
//!
//! **Proposed:** without `period`, `from` and `to` the window is the last 60 minutes; `from`/`to`
//! spanning more than 60 minutes also answer `Time interval > 60 mins`; `observedTimestamp=true`
//! windows by `observedTimeUnixNano`; `version` must be `V1` when given.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::format::Format;
use super::params::Params;
use super::respond::{ApiError, authorization, json_body, json_response};
use crate::mock::CalmMock;
use crate::otlp::{logs as otlp, protobuf};
use crate::period::Window;
use crate::scopes::Scope;
use crate::tenant::{StoredRecord, UseCase};

/// The longest window a logs read takes, in minutes ([OBS]).
const MAX_MINUTES: i64 = 60;

pub(crate) async fn push(
    State(mock): State<Arc<CalmMock>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    mock.authorize(authorization(&headers), Scope::LogsWrite)?;
    let params = Params::new(uri.query());
    let use_case_text = params.required("useCase")?;
    let use_case = UseCase::parse(use_case_text).ok_or_else(|| {
        ApiError::bad_request(format!(
            "Invalid useCase {use_case_text}: expected JAM, EXM, IM or HM"
        ))
    })?;
    let service_id = params.required("serviceId")?;
    let document = json_body(&headers, &body, "an OTLP JSON ExportLogsServiceRequest")?;
    let now = mock.clock().now();
    mock.tenant_mut()
        .push_logs(service_id, use_case, &document, now)?;
    Ok(json_response(StatusCode::OK, &json!({})))
}

pub(crate) async fn read(
    State(mock): State<Arc<CalmMock>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    mock.authorize(authorization(&headers), Scope::LogsRead)?;
    let params = Params::new(uri.query());
    let provider = params
        .non_empty("provider")
        .ok_or_else(|| ApiError::bad_request("A required parameter is missing : provider"))?;
    let service_id = params.required("serviceId")?;
    if let Some(version) = params.non_empty("version")
        && !version.eq_ignore_ascii_case("V1")
    {
        return Err(ApiError::bad_request(format!(
            "Unsupported version {version}: expected V1"
        )));
    }
    let now = mock.clock().now();
    let window = window(&params, now)?;
    let format = Format::parse(params.get("format"))?;
    let truncate = params
        .get("onLimit")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("truncate"));
    let page_limit = mock.config().logs_page_limit;
    let observed = params
        .get("observedTimestamp")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let tenant = mock.tenant();
    let use_case = UseCase::of_provider(provider);
    let mut matching: Vec<&StoredRecord> = tenant
        .records
        .iter()
        .filter(|r| Some(r.use_case) == use_case && r.service_id == service_id)
        .filter(|r| window.contains(r.time(observed)))
        .collect();
    matching.sort_by_key(|r| r.time(observed));
    let total = matching.len();
    let page: Vec<&StoredRecord> = if truncate {
        let limit = params.count("limit")?.unwrap_or(page_limit).min(page_limit);
        let offset = params.count("offset")?.unwrap_or(0);
        matching.into_iter().skip(offset).take(limit).collect()
    } else if total > page_limit {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Response total count is over the limit",
        ));
    } else {
        matching
    };
    let document = otlp::request_json(page.iter().map(|r| &r.record));
    Ok(format.answer(&document, page.is_empty(), protobuf::logs_request, total))
}

/// The window of a logs read.
fn window(params: &Params, now: Timestamp) -> Result<Window, ApiError> {
    let too_long = || ApiError::bad_request("Time interval > 60 mins");
    let window = match (params.non_empty("period"), params.window_from_to(now)?) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "Use either period or from and to, not both",
            ));
        }
        (Some(text), None) => {
            let minutes = text
                .trim()
                .strip_suffix('M')
                .and_then(|n| n.parse::<i64>().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "Period {text} is not of format <n>M (minutes, at most 60)"
                    ))
                })?;
            if minutes > MAX_MINUTES {
                return Err(too_long());
            }
            Window {
                from: now
                    .checked_sub(SignedDuration::from_secs(minutes * 60))
                    .unwrap_or(now),
                to: now,
            }
        }
        (None, Some(window)) => window,
        (None, None) => Window {
            from: now
                .checked_sub(SignedDuration::from_secs(MAX_MINUTES * 60))
                .unwrap_or(now),
            to: now,
        },
    };
    if window.to.duration_since(window.from) > SignedDuration::from_secs(MAX_MINUTES * 60) {
        return Err(too_long());
    }
    Ok(window)
}
