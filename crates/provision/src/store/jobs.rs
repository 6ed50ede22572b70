//! Jobs and their entity logs (`reference/ips-ias.md` §2.6): one row per job, its log records
//! appended in batches while it runs.

use std::fmt;

use jiff::SignedDuration;
use rusqlite::{OptionalExtension, Row, params};
use sapland_core::job::{EntityLogRecord, EntityOutcome, Job, SkipReason};
use serde_json::Value;

use super::db::Store;
use super::error::StoreError;
use super::lock::JobLock;
use super::sql::{Json, Named, Time};

/// What happened to an entity, as a log record's kind: the download files of §2.6 (created,
/// updated, deleted, skipped, failed entities) and the reads of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogKind {
    /// Read from the source.
    Read,
    /// Created in a target.
    Created,
    /// Updated in a target.
    Updated,
    /// Deleted from a target.
    Deleted,
    /// Skipped.
    Skipped,
    /// Failed.
    Failed,
}

impl LogKind {
    /// The kind of `outcome`.
    pub fn of(outcome: &EntityOutcome) -> Self {
        match outcome {
            EntityOutcome::Read => Self::Read,
            EntityOutcome::Created => Self::Created,
            EntityOutcome::Updated => Self::Updated,
            EntityOutcome::Deleted => Self::Deleted,
            EntityOutcome::Skipped(_) => Self::Skipped,
            EntityOutcome::Failed { .. } => Self::Failed,
        }
    }

    /// The stored name: `read`, `created`, `updated`, `deleted`, `skipped`, `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
            Self::Skipped => "skipped",
            Self::Failed => "failed",
        }
    }
}

impl fmt::Display for LogKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which log records of a job to read: all or one kind, in the order they were appended, from
/// `offset`, at most `limit`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// Only records of this kind; all when none.
    pub kind: Option<LogKind>,
    /// How many matching records to skip.
    pub offset: usize,
    /// At most this many records; all when none.
    pub limit: Option<usize>,
}

impl LogFilter {
    /// Every record.
    pub fn all() -> Self {
        Self::default()
    }

    /// Every record of `kind`.
    pub fn kind(kind: LogKind) -> Self {
        Self {
            kind: Some(kind),
            ..Self::default()
        }
    }

    /// The same filter, skipping the first `offset` matches.
    pub fn offset(self, offset: usize) -> Self {
        Self { offset, ..self }
    }

    /// The same filter, returning at most `limit` records.
    pub fn limit(self, limit: usize) -> Self {
        Self {
            limit: Some(limit),
            ..self
        }
    }
}

/// `SELECT <every job column> FROM job <rest>`.
macro_rules! select_job {
    ($rest:literal) => {
        concat!(
            "SELECT id, source_system, job_type, trigger_type, read_mode, status, start_time, \
             end_time, triggered_by, error_message, outcome, statistics FROM job ",
            $rest
        )
    };
}

/// `SELECT <every log column> FROM job_log <rest>`.
macro_rules! select_log {
    ($rest:literal) => {
        concat!(
            "SELECT entity_type, entity_id, system, time, kind, reason_kind, reason, content \
             FROM job_log ",
            $rest
        )
    };
}

fn job_from_row(row: &Row<'_>) -> rusqlite::Result<Job> {
    Ok(Job {
        id: row.get(0)?,
        source_system: row.get(1)?,
        job_type: row.get::<_, Named<_>>(2)?.0,
        trigger_type: row.get::<_, Named<_>>(3)?.0,
        read_mode: row.get::<_, Named<_>>(4)?.0,
        status: row.get::<_, Named<_>>(5)?.0,
        start_time: row.get::<_, Time>(6)?.0,
        end_time: row.get::<_, Option<Time>>(7)?.map(|t| t.0),
        triggered_by: row.get(8)?,
        error_message: row.get(9)?,
        outcome: row.get::<_, Json<_>>(10)?.0,
        statistics: row.get::<_, Json<_>>(11)?.0,
        entities: Vec::new(),
    })
}

fn log_from_row(row: &Row<'_>) -> rusqlite::Result<EntityLogRecord> {
    let kind: String = row.get(4)?;
    let reason_kind: Option<String> = row.get(5)?;
    let reason: Option<String> = row.get(6)?;
    let outcome = outcome_from_columns(&kind, reason_kind.as_deref(), reason).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            4,
            rusqlite::types::Type::Text,
            format!("unknown log record kind {kind:?} / {reason_kind:?}").into(),
        )
    })?;
    Ok(EntityLogRecord {
        entity_type: row.get(0)?,
        entity_id: row.get(1)?,
        system: row.get(2)?,
        time: row.get::<_, Option<Time>>(3)?.map(|t| t.0),
        outcome,
        content: row.get::<_, Option<Json<Value>>>(7)?.map(|c| c.0),
    })
}

/// `kind`, `reason_kind` and `reason` columns of an outcome: a skip stores its reason's kind
/// (`entityCondition`, `operationSkipped`, `other`) and text, a failure its error.
fn outcome_columns(outcome: &EntityOutcome) -> (LogKind, Option<&'static str>, Option<&str>) {
    let kind = LogKind::of(outcome);
    match outcome {
        EntityOutcome::Skipped(SkipReason::EntityCondition(text)) => {
            (kind, Some("entityCondition"), Some(text))
        }
        EntityOutcome::Skipped(SkipReason::OperationSkipped(text)) => {
            (kind, Some("operationSkipped"), Some(text))
        }
        EntityOutcome::Skipped(SkipReason::Other(text)) => (kind, Some("other"), Some(text)),
        EntityOutcome::Failed { error } => (kind, None, Some(error)),
        _ => (kind, None, None),
    }
}

fn outcome_from_columns(
    kind: &str,
    reason_kind: Option<&str>,
    reason: Option<String>,
) -> Option<EntityOutcome> {
    let text = || reason.clone().unwrap_or_default();
    Some(match (kind, reason_kind) {
        ("read", _) => EntityOutcome::Read,
        ("created", _) => EntityOutcome::Created,
        ("updated", _) => EntityOutcome::Updated,
        ("deleted", _) => EntityOutcome::Deleted,
        ("failed", _) => EntityOutcome::Failed { error: text() },
        ("skipped", Some("entityCondition")) => {
            EntityOutcome::Skipped(SkipReason::EntityCondition(text()))
        }
        ("skipped", Some("operationSkipped")) => {
            EntityOutcome::Skipped(SkipReason::OperationSkipped(text()))
        }
        ("skipped", _) => EntityOutcome::Skipped(SkipReason::Other(text())),
        _ => return None,
    })
}

impl Store {
    /// Records a job that starts: takes the job lock of its source system with a lease of
    /// `lease` (renew it with [`Store::renew_job_lock`]) and writes the job, in one
    /// transaction. Returns the lock it took over from a job whose process stopped or whose
    /// lease ran out (that job is now ended, see [`Store::STOPPED_JOB_ERROR`]).
    ///
    /// The job's `entities` are not stored here; append them with [`Store::append_logs`].
    /// Fails with [`StoreError::JobRunning`] while a job of the same source runs, and with
    /// [`StoreError::DuplicateJob`] when the id is taken.
    pub fn start_job(
        &self,
        job: &Job,
        lease: SignedDuration,
    ) -> Result<Option<JobLock>, StoreError> {
        self.transaction(|store| {
            if store.job_seq(&job.id)?.is_some() {
                return Err(StoreError::DuplicateJob {
                    job_id: job.id.clone(),
                });
            }
            let taken_over = store.acquire(&job.source_system, &job.id, lease)?;
            store
                .conn()
                .prepare_cached(
                    "INSERT INTO job (id, source_system, job_type, trigger_type, read_mode, \
                     status, start_time, end_time, triggered_by, error_message, outcome, \
                     statistics) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        job.id,
                        job.source_system,
                        Named(job.job_type),
                        Named(job.trigger_type),
                        Named(job.read_mode),
                        Named(job.status),
                        Time(job.start_time),
                        job.end_time.map(Time),
                        job.triggered_by,
                        job.error_message,
                        Json(&job.outcome),
                        Json(&job.statistics),
                    ])
                })
                .map_err(store.fail_with(|| format!("recording the start of job {}", job.id)))?;
            Ok(taken_over)
        })
    }

    /// Writes what changed in a running job: read mode, status, end time, who triggered it,
    /// error message, outcome lines and statistics (not `entities`, see
    /// [`Store::append_logs`]).
    pub fn update_job(&self, job: &Job) -> Result<(), StoreError> {
        let changed = self
            .conn()
            .prepare_cached(
                "UPDATE job SET read_mode = ?2, status = ?3, end_time = ?4, triggered_by = ?5, \
                 error_message = ?6, outcome = ?7, statistics = ?8 WHERE id = ?1",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    job.id,
                    Named(job.read_mode),
                    Named(job.status),
                    job.end_time.map(Time),
                    job.triggered_by,
                    job.error_message,
                    Json(&job.outcome),
                    Json(&job.statistics),
                ])
            })
            .map_err(self.fail_with(|| format!("recording the progress of job {}", job.id)))?;
        if changed == 0 {
            return Err(StoreError::UnknownJob {
                job_id: job.id.clone(),
            });
        }
        Ok(())
    }

    /// Writes the job as it ended (as [`Store::update_job`]) and releases its source system's
    /// job lock, in one transaction. Also for a job going to `Pending Restart`: it resumes as
    /// a new job.
    pub fn finish_job(&self, job: &Job) -> Result<(), StoreError> {
        self.transaction(|store| {
            store.update_job(job)?;
            store.release(&job.source_system, &job.id)
        })
    }

    /// Ends a job that could not go on (its operational data failed, or it lost its lock)
    /// with status Finished with Error and `message`, and releases its lock if it still holds
    /// it; what the job wrote before stays recorded.
    pub fn abandon_job(&self, job: &Job, message: &str) -> Result<(), StoreError> {
        let mut ended = job.clone();
        ended.status = ended.status.after_failure().finished();
        ended.error_message = Some(message.to_string());
        if ended.end_time.is_none() {
            ended.end_time = Some(self.now());
        }
        self.finish_job(&ended)
    }

    /// Appends `records` to the log of job `job_id`, after those appended before, in one
    /// transaction.
    pub fn append_logs(&self, job_id: &str, records: &[EntityLogRecord]) -> Result<(), StoreError> {
        self.transaction(|store| {
            let job_seq = store.known_job(job_id)?;
            let mut stmt = store
                .conn()
                .prepare_cached(
                    "INSERT INTO job_log (job_seq, kind, entity_type, entity_id, system, \
                     reason_kind, reason, time, content) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(store.fail("preparing to append job log records"))?;
            for record in records {
                let (kind, reason_kind, reason) = outcome_columns(&record.outcome);
                stmt.execute(params![
                    job_seq,
                    kind.as_str(),
                    record.entity_type,
                    record.entity_id,
                    record.system,
                    reason_kind,
                    reason,
                    record.time.map(Time),
                    record.content.as_ref().map(Json),
                ])
                .map_err(store.fail_with(|| {
                    format!(
                        "appending the log record of {} {:?} to job {job_id}",
                        record.entity_type, record.entity_id
                    )
                }))?;
            }
            Ok(())
        })
    }

    /// The job with `id` (its `entities` empty; read them with [`Store::logs`]).
    pub fn job(&self, id: &str) -> Result<Option<Job>, StoreError> {
        self.conn()
            .prepare_cached(select_job!("WHERE id = ?1"))
            .and_then(|mut stmt| stmt.query_row([id], job_from_row).optional())
            .map_err(self.fail_with(|| format!("reading job {id}")))
    }

    /// The latest job of `source_system` (by start time), if any.
    pub fn last_job(&self, source_system: &str) -> Result<Option<Job>, StoreError> {
        Ok(self.jobs(source_system, 1)?.into_iter().next())
    }

    /// The job started last, of any source system.
    pub fn latest_job(&self) -> Result<Option<Job>, StoreError> {
        self.conn()
            .prepare_cached(select_job!("WHERE seq = (SELECT MAX(seq) FROM job)"))
            .and_then(|mut stmt| stmt.query_row([], job_from_row).optional())
            .map_err(self.fail("reading the latest job"))
    }

    /// The latest `limit` jobs of `source_system`, newest first (by start time, then by the
    /// order they were started in).
    pub fn jobs(&self, source_system: &str, limit: usize) -> Result<Vec<Job>, StoreError> {
        self.conn()
            .prepare_cached(select_job!(
                "WHERE source_system = ?1 ORDER BY start_time DESC, seq DESC LIMIT ?2"
            ))
            .and_then(|mut stmt| {
                stmt.query_map(params![source_system, sql_limit(Some(limit))], job_from_row)?
                    .collect()
            })
            .map_err(self.fail_with(|| format!("reading the jobs of {source_system:?}")))
    }

    /// The log records of job `job_id` that `filter` selects, in the order they were appended.
    /// Fails with [`StoreError::UnknownJob`] when there is no such job.
    pub fn logs(
        &self,
        job_id: &str,
        filter: &LogFilter,
    ) -> Result<Vec<EntityLogRecord>, StoreError> {
        let job_seq = self.known_job(job_id)?;
        let limit = sql_limit(filter.limit);
        let offset = i64::try_from(filter.offset).unwrap_or(i64::MAX);
        let read = || -> rusqlite::Result<Vec<EntityLogRecord>> {
            match filter.kind {
                Some(kind) => self
                    .conn()
                    .prepare_cached(select_log!(
                        "WHERE job_seq = ?1 AND kind = ?2 ORDER BY seq LIMIT ?3 OFFSET ?4"
                    ))?
                    .query_map(params![job_seq, kind.as_str(), limit, offset], log_from_row)?
                    .collect(),
                None => self
                    .conn()
                    .prepare_cached(select_log!(
                        "WHERE job_seq = ?1 ORDER BY seq LIMIT ?2 OFFSET ?3"
                    ))?
                    .query_map(params![job_seq, limit, offset], log_from_row)?
                    .collect(),
            }
        };
        read().map_err(self.fail_with(|| format!("reading the log of job {job_id}")))
    }

    /// How many log records job `job_id` has, of `kind` or of every kind.
    pub fn count_logs(&self, job_id: &str, kind: Option<LogKind>) -> Result<u64, StoreError> {
        let job_seq = self.known_job(job_id)?;
        let count = || -> rusqlite::Result<i64> {
            match kind {
                Some(kind) => self
                    .conn()
                    .prepare_cached(
                        "SELECT count(*) FROM job_log WHERE job_seq = ?1 AND kind = ?2",
                    )?
                    .query_row(params![job_seq, kind.as_str()], |row| row.get(0)),
                None => self
                    .conn()
                    .prepare_cached("SELECT count(*) FROM job_log WHERE job_seq = ?1")?
                    .query_row([job_seq], |row| row.get(0)),
            }
        };
        let count =
            count().map_err(self.fail_with(|| format!("counting the log of job {job_id}")))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn job_seq(&self, id: &str) -> Result<Option<i64>, StoreError> {
        self.conn()
            .prepare_cached("SELECT seq FROM job WHERE id = ?1")
            .and_then(|mut stmt| stmt.query_row([id], |row| row.get(0)).optional())
            .map_err(self.fail_with(|| format!("looking up job {id}")))
    }

    fn known_job(&self, id: &str) -> Result<i64, StoreError> {
        self.job_seq(id)?.ok_or_else(|| StoreError::UnknownJob {
            job_id: id.to_string(),
        })
    }
}

/// SQLite's `LIMIT`: -1 for none.
fn sql_limit(limit: Option<usize>) -> i64 {
    limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX))
}
