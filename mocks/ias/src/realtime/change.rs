//! A user change as the pushes need it: the operation the Real-Time Logs name, and the user in
//! both SCIM versions, taken when the change happened.

use sapland_core::scim::schemas::SAP_USER;
use serde::Serialize;
use serde_json::Value;

use crate::directory::{Directory, member};

/// A user operation as the Real-Time Logs name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Operation {
    /// The user was created.
    Create,
    /// The user was replaced or patched.
    Update,
    /// The user was deleted.
    Delete,
}

impl Operation {
    /// The operation as the Real-Time Logs name it.
    pub(super) fn label(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
        }
    }

    /// The per-target state of a successful push ([DOC] Real-Time Logs).
    pub(super) fn entity_state(self) -> &'static str {
        match self {
            Operation::Create => "Entity Created",
            Operation::Update => "Entity Updated",
            Operation::Delete => "Entity Deleted",
        }
    }
}

/// One change of a user, with what the pushes need, taken when the change happened.
#[derive(Debug, Clone)]
pub struct UserChange {
    /// What happened.
    pub operation: Operation,
    /// The user's v2 id (UUID).
    pub id: String,
    /// The user's `P` user id (its v1 id), when it has one.
    pub user_id: Option<String>,
    /// The user's userName.
    pub user_name: Option<String>,
    /// The user as SCIM v2 serves it (creations and updates).
    pub v2: Option<Value>,
    /// The user as SCIM v1 serves it (creations and updates).
    pub v1: Option<Value>,
}

impl UserChange {
    /// A creation or update of the stored user `id`.
    pub(crate) fn written(directory: &Directory, operation: Operation, id: &str) -> Self {
        let v2 = directory.user(id).ok();
        let user_id = v2.as_ref().and_then(sap_user_id);
        let v1 = user_id
            .as_deref()
            .and_then(|user_id| directory.v1_user(user_id).ok());
        Self {
            operation,
            id: id.to_string(),
            user_name: v2.as_ref().and_then(user_name),
            user_id,
            v2,
            v1,
        }
    }

    /// The deletion of `user` (as it was stored), whose v2 id is `id`.
    pub(crate) fn deleted(id: &str, user: &Value) -> Self {
        Self {
            operation: Operation::Delete,
            id: id.to_string(),
            user_id: sap_user_id(user),
            user_name: user_name(user),
            v2: None,
            v1: None,
        }
    }
}

/// The `P` user id of a user, when it has one.
fn sap_user_id(user: &Value) -> Option<String> {
    member(user, SAP_USER)
        .and_then(|sap| member(sap, "userId"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The userName of a user, when it has one.
fn user_name(user: &Value) -> Option<String> {
    member(user, "userName")
        .and_then(Value::as_str)
        .map(str::to_string)
}
