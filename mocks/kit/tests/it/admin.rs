//! The `/_admin` surface and the observe middleware, driven in-process (no sockets).

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::post;
use axum::{Json, Router, middleware};
use http_body_util::BodyExt;
use jiff::Timestamp;
use sapland_core::scim::Secret;
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::kit::Kit;
use sapland_mock_kit::observe::{Observed, observe};
use sapland_mock_kit::service::MockService;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "admin-token-for-tests";

/// A mock whose whole state is one JSON value; `users` must be an array on import.
struct Fake {
    state: Mutex<Value>,
}

impl MockService for Fake {
    fn name(&self) -> &'static str {
        "fake"
    }
    fn reset(&self) {
        *self.state.lock().unwrap() = json!({"users": []});
    }
    fn export_state(&self) -> Value {
        self.state.lock().unwrap().clone()
    }
    fn import_state(&self, snapshot: Value) -> Result<(), String> {
        if !snapshot["users"].is_array() {
            return Err("$.users: expected an array".into());
        }
        *self.state.lock().unwrap() = snapshot;
        Ok(())
    }
}

struct Harness {
    app: Router,
    kit: Arc<Kit>,
    fake: Arc<Fake>,
}

fn harness() -> Harness {
    let clock = Clock::manual("2026-11-22T10:00:00Z".parse::<Timestamp>().unwrap());
    let kit = Arc::new(Kit::new(clock, Secret::new(TOKEN), 100));
    let fake = Arc::new(Fake {
        state: Mutex::new(json!({"users": []})),
    });
    let service: Arc<dyn MockService> = fake.clone();
    let sap_facing = Router::new()
        .route(
            "/scim/Users",
            post(|Json(body): Json<Value>| async move {
                (StatusCode::CREATED, Json(json!({"id": "u1", "echo": body})))
            }),
        )
        .layer(middleware::from_fn_with_state(
            Observed {
                kit: kit.clone(),
                service: service.clone(),
            },
            observe,
        ));
    let app = sap_facing.merge(sapland_mock_kit::admin::router(kit.clone(), service));
    Harness { app, kit, fake }
}

async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(json) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = app
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, value)
}

#[tokio::test]
async fn health_needs_no_token_and_everything_else_does() {
    let h = harness();
    assert_eq!(
        call(&h.app, "GET", "/_admin/health", None, None).await,
        (StatusCode::OK, json!({"status": "UP", "mock": "fake"}))
    );
    let (status, body) = call(&h.app, "GET", "/_admin/state", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"].as_str().unwrap().contains("admin_token"));
    assert_eq!(
        call(&h.app, "GET", "/_admin/state", Some("wrong"), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(&h.app, "GET", "/_admin/state", Some(TOKEN), None)
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn state_round_trips_and_a_bad_snapshot_changes_nothing() {
    let h = harness();
    let snapshot = json!({"users": [{"userName": "amy"}]});
    assert_eq!(
        call(
            &h.app,
            "PUT",
            "/_admin/state",
            Some(TOKEN),
            Some(snapshot.clone())
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&h.app, "GET", "/_admin/state", Some(TOKEN), None)
            .await
            .1,
        snapshot
    );
    let (status, body) = call(
        &h.app,
        "PUT",
        "/_admin/state",
        Some(TOKEN),
        Some(json!({"users": 3})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "$.users: expected an array");
    assert_eq!(
        h.fake.export_state(),
        snapshot,
        "unchanged after a rejected import"
    );
    assert_eq!(
        call(&h.app, "POST", "/_admin/reset", Some(TOKEN), None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(h.fake.export_state(), json!({"users": []}));
}

#[tokio::test]
async fn the_journal_records_sap_facing_requests_redacted() {
    let h = harness();
    let (status, _) = call(
        &h.app,
        "POST",
        "/scim/Users",
        Some("user-bearer-token"),
        Some(json!({"userName": "amy", "password": "Hunter2!"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, journal) = call(&h.app, "GET", "/_admin/journal?limit=10", Some(TOKEN), None).await;
    let entries = journal["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "admin calls are not journaled: {journal}");
    let text = journal.to_string();
    assert!(
        !text.contains("Hunter2!") && !text.contains("user-bearer-token"),
        "{text}"
    );
    assert_eq!(entries[0]["status"], 201);
    assert_eq!(
        call(&h.app, "DELETE", "/_admin/journal", Some(TOKEN), None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert!(h.kit.journal_latest(None).is_empty());
}

#[tokio::test]
async fn a_fault_rule_answers_instead_of_the_mock_until_removed() {
    let h = harness();
    let rule = json!({"match": {"method": "POST", "path": "/scim/Users"}, "action": {"type": "status", "status": 503, "retryAfter": 30}, "limit": {"count": 1}});
    let (status, created) = call(&h.app, "POST", "/_admin/faults", Some(TOKEN), Some(rule)).await;
    assert_eq!(status, StatusCode::CREATED);
    let request = Request::post("/scim/Users")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let response = h.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()[header::RETRY_AFTER], "30");
    assert_eq!(
        call(&h.app, "POST", "/scim/Users", None, Some(json!({})))
            .await
            .0,
        StatusCode::CREATED,
        "count limit spent"
    );
    let (_, rules) = call(&h.app, "GET", "/_admin/faults", Some(TOKEN), None).await;
    assert_eq!(rules["rules"][0]["fired"], 1);
    let id = created["id"].as_u64().unwrap();
    assert_eq!(
        call(
            &h.app,
            "DELETE",
            &format!("/_admin/faults/{id}"),
            Some(TOKEN),
            None
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(
            &h.app,
            "DELETE",
            &format!("/_admin/faults/{id}"),
            Some(TOKEN),
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let journal = h.kit.journal_latest(None);
    assert_eq!(journal[0].fault, Some(id));
}

#[tokio::test]
async fn a_bad_fault_rule_is_refused_with_the_field() {
    let h = harness();
    let (status, body) = call(
        &h.app,
        "POST",
        "/_admin/faults",
        Some(TOKEN),
        Some(json!({"match": {"path": "/x"}, "action": {"type": "status", "status": 42}})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"].as_str().unwrap().contains("$.action.status"),
        "{body}"
    );
    assert!(h.kit.fault_rules().is_empty());
}

#[tokio::test]
async fn a_malformed_body_fault_keeps_the_status_and_breaks_the_json() {
    let h = harness();
    h.kit.add_fault(
        sapland_mock_kit::faults::FaultRule::from_json(
            r#"{"match": {"path": "/scim/**"}, "action": {"type": "malformedBody"}}"#,
        )
        .unwrap(),
    );
    let request = Request::post("/scim/Users")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let response = h.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert!(serde_json::from_slice::<Value>(&bytes).is_err());
}

#[tokio::test]
async fn a_drop_fault_fails_the_body() {
    let h = harness();
    h.kit.add_fault(
        sapland_mock_kit::faults::FaultRule::from_json(
            r#"{"match": {"path": "/**"}, "action": {"type": "drop"}}"#,
        )
        .unwrap(),
    );
    let request = Request::post("/scim/Users").body(Body::from("{}")).unwrap();
    let response = h.app.clone().oneshot(request).await.unwrap();
    assert!(response.into_body().collect().await.is_err());
}

#[tokio::test]
async fn the_clock_advances_by_friendly_durations_or_seconds_and_never_back() {
    let h = harness();
    let (status, view) = call(
        &h.app,
        "POST",
        "/_admin/clock/advance",
        Some(TOKEN),
        Some(json!({"by": "2h 30m"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["now"], "2026-11-22T12:30:00Z");
    let (_, view) = call(
        &h.app,
        "POST",
        "/_admin/clock/advance",
        Some(TOKEN),
        Some(json!({"seconds": 1800})),
    )
    .await;
    assert_eq!(view["now"], "2026-11-22T13:00:00Z");
    assert_eq!(view["offsetSeconds"], 10_800);
    let (status, body) = call(
        &h.app,
        "POST",
        "/_admin/clock/advance",
        Some(TOKEN),
        Some(json!({"seconds": -5})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("only moves forward")
    );
    let (status, body) = call(
        &h.app,
        "POST",
        "/_admin/clock/advance",
        Some(TOKEN),
        Some(json!({"by": "soon"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"].as_str().unwrap().starts_with("$.by"),
        "{body}"
    );
    assert_eq!(
        call(&h.app, "GET", "/_admin/clock", Some(TOKEN), None)
            .await
            .1["mode"],
        "manual"
    );
}

#[tokio::test]
async fn a_fault_rule_can_aim_at_the_host_of_an_http2_request() {
    // HTTP/2 sends the host as :authority, which arrives in the URI, not as a Host header.
    let h = harness();
    let rule = json!({"match": {"path": "/**", "header": {"name": "host", "value": "tenant-b:443"}},
                      "action": {"type": "status", "status": 503}});
    let (status, _) = call(&h.app, "POST", "/_admin/faults", Some(TOKEN), Some(rule)).await;
    assert_eq!(status, StatusCode::CREATED);
    let post = |uri: &str| {
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap()
    };
    let hit = h
        .app
        .clone()
        .oneshot(post("https://tenant-b:443/scim/Users"))
        .await
        .unwrap();
    assert_eq!(hit.status(), StatusCode::SERVICE_UNAVAILABLE);
    let miss = h
        .app
        .clone()
        .oneshot(post("https://tenant-a:443/scim/Users"))
        .await
        .unwrap();
    assert_eq!(miss.status(), StatusCode::CREATED);
    let journal = h.kit.journal_latest(None);
    assert!(journal.iter().any(|e| {
        e.request_headers
            .iter()
            .any(|(n, v)| n == "host" && v == "tenant-a:443")
    }));
}
