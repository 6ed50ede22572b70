//! `/scim/Users` ([REC] status codes and shapes, reference/ips-ias.md §3.4). Reading needs
//! *Manage Users* or *Read Users*; writing needs *Manage Users* ([DOC] §3.2).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sapland_core::scim::{PatchRequest, ScimType};
use sapland_mock_kit::serve::PeerCertificate;

use super::TenantState;
use super::respond::{error_response, json_body, resource, resource_text, scim_json};
use crate::auth::{Presented, Principal, Role, authenticate};
use crate::directory::{ListQuery, scim_error};

const READ: &[Role] = &[Role::ManageUsers, Role::ReadUsers];
const WRITE: &[Role] = &[Role::ManageUsers];

/// Authenticates the request and checks its roles.
pub(super) fn authorize(
    state: &TenantState,
    headers: &HeaderMap,
    certificate: Option<&Extension<PeerCertificate>>,
    roles: &[Role],
) -> Result<Principal, sapland_core::scim::ScimError> {
    let presented = Presented {
        authorization: headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
        certificate: certificate.map(|c| &c.0),
    };
    let now = state.kit.clock.now();
    let users = state.tenant.technical_users();
    let principal = authenticate(&users, &state.tenant.issuer(), presented, now)?;
    principal.require(roles)?;
    Ok(principal)
}

pub(super) async fn list(
    State(state): State<TenantState>,
    headers: HeaderMap,
    certificate: Option<Extension<PeerCertificate>>,
    Query(query): Query<ListQuery>,
) -> Response {
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), READ) {
        return error_response(&error);
    }
    match state.tenant.directory().list_users(&query) {
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
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), WRITE) {
        return error_response(&error);
    }
    let result = json_body(&headers, &body).and_then(|body| {
        state
            .tenant
            .directory_mut()
            .create_user(body, state.kit.clock.now())
    });
    match result {
        Ok(user) => resource(StatusCode::CREATED, &user),
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
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), READ) {
        return error_response(&error);
    }
    let projection =
        match crate::directory::Projection::parse(&query, sapland_core::scim::schemas::CORE_USER) {
            Ok(projection) => projection,
            Err(err) => return error_response(&err),
        };
    if projection.is_identity() {
        let served = state.tenant.directory().user_text(&id);
        return match served {
            Ok((text, version)) => {
                let location = format!("{}/scim/Users/{id}", state.tenant.url);
                resource_text(text, &version, &location)
            }
            Err(err) => error_response(&err),
        };
    }
    match state.tenant.directory().user(&id) {
        Ok(user) => resource(StatusCode::OK, &projection.apply(user)),
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
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), WRITE) {
        return error_response(&error);
    }
    let result = json_body(&headers, &body).and_then(|body| {
        state
            .tenant
            .directory_mut()
            .replace_user(&id, body, state.kit.clock.now())
    });
    match result {
        Ok(user) => resource(StatusCode::OK, &user),
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
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), WRITE) {
        return error_response(&error);
    }
    let result = json_body(&headers, &body)
        .and_then(patch_request)
        .and_then(|request| {
            state
                .tenant
                .directory_mut()
                .patch_user(&id, &request.operations, state.kit.clock.now())
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
    if let Err(error) = authorize(&state, &headers, certificate.as_ref(), WRITE) {
        return error_response(&error);
    }
    match state.tenant.directory_mut().delete_user(&id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => error_response(&err),
    }
}

/// A PATCH body: the PatchOp shape and RFC 7644 §3.5.2's rules, with the failing operation named.
pub(super) fn patch_request(
    body: serde_json::Value,
) -> Result<PatchRequest, sapland_core::scim::ScimError> {
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
