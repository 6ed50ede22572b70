//! The HTTP face of a tenant: `/scim/*` (SCIM v2, Identity Directory API) and `/oauth2/token`.

mod bulk;
mod caller;
mod discovery;
mod groups;
mod respond;
mod token;
mod users;
mod v1;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use sapland_mock_kit::clock::ClockMode;
use sapland_mock_kit::kit::Kit;

use crate::tenant::Tenant;
use crate::throttle::{DELAY, Verdict};

pub use respond::error_response;

/// What every handler of a tenant gets.
#[derive(Debug, Clone)]
pub struct TenantState {
    /// The tenant.
    pub tenant: Arc<Tenant>,
    /// The mock's kit (clock).
    pub kit: Arc<Kit>,
}

/// The routes of one tenant (without the kit's observe layer, which the mock adds). Every route
/// runs inside the real-time capture layer, so user writes of SCIM v1, v2 and Bulk are pushed to
/// the tenant's real-time targets (see [`crate::realtime`]).
pub fn tenant_router(state: TenantState) -> Router {
    let scim = Router::new()
        .route("/scim/Users", get(users::list).post(users::create))
        .route("/scim/Users/", get(users::list).post(users::create))
        .route(
            "/scim/Users/{id}",
            get(users::read)
                .put(users::replace)
                .patch(users::patch)
                .delete(users::delete),
        )
        .route("/scim/Groups", get(groups::list).post(groups::create))
        .route("/scim/Groups/", get(groups::list).post(groups::create))
        .route(
            "/scim/Groups/{id}",
            get(groups::read)
                .put(groups::replace)
                .patch(groups::patch)
                .delete(groups::delete),
        )
        .route("/scim/Bulk", post(bulk::bulk))
        .route("/scim/.search", post(respond::search_not_supported))
        .route("/scim/Users/.search", post(respond::search_not_supported))
        .route("/scim/Groups/.search", post(respond::search_not_supported))
        .route(
            "/scim/ServiceProviderConfig",
            get(discovery::service_provider_config),
        )
        .route("/scim/ResourceTypes", get(discovery::resource_types))
        .route("/scim/ResourceTypes/{name}", get(discovery::resource_type))
        .route("/scim/Schemas", get(discovery::schemas))
        .route("/scim/Schemas/{id}", get(discovery::schema))
        .fallback(respond::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), throttle));
    let scim_v1 = v1::router().layer(middleware::from_fn_with_state(state.clone(), throttle));
    Router::new()
        .route("/oauth2/token", post(token::issue))
        .merge(scim)
        .merge(scim_v1)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::realtime::capture,
        ))
        .with_state(state)
}

/// Applies the tenant's SCIM rate limit ([DOC] §3.6). In manual clock mode the 1-s delay is not
/// slept; the answer carries `X-Sapland-Throttle: delayed` instead (`proposed`).
async fn throttle(State(state): State<TenantState>, request: Request, next: Next) -> Response {
    let now = state.kit.clock.now();
    let verdict = state.tenant.throttle().admit(now);
    match verdict {
        Verdict::Serve => next.run(request).await,
        Verdict::Delay => {
            let manual = state.kit.clock.view().mode == ClockMode::Manual;
            if !manual {
                tokio::time::sleep(DELAY.unsigned_abs()).await;
            }
            let mut response = next.run(request).await;
            response
                .headers_mut()
                .insert("x-sapland-throttle", HeaderValue::from_static("delayed"));
            response
        }
        Verdict::Reject { retry_after } => {
            let mut response = error_response(&crate::directory::scim_error(
                429,
                None,
                "Too Many Requests: the tenant allows 200 SCIM requests a minute",
            ));
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            debug_assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
            response
        }
    }
}
