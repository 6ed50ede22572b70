//! Entity log records, written in the text layout of IPS's downloadable job logs.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why an entity was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "camelCase")]
pub enum SkipReason {
    /// The entity's `condition` was false.
    EntityCondition(String),
    /// `skipOperations` holds the operation (`create`, `update`, `delete`).
    OperationSkipped(String),
    /// Any other reason, as text.
    Other(String),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EntityCondition(condition) => {
                write!(f, "Entity condition [{condition}] is not fulfilled")
            }
            Self::OperationSkipped(operation) => {
                write!(
                    f,
                    "Operation [{operation}] is skipped in target transformation"
                )
            }
            Self::Other(text) => f.write_str(text),
        }
    }
}

/// What happened to one entity in one system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum EntityOutcome {
    /// Read from the source.
    Read,
    /// Created in the target.
    Created,
    /// Updated in the target.
    Updated,
    /// Deleted from the target.
    Deleted,
    /// Skipped, with the reason.
    Skipped(SkipReason),
    /// Failed, with the error.
    Failed {
        /// The error text, such as `409, uniqueness`.
        error: String,
    },
}

/// One entity's record in a job log.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityLogRecord {
    /// `user`, `group`, …
    pub entity_type: String,
    /// The entity's id in the system.
    pub entity_id: String,
    /// The system's name.
    pub system: String,
    /// When it happened.
    pub time: Option<Timestamp>,
    /// What happened.
    #[serde(flatten)]
    pub outcome: EntityOutcome,
    /// The entity's content, when the matching `ips.trace.*.content` property is on.
    pub content: Option<Value>,
}

impl fmt::Display for EntityLogRecord {
    /// The record as IPS writes it in its log downloads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:{},", self.entity_type, self.entity_id)?;
        write!(f, "system={},", self.system)?;
        match &self.outcome {
            EntityOutcome::Skipped(reason) => write!(f, "\nskip reason={reason}"),
            EntityOutcome::Failed { error } => {
                if let Some(time) = self.time {
                    write!(f, "\ntime={time}")?;
                }
                write!(f, "\nerror={error}")?;
                match &self.content {
                    Some(content) => write!(f, "\ncontent={content}"),
                    None => f.write_str("\ncontent=null"),
                }
            }
            _ => match self.time {
                Some(time) => write!(f, "\ntime={time}"),
                None => Ok(()),
            },
        }
    }
}
