//! `sapland calm check`: a service key tested as a connector's "Save and test" does.

use std::io::Write;

use sapland_calm::{ConnectionCheck, TokenCheck};
use serde::Serialize;

use super::args::CheckArgs;
use super::connect::connect;
use super::text::write;
use crate::args::Format;
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};

/// The report as `--format json` prints it: the key file, then the library's check.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report<'a> {
    service_key: String,
    #[serde(flatten)]
    check: &'a ConnectionCheck,
}

/// `calm check`.
pub(super) async fn run(
    args: &CheckArgs,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let client = connect(&args.connection, env).await?;
    let (check, failure) = client.check().await;
    let shown = args.connection.service_key.display().to_string();
    let text = match args.connection.format {
        Format::Json => {
            let report = Report {
                service_key: shown,
                check: &check,
            };
            serde_json::to_string_pretty(&report).expect("the report serializes") + "\n"
        }
        Format::Table => render_check(&shown, &check),
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

fn render_check(service_key: &str, check: &ConnectionCheck) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: String| {
        out.push_str(&format!("{label:<17}{value}\n"));
    };
    line("Service key:", service_key.to_string());
    line("Credential type:", check.credential_type.to_string());
    line("Client id:", check.client_id.clone());
    line("API root:", check.api_root.clone());
    line("Token URL:", check.token_url.clone());
    match &check.token {
        TokenCheck::Obtained { expires_at, scopes } => {
            line("Token:", format!("obtained, expires {expires_at}"));
            let scopes = scopes.as_deref().unwrap_or_default();
            if scopes.is_empty() {
                line("Scopes granted:", "(the token answer lists none)".into());
            }
            for (index, scope) in scopes.iter().enumerate() {
                line(
                    if index == 0 { "Scopes granted:" } else { "" },
                    scope.clone(),
                );
            }
        }
        TokenCheck::Failed { error, .. } => line("Token:", format!("failed: {error}")),
    }
    if let Some(call) = &check.api_call {
        let outcome = match (&call.error, call.landscape_objects) {
            (None, None) => format!("{} → 200 OK", call.call),
            (None, Some(count)) => format!("{} → 200 OK ({count} landscape objects)", call.call),
            (Some(error), _) => format!("{} → failed: {error}", call.call),
        };
        line("API call:", outcome);
    }
    line(
        "Result:",
        if check.ok {
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
        let check = ConnectionCheck {
            credential_type: "binding-secret",
            client_id: "sb-x".into(),
            api_root: "https://eu10.alm.cloud.sap".into(),
            token_url: "https://t/oauth/token".into(),
            token: TokenCheck::Failed {
                http_status: Some(401),
                error: "token request refused: 401 invalid_client".into(),
            },
            api_call: None,
            ok: false,
        };
        assert_eq!(
            render_check("key.json", &check),
            "Service key:     key.json\nCredential type: binding-secret\nClient id:       sb-x\n\
             API root:        https://eu10.alm.cloud.sap\nToken URL:       https://t/oauth/token\n\
             Token:           failed: token request refused: 401 invalid_client\n\
             Result:          the connection does not work\n"
        );
    }
}
