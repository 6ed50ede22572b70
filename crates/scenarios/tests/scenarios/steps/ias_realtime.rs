//! Steps for real-time provisioning from an IAS tenant: a stand-in for Identity Provisioning's
//! real-time API (a small HTTP server in the test that records every push), targets registered
//! on the mock's admin surface, user writes through SCIM v1 and v2 (with and without the
//! provisioning-job header), CSV imports, and the delivery log.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use super::landscape::{admin, answer, tenant};
use crate::world::{Answer, World};

const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// The header sapland's agent sends with a provisioning job's writes (**proposed**).
const JOB_HEADER: &str = "X-Sapland-Provisioning-Job";
/// The SCIM URL path of the stand-in, shaped as SAP documents the real-time API's.
const ENTITY_PATH: &str =
    "/ipsproxy/service/api/v1/systems/0c9a3e2f-1d2b-4c5e-9f00-5a1b2c3d4e5f/entities/user";
/// The client id the tenant pushes with.
const CLIENT_ID: &str = "rt-technical-user";

/// One request that reached the stand-in.
#[derive(Debug, Clone)]
struct Push {
    method: String,
    path: String,
    authorization: Option<String>,
    body: Value,
}

/// A stand-in for Identity Provisioning's real-time API.
#[derive(Debug, Default)]
struct StandIn {
    pushes: Mutex<Vec<Push>>,
    /// The status every push is answered with; 201 (204 for DELETE) when unset.
    status: Mutex<Option<u16>>,
}

/// The stand-ins of running scenarios, by base URL (the world holds only text).
static STAND_INS: LazyLock<Mutex<HashMap<String, Arc<StandIn>>>> = LazyLock::new(Default::default);

fn stand_in(world: &World) -> Arc<StandIn> {
    let url = world
        .remembered
        .get("realtime:stand-in")
        .expect("the scenario registers a real-time target first");
    STAND_INS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(url)
        .expect("the stand-in is running")
        .clone()
}

fn pushes(world: &World) -> Vec<Push> {
    stand_in(world)
        .pushes
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
}

/// Starts a stand-in on 127.0.0.1 (plain HTTP/1.1) and answers its base URL.
async fn start_stand_in() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("the stand-in can listen");
    let base = format!("http://{}", listener.local_addr().expect("a bound address"));
    let stand_in = Arc::new(StandIn::default());
    STAND_INS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(base.clone(), stand_in.clone());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, stand_in.clone()));
        }
    });
    base
}

/// Serves one connection: HTTP/1.1 requests with a Content-Length body, kept alive.
async fn serve(mut stream: TcpStream, stand_in: Arc<StandIn>) {
    let mut buffer: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default().to_string();
        let path = request_line.next().unwrap_or_default().to_string();
        let mut length = 0;
        let mut authorization = None;
        for line in lines {
            if let Some((name, value)) = line.split_once(':') {
                match name.trim().to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap_or(0),
                    "authorization" => authorization = Some(value.trim().to_string()),
                    _ => {}
                }
            }
        }
        while buffer.len() < head_end + length {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let body = serde_json::from_slice(&buffer[head_end..head_end + length]).unwrap_or_default();
        buffer.drain(..head_end + length);
        let configured = *stand_in
            .status
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let status = configured.unwrap_or(if method == "DELETE" { 204 } else { 201 });
        stand_in
            .pushes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Push {
                method,
                path,
                authorization,
                body,
            });
        let (reason, reply) = match status {
            201 => ("Created", "{}"),
            204 => ("No Content", ""),
            500 => (
                "Internal Server Error",
                r#"{"error":"the stand-in fails on purpose"}"#,
            ),
            _ => ("Status", "{}"),
        };
        let response = format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
            reply.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Standard base64 (for the expected Basic header).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for group in bytes.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A target registration body.
fn target_body(world: &World, version: u8) -> Value {
    json!({
        "displayName": "Identity Provisioning stand-in",
        "type": "Identity Provisioning",
        "url": format!("{}{ENTITY_PATH}", world.remembered["realtime:stand-in"]),
        "version": version,
        "authentication": {"basic": {
            "clientId": CLIENT_ID,
            "clientSecret": world.remembered["realtime:secret"],
        }},
    })
}

#[given(
    regex = r#"^tenant "([^"]+)" has a real-time target standing in for Identity Provisioning(?: with SCIM version (1|2))?(?:, which answers every push with (\d+))?$"#
)]
async fn a_target(world: &mut World, tenant_name: String, version: String, status: String) {
    let base = start_stand_in().await;
    let secret = format!("rt-secret-{}", base.rsplit(':').next().unwrap_or("0"));
    world.secret_values.push(secret.clone());
    world
        .remembered
        .insert("realtime:stand-in".into(), base.clone());
    world.remembered.insert("realtime:secret".into(), secret);
    if let Ok(status) = status.parse::<u16>() {
        *stand_in(world)
            .status
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(status);
    }
    let version = if version == "1" { 1 } else { 2 };
    let body = target_body(world, version);
    let path = format!("/_admin/ias/tenants/{tenant_name}/realtime-targets");
    let answer = admin(world, "POST", &path, Some(body)).await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    world
        .remembered
        .insert("realtime:registration".into(), answer.body.to_string());
}

/// Sends a SCIM request as the tenant's technical user, optionally as a provisioning job.
async fn scim(
    world: &mut World,
    tenant_name: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
    job: Option<&str>,
) -> Answer {
    let tenant = tenant(world, tenant_name);
    let client = super::landscape::client(world, None);
    let mut request = client
        .request(
            method.parse().expect("a method"),
            format!("{}{path}", tenant.url),
        )
        .basic_auth(
            &tenant.technical_user.client_id,
            Some(&tenant.technical_user.client_secret),
        );
    if let Some(job) = job {
        request = request.header(JOB_HEADER, job);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/scim+json")
            .body(body.to_string());
    }
    answer(request.send().await.expect("the mock answers")).await
}

fn id_of(world: &World, tenant_name: &str, user_name: &str) -> String {
    world
        .remembered
        .get(&format!("user:{tenant_name}:{user_name}"))
        .unwrap_or_else(|| panic!("the scenario created {user_name:?} in {tenant_name:?}"))
        .clone()
}

fn user_body(user_name: &str, family_name: &str) -> Value {
    json!({
        "schemas": [CORE_USER],
        "userName": user_name,
        "name": {"familyName": family_name},
        "emails": [{"value": format!("{user_name}@example.com"), "type": "work", "primary": true}],
    })
}

#[when(
    regex = r#"^an administrator creates the user "([^"]+)" in "([^"]+)" through SCIM version (1|2)(?: as the provisioning job "([^"]+)")?$"#
)]
async fn create(
    world: &mut World,
    user_name: String,
    tenant_name: String,
    version: String,
    job: String,
) {
    let job = (!job.is_empty()).then_some(job.as_str());
    let answer = if version == "1" {
        let body = json!({
            "userName": user_name,
            "name": {"familyName": "Doe"},
            "emails": [{"value": format!("{user_name}@example.com")}],
        });
        scim(
            world,
            &tenant_name,
            "POST",
            "/service/scim/Users",
            Some(body),
            job,
        )
        .await
    } else {
        let body = user_body(&user_name, "Doe");
        scim(world, &tenant_name, "POST", "/scim/Users", Some(body), job).await
    };
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    let uuid = if version == "1" {
        world.remembered.insert(
            format!("v1user:{tenant_name}:{user_name}"),
            answer.body["id"].as_str().expect("a user id").to_string(),
        );
        answer.body["userUuid"].as_str().expect("a userUuid")
    } else {
        answer.body["id"].as_str().expect("an id")
    };
    world
        .remembered
        .insert(format!("user:{tenant_name}:{user_name}"), uuid.to_string());
}

#[when(
    regex = r#"^an administrator changes the family name of "([^"]+)" in "([^"]+)" to "([^"]+)" with a (PATCH|PUT) through SCIM version 2$"#
)]
async fn change(
    world: &mut World,
    user_name: String,
    tenant_name: String,
    family_name: String,
    method: String,
) {
    let id = id_of(world, &tenant_name, &user_name);
    let body = if method == "PATCH" {
        json!({
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": "name.familyName", "value": family_name}],
        })
    } else {
        user_body(&user_name, &family_name)
    };
    let path = format!("/scim/Users/{id}");
    let answer = scim(world, &tenant_name, &method, &path, Some(body), None).await;
    assert!(
        answer.status == 200 || answer.status == 204,
        "{}: {:?}",
        answer.status,
        answer.body
    );
}

#[when(
    regex = r#"^an administrator deletes the user "([^"]+)" from "([^"]+)" through SCIM version 2$"#
)]
async fn delete(world: &mut World, user_name: String, tenant_name: String) {
    let id = id_of(world, &tenant_name, &user_name);
    let path = format!("/scim/Users/{id}");
    let answer = scim(world, &tenant_name, "DELETE", &path, None, None).await;
    assert_eq!(answer.status, 204, "{:?}", answer.body);
}

#[when(regex = r#"^an administrator imports into "([^"]+)" the CSV file:$"#)]
async fn import(world: &mut World, tenant_name: String, step: &Step) {
    let csv = step
        .docstring
        .as_ref()
        .expect("the CSV file as a doc string");
    let csv = csv.strip_prefix('\n').unwrap_or(csv);
    let description = &world.landscape().description;
    let url = format!(
        "{}/_admin/ias/tenants/{tenant_name}/users/import",
        description.ias.admin_url
    );
    let token = description.admin_token.clone();
    let client = super::landscape::client(world, None);
    let response = client
        .post(url)
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .expect("the admin surface answers");
    let answer = answer(response).await;
    for row in answer.body["rows"].as_array().into_iter().flatten() {
        if let (Some(name), Some(id)) = (row["userName"].as_str(), row["id"].as_str()) {
            world
                .remembered
                .insert(format!("user:{tenant_name}:{name}"), id.to_string());
        }
    }
    world.answer = Some(answer);
}

#[when(regex = r#"^the real-time pushes of "([^"]+)" have been delivered$"#)]
async fn delivered(world: &mut World, tenant_name: String) {
    let path = format!("/_admin/ias/tenants/{tenant_name}/realtime-deliveries/flush");
    let answer = admin(world, "POST", &path, None).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert_eq!(answer.body["pending"], 0, "{:?}", answer.body);
}

#[when(regex = r#"^an administrator registers for "([^"]+)" a real-time target (.+)$"#)]
async fn register_flawed(world: &mut World, tenant_name: String, flaw: String) {
    world
        .remembered
        .insert("realtime:stand-in".into(), "http://127.0.0.1:9".into());
    world
        .remembered
        .insert("realtime:secret".into(), "flawed-target-secret".into());
    world.secret_values.push("flawed-target-secret".into());
    let mut body = target_body(world, 2);
    let path = format!("/_admin/ias/tenants/{tenant_name}/realtime-targets");
    let raw = match flaw.as_str() {
        r#"of type "SAP Jam""# => {
            body["type"] = json!("SAP Jam");
            None
        }
        "with SCIM version 3" => {
            body["version"] = json!(3);
            None
        }
        "with both Basic and OAuth authentication" => {
            body["authentication"]["oauth"] = json!({
                "tokenUrl": "https://127.0.0.1:9/oauth2/token",
                "clientId": CLIENT_ID,
                "clientSecret": "flawed-target-secret",
            });
            None
        }
        "without a client secret" => {
            body["authentication"]["basic"]
                .as_object_mut()
                .expect("basic")
                .remove("clientSecret");
            None
        }
        "whose URL is a SCIM Users endpoint" => {
            body["url"] = json!("http://127.0.0.1:9/scim/Users");
            None
        }
        "whose body is cut off" => {
            let text = body.to_string();
            Some(text[..text.len() / 2].to_string())
        }
        other => panic!("no such flaw: {other}"),
    };
    let answer = match raw {
        None => admin(world, "POST", &path, Some(body)).await,
        Some(text) => {
            let description = &world.landscape().description;
            let url = format!("{}{path}", description.ias.admin_url);
            let token = description.admin_token.clone();
            let client = super::landscape::client(world, None);
            let response = client
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(text)
                .send()
                .await
                .expect("the admin surface answers");
            answer(response).await
        }
    };
    world.answer = Some(answer);
}

#[then(regex = r#"^the registration is refused, mentioning "(.+)"$"#)]
async fn registration_refused(world: &mut World, expected: String) {
    let answer = world.answer();
    assert_eq!(answer.status, 400, "{:?}", answer.body);
    let error = answer.body["error"].as_str().expect("an error message");
    assert!(error.contains(&expected), "{expected:?} in {error:?}");
    assert!(
        !error.contains("flawed-target-secret"),
        "the error shows the secret: {error}"
    );
}

#[then(regex = r#"^tenant "([^"]+)" has no real-time targets$"#)]
async fn no_targets(world: &mut World, tenant_name: String) {
    let path = format!("/_admin/ias/tenants/{tenant_name}/realtime-targets");
    let answer = admin(world, "GET", &path, None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["targets"], json!([]), "{:?}", answer.body);
}

#[then(regex = r"^the stand-in for Identity Provisioning received (\d+) push(?:es)?$")]
async fn received_count(world: &mut World, count: usize) {
    let pushes = pushes(world);
    assert_eq!(pushes.len(), count, "{pushes:#?}");
}

#[then(
    regex = r#"^the stand-in received the creation of "([^"]+)" from "([^"]+)" as a SCIM version (1|2) user$"#
)]
async fn received_creation(
    world: &mut World,
    user_name: String,
    tenant_name: String,
    version: String,
) {
    let pushes = pushes(world);
    let push = pushes
        .iter()
        .find(|p| p.method == "POST" && p.body["userName"] == user_name.as_str())
        .unwrap_or_else(|| panic!("no push of {user_name:?} in {pushes:#?}"));
    assert_eq!(push.path, ENTITY_PATH);
    let credentials = format!("{CLIENT_ID}:{}", world.remembered["realtime:secret"]);
    assert_eq!(
        push.authorization.as_deref(),
        Some(format!("Basic {}", base64(credentials.as_bytes())).as_str()),
        "the push authenticates with the target's client id and secret"
    );
    let uuid = id_of(world, &tenant_name, &user_name);
    if version == "2" {
        assert_eq!(push.body["id"], uuid.as_str(), "{:?}", push.body);
        assert!(
            push.body["schemas"]
                .as_array()
                .is_some_and(|s| s.contains(&json!(CORE_USER))),
            "{:?}",
            push.body
        );
        assert!(
            push.body["meta"]["location"]
                .as_str()
                .is_some_and(|l| l.ends_with(&format!("/scim/Users/{uuid}")))
        );
    } else {
        let user_id = push.body["id"].as_str().expect("a v1 id");
        assert!(
            user_id.len() == 7
                && user_id.starts_with('P')
                && user_id[1..].bytes().all(|b| b.is_ascii_digit()),
            "{:?}",
            push.body
        );
        assert_eq!(push.body["userUuid"], uuid.as_str(), "{:?}", push.body);
    }
}

#[then(regex = r#"^the stand-in received an update of "([^"]+)" with the family name "([^"]+)"$"#)]
async fn received_update(world: &mut World, user_name: String, family_name: String) {
    let pushes = pushes(world);
    let first = pushes
        .iter()
        .position(|p| p.body["userName"] == user_name.as_str())
        .unwrap_or_else(|| panic!("no push of {user_name:?} in {pushes:#?}"));
    assert!(
        pushes[first + 1..].iter().any(|p| p.method == "POST"
            && p.path == ENTITY_PATH
            && p.body["userName"] == user_name.as_str()
            && p.body["name"]["familyName"] == family_name.as_str()),
        "no update of {user_name:?} to {family_name:?} after its creation in {pushes:#?}"
    );
}

#[then(regex = r#"^the stand-in received the deletion of "([^"]+)" from "([^"]+)" last$"#)]
async fn received_deletion(world: &mut World, user_name: String, tenant_name: String) {
    let id = id_of(world, &tenant_name, &user_name);
    let pushes = pushes(world);
    let last = pushes.last().expect("pushes");
    assert_eq!(last.method, "DELETE", "{pushes:#?}");
    assert_eq!(last.path, format!("{ENTITY_PATH}/{id}"));
    assert_eq!(last.body, Value::Null);
}

#[then(regex = r#"^the stand-in received nothing about "([^"]+)"$"#)]
async fn received_nothing(world: &mut World, user_name: String) {
    let pushes = pushes(world);
    assert!(
        !pushes
            .iter()
            .any(|p| p.body["userName"] == user_name.as_str()),
        "{pushes:#?}"
    );
}

async fn deliveries(world: &mut World, tenant_name: &str) -> Vec<Value> {
    let path = format!("/_admin/ias/tenants/{tenant_name}/realtime-deliveries");
    let answer = admin(world, "GET", &path, None).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    answer.body["deliveries"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("the real-time log lists no deliveries: {}", answer.text))
}

#[then(
    regex = r#"^the real-time log of "([^"]+)" shows the (CREATE|UPDATE|DELETE) of "([^"]+)" as "(Finished Successfully|Finished with Error)"(?: with HTTP status (\d+))?$"#
)]
async fn logged(
    world: &mut World,
    tenant_name: String,
    operation: String,
    user_name: String,
    state: String,
    status: String,
) {
    let deliveries = deliveries(world, &tenant_name).await;
    let delivery = deliveries
        .iter()
        .find(|d| d["operation"] == operation.as_str() && d["userName"] == user_name.as_str())
        .unwrap_or_else(|| panic!("no {operation} of {user_name:?} in {deliveries:#?}"));
    assert_eq!(delivery["state"], state.as_str(), "{delivery:#}");
    assert_eq!(delivery["time"], super::landscape::START, "{delivery:#}");
    if state == "Finished with Error" {
        assert!(delivery["error"].is_string(), "{delivery:#}");
    }
    if let Ok(status) = status.parse::<u16>() {
        assert_eq!(delivery["httpStatus"], status, "{delivery:#}");
    }
}

#[then(regex = r#"^the real-time log of "([^"]+)" shows (\d+) deliver(?:y|ies)$"#)]
async fn logged_count(world: &mut World, tenant_name: String, count: usize) {
    let deliveries = deliveries(world, &tenant_name).await;
    assert_eq!(deliveries.len(), count, "{deliveries:#?}");
}

#[then(regex = r"^the import reports (.+)$")]
async fn import_reports(world: &mut World, expected: String) {
    let answer = world.answer();
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    let rows: Vec<String> = answer.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            format!(
                "\"{}\" {}",
                row["userName"].as_str().unwrap_or_default(),
                row["result"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(rows.join(", "), expected, "{:?}", answer.body);
}

#[then(regex = r"^the import is refused naming row (\d+) and column (\d+)$")]
async fn import_refused(world: &mut World, row: usize, column: usize) {
    let answer = world.answer();
    assert_eq!(answer.status, 400, "{:?}", answer.body);
    assert_eq!(answer.body["row"], row, "{:?}", answer.body);
    assert_eq!(answer.body["column"], column, "{:?}", answer.body);
    let error = answer.body["error"].as_str().expect("an error");
    assert!(
        error.contains(&format!("row {row}")) && error.contains(&format!("column {column}")),
        "{error}"
    );
}

#[then(regex = r#"^the admin surface counts (\d+) users? in "([^"]+)"$"#)]
async fn counts_users(world: &mut World, count: usize, tenant_name: String) {
    let answer = admin(world, "GET", "/_admin/ias/tenants", None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let tenant = answer.body["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .find(|t| t["name"] == tenant_name.as_str())
        .expect("the tenant")
        .clone();
    assert_eq!(tenant["users"], count, "{tenant:#}");
}

#[then(
    regex = r#"^no secret of the real-time target of "([^"]+)" appears in the mock IAS's answers$"#
)]
async fn no_target_secret(world: &mut World, tenant_name: String) {
    let mut shown = vec![world.remembered["realtime:registration"].clone()];
    for path in [
        format!("/_admin/ias/tenants/{tenant_name}/realtime-targets"),
        format!("/_admin/ias/tenants/{tenant_name}/realtime-deliveries"),
        "/_admin/journal".to_string(),
    ] {
        let answer = admin(world, "GET", &path, None).await;
        assert_eq!(answer.status, 200, "{path}: {:?}", answer.body);
        shown.push(answer.body.to_string());
    }
    let secret = &world.remembered["realtime:secret"];
    for text in &shown {
        assert!(
            !text.contains(secret.as_str()),
            "the secret appears in {text}"
        );
    }
}
