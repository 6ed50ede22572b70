//! How a user is kept in memory: its JSON text, compact. A `serde_json::Value` tree costs about
//! eight times as much (every member a map entry with its own allocations), and serving a user
//! is mostly writing its text out again.

use axum::body::Bytes;
use serde_json::Value;

/// One stored user: compact JSON text of the object IAS serves (without the derived `groups`),
/// and its `meta.version` for the `ETag`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredUser {
    text: Bytes,
    version: Box<str>,
}

impl StoredUser {
    /// Stores a user object.
    pub(crate) fn new(user: &Value) -> Self {
        let version = user
            .pointer("/meta/version")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Self {
            text: Bytes::from(user.to_string()),
            version: version.into(),
        }
    }

    /// The user as a JSON value.
    pub(crate) fn value(&self) -> Value {
        serde_json::from_slice(&self.text).unwrap_or(Value::Null)
    }

    /// The user's JSON text, shared rather than copied.
    pub(crate) fn text(&self) -> Bytes {
        self.text.clone()
    }

    /// The user's `meta.version`.
    pub(crate) fn version(&self) -> &str {
        &self.version
    }
}
