//! The provisioning invariant, tested with a real process: a job killed with SIGKILL in the
//! middle of writing 5 000 users leaves the target and the operational data so that the next
//! job finishes the work — every user exactly once — and the job after that finds nothing to do.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use jiff::Timestamp;
use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig};
use sapland_mock_ias::throttle::ThrottleMode;
use sapland_outbound::https::{HttpsOptions, PemSource};
use serde_json::{Value, json};

const USERS: usize = 5_000;
const KILL_AFTER: u64 = 1_000;

fn write_systems(dir: &Path, landscape: &Landscape) {
    let target = landscape
        .description
        .ias
        .tenants
        .iter()
        .find(|t| t.name == "target")
        .expect("a target tenant");
    let source_id = "5d3b7c1e-2f4a-4e8b-9c61-0a7f3e2d1b94";
    let source = json!({"id": source_id, "connectorTypeString": "LOCAL_FILE", "accessMode": "READ",
        "name": "HR File", "state": "ENABLED",
        "properties": {"file.path": "users.ndjson", "file.format": "ndjson"}});
    let target_export = json!({"id": "b1f6a2d8-7c3e-4a59-8e0d-4f2b6c9a1e37", "connectorTypeString": "SAP_CLOUD_IDENTITY",
        "accessMode": "WRITE", "name": "IAS Target", "state": "ENABLED", "relatedSystems": [source_id],
        "properties": {"Type": "HTTP", "URL": target.url, "ProxyType": "Internet",
            "Authentication": "BasicAuthentication", "User": target.technical_user.client_id,
            "ias.api.version": "2", "sapland.requests.per.minute": "0"}});
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("hr-file.json"), source.to_string()).unwrap();
    std::fs::write(dir.join("ias-target.json"), target_export.to_string()).unwrap();
    std::fs::write(
        dir.join("secrets.toml"),
        format!(
            "[\"IAS Target\"]\nPassword = \"{}\"\n",
            target.technical_user.client_secret
        ),
    )
    .unwrap();
    let users: String = (0..USERS)
        .map(|i| {
            let record = json!({"userName": format!("user{i:05}"), "name": {"familyName": format!("Family {i}")},
                "emails": [{"value": format!("user{i:05}@example.com"), "primary": true}]});
            format!("{record}\n")
        })
        .collect();
    std::fs::write(dir.join("users.ndjson"), users).unwrap();
}

fn job(work: &Path, landscape_file: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sapland"));
    command
        .current_dir(work)
        .args([
            "provision",
            "run",
            "--systems",
            "systems",
            "--source",
            "HR File",
            "--job",
            "read",
        ])
        .args([
            "--state-dir",
            "state",
            "--format",
            "json",
            "--progress",
            "plain",
            "--landscape",
        ])
        .arg(landscape_file);
    command
}

async fn user_names(landscape: &Landscape) -> Vec<String> {
    let target = landscape
        .description
        .ias
        .tenants
        .iter()
        .find(|t| t.name == "target")
        .expect("a target tenant");
    let ca = std::fs::read(landscape.description.ca_cert.as_ref().unwrap()).unwrap();
    let client = sapland_outbound::https::build(&HttpsOptions {
        extra_roots: vec![PemSource::new("landscape CA", ca)],
        ..HttpsOptions::default()
    })
    .unwrap();
    let mut names = Vec::new();
    let mut start = "initial".to_string();
    while start != "end" {
        let response = client
            .get(format!(
                "{}/scim/Users?count=500&startId={start}&attributes=userName",
                target.url
            ))
            .basic_auth(
                &target.technical_user.client_id,
                Some(&target.technical_user.client_secret),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        for user in page["Resources"].as_array().unwrap() {
            names.push(user["userName"].as_str().unwrap().to_string());
        }
        start = page["nextId"].as_str().unwrap_or("end").to_string();
    }
    names
}

fn statistics(stdout: &[u8]) -> (String, Value) {
    let job: Value = serde_json::from_slice(stdout).expect("the job is printed as JSON");
    let row = job["statistics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["system"] == "IAS Target")
        .cloned()
        .unwrap_or(Value::Null);
    (job["status"].as_str().unwrap_or_default().to_string(), row)
}

/// A landscape on a manual clock without throttling, and the systems of this test beside it.
async fn landscape(work: &Path) -> Landscape {
    let mut config = LandscapeConfig::new(work.join("landscape"));
    config.clock = ClockChoice::Manual("2026-11-22T09:00:00Z".parse::<Timestamp>().unwrap());
    config.seed = Some(7);
    config.ias_throttling = ThrottleMode::Off;
    let landscape = Landscape::start(config).await.unwrap();
    write_systems(&work.join("systems"), &landscape);
    landscape
}

/// Runs a job and, once it reports `KILL_AFTER` users read, sends it `signal` (`KILL`, `TERM`);
/// its output.
async fn job_signalled_midway(
    work: &Path,
    landscape_file: &Path,
    signal: &'static str,
) -> std::process::Output {
    let mut child = job(work, landscape_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stderr).lines();
        for line in lines.by_ref() {
            let line = line.unwrap();
            let done: u64 = line
                .strip_prefix("progress: ")
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            if done >= KILL_AFTER {
                let sent = Command::new("kill")
                    .args([format!("-{signal}"), child.id().to_string()])
                    .status()
                    .unwrap();
                assert!(sent.success());
                break;
            }
        }
        lines.for_each(drop);
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

/// Runs a job to its end; its output.
async fn job_to_the_end(work: &Path, landscape_file: &Path) -> std::process::Output {
    let mut command = job(work, landscape_file);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_killed_midway_neither_loses_nor_duplicates_users() {
    let work = tempfile::tempdir().unwrap();
    let landscape = landscape(work.path()).await;
    let landscape_file = landscape.file.clone();

    // First job: killed as soon as it reports 1 000 users read (their writes are in flight).
    let first = job_signalled_midway(work.path(), &landscape_file, "KILL").await;
    assert!(
        !first.status.success(),
        "the job ended before reporting {KILL_AFTER} users"
    );
    let reported = KILL_AFTER;
    let after_kill = user_names(&landscape).await.len();
    // Writes trail the reading by the requests in flight and those planned ahead of them.
    assert!(
        (reported as usize / 2..USERS).contains(&after_kill),
        "the job was killed midway: {after_kill} users in the target"
    );

    // Second job: finishes the work.
    let second = job_to_the_end(work.path(), &landscape_file).await;
    let (status, row) = statistics(&second.stdout);
    assert_eq!(
        status,
        "Success",
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(row["failed"], 0, "{row}");
    let mut names = user_names(&landscape).await;
    names.sort();
    let expected: Vec<String> = (0..USERS).map(|i| format!("user{i:05}")).collect();
    assert_eq!(names.len(), USERS, "every user once");
    assert_eq!(names, expected);

    // Third job: everything is recorded, nothing left to write.
    let third = job_to_the_end(work.path(), &landscape_file).await;
    let (status, row) = statistics(&third.stdout);
    assert_eq!(status, "Success");
    for column in ["created", "updated", "deleted", "failed"] {
        assert_eq!(row[column], 0, "{column}: {row}");
    }
}

/// SIGTERM (or Ctrl-C) asks a running job to stop: it waits for the requests in flight,
/// records them, ends as Manually Terminated with exit code 1, and the next job writes the
/// rest, every user exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminated_job_ends_manually_terminated_and_loses_nothing() {
    let work = tempfile::tempdir().unwrap();
    let landscape = landscape(work.path()).await;
    let landscape_file = landscape.file.clone();

    let output = job_signalled_midway(work.path(), &landscape_file, "TERM").await;
    assert_eq!(output.status.code(), Some(1), "a terminated job exits 1");
    let (status, row) = statistics(&output.stdout);
    assert_eq!(status, "Manually Terminated");
    let written = row["created"].as_u64().expect("a created count");
    assert!(
        (1..USERS as u64).contains(&written),
        "stopped midway: {written}"
    );
    assert_eq!(
        user_names(&landscape).await.len() as u64,
        written,
        "every write that was sent is recorded"
    );

    let second = job_to_the_end(work.path(), &landscape_file).await;
    let (status, row) = statistics(&second.stdout);
    assert_eq!(
        status,
        "Success",
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(row["created"], USERS as u64 - written, "{row}");
    assert_eq!(user_names(&landscape).await.len(), USERS, "every user once");
}
