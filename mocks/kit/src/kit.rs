//! The kit's shared state for one mock: the landscape clock, the fault rules, the journal and
//! the admin token.

use std::sync::{Mutex, MutexGuard, PoisonError};

use sapland_core::scim::Secret;

use crate::clock::Clock;
use crate::faults::{ActiveRule, FaultRule, Faults};
use crate::journal::{Journal, JournalEntry};

/// Clock, faults, journal and admin token, shared by a mock's routes and its admin surface.
#[derive(Debug)]
pub struct Kit {
    /// The landscape clock (shared by every mock of the landscape).
    pub clock: Clock,
    admin_token: Secret,
    faults: Mutex<Faults>,
    journal: Mutex<Journal>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Kit {
    /// A kit on the landscape clock, guarded by `admin_token`, with a journal of `journal_capacity`.
    pub fn new(clock: Clock, admin_token: Secret, journal_capacity: usize) -> Self {
        Self {
            clock,
            admin_token,
            faults: Mutex::new(Faults::default()),
            journal: Mutex::new(Journal::with_capacity(journal_capacity)),
        }
    }

    /// Whether a presented bearer value is the admin token.
    pub fn admin_token_matches(&self, presented: &str) -> bool {
        crate::credentials::same_secret(self.admin_token.expose(), presented)
    }

    /// Forgets fault rules and journal entries (the clock keeps its time).
    pub fn reset(&self) {
        lock(&self.faults).clear();
        lock(&self.journal).clear();
    }

    /// Runs `f` with the fault rules locked.
    pub fn with_faults<R>(&self, f: impl FnOnce(&mut Faults) -> R) -> R {
        f(&mut lock(&self.faults))
    }

    /// Adds a fault rule; returns its id.
    pub fn add_fault(&self, rule: FaultRule) -> u64 {
        lock(&self.faults).add(rule)
    }

    /// Removes one fault rule.
    pub fn remove_fault(&self, id: u64) -> bool {
        lock(&self.faults).remove(id)
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// The fault rules in force.
    pub fn fault_rules(&self) -> Vec<ActiveRule> {
        lock(&self.faults).rules().to_vec()
    }

    /// Runs `f` with the journal locked.
    pub fn with_journal<R>(&self, f: impl FnOnce(&mut Journal) -> R) -> R {
        f(&mut lock(&self.journal))
    }

    /// The newest journal entries, oldest first.
    pub fn journal_latest(&self, limit: Option<usize>) -> Vec<JournalEntry> {
        lock(&self.journal).latest(limit)
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        lock(&self.journal).clear();
    }
}
