//! Tokens: how they are asked for, cached on the clock, shared, refreshed after a 401, and how
//! refusals read.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use sapland_calm::{Client, LandscapeQuery, TokenRequestStyle};
use sapland_outbound::Reach;
use sapland_outbound::https::HttpsOptions;
use serde_json::json;

use crate::support::{ALL_SCOPES, Fake, Reply, SECRET, client_for};

const OBJECTS: &str = "/api/calm-landscape/v1/landscapeObjects";

fn objects(request: &crate::support::Recorded) -> Option<Reply> {
    (request.path == OBJECTS).then(|| Reply::json(200, json!([])))
}

/// [DOC] §1.4 variant 1: Basic header + `grant_type=client_credentials` form.
#[tokio::test]
async fn a_secret_key_asks_with_a_basic_header_and_gets_scopes() {
    let fake = Fake::start(|_| None).await;
    let (client, _) = fake.client();
    let token = client.token().await.unwrap();
    assert_eq!(token.secret().expose(), "token-1");
    assert_eq!(token.token_type(), "bearer");
    assert_eq!(
        token.scopes().unwrap().join(" "),
        ALL_SCOPES.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    assert_eq!(token.grants("calm-api.landscape.read"), Some(true));
    assert_eq!(token.grants("calm-api.tasks.read"), Some(false));
    assert_eq!(token.expires_at().to_string(), "2026-11-22T20:59:59Z");
    let request = &fake.requests_to("/oauth/token")[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.form(),
        vec![("grant_type".to_string(), "client_credentials".to_string())]
    );
    let expected = format!(
        "Basic {}",
        BASE64.encode(format!("sb-fake!b1|calm!b2716:{SECRET}"))
    );
    assert_eq!(request.authorization(), Some(expected.as_str()));
}

/// [SAMPLE] §1.4 variant 2: credentials in the form.
#[tokio::test]
async fn the_secret_may_travel_in_form_fields() {
    let fake = Fake::start(|_| None).await;
    let (_, clock) = fake.client();
    let reach = Reach::new(HttpsOptions::default(), clock);
    let client = Client::new(&fake.secret_key(), &reach, TokenRequestStyle::FormFields).unwrap();
    client.token().await.unwrap();
    let request = &fake.requests_to("/oauth/token")[0];
    assert_eq!(request.authorization(), None);
    assert_eq!(
        request.form(),
        vec![
            ("grant_type".to_string(), "client_credentials".to_string()),
            ("client_id".to_string(), "sb-fake!b1|calm!b2716".to_string()),
            ("client_secret".to_string(), SECRET.to_string()),
        ]
    );
}

/// Cached until a minute before `expires_in` on the clock (proposed margin).
#[tokio::test]
async fn a_token_is_reused_until_a_minute_before_it_expires() {
    let fake = Fake::start(objects).await;
    fake.set_expires_in(3600);
    let (client, clock) = fake.client();
    client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap();
    clock.advance(Duration::from_secs(3600 - 61));
    client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap();
    assert_eq!(fake.token_requests(), 1);
    clock.advance(Duration::from_secs(1));
    client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap();
    assert_eq!(fake.token_requests(), 2);
    let calls = fake.requests_to(OBJECTS);
    assert_eq!(calls[0].authorization(), Some("Bearer token-1"));
    assert_eq!(calls[1].authorization(), Some("Bearer token-1"));
    assert_eq!(calls[2].authorization(), Some("Bearer token-2"));
}

#[tokio::test]
async fn concurrent_callers_share_one_token_request() {
    let fake = Fake::start(objects).await;
    let (client, _) = fake.client();
    let query = LandscapeQuery::default();
    let calls: Vec<_> = (0..5).map(|_| client.landscape_objects(&query)).collect();
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(fake.token_requests(), 1);
    assert_eq!(fake.requests_to(OBJECTS).len(), 5);
}

/// A token the API no longer takes is replaced once; the call is made again.
#[tokio::test]
async fn a_401_gets_one_fresh_token_and_one_retry() {
    let fake = Fake::start(|request| {
        (request.path == OBJECTS).then(|| match request.authorization() {
            Some("Bearer token-1") => Reply::json(401, json!({"error": "invalid_token"})),
            _ => Reply::json(200, json!([{"lmsId": "a"}])),
        })
    })
    .await;
    let (client, _) = fake.client();
    let page = client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap();
    assert_eq!(page.items[0].lms_id, "a");
    assert_eq!(fake.token_requests(), 2);
    assert_eq!(fake.requests_to(OBJECTS).len(), 2);
}

#[tokio::test]
async fn a_second_401_is_the_callers_error() {
    let fake = Fake::start(|request| {
        (request.path == OBJECTS).then(|| {
            Reply::json(
                401,
                json!({"status": 401, "error": "UNAUTHORIZED", "message": "Token expired"}),
            )
        })
    })
    .await;
    let (client, _) = fake.client();
    let error = client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "401 UNAUTHORIZED: Token expired (GET {}{OBJECTS})",
            fake.url
        )
    );
    assert_eq!(fake.token_requests(), 2);
}

/// RFC 6749 §5.2 as XSUAA answers a wrong secret.
#[tokio::test]
async fn a_refused_client_reads_like_the_token_endpoint_said() {
    let fake = Fake::start(|request| {
        (request.path == "/oauth/token").then(|| {
            Reply::json(
                401,
                json!({"error": "invalid_client", "error_description": "Bad credentials"}),
            )
        })
    })
    .await;
    let (client, _) = fake.client();
    let error = client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap_err();
    assert!(error.is_token() && !error.is_unreachable());
    assert_eq!(error.status(), Some(401));
    assert_eq!(
        error.to_string(),
        format!(
            "token request refused: 401 invalid_client: Bad credentials (POST {}/oauth/token)",
            fake.url
        )
    );
    assert!(!format!("{error:?}").contains(SECRET));
    assert!(fake.requests_to(OBJECTS).is_empty());
}

#[tokio::test]
async fn an_answer_that_is_not_a_token_is_refused() {
    let fake = Fake::start(|request| {
        (request.path == "/oauth/token").then(|| Reply::json(200, json!({"token": "x"})))
    })
    .await;
    let (client, _) = fake.client();
    let error = client.token().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "token request refused: 200 the answer is not a token response: access_token is \
             missing or not a string, or expires_in is not a number (POST {}/oauth/token)",
            fake.url
        )
    );
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_a_transport_problem() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let text = json!({
        "endpoints": {"Api": format!("http://127.0.0.1:{port}/api")},
        "uaa": {"clientid": "c", "clientsecret": SECRET, "url": format!("http://127.0.0.1:{port}")}
    })
    .to_string();
    let key = sapland_calm::ServiceKey::from_json(&text).unwrap();
    let (client, _) = client_for(&key, HttpsOptions::default());
    let error = client.token().await.unwrap_err();
    assert!(error.is_token() && error.is_unreachable(), "{error:?}");
    let text = error.to_string();
    assert!(
        text.starts_with("token request failed: connection failed:"),
        "{text}"
    );
    assert!(
        text.ends_with(&format!("(POST http://127.0.0.1:{port}/oauth/token)")),
        "{text}"
    );
}
