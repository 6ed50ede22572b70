//! What a mock offers the kit: its name, its state, and its own admin extras.

use std::sync::Arc;

use axum::Router;
use serde_json::Value;

/// A mock service (IAS, Cloud ALM, ABAP) as the kit's admin surface sees it.
pub trait MockService: Send + Sync + 'static {
    /// A short name: `ias`, `calm`, `abap`.
    fn name(&self) -> &'static str;

    /// Goes back to the state the mock started with (configured tenants, users, …).
    fn reset(&self);

    /// A JSON snapshot of everything the mock holds.
    fn export_state(&self) -> Value;

    /// Replaces the mock's state with a snapshot. On error the state is unchanged and the
    /// message says which part of the snapshot is wrong.
    fn import_state(&self, snapshot: Value) -> Result<(), String>;

    /// Mock-specific admin routes (seeding, technical users, …), mounted under `/_admin`.
    fn admin_routes(self: Arc<Self>) -> Router {
        Router::new()
    }

    /// The content type and body of an error the kit answers on the mock's behalf (a `status`
    /// fault rule, a body over the size limit), in the mock's own error format.
    fn error_body(&self, status: u16, detail: &str) -> (&'static str, Vec<u8>) {
        let _ = status;
        let body = serde_json::json!({ "error": detail });
        ("application/json", body.to_string().into_bytes())
    }
}
