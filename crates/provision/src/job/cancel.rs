//! Stopping a running job from outside: a [`CancelToken`] shared by whoever may stop the job
//! (Ctrl-C in the CLI, the tenant API of the service) and the job, which looks at it between
//! pages and before each write.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Asks a job to stop. Clones share the request. A cancelled job sends nothing new, waits for
/// the requests already sent, records them, forgets the creates it had recorded as pending but
/// not sent, and ends as IPS's *Manually Terminated* (`reference/ips-ias.md` §2.6).
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token nobody has cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the job to stop; it stops at its next look.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
