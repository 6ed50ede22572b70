//! Steps for the deprecated SCIM REST API (version 1) of an IAS tenant, under `/service/scim`:
//! users by P-number user id, groups by their 24-character id, on the same store as version 2.

use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::ias::attribute;
use super::landscape::{Auth, call, encode, table_rows, tenant};
use crate::world::World;

const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const SAP_USER: &str = "urn:ietf:params:scim:schemas:extension:sap:2.0:User";
const CORE_GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const CUSTOM_GROUP: &str = "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group";
/// Where the tenant of the last version 1 create or page is remembered.
const LAST_TENANT: &str = "v1:tenant";

fn last_tenant(world: &World) -> String {
    world
        .remembered
        .get(LAST_TENANT)
        .cloned()
        .expect("a version 1 request was sent to a tenant")
}

/// A version 1 user body in the shape of SAP's create example ([DOC] reference/ips-ias.md
/// §3.3): one email, the flags as strings.
fn v1_user_body(user_name: &str, email: &str, family_name: Option<&str>) -> Value {
    let mut body = json!({
        "schemas": [CORE_USER],
        "userName": user_name,
        "name": {},
        "emails": [{"value": email}],
        "sendMail": "false",
        "mailVerified": "false",
    });
    if let Some(family_name) = family_name {
        body["name"]["familyName"] = json!(family_name);
    }
    body
}

/// Creates a user through version 1, remembers its user id and its version 2 id, and answers
/// the answer.
async fn create_v1_user(
    world: &mut World,
    tenant_name: &str,
    user_name: &str,
    body: Value,
) -> crate::world::Answer {
    world
        .remembered
        .insert(LAST_TENANT.into(), tenant_name.to_string());
    let answer = call(
        world,
        tenant_name,
        "POST",
        "/service/scim/Users",
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    if let (Some(id), Some(uuid)) = (
        answer.body.get("id").and_then(Value::as_str),
        answer.body.get("userUuid").and_then(Value::as_str),
    ) {
        world
            .remembered
            .insert(format!("v1user:{tenant_name}:{user_name}"), id.to_string());
        world
            .remembered
            .insert(format!("user:{tenant_name}:{user_name}"), uuid.to_string());
    }
    answer
}

/// The version 1 id of a user: remembered from a version 1 create, else read in version 2
/// (its SAP `userId`).
async fn v1_id(world: &mut World, tenant_name: &str, user_name: &str) -> String {
    if let Some(id) = world
        .remembered
        .get(&format!("v1user:{tenant_name}:{user_name}"))
    {
        return id.clone();
    }
    let filter = format!("userName eq \"{user_name}\"");
    let path = format!("/scim/Users?filter={}", encode(&filter));
    let answer = call(world, tenant_name, "GET", &path, None, Auth::TechnicalUser).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.body["Resources"][0][SAP_USER]["userId"]
        .as_str()
        .unwrap_or_else(|| panic!("no user {user_name:?} in {tenant_name:?}: {}", answer.body))
        .to_string()
}

fn group_id(world: &World, tenant_name: &str, name: &str) -> String {
    world
        .remembered
        .get(&format!("v1group:{tenant_name}:{name}"))
        .cloned()
        .unwrap_or_else(|| panic!("the group {name:?} was created through version 1"))
}

#[when(
    regex = r#"^the technical user creates in "([^"]+)" through SCIM version 1 the user "([^"]+)" with email "([^"]+)" and (?:family name "([^"]+)"|no family name)$"#
)]
async fn create_user(
    world: &mut World,
    tenant_name: String,
    user_name: String,
    email: String,
    family_name: String,
) {
    let family = (!family_name.is_empty()).then_some(family_name.as_str());
    let body = v1_user_body(&user_name, &email, family);
    let answer = create_v1_user(world, &tenant_name, &user_name, body).await;
    world.answer = Some(answer);
}

#[given(expr = "tenant {string} holds through SCIM version 1 the users:")]
async fn holds_v1_users(world: &mut World, tenant_name: String, step: &Step) {
    for row in table_rows(step) {
        let cell = |name: &str| row.get(name).cloned().unwrap_or_default();
        let user_name = cell("userName");
        let family = cell("familyName");
        let mut body = v1_user_body(
            &user_name,
            &cell("email"),
            Some(if family.is_empty() { "Doe" } else { &family }),
        );
        if !cell("givenName").is_empty() {
            body["name"]["givenName"] = json!(cell("givenName"));
        }
        if !cell("country").is_empty() {
            body["addresses"] = json!([{"type": "work", "country": cell("country")}]);
        }
        let answer = create_v1_user(world, &tenant_name, &user_name, body).await;
        assert_eq!(answer.status, 201, "{:?}", answer.body);
    }
}

#[given(
    regex = r#"^tenant "([^"]+)" holds through SCIM version 1 a group "([^"]+)" with (\d+) users$"#
)]
async fn holds_big_group(world: &mut World, tenant_name: String, name: String, count: usize) {
    let mut members = Vec::with_capacity(count);
    for i in 1..=count {
        let user_name = format!("member{i}");
        let body = v1_user_body(
            &user_name,
            &format!("{user_name}@example.com"),
            Some("Member"),
        );
        let answer = create_v1_user(world, &tenant_name, &user_name, body).await;
        assert_eq!(answer.status, 201, "{:?}", answer.body);
        members.push(json!({"value": answer.body["id"]}));
    }
    let body = json!({"schemas": [CORE_GROUP], "displayName": name, "members": members});
    let answer = call(
        world,
        &tenant_name,
        "POST",
        "/service/scim/Groups",
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    remember_group(world, &tenant_name, &name, &answer.body);
}

fn remember_group(world: &mut World, tenant_name: &str, name: &str, group: &Value) {
    if let Some(id) = group.get("id").and_then(Value::as_str) {
        world
            .remembered
            .insert(format!("v1group:{tenant_name}:{name}"), id.to_string());
    }
    if let Some(uuid) = group[CUSTOM_GROUP]["groupId"].as_str() {
        world
            .remembered
            .insert(format!("group:{tenant_name}:{name}"), uuid.to_string());
    }
}

#[when(
    regex = r#"^the technical user reads through SCIM version 1 the (user|group) "([^"]+)" of "([^"]+)"$"#
)]
async fn read(world: &mut World, kind: String, name: String, tenant_name: String) {
    let path = if kind == "user" {
        format!(
            "/service/scim/Users/{}",
            v1_id(world, &tenant_name, &name).await
        )
    } else {
        format!(
            "/service/scim/Groups/{}",
            group_id(world, &tenant_name, &name)
        )
    };
    let answer = call(world, &tenant_name, "GET", &path, None, Auth::TechnicalUser).await;
    world.answer = Some(answer);
}

#[when(
    regex = r#"^the technical user updates through SCIM version 1 the user "([^"]+)" of "([^"]+)" with (\S+) (".*")$"#
)]
async fn update_user(
    world: &mut World,
    user_name: String,
    tenant_name: String,
    path: String,
    value: String,
) {
    let id = v1_id(world, &tenant_name, &user_name).await;
    let mut body = json!({"schemas": [CORE_USER], "id": id});
    let value: Value = serde_json::from_str(&value).expect("the step gives a JSON string");
    let mut target = &mut body;
    let parts: Vec<&str> = path.split('.').collect();
    for part in &parts[..parts.len() - 1] {
        target = &mut target[*part];
    }
    target[parts[parts.len() - 1]] = value;
    let answer = call(
        world,
        &tenant_name,
        "PUT",
        &format!("/service/scim/Users/{id}"),
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    world.answer = Some(answer);
}

#[when(
    regex = r#"^the technical user searches "([^"]+)" through SCIM version 1 for users with the filter (.+)$"#
)]
async fn search(world: &mut World, tenant_name: String, filter: String) {
    let path = format!("/service/scim/Users?filter={}", encode(&filter));
    let answer = call(world, &tenant_name, "GET", &path, None, Auth::TechnicalUser).await;
    world.answer = Some(answer);
}

#[when(
    regex = r#"^the technical user pages through SCIM version 1 the users of "([^"]+)" from (startId=initial|the next id) with count=(\d+)$"#
)]
async fn page(world: &mut World, tenant_name: String, from: String, count: u32) {
    let start = if from == "startId=initial" {
        "initial".to_string()
    } else {
        world
            .remembered
            .get("v1:nextId")
            .cloned()
            .expect("a next page")
    };
    world
        .remembered
        .insert(LAST_TENANT.into(), tenant_name.clone());
    let path = format!("/service/scim/Users?startId={start}&count={count}");
    let answer = call(world, &tenant_name, "GET", &path, None, Auth::TechnicalUser).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    world.answer = Some(answer);
}

#[when(
    regex = r#"^the technical user creates in "([^"]+)" through SCIM version 1 the group "([^"]+)" with the members (.+)$"#
)]
async fn create_group(world: &mut World, tenant_name: String, name: String, members: String) {
    let mut values = Vec::new();
    for member in members.split(", ").map(|m| m.trim_matches('"')) {
        values.push(json!({"value": v1_id(world, &tenant_name, member).await}));
    }
    let body = json!({"schemas": [CORE_GROUP], "displayName": name, "members": values});
    let answer = call(
        world,
        &tenant_name,
        "POST",
        "/service/scim/Groups",
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    remember_group(world, &tenant_name, &name, &answer.body);
    world.answer = Some(answer);
}

#[when(
    regex = r#"^the technical user replaces through SCIM version 1 the group "([^"]+)" of "([^"]+)" with a body whose id is "([^"]+)"$"#
)]
async fn replace_group(world: &mut World, name: String, tenant_name: String, body_id: String) {
    let id = group_id(world, &tenant_name, &name);
    let body = json!({"schemas": [CORE_GROUP], "id": body_id, "displayName": name});
    let answer = call(
        world,
        &tenant_name,
        "PUT",
        &format!("/service/scim/Groups/{id}"),
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    world.answer = Some(answer);
}

#[when(
    regex = r#"^the technical user sends a PATCH through SCIM version 1 to the user "([^"]+)" of "([^"]+)"$"#
)]
async fn patch_user(world: &mut World, user_name: String, tenant_name: String) {
    let id = v1_id(world, &tenant_name, &user_name).await;
    let body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "displayName", "value": "X"}],
    });
    let answer = call(
        world,
        &tenant_name,
        "PATCH",
        &format!("/service/scim/Users/{id}"),
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    world.answer = Some(answer);
}

#[then("the version 1 user has an id of P and six digits and a userUuid")]
async fn p_number(world: &mut World) {
    let body = &world.answer().body;
    let id = body["id"].as_str().expect("an id");
    assert!(
        id.len() == 7 && id.starts_with('P') && id[1..].chars().all(|c| c.is_ascii_digit()),
        "{body}"
    );
    let uuid = body["userUuid"].as_str().expect("a userUuid");
    assert_eq!((uuid.len(), uuid.matches('-').count()), (36, 4), "{body}");
}

#[then(
    regex = r#"^the answer's Location is the tenant URL with "([^"]+)" and its meta.location the tenant URL with "([^"]+)"$"#
)]
async fn location(world: &mut World, header_path: String, meta_path: String) {
    let url = tenant(world, &last_tenant(world)).url;
    let answer = world.answer();
    let id = answer.body["id"].as_str().expect("an id");
    let expected = |path: &str| format!("{url}{}", path.replace("<id>", id));
    assert_eq!(
        answer.headers.get("location"),
        Some(&expected(&header_path)),
        "{:?}",
        answer.headers
    );
    assert_eq!(answer.body["meta"]["location"], json!(expected(&meta_path)));
}

#[then(regex = r#"^the version 1 user has (\S+) (".*"|true|false|\d+)$"#)]
async fn v1_user_has(world: &mut World, path: String, expected: String) {
    let expected: Value = serde_json::from_str(&expected).expect("a JSON value");
    let body = &world.answer().body;
    assert_eq!(attribute(body, &path), Some(&expected), "{path} of {body}");
}

#[then(regex = r"^the version 1 user has no (\S+), as a user in status new$")]
async fn v1_user_lacks(world: &mut World, path: String) {
    let answer = world.answer();
    assert!(
        matches!(answer.status, 200 | 201),
        "no user was answered ({}): {}",
        answer.status,
        answer.text
    );
    let body = &answer.body;
    assert_eq!(attribute(body, &path), None, "{body}");
}

#[then(
    regex = r#"^the version 1 user's userUuid is the id of "([^"]+)" in "([^"]+)" in version 2$"#
)]
async fn uuid_is_v2_id(world: &mut World, user_name: String, tenant_name: String) {
    let uuid = world.answer().body["userUuid"].clone();
    let v2_id = world
        .remembered
        .get(&format!("user:{tenant_name}:{user_name}"))
        .cloned()
        .expect("created in version 2");
    assert_eq!(uuid, json!(v2_id));
}

#[then(regex = r"^the version 1 answer lists (\d+) of (\d+) users?(?:: (.+))?$")]
async fn lists(world: &mut World, page: usize, total: u64, names: String) {
    let body = &world.answer().body;
    assert_eq!(body["totalResults"], json!(total), "{body}");
    assert_eq!(body["itemsPerPage"], json!(page), "{body}");
    let resources = body["Resources"].as_array().expect("Resources");
    assert_eq!(resources.len(), page, "{body}");
    if !names.is_empty() {
        let expected: Vec<&str> = names.split(", ").map(|n| n.trim_matches('"')).collect();
        let actual: Vec<&str> = resources
            .iter()
            .map(|r| r["userName"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(actual, expected);
    }
}

#[then(regex = r#"^the next version 1 page starts at (?:the user "([^"]+)"|"(end)")$"#)]
async fn next_page(world: &mut World, user_name: String, end: String) {
    let next = world.answer().body["nextId"]
        .as_str()
        .expect("a nextId")
        .to_string();
    if end == "end" {
        assert_eq!(next, "end");
    } else {
        let tenant_name = last_tenant(world);
        assert_eq!(next, v1_id(world, &tenant_name, &user_name).await);
        world.remembered.insert("v1:nextId".into(), next);
    }
}

#[then(regex = r#"^the answer carries the header X-message-code "([^"]+)"$"#)]
async fn message_code(world: &mut World, code: String) {
    let answer = world.answer();
    assert_eq!(
        answer.headers.get("x-message-code"),
        Some(&code),
        "{:?}",
        answer.headers
    );
}

#[then(regex = r#"^the version 1 group "([^"]+)" of "([^"]+)" has (\d+) members?$"#)]
async fn group_has(world: &mut World, name: String, tenant_name: String, count: usize) {
    let id = group_id(world, &tenant_name, &name);
    let answer = call(
        world,
        &tenant_name,
        "GET",
        &format!("/service/scim/Groups/{id}"),
        None,
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    let members = answer.body["members"].as_array().map_or(0, Vec::len);
    assert_eq!(members, count, "{}", answer.body);
}

#[then(regex = r"^the version 1 group in the answer shows (\d+) members$")]
async fn answer_shows(world: &mut World, count: usize) {
    let body = &world.answer().body;
    let members = body["members"].as_array().expect("members");
    assert_eq!(members.len(), count);
    assert!(
        members
            .iter()
            .all(|m| m["value"].as_str().is_some_and(|v| v.starts_with('P'))),
        "members are named by user id: {body}"
    );
}

#[then(regex = r#"^the group "([^"]+)" of "([^"]+)" has (\d+) members in version 2$"#)]
async fn v2_members(world: &mut World, name: String, tenant_name: String, count: usize) {
    let uuid = world
        .remembered
        .get(&format!("group:{tenant_name}:{name}"))
        .cloned()
        .expect("the group was created");
    let answer = call(
        world,
        &tenant_name,
        "GET",
        &format!("/scim/Groups/{uuid}"),
        None,
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert_eq!(answer.body["members"].as_array().map_or(0, Vec::len), count);
}
