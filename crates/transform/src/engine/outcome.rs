//! What a transformation did with one entity.

use sapland_core::job::SkipReason;
use serde_json::{Map, Value};

use super::variables::Variables;

/// The result of transforming one entity.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The transformed entity, and the variables the transformation set or was given.
    Written {
        /// The output JSON.
        entity: Value,
        /// The variables at the end: `entityIdSourceSystem` from a read transformation,
        /// `assignGroup`, custom ones.
        variables: Variables,
    },
    /// The entity is not processed; `reason` prints as the text of IPS's skipped-entities
    /// log.
    Skipped {
        /// `Entity condition [<condition>] is not fulfilled`, or `Operation [<op>] is skipped in
        /// target transformation`.
        reason: SkipReason,
    },
    /// The entity type is ignored, or the transformation has no section for it.
    Ignored,
    /// A delete with no `deleteEntity` mappings: the entity is deleted in the target.
    Delete,
    /// The transformation failed for this entity, such as a missing mandatory attribute.
    Failed {
        /// What went wrong and where in the transformation.
        error: String,
    },
}

impl Outcome {
    /// The reason IPS logs for an entity whose entity-level condition is false (§1.11 item 2).
    pub fn condition_not_fulfilled(condition: &str) -> Outcome {
        Outcome::Skipped {
            reason: SkipReason::EntityCondition(condition.to_string()),
        }
    }

    /// The reason IPS logs for an operation listed in `skipOperations` (§1.2).
    pub fn operation_skipped(operation: &str) -> Outcome {
        Outcome::Skipped {
            reason: SkipReason::OperationSkipped(operation.to_string()),
        }
    }

    /// The outcome's name in `sapland transform` output.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Written { .. } => "written",
            Outcome::Skipped { .. } => "skipped",
            Outcome::Ignored => "ignored",
            Outcome::Delete => "delete",
            Outcome::Failed { .. } => "failed",
        }
    }

    /// The envelope `sapland transform` prints: `{"outcome": "written", "entity": {…}}`, with
    /// `variables` when the transformation set any; `reason` for skipped, `error` for failed.
    pub fn into_envelope(self) -> Value {
        let mut envelope = Map::new();
        envelope.insert("outcome".into(), Value::String(self.name().into()));
        match self {
            Outcome::Written { entity, variables } => {
                envelope.insert("entity".into(), entity);
                if !variables.is_empty() {
                    envelope.insert("variables".into(), variables.to_value());
                }
            }
            Outcome::Skipped { reason } => {
                envelope.insert("reason".into(), Value::String(reason.to_string()));
            }
            Outcome::Failed { error } => {
                envelope.insert("error".into(), Value::String(error));
            }
            Outcome::Ignored | Outcome::Delete => {}
        }
        Value::Object(envelope)
    }

    /// [`Outcome::into_envelope`] of a copy.
    pub fn to_envelope(&self) -> Value {
        self.clone().into_envelope()
    }
}
