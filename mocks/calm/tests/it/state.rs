//! The admin surface's state export and import (DESIGN.md: a bad snapshot is refused with its
//! path and changes nothing), and reset.

use axum::http::StatusCode;
use serde_json::json;

use crate::landscape::registration;
use crate::metrics::health_push;
use crate::support::{Call, harness, jam_record, logs_push};

#[tokio::test]
async fn a_snapshot_imports_into_a_fresh_mock_and_reads_the_same() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    let lms = h
        .post(
            "/api/landscape-management/v1/Registration",
            &token,
            &registration(),
        )
        .await
        .json["lmsId"]
        .as_str()
        .unwrap()
        .to_string();
    h.post(
        &format!("/api/calm-metrics/v1/metrics?useCase=HEALTH_MONITORING&serviceId={ips}"),
        &token,
        &health_push(&ips, "1"),
    )
    .await;
    let record = jam_record(
        "IAS Source",
        "READ",
        "1",
        "Success",
        "2026-11-22T08:00:00Z",
        "2026-11-22T08:00:00Z",
        "2026-11-22T08:01:00Z",
        60.0,
    );
    h.post(
        &format!("/api/calm-logs/v1/logs?useCase=JAM&serviceId={ips}"),
        &token,
        &logs_push(&ips, vec![record]),
    )
    .await;
    h.post(
        &format!("/api/calm-csa/v1/stores?serviceId={ips}"),
        &token,
        &json!({"serviceId": ips, "stores": [{"storeName": "S", "storeType": "PROPERTY", "sciId": "IPS",
            "elementDate": "20261122020000", "items": [{"key": "k", "value": "v"}]}]}),
    )
    .await;
    // Unregistered after it pushed: the snapshot must still import.
    Call::new(
        "DELETE",
        format!("/api/landscape-management/v1/Registration/{lms}"),
    )
    .bearer(&token)
    .send(&h.api)
    .await;
    let snapshot = h.admin_get("/_admin/state").await;
    assert_eq!(snapshot["pushes"].as_array().unwrap().len(), 2);

    let fresh = harness();
    let imported = fresh
        .admin_call(Call::new("PUT", "/_admin/state").json(&snapshot))
        .await;
    assert_eq!(imported.status, StatusCode::NO_CONTENT, "{}", imported.json);
    assert_eq!(fresh.admin_get("/_admin/state").await, snapshot);
    assert_eq!(
        fresh.admin_get("/_admin/calm/jobs").await,
        h.admin_get("/_admin/calm/jobs").await
    );
    assert_eq!(
        fresh.admin_get("/_admin/calm/csa").await,
        h.admin_get("/_admin/calm/csa").await
    );
}

#[tokio::test]
async fn a_bad_snapshot_is_refused_with_its_path_and_changes_nothing() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    h.post(
        &format!("/api/calm-metrics/v1/metrics?useCase=HEALTH_MONITORING&serviceId={ips}"),
        &token,
        &health_push(&ips, "1"),
    )
    .await;
    let before = h.admin_get("/_admin/state").await;
    let mut bad = before.clone();
    bad["pushes"][0]["body"]["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["name"] =
        json!(7);
    let answer = h
        .admin_call(Call::new("PUT", "/_admin/state").json(&bad))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.json["error"],
        "$.pushes[0]: $.resourceMetrics[0].scopeMetrics[0].metrics[0].name: expected a string, found a number"
    );
    let mut bad = before.clone();
    bad["landscapeObjects"][0]["objectType"] = json!(null);
    let answer = h
        .admin_call(Call::new("PUT", "/_admin/state").json(&bad))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.json["error"]
            .as_str()
            .unwrap()
            .starts_with("$.landscapeObjects[0].objectType"),
        "{}",
        answer.json
    );
    assert_eq!(h.admin_get("/_admin/state").await, before);
}

#[tokio::test]
async fn reset_forgets_data_tokens_and_created_instances() {
    let h = harness();
    let token = h.token().await;
    let created = h.key_with("temporary", &["calm-api.metrics.read"]).await;
    h.post(
        "/api/landscape-management/v1/Registration",
        &token,
        &registration(),
    )
    .await;
    let reset = h.admin_call(Call::new("POST", "/_admin/reset")).await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    assert_eq!(
        h.get("/api/calm-landscape/v1/landscapeObjects", &token)
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "tokens are forgotten"
    );
    let token = h.token().await;
    let objects = h
        .get("/api/calm-landscape/v1/landscapeObjects", &token)
        .await;
    assert_eq!(
        objects.header("x-total-count"),
        Some("1"),
        "only the IPS service"
    );
    let instances = h.admin_get("/_admin/calm/instances").await;
    assert_eq!(instances["instances"].as_array().unwrap().len(), 1);
    let answer = Call::new("POST", "/oauth/token")
        .header(
            "authorization",
            crate::support::basic(
                created["uaa"]["clientid"].as_str().unwrap(),
                created["uaa"]["clientsecret"].as_str().unwrap(),
            ),
        )
        .form("grant_type=client_credentials")
        .send(&h.uaa)
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNAUTHORIZED,
        "created instances are gone"
    );
    assert_eq!(
        h.key(),
        harness().key(),
        "the configured key stays the same"
    );
}

#[tokio::test]
async fn health_and_the_same_seed_give_the_same_ids() {
    let h = harness();
    let health = Call::new("GET", "/_admin/health").send(&h.admin).await;
    assert_eq!(health.json, json!({"status": "UP", "mock": "calm"}));
    assert_eq!(h.ips(), harness().ips());
    let other =
        crate::support::harness_with(sapland_mock_calm::config::CalmConfig::default_landscape(8));
    assert_ne!(h.ips(), other.ips());
    assert_ne!(h.key()["uaa"]["clientid"], other.key()["uaa"]["clientid"]);
}
