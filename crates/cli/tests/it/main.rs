//! The `sapland` binary as a process: exit codes, which stream gets what, secrets never printed.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod calm;
mod crash;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/systems")
}

fn sapland(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sapland"));
    command.args(args).current_dir(examples());
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("SAPLAND_")) {
        command.env_remove(key);
    }
    command.envs(envs.iter().copied());
    command.output().expect("the sapland binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn show_prints_the_table_on_stdout_and_exits_0() {
    let out = sapland(
        &[
            "systems",
            "show",
            "ias-target.json",
            "--secrets",
            "secrets.example.toml",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ias.user.unique.attribute"), "{stdout}");
    assert!(
        !stdout.contains("replace-with-the-client-secret"),
        "{stdout}"
    );
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn show_as_json_is_one_parseable_document() {
    let out = sapland(
        &[
            "systems",
            "show",
            "ias-source.json",
            "--secrets",
            "secrets.example.toml",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(document["role"], "source");
    let password = document["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Password")
        .unwrap();
    assert_eq!(password["value"], "****");
}

#[test]
fn an_environment_secret_is_used_and_never_printed() {
    let out = sapland(
        &["systems", "show", "ias-target.json", "--format", "json"],
        &[(
            "SAPLAND_SECRET__IAS_TARGET__PASSWORD",
            "env-only-secret-value",
        )],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!all.contains("env-only-secret-value"));
    assert!(all.contains("\"environment\""), "{all}");
}

#[test]
fn a_missing_secret_exits_2_and_says_where_to_put_it() {
    let out = sapland(&["systems", "show", "ias-target.json"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("SAPLAND_SECRET__IAS_TARGET__PASSWORD"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_missing_file_exits_2_and_names_it() {
    let out = sapland(&["systems", "show", "nope.json"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read the system export nope.json"));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0_with_an_example() {
    let out = sapland(&["systems", "show"], &[]);
    assert_eq!(out.status.code(), Some(2));
    for args in [
        &["--help"][..],
        &["systems", "--help"],
        &["systems", "show", "--help"],
    ] {
        let out = sapland(args, &[]);
        assert_eq!(out.status.code(), Some(0));
        assert!(text(&out.stdout).contains("Examples:"), "{args:?}");
    }
}

#[test]
fn seed_ias_fills_a_running_landscape_then_exits_3_once_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let landscape = runtime
        .block_on(sapland_landscape::Landscape::start(
            sapland_landscape::LandscapeConfig::new(dir.path().join(".sapland")),
        ))
        .unwrap();
    let token = landscape.description.admin_token.clone();
    let printed = std::cell::RefCell::new(String::new());
    let seed = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sapland"));
        command
            .args(["seed", "ias"])
            .args(args)
            .current_dir(dir.path());
        let out = command.output().expect("the sapland binary runs");
        printed
            .borrow_mut()
            .push_str(&(text(&out.stdout) + &text(&out.stderr)));
        out
    };

    let out = seed(&[
        "--tenant", "target", "--users", "12", "--groups", "2", "--seed", "5",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "seeded IAS tenant target: 12 users, 2 groups (seed 5)\n"
    );
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));

    let out = seed(&["--tenant", "source", "--groups", "1", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(document["tenant"], "source");
    assert_eq!(
        (document["users"].as_u64(), document["groups"].as_u64()),
        (Some(0), Some(1))
    );
    assert!(document["seed"].is_u64());

    let out = seed(&["--tenant", "target", "--groups", "10001"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("groups: at most 10000"),
        "{}",
        text(&out.stderr)
    );

    let copy = dir.path().join("copy.json");
    std::fs::copy(&landscape.file, &copy).unwrap();
    runtime.block_on(landscape.shutdown());
    let out = seed(&[
        "--tenant",
        "target",
        "--users",
        "1",
        "--landscape",
        "copy.json",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("is not reachable"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("sapland up"),
        "{}",
        text(&out.stderr)
    );

    let out = seed(&["--tenant", "target", "--users", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(".sapland/landscape.json"),
        "{}",
        text(&out.stderr)
    );

    std::fs::write(
        &copy,
        "{\n  \"admin_token\": \"t\",\n  \"ias\": {\"url\": 1}\n}\n",
    )
    .unwrap();
    let out = seed(&[
        "--tenant",
        "target",
        "--users",
        "1",
        "--landscape",
        "copy.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("copy.json:3:") && text(&out.stderr).contains("$.ias.url"),
        "{}",
        text(&out.stderr)
    );

    for args in [&["seed", "--help"][..], &["seed", "ias", "--help"]] {
        let out = sapland(args, &[]);
        assert_eq!(out.status.code(), Some(0));
        assert!(text(&out.stdout).contains("Examples:"), "{args:?}");
    }
    let out = sapland(&["seed", "ias", "--tenant", "target"], &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--users or --groups is required"
    );
    assert!(
        !printed.borrow().contains(&token),
        "the admin token is never printed"
    );
}

/// `sapland up` as a process: summary on stdout, landscape.json once serving, a healthy admin
/// surface, and a clean stop on SIGTERM that removes landscape.json.
#[cfg(unix)]
#[test]
fn up_serves_until_sigterm_and_cleans_up() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapland"))
        .args(["up", "--plain-http", "--seed", "3", "--state-dir"])
        .arg(&state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sapland up starts");
    let mut summary = String::new();
    let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped"));
    loop {
        let mut line = String::new();
        assert!(
            lines.read_line(&mut line).unwrap() > 0,
            "sapland up ended early:\n{summary}"
        );
        summary.push_str(&line);
        if line.trim() == "Press Ctrl-C to stop." {
            break;
        }
    }
    let file = state.join("landscape.json");
    let landscape: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let admin = landscape["ias"]["admin_url"].as_str().unwrap();
    assert!(summary.contains(admin), "{summary}");
    assert_eq!(landscape["ias"]["tenants"].as_array().unwrap().len(), 2);

    let address = admin.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET /_admin/health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"status\":\"UP\""), "{answer}");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(!file.exists(), "landscape.json is removed on stop");
}

#[test]
fn up_refuses_bad_ports_with_exit_2() {
    let out = sapland(&["up", "--ports", "many"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--ports"),
        "{}",
        text(&out.stderr)
    );
}

fn transform_examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/transform")
}

fn transform(args: &[&str], stdin: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapland"))
        .arg("transform")
        .args(args)
        .current_dir(transform_examples())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the sapland binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin is written");
    child.wait_with_output().expect("sapland finishes")
}

#[test]
fn transform_prints_one_envelope_and_exits_0() {
    let out = transform(
        &[
            "--template",
            "ias-target-v2",
            "--entity",
            "user",
            "--input",
            "user.json",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let envelope: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(envelope["outcome"], "written");
    assert_eq!(envelope["entity"]["userName"], "jane.doe");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn transform_reads_standard_input_for_a_dash() {
    let out = transform(
        &[
            "--template",
            "ias-target-v2",
            "--entity",
            "user",
            "--input",
            "-",
        ],
        r#"{"userName": "x", "emails": [{"value": "x@example.com"}]}"#,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let envelope: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        envelope["entity"]["emails"],
        serde_json::json!([{"value": "x@example.com"}])
    );
}

#[test]
fn transform_without_input_prints_the_template() {
    let out = transform(&["--template", "ias-target-v1"], "");
    assert_eq!(out.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["group"]["ignore"], true);
}

#[test]
fn transform_refuses_bad_input_with_exit_2_and_nothing_on_stdout() {
    for (args, stdin, expected) in [
        (
            vec![
                "--template",
                "ias-target-v2",
                "--entity",
                "user",
                "--input",
                "-",
            ],
            "{\"userName\": ",
            "standard input:1:",
        ),
        (
            vec![
                "--template",
                "ias-target-v2",
                "--entity",
                "user",
                "--input",
                "-",
            ],
            "[{\"userName\": \"x\"}]",
            "found an array; for many entities use --batch",
        ),
        (
            vec![
                "--template",
                "no-such",
                "--entity",
                "user",
                "--input",
                "user.json",
            ],
            "",
            "the templates are ias-target-v2, ias-target-v1, ias-source-v2",
        ),
        (
            vec![
                "--template",
                "ias-target-v2",
                "--entity",
                "user",
                "--input",
                "user.json",
                "--var",
                "=x",
            ],
            "",
            "--var \"=x\": expected NAME=VALUE",
        ),
        (
            vec![
                "--template",
                "ias-target-v2",
                "--entity",
                "group",
                "--input",
                "group.json",
                "--id-map",
                "user.json",
            ],
            "",
            "user.json:",
        ),
    ] {
        let out = transform(&args, stdin);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains(expected),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn transform_batch_keeps_lines_aligned_and_exits_2_for_a_bad_line() {
    let out = transform(
        &[
            "--template",
            "ias-target-v2",
            "--entity",
            "user",
            "--input",
            "-",
            "--batch",
        ],
        "{\"userName\": \"a\", \"emails\": [{\"value\": \"a@example.com\"}]}\nnot json\n\n{\"userName\": \"b\"}\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let outcomes: Vec<&str> = lines
        .iter()
        .map(|l| l["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["written", "failed", "skipped"]);
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("standard input:2:2: not valid JSON")
    );
    assert!(text(&out.stderr).contains("1 line is not a JSON object"));
}

#[test]
fn transform_uses_the_transformation_and_properties_of_a_system_export() {
    // examples/systems/ias-target.json sets ips.date.variable.format and company.prefix.
    let out = transform(
        &[
            "--transformation",
            "../systems/ias-target.json",
            "--entity",
            "user",
            "--input",
            "user.json",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let envelope: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(envelope["entity"]["userType"], "employee");
    assert_eq!(
        envelope["entity"]["schemas"],
        serde_json::json!(["urn:ietf:params:scim:schemas:core:2.0:User"])
    );
}

/// `sapland transform` on a system export fills `%property%` as a job does: from the export's
/// effective properties, the catalogue's defaults included (`ias.api.version` absent means 1);
/// a wrong property value is refused with its line and JSON path.
#[test]
fn transform_of_an_export_fills_properties_as_a_job_does() {
    let dir = tempfile::tempdir().unwrap();
    let export = |properties: serde_json::Value| {
        serde_json::json!({
            "connectorTypeString": "SAP_CLOUD_IDENTITY", "accessMode": "WRITE", "name": "IAS Target",
            "properties": properties,
            "transformation": {"user": {"mappings": [
                {"sourcePath": "$.userName", "targetPath": "$.userName"},
                {"constant": "%ias.api.version%", "targetPath": "$.version"},
                {"constant": "%URL%", "targetPath": "$.url"}
            ]}}
        })
        .to_string()
    };
    std::fs::write(dir.path().join("user.json"), r#"{"userName": "jdoe"}"#).unwrap();
    std::fs::write(
        dir.path().join("export.json"),
        export(serde_json::json!({"URL": "https://t.example.com"})),
    )
    .unwrap();
    let run = |file: &str| {
        Command::new(env!("CARGO_BIN_EXE_sapland"))
            .args(["transform", "--transformation", file])
            .args(["--entity", "user", "--input", "user.json"])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = run("export.json");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let envelope: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        envelope["entity"]["version"], "1",
        "the catalogue's default"
    );
    assert_eq!(envelope["entity"]["url"], "https://t.example.com");

    std::fs::write(
        dir.path().join("wrong.json"),
        export(serde_json::json!({"ias.api.version": "3"})),
    )
    .unwrap();
    let out = run("wrong.json");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let error = text(&out.stderr);
    assert!(
        error.contains("wrong.json") && error.contains("(at $.properties['ias.api.version'])"),
        "{error}"
    );
}

/// A closed standard output is the reader having read enough: the command ends quietly with 0.
/// The reading end is closed before the command gets its input, so every write meets it closed.
#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapland"))
        .args([
            "transform",
            "--template",
            "ias-target-v2",
            "--entity",
            "user",
        ])
        .args(["--input", "-", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let users: String = (0..2_000)
        .map(|i| format!("{{\"userName\": \"u{i}\", \"name\": {{\"familyName\": \"F\"}}, \"emails\": [{{\"value\": \"u{i}@example.com\"}}]}}\n"))
        .collect();
    // The command stops at its first write, so it may not read all of its input.
    let _ = stdin.write_all(users.as_bytes());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// `provision unlock` refuses a live lock (exit 1, naming the job), breaks one whose lease ran
/// out, and says so when there is none.
#[test]
fn provision_unlock_breaks_only_a_stale_lock() {
    use sapland_core::job::{Job, JobType, ReadMode, TriggerType};
    use sapland_provision::store::{DEFAULT_LEASE, Store};
    let dir = tempfile::tempdir().unwrap();
    let unlock = || {
        Command::new(env!("CARGO_BIN_EXE_sapland"))
            .args(["provision", "unlock", "--source", "HR File", "--state-dir"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let out = unlock();
    assert_eq!(out.status.code(), Some(2), "no operational data yet");

    let job = |id: &str, start: jiff::Timestamp| {
        Job::start(
            id,
            "HR File",
            JobType::Read,
            TriggerType::Immediate,
            ReadMode::Full,
            start,
        )
    };
    let now = jiff::Timestamp::now();
    let store = Store::open(dir.path(), jiff::Timestamp::now).unwrap();
    store.start_job(&job("live", now), DEFAULT_LEASE).unwrap();
    let out = unlock();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let error = text(&out.stderr);
    assert!(
        error.contains("job live") && error.contains("the lock is live"),
        "{error}"
    );
    assert!(
        store.job_lock("HR File").unwrap().is_some(),
        "the live lock stays"
    );
    store.unlock("HR File").unwrap_err();
    drop(store);

    let hour_ago = now
        .checked_sub(jiff::SignedDuration::from_hours(1))
        .unwrap();
    let other = tempfile::tempdir().unwrap();
    let stale = Store::open(other.path(), move || hour_ago).unwrap();
    stale
        .start_job(&job("stale", hour_ago), DEFAULT_LEASE)
        .unwrap();
    drop(stale);
    let out = Command::new(env!("CARGO_BIN_EXE_sapland"))
        .args(["provision", "unlock", "--source", "HR File", "--state-dir"])
        .arg(other.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("job stale"),
        "{}",
        text(&out.stdout)
    );
    let store = Store::open(other.path(), jiff::Timestamp::now).unwrap();
    assert_eq!(store.job_lock("HR File").unwrap(), None);
    assert_eq!(
        store.job("stale").unwrap().unwrap().status,
        sapland_core::job::JobStatus::FinishedWithError
    );
    drop(store);
    let out = Command::new(env!("CARGO_BIN_EXE_sapland"))
        .args(["provision", "unlock", "--source", "HR File", "--state-dir"])
        .arg(other.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("holds no job lock"));
}
