//! `/scim/Users` ([REC] status codes and shapes, reference/ips-ias.md §3.4). Reading needs
//! *Manage Users* or *Read Users*; writing needs *Manage Users* ([DOC] §3.2).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sapland_core::scim::schemas::CORE_USER;
use sapland_core::scim::{PatchRequest, ScimError, ScimType};

use super::TenantState;
use super::caller::{Caller, Failure};
use super::respond::{json_body, resource, resource_text, scim_json};
use crate::auth::Role;
use crate::directory::{ListQuery, Projection, scim_error};

pub(super) const READ: &[Role] = &[Role::ManageUsers, Role::ReadUsers];
pub(super) const WRITE: &[Role] = &[Role::ManageUsers];

pub(super) async fn list(
    State(state): State<TenantState>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> Result<Response, Failure> {
    caller.require(READ)?;
    let list = state.tenant.directory().list_users(&query)?;
    Ok(scim_json(StatusCode::OK, &list))
}

pub(super) async fn create(
    State(state): State<TenantState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    caller.require(WRITE)?;
    let body = json_body(&headers, &body)?;
    let user = state
        .tenant
        .directory_mut()
        .create_user(body, state.kit.clock.now())?;
    Ok(resource(StatusCode::CREATED, &user))
}

pub(super) async fn read(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, Failure> {
    caller.require(READ)?;
    let projection = Projection::parse(&query, CORE_USER)?;
    if projection.is_identity() {
        let (text, version) = state.tenant.directory().user_text(&id)?;
        let location = format!("{}/scim/Users/{id}", state.tenant.url);
        return Ok(resource_text(text, &version, &location));
    }
    let user = state.tenant.directory().user(&id)?;
    Ok(resource(StatusCode::OK, &projection.apply(user)))
}

pub(super) async fn replace(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    caller.require(WRITE)?;
    let body = json_body(&headers, &body)?;
    let user = state
        .tenant
        .directory_mut()
        .replace_user(&id, body, state.kit.clock.now())?;
    Ok(resource(StatusCode::OK, &user))
}

pub(super) async fn patch(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    caller.require(WRITE)?;
    let request = patch_request(json_body(&headers, &body)?)?;
    state
        .tenant
        .directory_mut()
        .patch_user(&id, &request.operations, state.kit.clock.now())?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(super) async fn delete(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    caller.require(WRITE)?;
    state.tenant.directory_mut().delete_user(&id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A PATCH body: the PatchOp shape and RFC 7644 §3.5.2's rules, with the failing operation named.
pub(super) fn patch_request(body: serde_json::Value) -> Result<PatchRequest, ScimError> {
    let request: PatchRequest = sapland_core::json::from_str(&body.to_string()).map_err(|err| {
        scim_error(
            400,
            Some(ScimType::InvalidSyntax),
            format!("{}: {}", err.path, err.message),
        )
    })?;
    request
        .validate()
        .map_err(|err| scim_error(400, Some(ScimType::InvalidSyntax), err.to_string()))?;
    Ok(request)
}
