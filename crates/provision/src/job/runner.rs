//! [`Runner`]: everything a job needs that is not the job itself — the systems, the state
//! directory, trust and clock, Cloud ALM monitoring and the lock's lease — and the one entry
//! point that runs a job end to end.
//!
//! **Threading model.** A job's futures are not `Send`: the operational data is one SQLite
//! connection (`Store` is `Send` but not `Sync`) that the job's requests in flight share by
//! reference. So a job runs on one thread: the caller's ([`Runner::run`], as the CLI does on
//! its current-thread runtime), or a thread of its own with its own current-thread runtime
//! ([`Runner::spawn`]), which a long-running service holds as a [`RunningJob`] — `Send`, able
//! to cancel the job and to wait for it from any runtime.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::SignedDuration;
use sapland_core::job::Job;
use sapland_outbound::Reach;
use sapland_systems::Systems;
use tokio::sync::oneshot;

use super::cancel::CancelToken;
use super::{JobError, JobRequest, Progress};
use crate::monitor::{Monitoring, Reported};
use crate::store::DEFAULT_LEASE;

/// Runs jobs of one systems directory into one state directory.
#[derive(Debug, Clone)]
pub struct Runner {
    /// The systems.
    pub systems: Arc<Systems>,
    /// Where the operational data lives.
    pub state_dir: PathBuf,
    /// Trust, timeouts and the clock of every client.
    pub reach: Reach,
    /// Where jobs are reported, if anywhere.
    pub monitoring: Option<Monitoring>,
    /// How long a job's lock holds without renewal ([`DEFAULT_LEASE`] unless set).
    pub lease: SignedDuration,
}

/// A job that ran: as logged, and what reporting it to Cloud ALM did.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The job.
    pub job: Job,
    /// Cloud ALM reporting, when the runner has monitoring.
    pub reported: Option<Reported>,
}

impl Runner {
    /// Runs the jobs of `systems` into `state_dir` with `reach`; no monitoring, the default
    /// lease.
    pub fn new(systems: Arc<Systems>, state_dir: impl Into<PathBuf>, reach: Reach) -> Self {
        Self {
            systems,
            state_dir: state_dir.into(),
            reach,
            monitoring: None,
            lease: DEFAULT_LEASE,
        }
    }

    /// The same, reporting every job through `monitoring`.
    pub fn with_monitoring(mut self, monitoring: Monitoring) -> Self {
        self.monitoring = Some(monitoring);
        self
    }

    /// The same, with locks leased for `lease`.
    pub fn with_lease(mut self, lease: SignedDuration) -> Self {
        self.lease = lease;
        self
    }

    /// Runs a Read, Resync or Simulate job to its end on this thread: takes the source's lock,
    /// reads and writes, stops early when `cancel` is cancelled (Manually Terminated), ends the
    /// job with its Cloud ALM report queued in the same transaction, and sends the queued
    /// reports. A job that ran into errors is `Ok` with status Finished with Error.
    pub async fn run(
        &self,
        request: JobRequest,
        progress: &dyn Progress,
        cancel: &CancelToken,
    ) -> Result<Finished, JobError> {
        super::run::run(self, request, progress, cancel).await
    }

    /// Runs the job on a thread of its own (see the module's threading model).
    pub fn spawn(
        &self,
        request: JobRequest,
        progress: Arc<dyn Progress + Send + Sync>,
    ) -> Result<RunningJob, JobError> {
        let cancel = CancelToken::new();
        let (done, finished) = oneshot::channel();
        let runner = self.clone();
        let token = cancel.clone();
        let name = format!("job {}", request.source);
        std::thread::Builder::new()
            .name(name)
            .spawn(move || {
                let result = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|err| JobError::Thread(format!("cannot start its runtime: {err}")))
                    .and_then(|runtime| {
                        runtime.block_on(runner.run(request, progress.as_ref(), &token))
                    });
                let _ = done.send(result);
            })
            .map_err(|err| JobError::Thread(format!("cannot be started: {err}")))?;
        Ok(RunningJob { cancel, finished })
    }
}

/// A job running on a thread of its own.
#[derive(Debug)]
pub struct RunningJob {
    cancel: CancelToken,
    finished: oneshot::Receiver<Result<Finished, JobError>>,
}

impl RunningJob {
    /// Asks the job to stop (it ends as Manually Terminated).
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// Waits for the job's end.
    pub async fn finished(self) -> Result<Finished, JobError> {
        self.finished
            .await
            .map_err(|_| JobError::Thread("it ended without an answer (it panicked)".into()))?
    }

    /// Waits for the job's end, blocking this thread (not from inside a runtime).
    pub fn join(self) -> Result<Finished, JobError> {
        self.finished
            .blocking_recv()
            .map_err(|_| JobError::Thread("it ended without an answer (it panicked)".into()))?
    }
}
