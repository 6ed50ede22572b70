//! `GET|POST {uaa.url|uaa.certurl}/oauth/token`: client credentials (reference §1.4).

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use sapland_inbound::serve::PeerCertificate;

use super::respond::json_response;
use crate::mock::CalmMock;
use crate::uaa::{Endpoint, TokenCall, Uaa};

/// What the token endpoint of one UAA listener needs.
#[derive(Clone)]
pub(crate) struct TokenState {
    pub(crate) mock: Arc<CalmMock>,
    pub(crate) uaa: Arc<Uaa>,
    pub(crate) endpoint: Endpoint,
}

pub(crate) async fn issue(
    State(state): State<TokenState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    certificate: Option<Extension<PeerCertificate>>,
    body: Bytes,
) -> Response {
    let text = String::from_utf8_lossy(&body);
    let header_text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let call = TokenCall {
        endpoint: state.endpoint,
        get: method == Method::GET,
        query: uri.query(),
        authorization: header_text(header::AUTHORIZATION),
        content_type: header_text(header::CONTENT_TYPE),
        body: &text,
        certificate_subject: certificate.as_ref().map(|c| c.0.subject.as_str()),
    };
    let now = state.mock.clock().now();
    match state.uaa.token(&call, now) {
        Ok(token) => {
            let mut response = json_response(StatusCode::OK, &token);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(err) => {
            let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let body = serde_json::to_value(&err).unwrap_or_default();
            let mut response = (status, axum::Json(body)).into_response();
            if err.basic_attempted && status == StatusCode::UNAUTHORIZED {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"UAA/client\""),
                );
            }
            response
        }
    }
}
