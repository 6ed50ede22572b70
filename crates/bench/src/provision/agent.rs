//! The agent under test: a systems directory with a LOCAL_FILE source and an IAS SCIM v2
//! target, and `sapland provision run --job read` as a process, timed from spawn to exit.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context as _, bail};
use jiff::Timestamp;
use sapland_landscape::TenantDescription;
use sapland_systems::connect::PACE_PROPERTY;
use serde_json::{Value, json};

/// The source system's name.
pub(crate) const SOURCE: &str = "HR File";
/// The target system's name.
pub(crate) const TARGET: &str = "IAS Target";
/// The file the source reads, in the systems directory.
pub(crate) const FILE: &str = "users.ndjson";

/// Writes a systems directory into `dir`: the source reads [`FILE`] there; the target is
/// `tenant` with `pace` as [`PACE_PROPERTY`] (`None`: unset, the agent's default for IAS).
pub(crate) fn write_systems(
    dir: &Path,
    tenant: &TenantDescription,
    pace: Option<u32>,
) -> anyhow::Result<()> {
    let source_id = "5d3b7c1e-2f4a-4e8b-9c61-0a7f3e2d1b94";
    let source = json!({"id": source_id, "connectorTypeString": "LOCAL_FILE", "accessMode": "READ",
        "name": SOURCE, "state": "ENABLED",
        "properties": {"file.path": FILE, "file.format": "ndjson"}});
    let mut properties = json!({"Type": "HTTP", "URL": tenant.url, "ProxyType": "Internet",
        "Authentication": "BasicAuthentication", "User": tenant.technical_user.client_id,
        "ias.api.version": "2"});
    if let Some(per_minute) = pace {
        properties[PACE_PROPERTY] = per_minute.to_string().into();
    }
    let target = json!({"id": "b1f6a2d8-7c3e-4a59-8e0d-4f2b6c9a1e37",
        "connectorTypeString": "SAP_CLOUD_IDENTITY", "accessMode": "WRITE", "name": TARGET,
        "state": "ENABLED", "relatedSystems": [source_id], "properties": properties});
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(dir.join("hr-file.json"), source.to_string())?;
    std::fs::write(dir.join("ias-target.json"), target.to_string())?;
    std::fs::write(
        dir.join("secrets.toml"),
        format!(
            "[\"{TARGET}\"]\nPassword = \"{}\"\n",
            tenant.technical_user.client_secret
        ),
    )?;
    Ok(())
}

/// What one job printed and how long its process ran.
#[derive(Debug, Clone)]
pub(crate) struct JobRun {
    /// Spawn to exit, seconds.
    pub(crate) wall: f64,
    /// `endTime − startTime` of the job, seconds (landscape clock).
    pub(crate) job: f64,
    /// The job's status (`Success`, …).
    pub(crate) status: String,
    /// `Full Read` or `Delta Read`.
    pub(crate) read_mode: String,
    /// The target's user Write row.
    pub(crate) written: Counts,
    /// The source's user Read row: entities read.
    pub(crate) read: u64,
    /// The first failed entities' errors, as printed.
    pub(crate) failures: Vec<String>,
}

/// A statistics row's write counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) created: u64,
    pub(crate) updated: u64,
    pub(crate) deleted: u64,
    pub(crate) skipped: u64,
    pub(crate) failed: u64,
}

/// A Read job of [`SOURCE`] from the systems directory `systems` with its operational data in
/// `state`, against the landscape described by `landscape_file`.
pub(crate) struct Job {
    pub(crate) sapland: PathBuf,
    pub(crate) systems: PathBuf,
    pub(crate) state: PathBuf,
    pub(crate) landscape_file: PathBuf,
}

/// The command line a [`Job`] runs, for the report.
pub(crate) fn command_line(sapland: &Path) -> String {
    format!(
        "{} provision run --systems <dir> --source {SOURCE:?} --job read --state-dir <dir> \
         --landscape <landscape.json> --format json --progress none",
        sapland.display()
    )
}

impl Job {
    /// Runs the job; an error when the process did not print a job (it could not run).
    pub(crate) fn run(&self) -> anyhow::Result<JobRun> {
        let started = Instant::now();
        let output = Command::new(&self.sapland)
            .args(["provision", "run", "--systems"])
            .arg(&self.systems)
            .args(["--source", SOURCE, "--job", "read", "--state-dir"])
            .arg(&self.state)
            .arg("--landscape")
            .arg(&self.landscape_file)
            .args(["--format", "json", "--progress", "none"])
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("cannot run {}", self.sapland.display()))?;
        let wall = started.elapsed().as_secs_f64();
        if !matches!(output.status.code(), Some(0 | 1)) {
            bail!(
                "`{}` exited {}: {}",
                command_line(&self.sapland),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let job: Value = serde_json::from_slice(&output.stdout).with_context(|| {
            format!(
                "the job printed no JSON: {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })?;
        parse(&job, wall)
    }
}

/// The parts of the job's JSON the benchmark reports.
fn parse(job: &Value, wall: f64) -> anyhow::Result<JobRun> {
    let time = |key: &str| -> anyhow::Result<Timestamp> {
        job.get(key)
            .and_then(Value::as_str)
            .with_context(|| format!("the job has no {key}: {job}"))?
            .parse()
            .with_context(|| format!("the job's {key} is not a time"))
    };
    let duration = time("endTime")?.duration_since(time("startTime")?);
    let rows = job
        .get("statistics")
        .and_then(Value::as_array)
        .context("the job has no statistics")?;
    let row = |system: &str, action: &str| {
        rows.iter()
            .find(|r| r["system"] == system && r["entityType"] == "user" && r["action"] == action)
    };
    let count = |row: Option<&Value>, key: &str| {
        row.and_then(|r| r.get(key))
            .and_then(Value::as_u64)
            .unwrap_or(0)
    };
    let write = row(TARGET, "Write");
    let failures = job
        .get("failedEntities")
        .and_then(Value::as_array)
        .map(|failed| failed.iter().map(|f| f.to_string()).collect())
        .unwrap_or_default();
    Ok(JobRun {
        wall,
        job: duration.as_secs_f64(),
        status: job
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        read_mode: job
            .get("readMode")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        written: Counts {
            created: count(write, "created"),
            updated: count(write, "updated"),
            deleted: count(write, "deleted"),
            skipped: count(write, "skipped"),
            failed: count(write, "failed"),
        },
        read: count(row(SOURCE, "Read"), "read"),
        failures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_job_json_gives_times_and_the_target_row() {
        let job = json!({"status": "Success", "readMode": "Full Read", "startTime": "2026-11-22T09:00:00Z",
            "endTime": "2026-11-22T09:00:02.5Z", "failedEntities": [],
            "statistics": [
                {"entityType": "user", "system": SOURCE, "action": "Read", "read": 10, "created": 0,
                 "updated": 0, "deleted": 0, "skipped": 0, "failed": 0},
                {"entityType": "user", "system": TARGET, "action": "Write", "read": 0, "created": 7,
                 "updated": 2, "deleted": 0, "skipped": 1, "failed": 0}]});
        let run = parse(&job, 3.0).unwrap();
        assert_eq!(
            (run.job, run.read, run.status.as_str()),
            (2.5, 10, "Success")
        );
        assert_eq!(
            run.written,
            Counts {
                created: 7,
                updated: 2,
                deleted: 0,
                skipped: 1,
                failed: 0
            }
        );
    }
}
