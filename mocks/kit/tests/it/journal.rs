//! The journal keeps a capped, redacted record of requests.

use axum::body::Bytes;
use jiff::Timestamp;
use sapland_mock_kit::journal::{Exchange, Journal};

static RESPONSE: Bytes = Bytes::from_static(b"{\"id\":\"u1\"}");

fn exchange<'a>(path: &'a str, headers: &'a [(&'a str, &'a str)], body: &'a Bytes) -> Exchange<'a> {
    Exchange {
        time: "2026-11-22T10:00:00Z".parse::<Timestamp>().unwrap(),
        method: "POST",
        path,
        query: None,
        request_headers: headers,
        request_body: body,
        status: 201,
        response_content_type: Some("application/scim+json"),
        response_body: &RESPONSE,
        fault: None,
    }
}

#[test]
fn entries_are_redacted_when_recorded() {
    let mut journal = Journal::default();
    let headers = [
        ("Authorization", "Basic c2VjcmV0"),
        ("Content-Type", "application/scim+json"),
    ];
    journal.record(&exchange(
        "/scim/Users",
        &headers,
        &Bytes::from_static(br#"{"userName":"a","password":"Hunter2!"}"#),
    ));
    let token_headers = [("Content-Type", "application/x-www-form-urlencoded")];
    journal.record(&Exchange {
        query: Some("client_secret=abc&x=1"),
        ..exchange(
            "/oauth2/token",
            &token_headers,
            &Bytes::from_static(b"grant_type=client_credentials&client_secret=s3cret"),
        )
    });
    let all = serde_json::to_string(&journal.latest(None)).unwrap();
    for secret in ["c2VjcmV0", "Hunter2!", "s3cret", "client_secret=abc"] {
        assert!(!all.contains(secret), "{secret} in {all}");
    }
    assert!(all.contains("Basic ****"), "{all}");
    assert!(all.contains("x=1"), "{all}");
}

#[test]
fn the_journal_keeps_the_newest_entries_up_to_its_capacity() {
    let mut journal = Journal::with_capacity(3);
    for i in 0..5 {
        let path = format!("/scim/Users/{i}");
        journal.record(&exchange(&path, &[], &Bytes::from_static(b"")));
    }
    let paths: Vec<String> = journal.latest(None).into_iter().map(|e| e.path).collect();
    assert_eq!(paths, ["/scim/Users/2", "/scim/Users/3", "/scim/Users/4"]);
    let newest: Vec<u64> = journal.latest(Some(2)).into_iter().map(|e| e.seq).collect();
    assert_eq!(newest, [4, 5]);
    journal.clear();
    assert!(journal.is_empty());
    assert_eq!(
        journal.record(&exchange("/x", &[], &Bytes::from_static(b""))),
        1
    );
}
