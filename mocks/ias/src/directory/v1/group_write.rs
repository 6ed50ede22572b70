//! The v1→v2 conversion of group writes: a v1 create or replace body, its custom extension and
//! its members (user ids or v1 group ids) written into the v2 group it becomes.

use std::collections::{BTreeSet, HashSet};

use sapland_core::scim::ScimError;
use sapland_core::scim::schemas::{CORE_GROUP, CUSTOM_GROUP, SAP_GROUP};
use serde_json::{Map, Value, json};

use super::errors::bad_value;
use super::paths::set_at;
use super::values::{check_schemas, text};
use crate::directory::Directory;

/// The most members a v1 group may be created with ([DOC]).
const MAX_MEMBERS_AT_CREATION: usize = 20_000;

/// The most groups a user may belong to ([DOC]).
const MAX_GROUPS_PER_USER: usize = 500;

impl Directory {
    /// Writes a v1 group body into a v2 group object (empty for a create, the stored group for
    /// a replace, `existing` then naming it).
    pub(super) fn apply_group_body(
        &self,
        group: &mut Map<String, Value>,
        body: &Map<String, Value>,
        existing: Option<&str>,
    ) -> Result<(), ScimError> {
        let mut members = Vec::new();
        let mut custom = None;
        for (key, value) in body {
            match key.as_str() {
                "schemas" => check_schemas(value, &[CORE_GROUP, CUSTOM_GROUP])?,
                "id" | "meta" | "displayName" => {}
                "members" => members = self.v1_members(value, existing)?,
                CUSTOM_GROUP => custom = Some(group_extension(value)?),
                other => {
                    return Err(bad_value(format!(
                        "Unknown attribute {other}: the SCIM REST API (v1) has no such group attribute (names are case-sensitive)"
                    )));
                }
            }
        }
        let display_name = match body.get("displayName") {
            Some(Value::String(name)) if !name.trim().is_empty() => name,
            None | Some(Value::Null) | Some(Value::String(_)) => {
                return Err(bad_value("displayName is required"));
            }
            Some(other) => {
                return Err(bad_value(format!(
                    "displayName must be a string, got {other}"
                )));
            }
        };
        set_at(group, &["displayName"], Some(display_name.clone().into()));
        let members = (!members.is_empty()).then_some(Value::Array(members));
        set_at(group, &["members"], members);
        let (name, description) = custom.unwrap_or((None, None));
        if existing.is_some() && description.is_some() && name.is_none() {
            return Err(bad_value(format!(
                "{CUSTOM_GROUP}:description requires {CUSTOM_GROUP}:name"
            )));
        }
        if let Some(name) = name {
            set_at(group, &[CUSTOM_GROUP, "name"], Some(name.into()));
        }
        if let Some(description) = description {
            let value = (!description.is_empty()).then(|| description.into());
            set_at(group, &[CUSTOM_GROUP, "description"], value);
        }
        Ok(())
    }

    /// v1 members (user ids or v1 group ids) as v2 members; every one must exist.
    fn v1_members(&self, value: &Value, group: Option<&str>) -> Result<Vec<Value>, ScimError> {
        let items = match value {
            Value::Null => return Ok(Vec::new()),
            Value::Array(items) => items,
            other => {
                return Err(bad_value(format!(
                    "members must be a list of {{\"value\": <user id>}}, got {other}"
                )));
            }
        };
        if group.is_none() && items.len() > MAX_MEMBERS_AT_CREATION {
            return Err(bad_value(format!(
                "A group can be created with at most {MAX_MEMBERS_AT_CREATION} members, got {}",
                items.len()
            )));
        }
        let mut seen = HashSet::new();
        let mut members = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Value::Object(fields) = item else {
                return Err(bad_value(format!(
                    "members[{i}] must be an object with the member's id as value, got {item}"
                )));
            };
            if let Some(key) = fields
                .keys()
                .find(|k| !["value", "display", "$ref", "type"].contains(&k.as_str()))
            {
                return Err(bad_value(format!("Unknown attribute members[{i}].{key}")));
            }
            let Some(Value::String(id)) = fields.get("value") else {
                return Err(bad_value(format!(
                    "members[{i}].value must be a user id such as P000001"
                )));
            };
            let (uuid, kind) = if let Some(uuid) = self.v1_user_uuid(id) {
                (uuid, "User")
            } else if let Some(uuid) = self.v1_group_uuid(id) {
                if Some(uuid) == group {
                    return Err(bad_value("A group cannot be a member of itself"));
                }
                (uuid, "Group")
            } else {
                return Err(bad_value(format!(
                    "members[{i}].value: no user or group {id} exists"
                )));
            };
            if !seen.insert(uuid) {
                continue;
            }
            if kind == "User" {
                let groups = self.memberships.get(uuid);
                let already = group.is_some_and(|g| groups.is_some_and(|gs| gs.contains(g)));
                if !already && groups.map_or(0, BTreeSet::len) >= MAX_GROUPS_PER_USER {
                    return Err(bad_value(format!(
                        "The user {id} already belongs to {MAX_GROUPS_PER_USER} groups, the most a user can belong to"
                    )));
                }
            }
            members.push(json!({ "value": uuid, "type": kind }));
        }
        Ok(members)
    }
}

/// A group's custom extension in a v1 body: `name` and `description`; `groupId` is read-only.
fn group_extension(value: &Value) -> Result<(Option<String>, Option<String>), ScimError> {
    let extension = match value {
        Value::Null => return Ok((None, None)),
        Value::Object(extension) => extension,
        other => {
            return Err(bad_value(format!(
                "{CUSTOM_GROUP} must be an object, got {other}"
            )));
        }
    };
    let mut name = None;
    let mut description = None;
    for (key, value) in extension {
        let label = format!("{CUSTOM_GROUP}:{key}");
        match key.as_str() {
            "name" => name = text(&label, value)?.filter(|n| !n.is_empty()),
            "description" => description = text(&label, value)?,
            "groupId" => {}
            _ => {
                return Err(bad_value(format!(
                    "Unknown attribute {label}: the extension has name, description, groupId"
                )));
            }
        }
    }
    Ok((name.map(str::to_string), description.map(str::to_string)))
}

/// Sets a v2 group's `schemas` to core plus the extensions it holds.
pub(super) fn set_group_schemas(group: &mut Map<String, Value>) {
    let mut schemas = vec![Value::from(CORE_GROUP)];
    for urn in [CUSTOM_GROUP, SAP_GROUP] {
        if group.keys().any(|k| k.eq_ignore_ascii_case(urn)) {
            schemas.push(urn.into());
        }
    }
    group.insert("schemas".into(), Value::Array(schemas));
}

#[cfg(test)]
mod tests {
    use sapland_core::scim::schemas::CUSTOM_GROUP;
    use serde_json::json;

    use crate::directory::v1::fixtures::{URL, create, directory, now, query, status_and_detail};
    use crate::directory::v1::operations::MISMATCHED_GROUP_ID;

    #[test]
    fn groups_have_a_legacy_id_a_group_id_and_user_ids_as_members() {
        let mut directory = directory();
        let amy = create(&mut directory, "amy", "amy@example.com");
        let group = directory
            .v1_create_group(
                json!({"displayName": "Administrators", "members": [{"value": amy}],
                       CUSTOM_GROUP: {"description": "admins"}}),
                now(),
            )
            .expect("created");
        let id = group["id"].as_str().expect("an id");
        assert_eq!(id.len(), 24);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        let uuid = group[CUSTOM_GROUP]["groupId"].as_str().expect("a groupId");
        assert_eq!(group[CUSTOM_GROUP]["name"], "Administrators");
        assert_eq!(group[CUSTOM_GROUP]["description"], "admins");
        assert_eq!(
            group["members"],
            json!([{"value": "P000001", "$ref": "https://target.example/service/scim/Users/P000001", "display": "amy"}])
        );
        assert_eq!(
            group["meta"]["location"],
            format!("{URL}/service/scim/Groups/{id}")
        );
        let v2 = directory.group(uuid).expect("visible in v2");
        assert_eq!(v2[CUSTOM_GROUP]["additionalId"], json!(id));
        let amy_v1 = directory.v1_user(&amy).expect("amy");
        assert_eq!(amy_v1["groups"][0]["value"], json!(id));
        assert_eq!(amy_v1["groups"][0]["display"], "Administrators");
        let list = directory
            .v1_list_users(&query(&[("filter", "groups eq \"Administrators\"")]))
            .expect("a list");
        assert_eq!(list["totalResults"], 1);

        let error = directory
            .v1_create_group(json!({"displayName": "administrators"}), now())
            .expect_err("name exists");
        assert_eq!(error.status_code(), Some(409));
        let error = directory
            .v1_create_group(
                json!({"displayName": "X", "members": [{"value": "P000077"}]}),
                now(),
            )
            .expect_err("no such member");
        assert_eq!(
            status_and_detail(&error),
            (
                400,
                "members[0].value: no user or group P000077 exists".into()
            )
        );
        assert_eq!(directory.group_count(), 1);
    }

    #[test]
    fn group_put_needs_the_path_id_and_replaces_the_members() {
        let mut directory = directory();
        let amy = create(&mut directory, "amy", "amy@example.com");
        let group = directory
            .v1_create_group(
                json!({"displayName": "Devs", "members": [{"value": amy}]}),
                now(),
            )
            .expect("created");
        let id = group["id"].as_str().expect("an id").to_string();
        let error = directory
            .v1_replace_group(
                &id,
                json!({"id": "000000000000000000000000", "displayName": "Devs"}),
                now(),
            )
            .expect_err("mismatch");
        let (status, detail) = status_and_detail(&error);
        assert_eq!(status, 400);
        assert!(detail.starts_with(MISMATCHED_GROUP_ID), "{detail}");
        let error = directory
            .v1_replace_group(&id, json!({"displayName": "Devs"}), now())
            .expect_err("no id");
        assert!(status_and_detail(&error).1.starts_with(MISMATCHED_GROUP_ID));
        let error = directory
            .v1_replace_group(
                &id,
                json!({"id": id, "displayName": "Devs", CUSTOM_GROUP: {"description": "d"}}),
                now(),
            )
            .expect_err("description without name");
        assert!(status_and_detail(&error).1.contains("description requires"));
        assert_eq!(directory.v1_group(&id).expect("read"), group);

        let replaced = directory
            .v1_replace_group(&id, json!({"id": id, "displayName": "Developers"}), now())
            .expect("replaced");
        assert!(
            replaced.get("members").is_none(),
            "absent members are all removed: {replaced}"
        );
        assert_eq!(replaced[CUSTOM_GROUP]["name"], "Devs", "the name stays");
        assert!(
            directory
                .v1_user(&amy)
                .expect("amy")
                .get("groups")
                .is_none()
        );
        let error = directory
            .v1_replace_group(
                "ffffffffffffffffffffffff",
                json!({"id": "ffffffffffffffffffffffff", "displayName": "X"}),
                now(),
            )
            .expect_err("missing");
        assert_eq!(error.status_code(), Some(404));
    }
}
