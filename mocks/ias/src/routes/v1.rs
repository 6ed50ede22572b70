//! `/service/scim/*`: the deprecated *Identity Authentication SCIM REST API* (SCIM v1,
//! reference/ips-ias.md §3.3 [DOC]) on the tenant's one directory. Reading users needs
//! *Manage Users* or *Read Users*, writing them *Manage Users*, groups *Manage Groups*, as in v2
//! ([DOC] §3.2). v1 has no PATCH: it and any other undocumented method answer 405 with `Allow`.
//!
//! **Proposed:** SAP documents v1's status codes and the `X-message-code` header but not its
//! error body (§7 item 8), so errors carry the SCIM error JSON v2 uses; `X-message-code` is
//! sent with the one code SAP names, `Mismatched group id`. A create answers `Location:
//! <tenant>/service/users/<id>` as SAP documents it (§7 item 14), while `meta.location` is
//! `<tenant>/service/scim/Users/<id>`; v1 answers carry no `ETag` (every `meta.version` is
//! `1.0`).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use sapland_core::scim::ScimError;
use serde_json::Value;

use super::TenantState;
use super::caller::{Caller, Failure};
use super::respond::{error_response, json_body, scim_json};
use crate::auth::Role;
use crate::directory::{ListQuery, Projection, scim_error};

const READ_USERS: &[Role] = &[Role::ManageUsers, Role::ReadUsers];
const WRITE_USERS: &[Role] = &[Role::ManageUsers];
const GROUPS: &[Role] = &[Role::ManageGroups];

/// The message code SAP documents for a group PUT whose body names another group.
const MISMATCHED_GROUP_ID: &str = "Mismatched group id";

/// The SCIM v1 routes.
pub(super) fn router() -> Router<TenantState> {
    let users = || {
        get(list_users)
            .post(create_user)
            .fallback(|| async { method_not_allowed("GET, POST") })
    };
    let groups = || {
        get(list_groups)
            .post(create_group)
            .fallback(|| async { method_not_allowed("GET, POST") })
    };
    let user: MethodRouter<TenantState> = get(read_user)
        .put(update_user)
        .delete(delete_user)
        .fallback(|| async { method_not_allowed("GET, PUT, DELETE") });
    let group: MethodRouter<TenantState> = get(read_group)
        .put(replace_group)
        .delete(delete_group)
        .fallback(|| async { method_not_allowed("GET, PUT, DELETE") });
    Router::new()
        .route("/service/scim/Users", users())
        .route("/service/scim/Users/", users())
        .route("/service/scim/Users/{id}", user)
        .route("/service/scim/Groups", groups())
        .route("/service/scim/Groups/", groups())
        .route("/service/scim/Groups/{id}", group)
}

/// 405 with the methods v1 offers on the path ([DOC]: no PATCH in v1).
fn method_not_allowed(allow: &'static str) -> Response {
    let mut response = error_response(&scim_error(
        405,
        None,
        format!("Method Not Allowed: the SCIM REST API (v1) offers {allow} here; it has no PATCH"),
    ));
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}

/// A v1 error: the SCIM error JSON (**proposed**) and `X-message-code` where SAP names one.
fn v1_error(error: &ScimError) -> Response {
    let mut response = error_response(error);
    if error
        .detail
        .as_deref()
        .is_some_and(|d| d.starts_with(MISMATCHED_GROUP_ID))
    {
        response.headers_mut().insert(
            "x-message-code",
            HeaderValue::from_static(MISMATCHED_GROUP_ID),
        );
    }
    response
}

fn answer(status: StatusCode, result: Result<Value, ScimError>) -> Response {
    match result {
        Ok(body) => scim_json(status, &body),
        Err(err) => v1_error(&err),
    }
}

fn no_content(result: Result<(), ScimError>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => v1_error(&err),
    }
}

async fn list_users(
    State(state): State<TenantState>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> Response {
    if let Err(Failure(error)) = caller.require(READ_USERS) {
        return v1_error(&error);
    }
    answer(
        StatusCode::OK,
        state.tenant.directory().v1_list_users(&query),
    )
}

async fn create_user(
    State(state): State<TenantState>,
    headers: HeaderMap,
    caller: Caller,
    body: Bytes,
) -> Response {
    if let Err(Failure(error)) = caller.require(WRITE_USERS) {
        return v1_error(&error);
    }
    let result = json_body(&headers, &body).and_then(|body| {
        state
            .tenant
            .directory_mut()
            .v1_create_user(body, state.kit.clock.now())
    });
    let user = match result {
        Ok(user) => user,
        Err(err) => return v1_error(&err),
    };
    let mut response = scim_json(StatusCode::CREATED, &user);
    if let Some(id) = user.get("id").and_then(Value::as_str) {
        let location = format!(
            "{}/service/users/{id}",
            state.tenant.url.trim_end_matches('/')
        );
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, value);
        }
    }
    response
}

async fn read_user(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    if let Err(Failure(error)) = caller.require(READ_USERS) {
        return v1_error(&error);
    }
    let result =
        Projection::parse(&query, sapland_core::scim::schemas::CORE_USER).and_then(|projection| {
            let user = state.tenant.directory().v1_user(&id)?;
            Ok(projection.apply(user))
        });
    answer(StatusCode::OK, result)
}

async fn update_user(
    State(state): State<TenantState>,
    headers: HeaderMap,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(Failure(error)) = caller.require(WRITE_USERS) {
        return v1_error(&error);
    }
    let result = json_body(&headers, &body).and_then(|body| {
        state
            .tenant
            .directory_mut()
            .v1_update_user(&id, body, state.kit.clock.now())
    });
    answer(StatusCode::OK, result)
}

async fn delete_user(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    if let Err(Failure(error)) = caller.require(WRITE_USERS) {
        return v1_error(&error);
    }
    no_content(state.tenant.directory_mut().v1_delete_user(&id))
}

async fn list_groups(
    State(state): State<TenantState>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> Response {
    if let Err(Failure(error)) = caller.require(GROUPS) {
        return v1_error(&error);
    }
    answer(
        StatusCode::OK,
        state.tenant.directory().v1_list_groups(&query),
    )
}

async fn create_group(
    State(state): State<TenantState>,
    headers: HeaderMap,
    caller: Caller,
    body: Bytes,
) -> Response {
    if let Err(Failure(error)) = caller.require(GROUPS) {
        return v1_error(&error);
    }
    let result = json_body(&headers, &body).and_then(|body| {
        state
            .tenant
            .directory_mut()
            .v1_create_group(body, state.kit.clock.now())
    });
    answer(StatusCode::CREATED, result)
}

async fn read_group(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    if let Err(Failure(error)) = caller.require(GROUPS) {
        return v1_error(&error);
    }
    let result =
        Projection::parse(&query, sapland_core::scim::schemas::CORE_GROUP).and_then(|projection| {
            let group = state.tenant.directory().v1_group(&id)?;
            Ok(projection.apply(group))
        });
    answer(StatusCode::OK, result)
}

async fn replace_group(
    State(state): State<TenantState>,
    headers: HeaderMap,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(Failure(error)) = caller.require(GROUPS) {
        return v1_error(&error);
    }
    let result = json_body(&headers, &body).and_then(|body| {
        state
            .tenant
            .directory_mut()
            .v1_replace_group(&id, body, state.kit.clock.now())
    });
    answer(StatusCode::OK, result)
}

async fn delete_group(
    State(state): State<TenantState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    if let Err(Failure(error)) = caller.require(GROUPS) {
        return v1_error(&error);
    }
    no_content(state.tenant.directory_mut().v1_delete_group(&id))
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::Arc;

    use base64::Engine as _;
    use sapland_core::scim::Secret;
    use sapland_mock_kit::clock::Clock;
    use sapland_mock_kit::kit::Kit;
    use serde_json::json;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;
    use crate::auth::TechnicalUser;
    use crate::config::TenantConfig;
    use crate::directory::Uniqueness;
    use crate::tenant::Tenant;
    use crate::throttle::ThrottleMode;

    const ADMIN: (&str, &str) = ("admin-client", "admin-secret");
    const READER: (&str, &str) = ("reader-client", "reader-secret");

    fn technical_user(credentials: (&str, &str), roles: Vec<Role>) -> TechnicalUser {
        TechnicalUser {
            name: credentials.0.to_string(),
            client_id: credentials.0.to_string(),
            client_secret: Secret::new(credentials.1.to_string()),
            certificate_subject: None,
            roles,
        }
    }

    async fn serve() -> SocketAddr {
        let config = TenantConfig {
            name: "target".into(),
            technical_users: vec![
                technical_user(ADMIN, Role::ALL.to_vec()),
                technical_user(READER, vec![Role::ReadUsers]),
            ],
            uniqueness: Uniqueness::default(),
        };
        let start = "2026-11-22T09:00:00Z".parse().expect("a timestamp");
        let state = TenantState {
            tenant: Arc::new(Tenant::new(
                &config,
                "https://target.example",
                ThrottleMode::Off,
                7,
            )),
            kit: Arc::new(Kit::new(Clock::manual(start), Secret::new("t"), 16)),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let address = listener.local_addr().expect("an address");
        let app = super::super::tenant_router(state);
        tokio::spawn(async move { axum::serve(listener, app).await });
        address
    }

    struct Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Value,
    }

    impl Reply {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    /// One HTTP/1.1 exchange, written by hand so the test needs no client crate.
    async fn send(
        address: SocketAddr,
        method: &str,
        path: &str,
        credentials: (&str, &str),
        body: Option<Value>,
    ) -> Reply {
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", credentials.0, credentials.1));
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: target\r\nConnection: close\r\nAuthorization: Basic {token}\r\nContent-Type: application/scim+json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connects");
        stream.write_all(request.as_bytes()).await.expect("writes");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("reads");
        let text = String::from_utf8(raw).expect("UTF-8");
        let (head, body) = text.split_once("\r\n\r\n").expect("a head");
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status");
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: serde_json::from_str(body).unwrap_or(Value::Null),
        }
    }

    fn amy() -> Value {
        json!({"userName": "amy", "name": {"familyName": "Adams"}, "emails": [{"value": "amy@example.com"}]})
    }

    #[tokio::test]
    async fn a_create_answers_201_with_the_documented_location() {
        let address = serve().await;
        let reply = send(address, "POST", "/service/scim/Users", ADMIN, Some(amy())).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert_eq!(
            reply.header("location"),
            Some("https://target.example/service/users/P000001")
        );
        assert_eq!(reply.header("content-type"), Some("application/scim+json"));
        assert_eq!(
            reply.body["meta"]["location"],
            "https://target.example/service/scim/Users/P000001"
        );
        let reply = send(address, "GET", "/service/scim/Users/", ADMIN, None).await;
        assert_eq!(reply.body["totalResults"], 1);
        let uuid = reply.body["Resources"][0]["userUuid"]
            .as_str()
            .expect("a uuid")
            .to_string();
        let reply = send(address, "GET", &format!("/scim/Users/{uuid}"), ADMIN, None).await;
        assert_eq!(reply.status, 200, "v2 sees the v1 user");
    }

    #[tokio::test]
    async fn patch_is_not_allowed() {
        let address = serve().await;
        send(address, "POST", "/service/scim/Users", ADMIN, Some(amy())).await;
        let reply = send(
            address,
            "PATCH",
            "/service/scim/Users/P000001",
            ADMIN,
            Some(json!({})),
        )
        .await;
        assert_eq!(reply.status, 405);
        assert_eq!(reply.header("allow"), Some("GET, PUT, DELETE"));
        assert_eq!(reply.body["status"], "405");
    }

    #[tokio::test]
    async fn a_mismatched_group_id_is_named_in_x_message_code() {
        let address = serve().await;
        let reply = send(
            address,
            "POST",
            "/service/scim/Groups",
            ADMIN,
            Some(json!({"displayName": "Devs"})),
        )
        .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        let id = reply.body["id"].as_str().expect("an id");
        let reply = send(
            address,
            "PUT",
            &format!("/service/scim/Groups/{id}"),
            ADMIN,
            Some(json!({"id": "aaaaaaaaaaaaaaaaaaaaaaaa", "displayName": "Devs"})),
        )
        .await;
        assert_eq!(reply.status, 400);
        assert_eq!(reply.header("x-message-code"), Some("Mismatched group id"));
    }

    #[tokio::test]
    async fn roles_are_checked_as_in_v2() {
        let address = serve().await;
        let reply = send(address, "GET", "/service/scim/Users", READER, None).await;
        assert_eq!(reply.status, 200);
        let reply = send(address, "POST", "/service/scim/Users", READER, Some(amy())).await;
        assert_eq!(reply.status, 403);
        let reply = send(address, "GET", "/service/scim/Groups", READER, None).await;
        assert_eq!(reply.status, 403);
        let reply = send(address, "GET", "/service/scim/Users", ("nobody", "x"), None).await;
        assert_eq!(reply.status, 401);
    }
}
