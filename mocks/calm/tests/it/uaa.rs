//! The UAA: client credentials by secret in the three variants of reference §1.4, by client
//! certificate at `certurl`, token expiry on the landscape clock, scopes (§1.5), 401 and 403.

use axum::http::StatusCode;
use sapland_mock_calm::config::{CalmConfig, DEFAULT_INSTANCE, DEFAULT_SUBDOMAIN};
use serde_json::json;

use crate::support::{Call, basic, harness, harness_with};

const LANDSCAPE_OBJECTS: &str = "/api/calm-landscape/v1/landscapeObjects";

#[tokio::test]
async fn ref_1_4_variant_1_basic_header_and_form_body() {
    let h = harness();
    let key = h.key();
    let (id, secret) = (
        key["uaa"]["clientid"].as_str().unwrap(),
        key["uaa"]["clientsecret"].as_str().unwrap(),
    );
    let answer = Call::new("POST", "/oauth/token")
        .header("authorization", basic(id, secret))
        .form("grant_type=client_credentials")
        .send(&h.uaa)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let body = answer.json.as_object().unwrap();
    assert_eq!(
        body.keys().collect::<Vec<_>>(),
        ["access_token", "token_type", "expires_in", "scope", "jti"]
    );
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 43199, "ref §1.4: XSUAA's 12 h");
    let scope = body["scope"].as_str().unwrap();
    assert!(
        scope.contains("calm!b2716.calm-api.metrics.write"),
        "{scope}"
    );
    assert!(
        scope.split(' ').any(|s| s == "calm-api.metrics.write"),
        "ref §1.5: full and short forms: {scope}"
    );
    assert_eq!(answer.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn ref_1_4_variant_2_credentials_in_the_form_with_an_empty_scope() {
    let h = harness();
    let key = h.key();
    let form = format!(
        "grant_type=client_credentials&scope=&client_id={}&client_secret={}",
        urlencode(key["uaa"]["clientid"].as_str().unwrap()),
        urlencode(key["uaa"]["clientsecret"].as_str().unwrap()),
    );
    let answer = Call::new("POST", "/oauth/token")
        .form(&form)
        .send(&h.uaa)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    assert!(
        answer.json["scope"]
            .as_str()
            .unwrap()
            .contains("calm-api.logs.write"),
        "an empty scope= asks for every authority"
    );
}

#[tokio::test]
async fn ref_1_4_variant_3_get_with_query_and_basic() {
    let h = harness();
    let key = h.key();
    let answer = Call::new(
        "GET",
        "/oauth/token?grant_type=client_credentials&response_type=token",
    )
    .header(
        "authorization",
        basic(
            key["uaa"]["clientid"].as_str().unwrap(),
            key["uaa"]["clientsecret"].as_str().unwrap(),
        ),
    )
    .send(&h.uaa)
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    let token = answer.json["access_token"].as_str().unwrap();
    assert_eq!(h.get(LANDSCAPE_OBJECTS, token).await.status, StatusCode::OK);
}

#[tokio::test]
async fn ref_1_3_token_url_with_grant_type_in_the_query() {
    let h = harness();
    let key = h.key();
    let answer = Call::new("POST", "/oauth/token?grant_type=client_credentials")
        .header(
            "authorization",
            basic(
                key["uaa"]["clientid"].as_str().unwrap(),
                key["uaa"]["clientsecret"].as_str().unwrap(),
            ),
        )
        .send(&h.uaa)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
}

#[tokio::test]
async fn a_wrong_secret_is_401_invalid_client() {
    let h = harness();
    let key = h.key();
    let answer = Call::new("POST", "/oauth/token")
        .header(
            "authorization",
            basic(key["uaa"]["clientid"].as_str().unwrap(), "wrong"),
        )
        .form("grant_type=client_credentials")
        .send(&h.uaa)
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.json["error"], "invalid_client");
    assert!(answer.header("www-authenticate").is_some());
}

#[tokio::test]
async fn ref_1_2_x509_the_cert_url_authenticates_by_the_bound_certificate() {
    let h = harness();
    let instance = h
        .mock
        .instance(DEFAULT_SUBDOMAIN, DEFAULT_INSTANCE)
        .unwrap();
    let subject = instance.certificate_subject.clone().unwrap();
    let form = format!(
        "grant_type=client_credentials&client_id={}",
        urlencode(&instance.client_id)
    );
    let answer = Call::new("POST", "/oauth/token")
        .form(&form)
        .certificate(&subject)
        .send(&h.cert)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    let token = answer.json["access_token"].as_str().unwrap();
    assert_eq!(h.get(LANDSCAPE_OBJECTS, token).await.status, StatusCode::OK);

    let other = Call::new("POST", "/oauth/token")
        .form(&form)
        .certificate("CN=someone-else")
        .send(&h.cert)
        .await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_cert_url_needs_a_certificate_and_the_secret_url_ignores_one() {
    let h = harness();
    let instance = h
        .mock
        .instance(DEFAULT_SUBDOMAIN, DEFAULT_INSTANCE)
        .unwrap();
    let form = format!(
        "grant_type=client_credentials&client_id={}",
        urlencode(&instance.client_id)
    );
    let without = Call::new("POST", "/oauth/token")
        .form(&form)
        .send(&h.cert)
        .await;
    assert_eq!(without.status, StatusCode::UNAUTHORIZED);
    assert!(
        without.json["error_description"]
            .as_str()
            .unwrap()
            .contains("needs a client certificate")
    );
    let at_secret_url = Call::new("POST", "/oauth/token")
        .form(&form)
        .certificate(instance.certificate_subject.as_deref().unwrap())
        .send(&h.uaa)
        .await;
    assert_eq!(
        at_secret_url.status,
        StatusCode::UNAUTHORIZED,
        "certificate-only clients are refused at uaa.url"
    );
}

#[tokio::test]
async fn ref_1_4_tokens_expire_on_the_landscape_clock() {
    let h = harness();
    let token = h.token().await;
    h.advance(43_198);
    assert_eq!(
        h.get(LANDSCAPE_OBJECTS, &token).await.status,
        StatusCode::OK
    );
    h.advance(1);
    let answer = h.get(LANDSCAPE_OBJECTS, &token).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(answer.message().contains("expired at"), "{}", answer.json);
    assert_eq!(answer.json["error"], "UNAUTHORIZED");
    assert_eq!(answer.header("www-authenticate"), Some("Bearer"));
}

#[tokio::test]
async fn the_token_lifetime_is_configurable() {
    let mut config = CalmConfig::default_landscape(7);
    config.token_lifetime_seconds = 60;
    let h = harness_with(config);
    let key = h.key();
    let answer = Call::new("POST", "/oauth/token")
        .header(
            "authorization",
            basic(
                key["uaa"]["clientid"].as_str().unwrap(),
                key["uaa"]["clientsecret"].as_str().unwrap(),
            ),
        )
        .form("grant_type=client_credentials")
        .send(&h.uaa)
        .await;
    assert_eq!(answer.json["expires_in"], 60);
}

#[tokio::test]
async fn missing_and_unknown_tokens_are_401() {
    let h = harness();
    let none = Call::new("GET", LANDSCAPE_OBJECTS).send(&h.api).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    let unknown = h.get(LANDSCAPE_OBJECTS, "not-a-token").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        unknown.message(),
        "Unauthorized: the access token is not known"
    );
}

#[tokio::test]
async fn ref_1_5_a_missing_scope_is_403_naming_it() {
    let h = harness();
    let key = h
        .key_with("reader", &["$XSMASTERAPPNAME.calm-api.metrics.read"])
        .await;
    let token = h.token_of(&key).await;
    let answer = h.get(LANDSCAPE_OBJECTS, &token).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json["error"], "FORBIDDEN");
    assert!(
        answer.message().contains("calm-api.landscape.read"),
        "{}",
        answer.json
    );
    let allowed = h
        .get(
            "/api/calm-metrics/v1/metrics?provider=hm&format=protobuf-json",
            &token,
        )
        .await;
    assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.json);
}

#[tokio::test]
async fn admin_created_instances_answer_real_keys_and_refuse_bad_input() {
    let h = harness();
    let key = h.key_with("only-csa", &["calm-api.csa.write"]).await;
    let uaa = key["uaa"].as_object().unwrap();
    assert_eq!(uaa["credential-type"], "binding-secret");
    assert!(uaa["clientid"].as_str().unwrap().starts_with("sb-"));
    assert_eq!(key["endpoints"]["Api"], "https://calm.test/api");

    let again = h
        .admin_call(
            Call::new("POST", "/_admin/calm/instances")
                .json(&json!({"name": "only-csa", "authorities": []})),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    let unknown = h
        .admin_call(
            Call::new("POST", "/_admin/calm/instances")
                .json(&json!({"name": "x", "authorities": ["calm-api.everything"]})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(
        unknown.json["error"]
            .as_str()
            .unwrap()
            .starts_with("$.authorities[0]")
    );
    let x509 = h
        .admin_call(
            Call::new("POST", "/_admin/calm/instances")
                .json(&json!({"name": "cert", "authorities": [], "credentialType": "x509"})),
        )
        .await;
    assert_eq!(
        x509.status,
        StatusCode::BAD_REQUEST,
        "no landscape CA in this harness: {}",
        x509.json
    );
    let listed = h.admin_get("/_admin/calm/instances").await;
    let text = listed.to_string();
    assert!(text.contains("only-csa"));
    assert!(
        !text.contains(key["uaa"]["clientsecret"].as_str().unwrap()),
        "no secrets in the listing"
    );
}

#[tokio::test]
async fn the_journal_masks_secrets_and_tokens() {
    let h = harness();
    let key = h.key();
    let secret = key["uaa"]["clientsecret"].as_str().unwrap().to_string();
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        urlencode(key["uaa"]["clientid"].as_str().unwrap()),
        urlencode(&secret),
    );
    let answer = Call::new("POST", "/oauth/token")
        .form(&form)
        .send(&h.uaa)
        .await;
    let token = answer.json["access_token"].as_str().unwrap().to_string();
    h.get(LANDSCAPE_OBJECTS, &token).await;
    let journal = h.admin_get("/_admin/journal").await.to_string();
    assert!(journal.contains("/oauth/token"), "{journal}");
    assert!(!journal.contains(&secret), "client secret in the journal");
    assert!(!journal.contains(&token), "token in the journal");
    assert!(!journal.contains(&urlencode(&secret)));
}

/// Percent-encodes what a form value must not hold raw.
pub(crate) fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn each_subaccount_has_its_own_uaa_and_the_api_takes_tokens_of_all() {
    use sapland_mock_calm::config::{CredentialType, InstanceConfig, SubaccountConfig};
    let mut config = CalmConfig::default_landscape(7);
    config.subaccounts.push(SubaccountConfig {
        subdomain: "second".into(),
        instances: vec![InstanceConfig {
            name: "reader".into(),
            authorities: vec!["$XSMASTERAPPNAME.calm-api.landscape.read".into()],
            credential_types: vec![CredentialType::BindingSecret],
        }],
    });
    let h = harness_with(config);
    let key = h.mock.secret_key("second", "reader").unwrap();
    assert_eq!(key["uaa"]["identityzone"], "second");
    assert_eq!(key["uaa"]["url"], "https://uaa1.test");
    let kit = std::sync::Arc::new(sapland_mock_kit::kit::Kit::new(
        h.clock.clone(),
        sapland_core::scim::Secret::new("t"),
        10,
    ));
    let second = h.mock.uaa_app(&kit, "second").unwrap();
    let (id, secret) = (
        key["uaa"]["clientid"].as_str().unwrap(),
        key["uaa"]["clientsecret"].as_str().unwrap(),
    );
    let wrong_uaa = Call::new("POST", "/oauth/token")
        .header("authorization", basic(id, secret))
        .form("grant_type=client_credentials")
        .send(&h.uaa)
        .await;
    assert_eq!(
        wrong_uaa.status,
        StatusCode::UNAUTHORIZED,
        "a client belongs to its subaccount's UAA"
    );
    let answer = Call::new("POST", "/oauth/token")
        .header("authorization", basic(id, secret))
        .form("grant_type=client_credentials")
        .send(&second)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    let token = answer.json["access_token"].as_str().unwrap();
    assert_eq!(h.get(LANDSCAPE_OBJECTS, token).await.status, StatusCode::OK);
}
