//! A target system as a job writes to it (`reference/ips-ias.md` §2.4): its write
//! transformation, its SCIM client, and the properties that decide how creates, updates and
//! deletes are sent.

use sapland_core::job::EntityType;
use sapland_core::scim::{BulkOperation, PatchRequest};
use sapland_core::system::IasApiVersion;
use sapland_scim::requests::{
    add_members, bulk_create, bulk_delete, bulk_update, remove_members, replace_all,
};
use sapland_scim::{Client, Dialect, Error, ResourceType, UniqueAttribute};
use sapland_transform::engine::Engine;
use serde_json::Value;

use sapland_systems::{Connector, System};

use crate::error::ProvisionError;

/// The custom group extension, whose `name` is IAS v2's default unique attribute of groups.
const CUSTOM_GROUP: &str = "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group";

/// A target system ready for writing.
#[derive(Debug)]
pub struct Target {
    /// The system's name.
    pub name: String,
    /// Its write transformation, with its properties substituted.
    pub engine: Engine,
    /// Its SCIM client.
    pub client: Client,
    /// How updates are sent: PATCH (`ias.support.patch.operation` / `scim.support.patch.operation`)
    /// or PUT.
    pub patch_updates: bool,
    /// `ias.user.update.instead.delete`: `deleteEntity` mappings are sent as a PATCH.
    pub update_instead_of_delete: bool,
    /// `ias.user.automatic.conflict.resolution` (default true).
    pub conflict_resolution: bool,
    /// `ips.delete.existedbefore.entities`.
    pub delete_existed_before: bool,
    /// `ias.support.bulk.operation`: creates, updates and deletes go through `/Bulk` (IAS v2).
    pub bulk: bool,
    /// How many requests a job keeps in flight to this target ([`IN_FLIGHT_PROPERTY`]).
    pub in_flight: usize,
    unique_users: Vec<UniqueAttribute>,
    unique_groups: Vec<UniqueAttribute>,
    thresholds: (Option<u64>, Option<u64>),
    /// `ias.patch.group.members.above.threshold`: more members than this go in PATCH batches
    /// of this size (IAS v2; [DOC] §2.4).
    members_threshold: usize,
}

/// sapland's property for how many requests a job keeps in flight to a target (**proposed**):
/// 1 to 50 (IAS's concurrent requests from one address, `reference/ips-ias.md` §3.6), default
/// [`CONCURRENCY`](crate::job::CONCURRENCY); the system catalogue refuses other values when the
/// systems are read.
pub const IN_FLIGHT_PROPERTY: &str = "sapland.requests.in.flight";

/// IPS's default `ias.patch.group.members.above.threshold` ([DOC] §2.4).
pub const MEMBERS_THRESHOLD: usize = 20_000;
/// IPS removes at most this many members with one PATCH ([DOC] §2.4).
pub const REMOVALS_PER_PATCH: usize = 50;

impl Target {
    /// The target `system`, writing through `client`.
    pub fn new(system: &System, client: Client) -> Result<Target, ProvisionError> {
        let resolved = &system.resolved;
        let v1 = system.connector() == Connector::Ias(IasApiVersion::V1);
        let prefixed = |key: &str| {
            let (first, second) = if v1 {
                (format!("scim.{key}"), format!("ias.{key}"))
            } else {
                (format!("ias.{key}"), format!("scim.{key}"))
            };
            resolved
                .value(&first)
                .or_else(|| resolved.value(&second))
                .map(str::to_string)
        };
        let unique = |key: &str, default: &str| -> Result<Vec<UniqueAttribute>, ProvisionError> {
            let text = prefixed(key).unwrap_or_else(|| default.to_string());
            UniqueAttribute::parse_list(&text).map_err(|err| ProvisionError::Target {
                system: system.name().to_string(),
                reason: format!("{key}: {err}"),
            })
        };
        let group_default = if v1 {
            "displayName".to_string()
        } else {
            format!("['{CUSTOM_GROUP}']['name']")
        };
        let engine = Engine::new(&system.transformation, system.substitution_properties())
            .map_err(|err| ProvisionError::Transformation {
                system: system.name().to_string(),
                reason: err.to_string(),
            })?;
        let flag = |key: &str| prefixed(key).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let in_flight = resolved
            .value(IN_FLIGHT_PROPERTY)
            .and_then(|text| text.trim().parse::<usize>().ok())
            .filter(|n| *n >= 1)
            .unwrap_or(crate::job::CONCURRENCY);
        Ok(Target {
            name: system.name().to_string(),
            engine,
            patch_updates: !v1 && flag("support.patch.operation"),
            update_instead_of_delete: flag("user.update.instead.delete"),
            conflict_resolution: !prefixed("user.automatic.conflict.resolution")
                .is_some_and(|v| v.eq_ignore_ascii_case("false")),
            delete_existed_before: resolved.flag("ips.delete.existedbefore.entities"),
            bulk: !v1 && flag("support.bulk.operation"),
            in_flight,
            unique_users: unique("user.unique.attribute", "userName")?,
            unique_groups: unique("group.unique.attribute", &group_default)?,
            thresholds: (
                resolved.delete_threshold("users"),
                resolved.delete_threshold("groups"),
            ),
            members_threshold: prefixed("patch.group.members.above.threshold")
                .and_then(|v| v.trim().parse::<usize>().ok())
                .filter(|n| *n >= 1)
                .unwrap_or(MEMBERS_THRESHOLD),
            client,
        })
    }

    /// The SCIM dialect.
    pub fn dialect(&self) -> Dialect {
        self.client.dialect()
    }

    /// `ips.delete.threshold.users` / `.groups`.
    pub fn delete_threshold(&self, entity_type: EntityType) -> Option<u64> {
        match entity_type {
            EntityType::User => self.thresholds.0,
            EntityType::Group => self.thresholds.1,
        }
    }

    /// The unique attributes that find an existing entity on a conflict.
    pub fn unique_attributes(&self, entity_type: EntityType) -> &[UniqueAttribute] {
        match entity_type {
            EntityType::Group => &self.unique_groups,
            EntityType::User => &self.unique_users,
        }
    }

    /// The SCIM filter that finds `body` again by the unique attributes (kept with a pending
    /// create, to find the entity after a crash); `None` when `body` lacks one of them.
    pub fn unique_key(&self, entity_type: EntityType, body: &Value) -> Option<String> {
        UniqueAttribute::filter_for(self.unique_attributes(entity_type), body)
            .ok()
            .map(|filter| filter.as_str().to_string())
    }

    /// The entity in the target that holds the same unique values as `body`, if exactly one does.
    pub async fn find_existing(
        &self,
        entity_type: EntityType,
        body: &Value,
    ) -> Result<Option<String>, Error> {
        let found = self
            .client
            .find_unique(
                resource(entity_type),
                self.unique_attributes(entity_type),
                body,
            )
            .await?;
        Ok(match found.as_slice() {
            [one] => one.get("id").and_then(Value::as_str).map(str::to_string),
            _ => None,
        })
    }

    /// Creates the entity; the id the target gave it. A group with more members than
    /// `ias.patch.group.members.above.threshold` is created without them, and they follow in
    /// PATCH batches of that size ([DOC] §2.4).
    pub async fn create(&self, entity_type: EntityType, body: &Value) -> Result<String, Error> {
        let kind = resource(entity_type);
        if let Some((without, members)) = self.batched_members(entity_type, body) {
            let id = self.client.create_id(kind, &without).await?;
            self.add_members(&id, &members).await?;
            return Ok(id);
        }
        self.client.create_id(kind, body).await
    }

    /// Updates the entity: PUT, or a PATCH replacing every attribute the body holds when PATCH
    /// updates are on (then the transformation sent only mappings without a scope). A group
    /// with more members than the threshold gets its other attributes by PATCH and its members
    /// by PATCH batches: additions of up to the threshold, removals of up to 50 ([DOC] §2.4).
    pub async fn update(
        &self,
        entity_type: EntityType,
        id: &str,
        body: &Value,
    ) -> Result<(), Error> {
        let kind = resource(entity_type);
        if let Some((without, members)) = self.batched_members(entity_type, body) {
            let current = self.client.get(kind, id).await?;
            let current = member_ids(current.get("members"));
            self.client.patch(kind, id, &replace_all(&without)).await?;
            let wanted = member_ids(Some(&Value::Array(members.clone())));
            let added: Vec<Value> = members
                .into_iter()
                .filter(|m| {
                    m.get("value")
                        .and_then(Value::as_str)
                        .is_some_and(|v| !current.contains(v))
                })
                .collect();
            self.add_members(id, &added).await?;
            let removed: Vec<&String> = current.iter().filter(|v| !wanted.contains(*v)).collect();
            for batch in removed.chunks(REMOVALS_PER_PATCH) {
                let request = remove_members(batch.iter().map(|value| value.as_str()));
                self.client.patch(kind, id, &request).await?;
            }
            return Ok(());
        }
        if self.patch_updates {
            self.client
                .patch(kind, id, &replace_all(body))
                .await
                .map(|_| ())
        } else {
            self.client.replace(kind, id, body).await.map(|_| ())
        }
    }

    /// The `/Bulk` operation of a create, or `None` when the entity must be sent alone (a group
    /// whose members go in batches).
    pub fn bulk_create(&self, entity_type: EntityType, body: &Value) -> Option<BulkOperation> {
        self.batched_members(entity_type, body)
            .is_none()
            .then(|| bulk_create(resource(entity_type), body))
    }

    /// The `/Bulk` operation of an update (PUT, or PATCH when PATCH updates are on), or `None`
    /// when the entity must be sent alone.
    pub fn bulk_update(
        &self,
        entity_type: EntityType,
        id: &str,
        body: &Value,
    ) -> Option<BulkOperation> {
        if self.batched_members(entity_type, body).is_some() {
            return None;
        }
        Some(bulk_update(
            resource(entity_type),
            id,
            body,
            self.patch_updates,
        ))
    }

    /// The `/Bulk` operation of a delete.
    pub fn bulk_delete(&self, entity_type: EntityType, id: &str) -> BulkOperation {
        bulk_delete(resource(entity_type), id)
    }

    /// A group body with more members than the threshold, split into the body without
    /// members and the members (IAS v2 only: v1 has no PATCH).
    fn batched_members(
        &self,
        entity_type: EntityType,
        body: &Value,
    ) -> Option<(Value, Vec<Value>)> {
        if entity_type != EntityType::Group || !self.dialect().supports_patch() {
            return None;
        }
        let members = body.get("members")?.as_array()?;
        if members.len() <= self.members_threshold {
            return None;
        }
        let mut without = body.clone();
        without.as_object_mut()?.shift_remove("members");
        Some((without, members.clone()))
    }

    async fn add_members(&self, id: &str, members: &[Value]) -> Result<(), Error> {
        for batch in members.chunks(self.members_threshold) {
            self.client
                .patch(ResourceType::Group, id, &add_members(batch))
                .await?;
        }
        Ok(())
    }

    /// Sends what `deleteEntity` mappings built instead of a DELETE: with
    /// `ias.user.update.instead.delete` the body is the PATCH request (SAP's documented IAS v2
    /// "disable instead of delete"); otherwise it is sent as an update (**proposed**: SCIM v1's
    /// documented variant builds a PUT body).
    pub async fn update_instead_of_delete(
        &self,
        entity_type: EntityType,
        id: &str,
        body: &Value,
    ) -> Result<(), Error> {
        let kind = resource(entity_type);
        if self.update_instead_of_delete && self.dialect() != Dialect::IasV1 {
            let request: PatchRequest =
                serde_json::from_value(body.clone()).unwrap_or_else(|_| replace_all(body));
            self.client.patch(kind, id, &request).await.map(|_| ())
        } else {
            self.client.replace(kind, id, body).await.map(|_| ())
        }
    }

    /// Deletes the entity; one already gone counts as deleted.
    pub async fn delete(&self, entity_type: EntityType, id: &str) -> Result<(), Error> {
        match self.client.delete(resource(entity_type), id).await {
            Err(err) if err.is_not_found() => Ok(()),
            other => other,
        }
    }
}

/// The SCIM resource type of an entity type.
pub fn resource(entity_type: EntityType) -> ResourceType {
    match entity_type {
        EntityType::Group => ResourceType::Group,
        EntityType::User => ResourceType::User,
    }
}

/// The member ids (`value`s) of a `members` attribute.
fn member_ids(members: Option<&Value>) -> std::collections::HashSet<String> {
    members
        .and_then(Value::as_array)
        .map(|members| {
            members
                .iter()
                .filter_map(|m| m.get("value").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
