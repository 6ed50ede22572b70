//! Steps for Cloud ALM service keys: `sapland calm check` with the keys the landscape writes,
//! keys made wrong on purpose, and keys of service instances created with fewer authorities.

use std::path::PathBuf;

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::calm::{calm, calm_admin};
use super::cli::run_sapland;
use super::landscape::journal_at;
use crate::world::World;

/// The file name a scenario's own key is written to.
pub(crate) const KEY_FILE: &str = "calm-key.json";

/// The landscape's key file of a kind: `secret` or `X.509`.
fn landscape_key(world: &World, kind: &str) -> PathBuf {
    let calm = calm(world);
    match kind {
        "secret" => calm.service_key,
        "X.509" => calm
            .service_key_x509
            .expect("the landscape serves HTTPS, so it writes an X.509 key"),
        other => panic!("no {other:?} service key; the landscape writes secret and X.509 keys"),
    }
}

/// Reads a key file, remembering its secrets so no output may show them.
fn read_key(world: &mut World, file: &PathBuf) -> Value {
    let text = std::fs::read_to_string(file).expect("the service key is readable");
    let key: Value = serde_json::from_str(&text).expect("the service key is JSON");
    let secrets = remember_secrets(world, &key);
    assert!(
        secrets > 0,
        "{}: the key holds neither uaa.clientsecret nor uaa.key",
        file.display()
    );
    key
}

/// Remembers the client secret and the private key of a key, where it holds them, so no
/// output may show them; answers how many it found.
pub(crate) fn remember_secrets(world: &mut World, key: &Value) -> usize {
    let secrets: Vec<String> = ["clientsecret", "key"]
        .iter()
        .filter_map(|member| key["uaa"][member].as_str())
        .map(str::to_string)
        .collect();
    let found = secrets.len();
    world.secret_values.extend(secrets);
    found
}

/// Runs `sapland calm check --format json` with a key file and the landscape.
async fn check(world: &mut World, key: PathBuf) {
    let landscape = world.landscape().file.display().to_string();
    let key = key.display().to_string();
    let args = [
        "calm",
        "check",
        "--service-key",
        &key,
        "--landscape",
        &landscape,
        "--format",
        "json",
    ]
    .map(String::from)
    .to_vec();
    run_sapland(world, args, key).await;
}

/// The check's JSON report.
fn report(world: &World) -> Value {
    let stdout = &world.last().stdout;
    serde_json::from_str(stdout).unwrap_or_else(|err| panic!("not a JSON report ({err}): {stdout}"))
}

#[when(regex = r"^I check the landscape's (secret|X\.509) service key$")]
async fn check_landscape_key(world: &mut World, kind: String) {
    let file = landscape_key(world, &kind);
    read_key(world, &file);
    check(world, file).await;
}

#[when("I check that service key")]
async fn check_that_key(world: &mut World) {
    check(world, world.path().join(KEY_FILE)).await;
}

/// The member a dotted path such as `uaa.url` names.
fn member<'a>(key: &'a mut Value, path: &str) -> &'a mut Value {
    path.split('.').fold(key, |value, name| &mut value[name])
}

/// Applies one change of a step: `"X" appended to "path"`, `"path" removed`, `"X" cut from
/// "path"` or `a wrong client secret`.
fn change(key: &mut Value, text: &str) {
    let quoted: Vec<&str> = text.split('"').skip(1).step_by(2).collect();
    match (quoted.as_slice(), text) {
        (_, "a wrong client secret") => {
            key["uaa"]["clientsecret"] = json!("not-the-secret-of-this-client-0000000000000000");
        }
        ([suffix, path], _) if text.contains(" appended to ") => {
            let value = member(key, path);
            *value = json!(format!("{}{suffix}", value.as_str().expect("a string")));
        }
        ([suffix, path], _) if text.contains(" cut from ") => {
            let value = member(key, path);
            let cut = value
                .as_str()
                .and_then(|text| text.strip_suffix(suffix))
                .unwrap_or_else(|| panic!("{path} does not end in {suffix}"))
                .to_string();
            *value = json!(cut);
        }
        ([path], _) if text.ends_with(" removed") => {
            let (parent, name) = path.rsplit_once('.').expect("a member of an object");
            member(key, parent)
                .as_object_mut()
                .expect("an object")
                .remove(name)
                .unwrap_or_else(|| panic!("the key has no {path}"));
        }
        _ => panic!("unknown change of a service key: {text}"),
    }
}

#[given(regex = r"^the landscape's (secret|X\.509) service key with (.+)$")]
fn key_with_changes(world: &mut World, kind: String, changes: String) {
    let file = landscape_key(world, &kind);
    let mut key = read_key(world, &file);
    for text in changes.split(" and ") {
        change(&mut key, text);
    }
    remember_secrets(world, &key);
    let text = serde_json::to_string_pretty(&key).expect("JSON");
    std::fs::write(world.path().join(KEY_FILE), text).expect("the key is written");
}

#[given(
    regex = r"^a service key file holding the first (\d+) lines of the landscape's secret service key$"
)]
fn key_cut_short(world: &mut World, lines: usize) {
    let file = landscape_key(world, "secret");
    read_key(world, &file);
    let text = std::fs::read_to_string(&file).expect("readable");
    let cut: Vec<&str> = text.lines().take(lines).collect();
    std::fs::write(world.path().join(KEY_FILE), cut.join("\n")).expect("the key is written");
}

#[given(regex = r#"^a Cloud ALM service instance "([^"]+)" with only the authority "([^"]+)"$"#)]
async fn instance_with_authority(world: &mut World, name: String, authority: String) {
    let body = json!({
        "name": name,
        "authorities": [format!("$XSMASTERAPPNAME.{authority}")],
        "credentialType": "binding-secret",
    });
    let answer = calm_admin(world, "POST", "/_admin/calm/instances", Some(body)).await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    assert!(
        remember_secrets(world, &answer.body) > 0,
        "the new instance's key holds no secret: {:#}",
        answer.body
    );
    let text = serde_json::to_string_pretty(&answer.body).expect("JSON");
    std::fs::write(world.path().join(KEY_FILE), text).expect("the key is written");
}

#[then(expr = "the check reports the credential type {string}")]
fn reports_credential_type(world: &mut World, expected: String) {
    assert_eq!(report(world)["credentialType"], json!(expected));
}

#[then(
    regex = r#"^the check reports the token URL "(uaa\.url|uaa\.certurl)/oauth/token" of the key$"#
)]
fn reports_token_url(world: &mut World, member_name: String) {
    let key: Value = serde_json::from_str(
        &std::fs::read_to_string(&world.last().file).expect("the key is readable"),
    )
    .expect("JSON");
    let base = key["uaa"][member_name.trim_start_matches("uaa.")]
        .as_str()
        .expect("the key has the URL");
    assert_eq!(
        report(world)["tokenUrl"],
        json!(format!("{}/oauth/token", base.trim_end_matches('/')))
    );
}

#[then(expr = "the check reports the scope {string}")]
fn reports_scope(world: &mut World, scope: String) {
    let report = report(world);
    let scopes = report["token"]["scopes"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("the report shows no token scopes: {report:#}"));
    assert!(
        scopes
            .iter()
            .filter_map(Value::as_str)
            .any(|granted| granted == scope || granted.ends_with(&format!(".{scope}"))),
        "{report:#}"
    );
}

#[then(regex = r#"^the check reports that "([^"]+)" answered (\d+)$"#)]
fn reports_call(world: &mut World, call: String, status: u16) {
    let report = report(world);
    assert_eq!(report["apiCall"]["call"], json!(call), "{report:#}");
    assert_eq!(report["apiCall"]["status"], json!(status), "{report:#}");
    assert_eq!(report["ok"], json!(status == 200), "{report:#}");
}

/// A check that reached Cloud ALM prints its report even when the connection does not work, as
/// a connector's "Save and test" shows what it tried; the error goes to stderr.
#[then(expr = "the check fails with exit code {int}")]
fn check_fails_with(world: &mut World, code: u8) {
    let last = world.last();
    assert_eq!(last.code, code, "stderr:\n{}", last.stderr);
    assert_eq!(report(world)["ok"], json!(false));
    assert!(last.stderr.starts_with("error: "), "{}", last.stderr);
}

#[then("the check reports that the token failed")]
fn reports_token_failed(world: &mut World) {
    let report = report(world);
    assert_eq!(report["token"]["status"], "failed", "{report:#}");
    assert!(report["apiCall"].is_null(), "{report:#}");
    assert_eq!(report["ok"], json!(false));
}

#[then("the error names the key file with the line and column of the problem")]
fn names_key_file(world: &mut World) {
    let stderr = &world.last().stderr;
    let at = stderr
        .find(&format!("{KEY_FILE}: line "))
        .unwrap_or_else(|| panic!("the key file is not named: {stderr}"));
    let rest = &stderr[at + KEY_FILE.len() + ": line ".len()..];
    let (line, rest) = rest.split_once(", column ").expect("a column");
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    assert!(
        line.parse::<usize>().is_ok() && !column.is_empty(),
        "{stderr}"
    );
}

#[then("Cloud ALM received no request")]
async fn no_request(world: &mut World) {
    let base = calm(world).admin_url;
    let entries = journal_at(world, &base).await;
    assert!(entries.is_empty(), "{entries:#?}");
}
