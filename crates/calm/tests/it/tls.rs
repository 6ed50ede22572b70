//! X.509 keys over mTLS, and servers whose certificate is not trusted.

use sapland_calm::{LandscapeQuery, ServiceKey};
use sapland_inbound::tls::server_config;
use sapland_mock_kit::ca::LandscapeCa;
use sapland_outbound::https::{HttpsOptions, PemSource};
use serde_json::json;

use crate::support::{Fake, Reply, client_for};

/// A fake over TLS whose CA also signs client certificates, and that CA.
async fn tls_fake(
    answer: impl Fn(&crate::support::Recorded) -> Option<Reply> + Send + Sync + 'static,
) -> (Fake, LandscapeCa, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let ca = LandscapeCa::load_or_create(dir.path()).unwrap();
    let identity = ca.server_identity(&[]).unwrap();
    let config = server_config(&identity, &ca.client_auth()).unwrap();
    let fake = Fake::serve(Box::new(answer), Some(config)).await;
    (fake, ca, dir)
}

fn trusting(ca: &LandscapeCa) -> HttpsOptions {
    HttpsOptions {
        extra_roots: vec![PemSource::new("test CA", ca.cert_pem())],
        ..HttpsOptions::default()
    }
}

/// [DOC] §1.3/§1.4: `POST {certurl}/oauth/token` over mTLS, `client_id` in the form, no
/// secret; the API is then called with the bearer token.
#[tokio::test]
async fn an_x509_key_gets_its_token_over_mtls() {
    let (fake, ca, _dir) = tls_fake(|request| {
        if request.path == "/cert/oauth/token" {
            let form = request.form();
            let client_id = form.iter().any(|(k, v)| k == "client_id" && v == "sb-x509!b1|calm!b2716");
            return Some(match (&request.client_certificate, request.authorization(), client_id) {
                (Some(subject), None, true) if subject == "CN=sapland-agent" => Reply::json(
                    200,
                    json!({"access_token": "mtls-token", "token_type": "bearer", "expires_in": 600}),
                ),
                _ => Reply::json(401, json!({"error": "invalid_client"})),
            });
        }
        (request.path == "/api/calm-landscape/v1/landscapeObjects")
            .then(|| Reply::json(200, json!([])))
    })
    .await;
    let agent = ca.client_identity("sapland-agent").unwrap();
    let key = ServiceKey::from_json(
        &json!({
            "endpoints": {"Api": format!("{}/api", fake.url)},
            "uaa": {
                "clientid": "sb-x509!b1|calm!b2716",
                "url": fake.url,
                "certurl": format!("{}/cert", fake.url),
                "certificate": agent.cert_pem,
                "key": agent.key_pem.expose(),
                "credential-type": "x509"
            }
        })
        .to_string(),
    )
    .unwrap();
    let (client, _) = client_for(&key, trusting(&ca));
    assert_eq!(client.token_url(), format!("{}/cert/oauth/token", fake.url));
    client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap();
    let calls = fake.requests_to("/api/calm-landscape/v1/landscapeObjects");
    assert_eq!(calls[0].authorization(), Some("Bearer mtls-token"));
    assert_eq!(
        calls[0].client_certificate, None,
        "only the token endpoint gets the certificate"
    );
}

/// An untrusted server says how to trust it.
#[tokio::test]
async fn an_untrusted_certificate_says_how_to_trust_the_ca() {
    let (fake, _ca, _dir) = tls_fake(|_| None).await;
    let key = ServiceKey::from_json(&fake.secret_key_json().to_string()).unwrap();
    let (client, _) = client_for(&key, HttpsOptions::default());
    let error = client.token().await.unwrap_err();
    assert!(error.is_unreachable(), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!(
            "token request failed: the server certificate is not trusted (issued by an unknown \
             certificate authority); trust the CA that issued it with --ca-cert FILE or \
             SSL_CERT_FILE=FILE (PEM) (POST {}/oauth/token)",
            fake.url
        )
    );
}

/// A key whose private key belongs to another certificate cannot build a client; the error
/// names the member, never the key.
#[tokio::test]
async fn a_key_that_does_not_fit_its_certificate_is_refused_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let ca = LandscapeCa::load_or_create(dir.path()).unwrap();
    let one = ca.client_identity("one").unwrap();
    let other = ca.client_identity("other").unwrap();
    let key = ServiceKey::from_json(
        &json!({
            "endpoints": {"Api": "https://eu10.alm.cloud.sap/api"},
            "uaa": {
                "clientid": "sb-x",
                "certurl": "https://t.authentication.cert.eu10.hana.ondemand.com",
                "certificate": one.cert_pem,
                "key": other.key_pem.expose(),
                "credential-type": "x509"
            }
        })
        .to_string(),
    )
    .unwrap();
    let clock = std::sync::Arc::new(sapland_outbound::clock::ManualClock::new(
        crate::support::START.parse().unwrap(),
    ));
    let error = sapland_calm::Client::new(
        &key,
        &sapland_outbound::Reach::new(HttpsOptions::default(), clock),
        sapland_calm::TokenRequestStyle::default(),
    )
    .unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with(
            "the private key of the client certificate the service key's uaa.certificate: does not fit the certificate"
        ),
        "{text}"
    );
    assert!(!text.contains("PRIVATE KEY"), "{text}");
}
