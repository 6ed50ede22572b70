//! The tenant's user and group store: SCIM v2 semantics of IAS (Identity Directory) without HTTP.
//!
//! Resources are kept as JSON objects, exactly as they will be served, so filters and PATCH
//! work on what clients see. Indexes make `userName`/email lookups and uniqueness checks O(1),
//! and a membership index derives each user's read-only `groups` from group `members`.

mod groups;
mod identifiers;
mod listing;
mod users;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;
use sapland_core::scim::{ScimError, ScimType};
use sapland_mock_kit::ids::IdGenerator;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use identifiers::Uniqueness;
pub use listing::{DEFAULT_COUNT, ListQuery, Projection};

/// One tenant's users and groups.
#[derive(Debug, Clone)]
pub struct Directory {
    base_url: String,
    uniqueness: Uniqueness,
    users: BTreeMap<String, Value>,
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
            users: self.users.values().cloned().collect(),
            groups: self.groups.values().cloned().collect(),
            next_user_number: self.next_user_number,
        }
    }

    /// Replaces everything with a snapshot; on error nothing changes.
    pub fn restore(&mut self, snapshot: DirectorySnapshot) -> Result<(), String> {
        let mut fresh = Self::new(self.base_url.clone(), self.uniqueness.clone(), 0);
        fresh.ids = self.ids.clone();
        fresh.next_user_number = snapshot.next_user_number;
        for (i, user) in snapshot.users.into_iter().enumerate() {
            let id = user
                .get("id")
                .and_then(Value::as_str)
                .ok_or(format!("$.users[{i}].id: expected a string id"))?;
            fresh.users.insert(id.to_string(), user);
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
            self.identifiers.insert(id, user, &self.uniqueness);
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

/// Finds a member of a JSON object by name, ignoring ASCII case (SCIM attribute names are
/// case-insensitive).
pub(crate) fn member<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}
