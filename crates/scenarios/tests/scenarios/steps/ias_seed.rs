//! Steps for seeding an IAS tenant with fake users and groups: `sapland seed ias` against the
//! scenario's landscape, the seeding endpoint of the admin surface, and what the tenant then holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::cli::run_sapland;
use super::landscape::{Auth, admin, call, resources, start};
use crate::world::World;

/// Where the file of a stopped landscape is kept for later steps.
const STOPPED_FILE: &str = "seed:stopped-landscape";
/// The noted userNames, one per line.
const NOTED: &str = "seed:userNames";

/// Runs `sapland seed ias` in the scenario's directory against its landscape (or, when none is
/// running, against whatever landscape.json the steps left behind, or the default path).
async fn seed_with_cli(world: &mut World, extra: Vec<String>) {
    let landscape_file: Option<PathBuf> = match &world.landscape {
        Some(landscape) => Some(landscape.file.clone()),
        None => world.remembered.get(STOPPED_FILE).map(PathBuf::from),
    };
    if let Some(landscape) = &world.landscape {
        world
            .secret_values
            .push(landscape.description.admin_token.clone());
        for tenant in &landscape.description.ias.tenants {
            world
                .secret_values
                .push(tenant.technical_user.client_secret.clone());
        }
    }
    let mut args: Vec<String> = ["seed", "ias"].map(String::from).to_vec();
    args.extend(extra);
    if let Some(file) = &landscape_file {
        args.push("--landscape".into());
        args.push(file.display().to_string());
    }
    let file = landscape_file
        .map(|f| f.display().to_string())
        .unwrap_or_default();
    run_sapland(world, args, file).await;
}

#[when(
    regex = r#"^I seed (\d+) users?(?: and (\d+) groups?)? into tenant "([^"]+)"(?: with seed (\d+))?( as JSON)?$"#
)]
async fn i_seed(
    world: &mut World,
    users: String,
    groups: String,
    tenant: String,
    seed: String,
    json: String,
) {
    let mut args = vec!["--tenant".to_string(), tenant, "--users".into(), users];
    if !groups.is_empty() {
        args.extend(["--groups".into(), groups]);
    }
    if !seed.is_empty() {
        args.extend(["--seed".into(), seed]);
    }
    if !json.is_empty() {
        args.extend(["--format".into(), "json".into()]);
    }
    seed_with_cli(world, args).await;
}

#[given("the landscape has stopped, leaving a copy of its landscape.json behind")]
async fn landscape_stopped(world: &mut World) {
    let landscape = world.landscape.take().expect("a landscape is running");
    let copy = world.path().join("stopped-landscape.json");
    std::fs::copy(&landscape.file, &copy).expect("landscape.json is copied");
    world
        .secret_values
        .push(landscape.description.admin_token.clone());
    landscape.shutdown().await;
    world.http = None;
    world
        .remembered
        .insert(STOPPED_FILE.into(), copy.display().to_string());
}

#[given("no landscape was started in this directory")]
async fn no_landscape(world: &mut World) {
    assert!(world.landscape.is_none() && !world.path().join(".sapland").exists());
}

#[then(regex = r"^the seeding summary reports (\d+) users and (\d+) groups$")]
async fn summary_reports(world: &mut World, users: u64, groups: u64) {
    let last = world.last();
    assert_eq!(last.code, 0, "stderr:\n{}", last.stderr);
    let expected = format!(": {users} users, {groups} groups (seed ");
    assert!(last.stdout.contains(&expected), "{}", last.stdout);
}

#[then(regex = r"^the seeding JSON reports (\d+) users, (\d+) groups and seed (\d+)$")]
async fn json_reports(world: &mut World, users: u64, groups: u64, seed: u64) {
    let last = world.last();
    assert_eq!(last.code, 0, "stderr:\n{}", last.stderr);
    let document: Value = serde_json::from_str(&last.stdout).expect("one JSON document");
    assert_eq!(document["users"], json!(users), "{document}");
    assert_eq!(document["groups"], json!(groups), "{document}");
    assert_eq!(document["seed"], json!(seed), "{document}");
}

#[when(regex = r#"^the seeding request (.+) is sent to the mock IAS for tenant "([^"]+)"$"#)]
async fn seeding_request(world: &mut World, body: String, tenant: String) {
    let body: Value = serde_json::from_str(&body).expect("the step gives JSON");
    let answer = admin(
        world,
        "POST",
        &format!("/_admin/ias/tenants/{tenant}/seed"),
        Some(body),
    )
    .await;
    world.answer = Some(answer);
}

/// Every resource of a tenant (scenarios seed at most 100 of each).
async fn everything(world: &mut World, tenant: &str, collection: &str) -> Vec<Value> {
    let answer = call(
        world,
        tenant,
        "GET",
        &format!("/scim/{collection}?count=100"),
        None,
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    let total = answer.body["totalResults"].as_u64().expect("totalResults");
    assert!(total <= 100, "scenarios keep seeding small, got {total}");
    resources(&answer.body)
}

#[then(expr = "tenant {string} now holds {int} groups")]
async fn holds_groups(world: &mut World, tenant: String, count: usize) {
    assert_eq!(everything(world, &tenant, "Groups").await.len(), count);
}

async fn user_names(world: &mut World, tenant: &str) -> BTreeSet<String> {
    everything(world, tenant, "Users")
        .await
        .iter()
        .map(|u| u["userName"].as_str().expect("a userName").to_string())
        .collect()
}

#[when(expr = "I note the userNames of tenant {string}")]
async fn note_user_names(world: &mut World, tenant: String) {
    let names = user_names(world, &tenant).await;
    assert!(!names.is_empty(), "the tenant holds users");
    let noted: Vec<String> = names.into_iter().collect();
    world.remembered.insert(NOTED.into(), noted.join("\n"));
}

#[given("a fresh mock landscape takes the place of the first")]
async fn fresh_landscape(world: &mut World) {
    if let Some(old) = world.landscape.take() {
        old.shutdown().await;
    }
    start(world, "state-again", 8).await;
}

#[then(expr = "tenant {string} holds exactly the noted userNames")]
async fn holds_noted(world: &mut World, tenant: String) {
    let noted: BTreeSet<String> = world
        .remembered
        .get(NOTED)
        .expect("userNames were noted")
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(user_names(world, &tenant).await, noted);
}

#[then(expr = "tenant {string} holds other userNames than the noted ones")]
async fn holds_other(world: &mut World, tenant: String) {
    let noted: BTreeSet<String> = world
        .remembered
        .get(NOTED)
        .expect("userNames were noted")
        .lines()
        .map(String::from)
        .collect();
    assert_ne!(user_names(world, &tenant).await, noted);
}

#[then(
    expr = "every user of tenant {string} is active and has an email of its own made of its userName"
)]
async fn own_emails(world: &mut World, tenant: String) {
    let users = everything(world, &tenant, "Users").await;
    assert!(!users.is_empty());
    let mut emails = BTreeSet::new();
    for user in &users {
        let user_name = user["userName"].as_str().expect("a userName");
        let parts: Vec<&str> = user_name.split('.').collect();
        assert!(
            parts.len() == 3
                && parts[..2].iter().all(|p| {
                    !p.is_empty()
                        && p.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                })
                && parts[2].parse::<u64>().is_ok(),
            "first.last.number: {user_name}"
        );
        let email = user["emails"][0]["value"].as_str().expect("an email");
        assert_eq!(email, format!("{user_name}@example.com"));
        assert!(emails.insert(email.to_string()), "{email} twice");
        assert_eq!(user["active"], json!(true), "{user}");
        assert_eq!(
            user["urn:ietf:params:scim:schemas:extension:sap:2.0:User"]["status"],
            json!("active"),
            "{user}"
        );
        assert!(
            user["displayName"]
                .as_str()
                .is_some_and(|d| d.contains(' '))
        );
    }
}

#[then(expr = "some users of tenant {string} have a department and a cost center")]
async fn some_departments(world: &mut World, tenant: String) {
    let users = everything(world, &tenant, "Users").await;
    let with = users
        .iter()
        .filter(|u| {
            let enterprise = &u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"];
            enterprise["department"].is_string() && enterprise["costCenter"].is_string()
        })
        .count();
    assert!(
        with > 0 && with < users.len(),
        "{with} of {} users",
        users.len()
    );
}

#[then(
    expr = "every group of tenant {string} has members from its users, and each member lists that group"
)]
async fn members_consistent(world: &mut World, tenant: String) {
    let groups = everything(world, &tenant, "Groups").await;
    let users: BTreeMap<String, Value> = everything(world, &tenant, "Users")
        .await
        .into_iter()
        .map(|u| (u["id"].as_str().expect("an id").to_string(), u))
        .collect();
    assert!(!groups.is_empty());
    for group in &groups {
        let group_id = group["id"].as_str().expect("a group id");
        let members = group["members"].as_array().expect("members");
        assert!(!members.is_empty(), "{group}");
        for member in members {
            let user_id = member["value"].as_str().expect("a member value");
            let user = users
                .get(user_id)
                .unwrap_or_else(|| panic!("member {user_id} is no user of {tenant}"));
            let listed = user["groups"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|g| g["value"] == json!(group_id));
            assert!(listed, "{user} does not list {group_id}");
        }
    }
}
