//! HTTPS clients against the landscape CA: trust through an extra CA bundle, the error (and
//! its fix) when the CA is not trusted, IPS's `TrustAll`, and mTLS as a mock IAS technical user
//! with an uploaded certificate ([DOC] reference/ips-ias.md §3.2, §2.8 `TrustAll`).

use std::time::Duration;

use jiff::Timestamp;
use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig};
use sapland_outbound::https::{
    self, ClientIdentity, HttpsError, HttpsOptions, PemSource, PrivateKeyPem, TransportError,
};

async fn start(dir: &std::path::Path) -> Landscape {
    let mut config = LandscapeConfig::new(dir.join("state"));
    config.clock = ClockChoice::Manual("2026-11-22T09:00:00Z".parse::<Timestamp>().unwrap());
    config.seed = Some(7);
    Landscape::start(config).await.unwrap()
}

fn landscape_ca(landscape: &Landscape) -> PemSource {
    let path = landscape.description.ca_cert.clone().unwrap();
    PemSource::new(
        format!("--ca-cert {}", path.display()),
        std::fs::read(&path).unwrap(),
    )
}

fn options() -> HttpsOptions {
    HttpsOptions {
        timeout: Some(Duration::from_secs(10)),
        ..HttpsOptions::default()
    }
}

#[tokio::test]
async fn the_landscape_ca_as_an_extra_root_is_trusted_beside_the_system_roots() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(dir.path()).await;
    let client = https::build(&HttpsOptions {
        extra_roots: vec![landscape_ca(&landscape)],
        ..options()
    })
    .unwrap();
    let health = format!("{}/_admin/health", landscape.description.ias.admin_url);
    let answer = client.get(&health).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.json::<serde_json::Value>().await.unwrap()["status"],
        "UP"
    );
    landscape.shutdown().await;
}

#[tokio::test]
async fn without_the_landscape_ca_the_error_says_the_certificate_is_not_trusted_and_how_to_fix_it()
{
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(dir.path()).await;
    let client = https::build(&options()).unwrap();
    let health = format!("{}/_admin/health", landscape.description.ias.admin_url);
    let error = client.get(&health).send().await.unwrap_err();
    let transport = TransportError::from_reqwest(&error);
    assert!(
        matches!(transport, TransportError::UntrustedCertificate { .. }),
        "{transport:?}"
    );
    let text = transport.to_string();
    assert!(text.contains("not trusted"), "{text}");
    assert!(text.contains("unknown certificate authority"), "{text}");
    assert!(text.contains("--ca-cert FILE"), "{text}");
    assert!(text.contains("SSL_CERT_FILE"), "{text}");
    landscape.shutdown().await;
}

#[tokio::test]
async fn another_landscape_s_ca_does_not_make_this_one_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(&dir.path().join("one")).await;
    let other = start(&dir.path().join("two")).await;
    let client = https::build(&HttpsOptions {
        extra_roots: vec![landscape_ca(&other)],
        system_roots: false,
        ..options()
    })
    .unwrap();
    let health = format!("{}/_admin/health", landscape.description.ias.admin_url);
    let error = client.get(&health).send().await.unwrap_err();
    assert!(matches!(
        TransportError::from_reqwest(&error),
        TransportError::UntrustedCertificate { .. }
    ));
    landscape.shutdown().await;
    other.shutdown().await;
}

/// IPS `TrustAll=true` ([DOC] §2.8) is honoured, with a warning for the caller to print
/// (BTP-IPS-0007 rates it non-compliant).
#[tokio::test]
async fn trust_all_accepts_the_untrusted_landscape_certificate_and_warns() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(dir.path()).await;
    let options = HttpsOptions {
        trust_all: true,
        ..options()
    };
    let warning = options.warning().unwrap();
    assert!(warning.contains("TrustAll=true"), "{warning}");
    assert!(warning.contains("--ca-cert"), "{warning}");
    assert_eq!(HttpsOptions::default().warning(), None);
    let client = https::build(&options).unwrap();
    let health = format!("{}/_admin/health", landscape.description.ias.admin_url);
    assert_eq!(client.get(&health).send().await.unwrap().status(), 200);
    landscape.shutdown().await;
}

/// [DOC] §3.2: a technical user authenticates with an uploaded X.509 certificate (mTLS); the
/// request carries no `Authorization` header.
#[tokio::test]
async fn mtls_as_a_technical_user_with_an_uploaded_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(dir.path()).await;
    let ca = landscape.ca.clone().unwrap();
    let identity = ca.client_identity("sapland-outbound-test").unwrap();
    let admin = https::build(&HttpsOptions {
        extra_roots: vec![landscape_ca(&landscape)],
        ..options()
    })
    .unwrap();
    let uploaded = admin
        .post(format!(
            "{}/_admin/ias/tenants/target/technical-users",
            landscape.description.ias.admin_url
        ))
        .bearer_auth(&landscape.description.admin_token)
        .json(&serde_json::json!({
            "name": "outbound test",
            "roles": ["Read Users"],
            "certificatePem": identity.cert_pem,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);

    let tenant = &landscape.description.ias.tenants[1];
    assert_eq!(tenant.name, "target");
    let users = format!("{}/scim/Users", tenant.url);
    let anonymous = admin.get(&users).send().await.unwrap();
    assert_eq!(
        anonymous.status(),
        401,
        "without a certificate nobody is authenticated"
    );

    let with_certificate = HttpsOptions {
        extra_roots: vec![landscape_ca(&landscape)],
        identity: Some(ClientIdentity {
            certificate: PemSource::new("outbound test certificate", identity.cert_pem.clone()),
            private_key: PrivateKeyPem::new(identity.key_pem.expose().as_bytes().to_vec()),
        }),
        ..options()
    };
    assert!(!format!("{with_certificate:?}").contains(identity.key_pem.expose()));
    let client = https::build(&with_certificate).unwrap();
    let answer = client.get(&users).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["totalResults"], 0);
    landscape.shutdown().await;
}

/// The landscape's own technical user certificate (`landscape.json`), from files as the
/// agent reads them.
#[tokio::test]
async fn mtls_with_the_landscape_technical_user_certificate_files() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(dir.path()).await;
    let tenant = &landscape.description.ias.tenants[0];
    let user = &tenant.technical_user;
    let certificate = user.certificate.clone().unwrap();
    let client = https::build(&HttpsOptions {
        extra_roots: vec![landscape_ca(&landscape)],
        identity: Some(ClientIdentity {
            certificate: PemSource::new(
                certificate.display().to_string(),
                std::fs::read(&certificate).unwrap(),
            ),
            private_key: PrivateKeyPem::new(std::fs::read(user.key.clone().unwrap()).unwrap()),
        }),
        ..options()
    })
    .unwrap();
    let answer = client
        .get(format!("{}/scim/Groups", tenant.url))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    landscape.shutdown().await;
}

#[tokio::test]
async fn a_client_certificate_from_another_ca_is_refused_in_the_handshake() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(&dir.path().join("one")).await;
    let other = start(&dir.path().join("two")).await;
    let foreign = other
        .ca
        .clone()
        .unwrap()
        .client_identity("sapland-agent-target")
        .unwrap();
    let client = https::build(&HttpsOptions {
        extra_roots: vec![landscape_ca(&landscape)],
        identity: Some(ClientIdentity {
            certificate: PemSource::new("foreign certificate", foreign.cert_pem.clone()),
            private_key: PrivateKeyPem::new(foreign.key_pem.expose().as_bytes().to_vec()),
        }),
        ..options()
    })
    .unwrap();
    let tenant = &landscape.description.ias.tenants[1];
    let error = client
        .get(format!("{}/scim/Users", tenant.url))
        .send()
        .await
        .unwrap_err();
    let transport = TransportError::from_reqwest(&error);
    assert!(
        matches!(
            transport,
            TransportError::HandshakeRefused { .. } | TransportError::Connection { .. }
        ),
        "{transport:?}"
    );
    assert!(!transport.to_string().contains(foreign.key_pem.expose()));
    landscape.shutdown().await;
    other.shutdown().await;
}

#[test]
fn a_broken_bundle_is_named_in_the_error() {
    let error = https::build(&HttpsOptions {
        extra_roots: vec![PemSource::new(
            "SSL_CERT_FILE=/etc/broken.pem",
            "-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n",
        )],
        ..options()
    })
    .unwrap_err();
    assert!(matches!(error, HttpsError::Pem { .. }));
    assert_eq!(
        error.to_string(),
        "SSL_CERT_FILE=/etc/broken.pem: the base64 content of a PEM section is invalid"
    );
}
