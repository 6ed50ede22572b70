//! Users: create, read, replace, patch, delete, with IAS's rules.

use jiff::Timestamp;
use sapland_core::scim::schemas::{CORE_USER, CUSTOM_USER, ENTERPRISE_USER, SAP_USER};
use sapland_core::scim::{PatchOperation, ScimError, ScimType, User};
use serde_json::{Map, Value, json};

use super::{Directory, check_schemas, member, scim_error};
use crate::realtime::{self, Operation, UserChange};
use crate::scim::patch::{self, PatchRules};
use crate::scim::path::AttrPath;

/// Extension schemas a user may carry (besides the tenant's custom schemas).
const USER_EXTENSIONS: &[&str] = &[ENTERPRISE_USER, SAP_USER, CUSTOM_USER];

/// Characters IAS refuses in names ([DOC] §3.3/§3.4).
const FORBIDDEN_NAME_CHARS: &[char] = &['<', '>', ':'];

/// Create-only members of SAP's extension that are never stored.
const SAP_CREATE_ONLY: &[&str] = &["sendMail"];

impl Directory {
    /// `POST /Users`: validates, assigns ids and `meta`, and stores the user ([REC] §3.4).
    pub fn create_user(&mut self, body: Value, now: Timestamp) -> Result<Value, ScimError> {
        self.unless_refused(|directory| directory.create_user_unguarded(body, now))
    }

    fn create_user_unguarded(&mut self, body: Value, now: Timestamp) -> Result<Value, ScimError> {
        let mut user = checked_user_body(body)?;
        let id = self.ids.uuid();
        let user_id = sapland_mock_kit::ids::p_user_id(self.next_user_number);
        let created = Self::timestamp(now);
        {
            let object = user.as_object_mut().expect("checked to be an object");
            object.remove("id");
            object.remove("groups");
            object.insert("id".into(), id.clone().into());
            if self.quirks.sap_user_extension {
                let sap = sap_extension(object);
                sap.insert("userId".into(), user_id.into());
                sap.insert("userUuid".into(), id.clone().into());
            }
        }
        self.finish_user(&mut user, &id, &created, &created)?;
        if let Some(attribute) = self.identifiers.conflict(&id, &user, &self.uniqueness) {
            return Err(uniqueness_error(attribute));
        }
        self.next_user_number += 1;
        self.identifiers.insert(&id, &user, &self.uniqueness);
        self.store(&id, &user);
        realtime::record(|| UserChange::written(self, Operation::Create, &id));
        Ok(self.served_user(&id).expect("just stored"))
    }

    /// `GET /Users/{id}`: the user with its derived `groups`.
    pub fn user(&self, id: &str) -> Result<Value, ScimError> {
        self.served_user(id).ok_or_else(|| user_not_found(id))
    }

    /// `PUT /Users/{id}`: replaces every attribute; what is not sent is erased, except what the
    /// server owns (`id`, `meta.created`, `userId`, `userUuid`).
    pub fn replace_user(
        &mut self,
        id: &str,
        body: Value,
        now: Timestamp,
    ) -> Result<Value, ScimError> {
        self.unless_refused(|directory| directory.replace_user_unguarded(id, body, now))
    }

    fn replace_user_unguarded(
        &mut self,
        id: &str,
        body: Value,
        now: Timestamp,
    ) -> Result<Value, ScimError> {
        let existing = self.stored(id).ok_or_else(|| user_not_found(id))?;
        let mut user = checked_user_body(body)?;
        if let Some(sent) = member(&user, "id").and_then(Value::as_str)
            && sent != id
        {
            return Err(scim_error(
                400,
                Some(ScimType::InvalidValue),
                format!("The id {sent} in the body does not match the user {id}"),
            ));
        }
        {
            let object = user.as_object_mut().expect("checked to be an object");
            object.remove("groups");
            object.remove("password");
            object.insert("id".into(), id.into());
            let sap = sap_extension(object);
            for owned in ["userId", "userUuid"] {
                if let Some(value) = member(&existing, SAP_USER).and_then(|s| member(s, owned)) {
                    sap.insert(owned.into(), value.clone());
                }
            }
        }
        let created = created_of(&existing);
        self.finish_user(&mut user, id, &created, &Self::timestamp(now))?;
        self.store_replacement(id, &existing, user)?;
        realtime::record(|| UserChange::written(self, Operation::Update, id));
        Ok(self.served_user(id).expect("just stored"))
    }

    /// `PATCH /Users/{id}`: applies the operations; on any error the user is unchanged.
    pub fn patch_user(
        &mut self,
        id: &str,
        operations: &[PatchOperation],
        now: Timestamp,
    ) -> Result<(), ScimError> {
        self.unless_refused(|directory| directory.patch_user_unguarded(id, operations, now))
    }

    fn patch_user_unguarded(
        &mut self,
        id: &str,
        operations: &[PatchOperation],
        now: Timestamp,
    ) -> Result<(), ScimError> {
        let existing = self.stored(id).ok_or_else(|| user_not_found(id))?;
        let mut user = existing.clone();
        let required = if self.uniqueness.user_name_required {
            vec!["schemas", "userName"]
        } else {
            vec!["schemas"]
        };
        let rules = PatchRules {
            core_schema: CORE_USER,
            required,
            read_only: [
                "id",
                "meta",
                "groups",
                "urn:ietf:params:scim:schemas:extension:sap:2.0:User:userId",
                "urn:ietf:params:scim:schemas:extension:sap:2.0:User:userUuid",
            ]
            .iter()
            .map(|p| AttrPath::parse(p).expect("static paths parse"))
            .collect(),
        };
        patch::apply(&mut user, operations, &rules)
            .map_err(|err| scim_error(400, Some(err.scim_type), err.detail))?;
        if self.quirks.primary_email_normalization {
            normalize_primary_email(&mut user);
        }
        if self.quirks.sap_user_extension {
            follow_the_changed_side(&existing, &mut user);
        }
        let mut user = checked_user_body(user)?;
        let created = created_of(&existing);
        self.finish_user(&mut user, id, &created, &Self::timestamp(now))?;
        self.store_replacement(id, &existing, user)?;
        realtime::record(|| UserChange::written(self, Operation::Update, id));
        Ok(())
    }

    /// `DELETE /Users/{id}`: removes the user and all its group memberships.
    pub fn delete_user(&mut self, id: &str) -> Result<(), ScimError> {
        let user = self
            .users
            .remove(id)
            .ok_or_else(|| user_not_found(id))?
            .value();
        self.identifiers.remove(id, &user, &self.uniqueness);
        self.remove_member_everywhere(id);
        realtime::record(|| UserChange::deleted(id, &user));
        Ok(())
    }

    fn store_replacement(
        &mut self,
        id: &str,
        existing: &Value,
        user: Value,
    ) -> Result<(), ScimError> {
        if let Some(attribute) = self.identifiers.conflict(id, &user, &self.uniqueness) {
            return Err(uniqueness_error(attribute));
        }
        self.identifiers.remove(id, existing, &self.uniqueness);
        self.identifiers.insert(id, &user, &self.uniqueness);
        self.store(id, &user);
        Ok(())
    }

    /// Rules every stored user satisfies: required identifiers, forbidden characters, the
    /// status/active coupling, SAP's email view, `schemas` and `meta`.
    fn finish_user(
        &mut self,
        user: &mut Value,
        id: &str,
        created: &str,
        modified: &str,
    ) -> Result<(), ScimError> {
        let uniqueness = self.uniqueness.clone();
        let has = |name: &str| {
            member(user, name).is_some_and(|v| {
                !v.is_null() && v.as_str() != Some("") && v.as_array().is_none_or(|a| !a.is_empty())
            })
        };
        if uniqueness.email_required && !has("emails") {
            return Err(scim_error(
                400,
                Some(ScimType::InvalidValue),
                "emails is required: the tenant requires an email for every user",
            ));
        }
        if uniqueness.user_name_required && !has("userName") {
            return Err(scim_error(
                400,
                Some(ScimType::InvalidValue),
                "userName is required by the tenant's user identifier settings",
            ));
        }
        if uniqueness.display_name_required && !has("displayName") {
            return Err(scim_error(
                400,
                Some(ScimType::InvalidValue),
                "displayName is required by the tenant's user identifier settings",
            ));
        }
        for (path, value) in [
            ("displayName", member(user, "displayName")),
            (
                "name.givenName",
                member(user, "name").and_then(|n| member(n, "givenName")),
            ),
            (
                "name.familyName",
                member(user, "name").and_then(|n| member(n, "familyName")),
            ),
        ] {
            if let Some(text) = value.and_then(Value::as_str)
                && text.contains(FORBIDDEN_NAME_CHARS)
            {
                return Err(scim_error(
                    400,
                    Some(ScimType::InvalidValue),
                    format!("{path} must not contain <, > or :"),
                ));
            }
        }
        let object = user.as_object_mut().expect("checked to be an object");
        drop_never_returned(object);
        key_custom_attributes_by_name(object);
        if self.quirks.sap_user_extension {
            fill_sap_extension(object)?;
        }
        let mut schemas = vec![Value::from(CORE_USER)];
        for urn in USER_EXTENSIONS {
            if object.keys().any(|k| k.eq_ignore_ascii_case(urn)) {
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
                "location": format!("{}/scim/Users/{id}", self.base_url),
                "resourceType": "User",
                "version": version,
            }),
        );
        Ok(())
    }

    /// The stored user with its read-only `groups` derived from group membership.
    pub(super) fn served_user(&self, id: &str) -> Option<Value> {
        self.served_user_counted(id, false)
    }

    /// The user as a list item: IAS adds `meta."groups.cnt"` there ([REC] §3.4), unless the
    /// tenant's quirk setting turns it off.
    pub(super) fn listed_user(&self, id: &str) -> Option<Value> {
        self.served_user_counted(id, self.quirks.groups_count_in_lists)
    }

    fn served_user_counted(&self, id: &str, count: bool) -> Option<Value> {
        let mut user = self.stored(id)?;
        let groups: Vec<Value> = self
            .memberships
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|group_id| {
                let group = self.groups.get(group_id)?;
                Some(json!({
                    "value": group_id,
                    "display": member(group, "displayName").cloned().unwrap_or(Value::Null),
                    "$ref": format!("{}/scim/Groups/{group_id}", self.base_url),
                }))
            })
            .collect();
        let object = user.as_object_mut()?;
        if count && let Some(Value::Object(meta)) = object.get_mut("meta") {
            meta.insert("groups.cnt".into(), groups.len().into());
        }
        if !groups.is_empty() {
            object.insert("groups".into(), Value::Array(groups));
        }
        Some(user)
    }

    /// `GET /Users/{id}` without `attributes`: the served JSON text and `meta.version`. A user in
    /// no group is written out as stored, without being parsed.
    pub fn user_text(&self, id: &str) -> Result<(axum::body::Bytes, String), ScimError> {
        let stored = self.users.get(id).ok_or_else(|| user_not_found(id))?;
        let in_groups = self
            .memberships
            .get(id)
            .is_some_and(|groups| !groups.is_empty());
        let text = if in_groups {
            axum::body::Bytes::from(
                self.served_user(id)
                    .ok_or_else(|| user_not_found(id))?
                    .to_string(),
            )
        } else {
            stored.text()
        };
        Ok((text, stored.version().to_string()))
    }

    /// The id of the user whose userName is `name` (case-insensitive), through the index.
    pub(crate) fn user_id_by_user_name(&self, name: &str) -> Option<&str> {
        let owner = self.identifiers.owner_of(name)?;
        let user = self.users.get(owner)?.value();
        member(&user, "userName")
            .and_then(Value::as_str)
            .filter(|n| n.eq_ignore_ascii_case(name))
            .map(|_| owner)
    }
}

/// Checks a user body's shape: a JSON object, the core schema named, extension members named in
/// `schemas`, and attribute types as SCIM defines them.
fn checked_user_body(body: Value) -> Result<Value, ScimError> {
    check_schemas(&body, CORE_USER, USER_EXTENSIONS)?;
    let text = body.to_string();
    if let Err(err) = sapland_core::json::from_str::<User>(&text) {
        return Err(scim_error(
            400,
            Some(ScimType::InvalidValue),
            format!("{}: {}", err.path, err.message),
        ));
    }
    Ok(body)
}

/// SAP's user extension as IAS fills it: status coupled to `active`, `mailVerified` (default
/// false), create-only members dropped, and the `emails` view with `verified` ([REC] §3.4).
fn fill_sap_extension(object: &mut Map<String, Value>) -> Result<(), ScimError> {
    couple_status_and_active(object)?;
    let emails = object.get("emails").cloned();
    let sap = sap_extension(object);
    let verified = sap
        .get("mailVerified")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    sap.insert("mailVerified".into(), verified.into());
    if let Some(Value::Array(emails)) = emails {
        let view: Vec<Value> = emails
            .iter()
            .map(|email| {
                let mut entry = Map::new();
                for key in ["value", "type", "primary"] {
                    if let Some(v) = member(email, key) {
                        entry.insert(key.into(), v.clone());
                    }
                }
                entry.insert("verified".into(), verified.into());
                Value::Object(entry)
            })
            .collect();
        sap.insert("emails".into(), Value::Array(view));
    }
    Ok(())
}

/// Attributes whose schema says `returned: never` are taken before storing: the core
/// `password` and SAP's create-only `sendMail` ([DOC] §3.4: "not stored/returned").
fn drop_never_returned(object: &mut Map<String, Value>) {
    object.retain(|key, _| !key.eq_ignore_ascii_case("password"));
    if let Some(Value::Object(sap)) = object
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case(SAP_USER))
        .map(|(_, v)| v)
    {
        sap.retain(|key, _| {
            !SAP_CREATE_ONLY
                .iter()
                .any(|never| key.eq_ignore_ascii_case(never))
        });
    }
}

/// Custom attributes are named `customAttribute1` … `customAttribute10`; a name holds one value,
/// the last one written (`proposed`).
fn key_custom_attributes_by_name(object: &mut Map<String, Value>) {
    let Some(Value::Object(custom)) = object
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case(CUSTOM_USER))
        .map(|(_, v)| v)
    else {
        return;
    };
    let Some(Value::Array(attributes)) = custom.get_mut("attributes") else {
        return;
    };
    let mut seen = std::collections::HashSet::new();
    let mut kept: Vec<Value> = attributes
        .iter()
        .rev()
        .filter(|a| match member(a, "name").and_then(Value::as_str) {
            Some(name) => seen.insert(name.to_ascii_lowercase()),
            None => true,
        })
        .cloned()
        .collect();
    kept.reverse();
    *attributes = kept;
}

/// IAS couples core `active` and SAP `status` ([REC] §3.4, [DOC] §3.7 item 5): `new` and
/// `inactive` mean `active: false`; without either, the user is inactive.
fn couple_status_and_active(object: &mut Map<String, Value>) -> Result<(), ScimError> {
    let active = object.get("active").and_then(Value::as_bool);
    let sap = sap_extension(object);
    let status = sap
        .get("status")
        .and_then(Value::as_str)
        .map(str::to_string);
    let (active, status) = match (active, status.as_deref()) {
        (None, None) => (false, "inactive".to_string()),
        (Some(active), None) => (
            active,
            if active { "active" } else { "inactive" }.to_string(),
        ),
        (None, Some(status)) => (status == "active", status.to_string()),
        (Some(active), Some(status)) if active == (status == "active") => {
            (active, status.to_string())
        }
        (Some(active), Some(status)) => {
            return Err(scim_error(
                400,
                Some(ScimType::InvalidValue),
                format!(
                    "active {active} contradicts status {status}: new and inactive users are not active"
                ),
            ));
        }
    };
    sap.insert("status".into(), status.into());
    object.insert("active".into(), active.into());
    Ok(())
}

/// A PATCH changes `active` or SAP `status`; the other follows the one that changed, as in IAS's
/// recorded activation by `replace …sap:2.0:User:status "active"` ([REC] §3.4).
fn follow_the_changed_side(before: &Value, after: &mut Value) {
    let status = |user: &Value| {
        member(user, SAP_USER)
            .and_then(|s| member(s, "status"))
            .cloned()
    };
    let active = |user: &Value| member(user, "active").cloned();
    let status_changed = status(before) != status(after);
    let active_changed = active(before) != active(after);
    let Some(object) = after.as_object_mut() else {
        return;
    };
    if status_changed && !active_changed {
        object.remove("active");
    } else if active_changed && !status_changed {
        sap_extension(object).remove("status");
    }
}

/// After a PATCH of emails IAS keeps exactly one primary email, first in the list: an explicit
/// primary wins, else the last email becomes primary ([REC] §3.4 PATCH of emails).
fn normalize_primary_email(user: &mut Value) {
    let Some(Value::Array(emails)) = user.as_object_mut().and_then(|o| {
        o.iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case("emails"))
            .map(|(_, v)| v)
    }) else {
        return;
    };
    if emails.is_empty() {
        return;
    }
    let primary = emails
        .iter()
        .position(|e| member(e, "primary").and_then(Value::as_bool) == Some(true))
        .unwrap_or(emails.len() - 1);
    for (i, email) in emails.iter_mut().enumerate() {
        if let Value::Object(entry) = email {
            entry.insert("primary".into(), (i == primary).into());
        }
    }
    let chosen = emails.remove(primary);
    emails.insert(0, chosen);
}

/// The SAP extension object of a user, created when absent, with the key spelled canonically.
fn sap_extension(object: &mut Map<String, Value>) -> &mut Map<String, Value> {
    if let Some(key) = object
        .keys()
        .find(|k| k.eq_ignore_ascii_case(SAP_USER) && *k != SAP_USER)
        .cloned()
    {
        let value = object.remove(&key).unwrap_or_default();
        object.insert(SAP_USER.into(), value);
    }
    let entry = object
        .entry(SAP_USER)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut().expect("made an object above")
}

fn created_of(user: &Value) -> String {
    member(user, "meta")
        .and_then(|m| member(m, "created"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// [REC] `{"status":"404","detail":"User <id> not found"}`.
pub(super) fn user_not_found(id: &str) -> ScimError {
    scim_error(404, None, format!("User {id} not found"))
}

/// [3P]/[DOC] a uniqueness violation: 409 with `scimType` uniqueness (IPS logs `409, uniqueness`).
fn uniqueness_error(attribute: &str) -> ScimError {
    scim_error(
        409,
        Some(ScimType::Uniqueness),
        format!("User does not fulfill the uniqueness criteria for {attribute}"),
    )
}
