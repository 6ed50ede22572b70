//! The shapes of SCIM write requests that IPS sends beyond a plain body (RFC 7644 §3.5.2,
//! §3.7; `reference/ips-ias.md` §2.4): a PATCH that replaces every attribute, member additions
//! and removals in batches, and the operations of a `/Bulk` request.

use sapland_core::scim::{BulkMethod, BulkOperation, PatchOp, PatchOperation, PatchRequest};
use serde_json::{Map, Value};

use crate::client::ResourceType;

/// A PATCH that replaces every attribute of `body` but `id`, `schemas` and `meta` (one
/// path-less replace, RFC 7644 §3.5.2.3).
pub fn replace_all(body: &Value) -> PatchRequest {
    let attributes: Map<String, Value> = body
        .as_object()
        .map(|members| {
            members
                .iter()
                .filter(|(key, _)| !matches!(key.as_str(), "id" | "schemas" | "meta"))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect()
        })
        .unwrap_or_default();
    PatchRequest::new(vec![PatchOperation {
        op: PatchOp::Replace,
        path: None,
        value: Some(Value::Object(attributes)),
    }])
}

/// A PATCH that adds `members` (`{"value": …}` objects) to a group.
pub fn add_members(members: &[Value]) -> PatchRequest {
    PatchRequest::new(vec![PatchOperation {
        op: PatchOp::Add,
        path: Some("members".into()),
        value: Some(Value::Array(members.to_vec())),
    }])
}

/// A PATCH that removes the members with these ids (`value`s) from a group, one remove with a
/// `members[value eq "…"]` filter each.
pub fn remove_members<'a>(values: impl IntoIterator<Item = &'a str>) -> PatchRequest {
    PatchRequest::new(
        values
            .into_iter()
            .map(|value| PatchOperation {
                op: PatchOp::Remove,
                path: Some(format!(
                    "members[value eq {}]",
                    Value::String(value.to_string())
                )),
                value: None,
            })
            .collect(),
    )
}

/// The `/Bulk` operation that creates `body`.
pub fn bulk_create(kind: ResourceType, body: &Value) -> BulkOperation {
    BulkOperation {
        method: BulkMethod::Post,
        bulk_id: None,
        version: None,
        path: format!("/{}", kind.endpoint()),
        data: Some(body.clone()),
    }
}

/// The `/Bulk` operation that updates resource `id` with `body`: a PUT, or with `patch` a PATCH
/// that replaces every attribute ([`replace_all`]).
pub fn bulk_update(kind: ResourceType, id: &str, body: &Value, patch: bool) -> BulkOperation {
    let (method, data) = if patch {
        (
            BulkMethod::Patch,
            serde_json::to_value(replace_all(body)).unwrap_or_default(),
        )
    } else {
        (BulkMethod::Put, body.clone())
    };
    BulkOperation {
        method,
        bulk_id: None,
        version: None,
        path: format!("/{}/{id}", kind.endpoint()),
        data: Some(data),
    }
}

/// The `/Bulk` operation that deletes resource `id`.
pub fn bulk_delete(kind: ResourceType, id: &str) -> BulkOperation {
    BulkOperation {
        method: BulkMethod::Delete,
        bulk_id: None,
        version: None,
        path: format!("/{}/{id}", kind.endpoint()),
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The wire shapes, pinned by literal JSON (RFC 7644 §3.5.2).
    #[test]
    fn patches_and_bulk_operations_have_the_rfc_shapes() {
        let body = json!({"id": "x", "schemas": ["s"], "meta": {}, "displayName": "Admins"});
        assert_eq!(
            serde_json::to_value(replace_all(&body)).unwrap(),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                   "Operations": [{"op": "replace", "value": {"displayName": "Admins"}}]})
        );
        assert_eq!(
            serde_json::to_value(remove_members(["a\"b"])).unwrap(),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                   "Operations": [{"op": "remove", "path": "members[value eq \"a\\\"b\"]"}]})
        );
        assert_eq!(
            serde_json::to_value(add_members(&[json!({"value": "u1"})])).unwrap(),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                   "Operations": [{"op": "add", "path": "members", "value": [{"value": "u1"}]}]})
        );
        let delete = serde_json::to_value(bulk_delete(ResourceType::Group, "g1")).unwrap();
        assert_eq!(delete, json!({"method": "DELETE", "path": "/Groups/g1"}));
        let update = serde_json::to_value(bulk_update(ResourceType::User, "u1", &body, false));
        assert_eq!(update.unwrap()["method"], "PUT");
    }
}
