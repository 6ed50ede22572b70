//! `/scim/Groups`: reading and writing both need *Manage Groups* ([DOC] §3.2: IPS needs Manage
//! Groups for groups, also on source systems).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sapland_mock_kit::serve::PeerCertificate;

use super::TenantState;
use super::respond::{error_response, json_body, resource, scim_json};
use super::users::{authorize, patch_request};
use crate::auth::Role;
use crate::directory::ListQuery;

const GROUPS: &[Role] = &[Role::ManageGroups];

pub(super) async fn list(
    State(state): State<TenantState>,
    headers: HeaderMap,
    certificate: Option<Extension<PeerCertificate>>,
    Query(query): Query<ListQuery>,
) -> Response {
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), GROUPS) {
        return error_response(&error);
    }
    match state.tenant.directory().list_groups(&query) {
        Ok(list) => scim_json(StatusCode::OK, &list),
        Err(err) => error_response(&err),
    }
}

pub(super) async fn create(
    State(state): State<TenantState>,
    headers: HeaderMap,
    certificate: Option<Extension<PeerCertificate>>,
    body: Bytes,
) -> Response {
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), GROUPS) {
        return error_response(&error);
    }
    let result = json_body(&headers, &body).and_then(|body| {
        state
            .tenant
            .directory_mut()
            .create_group(body, state.kit.clock.now())
    });
    match result {
        Ok(group) => resource(StatusCode::CREATED, &group),
        Err(err) => error_response(&err),
    }
}

pub(super) async fn read(
    State(state): State<TenantState>,
    headers: HeaderMap,
    certificate: Option<Extension<PeerCertificate>>,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), GROUPS) {
        return error_response(&error);
    }
    let projection = match crate::directory::Projection::parse(
        &query,
        sapland_core::scim::schemas::CORE_GROUP,
    ) {
        Ok(projection) => projection,
        Err(err) => return error_response(&err),
    };
    match state.tenant.directory().group(&id) {
        Ok(group) => resource(StatusCode::OK, &projection.apply(group)),
        Err(err) => error_response(&err),
    }
}

pub(super) async fn replace(
    State(state): State<TenantState>,
    headers: HeaderMap,
    certificate: Option<Extension<PeerCertificate>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), GROUPS) {
        return error_response(&error);
    }
    let result = json_body(&headers, &body).and_then(|body| {
        state
            .tenant
            .directory_mut()
            .replace_group(&id, body, state.kit.clock.now())
    });
    match result {
        Ok(group) => resource(StatusCode::OK, &group),
        Err(err) => error_response(&err),
    }
}

pub(super) async fn patch(
    State(state): State<TenantState>,
    headers: HeaderMap,
    certificate: Option<Extension<PeerCertificate>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), GROUPS) {
        return error_response(&error);
    }
    let result = json_body(&headers, &body)
        .and_then(patch_request)
        .and_then(|request| {
            state.tenant.directory_mut().patch_group(
                &id,
                &request.operations,
                state.kit.clock.now(),
            )
        });
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => error_response(&err),
    }
}

pub(super) async fn delete(
    State(state): State<TenantState>,
    headers: HeaderMap,
    certificate: Option<Extension<PeerCertificate>>,
    Path(id): Path<String>,
) -> Response {
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), GROUPS) {
        return error_response(&error);
    }
    match state.tenant.directory_mut().delete_group(&id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => error_response(&err),
    }
}
