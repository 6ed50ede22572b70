//! `sapland seed ias`: fake users and groups in a tenant of the running mock IAS, through its
//! admin surface (`POST /_admin/ias/tenants/{tenant}/seed`), found in `landscape.json`.

use std::io::Write;
use std::time::Duration;

use sapland_core::landscape::LandscapeFile;
use sapland_outbound::https::HttpsOptions;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::args::{Format, SeedIasArgs};
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};

/// How long to wait for a connection to the landscape; the seeding itself may take longer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The mock's answer to a seeding.
#[derive(Debug, Deserialize)]
struct Seeded {
    users: u64,
    groups: u64,
    seed: u64,
}

/// Runs the command.
pub(crate) fn run(
    args: &SeedIasArgs,
    env: &Environment,
    stdout: &mut dyn Write,
    _stderr: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let shown = args.landscape.display().to_string();
    let landscape = crate::outbound::read_landscape(&env.resolve(&args.landscape), &shown)?;
    if !landscape.ias.tenants.iter().any(|t| t.name == args.tenant) {
        let names: Vec<&str> = landscape
            .ias
            .tenants
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        return Err(UserError::bad_input(format!(
            "--tenant: {shown} has no IAS tenant {:?}; it has {}",
            args.tenant,
            names.join(", ")
        )));
    }
    let mut https = HttpsOptions {
        connect_timeout: Some(CONNECT_TIMEOUT),
        timeout: None,
        ..HttpsOptions::default()
    };
    https
        .extra_roots
        .extend(crate::outbound::landscape_ca(&landscape, &shown, env)?);
    let client =
        sapland_outbound::https::build(&https).map_err(|e| UserError::bad_input(e.to_string()))?;

    let mut body = Map::new();
    for (key, value) in [
        ("users", args.users),
        ("groups", args.groups),
        ("seed", args.seed),
    ] {
        if let Some(value) = value {
            body.insert(key.into(), value.into());
        }
    }
    let url = format!(
        "{}/_admin/ias/tenants/{}/seed",
        landscape.ias.admin_url.trim_end_matches('/'),
        args.tenant
    );
    let seeded = send(&client, &url, &landscape, Value::Object(body))?;

    let rendered = match args.format {
        Format::Table => format!(
            "seeded IAS tenant {}: {} users, {} groups (seed {})\n",
            args.tenant, seeded.users, seeded.groups, seeded.seed
        ),
        Format::Json => {
            let document = json!({
                "tenant": args.tenant,
                "users": seeded.users,
                "groups": seeded.groups,
                "seed": seeded.seed,
            });
            serde_json::to_string_pretty(&document).expect("JSON serializes") + "\n"
        }
    };
    crate::output::write(stdout, rendered.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn outside(message: String) -> UserError {
    UserError {
        code: ExitCode::OUTSIDE,
        message,
    }
}

/// Posts the seed request with the admin token and reads the answer.
fn send(
    client: &reqwest::Client,
    url: &str,
    landscape: &LandscapeFile,
    body: Value,
) -> Result<Seeded, UserError> {
    let runtime = crate::runtime::current_thread()?;
    let admin_url = &landscape.ias.admin_url;
    let (status, answer) = runtime.block_on(async {
        let response = client
            .post(url)
            .bearer_auth(&landscape.admin_token)
            .json(&body)
            .send()
            .await
            .map_err(|e| {
                outside(format!(
                    "the landscape at {admin_url} is not reachable ({}); is `sapland up` running?",
                    chain(&e)
                ))
            })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| {
            outside(format!(
                "the mock IAS at {admin_url} broke off its answer: {}",
                chain(&e)
            ))
        })?;
        Ok::<_, UserError>((status, bytes))
    })?;
    let message = || {
        serde_json::from_slice::<Value>(&answer)
            .ok()
            .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&answer).trim().to_string())
    };
    match status.as_u16() {
        201 => serde_json::from_slice(&answer).map_err(|e| {
            outside(format!(
                "the mock IAS at {admin_url} answered the seeding with an unexpected body: {e}"
            ))
        }),
        400 | 404 => Err(UserError::bad_input(format!(
            "the mock IAS refused the seeding: {}",
            message()
        ))),
        401 => Err(outside(format!(
            "the landscape at {admin_url} refused the admin token; is landscape.json from the landscape that is running?"
        ))),
        code => Err(outside(format!(
            "the mock IAS at {admin_url} answered {code}: {}",
            message()
        ))),
    }
}

/// An error with its causes, `outer: inner: innermost`.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
