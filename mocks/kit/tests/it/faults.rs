//! The fault engine as a mock uses it: rules from JSON, decisions on the landscape clock.

use jiff::{SignedDuration, Timestamp};
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::faults::{Action, FaultRule, FaultRuleError, Faults, RequestInfo};

fn start() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().unwrap()
}

fn post_users() -> RequestInfo<'static> {
    RequestInfo {
        method: "POST",
        path: "/scim/Users",
        headers: &[],
    }
}

fn rule(text: &str) -> FaultRule {
    FaultRule::from_json(text).unwrap()
}

#[test]
fn a_status_rule_answers_429_with_retry_after_for_matching_requests_only() {
    let mut faults = Faults::default();
    let id = faults.add(rule(
        r#"{"match": {"method": "post", "path": "/scim/Users"}, "action": {"type": "status", "status": 429, "retryAfter": 60}}"#,
    ));
    assert_eq!(
        faults.decide(&post_users(), start()),
        Some((
            id,
            Action::Status {
                status: 429,
                retry_after: Some(60)
            }
        ))
    );
    let get = RequestInfo {
        method: "GET",
        path: "/scim/Users",
        headers: &[],
    };
    assert_eq!(faults.decide(&get, start()), None);
    assert_eq!(faults.rules()[0].fired, 1);
}

#[test]
fn a_count_limit_stops_the_rule_after_n_hits() {
    let mut faults = Faults::default();
    faults.add(rule(
        r#"{"match": {"path": "/**"}, "action": {"type": "drop"}, "limit": {"count": 2}}"#,
    ));
    let hits: Vec<bool> = (0..4)
        .map(|_| faults.decide(&post_users(), start()).is_some())
        .collect();
    assert_eq!(hits, [true, true, false, false]);
}

#[test]
fn an_until_limit_follows_the_landscape_clock() {
    let clock = Clock::manual(start());
    let mut faults = Faults::default();
    faults.add(rule(
        r#"{"match": {"path": "/scim/**"}, "action": {"type": "malformedBody"}, "limit": {"until": "2026-11-22T10:05:00Z"}}"#,
    ));
    assert!(faults.decide(&post_users(), clock.now()).is_some());
    clock.advance(SignedDuration::from_mins(5)).unwrap();
    assert!(
        faults.decide(&post_users(), clock.now()).is_some(),
        "until is inclusive"
    );
    clock.advance(SignedDuration::from_secs(1)).unwrap();
    assert_eq!(faults.decide(&post_users(), clock.now()), None);
}

#[test]
fn probability_with_a_seed_is_repeatable_and_near_its_rate() {
    let text = r#"{"match": {"path": "/**"}, "action": {"type": "latency", "ms": 250}, "probability": 0.3, "seed": 99}"#;
    let run = || {
        let mut faults = Faults::default();
        faults.add(rule(text));
        (0..1000)
            .map(|_| faults.decide(&post_users(), start()).is_some())
            .collect::<Vec<_>>()
    };
    let first = run();
    assert_eq!(first, run(), "same seed, same decisions");
    let hits = first.iter().filter(|hit| **hit).count();
    assert!(
        (250..350).contains(&hits),
        "{hits} of 1000 at probability 0.3"
    );
}

#[test]
fn a_header_condition_and_rule_order_decide() {
    let mut faults = Faults::default();
    let tagged = faults.add(rule(
        r#"{"match": {"path": "/**", "header": {"name": "x-test", "value": "boom"}}, "action": {"type": "status", "status": 502}}"#,
    ));
    let fallback = faults.add(rule(
        r#"{"match": {"path": "/**"}, "action": {"type": "status", "status": 503}}"#,
    ));
    let with_header = RequestInfo {
        method: "GET",
        path: "/x",
        headers: &[("X-Test", "boom")],
    };
    assert_eq!(
        faults.decide(&with_header, start()).map(|(id, _)| id),
        Some(tagged)
    );
    assert_eq!(
        faults.decide(&post_users(), start()).map(|(id, _)| id),
        Some(fallback)
    );
    assert!(faults.remove(fallback));
    assert!(!faults.remove(fallback));
    assert_eq!(faults.decide(&post_users(), start()), None);
}

#[test]
fn bad_rules_name_the_field_and_what_was_expected() {
    let cases = [
        (
            r#"{"match": {"path": "scim"}, "action": {"type": "drop"}}"#,
            "$.match.path",
        ),
        (
            r#"{"match": {"path": "/"}, "action": {"type": "drop"}, "probability": 1.5}"#,
            "$.probability",
        ),
        (
            r#"{"match": {"path": "/"}, "action": {"type": "status", "status": 999}}"#,
            "$.action.status",
        ),
        (
            r#"{"match": {"path": "/"}, "action": {"type": "drop"}, "limit": {"count": 0}}"#,
            "$.limit.count",
        ),
        (
            r#"{"match": {"path": "/"}, "action": {"type": "drop"}, "limit": {}}"#,
            "$.limit",
        ),
    ];
    for (text, field) in cases {
        match FaultRule::from_json(text) {
            Err(FaultRuleError::Invalid { field: got, .. }) => assert_eq!(got, field, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    let err = FaultRule::from_json(r#"{"match": {"path": "/"}, "action": {"type": "explode"}}"#)
        .unwrap_err();
    let FaultRuleError::Json(json) = err else {
        panic!()
    };
    assert_eq!(json.path.to_string(), "$.action.type");
    assert!(json.message.contains("explode"), "{}", json.message);
    let err = FaultRule::from_json(
        r#"{"match": {"path": "/", "verb": "GET"}, "action": {"type": "drop"}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("verb"), "{err}");
}

#[test]
fn rules_serialize_back_in_the_format_they_were_written_in() {
    let text = r#"{"match":{"method":"POST","path":"/scim/Users"},"action":{"type":"status","status":429,"retryAfter":60},"probability":1.0,"seed":0,"limit":{"count":3}}"#;
    let parsed = rule(text);
    let written: serde_json::Value = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        written,
        serde_json::from_str::<serde_json::Value>(text).unwrap()
    );
}
