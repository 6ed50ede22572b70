//! `sapland provision run|logs|reset`: provisioning jobs, their logs, and resetting a system's
//! operational data.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use sapland_core::job::{EntityLogRecord, EntityType, Job, JobStatus, JobType, TriggerType};
use sapland_outbound::Reach;
use sapland_provision::job::{CancelToken, Finished, JobError, JobRequest, Progress, Runner};
use sapland_provision::monitor::Monitoring;
use sapland_provision::records::{self, Format as RecordFormat};
use sapland_provision::store::{LogFilter, LogKind, Store, StoreError};
use sapland_provision::validate::{self, Validated};
use sapland_provision::view::JobView;
use sapland_systems::Systems;
use serde_json::json;

use crate::args::{
    Format, JobKind, LogChoice, ProgressChoice, ProvisionLogsArgs, ProvisionResetArgs,
    ProvisionRunArgs, ProvisionUnlockArgs,
};
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};
use crate::outbound::reach;
use crate::output::table;
use crate::runtime;

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
    let runtime = runtime::current_thread()?;
    let reach = runtime.block_on(outbound(args, env))?;
    if let Some(warning) = reach.https.warning() {
        let _ = writeln!(stderr, "warning: {warning}");
    }
    let job_type = match args.job {
        JobKind::Read => JobType::Read,
        JobKind::Resync => JobType::Resync,
        JobKind::Simulate | JobKind::Validate => JobType::Simulate,
    };
    let mut runner = Runner::new(Arc::new(systems), env.resolve(&args.state_dir), reach)
        .with_lease(lease(&args.job_lease)?);
    if let Some(monitoring) = monitoring(args, env, &runner.reach)? {
        runner = runner.with_monitoring(monitoring);
    }
    let request = JobRequest {
        source: args.source.clone(),
        job_type,
        trigger: TriggerType::Immediate,
    };
    let shown = match args.progress {
        ProgressChoice::Auto if env.interactive() => Shown::Bar(bar()),
        ProgressChoice::Plain => Shown::Lines(std::sync::Mutex::new(stderr)),
        _ => Shown::Nothing,
    };
    let cancel = CancelToken::new();
    let finished = runtime
        .block_on(run_until_interrupted(&runner, request, &shown, &cancel))
        .map_err(job_error)?;
    if let Shown::Bar(bar) = &shown {
        bar.finish_and_clear();
    }
    drop(shown);
    let Finished { job, reported } = finished;
    if let Some(reported) = &reported
        && let Some(error) = &reported.error
    {
        let _ = writeln!(
            stderr,
            "warning: Cloud ALM: the job was not reported ({error}); {} report(s) wait for the next job",
            reported.queued
        );
    }
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
        Format::Json => pretty(&JobView::of(&job, reported.as_ref())),
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
    let store = existing_store(&args.state_dir, env)?;
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
        (None, Format::Json) => pretty(&JobView::of(&job, None)),
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

/// `provision unlock`.
pub(crate) fn unlock(
    args: &ProvisionUnlockArgs,
    env: &Environment,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let store = existing_store(&args.state_dir, env)?;
    match store.unlock(&args.source) {
        Ok(Some(lock)) => {
            write(
                stdout,
                &format!(
                    "Unlocked {:?}: job {} (process {}{}) had stopped; it is ended as Finished with Error and the next job runs.\n",
                    lock.source_system,
                    lock.job_id,
                    lock.pid,
                    lock.host.map(|h| format!(" on {h}")).unwrap_or_default()
                ),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(None) => {
            write(
                stdout,
                &format!("{:?} holds no job lock: nothing to unlock.\n", args.source),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(err @ StoreError::JobRunning { .. }) => Err(UserError {
            code: ExitCode::FAILED,
            message: format!(
                "{err}; the lock is live, so it stays: wait for the job to end or stop its process (a lock whose process cannot be checked from here is free once its lease ends)"
            ),
        }),
        Err(err) => Err(store_error(err)),
    }
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

/// The operational data of a state directory where a job has run (exit 2 where none has).
fn existing_store(state_dir: &Path, env: &Environment) -> Result<Store, UserError> {
    let resolved = env.resolve(state_dir);
    if !resolved.join(Store::FILE_NAME).exists() {
        return Err(UserError::bad_input(format!(
            "no operational data in {}: no job has run there (see --state-dir)",
            state_dir.display()
        )));
    }
    Store::open(&resolved, jiff::Timestamp::now).map_err(store_error)
}

fn load_systems(env: &Environment, dir: &Path) -> Result<Systems, UserError> {
    Systems::load(&env.resolve(dir), |name| env.var(name))
        .map_err(|err| UserError::bad_input(err.to_string()))
}

/// Runs the job; Ctrl-C (SIGINT) or SIGTERM cancels it, and it ends as Manually Terminated
/// after the requests in flight.
async fn run_until_interrupted(
    runner: &Runner,
    request: JobRequest,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Finished, JobError> {
    let job = runner.run(request, progress, cancel);
    tokio::pin!(job);
    tokio::select! {
        finished = &mut job => return finished,
        () = runtime::interrupted() => cancel.cancel(),
    }
    job.await
}

/// `--job-lease`: a positive duration.
fn lease(text: &str) -> Result<SignedDuration, UserError> {
    let lease: SignedDuration = text.parse().map_err(|err| {
        UserError::bad_input(format!(
            "--job-lease {text:?} is not a duration such as 5m or 90s: {err}"
        ))
    })?;
    if lease <= SignedDuration::ZERO {
        return Err(UserError::bad_input("--job-lease must be positive"));
    }
    Ok(lease)
}

/// Trust, the request timeout and the clock: the system clock, or the landscape's with
/// `--landscape`.
async fn outbound(args: &ProvisionRunArgs, env: &Environment) -> Result<Reach, UserError> {
    let timeout: SignedDuration = args.request_timeout.parse().map_err(|err| {
        UserError::bad_input(format!(
            "--request-timeout {:?} is not a duration such as 60s or 500ms: {err}",
            args.request_timeout
        ))
    })?;
    let timeout = Duration::try_from(timeout)
        .map_err(|_| UserError::bad_input("--request-timeout must be positive"))?;
    Ok(
        reach(args.ca_cert.as_deref(), args.landscape.as_deref(), env)
            .await?
            .with_timeout(timeout),
    )
}

/// Job & Automation Monitoring, when a Cloud ALM service key is given (`--calm-service-key` or
/// `SAPLAND_CALM_SERVICE_KEY`).
fn monitoring(
    args: &ProvisionRunArgs,
    env: &Environment,
    outbound: &Reach,
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
    Monitoring::connect(&key, outbound, args.calm_service_id.clone())
        .map(Some)
        .map_err(|err| UserError::bad_input(format!("{shown}: {err}")))
}

fn job_error(err: JobError) -> UserError {
    match err {
        JobError::Store(_) | JobError::Thread(_) => UserError {
            code: ExitCode::FAILED,
            message: err.to_string(),
        },
        JobError::Systems(_) | JobError::Provision(_) | JobError::Input(_) => {
            UserError::bad_input(err.to_string())
        }
    }
}

fn store_error(err: sapland_provision::store::StoreError) -> UserError {
    UserError {
        code: ExitCode::FAILED,
        message: err.to_string(),
    }
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

fn pretty(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON");
    text.push('\n');
    text
}

fn write(out: &mut dyn Write, text: &str) -> Result<(), UserError> {
    crate::output::write(out, text.as_bytes())
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
    fn read(&self, entity_type: EntityType, done: u64, _total: Option<u64>) {
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
