//! A job's log as it runs: statistics for every entity, and the entity records IPS keeps —
//! failed entities always, created, updated, deleted and skipped ones only when the source's
//! `ips.trace.*.entity` property asks, with their content only when `ips.trace.*.content`
//! does (`reference/ips-ias.md` §2.6).

use std::collections::BTreeSet;

use jiff::Timestamp;
use sapland_core::job::{Action, EntityLogRecord, EntityOutcome, Job};
use sapland_core::system::ResolvedSystem;
use serde_json::Value;

use crate::store::{Store, StoreError};

/// Entity content in a log is cut at this many characters unless
/// `ips.trace.entity.content.unlimited` is true (§2.6).
const CONTENT_LIMIT: usize = 150_000;

/// What the source's trace properties ask to keep.
#[derive(Debug, Clone, Default)]
struct Trace {
    created: bool,
    updated: bool,
    deleted: bool,
    skipped: bool,
    failed_content: bool,
    skipped_content: bool,
    created_content: bool,
    updated_content: bool,
    unlimited: bool,
}

/// Which entity in which system, and when: the place of a log record.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry<'a> {
    pub(super) entity_type: &'a str,
    pub(super) system: &'a str,
    pub(super) id: &'a str,
    pub(super) time: Timestamp,
}

/// The job and the records waiting to be written to the operational data.
pub(super) struct LogBook {
    pub(super) job: Job,
    trace: Trace,
    pending: Vec<EntityLogRecord>,
    /// The `*.content` properties this job used (they reset after it, §2.6).
    pub(super) content_used: BTreeSet<&'static str>,
}

impl LogBook {
    /// A log for `job`; `reset` are the content properties that count as false (used by an
    /// earlier job on the same export).
    pub(super) fn new(job: Job, source: &ResolvedSystem, reset: &BTreeSet<String>) -> Self {
        let content = |key: &str| source.flag(key) && !reset.contains(key);
        Self {
            job,
            trace: Trace {
                created: source.flag("ips.trace.created.entity"),
                updated: source.flag("ips.trace.updated.entity"),
                deleted: source.flag("ips.trace.deleted.entity"),
                skipped: source.flag("ips.trace.skipped.entity"),
                failed_content: content("ips.trace.failed.entity.content"),
                skipped_content: content("ips.trace.skipped.entity.content"),
                created_content: content("ips.trace.created.entity.content"),
                updated_content: content("ips.trace.updated.entity.content"),
                unlimited: source.flag("ips.trace.entity.content.unlimited"),
            },
            pending: Vec::new(),
            content_used: BTreeSet::new(),
        }
    }

    /// A log that keeps a record of every entity, without content (the per-entity write
    /// path, whose caller keeps its own log).
    pub(super) fn keeping_all(job: Job) -> Self {
        Self {
            job,
            trace: Trace {
                created: true,
                updated: true,
                deleted: true,
                skipped: true,
                ..Trace::default()
            },
            pending: Vec::new(),
            content_used: BTreeSet::new(),
        }
    }

    /// The records not yet written, taken out.
    pub(super) fn take_records(&mut self) -> Vec<EntityLogRecord> {
        std::mem::take(&mut self.pending)
    }

    /// Counts an entity of the source (`Read`, a read-condition skip, a read failure).
    pub(super) fn read(&mut self, at: Entry<'_>, outcome: EntityOutcome, content: Option<&Value>) {
        self.count(at, outcome, content, Action::Read);
    }

    /// Counts an entity written to (or skipped or failed in) a target.
    pub(super) fn write(&mut self, at: Entry<'_>, outcome: EntityOutcome, content: Option<&Value>) {
        self.count(at, outcome, content, Action::Write);
    }

    fn count(
        &mut self,
        at: Entry<'_>,
        outcome: EntityOutcome,
        content: Option<&Value>,
        action: Action,
    ) {
        let Entry {
            entity_type,
            system,
            id,
            time,
        } = at;
        self.job.count(entity_type, system, action, &outcome);
        let (keep, with_content, property) = match &outcome {
            EntityOutcome::Read => (false, false, ""),
            EntityOutcome::Created => (
                self.trace.created,
                self.trace.created_content,
                "ips.trace.created.entity.content",
            ),
            EntityOutcome::Updated => (
                self.trace.updated,
                self.trace.updated_content,
                "ips.trace.updated.entity.content",
            ),
            EntityOutcome::Deleted => (self.trace.deleted, false, ""),
            EntityOutcome::Skipped(_) => (
                self.trace.skipped,
                self.trace.skipped_content,
                "ips.trace.skipped.entity.content",
            ),
            EntityOutcome::Failed { .. } => (
                true,
                self.trace.failed_content,
                "ips.trace.failed.entity.content",
            ),
        };
        if !keep {
            return;
        }
        let content = content.filter(|_| with_content).map(|value| {
            self.content_used.insert(property);
            self.limit(value)
        });
        self.pending.push(EntityLogRecord {
            entity_type: entity_type.to_string(),
            entity_id: id.to_string(),
            system: system.to_string(),
            time: Some(time),
            outcome,
            content,
        });
    }

    fn limit(&self, value: &Value) -> Value {
        if self.trace.unlimited {
            return value.clone();
        }
        let text = value.to_string();
        if text.chars().count() <= CONTENT_LIMIT {
            value.clone()
        } else {
            Value::String(text.chars().take(CONTENT_LIMIT).collect())
        }
    }

    /// Adds a line to the Job Execution Outcome.
    pub(super) fn outcome(&mut self, line: impl Into<String>) {
        self.job.outcome.push(line.into());
    }

    /// Writes the waiting records and the job's progress.
    pub(super) fn flush(&mut self, store: &Store) -> Result<(), StoreError> {
        // Provisional: the job's end is recorded durably, and a job whose process stops is
        // ended by the next one.
        store.provisional(|store| {
            if !self.pending.is_empty() {
                store.append_logs(&self.job.id, &self.pending)?;
            }
            store.update_job(&self.job)
        })?;
        self.pending.clear();
        Ok(())
    }
}
