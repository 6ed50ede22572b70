//! Entity log records, written in the text layout of IPS's downloadable job logs.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why an entity was skipped. In JSON: `kind` (`entityCondition`, `operationSkipped`,
/// `other`), `detail` (the text of IPS's skipped-entities log) and the condition or the
/// operation the kind names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "SkipReasonWire", try_from = "SkipReasonWire")]
pub enum SkipReason {
    /// The entity's `condition` was false.
    EntityCondition(String),
    /// `skipOperations` holds the operation (`create`, `update`, `delete`).
    OperationSkipped(String),
    /// Any other reason, as text.
    Other(String),
}

impl fmt::Display for SkipReason {
    /// The text of IPS's skipped-entities log.
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

/// [`SkipReason`] as JSON.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SkipReasonWire {
    kind: SkipKind,
    detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    condition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    operation: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum SkipKind {
    EntityCondition,
    OperationSkipped,
    Other,
}

impl From<SkipReason> for SkipReasonWire {
    fn from(reason: SkipReason) -> Self {
        let detail = reason.to_string();
        let (kind, condition, operation) = match reason {
            SkipReason::EntityCondition(condition) => {
                (SkipKind::EntityCondition, Some(condition), None)
            }
            SkipReason::OperationSkipped(operation) => {
                (SkipKind::OperationSkipped, None, Some(operation))
            }
            SkipReason::Other(_) => (SkipKind::Other, None, None),
        };
        Self {
            kind,
            detail,
            condition,
            operation,
        }
    }
}

impl TryFrom<SkipReasonWire> for SkipReason {
    type Error = String;

    fn try_from(wire: SkipReasonWire) -> Result<Self, Self::Error> {
        match wire.kind {
            SkipKind::EntityCondition => wire
                .condition
                .map(SkipReason::EntityCondition)
                .ok_or_else(|| "an entityCondition skip needs its condition".to_string()),
            SkipKind::OperationSkipped => wire
                .operation
                .map(SkipReason::OperationSkipped)
                .ok_or_else(|| "an operationSkipped skip needs its operation".to_string()),
            SkipKind::Other => Ok(SkipReason::Other(wire.detail)),
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

#[cfg(test)]
mod skip_reason_tests {
    use serde_json::json;

    use super::*;

    /// The JSON of a skip carries IPS's log text and the condition or operation it names, and
    /// reads back to the same reason.
    #[test]
    fn a_skip_reason_is_ips_text_plus_what_it_names() {
        let reason = SkipReason::EntityCondition("$.emails EMPTY false".into());
        let value = serde_json::to_value(&reason).unwrap();
        assert_eq!(
            value,
            json!({"kind": "entityCondition",
                   "detail": "Entity condition [$.emails EMPTY false] is not fulfilled",
                   "condition": "$.emails EMPTY false"})
        );
        assert_eq!(serde_json::from_value::<SkipReason>(value).unwrap(), reason);
        let skipped = serde_json::to_value(EntityOutcome::Skipped(SkipReason::OperationSkipped(
            "delete".into(),
        )))
        .unwrap();
        assert_eq!(
            skipped,
            json!({"outcome": "skipped", "kind": "operationSkipped",
                   "detail": "Operation [delete] is skipped in target transformation",
                   "operation": "delete"})
        );
        assert!(
            serde_json::from_value::<SkipReason>(json!({"kind": "entityCondition", "detail": "x"}))
                .is_err()
        );
    }
}
