//! The metrics API: pushes of OTLP JSON, reads page by page.

use jiff::Timestamp;
use sapland_calm::otlp::{ExportMetricsServiceRequest, KeyValue, Metric, NumberDataPoint};
use sapland_calm::{MetricsQuery, MetricsWindow};
use serde_json::json;

use crate::support::{Fake, Reply};

const METRICS: &str = "/api/calm-metrics/v1/metrics";

/// §2.7 proposed: `useCase=HEALTH_MONITORING&serviceId=…`, OTLP JSON body, `{}` back.
#[tokio::test]
async fn a_push_sends_the_otlp_body_for_the_service() {
    let fake =
        Fake::start(|request| (request.path == METRICS).then(|| Reply::json(200, json!({})))).await;
    let (client, _) = fake.client();
    let at: Timestamp = "2024-06-10T06:13:20Z".parse().unwrap();
    let request = ExportMetricsServiceRequest::for_service(
        "lms-1",
        "sapland",
        vec![Metric::gauge(
            "ips.job.failed",
            "1",
            vec![NumberDataPoint::int(at, 3).with(KeyValue::string("system", "HR File"))],
        )],
    );
    client.push_metrics("lms-1", &request).await.unwrap();
    let push = &fake.requests_to(METRICS)[0];
    assert_eq!(
        push.raw_query.as_deref(),
        Some("useCase=HEALTH_MONITORING&serviceId=lms-1")
    );
    assert_eq!(
        push.json(),
        json!({"resourceMetrics":[{"resource":{"attributes":[{"key":"sap.cloudalm.serviceId","value":{"stringValue":"lms-1"}}]},
          "scopeMetrics":[{"scope":{"name":"sapland"},"metrics":[{"name":"ips.job.failed","unit":"1","gauge":{"dataPoints":[
            {"attributes":[{"key":"system","value":{"stringValue":"HR File"}}],"timeUnixNano":"1718000000000000000","asInt":"3"}]}}]}]}]})
    );
}

/// §2.7 OTLP validation in the contract: a 400 names the JSON path.
#[tokio::test]
async fn a_refused_push_carries_the_path() {
    let fake = Fake::start(|request| {
        (request.path == METRICS).then(|| {
            Reply::json(
                400,
                json!({"status": 400, "error": "BAD_REQUEST", "message": "resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].timeUnixNano: expected a string of digits"}),
            )
        })
    })
    .await;
    let (client, _) = fake.client();
    let error = client
        .push_metrics("lms-1", &ExportMetricsServiceRequest::default())
        .await
        .unwrap_err();
    assert!(
        error.to_string().starts_with(
            "400 BAD_REQUEST: resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].timeUnixNano"
        ),
        "{error}"
    );
}

/// [SAMPLE] §2.7: `provider`, `version=V1`, `format=protobuf-json`, `period`; pages by data
/// point with `onLimit=truncate`.
#[tokio::test]
async fn a_read_pages_through_data_points() {
    let fake = Fake::start(|request| {
        (request.path == METRICS).then(|| {
            let offset: i64 = request.param("offset").unwrap().parse().unwrap();
            let points: Vec<_> = (offset..(offset + 2).min(3))
                .map(|n| json!({"timeUnixNano": "1718000000000000000", "asDouble": n as f64}))
                .collect();
            Reply::json(
                200,
                json!({"resourceMetrics":[{"resource":{},"scopeMetrics":[{"metrics":[{"name":"jam.executions","gauge":{"dataPoints": points}}]}]}]}),
            )
            .header("x-total-count", 3)
        })
    })
    .await;
    let (client, _) = fake.client();
    let mut query = MetricsQuery::new("jam", MetricsWindow::Period("C24H".into()));
    query.service_id = Some("lms-1".into());
    query.page_size = 2;
    let read = client.read_metrics(&query).await.unwrap();
    let values: Vec<f64> = read.points().filter_map(|(_, _, p)| p.value()).collect();
    assert_eq!(values, [0.0, 1.0, 2.0]);
    let calls = fake.requests_to(METRICS);
    assert_eq!(calls.len(), 2);
    assert_eq!(
        calls[1].raw_query.as_deref(),
        Some(
            "provider=jam&version=V1&format=protobuf-json&serviceId=lms-1&period=C24H&limit=2&offset=2&onLimit=truncate"
        )
    );
}
