//! The mock IAS's extras on the `/_admin` surface (`proposed`): tenants, technical users,
//! user identifier settings, throttling.
//!
//! - `GET  /_admin/ias/tenants` — every tenant with its counts and settings (no secrets).
//! - `POST /_admin/ias/tenants/{tenant}/technical-users` — `{name, roles, clientId?,
//!   clientSecret?, certificatePem? | certificateSubject?}`; missing id and secret are generated;
//!   an uploaded PEM certificate gives the subject that authenticates the user; answers 201 with
//!   the user, secret included (shown once, as IAS does).
//! - `PUT  /_admin/ias/tenants/{tenant}/uniqueness` — the user identifier settings.
//! - `PUT  /_admin/ias/tenants/{tenant}/throttling` — `{"mode": "sap"|"off"}`.
//! - `PUT  /_admin/ias/tenants/{tenant}/quirks` — `{"groupsCountInLists": false}` turns off IAS
//!   behaviours that strict SCIM clients reject (the conformance suite runs so).
//! - `GET/POST /_admin/ias/tenants/{tenant}/realtime-targets`, `DELETE …/realtime-targets/{id}`,
//!   `GET …/realtime-deliveries`, `POST …/realtime-deliveries/flush` — real-time provisioning
//!   targets and the log of their pushes (see [`crate::realtime`]).
//! - `POST /_admin/ias/tenants/{tenant}/users/import` — CSV user import, `text/csv` (see
//!   [`crate::csv_import`]).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use sapland_core::scim::Secret;
use sapland_mock_kit::ids::IdGenerator;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::{Role, TechnicalUser};
use crate::directory::{Quirks, Uniqueness};
use crate::mock::IasMock;
use crate::tenant::Tenant;
use crate::throttle::ThrottleMode;

/// The routes, mounted by the kit under its admin token.
pub fn routes(mock: Arc<IasMock>) -> Router {
    Router::new()
        .route("/_admin/ias/tenants", get(tenants))
        .route(
            "/_admin/ias/tenants/{tenant}/technical-users",
            post(add_technical_user),
        )
        .route(
            "/_admin/ias/tenants/{tenant}/uniqueness",
            put(set_uniqueness),
        )
        .route(
            "/_admin/ias/tenants/{tenant}/throttling",
            put(set_throttling),
        )
        .route("/_admin/ias/tenants/{tenant}/quirks", put(set_quirks))
        .route(
            "/_admin/ias/tenants/{tenant}/seed",
            post(crate::seed::seed_tenant),
        )
        .merge(crate::realtime::admin_routes())
        .merge(crate::csv_import::admin_routes())
        .with_state(mock)
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes, what: &str) -> Result<T, String> {
    sapland_core::json::from_str(&String::from_utf8_lossy(body))
        .map_err(|err| format!("invalid {what}: {err}"))
}

fn tenant(mock: &IasMock, name: &str) -> Result<Arc<Tenant>, String> {
    mock.tenant(name)
        .ok_or_else(|| format!("no tenant {name:?}"))
}

async fn tenants(State(mock): State<Arc<IasMock>>) -> Json<Value> {
    let tenants: Vec<Value> = mock
        .tenants()
        .iter()
        .map(|tenant| {
            let directory = tenant.directory();
            let technical_users: Vec<Value> = tenant
                .technical_users()
                .iter()
                .map(|u| json!({ "name": u.name, "clientId": u.client_id, "roles": u.roles, "certificateSubject": u.certificate_subject }))
                .collect();
            json!({
                "name": tenant.name,
                "url": tenant.url,
                "users": directory.user_count(),
                "groups": directory.group_count(),
                "uniqueness": directory.uniqueness(),
                "throttling": tenant.throttle().mode(),
                "technicalUsers": technical_users,
            })
        })
        .collect();
    Json(json!({ "tenants": tenants }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewTechnicalUser {
    name: String,
    roles: Vec<Role>,
    client_id: Option<String>,
    client_secret: Option<String>,
    certificate_subject: Option<String>,
    /// An uploaded certificate (PEM); its subject authenticates the user.
    certificate_pem: Option<String>,
}

async fn add_technical_user(
    State(mock): State<Arc<IasMock>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let tenant = match tenant(&mock, &name) {
        Ok(tenant) => tenant,
        Err(message) => return error(StatusCode::NOT_FOUND, message),
    };
    let new: NewTechnicalUser = match parse(&body, "technical user") {
        Ok(new) => new,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let certificate_subject = match (&new.certificate_pem, new.certificate_subject.clone()) {
        (Some(_), Some(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "give certificatePem or certificateSubject, not both",
            );
        }
        (Some(pem), None) => match sapland_inbound::serve::PeerCertificate::from_pem(pem) {
            Some(certificate) => Some(certificate.subject),
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "$.certificatePem: expected a PEM X.509 certificate",
                );
            }
        },
        (None, subject) => subject,
    };
    let count = tenant.technical_users().len() as u64;
    let mut ids = IdGenerator::derived(
        mock.config().seed.wrapping_add(count),
        &format!("ias.admin.{name}"),
    );
    let user = TechnicalUser {
        name: new.name,
        client_id: new.client_id.unwrap_or_else(|| ids.uuid()),
        client_secret: Secret::new(new.client_secret.unwrap_or_else(|| ids.secret(32))),
        certificate_subject,
        roles: new.roles,
    };
    let shown = json!({
        "name": user.name,
        "clientId": user.client_id,
        "clientSecret": user.client_secret.expose(),
        "roles": user.roles,
        "certificateSubject": user.certificate_subject,
    });
    tenant.put_technical_user(user);
    (StatusCode::CREATED, Json(shown)).into_response()
}

async fn set_uniqueness(
    State(mock): State<Arc<IasMock>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    update_tenant(
        &mock,
        &name,
        &body,
        "uniqueness settings",
        |tenant, uniqueness: Uniqueness| {
            tenant.directory_mut().set_uniqueness(uniqueness);
        },
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Throttling {
    mode: ThrottleMode,
}

async fn set_throttling(
    State(mock): State<Arc<IasMock>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    update_tenant(
        &mock,
        &name,
        &body,
        "throttling",
        |tenant, throttling: Throttling| {
            tenant.throttle().set_mode(throttling.mode);
        },
    )
}

async fn set_quirks(
    State(mock): State<Arc<IasMock>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    update_tenant(&mock, &name, &body, "quirks", |tenant, quirks: Quirks| {
        tenant.directory_mut().set_quirks(quirks);
    })
}

/// Reads one tenant setting from the body and applies it: 404 for an unknown tenant, 400 naming
/// the field for a bad body (nothing changes), 204 otherwise.
fn update_tenant<T: serde::de::DeserializeOwned>(
    mock: &IasMock,
    name: &str,
    body: &Bytes,
    what: &str,
    apply: impl FnOnce(&Tenant, T),
) -> Response {
    let tenant = match tenant(mock, name) {
        Ok(tenant) => tenant,
        Err(message) => return error(StatusCode::NOT_FOUND, message),
    };
    match parse::<T>(body, what) {
        Ok(setting) => {
            apply(&tenant, setting);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(message) => error(StatusCode::BAD_REQUEST, message),
    }
}
