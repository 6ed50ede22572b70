//! The job lock: at most one job per source system at a time, across processes and hosts.
//!
//! [`Store::start_job`] takes the lock of the job's source system with a **lease** on the
//! store's clock, [`Store::renew_job_lock`] extends the lease while the job runs, and
//! [`Store::finish_job`] (or [`Store::abandon_job`]) releases it, each in the transaction that
//! writes the job. A lock is **live** while its lease has not run out and its process still
//! runs, or cannot be checked from here (`process.rs`). A lock that is not live is taken over
//! by the next job: the stopped job is marked ended — status `Finished with Error`, error
//! message [`Store::STOPPED_JOB_ERROR`], end time now — and the lock passes to the new job. So a
//! crashed agent's lock is taken over at once on the same host, and after the lease on another
//! host or in a container whose host name changed. [`Store::unlock`] breaks a lock that is not
//! live by hand and refuses a live one.

use jiff::{SignedDuration, Timestamp};
use rusqlite::{OptionalExtension, Row, params};
use sapland_core::job::JobStatus;

use super::db::Store;
use super::error::StoreError;
use super::process::Owner;
use super::sql::Time;

/// How long a job lock's lease lasts unless the runner says otherwise (**proposed**: IPS does
/// not publish how it detects a stopped job). A running job renews it every half lease, between
/// pages and while it writes, so it must outlast the longest wait between two writes (a retry
/// waits at most a minute, a pace of 200 requests a minute 0.3 s).
pub const DEFAULT_LEASE: SignedDuration = SignedDuration::from_mins(5);

/// Who holds a source system's job lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLock {
    /// The source system.
    pub source_system: String,
    /// The job holding it.
    pub job_id: String,
    /// The process running the job.
    pub pid: u32,
    /// The host the process runs on, where known.
    pub host: Option<String>,
    /// When the lock was taken (the store's clock).
    pub acquired: Timestamp,
    /// Until when the lease holds; `None` for a lock taken before leases existed.
    pub lease_until: Option<Timestamp>,
    /// Whether the lock is live: its lease holds and its process still runs (or cannot be
    /// checked from here).
    pub alive: bool,
}

struct Held {
    lock: JobLock,
}

impl Held {
    fn from_row(row: &Row<'_>, now: Timestamp) -> rusqlite::Result<Self> {
        let owner = Owner {
            pid: row.get(2)?,
            host: row.get(3)?,
            boot_id: row.get(4)?,
            start: row.get(5)?,
        };
        let lease_until = row.get::<_, Option<Time>>(7)?.map(|t| t.0);
        let expired = lease_until.is_some_and(|until| until <= now);
        Ok(Self {
            lock: JobLock {
                source_system: row.get(0)?,
                job_id: row.get(1)?,
                pid: owner.pid,
                host: owner.host.clone(),
                acquired: row.get::<_, Time>(6)?.0,
                lease_until,
                alive: !expired && owner.is_alive(),
            },
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

    /// Breaks the job lock of `source_system` when it is not live (its lease ran out, or its
    /// process stopped) and marks its job ended as [`Store::start_job`] would; refuses a live
    /// lock with [`StoreError::JobRunning`]. Returns the lock broken, `None` when there was
    /// none.
    pub fn unlock(&self, source_system: &str) -> Result<Option<JobLock>, StoreError> {
        self.transaction(|store| {
            let Some(held) = store.held(source_system)? else {
                return Ok(None);
            };
            if held.lock.alive {
                return Err(running(&held.lock));
            }
            store.end_stopped(&held.lock)?;
            Ok(Some(held.lock))
        })
    }

    /// Extends the lease of `job_id`'s lock on `source_system` to `lease` from now. Fails with
    /// [`StoreError::LockLost`] when the job no longer holds it (another job took it over after
    /// the lease ran out): the job must stop writing.
    pub fn renew_job_lock(
        &self,
        source_system: &str,
        job_id: &str,
        lease: SignedDuration,
    ) -> Result<Timestamp, StoreError> {
        let until = lease_end(self.now(), lease);
        let changed = self
            .conn()
            .prepare_cached(
                "UPDATE job_lock SET lease_until = ?3 WHERE source_system = ?1 AND job_id = ?2",
            )
            .and_then(|mut stmt| stmt.execute(params![source_system, job_id, Time(until)]))
            .map_err(self.fail_with(|| {
                format!("renewing the job lock of source system {source_system:?}")
            }))?;
        if changed == 0 {
            return Err(StoreError::LockLost {
                source_system: source_system.to_string(),
                job_id: job_id.to_string(),
            });
        }
        Ok(until)
    }

    /// Takes the lock of `source_system` for `job_id` with a lease of `lease`, taking over a
    /// lock that is not live (returned). Runs inside the caller's transaction.
    pub(super) fn acquire(
        &self,
        source_system: &str,
        job_id: &str,
        lease: SignedDuration,
    ) -> Result<Option<JobLock>, StoreError> {
        let taken_over = match self.held(source_system)? {
            Some(held) if held.lock.alive => return Err(running(&held.lock)),
            Some(held) => {
                self.end_stopped(&held.lock)?;
                Some(held.lock)
            }
            None => None,
        };
        let me = Owner::current();
        let now = self.now();
        self.conn()
            .prepare_cached(
                "INSERT INTO job_lock (source_system, job_id, pid, host, boot_id, process_start, \
                 acquired, lease_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    source_system,
                    job_id,
                    me.pid,
                    me.host,
                    me.boot_id,
                    me.start,
                    Time(now),
                    Time(lease_end(now, lease)),
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
        let now = self.now();
        self.conn()
            .prepare_cached(
                "SELECT source_system, job_id, pid, host, boot_id, process_start, acquired, \
                 lease_until FROM job_lock WHERE source_system = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([source_system], |row| Held::from_row(row, now))
                    .optional()
            })
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

/// The refusal for a live lock.
pub(super) fn running(lock: &JobLock) -> StoreError {
    StoreError::JobRunning {
        source_system: lock.source_system.clone(),
        job_id: lock.job_id.clone(),
        pid: lock.pid,
        host: lock.host.clone(),
        lease_until: lock.lease_until,
    }
}

/// `lease` after `now`, at most the last representable time.
fn lease_end(now: Timestamp, lease: SignedDuration) -> Timestamp {
    now.saturating_add(lease).unwrap_or(Timestamp::MAX)
}
