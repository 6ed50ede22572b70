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
