//! Relations between source and target entities (`reference/ips-ias.md` §2.3) and the states a
//! write to a target moves them through.
//!
//! | method                     | from                                             | to                    |
//! |----------------------------|--------------------------------------------------|-----------------------|
//! | `begin_create`             | none, `creating`                                 | `creating`            |
//! | `record_created`           | none, `creating`                                 | `provisioned`         |
//! | `record_written`           | `provisioned`, `deleting`, `queued_for_deletion` | `provisioned`         |
//! | `begin_delete`             | `provisioned`, `deleting`, `queued_for_deletion` | `deleting`            |
//! | `queue_for_deletion`       | `provisioned`, `deleting`, `queued_for_deletion` | `queued_for_deletion` |
//! | `record_deleted`, `forget` | any                                              | none (removed)        |
//!
//! Any other transition fails with [`StoreError::WrongState`] (or [`StoreError::NoRelation`])
//! and changes nothing: it is a job's bug, not a state to store. A relation in any state but
//! `creating` has a target id.

use std::collections::HashMap;
use std::fmt;

use jiff::Timestamp;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{OptionalExtension, Row, params};

use super::db::Store;
use super::error::StoreError;
use super::sql::Time;

/// Where a relation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationState {
    /// A create is about to be sent, or was sent and its answer is not recorded: the target may
    /// or may not have the entity. The next job resolves it (by the unique key).
    Creating,
    /// The target has the entity, as last written.
    Provisioned,
    /// A delete is about to be sent, or was sent and its answer is not recorded.
    Deleting,
    /// Up for deletion but not deleted — the delete threshold was exceeded or the delete
    /// failed; later jobs retry it (§2.4, "queued for deletion").
    QueuedForDeletion,
}

impl RelationState {
    /// The name stored and shown: `creating`, `provisioned`, `deleting`, `queued_for_deletion`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Creating => "creating",
            Self::Provisioned => "provisioned",
            Self::Deleting => "deleting",
            Self::QueuedForDeletion => "queued_for_deletion",
        }
    }

    /// The state named `name` ([`RelationState::as_str`]).
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Creating,
            Self::Provisioned,
            Self::Deleting,
            Self::QueuedForDeletion,
        ]
        .into_iter()
        .find(|state| state.as_str() == name)
    }
}

impl fmt::Display for RelationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ToSql for RelationState {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for RelationState {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let name = value.as_str()?;
        Self::from_name(name)
            .ok_or_else(|| FromSqlError::Other(format!("unknown relation state {name:?}").into()))
    }
}

/// What identifies a relation: an entity of one type in a source system, provisioned to one
/// target system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RelationKey<'a> {
    /// The source system's name.
    pub source_system: &'a str,
    /// The target system's name.
    pub target_system: &'a str,
    /// `user`, `group`, …
    pub entity_type: &'a str,
    /// The entity's id in the source (`entityIdSourceSystem`).
    pub source_id: &'a str,
}

impl<'a> RelationKey<'a> {
    /// The key of `source_id`'s relation from `source_system` to `target_system`.
    pub fn new(
        source_system: &'a str,
        target_system: &'a str,
        entity_type: &'a str,
        source_id: &'a str,
    ) -> Self {
        Self {
            source_system,
            target_system,
            entity_type,
            source_id,
        }
    }
}

impl fmt::Display for RelationKey<'_> {
    /// `user "42" from "IAS Source" to "IAS Target"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:?} from {:?} to {:?}",
            self.entity_type, self.source_id, self.source_system, self.target_system
        )
    }
}

/// One stored relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The source system's name.
    pub source_system: String,
    /// The target system's name.
    pub target_system: String,
    /// `user`, `group`, …
    pub entity_type: String,
    /// The entity's id in the source (`entityIdSourceSystem`).
    pub source_id: String,
    /// The entity's id in the target (`entityIdTargetSystem`); none while `creating`.
    pub target_id: Option<String>,
    /// The entity was in the target before IPS first provisioned it (§2.3): it is deleted only
    /// with `ips.delete.existedbefore.entities=true`.
    pub existed_before: bool,
    /// What was last written, as the caller fingerprinted it; none while `creating`.
    pub fingerprint: Option<String>,
    /// Where the relation stands.
    pub state: RelationState,
    /// The unique-attribute values the create used, as the caller encoded them: what a job
    /// looks the entity up by when a create's answer was lost.
    pub unique_key: Option<String>,
    /// When the relation last changed (the store's clock).
    pub updated: Timestamp,
}

impl Relation {
    /// The relation's key.
    pub fn key(&self) -> RelationKey<'_> {
        RelationKey::new(
            &self.source_system,
            &self.target_system,
            &self.entity_type,
            &self.source_id,
        )
    }

    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            source_system: row.get(0)?,
            target_system: row.get(1)?,
            entity_type: row.get(2)?,
            source_id: row.get(3)?,
            target_id: row.get(4)?,
            existed_before: row.get(5)?,
            fingerprint: row.get(6)?,
            state: row.get(7)?,
            unique_key: row.get(8)?,
            updated: row.get::<_, Time>(9)?.0,
        })
    }
}

/// `SELECT <every relation column> FROM relation <rest>`.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT source_system, target_system, entity_type, source_id, target_id, \
             existed_before, fingerprint, state, unique_key, updated FROM relation ",
            $rest
        )
    };
}

const KEY: &str =
    "source_system = ?1 AND target_system = ?2 AND entity_type = ?3 AND source_id = ?4";

impl Store {
    /// The relation with `key`, if there is one.
    pub fn relation(&self, key: &RelationKey<'_>) -> Result<Option<Relation>, StoreError> {
        self.conn()
            .prepare_cached(select!(
                "WHERE source_system = ?1 AND target_system = ?2 AND entity_type = ?3 \
                 AND source_id = ?4"
            ))
            .and_then(|mut stmt| {
                stmt.query_row(key_params(key), Relation::from_row)
                    .optional()
            })
            .map_err(self.fail_with(|| format!("reading the relation of {key}")))
    }

    /// Every relation of `entity_type` from `source_system` to `target_system`, in any state,
    /// ordered by source id.
    pub fn relations(
        &self,
        source_system: &str,
        target_system: &str,
        entity_type: &str,
    ) -> Result<Vec<Relation>, StoreError> {
        self.conn()
            .prepare_cached(select!(
                "WHERE source_system = ?1 AND target_system = ?2 AND entity_type = ?3 \
                 ORDER BY source_id"
            ))
            .and_then(|mut stmt| {
                stmt.query_map(
                    params![source_system, target_system, entity_type],
                    Relation::from_row,
                )?
                .collect()
            })
            .map_err(self.fail_with(|| {
                format!("reading the {entity_type} relations from {source_system:?} to {target_system:?}")
            }))
    }

    /// The relations from `source_system` to `target_system` that are not `provisioned` — what
    /// a job resolves before it starts (crash recovery): `creating` ones by looking the entity
    /// up by its unique key, `deleting` ones by deleting again, `queued_for_deletion` ones by
    /// retrying the delete. Ordered by entity type, then source id.
    pub fn pending(
        &self,
        source_system: &str,
        target_system: &str,
    ) -> Result<Vec<Relation>, StoreError> {
        self.conn()
            .prepare_cached(select!(
                "WHERE source_system = ?1 AND target_system = ?2 AND state <> 'provisioned' \
                 ORDER BY entity_type, source_id"
            ))
            .and_then(|mut stmt| {
                stmt.query_map(params![source_system, target_system], Relation::from_row)?
                    .collect()
            })
            .map_err(self.fail_with(|| {
                format!("reading the pending relations from {source_system:?} to {target_system:?}")
            }))
    }

    /// The relations of `entity_type` in `target_system` whose target id is `target_id`:
    /// usually one, several when source duplicates were merged into one target entity (§2.3,
    /// many-to-one). A job checks this before deleting a target entity another relation still
    /// points to, and after finding a `creating` entity by its unique key.
    pub fn by_target_id(
        &self,
        target_system: &str,
        entity_type: &str,
        target_id: &str,
    ) -> Result<Vec<Relation>, StoreError> {
        self.conn()
            .prepare_cached(select!(
                "WHERE target_system = ?1 AND entity_type = ?2 AND target_id = ?3 \
                 ORDER BY source_system, source_id"
            ))
            .and_then(|mut stmt| {
                stmt.query_map(
                    params![target_system, entity_type, target_id],
                    Relation::from_row,
                )?
                .collect()
            })
            .map_err(self.fail_with(|| {
                format!("reading the relations of {entity_type} {target_id:?} in {target_system:?}")
            }))
    }

    /// The target id of `source_id` of `entity_type`, provisioned from `source_system` to
    /// `target_system` — what `resolveEntityIds` reads (§2.3). Only `provisioned` relations
    /// resolve (**proposed**: an entity being created, deleted or queued for deletion is not a
    /// member to write).
    pub fn target_id(
        &self,
        source_system: &str,
        target_system: &str,
        entity_type: &str,
        source_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let key = RelationKey::new(source_system, target_system, entity_type, source_id);
        self.conn()
            .prepare_cached(
                "SELECT target_id FROM relation WHERE source_system = ?1 AND target_system = ?2 \
                 AND entity_type = ?3 AND source_id = ?4 AND state = 'provisioned'",
            )
            .and_then(|mut stmt| {
                stmt.query_row(key_params(&key), |row| row.get(0))
                    .optional()
            })
            .map_err(self.fail_with(|| format!("resolving the target id of {key}")))
    }

    /// Source id → target id of every `provisioned` relation of `entity_type` from
    /// `source_system` to `target_system`: one query, for resolving ids of many entities (see
    /// also [`Store::resolver`]).
    pub fn id_map(
        &self,
        source_system: &str,
        target_system: &str,
        entity_type: &str,
    ) -> Result<HashMap<String, String>, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT source_id, target_id FROM relation WHERE source_system = ?1 \
                 AND target_system = ?2 AND entity_type = ?3 AND state = 'provisioned'",
            )
            .and_then(|mut stmt| {
                stmt.query_map(params![source_system, target_system, entity_type], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect()
            })
            .map_err(self.fail_with(|| {
                format!("reading the {entity_type} ids from {source_system:?} to {target_system:?}")
            }))
    }

    /// Records that a create is about to be sent (call and let it commit **before** the POST):
    /// the relation becomes `creating` with the unique-attribute values the create uses. On a
    /// relation already `creating` (a retry) it replaces the unique key.
    ///
    /// Fails with [`StoreError::WrongState`] when the relation exists in another state.
    pub fn begin_create(
        &self,
        key: &RelationKey<'_>,
        unique_key: Option<&str>,
    ) -> Result<(), StoreError> {
        let changed = self
            .conn()
            .prepare_cached(
                "INSERT INTO relation (source_system, target_system, entity_type, source_id, \
                 state, unique_key, updated) VALUES (?1, ?2, ?3, ?4, 'creating', ?5, ?6) \
                 ON CONFLICT DO UPDATE SET unique_key = excluded.unique_key, \
                 updated = excluded.updated WHERE state = 'creating'",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    key.source_system,
                    key.target_system,
                    key.entity_type,
                    key.source_id,
                    unique_key,
                    Time(self.now()),
                ])
            })
            .map_err(self.fail_with(|| format!("recording the create of {key}")))?;
        self.changed_or_explain(changed, key, "begin a create")
    }

    /// Records that the target created the entity (call after its answer): the relation becomes
    /// `provisioned` with the target id, the fingerprint of what was written, and whether the
    /// entity existed before (§2.3: a conflict resolved by the unique attribute, or a
    /// `skipOperations: ["create"]` update of a found entity). Works with or without a
    /// preceding [`Store::begin_create`]; the unique key recorded there is kept.
    ///
    /// Fails with [`StoreError::WrongState`] when the relation exists and is not `creating`.
    pub fn record_created(
        &self,
        key: &RelationKey<'_>,
        target_id: &str,
        fingerprint: &str,
        existed_before: bool,
    ) -> Result<(), StoreError> {
        let changed = self
            .conn()
            .prepare_cached(
                "INSERT INTO relation (source_system, target_system, entity_type, source_id, \
                 target_id, fingerprint, existed_before, state, updated) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'provisioned', ?8) \
                 ON CONFLICT DO UPDATE SET target_id = excluded.target_id, \
                 fingerprint = excluded.fingerprint, existed_before = excluded.existed_before, \
                 state = 'provisioned', updated = excluded.updated WHERE state = 'creating'",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    key.source_system,
                    key.target_system,
                    key.entity_type,
                    key.source_id,
                    target_id,
                    fingerprint,
                    existed_before,
                    Time(self.now()),
                ])
            })
            .map_err(self.fail_with(|| format!("recording the creation of {key}")))?;
        self.changed_or_explain(changed, key, "record a creation")
    }

    /// Records that the target was updated with what `fingerprint` describes: the relation
    /// becomes (or stays) `provisioned`. An entity `deleting` or `queued_for_deletion` that is
    /// written again (it came back to the source) is `provisioned` again.
    ///
    /// Fails with [`StoreError::NoRelation`], or [`StoreError::WrongState`] while `creating`.
    pub fn record_written(
        &self,
        key: &RelationKey<'_>,
        fingerprint: &str,
    ) -> Result<(), StoreError> {
        let changed = self
            .conn()
            .prepare_cached(
                "UPDATE relation SET fingerprint = ?5, state = 'provisioned', updated = ?6 \
                 WHERE source_system = ?1 AND target_system = ?2 AND entity_type = ?3 \
                 AND source_id = ?4 AND state <> 'creating'",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    key.source_system,
                    key.target_system,
                    key.entity_type,
                    key.source_id,
                    fingerprint,
                    Time(self.now()),
                ])
            })
            .map_err(self.fail_with(|| format!("recording the update of {key}")))?;
        self.changed_or_explain(changed, key, "record an update")
    }

    /// Records that a delete is about to be sent (call and let it commit **before** the
    /// DELETE): the relation becomes `deleting`.
    ///
    /// Fails with [`StoreError::NoRelation`], or [`StoreError::WrongState`] while `creating`.
    pub fn begin_delete(&self, key: &RelationKey<'_>) -> Result<(), StoreError> {
        self.set_state(key, RelationState::Deleting, "begin a delete")
    }

    /// Records that the entity is up for deletion but was not deleted (delete threshold
    /// exceeded, the delete failed): the relation becomes `queued_for_deletion`, and later
    /// jobs retry it (§2.4).
    ///
    /// Fails with [`StoreError::NoRelation`], or [`StoreError::WrongState`] while `creating`.
    pub fn queue_for_deletion(&self, key: &RelationKey<'_>) -> Result<(), StoreError> {
        self.set_state(key, RelationState::QueuedForDeletion, "queue a deletion")
    }

    /// Records that the target deleted the entity (or answered that it was gone): the relation
    /// is removed. Returns whether there was one.
    pub fn record_deleted(&self, key: &RelationKey<'_>) -> Result<bool, StoreError> {
        self.remove(key)
            .map_err(self.fail_with(|| format!("recording the deletion of {key}")))
    }

    /// Removes the relation without implying anything about the target — for a `creating`
    /// relation whose entity the target turned out not to have, say. Returns whether there was
    /// one.
    pub fn forget(&self, key: &RelationKey<'_>) -> Result<bool, StoreError> {
        self.remove(key)
            .map_err(self.fail_with(|| format!("forgetting the relation of {key}")))
    }

    fn remove(&self, key: &RelationKey<'_>) -> rusqlite::Result<bool> {
        let mut stmt = self.conn().prepare_cached(
            "DELETE FROM relation WHERE source_system = ?1 AND target_system = ?2 \
             AND entity_type = ?3 AND source_id = ?4",
        )?;
        Ok(stmt.execute(key_params(key))? > 0)
    }

    fn set_state(
        &self,
        key: &RelationKey<'_>,
        state: RelationState,
        operation: &'static str,
    ) -> Result<(), StoreError> {
        let changed = self
            .conn()
            .prepare_cached(
                "UPDATE relation SET state = ?5, updated = ?6 WHERE source_system = ?1 \
                 AND target_system = ?2 AND entity_type = ?3 AND source_id = ?4 \
                 AND state <> 'creating'",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    key.source_system,
                    key.target_system,
                    key.entity_type,
                    key.source_id,
                    state,
                    Time(self.now()),
                ])
            })
            .map_err(self.fail_with(|| format!("recording the state {state} of {key}")))?;
        self.changed_or_explain(changed, key, operation)
    }

    /// `Ok` when a statement changed the relation; otherwise the reason it did not.
    fn changed_or_explain(
        &self,
        changed: usize,
        key: &RelationKey<'_>,
        operation: &'static str,
    ) -> Result<(), StoreError> {
        if changed > 0 {
            return Ok(());
        }
        let state: Option<RelationState> = self
            .conn()
            .prepare_cached(&format!("SELECT state FROM relation WHERE {KEY}"))
            .and_then(|mut stmt| stmt.query_row(key_params(key), |row| row.get(0)).optional())
            .map_err(self.fail_with(|| format!("reading the relation of {key}")))?;
        Err(match state {
            Some(state) => StoreError::WrongState {
                key: key.to_string(),
                operation,
                state,
            },
            None => StoreError::NoRelation {
                key: key.to_string(),
            },
        })
    }
}

fn key_params<'k>(key: &'k RelationKey<'_>) -> [&'k str; 4] {
    [
        key.source_system,
        key.target_system,
        key.entity_type,
        key.source_id,
    ]
}
