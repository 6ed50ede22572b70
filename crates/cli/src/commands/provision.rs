//! `sapland provision run|logs|reset`: provisioning jobs, their logs, and resetting a system's
//! operational data.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use jiff::SignedDuration;
use sapland_core::job::{EntityLogRecord, Job, JobStatus, JobType, TriggerType};
use sapland_provision::connect::Outbound;
use sapland_provision::job::{self, JobError, JobRequest, Progress};
use sapland_provision::monitor::Monitoring;
use sapland_provision::records::{self, Format as RecordFormat};
use sapland_provision::store::{LogFilter, LogKind, Store};
use sapland_provision::systems::Systems;
use sapland_provision::validate::{self, Validated};
use serde_json::json;

use crate::args::{
    Format, JobKind, LogChoice, ProgressChoice, ProvisionLogsArgs, ProvisionResetArgs,
    ProvisionRunArgs,
};
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};
use crate::outbound::{Reach, reach};
use crate::output::table;

/// `provision run`.
pub(crate) fn run(
    args: &ProvisionRunArgs,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let systems = load_systems(env, &args.systems)?;
    if args.job == JobKind::Validate {
        return run_validate(args, env, &systems, stdout);
    }
    let runtime = runtime()?;
    let outbound = runtime.block_on(outbound(args, env))?;
    if let Some(warning) = outbound.https.warning() {
        let _ = writeln!(stderr, "warning: {warning}");
    }
    let job_type = match args.job {
        JobKind::Read => JobType::Read,
        JobKind::Resync => JobType::Resync,
        JobKind::Simulate | JobKind::Validate => JobType::Simulate,
    };
    let request = JobRequest {
        systems: &systems,
        source: args.source.clone(),
        job_type,
        trigger: TriggerType::Immediate,
        state_dir: env.resolve(&args.state_dir),
        outbound: outbound.clone(),
    };
    let shown = match args.progress {
        ProgressChoice::Auto if env.interactive() => Shown::Bar(bar()),
        ProgressChoice::Plain => Shown::Lines(std::sync::Mutex::new(stderr)),
        _ => Shown::Nothing,
    };
    let monitoring = monitoring(args, env, &outbound)?;
    let state_dir = request.state_dir.clone();
    let job = runtime
        .block_on(job::run(request, &shown))
        .map_err(job_error)?;
    if let Shown::Bar(bar) = &shown {
        bar.finish_and_clear();
    }
    drop(shown);
    let reported = match &monitoring {
        Some(monitoring) => {
            let clock = outbound.clock.clone();
            let store = Store::open(&state_dir, move || clock.now()).map_err(store_error)?;
            let reported = runtime
                .block_on(monitoring.report(&store, &job))
                .map_err(store_error)?;
            if let Some(error) = &reported.error {
                let _ = writeln!(
                    stderr,
                    "warning: Cloud ALM: the job was not reported ({error}); {} report(s) wait for the next job",
                    reported.queued
                );
            }
            Some(reported)
        }
        None => None,
    };
    let text = match args.format {
        Format::Table => {
            let mut text = render_job(&job);
            if let Some(reported) = &reported {
                text.push_str(&format!(
                    "\nCloud ALM: {} report(s) sent, {} waiting\n",
                    reported.sent, reported.queued
                ));
            }
            text
        }
        Format::Json => {
            let mut document = job_json(&job);
            if let Some(reported) = &reported {
                document["cloudAlm"] = json!({
                    "sent": reported.sent,
                    "queued": reported.queued,
                    "error": reported.error,
                });
            }
            pretty(&document)
        }
    };
    write(stdout, &text)?;
    Ok(if job.status == JobStatus::Success {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILED
    })
}

/// `provision logs`.
pub(crate) fn logs(
    args: &ProvisionLogsArgs,
    env: &Environment,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let state_dir = env.resolve(&args.state_dir);
    if !state_dir.join(Store::FILE_NAME).exists() {
        return Err(UserError::bad_input(format!(
            "no operational data in {}: no job has run there (see --state-dir)",
            args.state_dir.display()
        )));
    }
    let store = Store::open(&state_dir, jiff::Timestamp::now).map_err(store_error)?;
    let job = match (&args.job_id, &args.source) {
        (Some(id), _) => store.job(id).map_err(store_error)?,
        (None, Some(source)) => store.last_job(source).map_err(store_error)?,
        (None, None) => store.latest_job().map_err(store_error)?,
    }
    .ok_or_else(|| {
        UserError::bad_input(match &args.job_id {
            Some(id) => format!("there is no job {id:?} in {}", args.state_dir.display()),
            None => format!("no job has run yet in {}", args.state_dir.display()),
        })
    })?;
    let kind = match args.log {
        LogChoice::Common => None,
        LogChoice::Failed => Some(LogKind::Failed),
        LogChoice::Skipped => Some(LogKind::Skipped),
        LogChoice::Created => Some(LogKind::Created),
        LogChoice::Updated => Some(LogKind::Updated),
        LogChoice::Deleted => Some(LogKind::Deleted),
    };
    let text = match (kind, args.format) {
        (None, Format::Table) => render_job(&job),
        (None, Format::Json) => pretty(&job_json(&job)),
        (Some(kind), format) => {
            let records = store
                .logs(&job.id, &LogFilter::kind(kind))
                .map_err(store_error)?;
            match format {
                Format::Json => {
                    pretty(&json!({"jobId": job.id, "log": kind.as_str(), "entities": records}))
                }
                Format::Table => records
                    .iter()
                    .map(|record| format!("{record}\n\n"))
                    .collect(),
            }
        }
    };
    write(stdout, &text)?;
    Ok(ExitCode::SUCCESS)
}

/// `provision reset`.
pub(crate) fn reset(
    args: &ProvisionResetArgs,
    env: &Environment,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let systems = load_systems(env, &args.systems)?;
    let system = systems
        .get(&args.system)
        .map_err(|err| UserError::bad_input(err.to_string()))?;
    let store =
        Store::open(&env.resolve(&args.state_dir), jiff::Timestamp::now).map_err(store_error)?;
    let summary = store.reset_system(system.name()).map_err(store_error)?;
    write(
        stdout,
        &format!(
            "Reset {:?}: removed {} relation(s) as source, {} as target{}. The next job reads as for the first time; entities it finds in a target count as existing before.\n",
            system.name(),
            summary.relations_as_source,
            summary.relations_as_target,
            if summary.read_history {
                " and its read history"
            } else {
                ""
            }
        ),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn run_validate(
    args: &ProvisionRunArgs,
    env: &Environment,
    systems: &Systems,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    if args.input.is_none() && args.input_groups.is_none() {
        return Err(UserError::bad_input(
            "a Validate job needs --input FILE.csv (users) or --input-groups FILE.csv",
        ));
    }
    let read = |file: &Option<std::path::PathBuf>| -> Result<Vec<serde_json::Value>, UserError> {
        match file {
            Some(file) => {
                let path = env.resolve(file);
                records::read_file(&path, RecordFormat::Csv).map_err(|err| {
                    UserError::bad_input(
                        err.to_string()
                            .replace(&path.display().to_string(), &file.display().to_string()),
                    )
                })
            }
            None => Ok(Vec::new()),
        }
    };
    let users = read(&args.input)?;
    let groups = read(&args.input_groups)?;
    let rows = validate::validate(
        systems,
        &args.source,
        &users,
        &groups,
        jiff::Timestamp::now(),
    )
    .map_err(job_error)?;
    let text = match args.format {
        Format::Json => pretty(&json!({"job": "VALIDATE", "source": args.source, "results": rows})),
        Format::Table => render_validation(&rows),
    };
    write(stdout, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn render_validation(rows: &[Validated]) -> String {
    let mut out = String::new();
    for row in rows {
        out.push_str(&format!(
            "{} {} → {}: {}",
            row.entity_type, row.source_id, row.system, row.outcome
        ));
        if let Some(reason) = &row.reason {
            out.push_str(&format!(" ({reason})"));
        }
        out.push('\n');
        if let Some(entity) = &row.entity {
            let pretty = serde_json::to_string_pretty(entity).expect("JSON");
            for line in pretty.lines() {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn load_systems(env: &Environment, dir: &Path) -> Result<Systems, UserError> {
    Systems::load(&env.resolve(dir), |name| env.var(name))
        .map_err(|err| UserError::bad_input(err.to_string()))
}

fn runtime() -> Result<tokio::runtime::Runtime, UserError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| UserError {
            code: ExitCode::FAILED,
            message: format!("cannot start the async runtime: {err}"),
        })
}

/// Trust, the request timeout and the clock: the system clock, or the landscape's with
/// `--landscape`.
async fn outbound(args: &ProvisionRunArgs, env: &Environment) -> Result<Outbound, UserError> {
    let timeout: SignedDuration = args.request_timeout.parse().map_err(|err| {
        UserError::bad_input(format!(
            "--request-timeout {:?} is not a duration such as 60s or 500ms: {err}",
            args.request_timeout
        ))
    })?;
    let timeout = Duration::try_from(timeout)
        .map_err(|_| UserError::bad_input("--request-timeout must be positive"))?;
    let Reach { mut https, clock } =
        reach(args.ca_cert.as_deref(), args.landscape.as_deref(), env).await?;
    https.timeout = Some(timeout);
    Ok(Outbound { https, clock })
}

/// Job & Automation Monitoring, when a Cloud ALM service key is given (`--calm-service-key` or
/// `SAPLAND_CALM_SERVICE_KEY`); its requests time out after 10 s so a job never waits long on
/// Cloud ALM.
fn monitoring(
    args: &ProvisionRunArgs,
    env: &Environment,
    outbound: &Outbound,
) -> Result<Option<Monitoring>, UserError> {
    let file = match (&args.calm_service_key, env.var("SAPLAND_CALM_SERVICE_KEY")) {
        (Some(file), _) => file.clone(),
        (None, Some(file)) => std::path::PathBuf::from(file),
        (None, None) => return Ok(None),
    };
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(env.resolve(&file)).map_err(|err| {
        UserError::bad_input(format!(
            "cannot read the Cloud ALM service key {shown}: {err}"
        ))
    })?;
    let key = sapland_calm::ServiceKey::from_json(&text)
        .map_err(|err| UserError::bad_input(err.in_file(shown.as_str()).to_string()))?;
    let mut https = outbound.https.clone();
    https.timeout = Some(Duration::from_secs(10));
    let options = sapland_calm::ClientOptions::new(https, outbound.clock.clone());
    let client = sapland_calm::Client::new(&key, options)
        .map_err(|err| UserError::bad_input(format!("{shown}: {err}")))?;
    Ok(Some(Monitoring::new(client, args.calm_service_id.clone())))
}

fn job_error(err: JobError) -> UserError {
    match err {
        JobError::Store(err) => UserError {
            code: ExitCode::FAILED,
            message: err.to_string(),
        },
        other => UserError::bad_input(other.to_string()),
    }
}

fn store_error(err: sapland_provision::store::StoreError) -> UserError {
    UserError {
        code: ExitCode::FAILED,
        message: err.to_string(),
    }
}

/// The job as one JSON document: id, type, read mode, status, times, error, outcome, statistics
/// and the first 10 failed entities.
fn job_json(job: &Job) -> serde_json::Value {
    let failed: Vec<&EntityLogRecord> = job.failed_entities().collect();
    json!({
        "id": job.id,
        "sourceSystem": job.source_system,
        "jobType": job.job_type,
        "triggerType": job.trigger_type,
        "readMode": job.read_mode,
        "status": job.status,
        "startTime": job.start_time,
        "endTime": job.end_time,
        "errorMessage": job.error_message,
        "outcome": job.outcome,
        "statistics": job.statistics,
        "failedEntities": failed,
    })
}

fn render_job(job: &Job) -> String {
    let mut out = format!(
        "Job {}  {} ({}), trigger {}\nSource system: {}\nStatus: {}\nStart: {}  End: {}\n",
        job.id,
        job.job_type.as_str(),
        job.read_mode,
        job.trigger_type,
        job.source_system,
        job.status,
        job.start_time,
        job.end_time.map(|t| t.to_string()).unwrap_or_default()
    );
    if let Some(error) = &job.error_message {
        out.push_str(&format!("Error: {error}\n"));
    }
    let rows: Vec<Vec<String>> = job
        .statistics
        .iter()
        .map(|row| {
            let read = matches!(row.action, sapland_core::job::Action::Read);
            let cell = |n: u64, applies: bool| if applies { n.to_string() } else { "-".into() };
            vec![
                row.entity_type.clone(),
                row.system.clone(),
                if read { "Read" } else { "Write" }.to_string(),
                cell(row.read, read),
                cell(row.created, !read),
                cell(row.updated, !read),
                cell(row.deleted, !read),
                row.skipped.to_string(),
                row.failed.to_string(),
            ]
        })
        .collect();
    out.push('\n');
    out.push_str(&table::render(
        &[
            "ENTITY", "SYSTEM", "ACTION", "READ", "CREATED", "UPDATED", "DELETED", "SKIPPED",
            "FAILED",
        ],
        &rows,
    ));
    if !job.outcome.is_empty() {
        out.push_str("\nJob Execution Outcome:\n");
        for line in &job.outcome {
            out.push_str(&format!("  - {line}\n"));
        }
    }
    let failed: Vec<&EntityLogRecord> = job.failed_entities().collect();
    if !failed.is_empty() {
        out.push_str(&format!(
            "\nFailed entities (first {}):\n",
            Job::FAILED_ENTITIES_SHOWN
        ));
        for record in failed {
            if let sapland_core::job::EntityOutcome::Failed { error } = &record.outcome {
                out.push_str(&format!(
                    "  {}:{} in {}: {error}\n",
                    record.entity_type, record.entity_id, record.system
                ));
            }
        }
    }
    out
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON");
    text.push('\n');
    text
}

fn write(out: &mut dyn Write, text: &str) -> Result<(), UserError> {
    out.write_all(text.as_bytes())
        .map_err(|err| UserError::bad_input(format!("cannot write the output: {err}")))
}

/// How a job's progress is shown on standard error.
enum Shown<'e> {
    /// A spinner with a count, on a terminal.
    Bar(indicatif::ProgressBar),
    /// A line per page.
    Lines(std::sync::Mutex<&'e mut dyn Write>),
    /// Nothing.
    Nothing,
}

fn bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .expect("a valid template"),
    );
    bar
}

impl Progress for Shown<'_> {
    fn read(&self, entity_type: &str, done: u64, _total: Option<u64>) {
        let message = format!("{done} {entity_type}s read and provisioned");
        match self {
            Shown::Bar(bar) => {
                bar.set_message(message);
                bar.tick();
            }
            Shown::Lines(out) => {
                let mut out = out
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let _ = writeln!(out, "progress: {message}");
                let _ = out.flush();
            }
            Shown::Nothing => {}
        }
    }
}
