//! The Validate job (`reference/ips-ias.md` §2.1): at most 10 users and 10 groups from CSV
//! files go through the source's read transformation and every target's write transformation,
//! and the content each target would receive is shown. Nothing is read from or written to any
//! system.

use jiff::Timestamp;
use sapland_core::job::EntityType;
use sapland_transform::engine::{
    Action, Context, ENTITY_ID_SOURCE_SYSTEM, Engine, Outcome, Variables,
};
use serde::Serialize;
use serde_json::Value;

use crate::error::ProvisionError;
use crate::job::JobError;
use sapland_systems::Systems;

/// IPS validates at most this many users and this many groups (§2.1).
pub const MAX_PER_TYPE: usize = 10;

/// What one target would do with one entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Validated {
    /// Users or groups.
    pub entity_type: EntityType,
    /// The entity's id in the source (`entityIdSourceSystem`).
    pub source_id: String,
    /// The system the row is about (the source for read failures, else the target).
    pub system: String,
    /// What the transformation did.
    pub outcome: ValidatedOutcome,
    /// The content the target would receive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<Value>,
    /// Why it was skipped or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What a transformation did with an entity in a Validate job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValidatedOutcome {
    /// The target would receive the entity.
    Written,
    /// A condition or `skipOperations` skips it.
    Skipped,
    /// The transformation fails for it.
    Failed,
    /// The transformation ignores its type.
    Ignored,
}

impl ValidatedOutcome {
    /// `written`, `skipped`, `failed` or `ignored`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Written => "written",
            Self::Skipped => "skipped",
            Self::Failed => "failed",
            Self::Ignored => "ignored",
        }
    }
}

impl std::fmt::Display for ValidatedOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Runs the Validate job of `source` on `users` and `groups` at time `now`.
pub fn validate(
    systems: &Systems,
    source: &str,
    users: &[Value],
    groups: &[Value],
    now: Timestamp,
) -> Result<Vec<Validated>, JobError> {
    for (entity_type, records) in [("users", users), ("groups", groups)] {
        if records.len() > MAX_PER_TYPE {
            return Err(JobError::Input(format!(
                "a Validate job takes at most {MAX_PER_TYPE} {entity_type}, the file has {}",
                records.len()
            )));
        }
    }
    let source_system = systems.source(source)?;
    let compile = |system: &sapland_systems::System| {
        Engine::new(&system.transformation, system.substitution_properties()).map_err(|err| {
            JobError::from(ProvisionError::Transformation {
                system: system.name().to_string(),
                reason: err.to_string(),
            })
        })
    };
    let read = compile(source_system)?;
    let targets = systems
        .targets_of(source_system)
        .into_iter()
        .map(|system| Ok((system.name().to_string(), compile(system)?)))
        .collect::<Result<Vec<_>, JobError>>()?;
    let mut rows = Vec::new();
    for (entity_type, records) in [(EntityType::User, users), (EntityType::Group, groups)] {
        for (index, record) in records.iter().enumerate() {
            let context = context_with(Variables::new(), now);
            let fallback = format!("row {}", index + 1);
            let (source_id, intermediate) = match read.apply(entity_type.as_str(), record, &context)
            {
                Outcome::Written { entity, variables } => {
                    let id = variables
                        .get(ENTITY_ID_SOURCE_SYSTEM)
                        .and_then(Value::as_str)
                        .map_or(fallback.clone(), str::to_string);
                    (id, entity)
                }
                other => {
                    rows.push(row(entity_type, &fallback, source, other));
                    continue;
                }
            };
            for (target, engine) in &targets {
                let mut variables = Variables::new();
                variables.set(ENTITY_ID_SOURCE_SYSTEM, Value::String(source_id.clone()));
                let outcome = engine.apply(
                    entity_type.as_str(),
                    &intermediate,
                    &context_with(variables, now),
                );
                rows.push(row(entity_type, &source_id, target, outcome));
            }
        }
    }
    Ok(rows)
}

fn context_with(variables: Variables, now: Timestamp) -> Context<'static> {
    Context {
        action: Action::Create,
        variables,
        ids: &(),
        now,
        seed: 0,
    }
}

fn row(entity_type: EntityType, source_id: &str, system: &str, outcome: Outcome) -> Validated {
    let (name, entity, reason) = match outcome {
        Outcome::Written { entity, .. } => (ValidatedOutcome::Written, Some(entity), None),
        Outcome::Skipped { reason } => (ValidatedOutcome::Skipped, None, Some(reason.to_string())),
        Outcome::Failed { error } => (ValidatedOutcome::Failed, None, Some(error)),
        Outcome::Ignored | Outcome::Delete => (ValidatedOutcome::Ignored, None, None),
    };
    Validated {
        entity_type,
        source_id: source_id.to_string(),
        system: system.to_string(),
        outcome: name,
        entity,
        reason,
    }
}
