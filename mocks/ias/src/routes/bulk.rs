//! `POST /scim/Bulk` ([DOC] §3.4: at most 100 operations, `failOnErrors` not supported, no
//! `bulkId` cross-references between operations). Operations run in order; each answers with its
//! own status, as RFC 7644 §3.7.3 describes, and needs the role its resource type needs.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use sapland_core::scim::schemas::BULK_RESPONSE;
use sapland_core::scim::{
    BulkMethod, BulkOperation, BulkOperationResponse, BulkRequest, PatchRequest, ScimError,
    ScimType,
};
use serde_json::{Value, json};

use super::TenantState;
use super::caller::Caller;
use super::respond::{error_response, json_body, scim_json};
use crate::auth::{Principal, Role};
use crate::directory::scim_error;

/// The most operations one request may hold ([DOC] §3.4).
pub(super) const MAX_OPERATIONS: usize = 100;

pub(super) async fn bulk(
    State(state): State<TenantState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let principal = caller.0;
    let request = match json_body(&headers, &body).and_then(parse_request) {
        Ok(request) => request,
        Err(error) => return error_response(&error),
    };
    let now = state.kit.clock.now();
    let results: Vec<BulkOperationResponse> = request
        .operations
        .iter()
        .map(|operation| {
            let outcome = run(&state, &principal, operation, now);
            respond(operation, outcome)
        })
        .collect();
    let body = json!({ "schemas": [BULK_RESPONSE], "Operations": results });
    scim_json(StatusCode::OK, &body)
}

/// Checks the request as a whole: shape, count, and what IAS does not support.
fn parse_request(body: Value) -> Result<BulkRequest, ScimError> {
    let request: BulkRequest = sapland_core::json::from_str(&body.to_string()).map_err(|err| {
        scim_error(
            400,
            Some(ScimType::InvalidSyntax),
            format!("{}: {}", err.path, err.message),
        )
    })?;
    if !request
        .schemas
        .iter()
        .any(|s| s == sapland_core::scim::schemas::BULK_REQUEST)
    {
        return Err(scim_error(
            400,
            Some(ScimType::InvalidValue),
            format!(
                "schemas must contain {}",
                sapland_core::scim::schemas::BULK_REQUEST
            ),
        ));
    }
    if request.operations.len() > MAX_OPERATIONS {
        return Err(scim_error(
            413,
            None,
            format!(
                "The request holds {} operations; at most {MAX_OPERATIONS} are allowed",
                request.operations.len()
            ),
        ));
    }
    if request.fail_on_errors.is_some() {
        return Err(scim_error(
            400,
            Some(ScimType::InvalidValue),
            "failOnErrors is not supported",
        ));
    }
    for (index, operation) in request.operations.iter().enumerate() {
        if operation.data.as_ref().is_some_and(mentions_bulk_id) {
            return Err(scim_error(
                400,
                Some(ScimType::InvalidValue),
                format!(
                    "Operations[{index}]: references to other operations (bulkId:…) are not supported"
                ),
            ));
        }
    }
    Ok(request)
}

fn mentions_bulk_id(value: &Value) -> bool {
    match value {
        Value::String(text) => text.starts_with("bulkId:"),
        Value::Array(items) => items.iter().any(mentions_bulk_id),
        Value::Object(members) => members.values().any(mentions_bulk_id),
        _ => false,
    }
}

/// What one operation did: its status and the resource it left, if any.
type Outcome = Result<(u16, Option<Value>), ScimError>;

fn run(
    state: &TenantState,
    principal: &Principal,
    operation: &BulkOperation,
    now: jiff::Timestamp,
) -> Outcome {
    let path = operation.path.trim_start_matches('/');
    let (collection, id) = match path.split_once('/') {
        Some((collection, id)) => (collection, Some(id)),
        None => (path, None),
    };
    let roles: &[Role] = match collection {
        "Users" => &[Role::ManageUsers],
        "Groups" => &[Role::ManageGroups],
        _ => {
            return Err(scim_error(
                400,
                Some(ScimType::InvalidPath),
                format!(
                    "{} is not a path this service provider accepts in bulk",
                    operation.path
                ),
            ));
        }
    };
    principal.require(roles)?;
    let data = || {
        operation
            .data
            .clone()
            .ok_or_else(|| scim_error(400, Some(ScimType::InvalidSyntax), "data is required"))
    };
    let patch = || -> Result<PatchRequest, ScimError> {
        let request: PatchRequest = serde_json::from_value(data()?)
            .map_err(|e| scim_error(400, Some(ScimType::InvalidSyntax), e.to_string()))?;
        request
            .validate()
            .map_err(|e| scim_error(400, Some(ScimType::InvalidSyntax), e.to_string()))?;
        Ok(request)
    };
    let mut directory = state.tenant.directory_mut();
    let users = collection == "Users";
    match (operation.method, id) {
        (BulkMethod::Post, None) => {
            let created = if users {
                directory.create_user(data()?, now)?
            } else {
                directory.create_group(data()?, now)?
            };
            Ok((201, Some(created)))
        }
        (BulkMethod::Put, Some(id)) => {
            let replaced = if users {
                directory.replace_user(id, data()?, now)?
            } else {
                directory.replace_group(id, data()?, now)?
            };
            Ok((200, Some(replaced)))
        }
        (BulkMethod::Patch, Some(id)) => {
            let operations = patch()?.operations;
            if users {
                directory.patch_user(id, &operations, now)?
            } else {
                directory.patch_group(id, &operations, now)?
            };
            let resource = if users {
                directory.user(id)?
            } else {
                directory.group(id)?
            };
            Ok((200, Some(resource)))
        }
        (BulkMethod::Delete, Some(id)) => {
            if users {
                directory.delete_user(id)?
            } else {
                directory.delete_group(id)?
            };
            Ok((204, None))
        }
        (method, _) => Err(scim_error(
            400,
            Some(ScimType::InvalidPath),
            format!("{method:?} is not allowed on {}", operation.path),
        )),
    }
}

fn respond(operation: &BulkOperation, outcome: Outcome) -> BulkOperationResponse {
    let (status, response, resource) = match outcome {
        Ok((status, resource)) => (status, None, resource),
        Err(error) => {
            let status = error.status_code().unwrap_or(500);
            (status, serde_json::to_value(&error).ok(), None)
        }
    };
    let meta = resource.as_ref().and_then(|r| r.get("meta"));
    let text = |key: &str| {
        meta.and_then(|m| m.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    BulkOperationResponse {
        method: operation.method,
        bulk_id: operation.bulk_id.clone(),
        version: text("version"),
        location: text("location").or_else(|| (status == 204).then(|| operation.path.clone())),
        status: status.to_string(),
        response,
    }
}
