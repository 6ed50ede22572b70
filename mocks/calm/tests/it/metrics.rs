//! Raw data metrics (reference §2.7): OTLP JSON push (proposed contract), read back by provider
//! `hm`, and the `jam` provider's measures.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{Call, content_type, harness, jam_record, logs_push, nanos, s};

/// Reference §2.7's push example, for `service`.
pub(crate) fn health_push(service: &str, value: &str) -> Value {
    json!({"resourceMetrics":[{"resource":{"attributes":[{"key":"sap.cloudalm.serviceId","value":{"stringValue": service}}]},
     "scopeMetrics":[{"scope":{"name":"custom"},"metrics":[{"name":"scc.connection.status","unit":"",
      "gauge":{"dataPoints":[{"timeUnixNano": nanos("2026-11-22T08:55:00Z"),"asInt": value,
       "attributes":[{"key":"severity","value":{"stringValue":"critical"}},{"key":"message","value":{"stringValue":"Error: …"}}]}]}}]}]}]})
}

fn push_uri(service: &str) -> String {
    format!("/api/calm-metrics/v1/metrics?useCase=HEALTH_MONITORING&serviceId={service}")
}

#[tokio::test]
async fn ref_2_7_a_pushed_metric_reads_back_through_provider_hm() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    let answer = h
        .post(&push_uri(&ips), &token, &health_push(&ips, "1"))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    assert_eq!(answer.json, json!({}));

    let read = h
        .get(
            &format!("/api/calm-metrics/v1/metrics?provider=hm&period=L1H&serviceId={ips}&format=protobuf-json"),
            &token,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(content_type(&read), "application/json");
    assert_eq!(read.json, health_push(&ips, "1"));
    assert_eq!(read.header("x-total-count"), Some("1"));

    let health = h.admin_get("/_admin/calm/health").await;
    assert_eq!(
        health["services"][0]["metrics"][0]["name"],
        "scc.connection.status"
    );
    assert_eq!(health["services"][0]["metrics"][0]["value"], 1);
}

#[tokio::test]
async fn a_malformed_push_is_400_with_the_json_path_and_stores_nothing() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    let mut bad = health_push(&ips, "1");
    bad["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["gauge"]["dataPoints"][0]["asInt"] =
        json!("one");
    let answer = h.post(&push_uri(&ips), &token, &bad).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.message(),
        "$.resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].asInt: expected a 64-bit integer as a string of digits"
    );
    let other_service = health_push("someone-else", "1");
    let answer = h.post(&push_uri(&ips), &token, &other_service).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer
            .message()
            .starts_with("$.resourceMetrics[0].resource.attributes[0].value"),
        "{}",
        answer.json
    );
    let not_json = Call::new("POST", push_uri(&ips))
        .bearer(&token)
        .header("content-type", "application/json")
        .send(&h.api)
        .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(h.mock.tenant().points.len(), 0);
    assert_eq!(h.admin_get("/_admin/state").await["pushes"], json!([]));
}

#[tokio::test]
async fn push_parameters_are_checked() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    let body = health_push(&ips, "1");
    let missing = h
        .post(
            "/api/calm-metrics/v1/metrics?useCase=HEALTH_MONITORING",
            &token,
            &body,
        )
        .await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(
        missing.message(),
        "A required parameter is missing : serviceId"
    );
    let unknown = h
        .post(
            &push_uri("00000000-0000-4000-8000-000000000000"),
            &token,
            &body,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let use_case = h
        .post(
            &format!("/api/calm-metrics/v1/metrics?useCase=BPMON&serviceId={ips}"),
            &token,
            &body,
        )
        .await;
    assert_eq!(use_case.status, StatusCode::BAD_REQUEST);
    let protobuf = Call::new("POST", push_uri(&ips))
        .bearer(&token)
        .header("content-type", "application/x-protobuf")
        .send(&h.api)
        .await;
    assert_eq!(protobuf.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn ref_2_7_reads_default_to_protobuf_and_need_a_provider() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    h.post(&push_uri(&ips), &token, &health_push(&ips, "7"))
        .await;
    let read = h
        .get(
            "/api/calm-metrics/v1/metrics?provider=hm&period=C24H",
            &token,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(content_type(&read), "application/x-protobuf");
    assert!(!read.bytes.is_empty());
    assert!(
        read.bytes
            .windows(21)
            .any(|w| w == b"scc.connection.status")
    );
    let no_provider = h
        .get("/api/calm-metrics/v1/metrics?period=L1H", &token)
        .await;
    assert_eq!(no_provider.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        no_provider.message(),
        "A required parameter is missing : provider"
    );
    let text = h
        .get(
            "/api/calm-metrics/v1/metrics?provider=hm&format=text",
            &token,
        )
        .await;
    assert_eq!(text.status, StatusCode::BAD_REQUEST);
    let bad_from = h
        .get(
            "/api/calm-metrics/v1/metrics?provider=hm&from=2026-11-22",
            &token,
        )
        .await;
    assert_eq!(bad_from.message(), "From is not of format YYYYMMDDHHmmss");
    let other = h
        .get(
            "/api/calm-metrics/v1/metrics?provider=rum&format=protobuf-json",
            &token,
        )
        .await;
    assert_eq!(other.json, json!({}), "providers without data answer {{}}");
}

#[tokio::test]
async fn ref_2_7_the_jam_provider_answers_measures_per_job_with_dimensions() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    let record = jam_record(
        "IAS Source",
        "READ",
        "1",
        "Success",
        "2026-11-22T08:00:00Z",
        "2026-11-22T08:01:00Z",
        "2026-11-22T08:03:00Z",
        120.0,
    );
    let pushed = h
        .post(
            &format!("/api/calm-logs/v1/logs?useCase=JAM&serviceId={ips}"),
            &token,
            &logs_push(&ips, vec![record]),
        )
        .await;
    assert_eq!(pushed.status, StatusCode::OK, "{}", pushed.json);
    let read = h
        .get(
            "/api/calm-metrics/v1/metrics?provider=jam&period=C24H&resolution=H&metrics=measure:executions,measure:runTime&format=protobuf-json",
            &token,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.json);
    let metrics = &read.json["resourceMetrics"][0]["scopeMetrics"][0]["metrics"];
    assert_eq!(metrics[0]["name"], "jam.executions");
    assert_eq!(metrics[1]["name"], "jam.runTime");
    let point = &metrics[0]["gauge"]["dataPoints"][0];
    assert_eq!(point["asInt"], "1");
    assert_eq!(point["timeUnixNano"], nanos("2026-11-22T08:00:00Z"));
    assert!(
        point["attributes"]
            .as_array()
            .unwrap()
            .contains(&s("jobId", "IAS Source|READ"))
    );
    assert_eq!(metrics[1]["gauge"]["dataPoints"][0]["asDouble"], 120.0);
    let unknown = h
        .get(
            "/api/calm-metrics/v1/metrics?provider=jam&metrics=measure:speed",
            &token,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}
