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

mod delete;
mod ids;
mod logbook;
mod recover;
mod run;
mod write;

use std::path::PathBuf;

use sapland_core::job::{Job, JobType, TriggerType};

use crate::connect::Outbound;
use crate::store::StoreError;
use crate::systems::{Systems, SystemsError};

pub use run::run;

/// How many target requests a job keeps in flight at once unless the target's
/// [`IN_FLIGHT_PROPERTY`](crate::target::IN_FLIGHT_PROPERTY) says otherwise (**proposed**):
/// enough that the target stays busy while the agent transforms and records between answers,
/// and under IAS's 50 concurrent requests per client address (`reference/ips-ias.md` §3.6).
/// The system catalogue states the same default for the property.
pub const CONCURRENCY: usize = 32;

/// What to run.
#[derive(Debug)]
pub struct JobRequest<'a> {
    /// The systems.
    pub systems: &'a Systems,
    /// The source system to start from.
    pub source: String,
    /// Read, Resync or Simulate.
    pub job_type: JobType,
    /// Who or what started it.
    pub trigger: TriggerType,
    /// Where the operational data lives.
    pub state_dir: PathBuf,
    /// Trust, timeouts and the clock.
    pub outbound: Outbound,
}

/// Told about a job's progress (a progress bar on a TTY; nothing otherwise).
pub trait Progress {
    /// `done` entities of `entity_type` have been read from the source so far.
    fn read(&self, entity_type: &str, done: u64, total: Option<u64>);
}

/// No progress reporting.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {
    fn read(&self, _entity_type: &str, _done: u64, _total: Option<u64>) {}
}

/// A job that could not run at all (a job that ran and failed is a [`Job`] with status
/// Finished with Error).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The systems are not usable for this job.
    #[error(transparent)]
    Systems(#[from] SystemsError),
    /// The operational data could not be opened or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A system cannot be connected or its transformation cannot be used.
    #[error("{0}")]
    Setup(String),
    /// Validate only: the input is wrong.
    #[error("{0}")]
    Input(String),
}

/// The outcome of [`run`]: the job as logged.
pub type JobResult = Result<Job, JobError>;
