//! The `/_admin` surface, the same on every mock: health, reset, state, journal, faults, clock.
//! Everything but `GET /_admin/health` needs `Authorization: Bearer <admin_token>`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use jiff::SignedDuration;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::faults::FaultRule;
use crate::kit::Kit;
use crate::service::MockService;

/// The admin routes for one mock, under `/_admin`. The mock's own admin routes find the landscape
/// clock as an `Extension<Clock>`.
pub fn router(kit: Arc<Kit>, service: Arc<dyn MockService>) -> Router {
    let protected = Router::new()
        .route("/_admin/reset", post(reset))
        .route("/_admin/state", get(export_state).put(import_state))
        .route("/_admin/journal", get(journal).delete(clear_journal))
        .route(
            "/_admin/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/_admin/faults/{id}", delete(remove_fault))
        .route("/_admin/clock", get(clock))
        .route("/_admin/clock/advance", post(advance_clock))
        .with_state(AdminState {
            kit: kit.clone(),
            service: service.clone(),
        })
        .merge(service.clone().admin_routes())
        .layer(middleware::from_fn_with_state(
            kit.clone(),
            require_admin_token,
        ))
        .layer(axum::Extension(kit.clock.clone()));
    Router::new()
        .route("/_admin/health", get(health))
        .with_state(service)
        .merge(protected)
}

#[derive(Clone)]
struct AdminState {
    kit: Arc<Kit>,
    service: Arc<dyn MockService>,
}

/// An admin error answer: `{"error": "…"}` with a status.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

async fn require_admin_token(
    State(kit): State<Arc<Kit>>,
    request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if presented.is_some_and(|token| kit.admin_token_matches(token)) {
        next.run(request).await
    } else {
        error(
            StatusCode::UNAUTHORIZED,
            "the admin surface needs Authorization: Bearer <admin_token> (see landscape.json)",
        )
    }
}

async fn health(State(service): State<Arc<dyn MockService>>) -> Json<Value> {
    Json(json!({ "status": "UP", "mock": service.name() }))
}

async fn reset(State(admin): State<AdminState>) -> StatusCode {
    admin.service.reset();
    admin.kit.reset();
    StatusCode::NO_CONTENT
}

async fn export_state(State(admin): State<AdminState>) -> Json<Value> {
    Json(admin.service.export_state())
}

async fn import_state(State(admin): State<AdminState>, body: Bytes) -> Response {
    let snapshot: Value = match sapland_core::json::from_str(&String::from_utf8_lossy(&body)) {
        Ok(value) => value,
        Err(err) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("the state snapshot is not JSON: {err}"),
            );
        }
    };
    match admin.service.import_state(snapshot) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(message) => error(StatusCode::BAD_REQUEST, message),
    }
}

#[derive(Deserialize)]
struct JournalQuery {
    limit: Option<usize>,
}

async fn journal(
    State(admin): State<AdminState>,
    Query(query): Query<JournalQuery>,
) -> Json<Value> {
    let entries = admin.kit.journal_latest(query.limit);
    Json(json!({ "entries": entries }))
}

async fn clear_journal(State(admin): State<AdminState>) -> StatusCode {
    admin.kit.clear_journal();
    StatusCode::NO_CONTENT
}

async fn list_faults(State(admin): State<AdminState>) -> Json<Value> {
    Json(json!({ "rules": admin.kit.fault_rules() }))
}

async fn add_fault(State(admin): State<AdminState>, body: Bytes) -> Response {
    match FaultRule::from_json(&String::from_utf8_lossy(&body)) {
        Ok(rule) => {
            let id = admin.kit.add_fault(rule);
            (StatusCode::CREATED, Json(json!({ "id": id }))).into_response()
        }
        Err(err) => error(
            StatusCode::BAD_REQUEST,
            format!("invalid fault rule: {err}"),
        ),
    }
}

async fn clear_faults(State(admin): State<AdminState>) -> StatusCode {
    admin.kit.clear_faults();
    StatusCode::NO_CONTENT
}

async fn remove_fault(State(admin): State<AdminState>, Path(id): Path<String>) -> Response {
    match id.parse::<u64>() {
        Ok(id) if admin.kit.remove_fault(id) => StatusCode::NO_CONTENT.into_response(),
        _ => error(StatusCode::NOT_FOUND, format!("no fault rule {id}")),
    }
}

async fn clock(State(admin): State<AdminState>) -> Json<Value> {
    Json(json!(admin.kit.clock.view()))
}

/// `{"by": "2h 30m"}` (a friendly or ISO 8601 duration) or `{"seconds": 9000}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    by: Option<String>,
    seconds: Option<i64>,
}

async fn advance_clock(State(admin): State<AdminState>, body: Bytes) -> Response {
    let advance: Advance = match sapland_core::json::from_str(&String::from_utf8_lossy(&body)) {
        Ok(advance) => advance,
        Err(err) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("expected {{\"by\": \"2h\"}} or {{\"seconds\": 7200}}: {err}"),
            );
        }
    };
    let by = match (advance.by, advance.seconds) {
        (Some(text), None) => match text.parse::<SignedDuration>() {
            Ok(by) => by,
            Err(err) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "$.by: {text:?} is not a duration such as \"2h 30m\" or \"PT2H\": {err}"
                    ),
                );
            }
        },
        (None, Some(seconds)) => SignedDuration::from_secs(seconds),
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "expected exactly one of by and seconds",
            );
        }
    };
    match admin.kit.clock.advance(by) {
        Ok(_) => Json(json!(admin.kit.clock.view())).into_response(),
        Err(err) => error(StatusCode::BAD_REQUEST, err.to_string()),
    }
}
