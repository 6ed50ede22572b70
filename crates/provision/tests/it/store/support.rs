//! What the store tests share: a manual clock and a fresh state directory.

use std::sync::{Arc, Mutex, PoisonError};

use jiff::{SignedDuration, Timestamp};
use sapland_provision::store::Store;
use tempfile::TempDir;

/// The start of every test's clock.
pub(crate) const START: &str = "2026-11-22T09:00:00Z";

/// A clock that moves only when told to.
#[derive(Clone)]
pub(crate) struct Clock(Arc<Mutex<Timestamp>>);

impl Clock {
    pub(crate) fn new() -> Self {
        Self(Arc::new(Mutex::new(START.parse().unwrap())))
    }

    pub(crate) fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn advance(&self, seconds: i64) {
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *now = now.checked_add(SignedDuration::from_secs(seconds)).unwrap();
    }

    /// The clock as the store takes it.
    pub(crate) fn source(&self) -> impl Fn() -> Timestamp + Send + 'static {
        let clock = self.clone();
        move || clock.now()
    }
}

/// A store in a fresh state directory, with its clock; the directory lives as long as the
/// returned guard.
pub(crate) fn fresh() -> (Store, Clock, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::new();
    let store = Store::open(dir.path(), clock.source()).unwrap();
    (store, clock, dir)
}

/// Reopens the store of `dir`, as a later process would.
pub(crate) fn reopen(dir: &TempDir, clock: &Clock) -> Store {
    Store::open(dir.path(), clock.source()).unwrap()
}

/// `2026-11-22T09:00:00Z` plus `seconds`.
pub(crate) fn at(seconds: i64) -> Timestamp {
    START
        .parse::<Timestamp>()
        .unwrap()
        .checked_add(SignedDuration::from_secs(seconds))
        .unwrap()
}
