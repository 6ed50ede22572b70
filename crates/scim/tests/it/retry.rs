//! IPS's retries ([DOC] `reference/ips-ias.md` §2.5) through the landscape's fault rules: 429
//! with `Retry-After`, 502 and timeouts are tried again after the interval (waits on the
//! manual clock, none in wall time); other statuses and dropped connections are not; the
//! error after the last try says how many were made.

use std::time::Duration;

use sapland_scim::{Dialect, ErrorKind, ResourceType, RetryPolicy};
use serde_json::json;

use crate::support::{Env, user};

fn with_retries(env: &Env, attempts: u32, interval: u64) -> sapland_scim::ClientConfig {
    let mut config = env.config(Dialect::IasV2, env.basic());
    config.retry = RetryPolicy::new(attempts, Duration::from_secs(interval));
    config
}

/// [DOC] §2.5 rate limit, honouring the answer's `Retry-After` (seconds).
#[tokio::test]
async fn a_429_is_retried_after_its_retry_after() {
    let env = Env::unthrottled().await;
    env.fault(json!({
        "match": {"method": "POST", "path": "/scim/Users"},
        "action": {"type": "status", "status": 429, "retryAfter": 7},
        "limit": {"count": 1}
    }))
    .await;
    let (client, clock) = env.client(with_retries(&env, 2, 30));
    client
        .create(ResourceType::User, &user("amy"))
        .await
        .unwrap();
    assert_eq!(clock.waited(), Duration::from_secs(7));
    let statuses: Vec<u64> = env
        .requests_to("/scim/Users")
        .await
        .iter()
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [429, 201]);
}

/// [DOC] §2.5 bad gateway: retried after the interval.
#[tokio::test]
async fn a_502_is_retried_after_the_interval() {
    let env = Env::unthrottled().await;
    env.fault(json!({
        "match": {"path": "/scim/Users/**"},
        "action": {"type": "status", "status": 502},
        "limit": {"count": 2}
    }))
    .await;
    let (client, clock) = env.client(with_retries(&env, 2, 45));
    let error = client.get(ResourceType::User, "nobody").await.unwrap_err();
    assert!(
        error.is_not_found(),
        "the third try reaches the service: {error}"
    );
    assert_eq!(error.attempts, 3);
    assert_eq!(clock.waited(), Duration::from_secs(90));
}

/// [DOC] §2.5: timeouts are retried. The fault delays the answer past the client's timeout
/// once; the retry is answered at once.
#[tokio::test]
async fn a_timeout_is_retried() {
    let env = Env::unthrottled().await;
    env.fault(json!({
        "match": {"method": "POST", "path": "/scim/Users"},
        "action": {"type": "latency", "ms": 2000},
        "limit": {"count": 1}
    }))
    .await;
    let mut config = with_retries(&env, 1, 30);
    config.https.timeout = Some(Duration::from_millis(250));
    let (client, clock) = env.client(config);
    let created = client.create(ResourceType::User, &user("amy")).await;
    assert!(created.is_ok(), "{created:?}");
    assert_eq!(clock.waited(), Duration::from_secs(30));
}

/// [DOC] §2.5: other statuses are not retried (500 here), nor is a connection dropped
/// before an answer (only timeouts are).
#[tokio::test]
async fn a_500_and_a_dropped_connection_are_not_retried() {
    let env = Env::unthrottled().await;
    env.fault(json!({
        "match": {"method": "GET", "path": "/scim/Users/a"},
        "action": {"type": "status", "status": 500}
    }))
    .await;
    env.fault(json!({
        "match": {"method": "GET", "path": "/scim/Users/b"},
        "action": {"type": "drop"}
    }))
    .await;
    let (client, clock) = env.client(with_retries(&env, 3, 60));
    let error = client.get(ResourceType::User, "a").await.unwrap_err();
    assert_eq!((error.status(), error.attempts), (Some(500), 1));
    let error = client.get(ResourceType::User, "b").await.unwrap_err();
    assert!(matches!(*error.kind, ErrorKind::Transport(_)), "{error:?}");
    assert_eq!(error.attempts, 1);
    assert_eq!(clock.waited(), Duration::ZERO);
}

/// [DOC] §2.5: at most 3 retries (a larger value is clamped); the final error names the
/// status, the request and the number of tries.
#[tokio::test]
async fn exhausted_retries_give_the_error_with_the_attempt_count() {
    let env = Env::unthrottled().await;
    env.fault(json!({
        "match": {"method": "POST", "path": "/scim/Users"},
        "action": {"type": "status", "status": 429, "retryAfter": 60}
    }))
    .await;
    let (client, clock) = env.client(with_retries(&env, 9, 30));
    let error = client
        .create(ResourceType::User, &user("amy"))
        .await
        .unwrap_err();
    assert_eq!(error.attempts, 4, "1 try and 3 retries");
    assert_eq!(error.status(), Some(429));
    assert_eq!(clock.waited(), Duration::from_secs(180));
    let text = error.to_string();
    assert!(text.starts_with("429: "), "{text}");
    assert!(
        text.ends_with("(POST /scim/Users, gave up after 4 attempts)"),
        "{text}"
    );
    assert_eq!(env.requests_to("/scim/Users").await.len(), 4);
}

/// IAS's own 429 (SAP throttling, §3.6) carries `Retry-After` with the seconds left in its
/// 60-second block; the retry waits them out on the landscape clock and succeeds.
#[tokio::test]
async fn the_throttle_s_429_is_waited_out_on_the_landscape_clock() {
    let env = Env::start().await;
    let (client, clock) = env
        .client_on_landscape_clock(with_retries(&env, 2, 30))
        .await;
    let mut last = None;
    for i in 0..281 {
        last = Some(client.get(ResourceType::User, &format!("u{i}")).await);
    }
    let error = last.unwrap().unwrap_err();
    assert!(error.is_not_found(), "{error}");
    assert_eq!(error.attempts, 2, "the 281st got 429, its retry a 404");
    assert_eq!(
        clock.now().to_string(),
        "2026-11-22T09:01:00Z",
        "waited the 60 s block"
    );
}
