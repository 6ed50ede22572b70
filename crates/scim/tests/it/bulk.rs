//! `/Bulk` on IAS v2 ([DOC] `reference/ips-ias.md` §3.4: at most 100 operations a request,
//! no `failOnErrors`, no `bulkId` references; §2.4 `ias.bulk.operations.max.count`).

use sapland_core::scim::{BulkMethod, BulkOperation};
use sapland_scim::{Dialect, ErrorKind, ResourceType};
use serde_json::json;

use crate::support::{Env, user};

fn create(name: &str) -> BulkOperation {
    BulkOperation {
        method: BulkMethod::Post,
        bulk_id: None,
        version: None,
        path: "/Users".into(),
        data: Some(user(name)),
    }
}

/// 130 operations in batches of 100: two requests, one result per operation in order, a
/// duplicate failing alone with `409, uniqueness`, a `bulkId` reference refused unsent.
#[tokio::test]
async fn batches_are_split_and_every_operation_has_its_result() {
    let env = Env::unthrottled().await;
    let mut config = env.config(Dialect::IasV2, env.basic());
    config.bulk_max_operations = 100;
    let (client, _) = env.client(config);
    let mut operations: Vec<BulkOperation> = (0..130).map(|i| create(&format!("b{i}"))).collect();
    operations[7] = create("b3");
    operations[120] = BulkOperation {
        method: BulkMethod::Patch,
        bulk_id: None,
        version: None,
        path: "/Groups/x".into(),
        data: Some(
            json!({"Operations": [{"op": "add", "path": "members", "value": [{"value": "bulkId:op1"}]}]}),
        ),
    };
    let results = client.bulk(operations).await.unwrap();
    assert_eq!(results.len(), 130);
    assert!(results.iter().enumerate().all(|(i, r)| r.index == i));
    let created = results.iter().filter(|r| r.outcome.is_ok()).count();
    assert_eq!(created, 128);
    let duplicate = results[7].outcome.as_ref().unwrap_err();
    assert!(duplicate.is_conflict(), "{duplicate}");
    assert!(
        duplicate.to_string().starts_with("409, uniqueness"),
        "{duplicate}"
    );
    let reference = results[120].outcome.as_ref().unwrap_err();
    assert!(matches!(*reference.kind, ErrorKind::InvalidRequest { .. }));
    assert_eq!(reference.attempts, 0);
    let id = results[0].outcome.as_ref().unwrap().id().unwrap();
    assert_eq!(
        client.get(ResourceType::User, &id).await.unwrap()["userName"],
        "b0"
    );

    let bulk = env.requests_to("/scim/Bulk").await;
    assert_eq!(bulk.len(), 2, "129 operations sent in two requests");
    assert!(bulk.iter().all(|e| e["status"] == 200));
    assert!(bulk.iter().all(|e| {
        !e["requestBody"]
            .as_str()
            .unwrap_or("")
            .contains("failOnErrors")
    }));
}

/// IPS's default batch is 20 operations (§2.4).
#[tokio::test]
async fn the_default_batch_is_20() {
    let env = Env::unthrottled().await;
    let (client, _) = env.client(env.config(Dialect::IasV2, env.basic()));
    let results = client
        .bulk((0..45).map(|i| create(&format!("c{i}"))).collect())
        .await
        .unwrap();
    assert!(results.iter().all(|r| r.outcome.is_ok()));
    assert_eq!(env.requests_to("/scim/Bulk").await.len(), 3);
}

/// [DOC] §3.1: IAS v1 has no `/Bulk`.
#[tokio::test]
async fn v1_has_no_bulk() {
    let env = Env::unthrottled().await;
    let (client, _) = env.client(env.config(Dialect::IasV1, env.basic()));
    let error = client.bulk(vec![create("x")]).await.unwrap_err();
    assert_eq!(error.attempts, 0);
    assert!(env.journal().await.is_empty());
}
