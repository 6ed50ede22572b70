//! What can go wrong with the operational data.

use std::path::PathBuf;

use jiff::Timestamp;

use super::relations::RelationState;

/// An error of the operational data store. Messages name the database file (for problems with
/// the file) or the relation, job or system (for requests the stored state does not allow).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The state directory could not be created.
    #[error("{}: cannot create the state directory: {source}", path.display())]
    CreateDir {
        /// The state directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// SQLite failed: the file is unreadable, not a database, full, locked too long, …
    #[error("{}: {action}: {source}", path.display())]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// What the store was doing, such as `recording the creation of user "42" …`.
        action: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The database was written by a newer sapland.
    #[error(
        "{}: written by a newer sapland (schema version {found}; this sapland reads versions up \
         to {supported}); use that sapland or another state directory",
        path.display()
    )]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// The file's `PRAGMA user_version`.
        found: i64,
        /// The newest version this build knows ([`super::SCHEMA_VERSION`]).
        supported: i64,
    },
    /// The file is an SQLite database, but not one sapland created.
    #[error(
        "{}: not sapland operational data (the database has tables but no sapland schema \
         version); choose another state directory",
        path.display()
    )]
    Foreign {
        /// The database file.
        path: PathBuf,
    },
    /// The file system does not support write-ahead logging.
    #[error(
        "{}: cannot switch the database to write-ahead logging (journal mode stays {mode:?}); \
         put the state directory on a local file system",
        path.display()
    )]
    NoWal {
        /// The database file.
        path: PathBuf,
        /// The journal mode SQLite kept.
        mode: String,
    },
    /// No relation has the key.
    #[error("no relation for {key}")]
    NoRelation {
        /// The key, as [`super::RelationKey`] displays it.
        key: String,
    },
    /// The relation is in a state that does not allow the operation.
    #[error("{key}: cannot {operation}: the relation is {state}")]
    WrongState {
        /// The key, as [`super::RelationKey`] displays it.
        key: String,
        /// What was asked, such as `record an update`.
        operation: &'static str,
        /// The relation's state.
        state: RelationState,
    },
    /// A job of the source system holds a live lock.
    #[error(
        "source system {source_system:?} has a job running (job {job_id}, process {pid}{}{}); two \
         jobs of one source system cannot run at once",
        host.as_ref().map(|h| format!(" on {h}")).unwrap_or_default(),
        lease_until.map(|t| format!(", lease until {t:.0}")).unwrap_or_default()
    )]
    JobRunning {
        /// The source system.
        source_system: String,
        /// The running job.
        job_id: String,
        /// The process running it.
        pid: u32,
        /// The host of that process, where known.
        host: Option<String>,
        /// Until when its lease holds.
        lease_until: Option<Timestamp>,
    },
    /// A running job's lock was taken over by another job after its lease ran out.
    #[error(
        "job {job_id} lost the job lock of source system {source_system:?}: its lease ran out and another job took over"
    )]
    LockLost {
        /// The source system.
        source_system: String,
        /// The job that lost it.
        job_id: String,
    },
    /// No job has the id.
    #[error("no job {job_id:?}")]
    UnknownJob {
        /// The id asked for.
        job_id: String,
    },
    /// A job with the id exists already.
    #[error("a job with id {job_id:?} exists already")]
    DuplicateJob {
        /// The id.
        job_id: String,
    },
}
