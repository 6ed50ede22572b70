//! Configuration & Security Analysis (reference §2.10): store snapshots pushed (proposed shape),
//! diffed into `elementModification`, read back through `CCDB_STORE_DATA`.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{Harness, harness};

fn stores(service: &str, date: &str, items: Value) -> Value {
    json!({"serviceId": service, "stores": [{"storeName": "IPS_SECURITY_RECOMMENDATIONS", "storeType": "PROPERTY",
        "sciId": "IPS", "elementDate": date, "items": items}]})
}

async fn push(h: &Harness, token: &str, body: &Value) -> crate::support::Answer {
    h.post(
        &format!("/api/calm-csa/v1/stores?serviceId={}", h.ips()),
        token,
        body,
    )
    .await
}

fn ccdb(query: &str) -> String {
    format!(
        "/api/calm-analytics/v1/odata/v4/analytics/DataSet?$filter=provider%20eq%20%27CCDB_STORE_DATA%27{query}&$count=true"
    )
}

#[tokio::test]
async fn ref_2_10_snapshots_diff_into_initial_added_and_updated() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    let first = push(
        &h,
        &token,
        &stores(
            &ips,
            "20261121020000",
            json!([{"key": "BTP_IPS_0002", "value": "NONCOMPLIANT"}, {"key": "BTP_IPS_0007", "value": "COMPLIANT"},
                   {"key": "BTP_IPS_0008", "value": "COMPLIANT"}]),
        ),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json);
    assert_eq!(first.json["stores"][0]["numItems"], 3);
    let second = push(
        &h,
        &token,
        &stores(
            &ips,
            "20261122020000",
            json!([{"key": "BTP_IPS_0002", "value": "COMPLIANT"}, {"key": "BTP_IPS_0007", "value": "COMPLIANT"},
                   {"key": "BTP_IPS_0001", "value": "COMPLIANT"}]),
        ),
    )
    .await;
    assert_eq!(second.json["stores"][0]["numChanges"], 3);

    let answer = h.get(&ccdb(""), &token).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    assert_eq!(answer.json["@odata.count"], 3);
    let rows: Vec<(String, String, String)> = answer.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            assert_eq!(row["d7k"], "elementStatus");
            assert_eq!(row["d7v"], "CURRENT");
            assert_eq!(row["d8k"], "elementModification");
            assert_eq!(row["d9k"], "itemKey");
            (
                row["d9v"].as_str().unwrap().to_string(),
                row["d10v"].as_str().unwrap().to_string(),
                row["d8v"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("BTP_IPS_0002".into(), "COMPLIANT".into(), "UPDATED".into()),
            ("BTP_IPS_0007".into(), "COMPLIANT".into(), "INITIAL".into()),
            ("BTP_IPS_0001".into(), "COMPLIANT".into(), "ADDED".into()),
        ]
    );
    let first_row = &answer.json["value"][0];
    assert_eq!(first_row["date"], "2026-11-22T02:00:00Z");
    assert_eq!(first_row["d2v"], "Identity Provisioning");
    assert_eq!(first_row["m1k"], "numChanges");
    assert_eq!(first_row["m1v"], 1);

    let updated = h
        .get(
            &ccdb("%20and%20query%20eq%20%27elementModification=UPDATED,ADDED%27"),
            &token,
        )
        .await;
    assert_eq!(updated.json["@odata.count"], 2);

    let view = h.admin_get("/_admin/calm/csa").await;
    let store = &view["services"][0]["stores"][0];
    assert_eq!(store["snapshots"], 2);
    let changes: Vec<&str> = store["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["UPDATED", "ADDED", "REMOVED"]);
    assert_eq!(store["changes"][2]["key"], "BTP_IPS_0008");
}

#[tokio::test]
async fn bad_csa_pushes_are_400_with_the_path_and_change_nothing() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    for (body, message) in [
        (
            stores(&ips, "yesterday", json!([])),
            "$.stores[0].elementDate: expected a date YYYYMMDDHHmmss (UTC)",
        ),
        (
            stores(&ips, "20261122020000", json!([{"key": "", "value": "x"}])),
            "$.stores[0].items[0].key: expected a non-empty string",
        ),
        (
            stores(
                &ips,
                "20261122020000",
                json!([{"key": "k", "value": {"nested": 1}}]),
            ),
            "$.stores[0].items[0].value: expected a string (or a number or boolean), found an object",
        ),
        (
            json!({"serviceId": ips, "stores": []}),
            "$.stores: expected a non-empty array of stores",
        ),
    ] {
        let answer = push(&h, &token, &body).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer.message(), message);
    }
    let mut table = stores(&ips, "20261122020000", json!([]));
    table["stores"][0]["storeType"] = json!("TABLE");
    assert_eq!(
        push(&h, &token, &table).await.status,
        StatusCode::BAD_REQUEST
    );
    assert!(h.mock.tenant().csa.stores().is_empty());

    let missing = h
        .post(
            "/api/calm-csa/v1/stores",
            &token,
            &stores(&ips, "20261122020000", json!([])),
        )
        .await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    let unknown = h
        .post(
            "/api/calm-csa/v1/stores?serviceId=nope",
            &token,
            &stores("nope", "20261122020000", json!([])),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}
