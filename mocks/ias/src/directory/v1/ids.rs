//! v1 identifiers: a user's `P` user id (SAP extension `userId`) and a group's 24-hex legacy
//! id (custom extension `additionalId`), the v2 ids they name, and the order v1 lists them in.

use std::cmp::Ordering;

use sapland_core::scim::schemas::{CUSTOM_GROUP, SAP_USER};
use serde_json::Value;

use crate::directory::{Directory, member};

impl Directory {
    /// The v2 id of the user with the v1 id (`userId`) `id`, through the identifier index.
    pub(super) fn v1_user_uuid(&self, id: &str) -> Option<&str> {
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
    pub(super) fn v1_group_uuid(&self, id: &str) -> Option<&str> {
        self.groups
            .iter()
            .find(|(_, group)| legacy_id_of(group) == Some(id))
            .map(|(uuid, _)| uuid.as_str())
    }
}

/// The v1 order of ids: by length, then by text, so `P999999` comes before `P1000000`.
pub(super) fn id_order(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The v1 user id (SAP extension `userId`) of a stored user.
pub(super) fn user_id_of(user: &Value) -> Option<&str> {
    member(user, SAP_USER)
        .and_then(|sap| member(sap, "userId"))
        .and_then(Value::as_str)
}

/// The v1 id (custom extension `additionalId`) of a stored group.
pub(super) fn legacy_id_of(group: &Value) -> Option<&str> {
    member(group, CUSTOM_GROUP)
        .and_then(|custom| member(custom, "additionalId"))
        .and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_order_by_length_then_text() {
        assert_eq!(id_order("P999999", "P1000000"), Ordering::Less);
        assert_eq!(id_order("P000002", "P000010"), Ordering::Less);
    }
}
