//! What a job looks like to tools: the one JSON schema that `--format json`, the coming tenant
//! API and the explorer share, so none of them builds its own.

use jiff::Timestamp;
use sapland_core::job::TriggerType;
use sapland_core::job::{EntityLogRecord, Job, JobStatus, JobType, ReadMode, StatisticsRow};
use serde::Serialize;

use crate::monitor::Reported;

/// A job with its statistics, outcome lines, first failed entities and, when it was reported,
/// what Cloud ALM reporting did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobView<'a> {
    /// The job's id.
    pub id: &'a str,
    /// The source system.
    pub source_system: &'a str,
    /// `READ`, `RESYNC`, `SIMULATE`.
    pub job_type: JobType,
    /// `IMMEDIATE` or `REPEAT`.
    pub trigger_type: TriggerType,
    /// `FULL` or `DELTA`.
    pub read_mode: ReadMode,
    /// The status as IPS names it.
    pub status: JobStatus,
    /// When it started.
    pub start_time: Timestamp,
    /// When it ended (`null` while it runs).
    pub end_time: Option<Timestamp>,
    /// Why it failed as a whole (`null` otherwise).
    pub error_message: Option<&'a str>,
    /// The Job Execution Outcome lines.
    pub outcome: &'a [String],
    /// One row per entity type and system.
    pub statistics: &'a [StatisticsRow],
    /// The first failed entities, as the job details page shows them.
    pub failed_entities: Vec<&'a EntityLogRecord>,
    /// Cloud ALM reporting, when the job was reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_alm: Option<&'a Reported>,
}

impl<'a> JobView<'a> {
    /// The view of `job`, with `reported` when it was reported to Cloud ALM.
    pub fn of(job: &'a Job, reported: Option<&'a Reported>) -> Self {
        Self {
            id: &job.id,
            source_system: &job.source_system,
            job_type: job.job_type,
            trigger_type: job.trigger_type,
            read_mode: job.read_mode,
            status: job.status,
            start_time: job.start_time,
            end_time: job.end_time,
            error_message: job.error_message.as_deref(),
            outcome: &job.outcome,
            statistics: &job.statistics,
            failed_entities: job.failed_entities().collect(),
            cloud_alm: reported,
        }
    }
}
