//! The client-credentials issuer (RFC 6749 §4.4, §5.2; IAS `/oauth2/token` [DOC]).

use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use sapland_core::scim::Secret;
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::oauth::{
    DEFAULT_LIFETIME, Issuer, OAuthClient, OAuthErrorCode, TokenError, TokenRequest,
};

const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

fn issuer() -> Issuer {
    let mut issuer = Issuer::new(11, DEFAULT_LIFETIME);
    issuer.register(OAuthClient {
        client_id: "2a7d9e4c".into(),
        secret: Some(Secret::new("s3cret/+=")),
        certificate_subject: Some("CN=agent".into()),
        scopes: vec!["users.manage".into(), "users.read".into()],
    });
    issuer
}

fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

fn start() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().unwrap()
}

/// [DOC] IAS: `grant_type=client_credentials`, client authenticated by Basic → Bearer, 3600 s.
#[test]
fn basic_authentication_gets_a_bearer_token_for_an_hour() {
    let mut issuer = issuer();
    let authorization = basic("2a7d9e4c", "s3cret/+=");
    let request = TokenRequest {
        authorization: Some(&authorization),
        content_type: FORM,
        body: "grant_type=client_credentials",
        ..Default::default()
    };
    let response = issuer.token(&request, start()).unwrap();
    assert_eq!((response.token_type, response.expires_in), ("Bearer", 3600));
    let encoded = basic("2a7d9e4c", "s3cret%2F%2B%3D");
    let rfc_style = TokenRequest {
        authorization: Some(&encoded),
        ..request
    };
    assert!(
        issuer.token(&rfc_style, start()).is_ok(),
        "a form-encoded secret is accepted too"
    );
    assert_eq!(response.scope, "users.manage users.read");
    let token = issuer.validate(&response.access_token, start()).unwrap();
    assert_eq!(token.client_id, "2a7d9e4c");
}

/// [REC-code] SAP's Terraform provider sends client_id and client_secret as form fields.
#[test]
fn form_fields_authenticate_too_and_are_form_decoded() {
    let mut issuer = issuer();
    let request = TokenRequest {
        content_type: FORM,
        body: "grant_type=client_credentials&client_id=2a7d9e4c&client_secret=s3cret%2F%2B%3D&scope=users.read",
        ..Default::default()
    };
    let response = issuer.token(&request, start()).unwrap();
    assert_eq!(response.scope, "users.read");
}

#[test]
fn tokens_expire_on_the_landscape_clock() {
    let clock = Clock::manual(start());
    let mut issuer = issuer();
    let request = TokenRequest {
        certificate_subject: Some("CN=agent"),
        content_type: FORM,
        body: "grant_type=client_credentials",
        ..Default::default()
    };
    let token = issuer.token(&request, clock.now()).unwrap().access_token;
    clock.advance(SignedDuration::from_secs(3599)).unwrap();
    assert!(issuer.validate(&token, clock.now()).is_ok());
    clock.advance(SignedDuration::from_secs(1)).unwrap();
    assert_eq!(
        issuer.validate(&token, clock.now()),
        Err(TokenError::Expired(clock.now()))
    );
    assert_eq!(
        issuer.validate("made-up", clock.now()),
        Err(TokenError::Unknown)
    );
}

/// RFC 6749 §5.2: each failure with its code and status; no secret in any description.
#[test]
fn failures_answer_with_rfc_6749_error_codes() {
    let mut issuer = issuer();
    let wrong_secret = basic("2a7d9e4c", "nope");
    let unknown_client = basic("who", "s3cret/+=");
    let cases: Vec<(TokenRequest<'_>, OAuthErrorCode, u16)> = vec![
        (
            TokenRequest {
                authorization: Some(&wrong_secret),
                content_type: FORM,
                body: "grant_type=client_credentials",
                ..Default::default()
            },
            OAuthErrorCode::InvalidClient,
            401,
        ),
        (
            TokenRequest {
                authorization: Some(&unknown_client),
                content_type: FORM,
                body: "grant_type=client_credentials",
                ..Default::default()
            },
            OAuthErrorCode::InvalidClient,
            401,
        ),
        (
            TokenRequest {
                content_type: FORM,
                body: "grant_type=client_credentials",
                ..Default::default()
            },
            OAuthErrorCode::InvalidClient,
            401,
        ),
        (
            TokenRequest {
                authorization: Some(&wrong_secret),
                content_type: FORM,
                body: "grant_type=password&username=a",
                ..Default::default()
            },
            OAuthErrorCode::UnsupportedGrantType,
            400,
        ),
        (
            TokenRequest {
                content_type: FORM,
                body: "client_id=2a7d9e4c",
                ..Default::default()
            },
            OAuthErrorCode::InvalidRequest,
            400,
        ),
        (
            TokenRequest {
                content_type: Some("application/json"),
                body: "{}",
                ..Default::default()
            },
            OAuthErrorCode::InvalidRequest,
            400,
        ),
        (
            TokenRequest {
                content_type: FORM,
                body: "grant_type=client_credentials&grant_type=client_credentials",
                ..Default::default()
            },
            OAuthErrorCode::InvalidRequest,
            400,
        ),
        (
            TokenRequest {
                authorization: Some(&wrong_secret),
                content_type: FORM,
                body: "grant_type=client_credentials&client_secret=x",
                ..Default::default()
            },
            OAuthErrorCode::InvalidRequest,
            400,
        ),
        (
            TokenRequest {
                certificate_subject: Some("CN=agent"),
                content_type: FORM,
                body: "grant_type=client_credentials&scope=groups.manage",
                ..Default::default()
            },
            OAuthErrorCode::InvalidScope,
            400,
        ),
        (
            TokenRequest {
                certificate_subject: Some("CN=stranger"),
                content_type: FORM,
                body: "grant_type=client_credentials",
                ..Default::default()
            },
            OAuthErrorCode::InvalidClient,
            401,
        ),
    ];
    for (request, code, status) in cases {
        let err = issuer.token(&request, start()).unwrap_err();
        assert_eq!((err.error, err.status()), (code, status), "{request:?}");
        let body = serde_json::to_string(&err).unwrap();
        assert!(!body.contains("s3cret") && !body.contains("nope"), "{body}");
        assert!(body.contains("error_description"), "{body}");
    }
    let err = issuer
        .token(
            &TokenRequest {
                authorization: Some(&wrong_secret),
                content_type: FORM,
                body: "grant_type=client_credentials",
                ..Default::default()
            },
            start(),
        )
        .unwrap_err();
    assert!(
        err.basic_attempted,
        "a 401 after Basic carries WWW-Authenticate"
    );
    assert_eq!(
        serde_json::to_value(&err).unwrap()["error"],
        "invalid_client"
    );
}

#[test]
fn the_same_seed_issues_the_same_tokens() {
    let request = TokenRequest {
        certificate_subject: Some("CN=agent"),
        content_type: FORM,
        body: "grant_type=client_credentials",
        ..Default::default()
    };
    let a = issuer().token(&request, start()).unwrap().access_token;
    let b = issuer().token(&request, start()).unwrap().access_token;
    assert_eq!(a, b);
}
