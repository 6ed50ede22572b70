//! The middleware in front of a mock's SAP-facing routes: it applies fault rules and records
//! every exchange in the journal (redacted).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use crate::faults::{Action, RequestInfo};
use crate::journal::{Exchange, JournalEntry};
use crate::kit::Kit;
use crate::service::MockService;

/// Request bodies larger than this are not read into the journal; the mock itself answers 413.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What the observe middleware needs: the kit and the mock (for fault bodies).
#[derive(Clone)]
pub struct Observed {
    /// The mock's kit.
    pub kit: Arc<Kit>,
    /// The mock.
    pub service: Arc<dyn MockService>,
}

/// Applies the first fault rule that hits the request, then journals the exchange.
pub async fn observe(State(observed): State<Observed>, request: Request, next: Next) -> Response {
    let now = observed.kit.clock.now();
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();

    let decision = observed.kit.with_faults(|faults| {
        faults.decide(
            &RequestInfo {
                method: &method,
                path: &path,
                headers: &header_refs,
            },
            now,
        )
    });

    let (parts, body) = request.into_parts();
    let request_body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let status = StatusCode::PAYLOAD_TOO_LARGE;
            let detail = format!("The request body is larger than {MAX_BODY_BYTES} bytes");
            let (content_type, body) = observed.service.error_body(status.as_u16(), &detail);
            let body = Bytes::from(body);
            let exchange = Exchange {
                time: now,
                method: &method,
                path: &path,
                query: query.as_deref(),
                request_headers: &header_refs,
                request_body: &Bytes::new(),
                status: status.as_u16(),
                response_content_type: Some(content_type),
                response_body: &body,
                fault: None,
            };
            let entry = JournalEntry::redacted(&exchange);
            observed.kit.with_journal(|journal| journal.push(entry));
            return (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
        }
    };

    let (response, fault) = match decision {
        Some((
            rule,
            Action::Status {
                status,
                retry_after,
            },
        )) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let detail = format!("Fault rule {rule} answered {}", status.as_u16());
            let (content_type, body) = observed.service.error_body(status.as_u16(), &detail);
            let mut response =
                (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            (response, Some(rule))
        }
        Some((rule, Action::Latency { ms })) => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            let request = Request::from_parts(parts, Body::from(request_body.clone()));
            (next.run(request).await, Some(rule))
        }
        Some((rule, Action::Drop)) => (dropped_connection(), Some(rule)),
        Some((rule, Action::MalformedBody)) => {
            let request = Request::from_parts(parts, Body::from(request_body.clone()));
            let (mut head, _) = next.run(request).await.into_parts();
            head.headers.remove(header::CONTENT_LENGTH);
            (
                Response::from_parts(head, Body::from(&b"{\"schemas\":[\"urn:"[..])),
                Some(rule),
            )
        }
        None => {
            let request = Request::from_parts(parts, Body::from(request_body.clone()));
            (next.run(request).await, None)
        }
    };

    let (head, body) = response.into_parts();
    let response_body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            journal(
                &observed.kit,
                now,
                &method,
                &path,
                query.as_deref(),
                &header_refs,
                &request_body,
                0,
                None,
                &Bytes::new(),
                fault,
            );
            return dropped_connection();
        }
    };
    let content_type = head
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    journal(
        &observed.kit,
        now,
        &method,
        &path,
        query.as_deref(),
        &header_refs,
        &request_body,
        head.status.as_u16(),
        content_type,
        &response_body,
        fault,
    );
    Response::from_parts(head, Body::from(response_body))
}

#[expect(
    clippy::too_many_arguments,
    reason = "one exchange's parts, recorded in one place"
)]
fn journal(
    kit: &Kit,
    time: jiff::Timestamp,
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &[(&str, &str)],
    request_body: &Bytes,
    status: u16,
    content_type: Option<&str>,
    response_body: &Bytes,
    fault: Option<u64>,
) {
    let entry = JournalEntry::redacted(&Exchange {
        time,
        method,
        path,
        query,
        request_headers: headers,
        request_body,
        status,
        response_content_type: content_type,
        response_body,
        fault,
    });
    kit.with_journal(|journal| journal.push(entry));
}

/// A response whose body fails at once, so the server aborts the connection before a complete
/// answer: the client sees a dropped connection.
fn dropped_connection() -> Response {
    Response::new(Body::new(FailingBody))
}

/// A body that yields an error on its first poll.
struct FailingBody;

impl axum::body::HttpBody for FailingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, std::io::Error>>> {
        let error = std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "fault rule: drop");
        std::task::Poll::Ready(Some(Err(error)))
    }
}
