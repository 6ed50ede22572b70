//! `sapland calm …` as a process: exit codes, which stream gets what, and that neither the
//! client secret nor a token is ever printed. Cloud ALM is a tiny HTTP/1.1 fake on a thread.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::{sapland, text};

const SECRET: &str = "cli-test-CLIENT-SECRET";

/// Answers each request with `answer(method, path)`: (status, body, extra header line).
fn fake(answer: fn(&str, &str) -> (u16, String)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut parts = request_line.split_whitespace();
            let method = parts.next().unwrap_or_default();
            let path = parts.next().unwrap_or_default();
            let path = path.split('?').next().unwrap_or_default();
            let (status, body) = answer(method, path);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nx-total-count: 3\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

fn token(method: &str, path: &str) -> Option<(u16, String)> {
    (method == "POST" && path == "/oauth/token").then(|| {
        (
            200,
            json!({"access_token": "TOKEN-never-printed", "token_type": "bearer", "expires_in": 43199,
                   "scope": "calm!b2716.calm-api.landscape.read calm-api.landscape.read"})
            .to_string(),
        )
    })
}

fn key_file(dir: &Path, name: &str, url: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&json!({
            "endpoints": {"Api": format!("{url}/api")},
            "uaa": {"clientid": "sb-cli!b1|calm!b2716", "clientsecret": SECRET, "url": url,
                    "credential-type": "binding-secret"}
        }))
        .unwrap(),
    )
    .unwrap();
    path
}

fn no_secrets(out: &std::process::Output) {
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!all.contains(SECRET), "{all}");
    assert!(!all.contains("TOKEN-never-printed"), "{all}");
}

#[test]
fn check_reports_the_connection_and_exits_0() {
    let url = fake(|method, path| {
        token(method, path).unwrap_or_else(|| match path {
            "/api/calm-landscape/v1/landscapeObjects" => (200, "[]".into()),
            _ => (404, "{}".into()),
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path(), "key.json", &url);
    let out = sapland(
        &["calm", "check", "--service-key", key.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for expected in [
        "Credential type: binding-secret".to_string(),
        format!("API root:        {url}"),
        format!("Token URL:       {url}/oauth/token"),
        "Scopes granted:  calm!b2716.calm-api.landscape.read".into(),
        "                 calm-api.landscape.read".into(),
        "API call:        GET /api/calm-landscape/v1/landscapeObjects?limit=1 → 200 OK (3 landscape objects)".into(),
        "Result:          the connection works".into(),
    ] {
        assert!(stdout.contains(&expected), "{expected:?} in\n{stdout}");
    }
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    no_secrets(&out);

    let out = sapland(
        &[
            "calm",
            "check",
            "--service-key",
            key.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["apiCall"]["status"], 200);
    assert_eq!(report["token"]["scopes"][1], "calm-api.landscape.read");
    no_secrets(&out);
}

#[test]
fn a_bad_key_exits_2_naming_field_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key.json");
    std::fs::write(
        &path,
        format!(
            "{{\n  \"endpoints\": {{\"Api\": \"https://eu10.alm.cloud.sap\"}},\n  \"uaa\": {{\n    \
             \"clientid\": \"sb-x\",\n    \"clientsecret\": \"{SECRET}\",\n    \
             \"url\": \"https://t.authentication.eu10.hana.ondemand.com/oauth/token\"\n  }}\n}}\n"
        ),
    )
    .unwrap();
    let out = sapland(
        &["calm", "check", "--service-key", path.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    let shown = path.display();
    assert!(
        stderr.contains(&format!(
            "error: {shown}: line 2, column 24, at $.endpoints.Api: must end in /api"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{shown}: line 6, column 12, at $.uaa.url: must not end in /oauth/token"
        )),
        "{stderr}"
    );
    no_secrets(&out);

    let out = sapland(&["calm", "jobs", "--service-key", "nope.json"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot read the service key nope.json"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_unreachable_cloud_alm_exits_3_and_says_so() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path(), "key.json", &format!("http://127.0.0.1:{port}"));
    for command in ["check", "jobs", "csa", "landscape"] {
        let out = sapland(
            &["calm", command, "--service-key", key.to_str().unwrap()],
            &[],
        );
        assert_eq!(
            out.status.code(),
            Some(3),
            "{command}: {}",
            text(&out.stderr)
        );
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("error: token request failed: connection failed"),
            "{command}: {stderr}"
        );
        no_secrets(&out);
    }
    let out = sapland(
        &["calm", "check", "--service-key", key.to_str().unwrap()],
        &[],
    );
    assert!(
        text(&out.stdout).contains("Result:          the connection does not work"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_refused_secret_exits_3_with_the_reason() {
    let url = fake(|_, _| {
        (
            401,
            json!({"error": "invalid_client", "error_description": "Bad credentials"}).to_string(),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path(), "key.json", &url);
    let out = sapland(
        &["calm", "check", "--service-key", key.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stdout).contains(
            "Token:           failed: token request refused: 401 invalid_client: Bad credentials"
        ),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: token request refused: 401 invalid_client: Bad credentials (POST {url}/oauth/token)\n"
        )
    );
    no_secrets(&out);
}

#[test]
fn a_missing_scope_exits_3_naming_it() {
    let url = fake(|method, path| {
        token(method, path).unwrap_or_else(|| {
            (
                403,
                json!({"status": 403, "error": "FORBIDDEN", "message": "Insufficient scope"})
                    .to_string(),
            )
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path(), "key.json", &url);
    let out = sapland(
        &["calm", "jobs", "--service-key", key.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains(
            "the service key lacks the scope calm-api.analytics.read: add \
             $XSMASTERAPPNAME.calm-api.analytics.read to the authorities"
        ),
        "{}",
        text(&out.stderr)
    );
}

/// Analytics rows, a `jam.run` record and landscape objects as Cloud ALM answers them.
fn views(method: &str, path: &str) -> (u16, String) {
    if let Some(answer) = token(method, path) {
        return answer;
    }
    match path {
        "/api/calm-landscape/v1/landscapeObjects" => (
            200,
            json!([{"lmsId": "lms-ips", "name": "Identity Provisioning", "objectType": "CloudService",
                    "serviceType": "SAP_CLOUD_IDENTITY_PROVISIONING", "source": "SLIS"}])
            .to_string(),
        ),
        "/api/calm-analytics/v1/odata/v4/analytics/DataSet" => (
            200,
            json!({"@odata.count": 2, "value": [
                {"d1k": "serviceId", "d1v": "lms-ips", "d2k": "serviceName", "d2v": "Identity Provisioning",
                 "d3k": "jobType", "d3v": "IPS_PROVISIONING_JOB", "d4k": "jobName", "d4v": "HR File READ",
                 "d5k": "jobId", "d5v": "HR File|READ", "d6k": "storeName", "d6v": "TENANT",
                 "d7k": "itemKey", "d7v": "ias.api.version", "d8k": "itemValue", "d8v": "2",
                 "m1k": "executions", "m1v": 2, "m2k": "runTime", "m2v": 30, "m3k": "success", "m3v": 1,
                 "m4k": "applicationError", "m4v": 1},
                {"d1k": "serviceId", "d1v": "lms-ips", "d2k": "serviceName", "d2v": "Identity Provisioning",
                 "d3k": "jobType", "d3v": "IPS_PROVISIONING_JOB", "d4k": "jobName", "d4v": "HR File RESYNC",
                 "d5k": "jobId", "d5v": "HR File|RESYNC", "m1k": "executions", "m1v": 1}
            ]})
            .to_string(),
        ),
        "/api/calm-logs/v1/logs" => (
            200,
            json!({"resourceLogs": [{"resource": {"attributes": []}, "scopeLogs": [{"logRecords": [
                {"timeUnixNano": "1795338000000000000", "attributes": [
                    {"key": "jobType", "value": {"stringValue": "IPS_PROVISIONING_JOB"}},
                    {"key": "jobName", "value": {"stringValue": "HR File READ"}},
                    {"key": "jobId", "value": {"stringValue": "HR File|READ"}},
                    {"key": "executionId", "value": {"stringValue": "job-7"}},
                    {"key": "executionStatus", "value": {"stringValue": "Completed"}},
                    {"key": "applicationStatus", "value": {"stringValue": "Error"}},
                    {"key": "plannedStartTime", "value": {"stringValue": "2026-11-22T08:59:00Z"}},
                    {"key": "startTime", "value": {"stringValue": "2026-11-22T09:00:00Z"}},
                    {"key": "endTime", "value": {"stringValue": "2026-11-22T09:00:30Z"}},
                    {"key": "failed", "value": {"intValue": "1"}}]}]}]}]})
            .to_string(),
        ),
        _ => (404, "{}".into()),
    }
}

#[test]
fn the_views_print_tables_and_json() {
    let url = fake(views);
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path(), "key.json", &url);
    let key = key.to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["calm"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--service-key", key]);
        let out = sapland(&all, &[]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
        no_secrets(&out);
        text(&out.stdout)
    };
    assert_eq!(
        run(&["landscape"]),
        "NAME                   LMS ID   TYPE          SERVICE TYPE                     SOURCE  SYSTEM NUMBER  ROLE\n\
         Identity Provisioning  lms-ips  CloudService  SAP_CLOUD_IDENTITY_PROVISIONING  SLIS\n"
    );
    let lines = [
        "SERVICE                JOB TYPE              JOB NAME        JOB ID          EXECUTIONS  RUN TIME (S)  SUCCESS  ERROR  ABORTED",
        "Identity Provisioning  IPS_PROVISIONING_JOB  HR File READ    HR File|READ    2           30            1        1      0",
        "                                             HR File RESYNC  HR File|RESYNC  1           0             0        0      0",
    ];
    assert_eq!(run(&["jobs"]), format!("{}\n", lines.join("\n")));
    assert_eq!(
        run(&["jobs", "--job", "HR File|READ", "--since", "60m"]),
        "Job HR File|READ\n\n\
         EXECUTION  STATUS     APPLICATION  START                 END                   DELAY (S)  RUN TIME (S)  COUNTERS\n\
         job-7      Completed  Error        2026-11-22T09:00:00Z  2026-11-22T09:00:30Z  60         30            failed=1\n"
    );
    let csa = run(&["csa"]);
    assert!(
        csa.contains("Identity Provisioning\n                       TENANT  ias.api.version  2\n"),
        "{csa}"
    );
    let landscape: serde_json::Value =
        serde_json::from_str(&run(&["landscape", "--format", "json"])).unwrap();
    assert_eq!(landscape["landscapeObjects"][0]["lmsId"], "lms-ips");
    let jobs: serde_json::Value =
        serde_json::from_str(&run(&["jobs", "--format", "json"])).unwrap();
    assert_eq!(jobs["jobs"][0]["executions"], 2.0);

    let out = sapland(
        &["calm", "jobs", "--service-key", key, "--job", "nope"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--job: Cloud ALM's job monitoring has no job \"nope\" in L7D"),
        "{}",
        text(&out.stderr)
    );
}

/// Against the landscape's mock Cloud ALM: both keys the landscape writes pass the check with
/// `--landscape`, which trusts the landscape CA.
#[test]
fn the_landscapes_keys_pass_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let landscape = runtime
        .block_on(sapland_landscape::Landscape::start(
            sapland_landscape::LandscapeConfig::new(dir.path().join(".sapland")),
        ))
        .unwrap();
    let calm = landscape.description.calm.clone();
    let file = landscape.file.to_str().unwrap().to_string();
    for (key, kind) in [
        (calm.service_key.clone(), "binding-secret"),
        (calm.service_key_x509.clone().unwrap(), "x509"),
    ] {
        let out = sapland(
            &[
                "calm",
                "check",
                "--service-key",
                key.to_str().unwrap(),
                "--landscape",
                &file,
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains(&format!("Credential type: {kind}")),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("API root:        {}", calm.url)),
            "{stdout}"
        );
        assert!(stdout.contains("calm-api.landscape.read"), "{stdout}");
        assert!(
            stdout.contains("Result:          the connection works"),
            "{stdout}"
        );
        let secrets: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&key).unwrap()).unwrap();
        for secret in ["clientsecret", "key"] {
            if let Some(value) = secrets["uaa"][secret].as_str() {
                assert!(!stdout.contains(value), "{secret} printed");
            }
        }
    }
    let out = sapland(
        &[
            "calm",
            "landscape",
            "--service-key",
            calm.service_key.to_str().unwrap(),
            "--landscape",
            &file,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Identity Provisioning"),
        "{}",
        text(&out.stdout)
    );
    let out = sapland(
        &[
            "calm",
            "check",
            "--service-key",
            calm.service_key.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(3), "untrusted without --landscape");
    assert!(
        text(&out.stderr).contains("the server certificate is not trusted"),
        "{}",
        text(&out.stderr)
    );
    runtime.block_on(landscape.shutdown());
}
