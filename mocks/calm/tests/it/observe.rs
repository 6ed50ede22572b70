//! The kit's observe layer in front of the SAP-facing endpoints: fault rules answer in Cloud
//! ALM's error envelope, and the journal records the exchanges.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Call, harness, logs_push};

#[tokio::test]
async fn a_fault_rule_answers_in_the_calm_envelope_and_nothing_is_stored() {
    let h = harness();
    let token = h.token().await;
    let rule = h
        .admin_call(Call::new("POST", "/_admin/faults").json(&json!({
            "match": {"method": "POST", "path": "/api/calm-logs/**"},
            "action": {"type": "status", "status": 503, "retryAfter": 30},
            "limit": {"count": 1}
        })))
        .await;
    assert_eq!(rule.status, StatusCode::CREATED, "{}", rule.json);
    let ips = h.ips();
    let uri = format!("/api/calm-logs/v1/logs?useCase=EXM&serviceId={ips}");
    let faulted = h.post(&uri, &token, &logs_push(&ips, vec![])).await;
    assert_eq!(faulted.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(faulted.json["status"], 503);
    assert_eq!(faulted.json["error"], "SERVICE_UNAVAILABLE");
    assert_eq!(faulted.header("retry-after"), Some("30"));
    assert!(h.admin_get("/_admin/state").await["pushes"] == json!([]));
    let next = h.post(&uri, &token, &logs_push(&ips, vec![])).await;
    assert_eq!(next.status, StatusCode::OK, "the rule fired once");

    let journal = h.admin_get("/_admin/journal").await;
    let entries = journal["entries"].as_array().unwrap();
    let statuses: Vec<u64> = entries
        .iter()
        .filter(|e| e["path"] == "/api/calm-logs/v1/logs")
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [503, 200]);
}
