//! Steps for the admin surface every mock shares: faults, the journal, reset, state.

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::landscape::{admin, journal_at};
use crate::world::World;

#[given(
    regex = r"^the mock IAS answers (\d+) to the next (\d+) user creations?(?:, asking to retry after (\d+) seconds)?$"
)]
async fn status_fault(world: &mut World, status: u16, count: u64, retry_after: String) {
    let mut action = json!({"type": "status", "status": status});
    if !retry_after.is_empty() {
        action["retryAfter"] = json!(retry_after.parse::<u32>().expect("seconds"));
    }
    let rule = json!({"match": {"method": "POST", "path": "/scim/Users"}, "action": action, "limit": {"count": count}});
    let answer = admin(world, "POST", "/_admin/faults", Some(rule)).await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
}

#[given("the mock IAS answers every user creation with a malformed body")]
async fn malformed_fault(world: &mut World) {
    let rule = json!({"match": {"method": "POST", "path": "/scim/Users"}, "action": {"type": "malformedBody"}});
    let answer = admin(world, "POST", "/_admin/faults", Some(rule)).await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
}

#[when(regex = r"^a fault rule with (.+) is offered to the mock IAS$")]
async fn offer_rule(world: &mut World, rule: String) {
    let rule: Value = serde_json::from_str(&rule).expect("the step gives JSON");
    let answer = admin(world, "POST", "/_admin/faults", Some(rule)).await;
    world.answer = Some(answer);
}

#[then(expr = "the admin error says {string}")]
async fn admin_error(world: &mut World, text: String) {
    let answer = world.answer();
    assert!(
        (400..500).contains(&answer.status),
        "the admin surface accepted it ({}): {}",
        answer.status,
        answer.text
    );
    let message = answer.body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("the admin answer has no error: {}", answer.text))
        .to_string();
    let text = text.replace("\\\"", "\"");
    assert!(message.contains(&text), "expected {text:?} in {message:?}");
}

#[then("the mock IAS has no fault rules")]
async fn no_rules(world: &mut World) {
    let answer = admin(world, "GET", "/_admin/faults", None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["rules"], json!([]), "{:?}", answer.body);
}

#[then("the answer body is not valid JSON")]
async fn not_json(world: &mut World) {
    let text = &world.answer().text;
    assert!(!text.is_empty(), "the answer has no body at all");
    assert!(
        serde_json::from_str::<Value>(text).is_err(),
        "the answer body is JSON: {text}"
    );
}

#[then(
    regex = r"^the journal of the mock IAS shows (\d+) user creations?, the last answered (\d+), with the credentials masked$"
)]
async fn journal_shows(world: &mut World, count: usize, status: u16) {
    let base = world.landscape().description.ias.admin_url.clone();
    let journal = journal_at(world, &base).await;
    let entries: Vec<&Value> = journal
        .iter()
        .filter(|e| e["method"] == "POST" && e["path"] == "/scim/Users")
        .collect();
    assert_eq!(entries.len(), count, "{journal:#?}");
    let last = entries.last().expect("at least one user creation");
    assert_eq!(last["status"], json!(status), "{last:#}");
    let text = Value::Array(journal.clone()).to_string();
    for tenant in &world.landscape().description.ias.tenants {
        assert!(
            !text.contains(&tenant.technical_user.client_secret),
            "a client secret is in the journal"
        );
    }
    let authorization = entries[0]["requestHeaders"]
        .as_array()
        .expect("headers")
        .iter()
        .find(|h| h[0] == "authorization")
        .expect("an authorization header");
    assert_eq!(authorization[1], "Basic ****");
}

#[when("the mock IAS is reset")]
async fn reset(world: &mut World) {
    let answer = admin(world, "POST", "/_admin/reset", None).await;
    assert_eq!(answer.status, 204);
}

#[when("the state of the mock IAS is saved")]
async fn save_state(world: &mut World) {
    let answer = admin(world, "GET", "/_admin/state", None).await;
    assert_eq!(answer.status, 200);
    world
        .remembered
        .insert("state".into(), answer.body.to_string());
}

#[when("the saved state is loaded into the mock IAS")]
async fn load_state(world: &mut World) {
    let state: Value = serde_json::from_str(&world.remembered["state"]).expect("saved JSON");
    let answer = admin(world, "PUT", "/_admin/state", Some(state)).await;
    assert_eq!(answer.status, 204, "{:?}", answer.body);
}

#[when(regex = r"^a state whose tenant is named (.+) is loaded into the mock IAS$")]
async fn load_bad_state(world: &mut World, name: String) {
    let state = json!({"tenants": [{"name": name.trim_matches('"'), "directory": {"users": [], "groups": [], "nextUserNumber": 1}}]});
    let answer = admin(world, "PUT", "/_admin/state", Some(state)).await;
    world.answer = Some(answer);
}

#[when("someone without the admin token reads the journal of the mock IAS")]
async fn journal_without_token(world: &mut World) {
    let url = format!(
        "{}/_admin/journal",
        world.landscape().description.ias.admin_url
    );
    let client = super::landscape::client(world, None);
    let response = client
        .get(url)
        .send()
        .await
        .expect("the admin surface answers");
    world.answer = Some(super::landscape::answer(response).await);
}
