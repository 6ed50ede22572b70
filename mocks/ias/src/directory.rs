//! The tenant's user and group store: SCIM v2 semantics of IAS (Identity Directory) without HTTP.
//!
//! Resources are kept as JSON objects, exactly as they will be served, so filters and PATCH
//! work on what clients see. Indexes make `userName`/email lookups and uniqueness checks O(1),
//! and a membership index derives each user's read-only `groups` from group `members`.

mod groups;
mod identifiers;
mod listing;
mod stored;
mod users;
mod v1;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;
use sapland_core::scim::{ScimError, ScimType};
use sapland_mock_kit::ids::IdGenerator;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use identifiers::Uniqueness;

pub use listing::{DEFAULT_COUNT, ListQuery, MAX_COUNT, Projection};

/// IAS behaviours beyond RFC 7643/7644. Each is on by default, as in a real tenant; a tenant
/// with all of them off answers as a plain RFC 7643/7644 service provider (the "rfc dialect"
/// the conformance suite runs against). `proposed`: IAS has no such switches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Quirks {
    /// List items carry `meta."groups.cnt"` ([REC] reference/ips-ias.md §3.4).
    pub groups_count_in_lists: bool,
    /// Groups carry the legacy 24-hex id as custom-extension `additionalId` ([REC] §3.4).
    pub legacy_group_ids: bool,
    /// The server fills SAP's user extension: `userId` (P-number), `userUuid`, `status`
    /// coupled to `active`, `mailVerified`, and the `emails` view ([REC] §3.4, [DOC] §3.7).
    pub sap_user_extension: bool,
    /// After a PATCH, exactly one email is primary and comes first ([REC] §3.4).
    pub primary_email_normalization: bool,
}

impl Default for Quirks {
    fn default() -> Self {
        Self {
            groups_count_in_lists: true,
            legacy_group_ids: true,
            sap_user_extension: true,
            primary_email_normalization: true,
        }
    }
}

/// One tenant's users and groups.
#[derive(Debug, Clone)]
pub struct Directory {
    base_url: String,
    uniqueness: Uniqueness,
    quirks: Quirks,
    users: BTreeMap<String, stored::StoredUser>,
    groups: BTreeMap<String, Value>,
    identifiers: identifiers::Identifiers,
    group_names: HashMap<String, String>,
    memberships: HashMap<String, BTreeSet<String>>,
    next_user_number: u32,
    ids: IdGenerator,
}

/// What `GET /_admin/state` holds of a directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DirectorySnapshot {
    /// Users as served.
    pub users: Vec<Value>,
    /// Groups as stored (members without derived parts).
    pub groups: Vec<Value>,
    /// The number the next `P` user id gets.
    pub next_user_number: u32,
}

impl Directory {
    /// An empty directory whose resources live under `base_url` (the tenant URL, no trailing `/`).
    pub fn new(base_url: impl Into<String>, uniqueness: Uniqueness, seed: u64) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            uniqueness,
            quirks: Quirks::default(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            identifiers: identifiers::Identifiers::default(),
            group_names: HashMap::new(),
            memberships: HashMap::new(),
            next_user_number: 1,
            ids: IdGenerator::derived(seed, "ias.directory"),
        }
    }

    /// The tenant's uniqueness settings.
    pub fn uniqueness(&self) -> &Uniqueness {
        &self.uniqueness
    }

    /// Changes the uniqueness settings; as in IAS, they apply to values set from now on.
    pub fn set_uniqueness(&mut self, uniqueness: Uniqueness) {
        self.uniqueness = uniqueness;
        self.rebuild_indexes();
    }

    /// The tenant's quirk settings.
    pub fn quirks(&self) -> &Quirks {
        &self.quirks
    }

    /// Changes the quirk settings.
    pub fn set_quirks(&mut self, quirks: Quirks) {
        self.quirks = quirks;
    }

    /// How many users the tenant holds.
    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// How many groups the tenant holds.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// A snapshot of everything.
    pub fn snapshot(&self) -> DirectorySnapshot {
        DirectorySnapshot {
            users: self.users.values().map(stored::StoredUser::value).collect(),
            groups: self.groups.values().cloned().collect(),
            next_user_number: self.next_user_number,
        }
    }

    /// Replaces everything with a snapshot; on error nothing changes.
    pub fn restore(&mut self, snapshot: DirectorySnapshot) -> Result<(), String> {
        let mut fresh = Self::new(self.base_url.clone(), self.uniqueness.clone(), 0);
        fresh.quirks = self.quirks.clone();
        fresh.ids = self.ids.clone();
        fresh.next_user_number = snapshot.next_user_number;
        for (i, user) in snapshot.users.into_iter().enumerate() {
            let id = user
                .get("id")
                .and_then(Value::as_str)
                .ok_or(format!("$.users[{i}].id: expected a string id"))?;
            fresh
                .users
                .insert(id.to_string(), stored::StoredUser::new(&user));
        }
        for (i, group) in snapshot.groups.into_iter().enumerate() {
            let id = group
                .get("id")
                .and_then(Value::as_str)
                .ok_or(format!("$.groups[{i}].id: expected a string id"))?;
            fresh.groups.insert(id.to_string(), group);
        }
        fresh.rebuild_indexes();
        *self = fresh;
        Ok(())
    }

    fn rebuild_indexes(&mut self) {
        self.identifiers = identifiers::Identifiers::default();
        for (id, user) in &self.users {
            self.identifiers.insert(id, &user.value(), &self.uniqueness);
        }
        self.group_names.clear();
        self.memberships.clear();
        for (id, group) in &self.groups {
            if let Some(name) = groups::unique_name(group) {
                self.group_names.insert(name.to_lowercase(), id.clone());
            }
            for member in groups::member_ids(group) {
                self.memberships
                    .entry(member)
                    .or_default()
                    .insert(id.clone());
            }
        }
    }

    /// A stored user as a JSON value.
    pub(crate) fn stored(&self, id: &str) -> Option<Value> {
        self.users.get(id).map(stored::StoredUser::value)
    }

    /// Stores a user (as compact JSON text).
    fn store(&mut self, id: &str, user: &Value) {
        self.users
            .insert(id.to_string(), stored::StoredUser::new(user));
    }

    /// Runs a write; when it is refused, the seeded id sequence and the user counter are put
    /// back, so a refused request leaves no trace and later ids stay the same.
    fn unless_refused<T>(
        &mut self,
        write: impl FnOnce(&mut Self) -> Result<T, ScimError>,
    ) -> Result<T, ScimError> {
        let (ids, next_user_number) = (self.ids.clone(), self.next_user_number);
        let result = write(self);
        if result.is_err() {
            self.ids = ids;
            self.next_user_number = next_user_number;
        }
        result
    }

    fn timestamp(now: Timestamp) -> String {
        now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// A SCIM error with a `scimType`.
pub fn scim_error(
    status: u16,
    scim_type: Option<ScimType>,
    detail: impl Into<String>,
) -> ScimError {
    let error = ScimError::new(status, detail);
    match scim_type {
        Some(kind) => error.with_type(kind),
        None => error,
    }
}

/// Checks the `schemas` of a request body (RFC 7643 §3): a JSON object that names the `core`
/// schema and only schemas the resource type knows, with every extension member it carries
/// listed in `schemas`.
pub(crate) fn check_schemas(
    body: &Value,
    core: &str,
    extensions: &[&str],
) -> Result<(), ScimError> {
    let Value::Object(object) = body else {
        return Err(scim_error(
            400,
            Some(ScimType::InvalidSyntax),
            "The request body must be a JSON object",
        ));
    };
    let schemas: Vec<&str> = object
        .get("schemas")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !schemas.iter().any(|s| s.eq_ignore_ascii_case(core)) {
        return Err(scim_error(
            400,
            Some(ScimType::InvalidValue),
            format!("schemas must contain {core}"),
        ));
    }
    let known = |schema: &str| {
        schema.eq_ignore_ascii_case(core)
            || extensions.iter().any(|e| e.eq_ignore_ascii_case(schema))
    };
    if let Some(unknown) = schemas.iter().find(|s| !known(s)) {
        return Err(scim_error(
            400,
            Some(ScimType::InvalidValue),
            format!("Unknown schema {unknown}"),
        ));
    }
    if let Some(key) = object
        .keys()
        .filter(|k| k.to_ascii_lowercase().starts_with("urn:"))
        .find(|key| !schemas.iter().any(|s| s.eq_ignore_ascii_case(key)))
    {
        return Err(scim_error(
            400,
            Some(ScimType::InvalidValue),
            format!("The extension {key} is not listed in schemas"),
        ));
    }
    Ok(())
}

/// Finds a member of a JSON object by name, ignoring ASCII case (SCIM attribute names are
/// case-insensitive).
pub(crate) fn member<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}
