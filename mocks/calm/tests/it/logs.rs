//! Raw data logs (reference §2.8): OTLP JSON push (proposed contract) and the read quirks
//! observed on live tenants, each with its exact message.

use axum::http::StatusCode;
use sapland_mock_calm::config::CalmConfig;
use serde_json::{Value, json};

use crate::support::{Harness, content_type, harness, harness_with, logs_push, nanos, s};

fn record(time: &str, text: &str) -> Value {
    json!({"timeUnixNano": nanos(time), "observedTimeUnixNano": nanos(time), "severityText": "ERROR",
           "body": {"stringValue": text}, "attributes": [s("category", "ABAP Runtime")]})
}

async fn push_exceptions(h: &Harness, token: &str, count: usize) -> String {
    let ips = h.ips();
    let records = (0..count)
        .map(|i| {
            record(
                &format!("2026-11-22T08:{:02}:00Z", 30 + i),
                &format!("exception {i}"),
            )
        })
        .collect();
    let answer = h
        .post(
            &format!("/api/calm-logs/v1/logs?useCase=EXM&serviceId={ips}"),
            token,
            &logs_push(&ips, records),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    assert_eq!(answer.json, json!({}));
    ips
}

fn read_uri(ips: &str, rest: &str) -> String {
    format!("/api/calm-logs/v1/logs?provider=exm.jam&serviceId={ips}&version=V1{rest}")
}

#[tokio::test]
async fn ref_2_8_pushed_records_read_back_as_protobuf_json() {
    let h = harness();
    let token = h.token().await;
    let ips = push_exceptions(&h, &token, 2).await;
    let read = h
        .get(&read_uri(&ips, "&period=60M&format=protobuf-json"), &token)
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.json);
    assert_eq!(content_type(&read), "application/json");
    let records = &read.json["resourceLogs"][0]["scopeLogs"][0]["logRecords"];
    assert_eq!(records.as_array().unwrap().len(), 2);
    assert_eq!(records[0]["body"]["stringValue"], "exception 0");
    assert_eq!(
        read.json["resourceLogs"][0]["resource"]["attributes"][0],
        s("sap.cloudalm.serviceId", &ips)
    );
}

#[tokio::test]
async fn ref_2_8_provider_is_required() {
    let h = harness();
    let token = h.token().await;
    let answer = h
        .get(
            &format!("/api/calm-logs/v1/logs?serviceId={}", h.ips()),
            &token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.message(),
        "A required parameter is missing : provider"
    );
}

#[tokio::test]
async fn ref_2_8_service_id_in_brackets_is_428_a_required_parameter_is_missing() {
    let h = harness();
    let token = h.token().await;
    let answer = h
        .get(
            &format!(
                "/api/calm-logs/v1/logs?provider=jam.run&logsFilters%5BserviceId%5D={}",
                h.ips()
            ),
            &token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(
        answer.json,
        json!({"status": 428, "error": "PRECONDITION_REQUIRED", "message": "A required parameter is missing : serviceId"})
    );
}

#[tokio::test]
async fn ref_2_8_a_period_over_60_minutes_is_400_time_interval() {
    let h = harness();
    let token = h.token().await;
    let answer = h.get(&read_uri(&h.ips(), "&period=61M"), &token).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.message(), "Time interval > 60 mins");
    let wide = h
        .get(
            &read_uri(&h.ips(), "&from=20261122070000&to=20261122090000"),
            &token,
        )
        .await;
    assert_eq!(wide.message(), "Time interval > 60 mins");
    let ok = h.get(&read_uri(&h.ips(), "&period=60M"), &token).await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn ref_2_8_from_not_compact_is_400_from_is_not_of_format() {
    let h = harness();
    let token = h.token().await;
    let answer = h
        .get(&read_uri(&h.ips(), "&from=2026-11-22T08:00:00Z"), &token)
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.message(), "From is not of format YYYYMMDDHHmmss");
}

#[tokio::test]
async fn ref_2_8_from_and_to_select_the_window() {
    let h = harness();
    let token = h.token().await;
    let ips = push_exceptions(&h, &token, 3).await;
    let read = h
        .get(
            &read_uri(
                &ips,
                "&from=20261122083100&to=20261122083200&format=protobuf-json",
            ),
            &token,
        )
        .await;
    let records = &read.json["resourceLogs"][0]["scopeLogs"][0]["logRecords"];
    let bodies: Vec<&str> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["body"]["stringValue"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["exception 1", "exception 2"]);
}

fn small_pages() -> Harness {
    let mut config = CalmConfig::default_landscape(7);
    config.logs_page_limit = 2;
    harness_with(config)
}

#[tokio::test]
async fn ref_2_8_without_on_limit_truncate_too_many_records_are_403() {
    let h = small_pages();
    let token = h.token().await;
    let ips = push_exceptions(&h, &token, 3).await;
    let answer = h
        .get(&read_uri(&ips, "&period=60M&limit=1&offset=0"), &token)
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        answer.json,
        json!({"status": 403, "error": "FORBIDDEN", "message": "Response total count is over the limit"})
    );
}

#[tokio::test]
async fn ref_2_8_limit_and_offset_work_only_with_on_limit_truncate() {
    let h = small_pages();
    let token = h.token().await;
    let ips = push_exceptions(&h, &token, 3).await;
    let page = h
        .get(
            &read_uri(
                &ips,
                "&period=60M&limit=1&offset=1&onLimit=TRUNCATE&format=protobuf-json",
            ),
            &token,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.json);
    assert_eq!(page.header("x-total-count"), Some("3"));
    let records = &page.json["resourceLogs"][0]["scopeLogs"][0]["logRecords"];
    assert_eq!(records.as_array().unwrap().len(), 1);
    assert_eq!(records[0]["body"]["stringValue"], "exception 1");

    let h = harness();
    let token = h.token().await;
    let ips = push_exceptions(&h, &token, 3).await;
    let ignored = h
        .get(
            &read_uri(&ips, "&period=60M&limit=1&format=protobuf-json"),
            &token,
        )
        .await;
    let records = &ignored.json["resourceLogs"][0]["scopeLogs"][0]["logRecords"];
    assert_eq!(
        records.as_array().unwrap().len(),
        3,
        "without onLimit=truncate, limit is not honoured"
    );
}

#[tokio::test]
async fn ref_2_8_an_empty_window_is_an_empty_object_and_the_default_is_protobuf() {
    let h = harness();
    let token = h.token().await;
    let ips = push_exceptions(&h, &token, 1).await;
    let empty = h
        .get(&read_uri(&ips, "&period=5M&format=protobuf-json"), &token)
        .await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.json, json!({}));
    let binary = h.get(&read_uri(&ips, "&period=60M"), &token).await;
    assert_eq!(content_type(&binary), "application/x-protobuf");
    assert!(binary.bytes.windows(11).any(|w| w == b"exception 0"));
    let empty_binary = h.get(&read_uri(&ips, "&period=5M"), &token).await;
    assert!(empty_binary.bytes.is_empty());
}

#[tokio::test]
async fn a_push_with_another_use_case_is_400() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    let answer = h
        .post(
            &format!("/api/calm-logs/v1/logs?useCase=BPMON&serviceId={ips}"),
            &token,
            &logs_push(&ips, vec![]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.message(),
        "Invalid useCase BPMON: expected JAM, EXM, IM or HM"
    );
}

#[tokio::test]
async fn a_malformed_logs_push_is_400_with_the_path_and_stores_nothing() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    let mut body = logs_push(&ips, vec![record("2026-11-22T08:30:00Z", "a")]);
    body["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["attributes"][0]["value"] =
        json!({"stringValue": "a", "intValue": "1"});
    let answer = h
        .post(
            &format!("/api/calm-logs/v1/logs?useCase=EXM&serviceId={ips}"),
            &token,
            &body,
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.message().starts_with(
            "$.resourceLogs[0].scopeLogs[0].logRecords[0].attributes[0].value: expected an AnyValue"
        ),
        "{}",
        answer.json
    );
    assert!(h.mock.tenant().records.is_empty());
}
