//! The HTTP face of the mock: the API under `<root>/api/…` and each subaccount's UAA token
//! endpoint. Handlers check the bearer token and scope first, then the parameters and body, and
//! answer with Cloud ALM's error envelopes (see [`respond`]).

mod analytics;
mod csa;
mod format;
mod landscape;
mod logs;
mod metrics;
mod params;
pub mod respond;
mod token;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::mock::CalmMock;
use crate::uaa::Uaa;

pub use respond::error_body;

/// The API routes (without the kit's observe layer, which the mock adds).
pub fn api_router(mock: Arc<CalmMock>) -> Router {
    Router::new()
        .route(
            "/api/landscape-management/v1/Registration",
            post(landscape::register),
        )
        .route(
            "/api/landscape-management/v1/Registration/{lms_id}",
            delete(landscape::unregister),
        )
        .route(
            "/api/landscape-management/v1/Heartbeat",
            post(landscape::heartbeat),
        )
        .route(
            "/api/calm-landscape/v1/landscapeObjects",
            get(landscape::list),
        )
        .route(
            "/api/calm-metrics/v1/metrics",
            get(metrics::read).post(metrics::push),
        )
        .route("/api/calm-logs/v1/logs", get(logs::read).post(logs::push))
        .route(
            "/api/calm-analytics/v1/odata/v4/analytics/DataSet",
            get(analytics::dataset),
        )
        .route("/api/calm-csa/v1/stores", post(csa::push))
        .fallback(respond::not_found)
        .with_state(mock)
}

/// The token endpoint of one subaccount's UAA: `uaa.url` (`certificate` false) or `uaa.certurl`.
pub fn uaa_router(mock: Arc<CalmMock>, uaa: Arc<Uaa>, certificate: bool) -> Router {
    let endpoint = if certificate {
        crate::uaa::Endpoint::Certificate
    } else {
        crate::uaa::Endpoint::Secret
    };
    Router::new()
        .route("/oauth/token", get(token::issue).post(token::issue))
        .fallback(respond::not_found)
        .with_state(token::TokenState {
            mock,
            uaa,
            endpoint,
        })
}
