//! `sapland calm check|jobs|csa|landscape`: a Cloud ALM connection from a service key — tested
//! the way a connector's "Save and test" does — and read views of job monitoring, Configuration
//! & Security Analysis and the landscape through Cloud ALM's public APIs.
//!
//! The grammar of these commands lives here rather than in `args.rs`, beside the one variant
//! that adds `calm` to the command line.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use jiff::{SignedDuration, Timestamp};
use sapland_calm::{
    Client, ClientOptions, Error, JobExecution, JobSummary, LandscapeObject, LandscapeQuery,
    LogsWindow, ServiceKey, TokenRequestStyle,
};
use serde_json::{Value, json};

use crate::args::Format;
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};
use crate::outbound::{Reach, reach};
use crate::output::table;

/// Examples shown with `sapland calm --help`.
pub(crate) const EXAMPLES: &str = "\
Examples:
  sapland calm check --service-key calm-service-key.json
  sapland calm check --service-key key-x509.json --landscape .sapland/landscape.json
  sapland calm jobs --service-key key.json --period L7D
  sapland calm jobs --service-key key.json --job \"HR File|READ\" --since 24h
  sapland calm csa --service-key key.json --format json
  sapland calm landscape --service-key key.json --object-type TechnicalSystem

The service key is the binding of the SAP Cloud ALM API service as the SAP BTP cockpit shows or
downloads it (secret or X.509). Nothing prints the client secret, the private key or a token.
Exit code 2 for a bad key or argument, 3 when Cloud ALM refuses (a wrong secret, a missing scope)
or cannot be reached.";

/// The `calm` commands.
#[derive(Debug, Subcommand)]
pub(crate) enum CalmCommand {
    /// Test a service key as a connector's "Save and test" does: check the key, get a token,
    /// call the landscape API, and report the API root, token URL, credential type, the scopes
    /// granted and the call's status.
    #[command(after_help = EXAMPLES)]
    Check(CheckArgs),
    /// Job & Automation Monitoring: jobs grouped by service and job type with executions, run
    /// time, successes and errors (analytics DP_JOB_MONITORING); --job shows one job's
    /// executions (logs provider jam.run).
    #[command(after_help = EXAMPLES)]
    Jobs(JobsArgs),
    /// Configuration & Security Analysis: configuration items per system and store, current and
    /// changed (analytics CCDB_STORE_DATA).
    #[command(after_help = EXAMPLES)]
    Csa(CsaArgs),
    /// Landscape objects (services, systems, clients) with their LMS IDs.
    #[command(after_help = EXAMPLES)]
    Landscape(LandscapeArgs),
}

/// How to reach Cloud ALM: the key, trust, the clock.
#[derive(Debug, Args)]
pub(crate) struct Connection {
    /// The service key JSON of the SAP Cloud ALM API service.
    #[arg(long, value_name = "FILE")]
    service_key: PathBuf,
    /// PEM bundle of CA certificates to trust besides the system roots (default:
    /// SSL_CERT_FILE).
    #[arg(long, value_name = "FILE")]
    ca_cert: Option<PathBuf>,
    /// Run against a mock landscape: trust its CA and follow its clock.
    #[arg(long, value_name = "landscape.json")]
    landscape: Option<PathBuf>,
    /// How a client secret travels to the token endpoint.
    #[arg(long, value_enum, default_value_t = TokenAuth::Basic)]
    token_auth: TokenAuth,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// How a client secret travels to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TokenAuth {
    /// An Authorization: Basic header (XSUAA's usual way).
    Basic,
    /// Form fields client_id and client_secret.
    Form,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    connection: Connection,
}

#[derive(Debug, Args)]
pub(crate) struct JobsArgs {
    #[command(flatten)]
    connection: Connection,
    /// The analytics period: L7D, L24H, L1D, C1D, ….
    #[arg(long, default_value = "L7D")]
    period: String,
    /// Only the jobs of this service (LMS ID).
    #[arg(long, value_name = "LMS_ID")]
    service_id: Option<String>,
    /// Show the executions of this job (its job id, such as "HR File|READ").
    #[arg(long, value_name = "JOB_ID")]
    job: Option<String>,
    /// With --job: how far back to read executions (read in windows of at most 60 minutes).
    #[arg(long, value_name = "DURATION", default_value = "24h", requires = "job")]
    since: String,
}

#[derive(Debug, Args)]
pub(crate) struct CsaArgs {
    #[command(flatten)]
    connection: Connection,
    /// The analytics period: L7D, L24H, L1D, C1D, ….
    #[arg(long, default_value = "L7D")]
    period: String,
    /// Only the items of this service (LMS ID).
    #[arg(long, value_name = "LMS_ID")]
    service_id: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct LandscapeArgs {
    #[command(flatten)]
    connection: Connection,
    /// Only objects of this type: BusinessService, CloudService, TechnicalSystem.
    #[arg(long, value_name = "TYPE")]
    object_type: Option<String>,
    /// Only objects with this name.
    #[arg(long)]
    name: Option<String>,
    /// Only objects from this source: SLIS, REGISTRATION, ….
    #[arg(long)]
    source: Option<String>,
    /// Only objects of this service type.
    #[arg(long, value_name = "TYPE")]
    service_type: Option<String>,
    /// Only the object with this LMS ID.
    #[arg(long, value_name = "LMS_ID")]
    lms_id: Option<String>,
}

/// Runs a `calm` command.
pub(crate) fn run(
    command: &CalmCommand,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| UserError {
            code: ExitCode::FAILED,
            message: format!("cannot start the async runtime: {err}"),
        })?;
    runtime.block_on(async {
        match command {
            CalmCommand::Check(args) => check(args, env, stdout, stderr).await,
            CalmCommand::Jobs(args) => jobs(args, env, stdout).await,
            CalmCommand::Csa(args) => csa(args, env, stdout).await,
            CalmCommand::Landscape(args) => landscape(args, env, stdout).await,
        }
    })
}

/// The key read and checked, and a client for it.
struct Connected {
    key: ServiceKey,
    client: Client,
}

/// Reads the key (exit 2 with every problem) and builds the client.
async fn connect(connection: &Connection, env: &Environment) -> Result<Connected, UserError> {
    let shown = connection.service_key.display().to_string();
    let text = std::fs::read_to_string(env.resolve(&connection.service_key)).map_err(|err| {
        UserError::bad_input(format!("cannot read the service key {shown}: {err}"))
    })?;
    let key = ServiceKey::from_json(&text)
        .map_err(|err| UserError::bad_input(err.in_file(shown.as_str()).to_string()))?;
    let Reach { https, clock } = reach(
        connection.ca_cert.as_deref(),
        connection.landscape.as_deref(),
        env,
    )
    .await?;
    let mut options = ClientOptions::new(https, clock);
    options.token_style = match connection.token_auth {
        TokenAuth::Basic => TokenRequestStyle::BasicHeader,
        TokenAuth::Form => TokenRequestStyle::FormFields,
    };
    let client = Client::new(&key, options).map_err(|err| {
        UserError::bad_input(format!("{shown}: the key cannot be used for HTTPS: {err}"))
    })?;
    Ok(Connected { key, client })
}

/// A Cloud ALM error: Cloud ALM refused or could not be reached (exit 3), or sapland could
/// not make the request from the arguments (exit 2).
fn outside(error: Error) -> UserError {
    let code = match *error.kind {
        sapland_calm::ErrorKind::InvalidRequest { .. } => ExitCode::BAD_INPUT,
        _ => ExitCode::OUTSIDE,
    };
    UserError {
        code,
        message: error.to_string(),
    }
}

/// `calm check`.
async fn check(
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

/// `calm jobs`.
async fn jobs(
    args: &JobsArgs,
    env: &Environment,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let Connected { client, .. } = connect(&args.connection, env).await?;
    let summaries = client
        .job_summaries(args.service_id.as_deref(), &args.period)
        .await
        .map_err(outside)?;
    let Some(job_id) = &args.job else {
        let text = match args.connection.format {
            Format::Json => pretty(&json!({ "period": args.period, "jobs": summaries })),
            Format::Table => render_jobs(&summaries, &args.period),
        };
        write(stdout, &text)?;
        return Ok(ExitCode::SUCCESS);
    };
    let since: SignedDuration = args.since.parse().map_err(|err| {
        UserError::bad_input(format!(
            "--since {:?} is not a duration such as 24h or 90m: {err}",
            args.since
        ))
    })?;
    let minutes = u32::try_from(since.as_mins())
        .ok()
        .filter(|minutes| *minutes > 0)
        .ok_or_else(|| UserError::bad_input("--since must be at least a minute"))?;
    let services: Vec<&str> = match &args.service_id {
        Some(id) => vec![id.as_str()],
        None => {
            let mut ids: Vec<&str> = summaries
                .iter()
                .filter(|job| &job.job_id == job_id)
                .map(|job| job.service_id.as_str())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        }
    };
    if services.is_empty() {
        return Err(UserError::bad_input(format!(
            "--job: Cloud ALM's job monitoring has no job {job_id:?} in {}; `sapland calm jobs` \
             lists the job ids (or name the service with --service-id)",
            args.period
        )));
    }
    let mut executions = Vec::new();
    for service in services {
        executions.extend(
            client
                .job_executions(service, Some(job_id), LogsWindow::LastMinutes(minutes))
                .await
                .map_err(outside)?,
        );
    }
    let text = match args.connection.format {
        Format::Json => pretty(&json!({
            "jobId": job_id,
            "since": args.since,
            "executions": executions.iter().map(execution_json).collect::<Vec<_>>(),
        })),
        Format::Table => render_executions(job_id, &args.since, &executions),
    };
    write(stdout, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn render_jobs(jobs: &[JobSummary], period: &str) -> String {
    if jobs.is_empty() {
        return format!("No jobs reported to Job & Automation Monitoring in {period}.\n");
    }
    let mut previous: (&str, &str) = ("", "");
    let rows: Vec<Vec<String>> = jobs
        .iter()
        .map(|job| {
            let service = if job.service_name.is_empty() {
                job.service_id.as_str()
            } else {
                job.service_name.as_str()
            };
            let group = (service, job.job_type.as_str());
            let (shown_service, shown_type) = match (group.0 == previous.0, group == previous) {
                (true, true) => (String::new(), String::new()),
                (true, false) => (String::new(), group.1.to_string()),
                _ => (group.0.to_string(), group.1.to_string()),
            };
            previous = group;
            vec![
                shown_service,
                shown_type,
                job.job_name.clone(),
                job.job_id.clone(),
                number(job.executions),
                number(job.run_time),
                number(job.success),
                number(job.application_error),
                number(job.aborted),
            ]
        })
        .collect();
    table::render(
        &[
            "SERVICE",
            "JOB TYPE",
            "JOB NAME",
            "JOB ID",
            "EXECUTIONS",
            "RUN TIME (S)",
            "SUCCESS",
            "ERROR",
            "ABORTED",
        ],
        &rows,
    )
}

fn execution_json(execution: &JobExecution) -> Value {
    let mut value = serde_json::to_value(execution).unwrap_or(Value::Null);
    value["runTimeSeconds"] = json!(execution.run_time());
    value["startDelaySeconds"] = json!(start_delay(execution));
    value["counters"] = execution
        .counters
        .iter()
        .map(|(name, count)| (name.clone(), json!(count)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    value
}

fn start_delay(execution: &JobExecution) -> Option<f64> {
    Some(
        execution
            .start_time?
            .duration_since(execution.planned_start_time?)
            .as_secs_f64(),
    )
}

fn render_executions(job_id: &str, since: &str, executions: &[JobExecution]) -> String {
    if executions.is_empty() {
        return format!("No executions of {job_id:?} in the last {since}.\n");
    }
    let time = |at: Option<Timestamp>| at.map_or_else(|| "-".into(), |at| at.to_string());
    let rows: Vec<Vec<String>> = executions
        .iter()
        .map(|execution| {
            vec![
                execution.execution_id.clone(),
                execution.execution_status.to_string(),
                execution.application_status.to_string(),
                time(execution.start_time),
                time(execution.end_time),
                start_delay(execution).map_or_else(|| "-".into(), number),
                execution.run_time().map_or_else(|| "-".into(), number),
                execution
                    .counters
                    .iter()
                    .map(|(name, count)| format!("{name}={count}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    format!(
        "Job {job_id}\n\n{}",
        table::render(
            &[
                "EXECUTION",
                "STATUS",
                "APPLICATION",
                "START",
                "END",
                "DELAY (S)",
                "RUN TIME (S)",
                "COUNTERS",
            ],
            &rows,
        )
    )
}

/// `calm csa`.
async fn csa(
    args: &CsaArgs,
    env: &Environment,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let Connected { client, .. } = connect(&args.connection, env).await?;
    let items = client
        .csa_items(args.service_id.as_deref(), &args.period)
        .await
        .map_err(outside)?;
    let text = match args.connection.format {
        Format::Json => pretty(&json!({ "period": args.period, "items": items })),
        Format::Table if items.is_empty() => format!(
            "No Configuration & Security Analysis items in {}.\n",
            args.period
        ),
        Format::Table => {
            let mut previous = (None, None);
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|item| {
                    let system = item.service_name.clone().or(item.service_id.clone());
                    let group = (system, item.store_name.clone());
                    let shown_system = if group.0 == previous.0 {
                        String::new()
                    } else {
                        group.0.clone().unwrap_or_default()
                    };
                    let shown_store = if group == previous {
                        String::new()
                    } else {
                        group.1.clone().unwrap_or_default()
                    };
                    previous = group;
                    let cell = |value: &Option<String>| value.clone().unwrap_or_default();
                    vec![
                        shown_system,
                        shown_store,
                        cell(&item.item_key),
                        cell(&item.item_value),
                        cell(&item.element_status),
                        cell(&item.element_modification),
                        cell(&item.element_date),
                    ]
                })
                .collect();
            table::render(
                &[
                    "SYSTEM",
                    "STORE",
                    "KEY",
                    "VALUE",
                    "STATUS",
                    "MODIFICATION",
                    "DATE",
                ],
                &rows,
            )
        }
    };
    write(stdout, &text)?;
    Ok(ExitCode::SUCCESS)
}

/// `calm landscape`.
async fn landscape(
    args: &LandscapeArgs,
    env: &Environment,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let Connected { client, .. } = connect(&args.connection, env).await?;
    let query = LandscapeQuery {
        object_type: args.object_type.clone(),
        name: args.name.clone(),
        source: args.source.clone(),
        service_type: args.service_type.clone(),
        lms_id: args.lms_id.clone(),
        ..LandscapeQuery::default()
    };
    let objects = client
        .all_landscape_objects(&query)
        .await
        .map_err(outside)?;
    let text = match args.connection.format {
        Format::Json => pretty(&json!({ "landscapeObjects": objects })),
        Format::Table if objects.is_empty() => "No landscape objects match.\n".to_string(),
        Format::Table => render_objects(&objects),
    };
    write(stdout, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn render_objects(objects: &[LandscapeObject]) -> String {
    let cell = |value: &Option<String>| value.clone().unwrap_or_default();
    let rows: Vec<Vec<String>> = objects
        .iter()
        .map(|object| {
            vec![
                cell(&object.name),
                object.lms_id.clone(),
                cell(&object.object_type),
                cell(&object.service_type),
                cell(&object.source),
                cell(&object.system_number),
                cell(&object.role),
            ]
        })
        .collect();
    table::render(
        &[
            "NAME",
            "LMS ID",
            "TYPE",
            "SERVICE TYPE",
            "SOURCE",
            "SYSTEM NUMBER",
            "ROLE",
        ],
        &rows,
    )
}

/// A measure for people: whole numbers without decimals.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn write(out: &mut dyn Write, text: &str) -> Result<(), UserError> {
    out.write_all(text.as_bytes())
        .map_err(|err| UserError::bad_input(format!("cannot write the output: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_print_whole_or_with_one_decimal() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(12.25), "12.2");
    }

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
