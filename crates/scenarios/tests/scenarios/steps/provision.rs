//! Steps for provisioning jobs: systems written as IPS exports into the scenario's `systems/`
//! directory, a file source, jobs run through `sapland provision run` against the scenario's
//! landscape, and checks of job logs and tenants.

use std::collections::BTreeMap;

use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::cli::run_sapland;
use super::landscape::{
    Auth, admin, call, encode, journal_at, journal_end, resources, seq, table_rows, tenant,
};
use crate::world::World;

/// The file the file source reads, in `systems/`.
const USERS_FILE: &str = "users.ndjson";

fn systems_dir(world: &World) -> std::path::PathBuf {
    world.path().join("systems")
}

/// A deterministic export id for a system name.
fn system_id(name: &str) -> String {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let hex = format!("{hash:016x}{:016x}", hash.rotate_left(17));
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

fn export(name: &str, connector: &str, access: &str, properties: Value) -> Value {
    json!({
        "id": system_id(name),
        "connectorTypeString": connector,
        "accessMode": access,
        "name": name,
        "state": "ENABLED",
        "systemManagementType": "CUSTOMER_MANAGED",
        "relatedSystems": [],
        "properties": properties,
    })
}

fn ias_properties(world: &World, tenant_name: &str, version: &str) -> Value {
    let tenant = tenant(world, tenant_name);
    json!({
        "Type": "HTTP",
        "URL": tenant.url,
        "ProxyType": "Internet",
        "Authentication": "BasicAuthentication",
        "User": tenant.technical_user.client_id,
        "ias.api.version": version,
    })
}

/// The name of the scenario's one source (the first defined), for targets that do not say.
fn first_source(world: &World) -> String {
    world
        .provisioning
        .systems
        .iter()
        .find(|(_, export)| export["accessMode"] == "READ")
        .map(|(name, _)| name.clone())
        .expect("the scenario defines a source system first")
}

#[given(expr = "a source system {string} reading users from a file")]
fn file_source(world: &mut World, name: String) {
    let properties = json!({"file.path": USERS_FILE, "file.format": "ndjson"});
    world.provisioning.systems.insert(
        name.clone(),
        export(&name, "LOCAL_FILE", "READ", properties),
    );
}

#[given(
    regex = r#"^a source system "([^"]+)" for tenant "([^"]+)" using the default transformation$"#
)]
fn ias_source(world: &mut World, name: String, tenant_name: String) {
    let properties = ias_properties(world, &tenant_name, "2");
    let secret = tenant(world, &tenant_name).technical_user.client_secret;
    world.secret_values.push(secret.clone());
    world.provisioning.secrets.insert(name.clone(), secret);
    world.provisioning.systems.insert(
        name.clone(),
        export(&name, "SAP_CLOUD_IDENTITY", "READ", properties),
    );
}

#[given(
    regex = r#"^a target system "([^"]+)" for tenant "([^"]+)"(?: on SCIM API version (1|2))?(?: fed by "([^"]+)")? using the default transformation$"#
)]
fn ias_target(
    world: &mut World,
    name: String,
    tenant_name: String,
    version: String,
    source: String,
) {
    let version = if version.is_empty() {
        "2".to_string()
    } else {
        version
    };
    let source = if source.is_empty() {
        first_source(world)
    } else {
        source
    };
    let properties = ias_properties(world, &tenant_name, &version);
    let secret = tenant(world, &tenant_name).technical_user.client_secret;
    world.secret_values.push(secret.clone());
    world.provisioning.secrets.insert(name.clone(), secret);
    let mut target = export(&name, "SAP_CLOUD_IDENTITY", "WRITE", properties);
    target["relatedSystems"] = json!([system_id(&source)]);
    world.provisioning.systems.insert(name, target);
}

#[given(
    regex = r#"^the (?:source|target) system "([^"]+)" has the property "([^"]+)" set to "(.*)"$"#
)]
fn system_property(world: &mut World, name: String, key: String, value: String) {
    let value = value.replace("\\\"", "\"");
    system(world, &name)["properties"][key] = Value::String(value);
}

fn system<'w>(world: &'w mut World, name: &str) -> &'w mut Value {
    world
        .provisioning
        .systems
        .get_mut(name)
        .unwrap_or_else(|| panic!("no system {name:?} in the scenario"))
}

/// The default transformation of a target, as `sapland transform --template` prints it.
fn template(world: &World, name: &str) -> Value {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = sapland::run(
        ["sapland", "transform", "--template", name],
        &sapland::Environment::new(world.path()),
        &mut std::io::empty(),
        &mut stdout,
        &mut stderr,
    );
    assert_eq!(code.as_u8(), 0, "{}", String::from_utf8_lossy(&stderr));
    serde_json::from_slice(&stdout).expect("the template is JSON")
}

#[given(regex = r#"^the target system "([^"]+)" disables users instead of deleting them$"#)]
fn disables_instead_of_deleting(world: &mut World, name: String) {
    // SAP's documented IAS v2 "disable instead of delete" (reference/ips-ias.md §1.5).
    let mut transformation = template(world, "ias-target-v2");
    let mappings = transformation["user"]["mappings"]
        .as_array_mut()
        .expect("mappings");
    mappings.extend([
        json!({"constant": "urn:ietf:params:scim:api:messages:2.0:PatchOp", "targetPath": "$.schemas[0]", "scope": "deleteEntity"}),
        json!({"constant": "replace", "targetPath": "$.Operations[0].op", "scope": "deleteEntity"}),
        json!({"constant": "active", "targetPath": "$.Operations[0].path", "scope": "deleteEntity"}),
        json!({"constant": false, "targetPath": "$.Operations[0].value", "scope": "deleteEntity"}),
    ]);
    let target = system(world, &name);
    target["transformation"] = transformation;
    target["properties"]["ias.user.update.instead.delete"] = json!("true");
}

#[given(regex = r#"^the target system "([^"]+)" skips the operation "(create|update|delete)"$"#)]
fn skips_operation(world: &mut World, name: String, operation: String) {
    let mut transformation = template(world, "ias-target-v2");
    transformation["user"]["skipOperations"] = json!([operation]);
    system(world, &name)["transformation"] = transformation;
}

fn user_record(user_name: &str, email: &str, family_name: &str) -> Value {
    let mut record =
        json!({"userName": user_name, "name": {"familyName": family_name}, "active": true});
    if !email.is_empty() {
        record["emails"] = json!([{"value": email, "primary": true}]);
    }
    record
}

#[given("the source holds the users:")]
fn source_holds(world: &mut World, step: &Step) {
    for row in table_rows(step) {
        let cell = |key: &str| row.get(key).cloned().unwrap_or_default();
        let user_name = row
            .get("userName")
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| panic!("a user without a userName: {row:?}"))
            .clone();
        let record = user_record(&user_name, &cell("email"), &cell("familyName"));
        world.provisioning.users.push((user_name, record));
    }
}

#[when(regex = r#"^in the source "([^"]+)" changes (\w+) to "([^"]*)"$"#)]
fn source_changes(world: &mut World, user_name: String, attribute: String, value: String) {
    let record = source_user(world, &user_name);
    match attribute.as_str() {
        "familyName" => record["name"]["familyName"] = json!(value),
        other => record[other] = json!(value),
    }
}

fn source_user<'w>(world: &'w mut World, user_name: &str) -> &'w mut Value {
    world
        .provisioning
        .users
        .iter_mut()
        .find(|(name, _)| name == user_name)
        .map(|(_, record)| record)
        .unwrap_or_else(|| panic!("no user {user_name:?} in the source"))
}

#[when(regex = r#"^"([^"]+)" leaves the source$"#)]
fn leaves_source(world: &mut World, user_name: String) {
    world
        .provisioning
        .users
        .retain(|(name, _)| *name != user_name);
}

#[when(regex = r#"^"([^"]+)" with email "([^"]+)" joins the source$"#)]
fn joins_source(world: &mut World, user_name: String, email: String) {
    let record = user_record(&user_name, &email, &format!("{user_name}son"));
    world.provisioning.users.push((user_name, record));
}

#[given(regex = r#"^the source file of "([^"]+)" cannot be read$"#)]
fn source_file_unreadable(world: &mut World, name: String) {
    system(world, &name)["properties"]["file.path"] = json!("missing/users.ndjson");
}

/// Writes the exports, secrets and the file source's users into `systems/`.
fn write_systems(world: &World) {
    let dir = systems_dir(world);
    std::fs::create_dir_all(&dir).expect("systems directory");
    for (name, export) in &world.provisioning.systems {
        let file = format!("{}.json", super::systems::slug(name));
        std::fs::write(
            dir.join(file),
            serde_json::to_string_pretty(export).expect("JSON"),
        )
        .expect("export written");
    }
    let mut secrets = String::new();
    for (name, secret) in &world.provisioning.secrets {
        secrets.push_str(&format!("[\"{name}\"]\nPassword = \"{secret}\"\n"));
    }
    std::fs::write(dir.join("secrets.toml"), secrets).expect("secrets written");
    let users: String = world
        .provisioning
        .users
        .iter()
        .map(|(_, record)| format!("{record}\n"))
        .collect();
    std::fs::write(dir.join(USERS_FILE), users).expect("users written");
}

/// Runs `sapland provision …` in the scenario's directory and remembers the result.
pub(crate) async fn provision(world: &mut World, args: Vec<String>) {
    write_systems(world);
    let all = std::iter::once("provision".to_string())
        .chain(args)
        .collect();
    run_sapland(world, all, String::new()).await;
}

async fn run_job(world: &mut World, job: &str, source: &str) {
    start_job(world, job, source).await;
    let last = world.last();
    assert!(
        last.code <= 1,
        "the job could not run ({}): {}",
        last.code,
        last.stderr
    );
    let job: Value = serde_json::from_str(&last.stdout).expect("the job is printed as JSON");
    world.provisioning.job = Some(job);
}

/// Runs `sapland provision run` for a job, whatever its outcome.
async fn start_job(world: &mut World, job: &str, source: &str) {
    world.provisioning.clock_before_job = Some(world.landscape().clock.now());
    world.provisioning.journal_before_job = Some(journal_end(&journal(world).await));
    let landscape = world.landscape().file.display().to_string();
    let mut args: Vec<String> = [
        "run",
        "--systems",
        "systems",
        "--source",
        source,
        "--job",
        job,
        "--state-dir",
        "state",
        "--landscape",
        &landscape,
        "--format",
        "json",
    ]
    .map(String::from)
    .to_vec();
    if let Some(timeout) = &world.provisioning.request_timeout {
        args.extend(["--request-timeout".to_string(), timeout.clone()]);
    }
    if let Some(key) = &world.provisioning.calm_service_key {
        args.extend(["--calm-service-key".to_string(), key.display().to_string()]);
    }
    provision(world, args).await;
}

#[given(regex = r#"^a Read job has provisioned them to "([^"]+)"$"#)]
async fn provisioned(world: &mut World, target: String) {
    let source = first_source_feeding(world, &target);
    run_job(world, "read", &source).await;
    assert_eq!(job(world)["status"], "Success", "{:#}", job(world));
    world.provisioning.journal_mark = Some(journal_end(&journal(world).await));
}

fn first_source_feeding(world: &World, target: &str) -> String {
    let related = world.provisioning.systems[target]["relatedSystems"][0].clone();
    world
        .provisioning
        .systems
        .iter()
        .find(|(_, export)| export["id"] == related)
        .map(|(name, _)| name.clone())
        .expect("the target is fed by a source of the scenario")
}

#[when(regex = r#"^an? (Read|Resync|Simulate) job runs for "([^"]+)"$"#)]
async fn job_runs(world: &mut World, kind: String, source: String) {
    run_job(world, &kind.to_lowercase(), &source).await;
}

/// A job whose command may refuse to run (its outcome is checked by the next steps).
#[when(regex = r#"^an? (Read|Resync|Simulate) job is started for "([^"]+)"$"#)]
async fn job_started(world: &mut World, kind: String, source: String) {
    start_job(world, &kind.to_lowercase(), &source).await;
}

#[when(regex = r#"^a Validate job runs for "([^"]+)" with "([^"]+)"$"#)]
async fn validate_runs(world: &mut World, source: String, file: String) {
    let args = [
        "run",
        "--systems",
        "systems",
        "--source",
        &source,
        "--job",
        "validate",
        "--state-dir",
        "state",
        "--input",
        &file,
        "--format",
        "json",
    ]
    .map(String::from)
    .to_vec();
    provision(world, args).await;
}

#[given(regex = r#"^the CSV file "([^"]+)":$"#)]
fn csv_file(world: &mut World, file: String, step: &Step) {
    let text = step.docstring.as_ref().expect("a docstring");
    std::fs::write(world.path().join(file), text.trim_start()).expect("CSV written");
}

#[given(regex = r#"^a CSV file "([^"]+)" with (\d+) users$"#)]
fn csv_file_with(world: &mut World, file: String, count: usize) {
    let mut text = String::from("userName,emails[0].value\n");
    for i in 0..count {
        text.push_str(&format!("user{i},user{i}@example.com\n"));
    }
    std::fs::write(world.path().join(file), text).expect("CSV written");
}

#[given(expr = "the agent gives up on a request after {int} milliseconds")]
fn request_timeout(world: &mut World, ms: u64) {
    world.provisioning.request_timeout = Some(format!("{ms}ms"));
}

#[given(regex = r#"^the operational data of "([^"]+)" is reset$"#)]
async fn reset(world: &mut World, name: String) {
    let args = [
        "reset",
        "--systems",
        "systems",
        "--system",
        &name,
        "--state-dir",
        "state",
    ]
    .map(String::from)
    .to_vec();
    provision(world, args).await;
    assert_eq!(world.last().code, 0, "{}", world.last().stderr);
}

pub(crate) fn job(world: &World) -> &Value {
    world
        .provisioning
        .job
        .as_ref()
        .expect("a job ran in an earlier step")
}

#[then(expr = "the job finished with status {string}")]
fn job_status(world: &mut World, status: String) {
    assert_eq!(
        job(world)["status"],
        Value::String(status),
        "{:#}",
        job(world)
    );
}

#[then(expr = "the job command exits with code {int}")]
fn job_exit_code(world: &mut World, code: u8) {
    assert_eq!(world.last().code, code, "{}", world.last().stderr);
}

#[then(expr = "the job ran in read mode {string}")]
fn read_mode(world: &mut World, mode: String) {
    assert_eq!(
        job(world)["readMode"],
        Value::String(format!("{mode} Read"))
    );
}

#[then(expr = "the job error says {string}")]
fn job_error(world: &mut World, text: String) {
    let job = job(world);
    let error = job["errorMessage"]
        .as_str()
        .unwrap_or_else(|| panic!("the job has no errorMessage: {job:#}"));
    assert!(error.contains(&text), "{error:?}");
}

/// `the job log shows for "S": 1 created, 2 updated users, 1 deleted group, 3 read`.
#[then(regex = r#"^the job log shows for "([^"]+)": (.+)$"#)]
fn job_log_shows(world: &mut World, system: String, counts: String) {
    let statistics = job(world)["statistics"]
        .as_array()
        .expect("statistics")
        .clone();
    for part in counts.split(',') {
        let words: Vec<&str> = part.split_whitespace().collect();
        let (count, column, entity) = match words.as_slice() {
            [n, column] => (n, column, "user"),
            [n, column, entity] => (n, column, entity.trim_end_matches('s')),
            _ => panic!("cannot read {part:?}"),
        };
        let count: u64 = count.parse().expect("a count");
        let row = statistics
            .iter()
            .find(|row| row["system"] == system.as_str() && row["entityType"] == entity)
            .unwrap_or_else(|| {
                panic!("the job has no statistics row of {entity}s for {system:?}: {statistics:#?}")
            });
        let actual = row[*column]
            .as_u64()
            .unwrap_or_else(|| panic!("the statistics row has no column {column:?}: {row:#}"));
        assert_eq!(
            actual, count,
            "{column} {entity}s of {system}: {statistics:#?}"
        );
    }
}

async fn log_records(world: &mut World, kind: &str) -> Vec<Value> {
    let id = job(world)["id"].as_str().expect("a job id").to_string();
    let args = [
        "logs",
        &id,
        "--log",
        kind,
        "--state-dir",
        "state",
        "--format",
        "json",
    ]
    .map(String::from)
    .to_vec();
    provision(world, args).await;
    assert_eq!(world.last().code, 0, "{}", world.last().stderr);
    let log: Value = serde_json::from_str(&world.last().stdout).expect("JSON");
    log["entities"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("the {kind}-entities log lists no entities: {log:#}"))
}

#[then(regex = r#"^the (failed|skipped)-entities log of the job says for "([^"]+)": "(.+)"$"#)]
async fn entity_log_says(world: &mut World, kind: String, id: String, text: String) {
    let records = log_records(world, &kind).await;
    let record = records
        .iter()
        .find(|r| r["entityId"] == id.as_str())
        .unwrap_or_else(|| panic!("no {kind} record of {id:?} in {records:#?}"));
    let said = record
        .get("error")
        .or_else(|| record["detail"].get("detail"))
        .or_else(|| record.get("detail"))
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .unwrap_or_else(|| panic!("the {kind} record of {id:?} says nothing: {record:#}"));
    assert!(said.contains(&text), "{said:?} in {record:#}");
}

#[when(regex = r"^I read the (created|updated|deleted)-entities log of the last job$")]
async fn read_log(world: &mut World, kind: String) {
    let args = ["logs", "--last", "--log", &kind, "--state-dir", "state"]
        .map(String::from)
        .to_vec();
    provision(world, args).await;
}

#[then(regex = r#"^it lists "([^"]+)" entries for the system "([^"]+)"$"#)]
fn lists_entries(world: &mut World, prefix: String, system: String) {
    let last = world.last();
    assert_eq!(last.code, 0, "{}", last.stderr);
    let stdout = &last.stdout;
    assert!(stdout.lines().any(|l| l.starts_with(&prefix)), "{stdout}");
    assert!(stdout.contains(&format!("system={system},")), "{stdout}");
}

async fn users_of(world: &mut World, tenant_name: &str) -> Vec<Value> {
    let answer = call(
        world,
        tenant_name,
        "GET",
        "/scim/Users?count=1000",
        None,
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    resources(&answer.body)
}

#[then(regex = r#"^tenant "([^"]+)" holds exactly the users (.+)$"#)]
async fn holds_exactly(world: &mut World, tenant_name: String, names: String) {
    let mut expected: Vec<String> = names.split(',').map(|n| n.trim().to_string()).collect();
    expected.sort();
    let mut actual: Vec<String> = users_of(world, &tenant_name)
        .await
        .iter()
        .filter_map(|u| u["userName"].as_str().map(str::to_string))
        .collect();
    actual.sort();
    assert_eq!(actual, expected);
}

#[then(regex = r#"^tenant "([^"]+)" holds no users$"#)]
async fn holds_no_users(world: &mut World, tenant_name: String) {
    assert_eq!(users_of(world, &tenant_name).await, Vec::<Value>::new());
}

async fn user_named(world: &mut World, tenant_name: &str, user_name: &str) -> Value {
    let filter = encode(&format!("userName eq \"{user_name}\""));
    let answer = call(
        world,
        tenant_name,
        "GET",
        &format!("/scim/Users?filter={filter}"),
        None,
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    resources(&answer.body)
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no user {user_name:?} in {tenant_name:?}"))
}

#[then(regex = r#"^in tenant "([^"]+)" the familyName of "([^"]+)" is "([^"]*)"$"#)]
async fn family_name_is(world: &mut World, tenant_name: String, user_name: String, family: String) {
    let user = user_named(world, &tenant_name, &user_name).await;
    assert_eq!(
        user["name"]["familyName"],
        Value::String(family),
        "{user:#}"
    );
}

#[then(regex = r#"^in tenant "([^"]+)" the user "([^"]+)" is inactive$"#)]
async fn inactive(world: &mut World, tenant_name: String, user_name: String) {
    let user = user_named(world, &tenant_name, &user_name).await;
    assert_eq!(user["active"], json!(false), "{user:#}");
}

/// The mock IAS's journal.
async fn journal(world: &mut World) -> Vec<Value> {
    let base = world.landscape().description.ias.admin_url.clone();
    journal_at(world, &base).await
}

/// Journal entries of writes to `tenant_name` after the mark of the first job.
async fn writes_since_mark(world: &mut World, tenant_name: &str) -> Vec<Value> {
    let mark = world
        .provisioning
        .journal_mark
        .expect("an earlier step: Given a Read job has provisioned them to \"…\"");
    writes_after(world, tenant_name, mark).await
}

/// Journal entries of writes to `tenant_name` after journal position `mark`.
async fn writes_after(world: &mut World, tenant_name: &str, mark: u64) -> Vec<Value> {
    let host = tenant(world, tenant_name)
        .url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_string();
    let entries = journal(world).await;
    assert!(
        journal_end(&entries) >= mark,
        "the journal of the mock IAS was cleared since position {mark}"
    );
    entries
        .into_iter()
        .filter(|e| seq(e) > mark)
        .filter(|e| {
            let method = e["method"]
                .as_str()
                .unwrap_or_else(|| panic!("a journal entry without a method: {e}"));
            matches!(method, "POST" | "PUT" | "PATCH" | "DELETE")
        })
        .filter(|e| {
            let headers = e["requestHeaders"]
                .as_array()
                .unwrap_or_else(|| panic!("a journal entry without requestHeaders: {e}"));
            let to = headers
                .iter()
                .find(|h| h[0] == "host")
                .unwrap_or_else(|| panic!("a journal entry without a host header: {e}"));
            to[1] == host.as_str()
        })
        .filter(|e| !path_of(e).starts_with("/oauth2"))
        .collect()
}

/// The path of a journal entry.
fn path_of(entry: &Value) -> &str {
    entry["path"]
        .as_str()
        .unwrap_or_else(|| panic!("a journal entry without a path: {entry}"))
}

#[then(regex = r#"^tenant "([^"]+)" received no write since the first job$"#)]
async fn no_write_since(world: &mut World, tenant_name: String) {
    let writes = writes_since_mark(world, &tenant_name).await;
    assert!(writes.is_empty(), "{writes:#?}");
}

#[then(regex = r#"^tenant "([^"]+)" received a PATCH of "([^"]+)"$"#)]
async fn received_patch(world: &mut World, tenant_name: String, user_name: String) {
    let id = user_named(world, &tenant_name, &user_name).await["id"].clone();
    let id = id.as_str().expect("an id").to_string();
    let writes = writes_since_mark(world, &tenant_name).await;
    assert!(
        writes
            .iter()
            .any(|e| e["method"] == "PATCH" && e["path"] == format!("/scim/Users/{id}")),
        "{writes:#?}"
    );
}

#[then(regex = r#"^tenant "([^"]+)" received the writes through SCIM version 1$"#)]
async fn writes_through_v1(world: &mut World, tenant_name: String) {
    let writes = writes_after(world, &tenant_name, 0).await;
    assert!(
        !writes.is_empty(),
        "tenant {tenant_name:?} received no write"
    );
    for write in &writes {
        let path = path_of(write);
        assert!(path.starts_with("/service/scim/"), "{path}");
    }
}

#[then(regex = r"^the landscape clock moved at least (\d+) seconds during the job$")]
fn clock_moved(world: &mut World, seconds: i64) {
    let before = world.provisioning.clock_before_job.expect("a job ran");
    let moved = world.landscape().clock.now().duration_since(before);
    assert!(
        moved >= jiff::SignedDuration::from_secs(seconds),
        "the clock moved {moved:?}"
    );
}

fn host_of(world: &World, tenant_name: &str) -> String {
    tenant(world, tenant_name)
        .url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_string()
}

async fn fault(world: &mut World, rule: Value) {
    let answer = admin(world, "POST", "/_admin/faults", Some(rule)).await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
}

#[given(
    regex = r#"^tenant "([^"]+)" answers the next (\d+) user creations? with (\d+)(?: and Retry-After (\d+))?$"#
)]
async fn answers_creations(
    world: &mut World,
    tenant_name: String,
    count: u64,
    status: u16,
    retry_after: String,
) {
    let mut action = json!({"type": "status", "status": status});
    if !retry_after.is_empty() {
        action["retryAfter"] = json!(retry_after.parse::<u64>().expect("seconds"));
    }
    let host = host_of(world, &tenant_name);
    let rule = json!({"match": {"method": "POST", "path": "/scim/Users", "header": {"name": "host", "value": host}},
                      "action": action, "limit": {"count": count}});
    fault(world, rule).await;
}

#[given(
    regex = r#"^tenant "([^"]+)" delays the next (\d+) user creations? by (\d+) milliseconds$"#
)]
async fn delays_creations(world: &mut World, tenant_name: String, count: u64, ms: u64) {
    let host = host_of(world, &tenant_name);
    let rule = json!({"match": {"method": "POST", "path": "/scim/Users", "header": {"name": "host", "value": host}},
                      "action": {"type": "latency", "ms": ms}, "limit": {"count": count}});
    fault(world, rule).await;
}

#[given(regex = r#"^tenant "([^"]+)" answers every request with (\d+)$"#)]
async fn answers_every_request(world: &mut World, tenant_name: String, status: u16) {
    let host = host_of(world, &tenant_name);
    let rule = json!({"match": {"path": "/**", "header": {"name": "host", "value": host}},
                      "action": {"type": "status", "status": status}});
    fault(world, rule).await;
}

#[given(regex = r#"^tenant "([^"]+)" holds the group "([^"]+)" with the members (.+)$"#)]
async fn holds_group(world: &mut World, tenant_name: String, group: String, members: String) {
    let members = member_ids(world, &tenant_name, &members).await;
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group"],
        "displayName": group,
        "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group": {"name": group.to_uppercase()},
        "members": members,
    });
    let answer = call(
        world,
        &tenant_name,
        "POST",
        "/scim/Groups",
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
}

async fn member_ids(world: &mut World, tenant_name: &str, names: &str) -> Vec<Value> {
    let mut members = Vec::new();
    for name in names.split(',').map(str::trim) {
        let id = user_named(world, tenant_name, name).await["id"].clone();
        members.push(json!({"value": id, "type": "User"}));
    }
    members
}

async fn group_named(world: &mut World, tenant_name: &str, group: &str) -> Option<Value> {
    let filter = encode(&format!("displayName eq \"{group}\""));
    let answer = call(
        world,
        tenant_name,
        "GET",
        &format!("/scim/Groups?filter={filter}"),
        None,
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    resources(&answer.body).first().cloned()
}

#[when(regex = r#"^in tenant "([^"]+)" the group "([^"]+)" gets the members (.+)$"#)]
async fn group_gets_members(
    world: &mut World,
    tenant_name: String,
    group: String,
    members: String,
) {
    let id = group_named(world, &tenant_name, &group)
        .await
        .expect("the group")["id"]
        .as_str()
        .expect("an id")
        .to_string();
    let members = member_ids(world, &tenant_name, &members).await;
    replace_in_tenant(
        world,
        &tenant_name,
        &format!("/scim/Groups/{id}"),
        "members",
        json!(members),
    )
    .await;
}

/// Replaces one attribute of a resource in a tenant by SCIM PATCH, as an administrator would.
async fn replace_in_tenant(
    world: &mut World,
    tenant_name: &str,
    resource: &str,
    path: &str,
    value: Value,
) {
    let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                      "Operations": [{"op": "replace", "path": path, "value": value}]});
    let answer = call(
        world,
        tenant_name,
        "PATCH",
        resource,
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 204, "{:?}", answer.body);
}

#[when(regex = r#"^the (user|group) "([^"]+)" is deleted from tenant "([^"]+)"$"#)]
async fn deleted_from_tenant(world: &mut World, kind: String, name: String, tenant_name: String) {
    let resource = if kind == "user" {
        user_named(world, &tenant_name, &name).await
    } else {
        group_named(world, &tenant_name, &name)
            .await
            .expect("the group")
    };
    let id = resource["id"].as_str().expect("an id").to_string();
    let path = format!(
        "/scim/{}s/{id}",
        if kind == "user" { "User" } else { "Group" }
    );
    let answer = call(
        world,
        &tenant_name,
        "DELETE",
        &path,
        None,
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 204, "{:?}", answer.body);
}

#[when(regex = r#"^in tenant "([^"]+)" the user "([^"]+)" changes familyName to "([^"]*)"$"#)]
async fn tenant_user_changes(
    world: &mut World,
    tenant_name: String,
    user_name: String,
    family: String,
) {
    let id = user_named(world, &tenant_name, &user_name).await["id"]
        .as_str()
        .expect("an id")
        .to_string();
    replace_in_tenant(
        world,
        &tenant_name,
        &format!("/scim/Users/{id}"),
        "name.familyName",
        json!(family),
    )
    .await;
}

#[then(regex = r#"^in tenant "([^"]+)" the group "([^"]+)" has the members (.+)$"#)]
async fn group_has_members(world: &mut World, tenant_name: String, group: String, names: String) {
    let group = group_named(world, &tenant_name, &group)
        .await
        .expect("the group");
    let users = users_of(world, &tenant_name).await;
    let by_id: BTreeMap<&str, &str> = users
        .iter()
        .filter_map(|u| Some((u["id"].as_str()?, u["userName"].as_str()?)))
        .collect();
    // A group of no members leaves `members` out; every member must be a user of the tenant.
    let mut actual: Vec<&str> = group
        .get("members")
        .map(|members| {
            members
                .as_array()
                .unwrap_or_else(|| panic!("members is not a list: {group:#}"))
        })
        .into_iter()
        .flatten()
        .map(|m| {
            m["value"]
                .as_str()
                .and_then(|id| by_id.get(id).copied())
                .unwrap_or_else(|| panic!("the member {m} is no user of {tenant_name:?}"))
        })
        .collect();
    actual.sort_unstable();
    let mut expected: Vec<&str> = names.split(',').map(str::trim).collect();
    expected.sort_unstable();
    assert_eq!(actual, expected, "{group:#}");
}

#[then(regex = r#"^tenant "([^"]+)" holds no group "([^"]+)"$"#)]
async fn holds_no_group(world: &mut World, tenant_name: String, group: String) {
    assert_eq!(group_named(world, &tenant_name, &group).await, None);
}

fn validation(world: &World) -> Vec<Value> {
    let last = world.last();
    assert_eq!(last.code, 0, "{}", last.stderr);
    let printed: Value = serde_json::from_str(&last.stdout).expect("JSON");
    printed["results"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("the validation lists no results: {printed:#}"))
}

#[then(
    regex = r#"^the validation shows for "([^"]+)" the user "([^"]+)" with the (\w+) "([^"]*)"$"#
)]
fn validation_shows(
    world: &mut World,
    system: String,
    id: String,
    attribute: String,
    value: String,
) {
    let rows = validation(world);
    let row = rows
        .iter()
        .find(|r| r["system"] == system.as_str() && r["sourceId"] == id.as_str())
        .unwrap_or_else(|| panic!("no row of {id:?} for {system:?}: {rows:#?}"));
    assert_eq!(row["outcome"], "written", "{row:#}");
    assert_eq!(row["entity"][attribute], Value::String(value), "{row:#}");
}

#[then(regex = r#"^the validation shows for "([^"]+)" the user "([^"]+)" as skipped$"#)]
fn validation_skipped(world: &mut World, system: String, id: String) {
    let rows = validation(world);
    let row = rows
        .iter()
        .find(|r| r["system"] == system.as_str() && r["sourceId"] == id.as_str())
        .unwrap_or_else(|| panic!("no row of {id:?} for {system:?}: {rows:#?}"));
    assert_eq!(row["outcome"], "skipped", "{row:#}");
}

#[when(regex = r#"^"([^"]+)" with email "([^"]+)" is created in tenant "([^"]+)"$"#)]
async fn created_in_tenant(
    world: &mut World,
    user_name: String,
    email: String,
    tenant_name: String,
) {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "name": {"familyName": format!("{user_name}son")},
        "emails": [{"value": email, "primary": true}],
    });
    let answer = call(
        world,
        &tenant_name,
        "POST",
        "/scim/Users",
        Some(body),
        Auth::TechnicalUser,
    )
    .await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
}

#[then(
    regex = r#"^during the last job tenant "([^"]+)" received (\d+) PATCH requests? for the group "([^"]+)"(?: removing (\d+) members)?$"#
)]
async fn group_patches(
    world: &mut World,
    tenant_name: String,
    count: usize,
    group: String,
    removed: String,
) {
    let id = group_named(world, &tenant_name, &group)
        .await
        .expect("the group")["id"]
        .as_str()
        .expect("an id")
        .to_string();
    let mark = world.provisioning.journal_before_job.expect("a job ran");
    let patches: Vec<Value> = writes_after(world, &tenant_name, mark)
        .await
        .into_iter()
        .filter(|e| e["method"] == "PATCH" && e["path"] == format!("/scim/Groups/{id}"))
        .collect();
    assert_eq!(patches.len(), count, "{patches:#?}");
    if !removed.is_empty() {
        let removals: usize = patches
            .iter()
            .map(|e| {
                let body: Value = e["requestBody"]
                    .as_str()
                    .and_then(|body| serde_json::from_str(body).ok())
                    .unwrap_or_else(|| panic!("a PATCH without a JSON body: {e:#}"));
                let operations = body["Operations"]
                    .as_array()
                    .unwrap_or_else(|| panic!("a PATCH without Operations: {body:#}"));
                operations.iter().filter(|op| op["op"] == "remove").count()
            })
            .sum();
        assert_eq!(
            removals,
            removed.parse::<usize>().expect("a count"),
            "{patches:#?}"
        );
    }
}

#[then(regex = r#"^during the last job tenant "([^"]+)" received (\d+) Bulk requests?$"#)]
async fn bulk_requests(world: &mut World, tenant_name: String, count: usize) {
    let mark = world.provisioning.journal_before_job.expect("a job ran");
    let bulk: Vec<Value> = writes_after(world, &tenant_name, mark)
        .await
        .into_iter()
        .filter(|e| e["method"] == "POST" && e["path"] == "/scim/Bulk")
        .collect();
    assert_eq!(bulk.len(), count, "{bulk:#?}");
}
