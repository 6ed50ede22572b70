//! Steps for an IAS tenant: users, groups, queries, authentication, throttling.

use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::landscape::{Auth, admin, call, encode, table_rows};
use crate::world::World;

const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const SAP_USER: &str = "urn:ietf:params:scim:schemas:extension:sap:2.0:User";
const CORE_GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

/// A user body in the shape SAP's clients send ([REC] reference/ips-ias.md §3.4).
fn user_body(user_name: &str, email: &str, family_name: &str) -> Value {
    json!({
        "schemas": [CORE_USER],
        "userName": user_name,
        "name": {"familyName": family_name},
        "emails": [{"value": email, "type": "work", "primary": true}],
    })
}

/// Reads a SCIM attribute from a resource: `name.familyName`, `emails[0].value`, or an
/// extension attribute written `urn:…:User:status`.
pub(crate) fn attribute<'a>(resource: &'a Value, path: &str) -> Option<&'a Value> {
    let (mut current, rest) = if path.starts_with("urn:") {
        let (urn, attr) = path.rsplit_once(':')?;
        (resource.get(urn)?, attr)
    } else {
        (resource, path)
    };
    for part in rest.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, index)) => (name, Some(index_of(path, index))),
            None => (part, None),
        };
        current = current.get(name)?;
        if let Some(i) = index {
            current = current.get(i)?;
        }
    }
    Some(current)
}

/// The index of `name[index]` in an attribute path.
pub(crate) fn index_of(path: &str, index: &str) -> usize {
    index
        .strip_suffix(']')
        .and_then(|index| index.parse().ok())
        .unwrap_or_else(|| panic!("{path}: [{index} is not an index such as [0]"))
}

async fn user_by_name(world: &mut World, tenant: &str, user_name: &str) -> Value {
    let filter = format!("userName eq \"{user_name}\"");
    let path = format!("/scim/Users?filter={}", encode(&filter));
    let answer = call(world, tenant, "GET", &path, None, Auth::TechnicalUser).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    answer.body["Resources"]
        .get(0)
        .cloned()
        .unwrap_or_else(|| panic!("no user {user_name:?} in {tenant:?}"))
}

#[given(expr = "an IAS tenant {string} with SCIM API version 2")]
async fn an_ias_tenant(world: &mut World, tenant: String) {
    let _ = super::landscape::tenant(world, &tenant);
}

#[given(regex = r#"^tenant "([^"]+)" allows the same email for several users$"#)]
async fn emails_not_unique(world: &mut World, tenant: String) {
    let answer = admin(
        world,
        "PUT",
        &format!("/_admin/ias/tenants/{tenant}/uniqueness"),
        Some(json!({"emailUnique": false})),
    )
    .await;
    assert_eq!(answer.status, 204, "{:?}", answer.body);
}

#[when(
    regex = r#"^the technical user creates in "([^"]+)" the user "([^"]+)" with email "([^"]+)"(?: and SAP status "([^"]+)")?$"#
)]
async fn create_user(
    world: &mut World,
    tenant: String,
    user_name: String,
    email: String,
    status: String,
) {
    let mut body = user_body(&user_name, &email, "Doe");
    if !status.is_empty() {
        body["schemas"] = json!([CORE_USER, SAP_USER]);
        body[SAP_USER] = json!({"status": status});
    }
    let answer = call(
        world,
        &tenant,
        "POST",
        "/scim/Users",
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    if let Some(id) = answer.body.get("id").and_then(Value::as_str) {
        world
            .remembered
            .insert(format!("user:{tenant}:{user_name}"), id.to_string());
    }
    world.answer = Some(answer);
}

#[given(expr = "tenant {string} holds the users:")]
async fn tenant_holds_users(world: &mut World, tenant: String, step: &Step) {
    for row in table_rows(step) {
        let cell = |name: &str| row.get(name).cloned().unwrap_or_default();
        assert!(
            !cell("userName").is_empty(),
            "a user without a userName: {row:?}"
        );
        let family = cell("familyName");
        let body = user_body(
            &cell("userName"),
            &cell("email"),
            if family.is_empty() { "Doe" } else { &family },
        );
        let answer = call(
            world,
            &tenant,
            "POST",
            "/scim/Users",
            Some(body),
            Auth::TechnicalUser,
        )
        .await;
        assert_eq!(answer.status, 201, "{:?}", answer.body);
        let id = answer.body["id"].as_str().expect("an id").to_string();
        world
            .remembered
            .insert(format!("user:{tenant}:{}", cell("userName")), id);
    }
}

#[when(
    regex = r#"^the technical user sends to "([^"]+)" a user body (that is not JSON|as text/plain|with the unknown schema "[^"]+"|larger than 2 MiB)$"#
)]
async fn send_bad_user(world: &mut World, tenant: String, what: String) {
    let tenant_info = super::landscape::tenant(world, &tenant);
    let client = super::landscape::client(world, None);
    let user = &tenant_info.technical_user;
    let url = format!("{}/scim/Users", tenant_info.url);
    let (content_type, body) = if what == "that is not JSON" {
        ("application/scim+json", "{\"userName\": \"x\",".to_string())
    } else if what == "larger than 2 MiB" {
        let mut body = user_body("x", "x@example.com", "X");
        body["title"] = json!("x".repeat(2 * 1024 * 1024 + 1));
        ("application/scim+json", body.to_string())
    } else if what == "as text/plain" {
        (
            "text/plain",
            user_body("x", "x@example.com", "X").to_string(),
        )
    } else {
        let urn = what.split('"').nth(1).expect("a quoted URN");
        let mut body = user_body("x", "x@example.com", "X");
        body["schemas"] = json!([CORE_USER, urn]);
        ("application/scim+json", body.to_string())
    };
    let response = client
        .post(url)
        .basic_auth(&user.client_id, Some(&user.client_secret))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("the mock answers");
    world.answer = Some(super::landscape::answer(response).await);
}

#[when(regex = r#"^the technical user reads the user "([^"]+)" in "([^"]+)"$"#)]
async fn read_user(world: &mut World, user_name: String, tenant: String) {
    let id = world
        .remembered
        .get(&format!("user:{tenant}:{user_name}"))
        .cloned()
        .unwrap_or(user_name);
    let answer = call(
        world,
        &tenant,
        "GET",
        &format!("/scim/Users/{id}"),
        None,
        Auth::TechnicalUser,
    )
    .await;
    world.answer = Some(answer);
}

#[when(
    regex = r#"^the technical user changes in "([^"]+)" the user "([^"]+)" with the operation (add|replace|remove) of "([^"]+)"(?: to (.+))?$"#
)]
async fn patch_user(
    world: &mut World,
    tenant: String,
    user_name: String,
    op: String,
    path: String,
    value: String,
) {
    let id = world
        .remembered
        .get(&format!("user:{tenant}:{user_name}"))
        .cloned()
        .expect("the user was created");
    let mut operation = json!({"op": op, "path": path});
    if !value.is_empty() {
        operation["value"] = serde_json::from_str(&value).expect("the value is JSON");
    }
    let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [operation]});
    let answer = call(
        world,
        &tenant,
        "PATCH",
        &format!("/scim/Users/{id}"),
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    world.answer = Some(answer);
}

#[when(regex = r#"^the technical user searches "([^"]+)" for users with the filter (.+)$"#)]
async fn search_users(world: &mut World, tenant: String, filter: String) {
    let answer = call(
        world,
        &tenant,
        "GET",
        &format!("/scim/Users?filter={}", encode(&filter)),
        None,
        Auth::TechnicalUser,
    )
    .await;
    world.answer = Some(answer);
}

#[when(regex = r#"^the technical user lists the users of "([^"]+)" with (.+)$"#)]
async fn list_users_with(world: &mut World, tenant: String, query: String) {
    let query = query.replace(" and ", "&").replace(' ', "");
    let answer = call(
        world,
        &tenant,
        "GET",
        &format!("/scim/Users?{query}"),
        None,
        Auth::TechnicalUser,
    )
    .await;
    world.answer = Some(answer);
}

#[when(
    regex = r#"^the technical user creates in "([^"]+)" the group "([^"]+)" with the members (.+)$"#
)]
async fn create_group(world: &mut World, tenant: String, name: String, members: String) {
    let members: Vec<Value> = members
        .split(", ")
        .map(|m| m.trim_matches('"'))
        .map(|m| {
            let id = world
                .remembered
                .get(&format!("user:{tenant}:{m}"))
                .cloned()
                .unwrap_or_else(|| m.to_string());
            json!({"value": id, "type": "User"})
        })
        .collect();
    let body = json!({"schemas": [CORE_GROUP], "displayName": name, "members": members});
    let answer = call(
        world,
        &tenant,
        "POST",
        "/scim/Groups",
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    if let Some(id) = answer.body.get("id").and_then(Value::as_str) {
        world
            .remembered
            .insert(format!("group:{tenant}:{name}"), id.to_string());
    }
    world.answer = Some(answer);
}

#[when(regex = r#"^the technical user deletes in "([^"]+)" the (user|group) "([^"]+)"$"#)]
async fn delete_resource(world: &mut World, tenant: String, kind: String, name: String) {
    let id = world
        .remembered
        .get(&format!("{kind}:{tenant}:{name}"))
        .cloned()
        .expect("created earlier");
    let collection = if kind == "user" { "Users" } else { "Groups" };
    let answer = call(
        world,
        &tenant,
        "DELETE",
        &format!("/scim/{collection}/{id}"),
        None,
        Auth::TechnicalUser,
    )
    .await;
    world.answer = Some(answer);
}

#[then(expr = "the answer is {int}")]
async fn the_answer_is(world: &mut World, status: u16) {
    let answer = world.answer();
    assert_eq!(answer.status, status, "{:?}", answer.body);
}

#[then("the answer has no body")]
async fn no_body(world: &mut World) {
    let text = &world.answer().text;
    assert!(text.is_empty(), "the answer has a body: {text}");
}

#[then("the answer has a Location of the user and an ETag of its version")]
async fn location_and_etag(world: &mut World) {
    let answer = world.answer();
    let id = answer.body["id"].as_str().expect("an id");
    assert!(
        answer.headers["location"].ends_with(&format!("/scim/Users/{id}")),
        "{:?}",
        answer.headers
    );
    let version = answer.body["meta"]["version"].as_str().expect("a version");
    assert_eq!(answer.headers["etag"], format!("\"{version}\""));
    assert_eq!(answer.headers["content-type"], "application/scim+json");
}

#[then(regex = r#"^the SCIM error has status "(\d+)"(?: and type "(\w+)")?$"#)]
async fn scim_error(world: &mut World, status: String, scim_type: String) {
    let body = &world.answer().body;
    assert_eq!(
        body["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:Error"]),
        "{body}"
    );
    assert_eq!(
        body["status"],
        json!(status),
        "the status is a string: {body}"
    );
    if !scim_type.is_empty() {
        assert_eq!(body["scimType"], json!(scim_type), "{body}");
    }
}

#[then(expr = "the SCIM error says {string}")]
async fn scim_error_says(world: &mut World, text: String) {
    let answer = world.answer();
    let detail = answer.body["detail"]
        .as_str()
        .unwrap_or_else(|| panic!("the answer has no SCIM error detail: {}", answer.text))
        .to_string();
    assert!(detail.contains(&text), "expected {text:?} in {detail:?}");
}

#[then(regex = r#"^the user "([^"]+)" in "([^"]+)" has (\S+) (".*"|true|false|\d+)$"#)]
async fn user_has(
    world: &mut World,
    user_name: String,
    tenant: String,
    path: String,
    expected: String,
) {
    let user = user_by_name(world, &tenant, &user_name).await;
    let expected: Value = serde_json::from_str(&expected).expect("a JSON value");
    assert_eq!(attribute(&user, &path), Some(&expected), "{path} of {user}");
}

#[then(
    regex = r#"^the user "([^"]+)" in "([^"]+)" has an id that is a UUID equal to its SAP userUuid and a SAP userId of P and six digits$"#
)]
async fn user_ids(world: &mut World, user_name: String, tenant: String) {
    let user = user_by_name(world, &tenant, &user_name).await;
    let id = user["id"].as_str().expect("an id");
    assert_eq!(id.len(), 36);
    assert_eq!(id.matches('-').count(), 4);
    assert_eq!(user[SAP_USER]["userUuid"], json!(id));
    let user_id = user[SAP_USER]["userId"].as_str().expect("a userId");
    assert!(
        user_id.len() == 7
            && user_id.starts_with('P')
            && user_id[1..].chars().all(|c| c.is_ascii_digit()),
        "{user_id}"
    );
}

#[then(regex = r#"^the emails of "([^"]+)" in "([^"]+)" are, primary first: (.+)$"#)]
async fn emails_in_order(world: &mut World, user_name: String, tenant: String, emails: String) {
    let user = user_by_name(world, &tenant, &user_name).await;
    let expected: Vec<&str> = emails.split(", ").map(|e| e.trim_matches('"')).collect();
    let actual: Vec<&str> = user["emails"]
        .as_array()
        .expect("emails")
        .iter()
        .map(|e| e["value"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(actual, expected);
    let primaries: Vec<bool> = user["emails"]
        .as_array()
        .expect("emails")
        .iter()
        .map(|e| e["primary"] == json!(true))
        .collect();
    assert_eq!(
        primaries.iter().filter(|p| **p).count(),
        1,
        "exactly one primary: {user}"
    );
    assert!(primaries[0], "the primary email comes first");
}

#[then(expr = "tenant {string} holds {int} user(s)")]
async fn tenant_holds(world: &mut World, tenant: String, count: u64) {
    let answer = call(
        world,
        &tenant,
        "GET",
        "/scim/Users?count=0",
        None,
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.body["totalResults"],
        json!(count),
        "{:?}",
        answer.body
    );
}

#[then(regex = r"^the answer lists (\d+) of (\d+) users?(?:: (.+))?$")]
async fn answer_lists(world: &mut World, page: usize, total: u64, names: String) {
    let body = &world.answer().body;
    assert_eq!(body["totalResults"], json!(total), "{body}");
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

#[then(regex = r#"^the next page starts at (the next user|"end")$"#)]
async fn next_page(world: &mut World, next: String) {
    let next_id = world.answer().body["nextId"]
        .as_str()
        .expect("a nextId")
        .to_string();
    if next == "\"end\"" {
        assert_eq!(next_id, "end");
    } else {
        assert_ne!(next_id, "end");
        world.remembered.insert("nextId".into(), next_id);
    }
}

#[when(regex = r#"^the technical user reads the next page of "([^"]+)" with count=(\d+)$"#)]
async fn read_next_page(world: &mut World, tenant: String, count: u32) {
    let next = world
        .remembered
        .get("nextId")
        .cloned()
        .expect("a next page");
    let answer = call(
        world,
        &tenant,
        "GET",
        &format!("/scim/Users?startId={next}&count={count}"),
        None,
        Auth::TechnicalUser,
    )
    .await;
    world.answer = Some(answer);
}

#[then(regex = r#"^the user "([^"]+)" in "([^"]+)" belongs to (?:the groups? )?(.+)$"#)]
async fn user_groups(world: &mut World, user_name: String, tenant: String, groups: String) {
    let user = user_by_name(world, &tenant, &user_name).await;
    let actual: Vec<&str> = user
        .get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|g| g["display"].as_str().unwrap_or_default())
        .collect();
    let expected: Vec<&str> = if groups == "no group" {
        Vec::new()
    } else {
        groups.split(", ").map(|g| g.trim_matches('"')).collect()
    };
    assert_eq!(actual, expected, "{user}");
    assert_eq!(user["meta"]["groups.cnt"], json!(expected.len()));
}

#[when(
    regex = r#"^the technical user of "([^"]+)" lists its users (with Basic authentication|with its client certificate|without credentials|with the client secret "[^"]+"|with a token from the token endpoint|with the remembered token)$"#
)]
async fn list_with_auth(world: &mut World, tenant: String, how: String) {
    let info = super::landscape::tenant(world, &tenant);
    let auth = match how.as_str() {
        "with Basic authentication" => Auth::TechnicalUser,
        "with its client certificate" => Auth::Certificate,
        "without credentials" => Auth::None,
        "with a token from the token endpoint" => {
            let token = fetch_token(world, &tenant).await;
            world.remembered.insert("token".into(), token.clone());
            Auth::Bearer(token)
        }
        "with the remembered token" => Auth::Bearer(
            world
                .remembered
                .get("token")
                .cloned()
                .expect("a token was fetched"),
        ),
        other => Auth::Basic(
            info.technical_user.client_id.clone(),
            other.split('"').nth(1).expect("a secret").to_string(),
        ),
    };
    let answer = call(world, &tenant, "GET", "/scim/Users", None, auth).await;
    world.answer = Some(answer);
}

async fn fetch_token(world: &mut World, tenant: &str) -> String {
    let info = super::landscape::tenant(world, tenant);
    let client = super::landscape::client(world, None);
    let response = client
        .post(&info.token_url)
        .basic_auth(
            &info.technical_user.client_id,
            Some(&info.technical_user.client_secret),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("the token endpoint answers");
    let answer = super::landscape::answer(response).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert_eq!(answer.body["token_type"], "Bearer");
    assert_eq!(answer.body["expires_in"], 3600);
    answer.body["access_token"]
        .as_str()
        .expect("a token")
        .to_string()
}

#[when(
    regex = r#"^a client asks the token endpoint of "([^"]+)" for a token with the secret "([^"]+)"$"#
)]
async fn token_with_secret(world: &mut World, tenant: String, secret: String) {
    let info = super::landscape::tenant(world, &tenant);
    let client = super::landscape::client(world, None);
    let response = client
        .post(&info.token_url)
        .basic_auth(&info.technical_user.client_id, Some(&secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("the token endpoint answers");
    world.answer = Some(super::landscape::answer(response).await);
}

#[then(expr = "the OAuth error is {string}")]
async fn oauth_error(world: &mut World, code: String) {
    assert_eq!(
        world.answer().body["error"],
        json!(code),
        "{:?}",
        world.answer().body
    );
}

#[given(regex = r#"^tenant "([^"]+)" has a technical user "([^"]+)" with only the roles? (.+)$"#)]
async fn technical_user_with_roles(world: &mut World, tenant: String, name: String, roles: String) {
    let roles: Vec<&str> = roles.split(" and ").map(|r| r.trim_matches('"')).collect();
    let answer = admin(
        world,
        "POST",
        &format!("/_admin/ias/tenants/{tenant}/technical-users"),
        Some(json!({"name": name, "roles": roles})),
    )
    .await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    world.remembered.insert(
        format!("tu:{name}:id"),
        answer.body["clientId"].as_str().expect("an id").to_string(),
    );
    world.remembered.insert(
        format!("tu:{name}:secret"),
        answer.body["clientSecret"]
            .as_str()
            .expect("a secret")
            .to_string(),
    );
}

#[when(regex = r#"^"([^"]+)" (lists the users|lists the groups|creates a user) of "([^"]+)"$"#)]
async fn as_technical_user(world: &mut World, name: String, action: String, tenant: String) {
    let auth = Auth::Basic(
        world.remembered[&format!("tu:{name}:id")].clone(),
        world.remembered[&format!("tu:{name}:secret")].clone(),
    );
    let answer = match action.as_str() {
        "lists the users" => call(world, &tenant, "GET", "/scim/Users", None, auth).await,
        "lists the groups" => call(world, &tenant, "GET", "/scim/Groups", None, auth).await,
        _ => {
            call(
                world,
                &tenant,
                "POST",
                "/scim/Users",
                Some(user_body("someone", "someone@example.com", "One")),
                auth,
            )
            .await
        }
    };
    world.answer = Some(answer);
}

#[when(regex = r#"^the technical user sends (\d+) requests to "([^"]+)" within a minute$"#)]
async fn burst(world: &mut World, count: usize, tenant: String) {
    let mut statuses = Vec::with_capacity(count);
    let mut delayed = 0;
    for _ in 0..count {
        let answer = call(
            world,
            &tenant,
            "GET",
            "/scim/Users?count=0",
            None,
            Auth::TechnicalUser,
        )
        .await;
        if answer
            .headers
            .get("x-sapland-throttle")
            .is_some_and(|v| v == "delayed")
        {
            delayed += 1;
        }
        statuses.push(answer.status);
        world.answer = Some(answer);
    }
    world.remembered.insert(
        "served".into(),
        statuses.iter().filter(|s| **s == 200).count().to_string(),
    );
    world
        .remembered
        .insert("delayed".into(), delayed.to_string());
    world.remembered.insert(
        "rejected".into(),
        statuses.iter().filter(|s| **s == 429).count().to_string(),
    );
}

#[then(
    regex = r"^(\d+) were served at once, (\d+) were served after a delay of 1 second and (\d+) (?:was|were) answered 429$"
)]
async fn burst_outcome(world: &mut World, at_once: usize, delayed: usize, rejected: usize) {
    let served: usize = world.remembered["served"].parse().expect("a count");
    let was_delayed: usize = world.remembered["delayed"].parse().expect("a count");
    let was_rejected: usize = world.remembered["rejected"].parse().expect("a count");
    assert_eq!(
        (served - was_delayed, was_delayed, was_rejected),
        (at_once, delayed, rejected)
    );
}

#[then(expr = "the answer says to retry after {int} seconds")]
async fn retry_after(world: &mut World, seconds: u64) {
    assert_eq!(
        world
            .answer()
            .headers
            .get("retry-after")
            .map(String::as_str),
        Some(seconds.to_string().as_str()),
        "{:?}",
        world.answer().headers
    );
}

#[given(expr = "throttling is off for tenant {string}")]
async fn throttling_off(world: &mut World, tenant: String) {
    let answer = admin(
        world,
        "PUT",
        &format!("/_admin/ias/tenants/{tenant}/throttling"),
        Some(json!({"mode": "off"})),
    )
    .await;
    assert_eq!(answer.status, 204, "{:?}", answer.body);
}

#[then(regex = r#"^the user "([^"]+)" in "([^"]+)" has no attribute "([^"]+)"$"#)]
async fn user_lacks(world: &mut World, user_name: String, tenant: String, path: String) {
    let user = user_by_name(world, &tenant, &user_name).await;
    assert_eq!(attribute(&user, &path), None, "{path} is in {user}");
    let id = world
        .remembered
        .get(&format!("user:{tenant}:{user_name}"))
        .cloned()
        .expect("created in the scenario");
    let single = call(
        world,
        &tenant,
        "GET",
        &format!("/scim/Users/{id}"),
        None,
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(single.status, 200, "{}", single.text);
    assert_eq!(
        attribute(&single.body, &path),
        None,
        "{path} is in {}",
        single.body
    );
}

#[given(
    regex = r#"^tenant "([^"]+)" has a technical user "([^"]+)" with an uploaded certificate and only the role "([^"]+)"$"#
)]
async fn technical_user_with_certificate(
    world: &mut World,
    tenant: String,
    name: String,
    role: String,
) {
    let ca = world
        .landscape()
        .ca
        .clone()
        .expect("the landscape serves HTTPS");
    let identity = ca
        .client_identity(&name)
        .expect("the landscape CA issues a certificate");
    let body = json!({"name": name, "roles": [role], "certificatePem": identity.cert_pem});
    let answer = admin(
        world,
        "POST",
        &format!("/_admin/ias/tenants/{tenant}/technical-users"),
        Some(body),
    )
    .await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    assert_eq!(
        answer.body["certificateSubject"],
        json!(format!("CN={name}"))
    );
    world.remembered.insert(
        format!("tu:{name}:pem"),
        identity.pem_bundle().expose().to_string(),
    );
}

#[when(regex = r#"^"([^"]+)" lists the users of "([^"]+)" with its certificate$"#)]
async fn list_with_uploaded_certificate(world: &mut World, name: String, tenant: String) {
    let pem = world
        .remembered
        .get(&format!("tu:{name}:pem"))
        .cloned()
        .expect("the certificate was uploaded");
    world.answer = Some(
        call(
            world,
            &tenant,
            "GET",
            "/scim/Users",
            None,
            Auth::Identity(pem),
        )
        .await,
    );
}
