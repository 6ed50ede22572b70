//! `/api/calm-metrics/v1/metrics` (reference §2.7): `POST` takes OTLP JSON metrics for a service
//! (`useCase=HEALTH_MONITORING&serviceId=<lmsId>`, **proposed**); `GET` answers OTLP metrics of a
//! provider: `hm` the pushed points, `jam` the Job & Automation Monitoring measures per job and
//! bucket, named `<prefix>.<measure>` with the dimensions as attributes (INFERRED naming); other
//! providers have no data in the mock.

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
use crate::jam::aggregate::{self, DIMENSIONS, MEASURES};
use crate::mock::CalmMock;
use crate::otlp::metrics::{self as otlp, DataPoint, Metric, MetricKind, Number};
use crate::otlp::protobuf;
use crate::otlp::value::{AnyValue, KeyValue};
use crate::period::{self, Window};
use crate::scopes::Scope;
use crate::tenant::{SERVICE_ID_ATTRIBUTE, SERVICE_NAME_ATTRIBUTE};

/// The use cases a metrics push takes (**proposed**).
const USE_CASES: [&str; 1] = ["HEALTH_MONITORING"];

/// The most data points one read answers (**proposed**: the page size Redpeaks uses, 3P).
pub(crate) const PAGE_LIMIT: usize = 3000;

pub(crate) async fn push(
    State(mock): State<Arc<CalmMock>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    mock.authorize(authorization(&headers), Scope::MetricsWrite)?;
    let params = Params::new(uri.query());
    let use_case = params.required("useCase")?;
    if !USE_CASES.contains(&use_case) {
        return Err(ApiError::bad_request(format!(
            "Invalid useCase {use_case}: expected HEALTH_MONITORING"
        )));
    }
    let service_id = params.required("serviceId")?;
    let document = json_body(&headers, &body, "an OTLP JSON ExportMetricsServiceRequest")?;
    let now = mock.clock().now();
    mock.tenant_mut()
        .push_metrics(service_id, use_case, &document, now)?;
    Ok(json_response(StatusCode::OK, &json!({})))
}

pub(crate) async fn read(
    State(mock): State<Arc<CalmMock>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    mock.authorize(authorization(&headers), Scope::MetricsRead)?;
    let params = Params::new(uri.query());
    let provider = params
        .non_empty("provider")
        .ok_or_else(|| ApiError::bad_request("A required parameter is missing : provider"))?;
    let now = mock.clock().now();
    let window = window(&params, now)?;
    let format = Format::parse(params.get("format"))?;
    let limit = params.count("limit")?.unwrap_or(PAGE_LIMIT).min(PAGE_LIMIT);
    let offset = params.count("offset")?.unwrap_or(0);
    let service = params.non_empty("serviceId");
    let tenant = mock.tenant();
    let points: Vec<DataPoint> = match provider {
        "hm" => tenant
            .points
            .iter()
            .filter(|p| service.is_none_or(|s| p.service_id == s))
            .filter(|p| window.contains(period::from_nanos(p.point.time_unix_nano)))
            .map(|p| p.point.clone())
            .collect(),
        "jam" => {
            let resolution_text = params.non_empty("resolution").unwrap_or("H");
            let resolution = period::resolution(resolution_text).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Invalid resolution {resolution_text}: expected 5Mi, 15Mi, H, D, W or M"
                ))
            })?;
            let measures = measures(params.non_empty("metrics"))?;
            let prefix = params.non_empty("prefix").unwrap_or("jam");
            let rows = aggregate::aggregate(
                &tenant.executions,
                &mock.config().ratings,
                window,
                resolution,
            );
            let mut points = Vec::new();
            for row in rows {
                let [service_type, service_id, service_name, ..] = &row.dimensions;
                if service.is_some_and(|s| s != service_id) {
                    continue;
                }
                let resource = vec![
                    text(SERVICE_ID_ATTRIBUTE, service_id),
                    text(SERVICE_NAME_ATTRIBUTE, service_name),
                    text("sap.cloudalm.serviceType", service_type),
                ];
                let attributes: Vec<KeyValue> = DIMENSIONS
                    .iter()
                    .zip(&row.dimensions)
                    .map(|(key, value)| text(key, value))
                    .collect();
                for (index, measure) in measures.iter().enumerate() {
                    let Some(value) = row.measures.value(measure) else {
                        continue;
                    };
                    let value = match value.as_u64() {
                        Some(n) => Number::Int(i64::try_from(n).unwrap_or(i64::MAX)),
                        None => Number::Double(value.as_f64().unwrap_or(0.0)),
                    };
                    let unit = if measure.ends_with("unTime") {
                        "s"
                    } else {
                        "1"
                    };
                    points.push((
                        (service_id.clone(), index),
                        DataPoint {
                            resource: resource.clone(),
                            scope: Some(provider.to_string()),
                            metric: Metric {
                                name: format!("{prefix}.{measure}"),
                                unit: unit.into(),
                                description: String::new(),
                                kind: MetricKind::Gauge,
                            },
                            start_time_unix_nano: None,
                            time_unix_nano: period::to_nanos(row.bucket),
                            value,
                            attributes: attributes.clone(),
                        },
                    ));
                }
            }
            points.sort_by(|(a, _), (b, _)| a.cmp(b));
            points.into_iter().map(|(_, point)| point).collect()
        }
        _ => Vec::new(),
    };
    let total = points.len();
    let page: Vec<&DataPoint> = points.iter().skip(offset).take(limit).collect();
    let document = otlp::request_json(page.iter().copied());
    Ok(format.answer(&document, page.is_empty(), protobuf::metrics_request, total))
}

fn text(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.to_string(),
        value: AnyValue::String(value.to_string()),
    }
}

/// The window of a metrics read: `period` as an analytics time semantic, or `from`/`to`; the
/// last 24 hours when neither is given (**proposed**).
fn window(params: &Params, now: Timestamp) -> Result<Window, ApiError> {
    match (params.non_empty("period"), params.window_from_to(now)?) {
        (Some(_), Some(_)) => Err(ApiError::bad_request(
            "Use either period or from and to, not both",
        )),
        (Some(text), None) => period::semantic(text, now).ok_or_else(|| {
            ApiError::bad_request(format!(
                "Invalid period {text}: expected a time semantic such as L1H, C24H or L7D"
            ))
        }),
        (None, Some(window)) => Ok(window),
        (None, None) => Ok(Window {
            from: now
                .checked_sub(SignedDuration::from_secs(24 * 3600))
                .unwrap_or(now),
            to: now,
        }),
    }
}

/// `metrics=measure:executions,measure:runTime`: the measures to answer (all when absent).
fn measures(text: Option<&str>) -> Result<Vec<&'static str>, ApiError> {
    let Some(text) = text else {
        return Ok(MEASURES.to_vec());
    };
    text.split(',')
        .map(|part| {
            let name = part.trim();
            let name = name.strip_prefix("measure:").unwrap_or(name);
            MEASURES
                .iter()
                .find(|m| **m == name)
                .copied()
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "Unknown measure {name}: expected one of {}",
                        MEASURES.join(", ")
                    ))
                })
        })
        .collect()
}
