//! The job lock: at most one job per source system at a time, across processes.
//!
//! [`Store::start_job`] takes the lock of the job's source system and [`Store::finish_job`]
//! releases it, each in the transaction that writes the job. A lock whose process stopped
//! (killed, crashed, machine rebooted; see `process.rs` for how that is told) is taken over by
//! the next job: the stopped job is marked ended — status `Finished with Error`, error message
//! [`Store::STOPPED_JOB_ERROR`], end time now — and the lock passes to the new job. A lock that
//! cannot be checked (another host, no `/proc`) is respected until [`Store::break_job_lock`].

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use sapland_core::job::JobStatus;

use super::db::Store;
use super::error::StoreError;
use super::process::Owner;
use super::sql::Time;

/// Who holds a source system's job lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLock {
    /// The source system.
    pub source_system: String,
    /// The job holding it.
    pub job_id: String,
    /// The process running the job.
    pub pid: u32,
    /// When the lock was taken (the store's clock).
    pub acquired: Timestamp,
    /// Whether that process still runs (or cannot be checked from here).
    pub alive: bool,
}

struct Held {
    lock: JobLock,
    owner: Owner,
}

impl Held {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let owner = Owner {
            pid: row.get(2)?,
            host: row.get(3)?,
            boot_id: row.get(4)?,
            start: row.get(5)?,
        };
        Ok(Self {
            lock: JobLock {
                source_system: row.get(0)?,
                job_id: row.get(1)?,
                pid: owner.pid,
                acquired: row.get::<_, Time>(6)?.0,
                alive: owner.is_alive(),
            },
            owner,
        })
    }
}

impl Store {
    /// The error message of a job whose process stopped while it ran.
    pub const STOPPED_JOB_ERROR: &'static str = "the process running the job stopped";

    /// Who holds the job lock of `source_system`, if anyone; [`JobLock::alive`] tells whether
    /// a job is really running.
    pub fn job_lock(&self, source_system: &str) -> Result<Option<JobLock>, StoreError> {
        Ok(self.held(source_system)?.map(|held| held.lock))
    }

    /// Releases the job lock of `source_system` whatever holds it, and marks its job ended as
    /// [`Store::start_job`] does for a stopped process. For a lock that cannot be checked from
    /// here (taken on another host); releasing the lock of a job that still runs lets a second
    /// job run beside it. Returns the lock released.
    pub fn break_job_lock(&self, source_system: &str) -> Result<Option<JobLock>, StoreError> {
        self.transaction(|store| {
            let Some(held) = store.held(source_system)? else {
                return Ok(None);
            };
            store.end_stopped(&held.lock)?;
            Ok(Some(held.lock))
        })
    }

    /// Takes the lock of `source_system` for `job_id`, taking over a lock whose process
    /// stopped (returned). Runs inside the caller's transaction.
    pub(super) fn acquire(
        &self,
        source_system: &str,
        job_id: &str,
    ) -> Result<Option<JobLock>, StoreError> {
        let taken_over = match self.held(source_system)? {
            Some(held) if held.lock.alive => {
                return Err(StoreError::JobRunning {
                    source_system: source_system.to_string(),
                    job_id: held.lock.job_id,
                    pid: held.owner.pid,
                });
            }
            Some(held) => {
                self.end_stopped(&held.lock)?;
                Some(held.lock)
            }
            None => None,
        };
        let me = Owner::current();
        self.conn()
            .prepare_cached(
                "INSERT INTO job_lock (source_system, job_id, pid, host, boot_id, process_start, \
                 acquired) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    source_system,
                    job_id,
                    me.pid,
                    me.host,
                    me.boot_id,
                    me.start,
                    Time(self.now()),
                ])
            })
            .map_err(
                self.fail_with(|| {
                    format!("taking the job lock of source system {source_system:?}")
                }),
            )?;
        Ok(taken_over)
    }

    /// Releases the lock of `source_system` if `job_id` holds it.
    pub(super) fn release(&self, source_system: &str, job_id: &str) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached("DELETE FROM job_lock WHERE source_system = ?1 AND job_id = ?2")
            .and_then(|mut stmt| stmt.execute([source_system, job_id]))
            .map_err(self.fail_with(|| {
                format!("releasing the job lock of source system {source_system:?}")
            }))?;
        Ok(())
    }

    fn held(&self, source_system: &str) -> Result<Option<Held>, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT source_system, job_id, pid, host, boot_id, process_start, acquired \
                 FROM job_lock WHERE source_system = ?1",
            )
            .and_then(|mut stmt| stmt.query_row([source_system], Held::from_row).optional())
            .map_err(
                self.fail_with(|| {
                    format!("reading the job lock of source system {source_system:?}")
                }),
            )
    }

    /// Marks the job of a stopped lock ended (if it was still running) and removes the lock.
    fn end_stopped(&self, lock: &JobLock) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "UPDATE job SET status = ?2, error_message = ?3, end_time = ?4 \
                 WHERE id = ?1 AND status IN (?5, ?6)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    lock.job_id,
                    JobStatus::FinishedWithError.as_str(),
                    Self::STOPPED_JOB_ERROR,
                    Time(self.now()),
                    JobStatus::Running.as_str(),
                    JobStatus::RunningWithError.as_str(),
                ])
            })
            .map_err(self.fail_with(|| format!("ending the stopped job {}", lock.job_id)))?;
        self.release(&lock.source_system, &lock.job_id)
    }
}
