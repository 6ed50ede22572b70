//! Job types, triggers, read modes and statuses as IPS names them in its job log.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{EntityLogRecord, EntityOutcome, StatisticsRow};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum JobType {
    /// Provisions only new or changed entities; may delete (full read only).
    Read,
    /// Provisions every entity, overwriting drift in the targets; always a full read.
    Resync,
    /// Reports what a resync would create, update, delete and skip; writes nothing.
    Simulate,
    /// Shows the mapped content of at most 10 users and 10 groups; writes nothing.
    Validate,
}

impl JobType {
    /// Whether the job always reads in full (Resync, Simulate and Validate do).
    pub fn forces_full_read(self) -> bool {
        !matches!(self, Self::Read)
    }

    /// Whether the job writes to target systems.
    pub fn writes(self) -> bool {
        matches!(self, Self::Read | Self::Resync)
    }

    /// The name in the job log: `READ`, `RESYNC`, `SIMULATE`, `VALIDATE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "READ",
            Self::Resync => "RESYNC",
            Self::Simulate => "SIMULATE",
            Self::Validate => "VALIDATE",
        }
    }
}

impl fmt::Display for JobType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What started a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TriggerType {
    /// Run Now, an API call, or a restart after Pending Restart.
    Immediate,
    /// A schedule.
    Repeat,
}

impl fmt::Display for TriggerType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Immediate => "IMMEDIATE",
            Self::Repeat => "REPEAT",
        })
    }
}

/// Whether the source was read in full or only what changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadMode {
    /// Every entity; deletions are detectable.
    #[serde(rename = "Full Read")]
    Full,
    /// Only entities changed since the last successful job; never deletes.
    #[serde(rename = "Delta Read")]
    Delta,
}

impl fmt::Display for ReadMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Full => "Full Read",
            Self::Delta => "Delta Read",
        })
    }
}

/// A job's status, with the texts of the IPS job log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobStatus {
    /// Running, no entity failed so far.
    #[serde(rename = "Running")]
    Running,
    /// Running, and at least one entity failed.
    #[serde(rename = "Running with Error")]
    RunningWithError,
    /// Finished; nothing failed.
    #[serde(rename = "Success")]
    Success,
    /// Finished; entities failed, or the source could not be read.
    #[serde(rename = "Finished with Error")]
    FinishedWithError,
    /// Stopped by a person.
    #[serde(rename = "Manually Terminated")]
    ManuallyTerminated,
    /// Paused for outside reasons; resumes as a new job from the last processed entity.
    #[serde(rename = "Pending Restart")]
    PendingRestart,
}

impl JobStatus {
    /// The status after an entity failed.
    pub fn after_failure(self) -> Self {
        match self {
            Self::Running => Self::RunningWithError,
            other => other,
        }
    }

    /// The status when the job has processed everything.
    pub fn finished(self) -> Self {
        match self {
            Self::Running => Self::Success,
            Self::RunningWithError => Self::FinishedWithError,
            other => other,
        }
    }

    /// Whether the job has ended (Pending Restart has not: it resumes).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Success | Self::FinishedWithError | Self::ManuallyTerminated
        )
    }

    /// The text the job log shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "Running",
            Self::RunningWithError => "Running with Error",
            Self::Success => "Success",
            Self::FinishedWithError => "Finished with Error",
            Self::ManuallyTerminated => "Manually Terminated",
            Self::PendingRestart => "Pending Restart",
        }
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One job run and its log.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// The job id.
    pub id: String,
    /// The source system the job was started from.
    pub source_system: String,
    /// What the job does.
    pub job_type: JobType,
    /// What started it.
    pub trigger_type: TriggerType,
    /// How the source was read.
    pub read_mode: ReadMode,
    /// The current status.
    pub status: JobStatus,
    /// When it started (UTC).
    pub start_time: Timestamp,
    /// When it ended (UTC), once it has.
    pub end_time: Option<Timestamp>,
    /// Who started it (`P000000`, `Identity Provisioning API – <client>`); none for schedules.
    pub triggered_by: Option<String>,
    /// A job-level error, such as a source that could not be read.
    pub error_message: Option<String>,
    /// The Job Execution Outcome lines, such as why deletions did not run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcome: Vec<String>,
    /// Counts per entity type and system.
    #[serde(default)]
    pub statistics: Vec<StatisticsRow>,
    /// Per-entity records.
    #[serde(default)]
    pub entities: Vec<EntityLogRecord>,
}

impl Job {
    /// The failed entities the job details page lists: the first 10.
    pub const FAILED_ENTITIES_SHOWN: usize = 10;

    /// A job that has just started.
    pub fn start(
        id: impl Into<String>,
        source_system: impl Into<String>,
        job_type: JobType,
        trigger_type: TriggerType,
        read_mode: ReadMode,
        start_time: Timestamp,
    ) -> Self {
        let read_mode = if job_type.forces_full_read() {
            ReadMode::Full
        } else {
            read_mode
        };
        Self {
            id: id.into(),
            source_system: source_system.into(),
            job_type,
            trigger_type,
            read_mode,
            status: JobStatus::Running,
            start_time,
            end_time: None,
            triggered_by: None,
            error_message: None,
            outcome: Vec::new(),
            statistics: Vec::new(),
            entities: Vec::new(),
        }
    }

    /// Records one entity's outcome: counts it and moves the status on a failure.
    pub fn record(&mut self, record: EntityLogRecord, action: super::Action) {
        self.count(&record.entity_type, &record.system, action, &record.outcome);
        self.entities.push(record);
    }

    /// Counts one entity's outcome in its statistics row and moves the status on a failure,
    /// without keeping a record (IPS keeps entity logs only for what its trace properties ask).
    pub fn count(
        &mut self,
        entity_type: &str,
        system: &str,
        action: super::Action,
        outcome: &EntityOutcome,
    ) {
        self.row(entity_type, system, action).count(outcome);
        if matches!(outcome, EntityOutcome::Failed { .. }) {
            self.status = self.status.after_failure();
        }
    }

    /// The statistics row of `entity_type` in `system`, added with zeros when missing (so a
    /// system a job processed shows even when nothing happened there).
    pub fn row(
        &mut self,
        entity_type: &str,
        system: &str,
        action: super::Action,
    ) -> &mut StatisticsRow {
        match self
            .statistics
            .iter()
            .position(|r| r.matches(entity_type, system, action))
        {
            Some(i) => &mut self.statistics[i],
            None => {
                self.statistics
                    .push(StatisticsRow::new(entity_type, system, action));
                self.statistics.last_mut().expect("just pushed")
            }
        }
    }

    /// Ends the job at `end_time`.
    pub fn finish(&mut self, end_time: Timestamp) {
        self.status = self.status.finished();
        self.end_time = Some(end_time);
    }

    /// The failed entities the job details page shows (at most 10).
    pub fn failed_entities(&self) -> impl Iterator<Item = &EntityLogRecord> {
        self.entities
            .iter()
            .filter(|r| matches!(r.outcome, EntityOutcome::Failed { .. }))
            .take(Self::FAILED_ENTITIES_SHOWN)
    }
}
