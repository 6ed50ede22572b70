//! What the real-time unit tests share: a fixed time, a user body and a target registration.

use jiff::Timestamp;
use serde_json::{Value, json};

/// The time of every test change.
pub(super) fn now() -> Timestamp {
    "2026-11-22T09:00:00Z".parse().unwrap()
}

/// A v2 user body named `name`.
pub(super) fn user(name: &str) -> Value {
    json!({
        "schemas": [sapland_core::scim::schemas::CORE_USER],
        "userName": name,
        "name": {"familyName": "Doe"},
        "emails": [{"value": format!("{name}@example.com"), "primary": true}],
    })
}

/// A registration body of a version 2 target with Basic authentication.
pub(super) const BASIC: &str = r#"{"displayName": "IPS", "type": "Identity Provisioning",
    "url": "https://ips.example.com/ipsproxy/service/api/v1/systems/abc/entities/user",
    "version": 2, "authentication": {"basic": {"clientId": "rt", "clientSecret": "s3cr3t-value"}}}"#;
