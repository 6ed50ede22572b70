//! Steps that talk to the mock Cloud ALM's UAA and API over HTTPS as any client would: tokens
//! by secret (three ways) or certificate, and calls with or without them.

use cucumber::{then, when};
use serde_json::{Value, json};

use super::calm::calm;
use super::calm_keys::{KEY_FILE, remember_secrets};
use super::landscape::{answer, client};
use crate::world::World;

/// The key of a kind: the landscape's `secret` or `X.509` key, or `that` key a step wrote.
fn key(world: &mut World, kind: &str) -> Value {
    let file = match kind {
        "secret" => calm(world).service_key,
        "X.509" => calm(world)
            .service_key_x509
            .expect("the landscape serves HTTPS"),
        _ => world.path().join(KEY_FILE),
    };
    let text = std::fs::read_to_string(&file).expect("the service key is readable");
    let key: Value = serde_json::from_str(&text).expect("the service key is JSON");
    remember_secrets(world, &key);
    key
}

fn text<'a>(key: &'a Value, member: &str) -> &'a str {
    key["uaa"][member]
        .as_str()
        .unwrap_or_else(|| panic!("the key has no uaa.{member}"))
}

/// Keeps the answer, and the token when there is one.
async fn keep(world: &mut World, response: reqwest::Response) {
    let answer = answer(response).await;
    if let Some(token) = answer.body["access_token"].as_str() {
        world.secret_values.push(token.to_string());
        world
            .remembered
            .insert("calm token".into(), token.to_string());
    }
    world.answer = Some(answer);
}

const FORM: &str = "application/x-www-form-urlencoded";

#[when(
    regex = r"^a client asks the Cloud ALM UAA for a token with the (secret) key (in a Basic header|in form fields|by GET with the grant type in the query|and a wrong secret)$"
)]
pub(crate) async fn token_by_secret(world: &mut World, kind: String, how: String) {
    let key = key(world, kind.trim_end_matches(" service"));
    let url = format!("{}/oauth/token", text(&key, "url").trim_end_matches('/'));
    let id = text(&key, "clientid").to_string();
    let secret = match how.as_str() {
        "and a wrong secret" => "not-the-secret-of-this-client".to_string(),
        _ => text(&key, "clientsecret").to_string(),
    };
    let http = client(world, None);
    let request = match how.as_str() {
        "in form fields" => http.post(&url).header("content-type", FORM).body(format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope=",
            super::landscape::encode(&id),
            super::landscape::encode(&secret)
        )),
        "by GET with the grant type in the query" => http
            .get(format!(
                "{url}?grant_type=client_credentials&response_type=token"
            ))
            .basic_auth(&id, Some(&secret)),
        _ => http
            .post(&url)
            .basic_auth(&id, Some(&secret))
            .header("content-type", FORM)
            .body("grant_type=client_credentials"),
    };
    let response = request.send().await.expect("the UAA answers");
    keep(world, response).await;
}

#[when(regex = r"^a client asks the Cloud ALM UAA for a token with that service key$")]
async fn token_by_that_key(world: &mut World) {
    token_by_secret(world, "that service".into(), "in a Basic header".into()).await;
}

#[when(
    regex = r"^a client asks the Cloud ALM UAA at (uaa\.url|uaa\.certurl) for a token (with the X\.509 key's client id|without a client certificate|with the X\.509 key's certificate)$"
)]
async fn token_by_certificate(world: &mut World, at: String, how: String) {
    let key = key(world, "X.509");
    let base = text(&key, at.trim_start_matches("uaa."));
    let url = format!("{}/oauth/token", base.trim_end_matches('/'));
    let identity = (how == "with the X.509 key's certificate")
        .then(|| format!("{}\n{}", text(&key, "certificate"), text(&key, "key")));
    let body = format!(
        "grant_type=client_credentials&client_id={}",
        super::landscape::encode(text(&key, "clientid"))
    );
    let response = client(world, identity.as_deref().map(str::as_bytes))
        .post(&url)
        .header("content-type", FORM)
        .body(body)
        .send()
        .await
        .expect("the UAA answers");
    keep(world, response).await;
}

#[then("the token is a bearer token that expires in 43199 seconds and must not be cached")]
fn bearer_token(world: &mut World) {
    let answer = world.answer();
    assert_eq!(answer.body["token_type"], "bearer", "{:?}", answer.body);
    assert_eq!(answer.body["expires_in"], json!(43199));
    assert_eq!(
        answer.headers.get("cache-control").map(String::as_str),
        Some("no-store")
    );
}

/// The scopes of the last token answer, which must have granted a token.
fn scopes(world: &World) -> Vec<String> {
    let answer = world.answer();
    assert_eq!(answer.status, 200, "no token was granted: {}", answer.text);
    answer.body["scope"]
        .as_str()
        .unwrap_or_else(|| panic!("the token answer has no scope: {}", answer.text))
        .split(' ')
        .map(str::to_string)
        .collect()
}

#[then(regex = r#"^the token (grants|does not grant) the scope "([^"]+)"$"#)]
fn token_scope(world: &mut World, grants: String, scope: String) {
    let scopes = scopes(world);
    let granted = scopes.iter().any(|s| s.ends_with(&format!(".{scope}")));
    assert_eq!(granted, grants == "grants", "{scopes:?}");
}

#[when(
    regex = r"^the client lists the landscape objects of Cloud ALM (with the token|without a token|with the token but without /api in the URL)$"
)]
async fn list_landscape_objects(world: &mut World, how: String) {
    let root = calm(world).url;
    let path = "/calm-landscape/v1/landscapeObjects";
    let url = match how.as_str() {
        "with the token but without /api in the URL" => format!("{root}{path}"),
        _ => format!("{root}/api{path}"),
    };
    let mut request = client(world, None).get(&url);
    if how != "without a token" {
        let token = world
            .remembered
            .get("calm token")
            .cloned()
            .expect("a token was fetched");
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("Cloud ALM answers");
    world.answer = Some(answer(response).await);
}

#[then(expr = "the answer lists the cloud service {string}")]
fn lists_cloud_service(world: &mut World, service_type: String) {
    let answer = world.answer();
    assert_eq!(answer.status, 200, "{}", answer.text);
    let body = &answer.body;
    let objects = body
        .as_array()
        .unwrap_or_else(|| panic!("not a list of landscape objects: {body:#}"));
    assert!(
        objects
            .iter()
            .any(|o| o["objectType"] == "CloudService" && o["serviceType"] == service_type.as_str()),
        "{body:#}"
    );
}
