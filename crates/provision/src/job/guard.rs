//! What a running job looks at before it goes on: whether it was cancelled, and whether its
//! lock's lease is due for renewal (renewed every half lease on the store's clock).

use std::cell::Cell;

use jiff::{SignedDuration, Timestamp};

use super::cancel::CancelToken;
use crate::store::{Store, StoreError};

/// The cancel token and the lease of one job.
pub(super) struct Guard<'a> {
    cancel: &'a CancelToken,
    lease: Option<Lease<'a>>,
}

/// A job lock's lease and when to renew it.
struct Lease<'a> {
    store: &'a Store,
    source: &'a str,
    job_id: &'a str,
    lease: SignedDuration,
    renew_at: Cell<Timestamp>,
    now: &'a (dyn Fn() -> Timestamp + Send + Sync),
}

impl<'a> Guard<'a> {
    /// The guard of `job_id`, whose lock on `source` was just taken with `lease`.
    pub(super) fn new(
        cancel: &'a CancelToken,
        store: &'a Store,
        (source, job_id): (&'a str, &'a str),
        lease: SignedDuration,
        now: &'a (dyn Fn() -> Timestamp + Send + Sync),
    ) -> Self {
        Self {
            cancel,
            lease: Some(Lease {
                store,
                source,
                job_id,
                lease,
                renew_at: Cell::new(half_lease_after(now(), lease)),
                now,
            }),
        }
    }

    /// A guard without a lease, for writes outside a job (the per-entity write path).
    pub(super) fn unleased(cancel: &'a CancelToken) -> Self {
        Self {
            cancel,
            lease: None,
        }
    }

    /// Whether the job was asked to stop.
    pub(super) fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Renews the lease when half of it has passed. Fails with [`StoreError::LockLost`] when
    /// another job took the lock over: this job must stop writing.
    pub(super) fn renew(&self) -> Result<(), StoreError> {
        let Some(lease) = &self.lease else {
            return Ok(());
        };
        let now = (lease.now)();
        if now < lease.renew_at.get() {
            return Ok(());
        }
        lease
            .store
            .renew_job_lock(lease.source, lease.job_id, lease.lease)?;
        lease.renew_at.set(half_lease_after(now, lease.lease));
        Ok(())
    }
}

fn half_lease_after(now: Timestamp, lease: SignedDuration) -> Timestamp {
    now.saturating_add(lease / 2).unwrap_or(Timestamp::MAX)
}
