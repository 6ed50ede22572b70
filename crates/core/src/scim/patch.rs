//! The SCIM PATCH request (RFC 7644 §3.5.2).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A PATCH request body: `{"schemas":[…PatchOp],"Operations":[…]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchRequest {
    /// `urn:ietf:params:scim:api:messages:2.0:PatchOp`.
    #[serde(default)]
    pub schemas: Vec<String>,
    /// The operations, applied in order.
    #[serde(rename = "Operations")]
    pub operations: Vec<PatchOperation>,
}

impl PatchRequest {
    /// A request with the given operations and the PatchOp schema.
    pub fn new(operations: Vec<PatchOperation>) -> Self {
        Self {
            schemas: vec![super::schemas::PATCH_OP.to_string()],
            operations,
        }
    }

    /// Checks the rules RFC 7644 §3.5.2 sets beyond the JSON shape: the PatchOp schema is
    /// named, there is at least one operation, `remove` has a `path`, `add` and `replace`
    /// have a `value`, and an `add`/`replace` without `path` carries an object.
    pub fn validate(&self) -> Result<(), PatchRequestError> {
        if !self.schemas.iter().any(|s| s == super::schemas::PATCH_OP) {
            return Err(PatchRequestError::MissingSchema);
        }
        if self.operations.is_empty() {
            return Err(PatchRequestError::NoOperations);
        }
        for (index, operation) in self.operations.iter().enumerate() {
            let problem = match (operation.op, &operation.path, &operation.value) {
                (PatchOp::Remove, None, _) => Some("a remove operation needs a path"),
                (PatchOp::Add | PatchOp::Replace, _, None) => Some("the operation needs a value"),
                (PatchOp::Add | PatchOp::Replace, None, Some(v)) if !v.is_object() => {
                    Some("without a path, the value must be an object of attributes")
                }
                _ => None,
            };
            if let Some(problem) = problem {
                return Err(PatchRequestError::InvalidOperation { index, problem });
            }
        }
        Ok(())
    }
}

/// Why a PATCH request breaks RFC 7644 §3.5.2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchRequestError {
    /// `schemas` does not name the PatchOp schema.
    #[error("schemas must contain urn:ietf:params:scim:api:messages:2.0:PatchOp")]
    MissingSchema,
    /// `Operations` is empty.
    #[error("Operations must hold at least one operation")]
    NoOperations,
    /// One operation is not well formed.
    #[error("Operations[{index}]: {problem}")]
    InvalidOperation {
        /// The operation's position.
        index: usize,
        /// What is wrong with it.
        problem: &'static str,
    },
}

/// One PATCH operation.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchOperation {
    /// `add`, `remove` or `replace`.
    pub op: PatchOp,
    /// The attribute path, such as `members` or `emails[type eq "work"].value`.
    pub path: Option<String>,
    /// The value to add or replace with (or the members to remove).
    pub value: Option<Value>,
}

/// The PATCH operation kind. Matched case-insensitively on input (some clients send `Add`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PatchOp {
    /// Add a value.
    Add,
    /// Remove a value.
    Remove,
    /// Replace a value.
    Replace,
}

impl<'de> Deserialize<'de> for PatchOp {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let text = String::deserialize(de)?;
        match text.to_ascii_lowercase().as_str() {
            "add" => Ok(Self::Add),
            "remove" => Ok(Self::Remove),
            "replace" => Ok(Self::Replace),
            _ => Err(serde::de::Error::custom(format_args!(
                "unknown op {text:?}, expected add, remove or replace"
            ))),
        }
    }
}

impl fmt::Display for PatchOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Add => "add",
            Self::Remove => "remove",
            Self::Replace => "replace",
        })
    }
}
