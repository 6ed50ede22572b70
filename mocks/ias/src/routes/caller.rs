//! Who is calling: the `Caller` extractor authenticates every SCIM request as a technical user
//! (401 otherwise), and `Failure` turns a SCIM error into its answer, so handlers use `?`.

use axum::Extension;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use sapland_core::scim::ScimError;
use sapland_inbound::serve::PeerCertificate;

use super::TenantState;
use super::respond::error_response;
use crate::auth::{Presented, Principal, Role, authenticate};

/// The authenticated technical user of a request.
#[derive(Debug, Clone)]
pub(crate) struct Caller(pub(crate) Principal);

impl Caller {
    /// `Ok` when the caller holds one of `roles`; otherwise 403 naming them.
    pub(crate) fn require(&self, roles: &[Role]) -> Result<(), Failure> {
        self.0.require(roles).map_err(Failure)
    }
}

impl FromRequestParts<TenantState> for Caller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &TenantState) -> Result<Self, Failure> {
        let certificate = <Extension<PeerCertificate> as OptionalFromRequestParts<TenantState>>::from_request_parts(parts, state)
            .await
            .ok()
            .flatten();
        let presented = Presented {
            authorization: parts
                .headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok()),
            certificate: certificate.as_ref().map(|c| &c.0),
        };
        let now = state.kit.clock.now();
        let bearer = |token: &str| {
            state
                .tenant
                .issuer()
                .validate(token, now)
                .ok()
                .map(|t| t.client_id.clone())
        };
        let principal = authenticate(&state.tenant.technical_users_read(), bearer, presented)?;
        Ok(Self(principal))
    }
}

/// A SCIM error on its way to becoming the answer.
#[derive(Debug)]
pub(crate) struct Failure(pub(crate) ScimError);

impl From<ScimError> for Failure {
    fn from(error: ScimError) -> Self {
        Self(error)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        error_response(&self.0)
    }
}
