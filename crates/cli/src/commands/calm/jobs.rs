//! `sapland calm jobs`: Job & Automation Monitoring read through the Analytics and logs APIs.

use std::io::Write;

use jiff::{SignedDuration, Timestamp};
use sapland_calm::{JobExecution, JobSummary, LogsWindow};
use serde_json::{Value, json};

use super::args::JobsArgs;
use super::connect::{connect, outside};
use super::text::{number, pretty, write};
use crate::args::Format;
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};
use crate::output::table;

/// `calm jobs`.
pub(super) async fn run(
    args: &JobsArgs,
    env: &Environment,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let client = connect(&args.connection, env).await?;
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
