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

impl std::fmt::Debug for Observed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Observed")
            .field("service", &self.service.name())
            .finish_non_exhaustive()
    }
}

/// Applies the first fault rule that hits the request, then journals the exchange.
pub async fn observe(State(observed): State<Observed>, request: Request, next: Next) -> Response {
    let now = observed.kit.clock.now();
    let (parts, body) = request.into_parts();
    let request_body = axum::body::to_bytes(body, MAX_BODY_BYTES).await;
    let (decision, entry) = {
        let mut headers: Vec<(&str, &str)> = parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str(),
                    std::str::from_utf8(value.as_bytes()).unwrap_or("<not UTF-8>"),
                )
            })
            .collect();
        // HTTP/2 carries the host as the `:authority` pseudo-header, which hyper puts in the
        // URI: show it as `host`, so fault rules and the journal tell tenants apart either way.
        if !parts.headers.contains_key(header::HOST)
            && let Some(authority) = parts.uri.authority()
        {
            headers.push(("host", authority.as_str()));
        }
        let info = RequestInfo {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            headers: &headers,
        };
        let decision = observed.kit.with_faults(|faults| faults.decide(&info, now));
        let no_body = Bytes::new();
        let entry = JournalEntry::redacted(&Exchange {
            time: now,
            method: info.method,
            path: info.path,
            query: parts.uri.query(),
            request_headers: &headers,
            request_body: request_body.as_ref().unwrap_or(&no_body),
            status: 0,
            response_content_type: None,
            response_body: &no_body,
            fault: None,
        });
        (decision, entry)
    };
    let journal = |entry: JournalEntry| observed.kit.with_journal(|journal| journal.push(entry));

    let Ok(request_body) = request_body else {
        let status = StatusCode::PAYLOAD_TOO_LARGE;
        let detail = format!("The request body is larger than {MAX_BODY_BYTES} bytes");
        let (content_type, body) = observed.service.error_body(status.as_u16(), &detail);
        let body = Bytes::from(body);
        journal(entry.answered(status.as_u16(), Some(content_type), &body, None));
        return (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
    };

    let forward = |parts, body: &Bytes| Request::from_parts(parts, Body::from(body.clone()));
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
            (next.run(forward(parts, &request_body)).await, Some(rule))
        }
        Some((rule, Action::Drop)) => (dropped_connection(), Some(rule)),
        Some((rule, Action::MalformedBody)) => {
            let (mut head, _) = next.run(forward(parts, &request_body)).await.into_parts();
            head.headers.remove(header::CONTENT_LENGTH);
            (
                Response::from_parts(head, Body::from(&b"{\"schemas\":[\"urn:"[..])),
                Some(rule),
            )
        }
        None => (next.run(forward(parts, &request_body)).await, None),
    };

    let (head, body) = response.into_parts();
    let Ok(collected) = body.collect().await else {
        journal(entry.answered(0, None, &Bytes::new(), fault));
        return dropped_connection();
    };
    let response_body = collected.to_bytes();
    let content_type = head
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    journal(entry.answered(head.status.as_u16(), content_type, &response_body, fault));
    Response::from_parts(head, Body::from(response_body))
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
