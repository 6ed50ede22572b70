//! `/scim/Groups`: reading and writing both need *Manage Groups* ([DOC] §3.2: IPS needs Manage
//! Groups for groups, also on source systems).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sapland_core::scim::schemas::CORE_GROUP;

use super::TenantState;
use super::caller::{Caller, Failure};
use super::respond::{json_body, resource, scim_json};
use super::users::patch_request;
use crate::auth::Role;
use crate::directory::{ListQuery, Projection};

pub(super) const GROUPS: &[Role] = &[Role::ManageGroups];

pub(super) async fn list(
    State(state): State<TenantState>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> Result<Response, Failure> {
    caller.require(GROUPS)?;
    let list = state.tenant.directory().list_groups(&query)?;
    Ok(scim_json(StatusCode::OK, &list))
}

pub(super) async fn create(
    State(state): State<TenantState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    caller.require(GROUPS)?;
    let body = json_body(&headers, &body)?;
    let group = state
        .tenant
        .directory_mut()
        .create_group(body, state.kit.clock.now())?;
    Ok(resource(StatusCode::CREATED, &group))
}

pub(super) async fn read(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, Failure> {
    caller.require(GROUPS)?;
    let projection = Projection::parse(&query, CORE_GROUP)?;
    let group = state.tenant.directory().group(&id)?;
    Ok(resource(StatusCode::OK, &projection.apply(group)))
}

pub(super) async fn replace(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    caller.require(GROUPS)?;
    let body = json_body(&headers, &body)?;
    let group = state
        .tenant
        .directory_mut()
        .replace_group(&id, body, state.kit.clock.now())?;
    Ok(resource(StatusCode::OK, &group))
}

pub(super) async fn patch(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    caller.require(GROUPS)?;
    let request = patch_request(json_body(&headers, &body)?)?;
    state
        .tenant
        .directory_mut()
        .patch_group(&id, &request.operations, state.kit.clock.now())?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(super) async fn delete(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    caller.require(GROUPS)?;
    state.tenant.directory_mut().delete_group(&id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
