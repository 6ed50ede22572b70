//! The statistics table of a job: one row per entity type and system.

use serde::{Deserialize, Serialize};

use super::EntityOutcome;

/// Whether a row counts reading (source) or writing (target).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// A source row.
    Read,
    /// A target row.
    Write,
}

/// One row of the statistics: counts for one entity type in one system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatisticsRow {
    /// `user`, `group`, …
    pub entity_type: String,
    /// The system's name.
    pub system: String,
    /// Read (source) or Write (target).
    pub action: Action,
    /// Entities read (source rows).
    pub read: u64,
    /// Entities created (target rows).
    pub created: u64,
    /// Entities updated (target rows).
    pub updated: u64,
    /// Entities deleted (target rows).
    pub deleted: u64,
    /// Entities that failed a condition or whose operation is skipped.
    pub skipped: u64,
    /// Entities that failed to be read or written.
    pub failed: u64,
}

impl StatisticsRow {
    /// An empty row.
    pub fn new(entity_type: impl Into<String>, system: impl Into<String>, action: Action) -> Self {
        Self {
            entity_type: entity_type.into(),
            system: system.into(),
            action,
            read: 0,
            created: 0,
            updated: 0,
            deleted: 0,
            skipped: 0,
            failed: 0,
        }
    }

    /// Whether this row is the one for `entity_type` in `system` with `action`.
    pub fn matches(&self, entity_type: &str, system: &str, action: Action) -> bool {
        self.entity_type == entity_type && self.system == system && self.action == action
    }

    /// Counts one outcome.
    pub fn count(&mut self, outcome: &EntityOutcome) {
        let counter = match outcome {
            EntityOutcome::Read => &mut self.read,
            EntityOutcome::Created => &mut self.created,
            EntityOutcome::Updated => &mut self.updated,
            EntityOutcome::Deleted => &mut self.deleted,
            EntityOutcome::Skipped(_) => &mut self.skipped,
            EntityOutcome::Failed { .. } => &mut self.failed,
        };
        *counter += 1;
    }
}
