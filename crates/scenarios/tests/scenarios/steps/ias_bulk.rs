//! Steps for SCIM Bulk requests.

use cucumber::gherkin::Step;
use cucumber::{then, when};
use serde_json::{Value, json};

use super::landscape::{Auth, call};
use crate::world::World;

const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

/// One operation from a table row: `create user NAME`, `delete user NAME`, `create group NAME`.
fn operation(world: &World, tenant: &str, row: &str) -> Value {
    let words: Vec<&str> = row.split_whitespace().collect();
    match words.as_slice() {
        ["create", "user", name] => json!({
            "method": "POST", "path": "/Users", "bulkId": format!("b-{name}"),
            "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": name,
                     "name": {"familyName": "Bulk"}, "emails": [{"value": format!("{name}@example.com"), "primary": true}]}
        }),
        ["delete", "user", name] => {
            let id = world
                .remembered
                .get(&format!("user:{tenant}:{name}"))
                .cloned()
                .unwrap_or_else(|| (*name).to_string());
            json!({"method": "DELETE", "path": format!("/Users/{id}")})
        }
        ["create", "group", name] => json!({
            "method": "POST", "path": "/Groups", "bulkId": format!("b-{name}"),
            "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": name}
        }),
        _ => panic!(
            "unknown bulk operation {row:?}: use create user NAME, delete user NAME or create group NAME"
        ),
    }
}

#[when(expr = "the technical user sends to {string} a bulk request with the operations:")]
async fn bulk(world: &mut World, tenant: String, step: &Step) {
    let table = step.table.as_ref().expect("a table of operations");
    let operations: Vec<Value> = table
        .rows
        .iter()
        .map(|row| operation(world, &tenant, &row[0]))
        .collect();
    let body = json!({"schemas": [BULK_REQUEST], "Operations": operations});
    world.answer = Some(
        call(
            world,
            &tenant,
            "POST",
            "/scim/Bulk",
            Some(body),
            Auth::TechnicalUser,
        )
        .await,
    );
}

#[when(regex = r#"^the technical user sends to "([^"]+)" a bulk request of (\d+) user creations$"#)]
async fn bulk_many(world: &mut World, tenant: String, count: usize) {
    let operations: Vec<Value> = (0..count)
        .map(|i| operation(world, &tenant, &format!("create user bulk{i}")))
        .collect();
    let body = json!({"schemas": [BULK_REQUEST], "Operations": operations});
    world.answer = Some(
        call(
            world,
            &tenant,
            "POST",
            "/scim/Bulk",
            Some(body),
            Auth::TechnicalUser,
        )
        .await,
    );
}

#[when(
    regex = r#"^the technical user sends to "([^"]+)" a bulk request (with failOnErrors|where one operation refers to another by bulkId)$"#
)]
async fn bulk_unsupported(world: &mut World, tenant: String, what: String) {
    let mut body = json!({"schemas": [BULK_REQUEST], "Operations": [operation(world, &tenant, "create group Team")]});
    if what == "with failOnErrors" {
        body["failOnErrors"] = json!(1);
    } else {
        body["Operations"][0]["data"]["members"] = json!([{"value": "bulkId:b-amy"}]);
    }
    world.answer = Some(
        call(
            world,
            &tenant,
            "POST",
            "/scim/Bulk",
            Some(body),
            Auth::TechnicalUser,
        )
        .await,
    );
}

#[then(regex = r#"^the bulk operations answered (.+)$"#)]
async fn bulk_statuses(world: &mut World, statuses: String) {
    let expected: Vec<&str> = statuses.split(", ").map(|s| s.trim_matches('"')).collect();
    let body = &world.answer().body;
    let actual: Vec<&str> = body["Operations"]
        .as_array()
        .expect("Operations")
        .iter()
        .map(|o| o["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(actual, expected, "{body}");
}
