//! `sapland calm check`: a service key tested as a connector's "Save and test" does.

use std::io::Write;

use sapland_calm::LandscapeQuery;
use serde_json::{Value, json};

use super::args::CheckArgs;
use super::connect::{Connected, connect};
use super::text::{pretty, write};
use crate::args::Format;
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};

/// `calm check`.
pub(super) async fn run(
    args: &CheckArgs,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let Connected { key, client } = connect(&args.connection, env).await?;
    let mut report = json!({
        "serviceKey": args.connection.service_key.display().to_string(),
        "credentialType": key.credential_type().as_str(),
        "clientId": key.client_id(),
        "apiRoot": client.api_root(),
        "tokenUrl": client.token_url(),
    });
    let mut failure = None;
    match client.token().await {
        Ok(token) => {
            report["token"] = json!({
                "status": "obtained",
                "expiresAt": token.expires_at().to_string(),
                "scopes": token.scopes(),
            });
            let query = LandscapeQuery {
                limit: Some(1),
                ..LandscapeQuery::default()
            };
            let call = "GET /api/calm-landscape/v1/landscapeObjects?limit=1";
            match client.landscape_objects(&query).await {
                Ok(page) => {
                    report["apiCall"] = json!({
                        "call": call, "status": 200, "landscapeObjects": page.total,
                    });
                }
                Err(error) => {
                    report["apiCall"] = json!({
                        "call": call, "status": error.status(), "error": error.to_string(),
                    });
                    failure = Some(error);
                }
            }
        }
        Err(error) => {
            report["token"] = json!({
                "status": "failed", "httpStatus": error.status(), "error": error.to_string(),
            });
            failure = Some(error);
        }
    }
    report["ok"] = json!(failure.is_none());
    let text = match args.connection.format {
        Format::Json => pretty(&report),
        Format::Table => render_check(&report),
    };
    write(stdout, &text)?;
    match failure {
        None => Ok(ExitCode::SUCCESS),
        Some(error) => {
            let _ = writeln!(stderr, "error: {error}");
            Ok(ExitCode::OUTSIDE)
        }
    }
}

fn render_check(report: &Value) -> String {
    let text = |value: &Value| match value {
        Value::String(text) => text.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    let mut out = String::new();
    let mut line = |label: &str, value: String| {
        out.push_str(&format!("{label:<17}{value}\n"));
    };
    line("Service key:", text(&report["serviceKey"]));
    line("Credential type:", text(&report["credentialType"]));
    line("Client id:", text(&report["clientId"]));
    line("API root:", text(&report["apiRoot"]));
    line("Token URL:", text(&report["tokenUrl"]));
    let token = &report["token"];
    match token["status"].as_str() {
        Some("obtained") => {
            line(
                "Token:",
                format!("obtained, expires {}", text(&token["expiresAt"])),
            );
            let scopes: Vec<String> = token["scopes"]
                .as_array()
                .map(|scopes| scopes.iter().map(text).collect())
                .unwrap_or_default();
            if scopes.is_empty() {
                line("Scopes granted:", "(the token answer lists none)".into());
            }
            for (index, scope) in scopes.into_iter().enumerate() {
                line(if index == 0 { "Scopes granted:" } else { "" }, scope);
            }
        }
        _ => line("Token:", format!("failed: {}", text(&token["error"]))),
    }
    let call = &report["apiCall"];
    if !call.is_null() {
        let outcome = match &call["error"] {
            Value::Null => match &call["landscapeObjects"] {
                Value::Null => format!("{} → 200 OK", text(&call["call"])),
                count => format!(
                    "{} → 200 OK ({} landscape objects)",
                    text(&call["call"]),
                    text(count)
                ),
            },
            error => format!("{} → failed: {}", text(&call["call"]), text(error)),
        };
        line("API call:", outcome);
    }
    line(
        "Result:",
        if report["ok"] == json!(true) {
            "the connection works".into()
        } else {
            "the connection does not work".into()
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_check_reads_plainly() {
        let report = json!({
            "serviceKey": "key.json", "credentialType": "binding-secret", "clientId": "sb-x",
            "apiRoot": "https://eu10.alm.cloud.sap", "tokenUrl": "https://t/oauth/token",
            "token": {"status": "failed", "error": "token request refused: 401 invalid_client"},
            "ok": false
        });
        assert_eq!(
            render_check(&report),
            "Service key:     key.json\nCredential type: binding-secret\nClient id:       sb-x\n\
             API root:        https://eu10.alm.cloud.sap\nToken URL:       https://t/oauth/token\n\
             Token:           failed: token request refused: 401 invalid_client\n\
             Result:          the connection does not work\n"
        );
    }
}
