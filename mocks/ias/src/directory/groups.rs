//! Groups: members may be users or groups (nested groups, [DOC] §3.7 item 9); the custom
//! extension's `name` is unique in the tenant and defaults to `displayName`.

use jiff::Timestamp;
use sapland_core::scim::schemas::{CORE_GROUP, CUSTOM_GROUP, SAP_GROUP};
use sapland_core::scim::{Group, PatchOperation, ScimError, ScimType};
use serde_json::{Map, Value, json};

use super::{Directory, check_schemas, member, scim_error};
use crate::scim::patch::{self, PatchRules};
use crate::scim::path::AttrPath;

const GROUP_EXTENSIONS: &[&str] = &[CUSTOM_GROUP, SAP_GROUP];

impl Directory {
    /// `POST /Groups`: `displayName` required, members must exist ([REC] §3.4).
    pub fn create_group(&mut self, body: Value, now: Timestamp) -> Result<Value, ScimError> {
        self.unless_refused(|directory| directory.create_group_unguarded(body, now))
    }

    fn create_group_unguarded(&mut self, body: Value, now: Timestamp) -> Result<Value, ScimError> {
        let mut group = checked_group_body(body)?;
        let id = self.ids.uuid();
        let additional_id = self.ids.hex24();
        let legacy_ids = self.quirks.legacy_group_ids;
        {
            let object = group.as_object_mut().expect("checked to be an object");
            object.insert("id".into(), id.clone().into());
            let display_name = object.get("displayName").cloned();
            let custom = custom_extension(object);
            if legacy_ids {
                custom.insert("additionalId".into(), additional_id.into());
            }
            if custom
                .get("name")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
                && let Some(display_name) = display_name
            {
                custom.insert("name".into(), display_name);
            }
            if custom.is_empty() {
                object.remove(CUSTOM_GROUP);
            }
        }
        let created = Self::timestamp(now);
        self.finish_group(&mut group, &id, &created, &created)?;
        self.store_group(&id, None, group)?;
        Ok(self.groups[&id].clone())
    }

    /// `GET /Groups/{id}`.
    pub fn group(&self, id: &str) -> Result<Value, ScimError> {
        self.groups
            .get(id)
            .cloned()
            .ok_or_else(|| group_not_found(id))
    }

    /// `PUT /Groups/{id}`: replaces the group; `members` absent means no members.
    pub fn replace_group(
        &mut self,
        id: &str,
        body: Value,
        now: Timestamp,
    ) -> Result<Value, ScimError> {
        self.unless_refused(|directory| directory.replace_group_unguarded(id, body, now))
    }

    fn replace_group_unguarded(
        &mut self,
        id: &str,
        body: Value,
        now: Timestamp,
    ) -> Result<Value, ScimError> {
        let existing = self
            .groups
            .get(id)
            .ok_or_else(|| group_not_found(id))?
            .clone();
        let mut group = checked_group_body(body)?;
        if let Some(sent) = member(&group, "id").and_then(Value::as_str)
            && sent != id
        {
            return Err(scim_error(
                400,
                Some(ScimType::InvalidValue),
                format!("Mismatched group id: {sent} is not {id}"),
            ));
        }
        {
            let object = group.as_object_mut().expect("checked to be an object");
            object.insert("id".into(), id.into());
            if let Some(additional) =
                member(&existing, CUSTOM_GROUP).and_then(|c| member(c, "additionalId"))
            {
                custom_extension(object).insert("additionalId".into(), additional.clone());
            }
        }
        let created = created_of(&existing);
        self.finish_group(&mut group, id, &created, &Self::timestamp(now))?;
        self.store_group(id, Some(&existing), group)?;
        Ok(self.groups[id].clone())
    }

    /// `PATCH /Groups/{id}`: member adds and removes and attribute changes; all or nothing.
    pub fn patch_group(
        &mut self,
        id: &str,
        operations: &[PatchOperation],
        now: Timestamp,
    ) -> Result<(), ScimError> {
        self.unless_refused(|directory| directory.patch_group_unguarded(id, operations, now))
    }

    fn patch_group_unguarded(
        &mut self,
        id: &str,
        operations: &[PatchOperation],
        now: Timestamp,
    ) -> Result<(), ScimError> {
        let existing = self
            .groups
            .get(id)
            .ok_or_else(|| group_not_found(id))?
            .clone();
        let mut group = existing.clone();
        let rules = PatchRules {
            core_schema: CORE_GROUP,
            required: PatchRules::rfc_required(CORE_GROUP),
            read_only: [
                "id",
                "meta",
                "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group:additionalId",
            ]
            .iter()
            .map(|p| AttrPath::parse(p).expect("static paths parse"))
            .collect(),
        };
        patch::apply(&mut group, operations, &rules)
            .map_err(|err| scim_error(400, Some(err.scim_type), err.detail))?;
        let mut group = checked_group_body(group)?;
        let created = created_of(&existing);
        self.finish_group(&mut group, id, &created, &Self::timestamp(now))?;
        self.store_group(id, Some(&existing), group)
    }

    /// `DELETE /Groups/{id}`: removes the group and revokes all its member assignments.
    pub fn delete_group(&mut self, id: &str) -> Result<(), ScimError> {
        let group = self.groups.remove(id).ok_or_else(|| group_not_found(id))?;
        if let Some(name) = unique_name(&group) {
            self.group_names.remove(&name.to_lowercase());
        }
        for member in member_ids(&group) {
            if let Some(groups) = self.memberships.get_mut(&member) {
                groups.remove(id);
            }
        }
        self.remove_member_everywhere(id);
        Ok(())
    }

    /// Takes a deleted user or group out of every group's members.
    pub(super) fn remove_member_everywhere(&mut self, member_id: &str) {
        let Some(groups) = self.memberships.remove(member_id) else {
            return;
        };
        for group_id in groups {
            if let Some(Value::Array(members)) = self
                .groups
                .get_mut(&group_id)
                .and_then(|g| g.get_mut("members"))
            {
                members.retain(|m| member(m, "value").and_then(Value::as_str) != Some(member_id));
            }
        }
    }

    fn store_group(
        &mut self,
        id: &str,
        existing: Option<&Value>,
        group: Value,
    ) -> Result<(), ScimError> {
        let name = unique_name(&group)
            .map(str::to_lowercase)
            .filter(|n| !n.is_empty());
        if let Some(name) = &name
            && self.group_names.get(name).is_some_and(|owner| owner != id)
        {
            return Err(scim_error(
                409,
                Some(ScimType::Uniqueness),
                format!("A group with the name {name} already exists"),
            ));
        }
        for member_id in member_ids(&group) {
            if member_id == id {
                return Err(scim_error(
                    400,
                    Some(ScimType::InvalidValue),
                    "A group cannot be a member of itself",
                ));
            }
            if !self.users.contains_key(&member_id) && !self.groups.contains_key(&member_id) {
                return Err(scim_error(
                    400,
                    Some(ScimType::InvalidValue),
                    format!("Member {member_id} does not exist"),
                ));
            }
        }
        if let Some(existing) = existing {
            if let Some(old) = unique_name(existing) {
                self.group_names.remove(&old.to_lowercase());
            }
            for member_id in member_ids(existing) {
                if let Some(groups) = self.memberships.get_mut(&member_id) {
                    groups.remove(id);
                }
            }
        }
        if let Some(name) = name {
            self.group_names.insert(name, id.to_string());
        }
        for member_id in member_ids(&group) {
            self.memberships
                .entry(member_id)
                .or_default()
                .insert(id.to_string());
        }
        self.groups.insert(id.to_string(), group);
        Ok(())
    }

    fn finish_group(
        &mut self,
        group: &mut Value,
        id: &str,
        created: &str,
        modified: &str,
    ) -> Result<(), ScimError> {
        let display_name = member(group, "displayName")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if display_name.trim().is_empty() {
            return Err(scim_error(
                400,
                Some(ScimType::InvalidValue),
                "displayName is required",
            ));
        }
        let base_url = self.base_url.clone();
        let users = &self.users;
        let object = group.as_object_mut().expect("checked to be an object");
        if let Some(Value::Array(members)) = object.get_mut("members") {
            for entry in members.iter_mut() {
                let Value::Object(m) = entry else {
                    return Err(scim_error(
                        400,
                        Some(ScimType::InvalidValue),
                        "members must be objects with a value",
                    ));
                };
                let Some(value) = m.get("value").and_then(Value::as_str).map(str::to_string) else {
                    return Err(scim_error(
                        400,
                        Some(ScimType::InvalidValue),
                        "members[].value is required",
                    ));
                };
                let kind = if users.contains_key(&value) {
                    "User"
                } else {
                    "Group"
                };
                let kind = m
                    .get("type")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| kind.to_string());
                let collection = if kind == "Group" { "Groups" } else { "Users" };
                m.insert("type".into(), kind.into());
                m.insert(
                    "$ref".into(),
                    format!("{base_url}/scim/{collection}/{value}").into(),
                );
            }
        }

        let mut schemas = vec![Value::from(CORE_GROUP)];
        for urn in GROUP_EXTENSIONS {
            if object.contains_key(*urn) {
                schemas.push((*urn).into());
            }
        }
        object.insert("schemas".into(), Value::Array(schemas));
        let version = self.ids.uuid();
        object.insert(
            "meta".into(),
            json!({
                "created": created,
                "lastModified": modified,
                "location": format!("{}/scim/Groups/{id}", self.base_url),
                "resourceType": "Group",
                "version": version,
            }),
        );
        Ok(())
    }
}

fn checked_group_body(body: Value) -> Result<Value, ScimError> {
    check_schemas(&body, CORE_GROUP, GROUP_EXTENSIONS)?;
    if let Err(err) = sapland_core::json::from_str::<Group>(&body.to_string()) {
        return Err(scim_error(
            400,
            Some(ScimType::InvalidValue),
            format!("{}: {}", err.path, err.message),
        ));
    }
    Ok(body)
}

fn custom_extension(object: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let entry = object
        .entry(CUSTOM_GROUP)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut().expect("made an object above")
}

/// The group's unique name: the custom extension's `name`.
pub(super) fn unique_name(group: &Value) -> Option<&str> {
    member(group, CUSTOM_GROUP)
        .and_then(|c| member(c, "name"))
        .and_then(Value::as_str)
}

/// The ids of a group's members.
pub(super) fn member_ids(group: &Value) -> Vec<String> {
    member(group, "members")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| {
            member(m, "value")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect()
}

fn created_of(group: &Value) -> String {
    member(group, "meta")
        .and_then(|m| member(m, "created"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// [REC] `"Group <id> not found"`.
fn group_not_found(id: &str) -> ScimError {
    scim_error(404, None, format!("Group {id} not found"))
}
