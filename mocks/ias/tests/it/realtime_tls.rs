//! Real-time pushes over HTTPS in a process where no rustls crypto provider was installed: the
//! delivery client hands rustls the ring provider itself. Nothing in this test binary calls
//! `install_default`, and each test checks that none is installed before and after it pushes.
//! The receiver is a small TLS server in the test (HTTP/1.1) that records what each push
//! offered and sent.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::Timestamp;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{Acceptor, WebPkiClientVerifier};
use rustls::{RootCertStore, ServerConfig};
use sapland_mock_ias::realtime::{
    FINISHED_SUCCESSFULLY, FINISHED_WITH_ERROR, Operation, Origin, Realtime, UserChange,
};
use sapland_mock_kit::clock::Clock;
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use tokio_rustls::LazyConfigAcceptor;

/// The path of the receiver's SCIM URL, shaped as SAP documents the real-time API's.
const ENTITY_PATH: &str = "/ipsproxy/service/api/v1/systems/rt/entities/user";

/// How long a push may take before the test gives up on it: a guard against hanging, far above
/// the push timeout, not a measurement.
const FLUSH_GUARD: Duration = Duration::from_secs(120);

/// A certificate authority for the test.
struct TestCa {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    fn new(name: &str) -> Self {
        let mut params = CertificateParams::default();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().unwrap();
        let pem = params.self_signed(&key).unwrap().pem();
        Self {
            pem,
            issuer: Issuer::new(params, key),
        }
    }

    /// A certificate and key (PEM) signed by the CA.
    fn issue(
        &self,
        mut params: CertificateParams,
        usage: ExtendedKeyUsagePurpose,
    ) -> (String, String) {
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    }

    fn roots(&self) -> RootCertStore {
        let mut roots = RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_slice(self.pem.as_bytes()).unwrap())
            .unwrap();
        roots
    }
}

/// What one connection to the receiver offered and sent.
#[derive(Debug, Clone, Default)]
struct Seen {
    alpn: Vec<String>,
    client_certificate: bool,
    request_line: String,
    authorization: Option<String>,
    body: serde_json::Value,
}

/// Starts an HTTPS receiver on 127.0.0.1 with a certificate of `ca`; with `client_ca`, it
/// requires a client certificate signed by it. Answers the base URL and what it sees.
async fn start_receiver(
    ca: &TestCa,
    client_ca: Option<&TestCa>,
) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let (cert_pem, key_pem) = ca.issue(
        CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap(),
        ExtendedKeyUsagePurpose::ServerAuth,
    );
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .unwrap();
    let builder = match client_ca {
        Some(client_ca) => builder.with_client_cert_verifier(
            WebPkiClientVerifier::builder_with_provider(Arc::new(client_ca.roots()), provider)
                .build()
                .unwrap(),
        ),
        None => builder.with_no_client_auth(),
    };
    let mut config = builder
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(cert_pem.as_bytes()).unwrap()],
            PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).unwrap(),
        )
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (config, record) = (config.clone(), record.clone());
            tokio::spawn(async move {
                if let Some(one) = serve(stream, config).await {
                    record
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(one);
                }
            });
        }
    });
    (base, seen)
}

/// One connection: the TLS handshake, one HTTP/1.1 request, a 201 answer.
async fn serve(stream: tokio::net::TcpStream, config: Arc<ServerConfig>) -> Option<Seen> {
    let start = LazyConfigAcceptor::new(Acceptor::default(), stream)
        .await
        .ok()?;
    let alpn = start
        .client_hello()
        .alpn()
        .into_iter()
        .flatten()
        .map(|protocol| String::from_utf8_lossy(protocol).into_owned())
        .collect();
    let mut tls = start.into_stream(config).await.ok()?;
    let client_certificate = tls.get_ref().1.peer_certificates().is_some();
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = tls.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let (mut length, mut authorization) = (0, None);
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "authorization" => authorization = Some(value.trim().to_string()),
                _ => {}
            }
        }
    }
    while buffer.len() < head_end + length {
        let n = tls.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = serde_json::from_slice(&buffer[head_end..head_end + length]).unwrap_or_default();
    let answer = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
    tls.write_all(answer.as_bytes()).await.ok()?;
    let _ = tls.shutdown().await;
    Some(Seen {
        alpn,
        client_certificate,
        request_line,
        authorization,
        body,
    })
}

fn now() -> Timestamp {
    "2026-11-22T09:00:00Z".parse().unwrap()
}

/// The creation of amy, as the directory would record it.
fn amy_created() -> UserChange {
    UserChange {
        operation: Operation::Create,
        id: "6d6a1f0e-2b7c-4c1d-9e3f-0a1b2c3d4e5f".into(),
        user_id: Some("P000001".into()),
        user_name: Some("amy".into()),
        v2: Some(json!({"id": "6d6a1f0e-2b7c-4c1d-9e3f-0a1b2c3d4e5f", "userName": "amy"})),
        v1: None,
    }
}

/// Registers a version 2 target at `base` with `authentication`, pushes amy's creation to it
/// and waits until the push is made.
async fn push_to(realtime: &Realtime, base: &str, authentication: serde_json::Value) {
    let target = json!({
        "displayName": "Identity Provisioning over HTTPS",
        "type": "Identity Provisioning",
        "url": format!("{base}{ENTITY_PATH}"),
        "version": 2,
        "authentication": authentication,
    });
    realtime.add_target(&target.to_string()).unwrap();
    realtime.dispatch(vec![amy_created()], &Origin::Scim, &Clock::manual(now()));
    // A push task that panics (as building reqwest's own rustls set-up without a process-wide
    // provider does) never reports back: fail then rather than wait forever.
    tokio::time::timeout(FLUSH_GUARD, realtime.flush())
        .await
        .expect("the push task finished the push");
}

#[tokio::test]
async fn a_push_over_https_needs_no_process_wide_crypto_provider() {
    assert!(
        CryptoProvider::get_default().is_none(),
        "this test binary must not install a default crypto provider"
    );
    let ca = TestCa::new("real-time test CA");
    let (base, seen) = start_receiver(&ca, None).await;
    let realtime = Realtime::new(1);
    realtime.trust(&ca.pem);
    push_to(
        &realtime,
        &base,
        json!({"basic": {"clientId": "rt", "clientSecret": "rt-secret"}}),
    )
    .await;

    let deliveries = realtime.deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(
        deliveries[0].state(),
        FINISHED_SUCCESSFULLY,
        "{:?}",
        deliveries[0]
    );
    assert_eq!(deliveries[0].http_status, Some(201));
    let seen = seen.lock().unwrap_or_else(PoisonError::into_inner).clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].request_line, format!("POST {ENTITY_PATH} HTTP/1.1"));
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some("Basic cnQ6cnQtc2VjcmV0")
    );
    assert_eq!(seen[0].body["userName"], "amy");
    assert_eq!(
        seen[0].alpn,
        ["h2", "http/1.1"],
        "HTTP/2 first, then HTTP/1.1"
    );
    assert!(!seen[0].client_certificate);
    assert!(CryptoProvider::get_default().is_none());
}

#[tokio::test]
async fn a_certificate_target_presents_its_client_certificate() {
    assert!(CryptoProvider::get_default().is_none());
    let ca = TestCa::new("real-time test CA");
    let (base, seen) = start_receiver(&ca, Some(&ca)).await;
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, "rt-technical-user");
    let (certificate_pem, key_pem) = ca.issue(params, ExtendedKeyUsagePurpose::ClientAuth);
    let realtime = Realtime::new(1);
    realtime.trust(&ca.pem);
    push_to(
        &realtime,
        &base,
        json!({"certificate": {"certificatePem": certificate_pem, "keyPem": key_pem}}),
    )
    .await;

    let deliveries = realtime.deliveries();
    assert_eq!(
        deliveries[0].state(),
        FINISHED_SUCCESSFULLY,
        "{:?}",
        deliveries[0]
    );
    let seen = seen.lock().unwrap_or_else(PoisonError::into_inner).clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].client_certificate);
    assert_eq!(seen[0].authorization, None);
    assert!(CryptoProvider::get_default().is_none());
}

#[tokio::test]
async fn a_receiver_the_trusted_cas_did_not_sign_is_refused() {
    assert!(CryptoProvider::get_default().is_none());
    let ca = TestCa::new("real-time test CA");
    let (base, seen) = start_receiver(&ca, None).await;
    let realtime = Realtime::new(1);
    realtime.trust(&TestCa::new("another CA").pem);
    push_to(
        &realtime,
        &base,
        json!({"basic": {"clientId": "rt", "clientSecret": "rt-secret"}}),
    )
    .await;

    let deliveries = realtime.deliveries();
    assert_eq!(deliveries[0].state(), FINISHED_WITH_ERROR);
    let error = deliveries[0].error.clone().unwrap_or_default();
    assert!(error.contains("invalid peer certificate"), "{error}");
    assert!(
        seen.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    );
}
