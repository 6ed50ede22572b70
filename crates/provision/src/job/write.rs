//! Writing one page of entities to one target (`reference/ips-ias.md` §2.4): each entity is
//! transformed for create (no relation yet) or update (provisioned before); Read leaves
//! entities whose fingerprint did not change alone, Resync writes them all, Simulate only
//! counts. Creates are recorded as pending before they are sent and as provisioned after, in
//! one transaction per page each way.

use std::collections::{HashMap, HashSet};

use futures_util::StreamExt;
use jiff::Timestamp;
use sapland_core::job::{EntityOutcome, JobType, SkipReason};
use sapland_scim::bulk::BulkDone;
use sapland_transform::document::Operation;
use sapland_transform::engine::{
    Action, Context, ENTITY_ID_SOURCE_SYSTEM, ENTITY_ID_TARGET_SYSTEM, Outcome, Variables,
};
use serde_json::Value;

use super::CONCURRENCY;
use super::ids::Relations;
use super::logbook::{Entry, LogBook};
use super::recover::UNKNOWN_FINGERPRINT;
use crate::fingerprint::fingerprint;
use crate::store::{Relation, RelationKey, RelationState, Store, StoreError};
use crate::target::Target;

/// What a job shares while it writes.
pub(super) struct Run<'a> {
    pub(super) source: &'a str,
    pub(super) job_type: JobType,
    pub(super) store: &'a Store,
    pub(super) now: &'a (dyn Fn() -> Timestamp + Send + Sync),
    pub(super) seed: u64,
}

/// One target while one entity type is processed.
pub(super) struct TargetState<'a> {
    pub(super) target: &'a Target,
    /// The relations of the source and this target for the entity type, by source id.
    pub(super) relations: HashMap<String, Relation>,
    /// Source ids that stay in the target (read, and not skipped by a condition).
    pub(super) kept: HashSet<String>,
    /// The entities a target condition skipped, for `deleteEntity` mappings (§1.5).
    pub(super) skipped: HashMap<String, Value>,
    /// `resolveEntityIds` over this source and target.
    pub(super) ids: Relations,
}

/// What to do with one entity.
enum Planned<'e> {
    Create {
        source_id: &'e str,
        input: &'e Value,
        body: Value,
        unique: Option<String>,
    },
    Update {
        source_id: &'e str,
        target_id: String,
        body: Value,
        fingerprint: String,
    },
    /// `skipOperations: ["create"]`: update the entity the unique attributes find, else skip
    /// (§2.4).
    Adopt {
        source_id: &'e str,
        input: &'e Value,
    },
}

/// What happened to one planned entity.
enum Done {
    Created {
        id: String,
        fingerprint: Option<String>,
    },
    /// Found by its unique attributes (a conflict, or an adopted entity) and overwritten.
    Existing {
        id: String,
        fingerprint: Option<String>,
    },
    Updated {
        fingerprint: String,
    },
    NotFound,
    Failed(String),
}

impl Run<'_> {
    pub(super) fn context<'i>(
        &self,
        action: Action,
        ids: &'i Relations,
        source_id: &str,
        target_id: Option<&str>,
    ) -> Context<'i> {
        let mut variables = Variables::new();
        variables.set(
            ENTITY_ID_SOURCE_SYSTEM,
            Value::String(source_id.to_string()),
        );
        if let Some(id) = target_id {
            variables.set(ENTITY_ID_TARGET_SYSTEM, Value::String(id.to_string()));
        }
        Context {
            action,
            variables,
            ids,
            now: (self.now)(),
            seed: self.seed,
        }
    }

    pub(super) fn entry<'e>(
        &self,
        entity_type: &'e str,
        system: &'e str,
        id: &'e str,
    ) -> Entry<'e> {
        Entry {
            entity_type,
            system,
            id,
            time: (self.now)(),
        }
    }
}

/// Transforms, writes and records one page of `entity_type` for one target.
pub(super) async fn write_page(
    run: &Run<'_>,
    state: &mut TargetState<'_>,
    entity_type: &str,
    entities: &[(String, Value)],
    book: &mut LogBook,
) -> Result<(), StoreError> {
    let target = state.target;
    let mut planned = Vec::new();
    for (source_id, input) in entities {
        if let Some(plan) = plan(run, state, entity_type, source_id, input, book) {
            planned.push(plan);
        }
    }
    if planned.is_empty() || run.job_type == JobType::Simulate {
        return Ok(());
    }
    run.store.transaction(|store| {
        for plan in &planned {
            if let Planned::Create {
                source_id, unique, ..
            } = plan
            {
                store.begin_create(
                    &RelationKey::new(run.source, &target.name, entity_type, source_id),
                    unique.as_deref(),
                )?;
            }
        }
        Ok(())
    })?;
    let done = send_all(run, target, entity_type, &planned, &state.ids).await;
    run.store.transaction(|store| {
        for (plan, done) in planned.iter().zip(&done) {
            let source_id = plan.source_id();
            let key = RelationKey::new(run.source, &target.name, entity_type, source_id);
            match done {
                Done::Created { id, fingerprint } => store.record_created(
                    &key,
                    id,
                    fingerprint.as_deref().unwrap_or(UNKNOWN_FINGERPRINT),
                    false,
                )?,
                Done::Existing { id, fingerprint } => store.record_created(
                    &key,
                    id,
                    fingerprint.as_deref().unwrap_or(UNKNOWN_FINGERPRINT),
                    true,
                )?,
                Done::Updated { fingerprint } => store.record_written(&key, fingerprint)?,
                Done::NotFound | Done::Failed(_) => {
                    if matches!(plan, Planned::Create { .. }) {
                        store.forget(&key)?;
                    }
                }
            }
        }
        Ok(())
    })?;
    for (plan, done) in planned.iter().zip(done) {
        let source_id = plan.source_id();
        let at = run.entry(entity_type, &target.name, source_id);
        let (outcome, content) = match done {
            Done::Created { .. } => (EntityOutcome::Created, plan.body()),
            Done::Existing { .. } | Done::Updated { .. } => (EntityOutcome::Updated, plan.body()),
            Done::NotFound => (
                EntityOutcome::Skipped(SkipReason::OperationSkipped(
                    Operation::Create.as_str().into(),
                )),
                None,
            ),
            Done::Failed(error) => (EntityOutcome::Failed { error }, plan.body()),
        };
        book.write(at, outcome, content);
    }
    Ok(())
}

impl Planned<'_> {
    fn source_id(&self) -> &str {
        match self {
            Planned::Create { source_id, .. }
            | Planned::Update { source_id, .. }
            | Planned::Adopt { source_id, .. } => source_id,
        }
    }

    fn body(&self) -> Option<&Value> {
        match self {
            Planned::Create { body, .. } | Planned::Update { body, .. } => Some(body),
            Planned::Adopt { input, .. } => Some(input),
        }
    }
}

/// Decides what to do with one entity, and logs what needs no request.
fn plan<'e>(
    run: &Run<'_>,
    state: &mut TargetState<'_>,
    entity_type: &str,
    source_id: &'e str,
    input: &'e Value,
    book: &mut LogBook,
) -> Option<Planned<'e>> {
    let target = state.target;
    let at = run.entry(entity_type, &target.name, source_id);
    let relation = state
        .relations
        .get(source_id)
        .filter(|r| {
            matches!(
                r.state,
                RelationState::Provisioned | RelationState::QueuedForDeletion
            )
        })
        .and_then(|r| Some((r, r.target_id.clone()?)));
    let (action, target_id) = match &relation {
        Some((_, id)) => (Action::Update, Some(id.as_str())),
        None => (Action::Create, None),
    };
    let context = run.context(action, &state.ids, source_id, target_id);
    match target.engine.apply(entity_type, input, &context) {
        Outcome::Written { entity: body, .. } => {
            state.kept.insert(source_id.to_string());
            match relation {
                Some((relation, target_id)) => {
                    let fingerprint = fingerprint(&body);
                    let unchanged = run.job_type == JobType::Read
                        && relation.state == RelationState::Provisioned
                        && relation.fingerprint.as_deref() == Some(fingerprint.as_str());
                    if unchanged {
                        return None;
                    }
                    if run.job_type == JobType::Simulate {
                        book.write(at, EntityOutcome::Updated, Some(&body));
                        return None;
                    }
                    Some(Planned::Update {
                        source_id,
                        target_id,
                        body,
                        fingerprint,
                    })
                }
                None => {
                    if run.job_type == JobType::Simulate {
                        book.write(at, EntityOutcome::Created, Some(&body));
                        return None;
                    }
                    let unique = target.unique_key(entity_type, &body);
                    Some(Planned::Create {
                        source_id,
                        input,
                        body,
                        unique,
                    })
                }
            }
        }
        Outcome::Skipped { reason }
            if action == Action::Create && target.engine.skips(entity_type, Operation::Create) =>
        {
            state.kept.insert(source_id.to_string());
            if run.job_type == JobType::Simulate {
                book.write(
                    at,
                    EntityOutcome::Skipped(SkipReason::Other(reason)),
                    Some(input),
                );
                return None;
            }
            Some(Planned::Adopt { source_id, input })
        }
        Outcome::Skipped { reason } => {
            let by_condition = reason.starts_with("Entity condition [");
            if by_condition {
                state.skipped.insert(source_id.to_string(), input.clone());
            } else {
                state.kept.insert(source_id.to_string());
            }
            book.write(
                at,
                EntityOutcome::Skipped(SkipReason::Other(reason)),
                Some(input),
            );
            None
        }
        Outcome::Failed { error } => {
            state.kept.insert(source_id.to_string());
            book.write(at, EntityOutcome::Failed { error }, Some(input));
            None
        }
        Outcome::Ignored | Outcome::Delete => None,
    }
}

/// Sends the planned entities, through `/Bulk` when the target asks for it
/// (`ias.support.bulk.operation`, [DOC] §2.4) and one by one otherwise (at most
/// [`CONCURRENCY`] at a time); what happened to each, in order.
async fn send_all(
    run: &Run<'_>,
    target: &Target,
    entity_type: &str,
    planned: &[Planned<'_>],
    ids: &Relations,
) -> Vec<Done> {
    if !target.bulk {
        return futures_util::stream::iter(
            planned
                .iter()
                .map(|plan| send(run, target, entity_type, plan, ids)),
        )
        .buffered(CONCURRENCY)
        .collect()
        .await;
    }
    let mut operations = Vec::new();
    let slots: Vec<Option<usize>> = planned
        .iter()
        .map(|plan| {
            let operation = match plan {
                Planned::Create { body, .. } => target.bulk_create(entity_type, body),
                Planned::Update {
                    target_id, body, ..
                } => target.bulk_update(entity_type, target_id, body),
                Planned::Adopt { .. } => None,
            }?;
            operations.push(operation);
            Some(operations.len() - 1)
        })
        .collect();
    let mut results: Vec<Option<Result<BulkDone, sapland_scim::Error>>> =
        match target.client.bulk(operations).await {
            Ok(results) => results.into_iter().map(|r| Some(r.outcome)).collect(),
            Err(err) => slots
                .iter()
                .flatten()
                .map(|_| Some(Err(err.clone())))
                .collect(),
        };
    let mut done = Vec::with_capacity(planned.len());
    for (plan, slot) in planned.iter().zip(slots) {
        let outcome = slot.and_then(|i| results.get_mut(i).and_then(Option::take));
        done.push(match (plan, outcome) {
            (_, None) => send(run, target, entity_type, plan, ids).await,
            (
                Planned::Create {
                    source_id, input, ..
                },
                Some(Ok(created)),
            ) => match created.id() {
                Some(id) => Done::Created {
                    fingerprint: update_fingerprint(
                        run,
                        target,
                        entity_type,
                        input,
                        source_id,
                        &id,
                        ids,
                    ),
                    id,
                },
                None => Done::Failed("the /Bulk answer names no id for the created entity".into()),
            },
            (
                Planned::Create {
                    source_id,
                    input,
                    body,
                    ..
                },
                Some(Err(err)),
            ) if err.is_conflict() && target.conflict_resolution => {
                overwrite_existing(run, target, entity_type, input, source_id, body, ids)
                    .await
                    .unwrap_or_else(|| Done::Failed(err.to_string()))
            }
            (Planned::Update { fingerprint, .. }, Some(Ok(_))) => Done::Updated {
                fingerprint: fingerprint.clone(),
            },
            (_, Some(Err(err))) => Done::Failed(err.to_string()),
            (Planned::Adopt { .. }, Some(Ok(_))) => Done::NotFound,
        });
    }
    done
}

/// Sends one planned entity and reports what happened.
async fn send(
    run: &Run<'_>,
    target: &Target,
    entity_type: &str,
    plan: &Planned<'_>,
    ids: &Relations,
) -> Done {
    match plan {
        Planned::Create {
            source_id,
            input,
            body,
            ..
        } => match target.create(entity_type, body).await {
            Ok(id) => {
                let fingerprint =
                    update_fingerprint(run, target, entity_type, input, source_id, &id, ids);
                Done::Created { id, fingerprint }
            }
            Err(err) if err.is_conflict() && target.conflict_resolution => {
                overwrite_existing(run, target, entity_type, input, source_id, body, ids)
                    .await
                    .unwrap_or_else(|| Done::Failed(err.to_string()))
            }
            Err(err) => Done::Failed(err.to_string()),
        },
        Planned::Update {
            target_id,
            body,
            fingerprint,
            ..
        } => match target.update(entity_type, target_id, body).await {
            Ok(()) => Done::Updated {
                fingerprint: fingerprint.clone(),
            },
            Err(err) => Done::Failed(err.to_string()),
        },
        Planned::Adopt { source_id, input } => {
            let context = run.context(Action::Update, ids, source_id, None);
            let probe = match target.engine.apply(entity_type, input, &context) {
                Outcome::Written { entity, .. } => entity,
                _ => return Done::NotFound,
            };
            overwrite_existing(run, target, entity_type, input, source_id, &probe, ids)
                .await
                .unwrap_or(Done::NotFound)
        }
    }
}

/// Finds the entity `body` conflicts with by the unique attributes and overwrites it with the
/// update transformation (§2.4); `None` when no single entity is found.
async fn overwrite_existing(
    run: &Run<'_>,
    target: &Target,
    entity_type: &str,
    input: &Value,
    source_id: &str,
    body: &Value,
    ids: &Relations,
) -> Option<Done> {
    let id = match target.find_existing(entity_type, body).await {
        Ok(Some(id)) => id,
        Ok(None) => return None,
        Err(err) => return Some(Done::Failed(err.to_string())),
    };
    let context = run.context(Action::Update, ids, source_id, Some(&id));
    let update = match target.engine.apply(entity_type, input, &context) {
        Outcome::Written { entity, .. } => entity,
        Outcome::Failed { error } => return Some(Done::Failed(error)),
        _ => return None,
    };
    Some(match target.update(entity_type, &id, &update).await {
        Ok(()) => Done::Existing {
            fingerprint: Some(fingerprint(&update)),
            id,
        },
        Err(err) => Done::Failed(err.to_string()),
    })
}

/// The fingerprint of what an update of the new entity would send, so that the next Read job
/// sees it as unchanged.
fn update_fingerprint(
    run: &Run<'_>,
    target: &Target,
    entity_type: &str,
    input: &Value,
    source_id: &str,
    id: &str,
    ids: &Relations,
) -> Option<String> {
    let context = run.context(Action::Update, ids, source_id, Some(id));
    match target.engine.apply(entity_type, input, &context) {
        Outcome::Written { entity, .. } => Some(fingerprint(&entity)),
        _ => None,
    }
}
