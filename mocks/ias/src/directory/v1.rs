//! SCIM v1, the deprecated *Identity Authentication SCIM REST API* (reference/ips-ias.md §3.3
//! [DOC]), on the same users and groups as v2, as in a real tenant: a v1 write is seen in v2
//! and a v2 write in v1.
//!
//! v1 resources are views computed from the stored v2 resources by SAP's v1→v2 attribute
//! mapping (§3.4 [DOC]): the v1 user id is the SAP extension's `userId` (`P` + 6 digits),
//! `userUuid` is the v2 id, the v1 group id is the custom extension's `additionalId` (24 hex
//! characters) and the group's custom `groupId` its v2 id. v1 writes are turned into the v2
//! shape and go through the v2 rules (uniqueness, required identifiers, forbidden characters,
//! the status/active coupling), so both versions keep one store consistent.
//!
//! Choices where SAP's documentation is silent (**proposed**):
//! - Users are listed in the order of their user ids, so `startId` is a cursor: a `startId`
//!   that names no user (one deleted between two pages) starts at the next user id after it.
//!   Groups are listed in the order of their v1 ids and page the same way.
//! - A filter literal that is not a string matches nothing; `groups eq "x"` matches a group by
//!   its v1 id, its `displayName` or its custom `name`. Filter attribute names are
//!   case-insensitive, values compare case-insensitively except `id` and `userUuid`.
//! - Request bodies: attribute names are case-sensitive (SAP: "only the exact case must be
//!   used"); an attribute v1 does not know is refused with 400 rather than dropped. Read-only
//!   attributes (`meta`, `userUuid`, `groups`, login times, `socialIdentities`, a manager's
//!   `displayName`, a group's `groupId`) are ignored. `schemas` may be left out, as in SAP's
//!   own examples.
//! - `sendMail`, `mailVerified` and `telephoneVerified` take `"true"`/`"false"` as documented,
//!   and JSON booleans too. Numbers such as `sourceSystem` may come as strings (IPS sends
//!   `"39"`).
//! - In a PUT, `null` means "no new value" (kept), `""` removes an optional attribute; lists
//!   (`emails`, `addresses`, `phoneNumbers`) are replaced whole; `name` and the enterprise
//!   extension are merged member by member; a group's custom `name` and `description` are
//!   kept when not sent. `passwordStatus` `enabled`/`initial` needs `password` in a create too.
//! - Attributes v2 has no place for (`newsletters`, `termsOfUse`, `privacyPolicy`,
//!   `otpFailedLoginAttempts`, `telephoneVerificationAttempts`) are checked and not stored;
//!   `password` is never stored.
//! - A v1 user's `emails` shows every stored email's `value`; a group member's `display` is
//!   the user's `displayName`, else given and family name, else `userName`. Group members may
//!   be users (by user id) or groups (by v1 group id), as nested groups exist in v2.
//! - The limits SAP documents for v1 groups are enforced: 10 000 groups per tenant, 20 000
//!   members at creation, 500 groups per user (400 each).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashSet};

use jiff::Timestamp;
use sapland_core::scim::schemas::{
    CORE_GROUP, CORE_USER, CUSTOM_GROUP, CUSTOM_USER, ENTERPRISE_USER, LIST_RESPONSE, SAP_GROUP,
    SAP_USER,
};
use sapland_core::scim::{ScimError, ScimType};
use serde_json::{Map, Value, json};

use super::users::user_not_found;
use super::{Directory, ListQuery, Projection, member, scim_error};
use crate::scim::filter::{Filter, Operator};
use crate::scim::path::AttrPath;

/// The most resources a v1 page holds, and the page size when `count` is absent ([DOC]).
const MAX_COUNT: usize = 100;
/// The most members one v1 group read shows ([DOC] groups search).
const MEMBERS_PER_READ: usize = 100;
/// The most members a v1 group may be created with ([DOC]).
const MAX_MEMBERS_AT_CREATION: usize = 20_000;
/// The most groups a user may belong to ([DOC]).
const MAX_GROUPS_PER_USER: usize = 500;
/// The most groups a tenant may hold ([DOC]).
const MAX_GROUPS_PER_TENANT: usize = 10_000;
/// The message code of a group PUT whose body names another group ([DOC] update group).
const MISMATCHED_GROUP_ID: &str = "Mismatched group id";
/// `userType` values ([DOC]).
const USER_TYPES: &[&str] = &["public", "partner", "customer", "employee"];
/// `userType` values that overwrite `companyRelationship` ([DOC] create user).
const RELATIONSHIP_TYPES: &[&str] = &["partner", "customer", "employee"];
/// `passwordStatus` values ([DOC]).
const PASSWORD_STATUSES: &[&str] = &["importedPassword", "initial", "enabled", "disabled"];
/// User attributes a client may send back but not change.
const READ_ONLY_USER: &[&str] = &[
    "meta",
    "userUuid",
    "groups",
    "loginTime",
    "passwordLoginTime",
    "passwordSetTime",
    "socialIdentities",
];
/// The sub-attributes of a v1 name ([DOC] plus the SCIM ones v2 stores).
const NAME_PARTS: &[&str] = &[
    "honorificPrefix",
    "givenName",
    "familyName",
    "middleName",
    "honorificSuffix",
    "formatted",
];
/// The enterprise extension's simple attributes.
const ENTERPRISE_TEXTS: &[&str] = &[
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "department",
];
/// The sub-attributes of a v1 address ([DOC]).
const ADDRESS_PARTS: &[&str] = &[
    "type",
    "streetAddress",
    "locality",
    "region",
    "postalCode",
    "country",
    "formatted",
];
/// The sub-attributes of a v1 phone number ([DOC]).
const PHONE_PARTS: &[&str] = &["type", "value", "display"];
/// The sub-attributes of a terms-of-use or privacy-policy acceptance ([DOC]).
const ACCEPTANCE_PARTS: &[&str] = &["timeOfAcceptance", "name", "id", "locale", "version"];
/// The most characters of a custom attribute's value ([DOC]).
const CUSTOM_VALUE_MAX: usize = 256;

/// Whether a request creates a resource or updates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Update,
}

/// A v1 search attribute ([DOC] users search).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Searchable {
    Id,
    UserUuid,
    Emails,
    UserName,
    FamilyName,
    Country,
    Groups,
}

/// One `attribute eq value` of a v1 filter.
#[derive(Debug, Clone)]
struct Term {
    attribute: Searchable,
    value: Value,
}

/// Where a v1 page starts.
#[derive(Debug, Clone)]
enum Start {
    /// `startIndex`, 1-based.
    Index(usize),
    /// `startId`: `initial` or a resource id.
    Id(String),
}

/// The paging parameters of a v1 list request.
#[derive(Debug, Clone)]
struct Paging {
    count: usize,
    start: Start,
}

impl Directory {
    /// `GET /service/scim/Users`: filter with `eq` and `and` on the documented attributes,
    /// index paging (`startIndex`, `count`) or id paging (`startId`, `nextId`, `end`);
    /// `count` defaults to 100 and is at most 100 ([DOC] §3.3).
    pub fn v1_list_users(&self, query: &ListQuery) -> Result<Value, ScimError> {
        let terms = match query.filter.as_deref().filter(|f| !f.trim().is_empty()) {
            Some(text) => filter_terms(text)?,
            None => Vec::new(),
        };
        let paging = Paging::parse(query, "user")?;
        let projection = Projection::parse(query, CORE_USER)?;
        let owned: Vec<(String, &str)> = self
            .v1_candidates(&terms)
            .into_iter()
            .filter(|uuid| terms.iter().all(|term| self.term_matches(uuid, term)))
            .filter_map(|uuid| Some((user_id_of(&self.stored(uuid)?)?.to_string(), uuid)))
            .collect();
        let mut found: Vec<(&str, &str)> = owned
            .iter()
            .map(|(id, uuid)| (id.as_str(), *uuid))
            .collect();
        found.sort_by(|a, b| id_order(a.0, b.0));
        Ok(paging.render(&found, |uuid| {
            self.v1_user_view(uuid).map(|u| projection.apply(u))
        }))
    }

    /// `GET /service/scim/Users/{id}` with a user id such as `P000001`.
    pub fn v1_user(&self, id: &str) -> Result<Value, ScimError> {
        self.v1_user_uuid(id)
            .and_then(|uuid| self.v1_user_view(uuid))
            .ok_or_else(|| user_not_found(id))
    }

    /// `POST /service/scim/Users`: `name.familyName` is mandatory, one email at most, status
    /// *new* without `active`; answers the created user with its `P` user id ([DOC] §3.3).
    pub fn v1_create_user(&mut self, body: Value, now: Timestamp) -> Result<Value, ScimError> {
        let body = body_object(body)?;
        let mut user = Map::new();
        self.apply_user_body(&mut user, &body, Mode::Create)?;
        set_user_schemas(&mut user);
        let created = self.create_user(Value::Object(user), now)?;
        let uuid = created
            .get("id")
            .and_then(Value::as_str)
            .expect("a created user has an id");
        Ok(self.v1_user_view(uuid).expect("just created"))
    }

    /// `PUT /service/scim/Users/{id}`: the body's `id` must be the path's; only the attributes
    /// sent change, the others remain ([DOC] update user).
    pub fn v1_update_user(
        &mut self,
        id: &str,
        body: Value,
        now: Timestamp,
    ) -> Result<Value, ScimError> {
        let uuid = self
            .v1_user_uuid(id)
            .ok_or_else(|| user_not_found(id))?
            .to_string();
        let body = body_object(body)?;
        body_id_matches(
            &body,
            id,
            || format!("id is required in the body and must be the user id of the path, {id}"),
            |sent| format!("The id {sent} in the body does not match the user {id}"),
        )?;
        let mut user = self
            .stored(&uuid)
            .and_then(|u| u.as_object().cloned())
            .ok_or_else(|| user_not_found(&uuid))?;
        self.apply_user_body(&mut user, &body, Mode::Update)?;
        set_user_schemas(&mut user);
        self.replace_user(&uuid, Value::Object(user), now)?;
        Ok(self.v1_user_view(&uuid).expect("just stored"))
    }

    /// `DELETE /service/scim/Users/{id}`: removes the user and its group memberships.
    pub fn v1_delete_user(&mut self, id: &str) -> Result<(), ScimError> {
        let uuid = self
            .v1_user_uuid(id)
            .ok_or_else(|| user_not_found(id))?
            .to_string();
        self.delete_user(&uuid)
    }

    /// `GET /service/scim/Groups`: at most 100 groups a page, no filter ([DOC] groups search).
    pub fn v1_list_groups(&self, query: &ListQuery) -> Result<Value, ScimError> {
        if query
            .filter
            .as_deref()
            .is_some_and(|f| !f.trim().is_empty())
        {
            return Err(invalid_filter(
                "the SCIM REST API (v1) does not filter groups; search users with groups eq \"<group id>\" instead",
            ));
        }
        let paging = Paging::parse(query, "group")?;
        let projection = Projection::parse(query, CORE_GROUP)?;
        let mut found: Vec<(&str, &str)> = self
            .groups
            .iter()
            .filter_map(|(uuid, group)| Some((legacy_id_of(group)?, uuid.as_str())))
            .collect();
        found.sort_by(|a, b| id_order(a.0, b.0));
        Ok(paging.render(&found, |uuid| {
            self.v1_group_view(uuid).map(|g| projection.apply(g))
        }))
    }

    /// `GET /service/scim/Groups/{id}` with a 24-character group id; at most 100 members.
    pub fn v1_group(&self, id: &str) -> Result<Value, ScimError> {
        self.v1_group_uuid(id)
            .and_then(|uuid| self.v1_group_view(uuid))
            .ok_or_else(|| group_not_found(id))
    }

    /// `POST /service/scim/Groups`: `displayName` required; the custom `name` defaults to it
    /// and is unique (409); members are user ids ([DOC] create group).
    pub fn v1_create_group(&mut self, body: Value, now: Timestamp) -> Result<Value, ScimError> {
        let body = body_object(body)?;
        if self.groups.len() >= MAX_GROUPS_PER_TENANT {
            return Err(bad_value(format!(
                "The tenant already holds {MAX_GROUPS_PER_TENANT} groups, the most it can hold"
            )));
        }
        let mut group = Map::new();
        self.apply_group_body(&mut group, &body, None)?;
        set_group_schemas(&mut group);
        let created = self.create_group(Value::Object(group), now)?;
        let uuid = created
            .get("id")
            .and_then(Value::as_str)
            .expect("a created group has an id");
        Ok(self.v1_group_view(uuid).expect("just created"))
    }

    /// `PUT /service/scim/Groups/{id}`: the body's `id` must be the path's, else 400
    /// `Mismatched group id`; `members` replaces all members, absent removes them all
    /// ([DOC] update group).
    pub fn v1_replace_group(
        &mut self,
        id: &str,
        body: Value,
        now: Timestamp,
    ) -> Result<Value, ScimError> {
        let uuid = self
            .v1_group_uuid(id)
            .ok_or_else(|| group_not_found(id))?
            .to_string();
        let body = body_object(body)?;
        body_id_matches(
            &body,
            id,
            || {
                format!(
                    "{MISMATCHED_GROUP_ID}: the body has no id; it must be the group id of the path, {id}"
                )
            },
            |sent| format!("{MISMATCHED_GROUP_ID}: the body names the group {sent}, the path {id}"),
        )?;
        let mut group = self.groups[&uuid]
            .as_object()
            .cloned()
            .expect("stored groups are objects");
        self.apply_group_body(&mut group, &body, Some(&uuid))?;
        set_group_schemas(&mut group);
        self.replace_group(&uuid, Value::Object(group), now)?;
        Ok(self.v1_group_view(&uuid).expect("just stored"))
    }

    /// `DELETE /service/scim/Groups/{id}`: removes the group and all its assignments.
    pub fn v1_delete_group(&mut self, id: &str) -> Result<(), ScimError> {
        let uuid = self
            .v1_group_uuid(id)
            .ok_or_else(|| group_not_found(id))?
            .to_string();
        self.delete_group(&uuid)
    }

    /// The v2 id of the user with the v1 id (`userId`) `id`, through the identifier index.
    fn v1_user_uuid(&self, id: &str) -> Option<&str> {
        let holds = |user: &Value| user_id_of(user) == Some(id);
        let owner = self.identifiers.owner_of(id)?;
        if self.stored(owner).is_some_and(|user| holds(&user)) {
            return Some(owner);
        }
        // Another user's userName or email is this text (the index keeps the first claim).
        self.users
            .iter()
            .find(|(_, user)| holds(&user.value()))
            .map(|(uuid, _)| uuid.as_str())
    }

    /// The v2 id of the group with the v1 id (`additionalId`) `id`.
    fn v1_group_uuid(&self, id: &str) -> Option<&str> {
        self.groups
            .iter()
            .find(|(_, group)| legacy_id_of(group) == Some(id))
            .map(|(uuid, _)| uuid.as_str())
    }

    /// The users a filter can match at all: through an index when a term allows it.
    fn v1_candidates(&self, terms: &[Term]) -> Vec<&str> {
        for term in terms {
            let text = term.value.as_str();
            match term.attribute {
                Searchable::Id => {
                    return text
                        .and_then(|t| self.v1_user_uuid(t))
                        .into_iter()
                        .collect();
                }
                Searchable::UserUuid => {
                    return text
                        .and_then(|t| self.users.get_key_value(t))
                        .map(|(k, _)| k.as_str())
                        .into_iter()
                        .collect();
                }
                Searchable::UserName => {
                    return text
                        .and_then(|t| self.user_id_by_user_name(t))
                        .into_iter()
                        .collect();
                }
                Searchable::Emails if self.uniqueness.email_unique => {
                    return text
                        .and_then(|t| self.identifiers.owner_of(t))
                        .into_iter()
                        .collect();
                }
                Searchable::Groups => {
                    let Some(text) = text else {
                        return Vec::new();
                    };
                    let members: BTreeSet<&str> = self
                        .groups
                        .values()
                        .filter(|group| group_is_named(group, text))
                        .filter_map(|group| member(group, "members").and_then(Value::as_array))
                        .flatten()
                        .filter_map(|m| member(m, "value").and_then(Value::as_str))
                        .filter(|id| self.users.contains_key(*id))
                        .collect();
                    return members.into_iter().collect();
                }
                _ => {}
            }
        }
        self.users.keys().map(String::as_str).collect()
    }

    /// Whether the user with v2 id `uuid` satisfies one filter term.
    fn term_matches(&self, uuid: &str, term: &Term) -> bool {
        let (Some(user), Some(text)) = (self.stored(uuid), term.value.as_str()) else {
            return false;
        };
        let user = &user;
        let text_at = |path: &[&str]| at(user, path).and_then(Value::as_str);
        let any_value = |attribute: &str, sub: &str| {
            member(user, attribute)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|entry| member(entry, sub).and_then(Value::as_str))
                .any(|value| same_text(value, text))
        };
        match term.attribute {
            Searchable::Id => user_id_of(user) == Some(text),
            Searchable::UserUuid => uuid == text,
            Searchable::Emails => any_value("emails", "value"),
            Searchable::UserName => text_at(&["userName"]).is_some_and(|v| same_text(v, text)),
            Searchable::FamilyName => {
                text_at(&["name", "familyName"]).is_some_and(|v| same_text(v, text))
            }
            Searchable::Country => any_value("addresses", "country"),
            Searchable::Groups => self.memberships.get(uuid).is_some_and(|groups| {
                groups.iter().any(|id| {
                    self.groups
                        .get(id)
                        .is_some_and(|group| group_is_named(group, text))
                })
            }),
        }
    }

    /// The v1 representation of a stored user ([DOC] user resource; mapping §3.4).
    fn v1_user_view(&self, uuid: &str) -> Option<Value> {
        let user = &self.stored(uuid)?;
        let id = user_id_of(user)?;
        let sap = |path: &[&str]| member(user, SAP_USER).and_then(|s| at(s, path));
        let enterprise = member(user, ENTERPRISE_USER).and_then(Value::as_object);
        let custom = member(user, CUSTOM_USER).filter(|c| c.is_object());
        let mut out = Map::new();
        let mut schemas = vec![Value::from(CORE_USER)];
        if enterprise.is_some() {
            schemas.push(ENTERPRISE_USER.into());
        }
        if custom.is_some() {
            schemas.push(CUSTOM_USER.into());
        }
        out.insert("schemas".into(), Value::Array(schemas));
        out.insert("id".into(), id.into());
        out.insert("userUuid".into(), uuid.into());
        out.insert(
            "meta".into(),
            json!({
                "created": at(user, &["meta", "created"]).cloned().unwrap_or(Value::Null),
                "lastModified": at(user, &["meta", "lastModified"]).cloned().unwrap_or(Value::Null),
                "location": format!("{}/service/scim/Users/{id}", self.base_url),
                "resourceType": "User",
                "version": "1.0",
            }),
        );
        for key in ["userName", "displayName", "userType", "locale"] {
            put(&mut out, key, member(user, key));
        }
        if let Some(Value::Object(name)) = member(user, "name") {
            let parts: Map<String, Value> = name
                .iter()
                .filter(|(k, v)| NAME_PARTS.contains(&k.as_str()) && !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !parts.is_empty() {
                out.insert("name".into(), Value::Object(parts));
            }
        }
        let emails: Vec<Value> = list(user, "emails")
            .filter_map(|e| member(e, "value").cloned())
            .map(|value| json!({ "value": value }))
            .collect();
        if !emails.is_empty() {
            out.insert("emails".into(), Value::Array(emails));
        }
        put_list(&mut out, user, "addresses", ADDRESS_PARTS);
        put_list(&mut out, user, "phoneNumbers", &["type", "value"]);
        put(&mut out, "timeZone", member(user, "timezone"));
        if sap(&["status"]).and_then(Value::as_str) != Some("new") {
            put(&mut out, "active", member(user, "active"));
        }
        put(&mut out, "sourceSystem", sap(&["sourceSystem"]));
        put(&mut out, "sourceSystemId", sap(&["sourceSystemId"]));
        put(
            &mut out,
            "contactPreferenceEmail",
            sap(&["contactPreferences", "email"]),
        );
        put(
            &mut out,
            "contactPreferenceTelephone",
            sap(&["contactPreferences", "telephone"]),
        );
        put(&mut out, "industryCrm", sap(&["industry"]));
        put(
            &mut out,
            "company",
            enterprise.and_then(|e| e.get("organization")),
        );
        put(
            &mut out,
            "companyRelationship",
            sap(&["companyRelationship"]),
        );
        put(
            &mut out,
            "department",
            enterprise.and_then(|e| e.get("department")),
        );
        let groups: Vec<Value> = self
            .memberships
            .get(uuid)
            .into_iter()
            .flatten()
            .filter_map(|group_id| {
                let group = self.groups.get(group_id)?;
                let legacy = legacy_id_of(group)?;
                Some(json!({
                    "value": legacy,
                    "display": member(group, "displayName").cloned().unwrap_or(Value::Null),
                    "$ref": format!("{}/service/scim/Groups/{legacy}", self.base_url),
                }))
            })
            .collect();
        if !groups.is_empty() {
            out.insert("groups".into(), Value::Array(groups));
        }
        put(&mut out, "corporateGroups", sap(&["corporateGroups"]));
        let verified = sap(&["mailVerified"]).and_then(Value::as_bool) == Some(true);
        out.insert("mailVerified".into(), verified.to_string().into());
        if let Some(Value::Array(phones)) = sap(&["phoneNumbers"])
            && !phones.is_empty()
        {
            let verified = phones
                .iter()
                .any(|p| member(p, "verified").and_then(Value::as_bool) == Some(true));
            out.insert("telephoneVerified".into(), verified.to_string().into());
        }
        for (key, path) in [
            ("passwordStatus", &["passwordDetails", "status"][..]),
            ("passwordPolicy", &["passwordDetails", "policy"]),
            (
                "passwordFailedLoginAttempts",
                &["passwordDetails", "failedLoginAttempts"],
            ),
            ("passwordLoginTime", &["passwordDetails", "loginTime"]),
            ("passwordSetTime", &["passwordDetails", "setTime"]),
            ("loginTime", &["loginTime"]),
            ("socialIdentities", &["socialIdentities"]),
        ] {
            put(&mut out, key, sap(path));
        }
        if let Some(enterprise) = enterprise {
            let mut view = enterprise.clone();
            if let Some(manager) = self.v1_manager_view(enterprise.get("manager")) {
                view.insert("manager".into(), manager);
            }
            out.insert(ENTERPRISE_USER.into(), Value::Object(view));
        }
        if let Some(custom) = custom {
            out.insert(CUSTOM_USER.into(), custom.clone());
        }
        Some(Value::Object(out))
    }

    /// A manager reference in v1 terms: user id, v1 `$ref` and the manager's display name.
    fn v1_manager_view(&self, manager: Option<&Value>) -> Option<Value> {
        let uuid = manager.and_then(|m| member(m, "value"))?.as_str()?;
        let user = &self.stored(uuid)?;
        let id = user_id_of(user)?;
        let mut view = json!({
            "value": id,
            "$ref": format!("{}/service/scim/Users/{id}", self.base_url),
        });
        if let Some(name) = display_of(user) {
            view["displayName"] = name.into();
        }
        Some(view)
    }

    /// The v1 representation of a stored group, with at most 100 members ([DOC]).
    fn v1_group_view(&self, uuid: &str) -> Option<Value> {
        let group = self.groups.get(uuid)?;
        let id = legacy_id_of(group)?;
        let custom = member(group, CUSTOM_GROUP);
        let mut extension = Map::new();
        for key in ["name", "description"] {
            put(&mut extension, key, custom.and_then(|c| member(c, key)));
        }
        extension.insert("groupId".into(), uuid.into());
        let members: Vec<Value> = list(group, "members")
            .filter_map(|m| member(m, "value").and_then(Value::as_str))
            .filter_map(|member_id| self.v1_member_view(member_id))
            .take(MEMBERS_PER_READ)
            .collect();
        let mut out = json!({
            "schemas": [CORE_GROUP, CUSTOM_GROUP],
            "id": id,
            "displayName": member(group, "displayName").cloned().unwrap_or(Value::Null),
            CUSTOM_GROUP: extension,
            "meta": {
                "created": at(group, &["meta", "created"]).cloned().unwrap_or(Value::Null),
                "lastModified": at(group, &["meta", "lastModified"]).cloned().unwrap_or(Value::Null),
                "location": format!("{}/service/scim/Groups/{id}", self.base_url),
                "resourceType": "Group",
                "version": "1.0",
            },
        });
        if !members.is_empty() {
            out["members"] = Value::Array(members);
        }
        Some(out)
    }

    /// A group member in v1 terms: a user by user id, a nested group by its v1 id.
    fn v1_member_view(&self, member_id: &str) -> Option<Value> {
        if let Some(user) = &self.stored(member_id) {
            let id = user_id_of(user)?;
            let mut view = json!({
                "value": id,
                "$ref": format!("{}/service/scim/Users/{id}", self.base_url),
            });
            if let Some(name) = display_of(user) {
                view["display"] = name.into();
            }
            return Some(view);
        }
        let group = self.groups.get(member_id)?;
        let id = legacy_id_of(group)?;
        Some(json!({
            "value": id,
            "$ref": format!("{}/service/scim/Groups/{id}", self.base_url),
            "display": member(group, "displayName").cloned().unwrap_or(Value::Null),
        }))
    }

    /// Writes a v1 user body into a v2 user object (empty for a create, the stored user for
    /// an update); checks everything first-hand and names what is wrong.
    fn apply_user_body(
        &self,
        user: &mut Map<String, Value>,
        body: &Map<String, Value>,
        mode: Mode,
    ) -> Result<(), ScimError> {
        let mut password = false;
        let mut password_status = None;
        let mut telephone_verified = None;
        for (key, value) in body {
            let key = key.as_str();
            match key {
                "schemas" => check_schemas(value, &[CORE_USER, ENTERPRISE_USER, CUSTOM_USER])?,
                "id" => {}
                _ if READ_ONLY_USER.contains(&key) => {}
                "userName" | "displayName" | "locale" => set_text(user, &[key], key, value)?,
                "timeZone" => set_text(user, &["timezone"], key, value)?,
                "userType" => {
                    if let Some(kind) = text(key, value)?
                        && !USER_TYPES.iter().any(|t| t.eq_ignore_ascii_case(kind))
                    {
                        return Err(bad_value(format!(
                            "userType must be one of public, partner, customer, employee; got {kind:?}"
                        )));
                    }
                    set_text(user, &[key], key, value)?;
                }
                "name" => apply_name(user, value)?,
                "emails" => apply_emails(user, value)?,
                "addresses" => apply_list(user, key, value, ADDRESS_PARTS, &["work", "home"])?,
                "phoneNumbers" => {
                    apply_list(user, key, value, PHONE_PARTS, &["work", "mobile", "fax"])?;
                }
                "active" => match value {
                    Value::Null => {}
                    Value::Bool(active) => {
                        set_at(user, &["active"], Some((*active).into()));
                        let status = if *active { "active" } else { "inactive" };
                        set_at(user, &[SAP_USER, "status"], Some(status.into()));
                    }
                    other => {
                        return Err(bad_value(format!(
                            "active must be true or false as a JSON boolean, got {other}"
                        )));
                    }
                },
                "contactPreferenceEmail" => {
                    set_text(user, &[SAP_USER, "contactPreferences", "email"], key, value)?;
                }
                "contactPreferenceTelephone" => {
                    set_text(
                        user,
                        &[SAP_USER, "contactPreferences", "telephone"],
                        key,
                        value,
                    )?;
                }
                "industryCrm" => set_text(user, &[SAP_USER, "industry"], key, value)?,
                "companyRelationship"
                | "sourceSystemId"
                | "targetUrl"
                | "emailTemplateSetId"
                | "applicationId" => set_text(user, &[SAP_USER, key], key, value)?,
                "company" => set_text(user, &[ENTERPRISE_USER, "organization"], key, value)?,
                "department" => set_text(user, &[ENTERPRISE_USER, "department"], key, value)?,
                "corporateGroups" => apply_corporate_groups(user, value)?,
                "sourceSystem" => {
                    if let Some(code) = integer(key, value)? {
                        if code < 0 {
                            return Err(bad_value(format!(
                                "sourceSystem must be a source system code such as 39 or 100, got {code}"
                            )));
                        }
                        set_at(user, &[SAP_USER, key], Some(code.into()));
                    }
                }
                "mailVerified" => {
                    if let Some(verified) = flag(key, value)? {
                        set_at(user, &[SAP_USER, key], Some(verified.into()));
                    }
                }
                "sendMail" => {
                    if let Some(send) = flag(key, value)?
                        && mode == Mode::Create
                    {
                        set_at(user, &[SAP_USER, key], Some(send.into()));
                    }
                }
                "password" => match value {
                    Value::Null => {}
                    Value::String(secret) if !secret.is_empty() => password = true,
                    _ => {
                        return Err(bad_value("password must be a non-empty string"));
                    }
                },
                "passwordStatus" => {
                    if let Some(status) = text(key, value)? {
                        if !PASSWORD_STATUSES.contains(&status) {
                            return Err(bad_value(format!(
                                "passwordStatus must be one of importedPassword, initial, enabled, disabled; got {status:?}"
                            )));
                        }
                        password_status = Some(status);
                        set_at(
                            user,
                            &[SAP_USER, "passwordDetails", "status"],
                            Some(status.into()),
                        );
                    }
                }
                "passwordPolicy" => {
                    set_text(user, &[SAP_USER, "passwordDetails", "policy"], key, value)?;
                }
                "passwordFailedLoginAttempts" => {
                    if let Some(attempts) = bounded(key, value, 0, 5)? {
                        set_at(
                            user,
                            &[SAP_USER, "passwordDetails", "failedLoginAttempts"],
                            Some(attempts.into()),
                        );
                    }
                }
                "otpFailedLoginAttempts" => {
                    bounded(key, value, 0, 4)?;
                }
                "telephoneVerificationAttempts" => {
                    bounded(key, value, 0, 5)?;
                }
                "telephoneVerified" => telephone_verified = flag(key, value)?,
                "newsletters" => check_newsletters(value)?,
                "termsOfUse" | "privacyPolicy" => check_acceptances(key, value)?,
                ENTERPRISE_USER => self.apply_enterprise(user, value)?,
                CUSTOM_USER => apply_custom(user, value, mode)?,
                other => {
                    return Err(bad_value(format!(
                        "Unknown attribute {other}: the SCIM REST API (v1) has no such user attribute (names are case-sensitive)"
                    )));
                }
            }
        }
        same_as_extension(body, "company", "organization")?;
        same_as_extension(body, "department", "department")?;
        if let Some(status) = password_status
            && matches!(status, "enabled" | "initial")
            && !password
        {
            return Err(bad_value(format!(
                "passwordStatus {status} requires password"
            )));
        }
        if mode == Mode::Create {
            if password && password_status.is_none() {
                set_at(
                    user,
                    &[SAP_USER, "passwordDetails", "status"],
                    Some("initial".into()),
                );
            }
            if body.get("active").is_none_or(Value::is_null) {
                set_at(user, &["active"], None);
                set_at(user, &[SAP_USER, "status"], Some("new".into()));
            }
            let family = at_map(user, &["name", "familyName"]).and_then(Value::as_str);
            if family.is_none_or(|f| f.trim().is_empty()) {
                return Err(bad_value("name.familyName is mandatory"));
            }
        }
        if let Some(kind) = body.get("userType").and_then(Value::as_str)
            && RELATIONSHIP_TYPES
                .iter()
                .any(|t| t.eq_ignore_ascii_case(kind))
        {
            set_at(user, &[SAP_USER, "companyRelationship"], Some(kind.into()));
        }
        if telephone_verified.is_some() || body.contains_key("phoneNumbers") {
            sync_phone_view(user, telephone_verified);
        }
        Ok(())
    }

    /// The enterprise extension of a v1 body, merged member by member; the manager is named
    /// by user id and must exist ([DOC] 400 otherwise).
    fn apply_enterprise(
        &self,
        user: &mut Map<String, Value>,
        value: &Value,
    ) -> Result<(), ScimError> {
        let extension = match value {
            Value::Null => return Ok(()),
            Value::Object(extension) => extension,
            other => {
                return Err(bad_value(format!(
                    "{ENTERPRISE_USER} must be an object, got {other}"
                )));
            }
        };
        for (key, value) in extension {
            let name = format!("{ENTERPRISE_USER}:{key}");
            if ENTERPRISE_TEXTS.contains(&key.as_str()) {
                set_text(user, &[ENTERPRISE_USER, key], &name, value)?;
            } else if key == "manager" {
                self.apply_manager(user, value)?;
            } else {
                return Err(bad_value(format!(
                    "Unknown attribute {name}: the enterprise extension has no such attribute"
                )));
            }
        }
        Ok(())
    }

    fn apply_manager(&self, user: &mut Map<String, Value>, value: &Value) -> Result<(), ScimError> {
        let manager = match value {
            Value::Null => return Ok(()),
            Value::Object(manager) => manager,
            other => {
                return Err(bad_value(format!(
                    "{ENTERPRISE_USER}:manager must be an object with the manager's user id as value, got {other}"
                )));
            }
        };
        if let Some(key) = manager
            .keys()
            .find(|k| !["value", "$ref", "displayName"].contains(&k.as_str()))
        {
            return Err(bad_value(format!(
                "Unknown attribute {ENTERPRISE_USER}:manager.{key}"
            )));
        }
        match manager.get("value") {
            None | Some(Value::Null) => Ok(()),
            Some(Value::String(id)) if id.is_empty() => {
                set_at(user, &[ENTERPRISE_USER, "manager"], None);
                Ok(())
            }
            Some(Value::String(id)) => {
                let uuid = self.v1_user_uuid(id).ok_or_else(|| {
                    bad_value(format!(
                        "The manager {id} does not exist: no user has this id"
                    ))
                })?;
                let reference = json!({
                    "value": uuid,
                    "$ref": format!("{}/scim/Users/{uuid}", self.base_url),
                });
                set_at(user, &[ENTERPRISE_USER, "manager"], Some(reference));
                Ok(())
            }
            Some(other) => Err(bad_value(format!(
                "{ENTERPRISE_USER}:manager.value must be a user id such as P000001, got {other}"
            ))),
        }
    }

    /// Writes a v1 group body into a v2 group object (empty for a create, the stored group for
    /// a replace, `group` then naming it).
    fn apply_group_body(
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

impl Paging {
    /// Reads `count`, `startIndex` and `startId`: count 100 by default and at most 100, a
    /// negative count is 0, a start index below 1 is 1 ([DOC] users search).
    fn parse(query: &ListQuery, kind: &str) -> Result<Self, ScimError> {
        let count = match query.count.as_deref() {
            None => MAX_COUNT,
            Some(text) => usize::try_from(parse_integer("count", text)?.max(0))
                .unwrap_or(MAX_COUNT)
                .min(MAX_COUNT),
        };
        let start = match query.start_id.as_deref().map(str::trim) {
            Some("") => {
                return Err(bad_value(format!(
                    "startId must be initial or the id of a {kind}, got an empty value"
                )));
            }
            Some(id) => Start::Id(id.to_string()),
            None => Start::Index(match query.start_index.as_deref() {
                None => 1,
                Some(text) => {
                    usize::try_from(parse_integer("startIndex", text)?.max(1)).unwrap_or(1)
                }
            }),
        };
        Ok(Self { count, start })
    }

    /// The list response for resources `found` as (v1 id, v2 id), sorted by v1 id.
    fn render(&self, found: &[(&str, &str)], view: impl Fn(&str) -> Option<Value>) -> Value {
        let from = match &self.start {
            Start::Index(index) => (index - 1).min(found.len()),
            Start::Id(id) if id.eq_ignore_ascii_case("initial") => 0,
            Start::Id(id) => found.partition_point(|(v1, _)| id_order(v1, id) == Ordering::Less),
        };
        let to = from.saturating_add(self.count).min(found.len());
        let resources: Vec<Value> = found[from..to]
            .iter()
            .filter_map(|(_, uuid)| view(uuid))
            .collect();
        let mut list = Map::new();
        list.insert("schemas".into(), json!([LIST_RESPONSE]));
        list.insert("totalResults".into(), found.len().into());
        list.insert("itemsPerPage".into(), resources.len().into());
        match &self.start {
            Start::Index(index) => {
                list.insert("startIndex".into(), (*index).into());
            }
            Start::Id(id) => {
                list.insert("startId".into(), id.clone().into());
                let next = found.get(to).map_or("end", |(v1, _)| v1);
                list.insert("nextId".into(), next.into());
            }
        }
        list.insert("Resources".into(), Value::Array(resources));
        Value::Object(list)
    }
}

/// Parses a v1 filter: only `eq` joined by `and`, only the documented attributes ([DOC]).
fn filter_terms(text: &str) -> Result<Vec<Term>, ScimError> {
    let filter = Filter::parse(text).map_err(|err| invalid_filter(err.to_string()))?;
    if let Some(op) = filter
        .operators()
        .into_iter()
        .find(|op| !matches!(op, Operator::Eq | Operator::And))
    {
        return Err(invalid_filter(format!(
            "the SCIM REST API (v1) supports only the operators eq and and; the filter uses {op}"
        )));
    }
    let mut terms = Vec::new();
    collect_terms(&filter, &mut terms)?;
    Ok(terms)
}

fn collect_terms(filter: &Filter, terms: &mut Vec<Term>) -> Result<(), ScimError> {
    match filter {
        Filter::And(left, right) => {
            collect_terms(left, terms)?;
            collect_terms(right, terms)
        }
        Filter::Compare { path, value, .. } => {
            terms.push(Term {
                attribute: searchable(path)?,
                value: value.clone(),
            });
            Ok(())
        }
        other => Err(invalid_filter(format!(
            "the SCIM REST API (v1) supports only attribute eq value joined by and, not {other}"
        ))),
    }
}

fn searchable(path: &AttrPath) -> Result<Searchable, ScimError> {
    let qualified_elsewhere = path
        .urn
        .as_deref()
        .is_some_and(|urn| !urn.eq_ignore_ascii_case(CORE_USER));
    let name = match &path.sub_attr {
        Some(sub) => format!("{}.{sub}", path.attr),
        None => path.attr.clone(),
    };
    let attribute = match name.to_ascii_lowercase().as_str() {
        _ if qualified_elsewhere => None,
        "id" => Some(Searchable::Id),
        "useruuid" => Some(Searchable::UserUuid),
        "emails" | "emails.value" => Some(Searchable::Emails),
        "username" => Some(Searchable::UserName),
        "name.familyname" => Some(Searchable::FamilyName),
        "addresses.country" => Some(Searchable::Country),
        "groups" => Some(Searchable::Groups),
        _ => None,
    };
    attribute.ok_or_else(|| {
        invalid_filter(format!(
            "the SCIM REST API (v1) cannot search by {path}; it searches id, userUuid, emails, userName, name.familyName, addresses.country and groups"
        ))
    })
}

/// The v1 order of ids: by length, then by text, so `P999999` comes before `P1000000`.
fn id_order(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn parse_integer(name: &str, text: &str) -> Result<i64, ScimError> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| bad_value(format!("{name} must be an integer, got {text:?}")))
}

/// The v1 user id (SAP extension `userId`) of a stored user.
/// A v1 PUT names the resource in its body too: the body's `id` must be the path's ([DOC] update
/// user, update group). `missing` and `mismatched` word the 400 for each resource type.
fn body_id_matches(
    body: &Map<String, Value>,
    id: &str,
    missing: impl FnOnce() -> String,
    mismatched: impl FnOnce(&str) -> String,
) -> Result<(), ScimError> {
    match body.get("id") {
        Some(Value::String(sent)) if sent == id => Ok(()),
        None | Some(Value::Null) => Err(bad_value(missing())),
        Some(sent) => {
            let sent = sent
                .as_str()
                .map_or_else(|| sent.to_string(), str::to_string);
            Err(bad_value(mismatched(&sent)))
        }
    }
}

fn user_id_of(user: &Value) -> Option<&str> {
    member(user, SAP_USER)
        .and_then(|sap| member(sap, "userId"))
        .and_then(Value::as_str)
}

/// The v1 id (custom extension `additionalId`) of a stored group.
fn legacy_id_of(group: &Value) -> Option<&str> {
    member(group, CUSTOM_GROUP)
        .and_then(|custom| member(custom, "additionalId"))
        .and_then(Value::as_str)
}

/// Whether `text` names the group: its v1 id, its display name or its custom name.
fn group_is_named(group: &Value, text: &str) -> bool {
    legacy_id_of(group) == Some(text)
        || member(group, "displayName")
            .and_then(Value::as_str)
            .is_some_and(|name| same_text(name, text))
        || member(group, CUSTOM_GROUP)
            .and_then(|c| member(c, "name"))
            .and_then(Value::as_str)
            .is_some_and(|name| same_text(name, text))
}

/// How a user is shown as a group member or manager.
fn display_of(user: &Value) -> Option<String> {
    if let Some(name) = member(user, "displayName").and_then(Value::as_str) {
        return Some(name.to_string());
    }
    let parts: Vec<&str> = ["givenName", "familyName"]
        .iter()
        .filter_map(|part| at(user, &["name", part]).and_then(Value::as_str))
        .collect();
    if !parts.is_empty() {
        return Some(parts.join(" "));
    }
    member(user, "userName")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Case-insensitive equality of SCIM string values.
fn same_text(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
}

/// The value at a path of member names (case-insensitive).
fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter()
        .try_fold(value, |current, name| member(current, name))
}

fn at_map<'a>(object: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let key = key_of(object, first);
    at(object.get(&key)?, rest)
}

/// The elements of a multi-valued attribute.
fn list<'a>(resource: &'a Value, attribute: &str) -> impl Iterator<Item = &'a Value> {
    member(resource, attribute)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn put(out: &mut Map<String, Value>, key: &str, value: Option<&Value>) {
    if let Some(value) = value.filter(|v| !v.is_null()) {
        out.insert(key.to_string(), value.clone());
    }
}

/// Copies a multi-valued attribute with only the sub-attributes v1 shows.
fn put_list(out: &mut Map<String, Value>, user: &Value, attribute: &str, parts: &[&str]) {
    let entries: Vec<Value> = list(user, attribute)
        .filter_map(Value::as_object)
        .map(|entry| {
            Value::Object(
                entry
                    .iter()
                    .filter(|(k, v)| parts.contains(&k.as_str()) && !v.is_null())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        })
        .collect();
    if !entries.is_empty() {
        out.insert(attribute.to_string(), Value::Array(entries));
    }
}

/// The key an object uses for `name`, matched ignoring case, or `name` itself.
fn key_of(object: &Map<String, Value>, name: &str) -> String {
    object
        .keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_string())
}

/// Sets (`Some`) or removes (`None`) the member at `path`, creating objects on the way and
/// dropping objects a removal leaves empty.
fn set_at(object: &mut Map<String, Value>, path: &[&str], value: Option<Value>) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let key = key_of(object, first);
    if rest.is_empty() {
        match value {
            Some(value) => {
                object.insert(key, value);
            }
            None => {
                object.remove(&key);
            }
        }
        return;
    }
    if value.is_none() && !object.contains_key(&key) {
        return;
    }
    let entry = object
        .entry(key.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    let child = entry.as_object_mut().expect("made an object above");
    set_at(child, rest, value);
    if child.is_empty() {
        object.remove(&key);
    }
}

/// A string attribute: `null` keeps, `""` removes, a string sets; anything else is refused.
fn set_text(
    user: &mut Map<String, Value>,
    path: &[&str],
    name: &str,
    value: &Value,
) -> Result<(), ScimError> {
    match text(name, value)? {
        None => {}
        Some("") => set_at(user, path, None),
        Some(_) => set_at(user, path, Some(value.clone())),
    }
    Ok(())
}

fn text<'a>(name: &str, value: &'a Value) -> Result<Option<&'a str>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text)),
        other => Err(bad_value(format!("{name} must be a string, got {other}"))),
    }
}

/// `"true"`/`"false"` as SAP documents them, or a JSON boolean.
fn flag(name: &str, value: &Value) -> Result<Option<bool>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(flag) => Ok(Some(*flag)),
        Value::String(text) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
        other => Err(bad_value(format!(
            "{name} must be \"true\" or \"false\", got {other}"
        ))),
    }
}

/// An integer, given as a JSON number or a string of digits.
fn integer(name: &str, value: &Value) -> Result<Option<i64>, ScimError> {
    let parsed = match value {
        Value::Null => return Ok(None),
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse::<i64>().ok(),
        _ => None,
    };
    parsed
        .map(Some)
        .ok_or_else(|| bad_value(format!("{name} must be an integer, got {value}")))
}

fn bounded(name: &str, value: &Value, min: i64, max: i64) -> Result<Option<i64>, ScimError> {
    match integer(name, value)? {
        Some(n) if !(min..=max).contains(&n) => Err(bad_value(format!(
            "{name} must be an integer from {min} to {max}, got {n}"
        ))),
        other => Ok(other),
    }
}

fn check_schemas(value: &Value, known: &[&str]) -> Result<(), ScimError> {
    let items = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        other => {
            return Err(bad_value(format!(
                "schemas must be a list of schema URNs, got {other}"
            )));
        }
    };
    for item in items {
        let Some(urn) = item.as_str() else {
            return Err(bad_value(format!(
                "schemas must be a list of schema URNs, got {item} in it"
            )));
        };
        if !known.iter().any(|k| k.eq_ignore_ascii_case(urn)) {
            return Err(bad_value(format!(
                "Unknown schema {urn}: the SCIM REST API (v1) knows {}",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

/// `name`, merged part by part; `familyName` cannot be removed; `<`, `>`, `:` are refused in
/// `middleName` here and in the other names by the v2 rules ([DOC] create user).
fn apply_name(user: &mut Map<String, Value>, value: &Value) -> Result<(), ScimError> {
    let name = match value {
        Value::Null => return Ok(()),
        Value::Object(name) => name,
        other => return Err(bad_value(format!("name must be an object, got {other}"))),
    };
    for (part, value) in name {
        if !NAME_PARTS.contains(&part.as_str()) {
            return Err(bad_value(format!(
                "Unknown attribute name.{part}: a name has {}",
                NAME_PARTS.join(", ")
            )));
        }
        let label = format!("name.{part}");
        let given = text(&label, value)?;
        if part == "familyName" && given.is_some_and(|f| f.trim().is_empty()) {
            return Err(bad_value(
                "name.familyName is mandatory and cannot be empty",
            ));
        }
        if part == "middleName" && given.is_some_and(|m| m.contains(['<', '>', ':'])) {
            return Err(bad_value("name.middleName must not contain <, > or :"));
        }
        set_text(user, &["name", part], &label, value)?;
    }
    Ok(())
}

/// `emails`: one email at most ([DOC]); it becomes the primary email; `[]` removes it.
fn apply_emails(user: &mut Map<String, Value>, value: &Value) -> Result<(), ScimError> {
    let items = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        other => {
            return Err(bad_value(format!(
                "emails must be a list with one email, got {other}"
            )));
        }
    };
    if items.len() > 1 {
        return Err(bad_value(format!(
            "emails: the SCIM REST API (v1) supports only one email, got {}",
            items.len()
        )));
    }
    let Some(item) = items.first() else {
        set_at(user, &["emails"], None);
        set_at(user, &[SAP_USER, "emails"], None);
        return Ok(());
    };
    let Value::Object(fields) = item else {
        return Err(bad_value(format!(
            "emails[0] must be an object with the address as value, got {item}"
        )));
    };
    let mut email = Map::new();
    for (key, value) in fields {
        match key.as_str() {
            "value" => {
                let address = text("emails[0].value", value)?.unwrap_or_default();
                if !is_email(address) {
                    return Err(bad_value(format!(
                        "emails[0].value {address:?} is not an email address"
                    )));
                }
                email.insert("value".into(), address.into());
            }
            "type" | "display" => {
                if let Some(text) = text(&format!("emails[0].{key}"), value)? {
                    email.insert(key.clone(), text.into());
                }
            }
            "primary" => {
                flag("emails[0].primary", value)?;
            }
            other => {
                return Err(bad_value(format!(
                    "Unknown attribute emails[0].{other}: an email has value, type, primary, display"
                )));
            }
        }
    }
    if !email.contains_key("value") {
        return Err(bad_value("emails[0].value is required"));
    }
    email.insert("primary".into(), true.into());
    set_at(
        user,
        &["emails"],
        Some(Value::Array(vec![Value::Object(email)])),
    );
    Ok(())
}

fn is_email(address: &str) -> bool {
    address.rsplit_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains(char::is_whitespace)
    })
}

/// `addresses` or `phoneNumbers`: replaced whole, `[]` removes; `type` as documented.
fn apply_list(
    user: &mut Map<String, Value>,
    attribute: &str,
    value: &Value,
    parts: &[&str],
    types: &[&str],
) -> Result<(), ScimError> {
    let items = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        other => {
            return Err(bad_value(format!(
                "{attribute} must be a list, got {other}"
            )));
        }
    };
    let mut entries = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::Object(fields) = item else {
            return Err(bad_value(format!(
                "{attribute}[{i}] must be an object, got {item}"
            )));
        };
        let mut entry = Map::new();
        for (key, value) in fields {
            let label = format!("{attribute}[{i}].{key}");
            if key == "primary" {
                if let Some(primary) = flag(&label, value)? {
                    entry.insert(key.clone(), primary.into());
                }
                continue;
            }
            if !parts.contains(&key.as_str()) {
                return Err(bad_value(format!(
                    "Unknown attribute {label}: {attribute} have {}",
                    parts.join(", ")
                )));
            }
            let Some(text) = text(&label, value)? else {
                continue;
            };
            if key == "type" && !types.iter().any(|t| t.eq_ignore_ascii_case(text)) {
                return Err(bad_value(format!(
                    "{label} must be one of {}; got {text:?}",
                    types.join(", ")
                )));
            }
            entry.insert(key.clone(), text.into());
        }
        if attribute == "phoneNumbers" && !entry.contains_key("value") {
            return Err(bad_value(format!("{attribute}[{i}].value is required")));
        }
        entries.push(Value::Object(entry));
    }
    let value = (!entries.is_empty()).then_some(Value::Array(entries));
    set_at(user, &[attribute], value);
    Ok(())
}

/// SAP's view of the phone numbers with their `verified` flag (v1 `telephoneVerified`).
fn sync_phone_view(user: &mut Map<String, Value>, verified: Option<bool>) {
    let verified = verified.unwrap_or_else(|| {
        at_map(user, &[SAP_USER, "phoneNumbers"])
            .and_then(Value::as_array)
            .is_some_and(|phones| {
                phones
                    .iter()
                    .any(|p| member(p, "verified").and_then(Value::as_bool) == Some(true))
            })
    });
    let view: Vec<Value> = at_map(user, &["phoneNumbers"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|phone| {
            let mut entry = phone.clone();
            entry.insert("verified".into(), verified.into());
            Value::Object(entry)
        })
        .collect();
    let value = (!view.is_empty()).then_some(Value::Array(view));
    set_at(user, &[SAP_USER, "phoneNumbers"], value);
}

/// `corporateGroups`: a value overwrites, `[]` or `null` deletes ([DOC] update user).
fn apply_corporate_groups(user: &mut Map<String, Value>, value: &Value) -> Result<(), ScimError> {
    let items = match value {
        Value::Null => {
            set_at(user, &[SAP_USER, "corporateGroups"], None);
            return Ok(());
        }
        Value::Array(items) => items,
        other => {
            return Err(bad_value(format!(
                "corporateGroups must be a list of {{\"value\": <group>}}, got {other}"
            )));
        }
    };
    let mut groups = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let fields = item.as_object().filter(|f| f.keys().all(|k| k == "value"));
        let Some(Value::String(name)) = fields.and_then(|f| f.get("value")) else {
            return Err(bad_value(format!(
                "corporateGroups[{i}] must be {{\"value\": <group name>}}, got {item}"
            )));
        };
        groups.push(json!({ "value": name }));
    }
    let value = (!groups.is_empty()).then_some(Value::Array(groups));
    set_at(user, &[SAP_USER, "corporateGroups"], value);
    Ok(())
}

/// The custom attributes: `customAttribute1` … `customAttribute10`, values up to 256
/// characters; in an update an empty value deletes one and an empty list all ([DOC]).
fn apply_custom(user: &mut Map<String, Value>, value: &Value, mode: Mode) -> Result<(), ScimError> {
    let extension = match value {
        Value::Null => return Ok(()),
        Value::Object(extension) => extension,
        other => {
            return Err(bad_value(format!(
                "{CUSTOM_USER} must be an object, got {other}"
            )));
        }
    };
    if let Some(key) = extension.keys().find(|k| *k != "attributes") {
        return Err(bad_value(format!(
            "Unknown attribute {CUSTOM_USER}:{key}: the extension has attributes"
        )));
    }
    let items = match extension.get("attributes") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(bad_value(format!(
                "{CUSTOM_USER}:attributes must be a list, got {other}"
            )));
        }
    };
    let mut given: Vec<(String, String)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let label = format!("{CUSTOM_USER}:attributes[{i}]");
        let Value::Object(fields) = item else {
            return Err(bad_value(format!(
                "{label} must be an object with name and value, got {item}"
            )));
        };
        if let Some(key) = fields.keys().find(|k| *k != "name" && *k != "value") {
            return Err(bad_value(format!("Unknown attribute {label}.{key}")));
        }
        let name = text(
            &format!("{label}.name"),
            fields.get("name").unwrap_or(&Value::Null),
        )?
        .unwrap_or_default();
        let known = name
            .strip_prefix("customAttribute")
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=10).contains(&n) && name == format!("customAttribute{n}"));
        if !known {
            return Err(bad_value(format!(
                "{label}.name must be customAttribute1 … customAttribute10, got {name:?}"
            )));
        }
        let value = text(
            &format!("{label}.value"),
            fields.get("value").unwrap_or(&Value::Null),
        )?
        .unwrap_or_default();
        if value.chars().count() > CUSTOM_VALUE_MAX {
            return Err(bad_value(format!(
                "{label}.value has {} characters; at most {CUSTOM_VALUE_MAX} are allowed",
                value.chars().count()
            )));
        }
        if given.iter().any(|(n, _)| n == name) {
            return Err(bad_value(format!("{label}.name {name} is given twice")));
        }
        given.push((name.to_string(), value.to_string()));
    }
    let mut current: Vec<(String, String)> = match mode {
        Mode::Create => Vec::new(),
        Mode::Update => at_map(user, &[CUSTOM_USER, "attributes"])
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| {
                Some((
                    member(a, "name")?.as_str()?.to_string(),
                    member(a, "value")?.as_str()?.to_string(),
                ))
            })
            .collect(),
    };
    if given.is_empty() {
        current.clear();
    }
    for (name, value) in given {
        match current.iter().position(|(n, _)| *n == name) {
            Some(pos) if value.is_empty() => {
                current.remove(pos);
            }
            Some(pos) => current[pos].1 = value,
            None if value.is_empty() => {}
            None => current.push((name, value)),
        }
    }
    let attributes: Vec<Value> = current
        .into_iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    let value = (!attributes.is_empty()).then_some(Value::Array(attributes));
    set_at(user, &[CUSTOM_USER, "attributes"], value);
    Ok(())
}

fn check_newsletters(value: &Value) -> Result<(), ScimError> {
    match value {
        Value::Null => Ok(()),
        Value::Array(items) if items.iter().all(Value::is_string) => Ok(()),
        other => Err(bad_value(format!(
            "newsletters must be a list of strings, got {other}"
        ))),
    }
}

/// `termsOfUse` / `privacyPolicy`: acceptances with `timeOfAcceptance` as
/// `yyyy-MM-dd'T'HH:mm:ss'Z'` ([DOC]).
fn check_acceptances(name: &str, value: &Value) -> Result<(), ScimError> {
    let items = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        other => return Err(bad_value(format!("{name} must be a list, got {other}"))),
    };
    for (i, item) in items.iter().enumerate() {
        let Value::Object(fields) = item else {
            return Err(bad_value(format!(
                "{name}[{i}] must be an object, got {item}"
            )));
        };
        for (key, value) in fields {
            let label = format!("{name}[{i}].{key}");
            if !ACCEPTANCE_PARTS.contains(&key.as_str()) {
                return Err(bad_value(format!(
                    "Unknown attribute {label}: an acceptance has {}",
                    ACCEPTANCE_PARTS.join(", ")
                )));
            }
            let given = text(&label, value)?;
            if key == "timeOfAcceptance"
                && let Some(time) = given
                && !is_acceptance_time(time)
            {
                return Err(bad_value(format!(
                    "{label} must be yyyy-MM-ddTHH:mm:ssZ, got {time:?}"
                )));
            }
        }
    }
    Ok(())
}

fn is_acceptance_time(time: &str) -> bool {
    time.len() == 20
        && time.as_bytes().get(10) == Some(&b'T')
        && time.ends_with('Z')
        && time.parse::<Timestamp>().is_ok()
}

/// `company`/`department` are the enterprise extension's `organization`/`department`
/// ([DOC]); a body that gives both must give the same value.
fn same_as_extension(
    body: &Map<String, Value>,
    core: &str,
    extension: &str,
) -> Result<(), ScimError> {
    let flat = body.get(core).and_then(Value::as_str);
    let nested = body
        .get(ENTERPRISE_USER)
        .and_then(|e| e.get(extension))
        .and_then(Value::as_str);
    match (flat, nested) {
        (Some(flat), Some(nested)) if flat != nested => Err(bad_value(format!(
            "{core} {flat:?} and {ENTERPRISE_USER}:{extension} {nested:?} differ; they are the same attribute"
        ))),
        _ => Ok(()),
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

fn set_user_schemas(user: &mut Map<String, Value>) {
    let mut schemas = vec![Value::from(CORE_USER)];
    for urn in [ENTERPRISE_USER, SAP_USER, CUSTOM_USER] {
        if user.keys().any(|k| k.eq_ignore_ascii_case(urn)) {
            schemas.push(urn.into());
        }
    }
    user.insert("schemas".into(), Value::Array(schemas));
}

fn set_group_schemas(group: &mut Map<String, Value>) {
    let mut schemas = vec![Value::from(CORE_GROUP)];
    for urn in [CUSTOM_GROUP, SAP_GROUP] {
        if group.keys().any(|k| k.eq_ignore_ascii_case(urn)) {
            schemas.push(urn.into());
        }
    }
    group.insert("schemas".into(), Value::Array(schemas));
}

fn body_object(body: Value) -> Result<Map<String, Value>, ScimError> {
    match body {
        Value::Object(object) => Ok(object),
        _ => Err(scim_error(
            400,
            Some(ScimType::InvalidSyntax),
            "The request body must be a JSON object",
        )),
    }
}

fn bad_value(detail: impl Into<String>) -> ScimError {
    scim_error(400, Some(ScimType::InvalidValue), detail)
}

fn invalid_filter(detail: impl Into<String>) -> ScimError {
    scim_error(400, Some(ScimType::InvalidFilter), detail)
}

/// As v2: `"Group <id> not found"` ([REC]).
fn group_not_found(id: &str) -> ScimError {
    scim_error(404, None, format!("Group {id} not found"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Uniqueness;

    const URL: &str = "https://target.example";

    fn now() -> Timestamp {
        "2026-11-22T09:00:00Z".parse().expect("a timestamp")
    }

    fn directory() -> Directory {
        Directory::new(URL, Uniqueness::default(), 7)
    }

    /// SAP's create example, shortened ([DOC] create user).
    fn smith() -> Value {
        json!({
            "userName": "johnsmith",
            "name": {"givenName": "John", "familyName": "Smith", "honorificPrefix": "Mr."},
            "emails": [{"value": "john.smith@sap-test.de"}],
            "addresses": [{"type": "work", "locality": "Hollywood", "country": "US"}],
            "timeZone": "Europe/Berlin",
            "company": "SFSF",
            "department": "Administration",
            "industryCrm": "Consumer Products",
            "contactPreferenceEmail": "yes",
            "sendMail": "false",
            "mailVerified": "true",
            "passwordStatus": "disabled",
            "sourceSystem": "39",
            "corporateGroups": [{"value": "admin"}],
            "urn:sap:cloud:scim:schemas:extension:custom:2.0:User": {
                "attributes": [{"name": "customAttribute1", "value": "Home Address2"}]
            }
        })
    }

    fn query(pairs: &[(&str, &str)]) -> ListQuery {
        let mut query = ListQuery::default();
        for (key, value) in pairs {
            let value = Some((*value).to_string());
            match *key {
                "filter" => query.filter = value,
                "count" => query.count = value,
                "startIndex" => query.start_index = value,
                "startId" => query.start_id = value,
                other => panic!("no parameter {other}"),
            }
        }
        query
    }

    fn create(directory: &mut Directory, name: &str, email: &str) -> String {
        let body =
            json!({"userName": name, "name": {"familyName": name}, "emails": [{"value": email}]});
        let user = directory.v1_create_user(body, now()).expect("created");
        user["id"].as_str().expect("an id").to_string()
    }

    fn status_and_detail(error: &ScimError) -> (u16, String) {
        (
            error.status_code().expect("a status"),
            error.detail.clone().unwrap_or_default(),
        )
    }

    #[test]
    fn a_created_user_gets_a_p_number_and_is_stored_in_the_v2_shape() {
        let mut directory = directory();
        let user = directory.v1_create_user(smith(), now()).expect("created");
        assert_eq!(user["id"], "P000001");
        assert_eq!(
            user["meta"],
            json!({
                "created": "2026-11-22T09:00:00Z",
                "lastModified": "2026-11-22T09:00:00Z",
                "location": "https://target.example/service/scim/Users/P000001",
                "resourceType": "User",
                "version": "1.0",
            })
        );
        assert_eq!(user["timeZone"], "Europe/Berlin");
        assert_eq!(user["company"], "SFSF");
        assert_eq!(user["mailVerified"], "true");
        assert_eq!(user["sourceSystem"], 39);
        assert_eq!(user["passwordStatus"], "disabled");
        assert_eq!(user["corporateGroups"], json!([{"value": "admin"}]));
        assert!(
            user.get("active").is_none(),
            "no active means status new: {user}"
        );
        let uuid = user["userUuid"].as_str().expect("a userUuid");
        let v2 = directory.user(uuid).expect("visible in v2");
        assert_eq!(v2["id"], json!(uuid));
        assert_eq!(v2["timezone"], "Europe/Berlin");
        assert_eq!(v2["active"], false);
        assert_eq!(
            v2[ENTERPRISE_USER],
            json!({"organization": "SFSF", "department": "Administration"})
        );
        let sap = &v2[SAP_USER];
        assert_eq!(sap["userId"], "P000001");
        assert_eq!(sap["status"], "new");
        assert_eq!(sap["mailVerified"], true);
        assert_eq!(sap["sourceSystem"], 39);
        assert_eq!(sap["industry"], "Consumer Products");
        assert_eq!(sap["contactPreferences"], json!({"email": "yes"}));
        assert_eq!(sap["passwordDetails"], json!({"status": "disabled"}));
        assert_eq!(sap["emails"][0]["verified"], true);
        assert!(sap.get("sendMail").is_none(), "sendMail is create-only");
        assert_eq!(
            v2[CUSTOM_USER]["attributes"],
            json!([{"name": "customAttribute1", "value": "Home Address2"}])
        );
    }

    #[test]
    fn a_password_makes_the_password_status_initial_and_active_sets_the_status() {
        let mut directory = directory();
        let mut body = smith();
        body["password"] = json!("Abcd1234");
        body["active"] = json!(true);
        body.as_object_mut()
            .expect("an object")
            .remove("passwordStatus");
        let user = directory.v1_create_user(body, now()).expect("created");
        assert_eq!(user["passwordStatus"], "initial");
        assert_eq!(user["active"], true);
        assert!(user.get("password").is_none());
        let uuid = user["userUuid"].as_str().expect("a uuid");
        assert_eq!(
            directory.user(uuid).expect("v2")[SAP_USER]["status"],
            "active"
        );
    }

    #[test]
    fn bad_creates_are_refused_precisely_and_change_nothing() {
        let mut directory = directory();
        let cases: Vec<(Value, &str)> = vec![
            (
                json!({"userName": "x", "emails": [{"value": "x@y.z"}]}),
                "name.familyName is mandatory",
            ),
            (
                json!({"name": {"familyName": "A:B"}, "emails": [{"value": "x@y.z"}]}),
                "name.familyName must not contain <, > or :",
            ),
            (
                json!({"name": {"familyName": "X", "middleName": "<b>"}, "emails": [{"value": "x@y.z"}]}),
                "name.middleName must not contain",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "a@y.z"}, {"value": "b@y.z"}]}),
                "supports only one email, got 2",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "nobody"}]}),
                "\"nobody\" is not an email address",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "sendMail": "yes"}),
                "sendMail must be \"true\" or \"false\"",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "active": "true"}),
                "active must be true or false as a JSON boolean",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "userType": "robot"}),
                "userType must be one of",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "passwordStatus": "enabled"}),
                "passwordStatus enabled requires password",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "username": "x"}),
                "Unknown attribute username",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "passwordFailedLoginAttempts": 6}),
                "from 0 to 5, got 6",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "company": "A", ENTERPRISE_USER: {"organization": "B"}}),
                "differ",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], ENTERPRISE_USER: {"manager": {"value": "P999913"}}}),
                "The manager P999913 does not exist",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], CUSTOM_USER: {"attributes": [{"name": "customAttribute11", "value": "v"}]}}),
                "customAttribute1 … customAttribute10",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "schemas": [SAP_USER]}),
                "Unknown schema",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "termsOfUse": [{"timeOfAcceptance": "2015-08-21 11:19"}]}),
                "yyyy-MM-ddTHH:mm:ssZ",
            ),
            (json!(["not", "an", "object"]), "must be a JSON object"),
        ];
        for (body, expected) in cases {
            let error = directory
                .v1_create_user(body.clone(), now())
                .expect_err("refused");
            let (status, detail) = status_and_detail(&error);
            assert_eq!(status, 400, "{body}");
            assert!(
                detail.contains(expected),
                "{expected:?} not in {detail:?} for {body}"
            );
        }
        assert_eq!(directory.user_count(), 0);
        assert_eq!(create(&mut directory, "amy", "amy@example.com"), "P000001");
    }

    #[test]
    fn uniqueness_is_the_v2_rule() {
        let mut directory = directory();
        create(&mut directory, "amy", "amy@example.com");
        let body = json!({"userName": "AMY", "name": {"familyName": "A"}, "emails": [{"value": "other@example.com"}]});
        let error = directory.v1_create_user(body, now()).expect_err("taken");
        assert_eq!(error.status_code(), Some(409));
        assert_eq!(directory.user_count(), 1);
    }

    #[test]
    fn a_v2_user_is_read_and_found_in_v1() {
        let mut directory = directory();
        let v2 = directory
            .create_user(
                json!({
                    "schemas": [CORE_USER],
                    "userName": "ben",
                    "name": {"familyName": "Baker"},
                    "emails": [{"value": "ben@example.com", "primary": true}],
                    "active": true,
                }),
                now(),
            )
            .expect("created in v2");
        let user = directory.v1_user("P000001").expect("visible in v1");
        assert_eq!(user["userUuid"], v2["id"]);
        assert_eq!(user["userName"], "ben");
        assert_eq!(user["emails"], json!([{"value": "ben@example.com"}]));
        assert_eq!(user["active"], true);
        assert_eq!(user["mailVerified"], "false");
        let list = directory
            .v1_list_users(&query(&[("filter", "userName eq \"BEN\"")]))
            .expect("listed");
        assert_eq!(list["totalResults"], 1);
        assert_eq!(list["Resources"][0]["id"], "P000001");
        let missing = directory.v1_user("P000002").expect_err("no such user");
        assert_eq!(
            status_and_detail(&missing),
            (404, "User P000002 not found".into())
        );
    }

    #[test]
    fn put_changes_only_the_attributes_sent() {
        let mut directory = directory();
        let id = directory.v1_create_user(smith(), now()).expect("created")["id"]
            .as_str()
            .expect("an id")
            .to_string();
        let later: Timestamp = "2026-11-22T10:00:00Z".parse().expect("a timestamp");
        let body = json!({
            "id": id,
            "displayName": "John Smith",
            "name": {"givenName": "Johnny"},
            "urn:sap:cloud:scim:schemas:extension:custom:2.0:User": {
                "attributes": [{"name": "customAttribute1", "value": ""}, {"name": "customAttribute2", "value": "v2"}]
            }
        });
        let user = directory.v1_update_user(&id, body, later).expect("updated");
        assert_eq!(user["displayName"], "John Smith");
        assert_eq!(
            user["name"],
            json!({"givenName": "Johnny", "familyName": "Smith", "honorificPrefix": "Mr."})
        );
        assert_eq!(user["company"], "SFSF", "not sent, so unchanged");
        assert_eq!(user["timeZone"], "Europe/Berlin");
        assert_eq!(
            user["corporateGroups"],
            json!([{"value": "admin"}]),
            "absent keeps"
        );
        assert_eq!(
            user[CUSTOM_USER]["attributes"],
            json!([{"name": "customAttribute2", "value": "v2"}]),
            "an empty value deletes, a new one is added"
        );
        assert_eq!(user["meta"]["lastModified"], "2026-11-22T10:00:00Z");
        assert_eq!(user["meta"]["created"], "2026-11-22T09:00:00Z");
        assert!(
            user.get("active").is_none(),
            "active absent keeps status new"
        );

        let user = directory
            .v1_update_user(
                &id,
                json!({"id": id, "corporateGroups": [], "active": true}),
                later,
            )
            .expect("updated");
        assert!(
            user.get("corporateGroups").is_none(),
            "empty deletes: {user}"
        );
        assert_eq!(user["active"], true);
        let user = directory
            .v1_update_user(
                &id,
                json!({"id": id, CUSTOM_USER: {"attributes": []}}),
                later,
            )
            .expect("updated");
        assert!(
            user.get(CUSTOM_USER).is_none(),
            "an empty list deletes all: {user}"
        );
    }

    #[test]
    fn put_needs_the_path_id_and_leaves_the_user_alone_when_refused() {
        let mut directory = directory();
        let id = create(&mut directory, "amy", "amy@example.com");
        let before = directory.v1_user(&id).expect("read");
        let cases = [
            (
                json!({"displayName": "A"}),
                400,
                "id is required in the body",
            ),
            (
                json!({"id": "P000009", "displayName": "A"}),
                400,
                "The id P000009 in the body does not match the user P000001",
            ),
            (
                json!({"id": id, "name": {"familyName": ""}}),
                400,
                "name.familyName is mandatory",
            ),
            (
                json!({"id": id, "passwordStatus": "initial"}),
                400,
                "passwordStatus initial requires password",
            ),
            (
                json!({"id": id, "emails": [{"value": "x@y.z"}, {"value": "z@y.z"}]}),
                400,
                "only one email",
            ),
        ];
        for (body, status, expected) in cases {
            let error = directory
                .v1_update_user(&id, body.clone(), now())
                .expect_err("refused");
            let (got, detail) = status_and_detail(&error);
            assert_eq!(got, status, "{body}");
            assert!(detail.contains(expected), "{expected:?} not in {detail:?}");
        }
        assert_eq!(directory.v1_user(&id).expect("read"), before);
        let error = directory
            .v1_update_user("P000042", json!({"id": "P000042"}), now())
            .expect_err("missing");
        assert_eq!(error.status_code(), Some(404));
    }

    #[test]
    fn the_manager_is_named_by_user_id_and_stored_by_uuid() {
        let mut directory = directory();
        let boss = create(&mut directory, "boss", "boss@example.com");
        let boss_uuid = directory.v1_user(&boss).expect("boss")["userUuid"].clone();
        let mut body = smith();
        body[ENTERPRISE_USER] = json!({"manager": {"value": boss, "displayName": "ignored"}});
        body.as_object_mut().expect("an object").remove("company");
        body.as_object_mut()
            .expect("an object")
            .remove("department");
        let user = directory.v1_create_user(body, now()).expect("created");
        assert_eq!(
            user[ENTERPRISE_USER]["manager"],
            json!({"value": "P000001", "$ref": "https://target.example/service/scim/Users/P000001", "displayName": "boss"})
        );
        let v2 = directory
            .user(user["userUuid"].as_str().expect("uuid"))
            .expect("v2");
        assert_eq!(v2[ENTERPRISE_USER]["manager"]["value"], boss_uuid);
    }

    #[test]
    fn filters_take_eq_and_and_on_the_documented_attributes_only() {
        let mut directory = directory();
        directory.v1_create_user(smith(), now()).expect("created");
        create(&mut directory, "amy", "amy@example.com");
        let found = directory
            .v1_list_users(&query(&[(
                "filter",
                "emails eq \"John.Smith@sap-test.de\" and addresses.country eq \"US\"",
            )]))
            .expect("a list");
        assert_eq!(found["totalResults"], 1);
        assert_eq!(found["Resources"][0]["userName"], "johnsmith");
        for (filter, expected) in [
            ("id eq \"P000002\"", 1),
            ("name.familyName eq \"SMITH\"", 1),
            ("emails eq \"nobody@example.com\"", 0),
            ("userName eq \"amy\" and id eq \"P000001\"", 0),
        ] {
            let list = directory
                .v1_list_users(&query(&[("filter", filter)]))
                .expect("a list");
            assert_eq!(list["totalResults"], expected, "{filter}");
        }
        for (filter, expected) in [
            (
                "userName eq \"amy\" or userName eq \"johnsmith\"",
                "uses or",
            ),
            ("userName sw \"a\"", "uses sw"),
            ("not (userName eq \"a\")", "uses not"),
            ("emails[value eq \"a\"]", "uses []"),
            ("displayName eq \"a\"", "cannot search by displayName"),
            ("userName eq", "invalid filter"),
        ] {
            let error = directory
                .v1_list_users(&query(&[("filter", filter)]))
                .expect_err("refused");
            assert_eq!(error.scim_type, Some(ScimType::InvalidFilter), "{filter}");
            let (_, detail) = status_and_detail(&error);
            assert!(detail.contains(expected), "{expected:?} not in {detail:?}");
        }
    }

    #[test]
    fn cursor_paging_ends_with_end_and_index_paging_clamps_count() {
        let mut directory = directory();
        for i in 1..=5 {
            create(
                &mut directory,
                &format!("u{i}"),
                &format!("u{i}@example.com"),
            );
        }
        let page = directory
            .v1_list_users(&query(&[("startId", "initial"), ("count", "2")]))
            .expect("a page");
        assert_eq!(page["startId"], "initial");
        assert_eq!(page["nextId"], "P000003");
        assert_eq!(page["itemsPerPage"], 2);
        assert_eq!(page["totalResults"], 5);
        let page = directory
            .v1_list_users(&query(&[("startId", "P000005"), ("count", "2")]))
            .expect("a page");
        assert_eq!(page["Resources"][0]["id"], "P000005");
        assert_eq!(page["nextId"], "end");
        let page = directory
            .v1_list_users(&query(&[("count", "-3")]))
            .expect("a page");
        assert_eq!(
            (page["totalResults"].clone(), page["itemsPerPage"].clone()),
            (json!(5), json!(0))
        );
        let page = directory
            .v1_list_users(&query(&[("startIndex", "0"), ("count", "1000")]))
            .expect("a page");
        assert_eq!(page["startIndex"], 1);
        assert_eq!(page["itemsPerPage"], 5);
        let error = directory
            .v1_list_users(&query(&[("count", "ten")]))
            .expect_err("refused");
        assert_eq!(
            status_and_detail(&error),
            (400, "count must be an integer, got \"ten\"".into())
        );
    }

    #[test]
    fn count_is_at_most_one_hundred() {
        let mut directory = directory();
        for i in 0..101 {
            create(
                &mut directory,
                &format!("u{i}"),
                &format!("u{i}@example.com"),
            );
        }
        let page = directory
            .v1_list_users(&query(&[("startId", "initial"), ("count", "500")]))
            .expect("a page");
        assert_eq!(page["itemsPerPage"], 100);
        assert_eq!(page["nextId"], "P000101");
    }

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
    fn a_group_read_shows_at_most_one_hundred_members() {
        let mut directory = directory();
        let members: Vec<Value> = (0..105)
            .map(|i| json!({"value": create(&mut directory, &format!("u{i}"), &format!("u{i}@example.com"))}))
            .collect();
        let group = directory
            .v1_create_group(
                json!({"displayName": "Everyone", "members": members}),
                now(),
            )
            .expect("created");
        assert_eq!(group["members"].as_array().map(Vec::len), Some(100));
        let uuid = group[CUSTOM_GROUP]["groupId"].as_str().expect("a uuid");
        let v2 = directory.group(uuid).expect("v2");
        assert_eq!(v2["members"].as_array().map(Vec::len), Some(105));
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

    #[test]
    fn deletes_answer_not_found_the_second_time() {
        let mut directory = directory();
        let amy = create(&mut directory, "amy", "amy@example.com");
        let group = directory
            .v1_create_group(
                json!({"displayName": "Devs", "members": [{"value": amy}]}),
                now(),
            )
            .expect("created");
        let id = group["id"].as_str().expect("an id").to_string();
        directory.v1_delete_user(&amy).expect("deleted");
        assert!(
            directory
                .v1_group(&id)
                .expect("group")
                .get("members")
                .is_none()
        );
        assert_eq!(
            directory
                .v1_delete_user(&amy)
                .expect_err("gone")
                .status_code(),
            Some(404)
        );
        directory.v1_delete_group(&id).expect("deleted");
        let error = directory.v1_delete_group(&id).expect_err("gone");
        assert_eq!(
            status_and_detail(&error),
            (404, format!("Group {id} not found"))
        );
    }

    #[test]
    fn groups_are_listed_a_hundred_at_most_and_not_filtered() {
        let mut directory = directory();
        for i in 0..3 {
            directory
                .v1_create_group(json!({"displayName": format!("G{i}")}), now())
                .expect("created");
        }
        let list = directory
            .v1_list_groups(&query(&[("count", "2")]))
            .expect("a list");
        assert_eq!(list["totalResults"], 3);
        assert_eq!(list["itemsPerPage"], 2);
        let error = directory
            .v1_list_groups(&query(&[("filter", "displayName eq \"G1\"")]))
            .expect_err("no filter");
        assert_eq!(error.scim_type, Some(ScimType::InvalidFilter));
    }

    #[test]
    fn ids_order_by_length_then_text() {
        assert_eq!(id_order("P999999", "P1000000"), Ordering::Less);
        assert_eq!(id_order("P000002", "P000010"), Ordering::Less);
    }
}
