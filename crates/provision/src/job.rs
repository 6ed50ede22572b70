//! Provisioning jobs (`reference/ips-ias.md` §2.1–§2.6): a source is read page by page, each
//! entity goes through the source's read transformation and each target's write
//! transformation, and is created, updated, left alone or skipped in every enabled target the
//! source feeds; a full read then deletes what left the source. Every target write is recorded
//! in the operational data before and after it is sent, so a job killed at any moment neither
//! loses nor duplicates an entity: the next job resolves what was left pending.
//!
//! Read writes only new or changed entities (by fingerprint), Resync writes all of them,
//! Simulate counts what a Resync would do and writes nothing. Validate is in
//! [`crate::validate`].
//!
//! [`Runner`] is the one entry point: it runs a job end to end — lock and lease, the passes,
//! cancellation, the job's end with its Cloud ALM report queued in the same transaction, and
//! sending the queued reports — on the caller's thread ([`Runner::run`]) or on a thread of its
//! own ([`Runner::spawn`]). [`EntityWriter`] is the per-entity write path beside it, for
//! real-time provisioning.

mod cancel;
mod delete;
mod entity;
mod guard;
mod ids;
mod logbook;
mod recover;
mod run;
mod runner;
mod stop;
mod write;

use sapland_core::job::{EntityType, Job, JobType, TriggerType};

use crate::error::ProvisionError;
use crate::store::StoreError;
use sapland_systems::SystemsError;

pub use cancel::CancelToken;
pub use entity::EntityWriter;
pub use runner::{Finished, Runner, RunningJob};

/// How many target requests a job keeps in flight at once unless the target's
/// [`IN_FLIGHT_PROPERTY`](crate::target::IN_FLIGHT_PROPERTY) says otherwise (**proposed**):
/// enough that the target stays busy while the agent transforms and records between answers,
/// and under IAS's 50 concurrent requests per client address (`reference/ips-ias.md` §3.6).
/// The system catalogue states the same default for the property.
pub const CONCURRENCY: usize = 32;

/// Which job to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRequest {
    /// The source system to start from.
    pub source: String,
    /// Read, Resync or Simulate.
    pub job_type: JobType,
    /// Who or what started it.
    pub trigger: TriggerType,
}

/// Told about a job's progress (a progress bar on a TTY; nothing otherwise).
pub trait Progress {
    /// `done` entities of `entity_type` have been read from the source so far.
    fn read(&self, entity_type: EntityType, done: u64, total: Option<u64>);
}

/// No progress reporting.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {
    fn read(&self, _entity_type: EntityType, _done: u64, _total: Option<u64>) {}
}

/// A job that could not run at all, or could not be recorded as ended (a job that ran and
/// failed is a [`Job`] with status Finished with Error).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The systems are not usable for this job.
    #[error(transparent)]
    Systems(#[from] SystemsError),
    /// The operational data could not be opened or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A system or its transformation cannot be used (Validate; a job records this as its
    /// error message instead).
    #[error(transparent)]
    Provision(#[from] ProvisionError),
    /// Validate only: the input is wrong.
    #[error("{0}")]
    Input(String),
    /// The job's thread could not be started or ended without an answer (a bug).
    #[error("the job's thread: {0}")]
    Thread(String),
}

/// The outcome of a job: the job as logged.
pub type JobResult = Result<Job, JobError>;
