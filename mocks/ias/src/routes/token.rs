//! `POST /oauth2/token`: client credentials for technical users ([DOC] §3.2).

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sapland_inbound::serve::PeerCertificate;
use sapland_mock_kit::oauth::TokenRequest;

use super::TenantState;

pub(super) async fn issue(
    State(state): State<TenantState>,
    headers: HeaderMap,
    certificate: Option<Extension<PeerCertificate>>,
    body: Bytes,
) -> Response {
    let text = String::from_utf8_lossy(&body);
    let request = TokenRequest {
        authorization: headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
        certificate_subject: certificate.as_ref().map(|c| c.0.subject.as_str()),
        content_type: headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        body: &text,
    };
    let now = state.kit.clock.now();
    let result = state.tenant.issuer().token(&request, now);
    match result {
        Ok(token) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            Json(token),
        )
            .into_response(),
        Err(err) => {
            let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let mut response = (status, Json(&err)).into_response();
            if err.basic_attempted && status == StatusCode::UNAUTHORIZED {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"IAS\""),
                );
            }
            response
        }
    }
}
