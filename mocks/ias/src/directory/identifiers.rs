//! Uniqueness of user identifiers, as the tenant's *User Identifier Attributes* configure it
//! (reference/ips-ias.md §3.5 [DOC]).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::member;

/// Which identifiers must be unique (and required) in a tenant. Defaults per §3.5: userName
/// and email unique; email required; display name and phone neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Uniqueness {
    /// Emails must be unique (default true).
    pub email_unique: bool,
    /// An email is required on create (default true).
    pub email_required: bool,
    /// Display names must be unique (default false; tenants before 2020-05-13: true).
    pub display_name_unique: bool,
    /// A display name is required (default false).
    pub display_name_required: bool,
    /// A login name (userName) is required (default false; it is always unique).
    pub user_name_required: bool,
    /// Phone numbers must be unique (default false).
    pub phone_unique: bool,
}

impl Default for Uniqueness {
    fn default() -> Self {
        Self {
            email_unique: true,
            email_required: true,
            display_name_unique: false,
            display_name_required: false,
            user_name_required: false,
            phone_unique: false,
        }
    }
}

/// The identifier values of every user, lower-cased, with the user holding each.
///
/// §3.5's cross-field rule: user id and login name may not equal the user id, email, login
/// name, display name or phone of another user (each as far as it is unique); so all unique
/// identifiers share one index.
#[derive(Debug, Clone, Default)]
pub(super) struct Identifiers {
    owners: HashMap<String, (String, &'static str)>,
}

impl Identifiers {
    /// The identifiers a user claims, with the attribute each comes from.
    pub(super) fn of(user: &Value, uniqueness: &Uniqueness) -> Vec<(String, &'static str)> {
        let mut claimed = Vec::new();
        if let Some(name) = member(user, "userName").and_then(Value::as_str) {
            claimed.push((name.to_lowercase(), "userName"));
        }
        if let Some(id) = member(user, sapland_core::scim::schemas::SAP_USER)
            .and_then(|sap| member(sap, "userId"))
            .and_then(Value::as_str)
        {
            claimed.push((id.to_lowercase(), "userId"));
        }
        if uniqueness.email_unique {
            for email in values(user, "emails") {
                claimed.push((email.to_lowercase(), "emails"));
            }
        }
        if uniqueness.phone_unique {
            for phone in values(user, "phoneNumbers") {
                claimed.push((phone.to_lowercase(), "phoneNumbers"));
            }
        }
        if uniqueness.display_name_unique
            && let Some(name) = member(user, "displayName").and_then(Value::as_str)
        {
            claimed.push((name.to_lowercase(), "displayName"));
        }
        claimed.sort();
        claimed.dedup_by(|a, b| a.0 == b.0);
        claimed
    }

    /// The first identifier of `user` that another user already holds: (its attribute, value).
    pub(super) fn conflict(
        &self,
        id: &str,
        user: &Value,
        uniqueness: &Uniqueness,
    ) -> Option<&'static str> {
        Self::of(user, uniqueness)
            .into_iter()
            .find_map(|(value, attribute)| {
                self.owners
                    .get(&value)
                    .filter(|(owner, _)| owner != id)
                    .map(|_| attribute)
            })
    }

    pub(super) fn insert(&mut self, id: &str, user: &Value, uniqueness: &Uniqueness) {
        for (value, attribute) in Self::of(user, uniqueness) {
            self.owners
                .entry(value)
                .or_insert_with(|| (id.to_string(), attribute));
        }
    }

    pub(super) fn remove(&mut self, id: &str, user: &Value, uniqueness: &Uniqueness) {
        for (value, _) in Self::of(user, uniqueness) {
            if self
                .owners
                .get(&value)
                .is_some_and(|(owner, _)| owner == id)
            {
                self.owners.remove(&value);
            }
        }
    }

    /// The user holding an identifier value (case-insensitive); the caller checks which of the
    /// user's attributes has it.
    pub(super) fn owner_of(&self, value: &str) -> Option<&str> {
        self.owners
            .get(&value.to_lowercase())
            .map(|(owner, _)| owner.as_str())
    }
}

fn values<'a>(user: &'a Value, attribute: &str) -> impl Iterator<Item = &'a str> {
    member(user, attribute)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| member(entry, "value").and_then(Value::as_str))
}
