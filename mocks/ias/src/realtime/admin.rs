//! Real-time provisioning on the admin surface (**proposed**): registering, listing and removing
//! targets, reading the delivery log, and waiting until every queued push is made.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::delivery::Delivery;
use crate::mock::IasMock;

/// The routes of real-time provisioning on the admin surface (**proposed**).
pub(crate) fn admin_routes() -> Router<Arc<IasMock>> {
    Router::new()
        .route(
            "/_admin/ias/tenants/{tenant}/realtime-targets",
            get(list_targets).post(add_target),
        )
        .route(
            "/_admin/ias/tenants/{tenant}/realtime-targets/{id}",
            delete(remove_target),
        )
        .route(
            "/_admin/ias/tenants/{tenant}/realtime-deliveries",
            get(list_deliveries),
        )
        .route(
            "/_admin/ias/tenants/{tenant}/realtime-deliveries/flush",
            post(flush),
        )
}

/// An admin error answer: `{"error": message}`.
fn admin_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// The 404 for a tenant the mock does not have.
fn no_tenant(name: &str) -> Response {
    admin_error(StatusCode::NOT_FOUND, format!("no tenant {name:?}"))
}

async fn list_targets(State(mock): State<Arc<IasMock>>, Path(name): Path<String>) -> Response {
    let Some(tenant) = mock.tenant(&name) else {
        return no_tenant(&name);
    };
    let targets: Vec<Value> = tenant
        .realtime()
        .targets()
        .iter()
        .map(|t| t.view())
        .collect();
    Json(json!({ "targets": targets })).into_response()
}

async fn add_target(
    State(mock): State<Arc<IasMock>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let Some(tenant) = mock.tenant(&name) else {
        return no_tenant(&name);
    };
    match tenant
        .realtime()
        .add_target(&String::from_utf8_lossy(&body))
    {
        Ok(target) => (StatusCode::CREATED, Json(target.view())).into_response(),
        Err(message) => admin_error(StatusCode::BAD_REQUEST, message),
    }
}

async fn remove_target(
    State(mock): State<Arc<IasMock>>,
    Path((name, id)): Path<(String, String)>,
) -> Response {
    let Some(tenant) = mock.tenant(&name) else {
        return no_tenant(&name);
    };
    if tenant.realtime().remove_target(&id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        admin_error(
            StatusCode::NOT_FOUND,
            format!("tenant {name:?} has no real-time target {id:?}"),
        )
    }
}

/// The delivery log and the pending count as the admin surface answers them.
fn deliveries_answer(tenant: &crate::tenant::Tenant) -> Response {
    let realtime = tenant.realtime();
    let deliveries: Vec<Value> = realtime.deliveries().iter().map(Delivery::view).collect();
    Json(json!({ "pending": realtime.pending(), "deliveries": deliveries })).into_response()
}

async fn list_deliveries(State(mock): State<Arc<IasMock>>, Path(name): Path<String>) -> Response {
    match mock.tenant(&name) {
        Some(tenant) => deliveries_answer(&tenant),
        None => no_tenant(&name),
    }
}

/// Waits until every queued push has been made, then answers the log.
async fn flush(State(mock): State<Arc<IasMock>>, Path(name): Path<String>) -> Response {
    let Some(tenant) = mock.tenant(&name) else {
        return no_tenant(&name);
    };
    tenant.realtime().flush().await;
    deliveries_answer(&tenant)
}
