//! Deleting what left the source (`reference/ips-ias.md` §2.4): after a successful full read,
//! entities the job provisioned earlier that are no longer read, are filtered out, or fail a
//! condition are up for deletion — unless they existed in the target before IPS wrote them
//! (`ips.delete.existedbefore.entities`), or there are more than the delete threshold allows
//! (then none is deleted and every candidate fails). `deleteEntity` mappings turn a delete into
//! an update; `skipOperations: ["delete"]` skips it. A delete that fails stays queued for the
//! next job.

use futures_util::StreamExt;
use sapland_core::job::{EntityOutcome, EntityType, JobType};
use sapland_transform::engine::{Action, Outcome};
use serde_json::{Map, Value};

use super::logbook::LogBook;
use super::write::{Run, TargetState};
use crate::store::{RelationKey, RelationState, StoreError};

/// What one candidate's transformation asks for.
enum Deletion {
    Delete { id: String },
    Update { id: String, body: Value },
}

/// Deletes (or updates instead) the candidates of `entity_type` in one target.
pub(super) async fn delete_left(
    run: &Run<'_>,
    state: &mut TargetState<'_>,
    entity_type: EntityType,
    book: &mut LogBook,
) -> Result<(), StoreError> {
    let target = state.target;
    let mut candidates: Vec<(String, String)> = state
        .relations
        .values()
        .filter(|r| {
            matches!(
                r.state,
                RelationState::Provisioned | RelationState::QueuedForDeletion
            )
        })
        .filter(|r| !state.kept.contains(&r.source_id))
        .filter_map(|r| Some((r.source_id.clone(), r.target_id.clone()?)))
        .collect();
    candidates.sort();
    let (spared, candidates): (Vec<_>, Vec<_>) =
        candidates.into_iter().partition(|(source_id, _)| {
            !target.delete_existed_before
                && state
                    .relations
                    .get(source_id)
                    .is_some_and(|r| r.existed_before)
        });
    if !spared.is_empty() {
        book.outcome(format!(
            "{} {entity_type}(s) that existed in {:?} before Identity Provisioning wrote them were not deleted (ips.delete.existedbefore.entities is not true)",
            spared.len(),
            target.name
        ));
    }
    if candidates.is_empty() {
        return Ok(());
    }
    if let Some(threshold) = target.delete_threshold(entity_type)
        && candidates.len() as u64 > threshold
    {
        let property = format!("ips.delete.threshold.{entity_type}s");
        let error = format!(
            "{} {entity_type}s are up for deletion in {:?}, more than {property}={threshold}: no {entity_type} is deleted",
            candidates.len(),
            target.name
        );
        book.outcome(error.clone());
        if run.job_type != JobType::Simulate {
            run.store.transaction(|store| {
                for (source_id, _) in &candidates {
                    store.queue_for_deletion(&RelationKey::new(
                        run.source,
                        &target.name,
                        entity_type.as_str(),
                        source_id,
                    ))?;
                }
                Ok(())
            })?;
        }
        for (source_id, _) in &candidates {
            book.write(
                run.entry(entity_type, &target.name, source_id),
                EntityOutcome::Failed {
                    error: error.clone(),
                },
                None,
            );
        }
        return Ok(());
    }
    let empty = Value::Object(Map::new());
    let mut planned = Vec::new();
    for (source_id, target_id) in candidates {
        let input = state.skipped.get(&source_id).unwrap_or(&empty);
        let context = run.context(Action::Delete, &state.ids, &source_id, Some(&target_id));
        let at = run.entry(entity_type, &target.name, &source_id);
        let deletion = match target.engine.apply(entity_type.as_str(), input, &context) {
            Outcome::Delete => Deletion::Delete { id: target_id },
            Outcome::Written { entity, .. } => Deletion::Update {
                id: target_id,
                body: entity,
            },
            Outcome::Skipped { reason } => {
                book.write(at, EntityOutcome::Skipped(reason), None);
                continue;
            }
            Outcome::Failed { error } => {
                book.write(at, EntityOutcome::Failed { error }, None);
                continue;
            }
            Outcome::Ignored => continue,
        };
        if run.job_type == JobType::Simulate {
            book.write(at, EntityOutcome::Deleted, None);
            continue;
        }
        planned.push((source_id, deletion));
    }
    if planned.is_empty() || run.guard.cancelled() {
        return Ok(());
    }
    run.guard.renew()?;
    run.store.transaction(|store| {
        for (source_id, _) in &planned {
            store.begin_delete(&RelationKey::new(
                run.source,
                &target.name,
                entity_type.as_str(),
                source_id,
            ))?;
        }
        Ok(())
    })?;
    let results = send_all(target, entity_type, &planned).await;
    run.store.transaction(|store| {
        for ((source_id, _), result) in planned.iter().zip(&results) {
            let key = RelationKey::new(run.source, &target.name, entity_type.as_str(), source_id);
            match result {
                Ok(()) => {
                    store.record_deleted(&key)?;
                }
                Err(_) => store.queue_for_deletion(&key)?,
            }
        }
        Ok(())
    })?;
    for ((source_id, _), result) in planned.iter().zip(results) {
        let at = run.entry(entity_type, &target.name, source_id);
        let outcome = match result {
            Ok(()) => EntityOutcome::Deleted,
            Err(error) => EntityOutcome::Failed { error },
        };
        book.write(at, outcome, None);
    }
    Ok(())
}

/// Sends the deletions: through `/Bulk` when the target asks for it, one by one (at most
/// the target's `in_flight` at a time) otherwise. An entity already gone counts as deleted.
async fn send_all(
    target: &crate::target::Target,
    entity_type: EntityType,
    planned: &[(String, Deletion)],
) -> Vec<Result<(), String>> {
    if !target.bulk {
        return futures_util::stream::iter(
            planned
                .iter()
                .map(|(_, deletion)| send_one(target, entity_type, deletion)),
        )
        .buffered(target.in_flight)
        .collect()
        .await;
    }
    let operations: Vec<_> = planned
        .iter()
        .filter_map(|(_, deletion)| match deletion {
            Deletion::Delete { id } => Some(target.bulk_delete(entity_type, id)),
            Deletion::Update { .. } => None,
        })
        .collect();
    let count = operations.len();
    let mut bulk = match target.client.bulk(operations).await {
        Ok(results) => results
            .into_iter()
            .map(|r| match r.outcome {
                Err(err) if !err.is_not_found() => Err(err.to_string()),
                _ => Ok(()),
            })
            .collect::<Vec<_>>()
            .into_iter(),
        Err(err) => vec![Err(err.to_string()); count].into_iter(),
    };
    let mut results = Vec::with_capacity(planned.len());
    for (_, deletion) in planned {
        results.push(match deletion {
            Deletion::Delete { .. } => bulk
                .next()
                .unwrap_or_else(|| Err("the /Bulk answer has no result for this delete".into())),
            Deletion::Update { .. } => send_one(target, entity_type, deletion).await,
        });
    }
    results
}

async fn send_one(
    target: &crate::target::Target,
    entity_type: EntityType,
    deletion: &Deletion,
) -> Result<(), String> {
    match deletion {
        Deletion::Delete { id } => target.delete(entity_type, id).await,
        Deletion::Update { id, body } => {
            target.update_instead_of_delete(entity_type, id, body).await
        }
    }
    .map_err(|err| err.to_string())
}
