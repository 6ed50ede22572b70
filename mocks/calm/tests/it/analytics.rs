//! The analytics OData `DataSet` (reference §2.6, §2.1 OData conventions): `PROVIDERS_LIST`,
//! `$select`, `$top`, `$skip`, `$count`, and OData error bodies.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::harness;

const DATASET: &str = "/api/calm-analytics/v1/odata/v4/analytics/DataSet";

#[tokio::test]
async fn ref_2_6_providers_list_names_the_served_providers() {
    let h = harness();
    let token = h.token().await;
    let answer = h
        .get(
            &format!("{DATASET}?$filter=provider%20eq%20%27PROVIDERS_LIST%27&$count=true"),
            &token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    assert_eq!(answer.json["@odata.context"], "$metadata#DataSet");
    assert_eq!(answer.json["@odata.count"], 3);
    let names: Vec<&str> = answer.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["d1v"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["DP_JOB_MONITORING", "CCDB_STORE_DATA", "PROVIDERS_LIST"]
    );
}

#[tokio::test]
async fn ref_2_1_select_top_and_skip() {
    let h = harness();
    let token = h.token().await;
    let answer = h
        .get(
            &format!("{DATASET}?$filter=provider%20eq%20%27PROVIDERS_LIST%27&$select=d1k,d1v&$top=1&$skip=1"),
            &token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json["value"],
        json!([{"d1k": "provider", "d1v": "CCDB_STORE_DATA"}])
    );
    assert!(answer.json.get("@odata.count").is_none());
}

#[tokio::test]
async fn ref_2_1_errors_use_the_odata_error_body() {
    let h = harness();
    let token = h.token().await;
    let unknown = h
        .get(
            &format!("{DATASET}?$filter=provider%20eq%20%27HM_ANALYTICS_DP%27"),
            &token,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json["error"]["code"], "400");
    assert!(
        unknown.json["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Unknown provider HM_ANALYTICS_DP")
    );
    assert_eq!(unknown.json["error"]["details"], json!([]));

    for (filter, message) in [
        (
            "provider%20eq%20%27DP_JOB_MONITORING%27%20and%20period%20eq%20%27L9X%27",
            "Invalid period \"L9X\"",
        ),
        (
            "provider%20eq%20%27DP_JOB_MONITORING%27%20and%20query%20eq%20%27colour=red%27",
            "Unknown filter colour",
        ),
        ("provider%20gt%20%27x%27", "Invalid $filter at position 9"),
    ] {
        let answer = h.get(&format!("{DATASET}?$filter={filter}"), &token).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{filter}");
        assert!(
            answer.json["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with(message),
            "{}",
            answer.json
        );
    }
    let no_filter = h.get(DATASET, &token).await;
    assert_eq!(no_filter.status, StatusCode::BAD_REQUEST);

    let key = h.key_with("no-analytics", &["calm-api.metrics.read"]).await;
    let reader = h.token_of(&key).await;
    let forbidden = h
        .get(
            &format!("{DATASET}?$filter=provider%20eq%20%27PROVIDERS_LIST%27"),
            &reader,
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert!(
        forbidden.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("calm-api.analytics.read")
    );
}
