//! Resolving what a job killed mid-write left pending (the crate's invariant): a create that
//! was sent but not recorded is looked up in the target by the unique attributes it was sent
//! with — found, it is recorded as provisioned (the next Read updates it) and as existing
//! before, because a lost create cannot be told from a conflict with an entity that was there
//! already, and sapland never deletes what it may not own (**proposed**); not found, the
//! pending record goes and the entity is created again. A delete that was sent but not recorded
//! is sent again (an entity already gone counts as deleted).

use sapland_core::job::EntityType;
use sapland_scim::Filter;
use serde_json::Value;

use crate::store::{RelationKey, RelationState, Store, StoreError};

/// The fingerprint of an entity whose last write is not known: it matches no content, so the
/// next Read job updates the entity.
pub(super) const UNKNOWN_FINGERPRINT: &str = "";
use crate::target::{Target, resource};

/// What recovery did, for the job's outcome lines.
#[derive(Debug, Default)]
pub(super) struct Recovered {
    pub(super) adopted: usize,
    pub(super) dropped: usize,
    pub(super) deleted: usize,
    pub(super) unresolved: usize,
}

/// Resolves the pending relations of `source` in `target`.
pub(super) async fn recover(
    store: &Store,
    source: &str,
    target: &Target,
) -> Result<Recovered, StoreError> {
    let mut recovered = Recovered::default();
    for relation in store.pending(source, &target.name)? {
        let key = RelationKey::new(
            source,
            &target.name,
            &relation.entity_type,
            &relation.source_id,
        );
        let Ok(entity_type) = relation.entity_type.parse::<EntityType>() else {
            recovered.unresolved += 1;
            continue;
        };
        match relation.state {
            RelationState::Creating => {
                let Some(unique) = &relation.unique_key else {
                    store.forget(&key)?;
                    recovered.dropped += 1;
                    continue;
                };
                let found = target
                    .client
                    .find(resource(entity_type), Filter::raw(unique.clone()))
                    .await;
                match found.as_deref() {
                    Ok([one]) => match one.get("id").and_then(Value::as_str) {
                        Some(id) => {
                            store.record_created(&key, id, UNKNOWN_FINGERPRINT, true)?;
                            recovered.adopted += 1;
                        }
                        None => recovered.unresolved += 1,
                    },
                    Ok([]) => {
                        store.forget(&key)?;
                        recovered.dropped += 1;
                    }
                    Ok(_) | Err(_) => recovered.unresolved += 1,
                }
            }
            RelationState::Deleting => {
                let Some(id) = &relation.target_id else {
                    store.forget(&key)?;
                    continue;
                };
                match target.delete(entity_type, id).await {
                    Ok(()) => {
                        store.record_deleted(&key)?;
                        recovered.deleted += 1;
                    }
                    Err(_) => {
                        store.queue_for_deletion(&key)?;
                        recovered.unresolved += 1;
                    }
                }
            }
            RelationState::Provisioned | RelationState::QueuedForDeletion => {}
        }
    }
    Ok(recovered)
}
