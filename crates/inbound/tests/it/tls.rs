//! TLS server configurations: the certificate a client must trust, ALPN, and optional client
//! certificates verified against the CAs named.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::get;
use axum::{Extension, Router};
use sapland_inbound::serve::{PeerCertificate, serve};
use sapland_inbound::tls::{ClientAuth, Identity, TlsError, server_config};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::support::TestCa;

/// A server on 127.0.0.1 that stops when the sender is dropped or sent to.
struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(router: Router, tls: Option<Arc<rustls::ServerConfig>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, router, tls, async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            stop: Some(stop),
            task,
        }
    }

    fn port(&self) -> u16 {
        self.addr.port()
    }

    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.await.unwrap().unwrap();
    }
}

/// Answers with the subject of the client certificate, or `anonymous`.
fn whoami() -> Router {
    Router::new().route(
        "/whoami",
        get(
            |certificate: Option<Extension<PeerCertificate>>| async move {
                match certificate {
                    Some(Extension(certificate)) => {
                        assert!(!certificate.der.is_empty());
                        certificate.subject
                    }
                    None => "anonymous".to_owned(),
                }
            },
        ),
    )
}

fn client(ca_pem: &str, identity: Option<&Identity>) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap()]);
    if let Some(identity) = identity {
        builder = builder.identity(
            reqwest::Identity::from_pem(identity.pem_bundle().expose().as_bytes()).unwrap(),
        );
    }
    builder.build().unwrap()
}

async fn get_text(client: &reqwest::Client, url: &str) -> reqwest::Result<String> {
    client
        .get(url)
        .send()
        .await?
        .error_for_status()?
        .text()
        .await
}

#[test]
fn optional_client_auth_needs_a_trusted_ca() {
    let ca = TestCa::new();
    let identity = ca.server_identity();
    let none = ClientAuth::Optional {
        trusted_ca_pems: vec![],
    };
    assert!(matches!(
        server_config(&identity, &none),
        Err(TlsError::Pem { .. })
    ));
    let garbage = ClientAuth::Optional {
        trusted_ca_pems: vec!["garbage".into()],
    };
    assert!(matches!(
        server_config(&identity, &garbage),
        Err(TlsError::Pem { .. })
    ));
}

#[tokio::test]
async fn a_client_that_trusts_only_the_ca_reaches_the_server_by_name_and_address() {
    let ca = TestCa::new();
    let identity = ca.server_identity();
    let config = server_config(&identity, &ClientAuth::Off).unwrap();
    let server = Server::start(whoami(), Some(config)).await;
    let client = client(ca.cert_pem(), None);
    for host in ["localhost", "127.0.0.1"] {
        let url = format!("https://{host}:{}/whoami", server.port());
        assert_eq!(get_text(&client, &url).await.unwrap(), "anonymous", "{url}");
    }
    // HTTP/2 is negotiated by ALPN.
    let response = client
        .get(format!("https://127.0.0.1:{}/whoami", server.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.version(), reqwest::Version::HTTP_2);
    server.stop().await;
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_is_refused() {
    let ca = TestCa::new();
    let stranger = TestCa::new();
    let config = server_config(&ca.server_identity(), &ClientAuth::Off).unwrap();
    let server = Server::start(whoami(), Some(config)).await;
    let url = format!("https://localhost:{}/whoami", server.port());
    assert!(
        get_text(&client(stranger.cert_pem(), None), &url)
            .await
            .is_err()
    );
    // The refused handshake did not stop the server.
    assert_eq!(
        get_text(&client(ca.cert_pem(), None), &url).await.unwrap(),
        "anonymous"
    );
    server.stop().await;
}

#[tokio::test]
async fn optional_client_auth_identifies_clients_of_the_ca_and_lets_others_in_anonymously() {
    let ca = TestCa::new();
    let stranger = TestCa::new();
    let config = server_config(&ca.server_identity(), &ca.client_auth()).unwrap();
    let server = Server::start(whoami(), Some(config)).await;
    let url = format!("https://localhost:{}/whoami", server.port());

    let agent = ca.client_identity("agent");
    assert_eq!(
        get_text(&client(ca.cert_pem(), Some(&agent)), &url)
            .await
            .unwrap(),
        "CN=agent"
    );

    assert_eq!(
        get_text(&client(ca.cert_pem(), None), &url).await.unwrap(),
        "anonymous"
    );

    let impostor = stranger.client_identity("agent");
    let refused = get_text(&client(ca.cert_pem(), Some(&impostor)), &url).await;
    assert!(refused.is_err(), "{refused:?}");

    // Still serving after the refusal.
    assert_eq!(
        get_text(&client(ca.cert_pem(), Some(&agent)), &url)
            .await
            .unwrap(),
        "CN=agent"
    );
    server.stop().await;
}

#[test]
fn a_server_key_that_does_not_parse_is_named_and_never_quoted() {
    let ca = TestCa::new();
    let mut identity = ca.server_identity();
    let key = identity.key_pem.expose().to_owned();
    identity.key_pem = sapland_core::scim::Secret::new(key.replacen("\n", "\n!!", 2));
    let error = server_config(&identity, &ClientAuth::Off).unwrap_err();
    assert!(matches!(error, TlsError::Pem { .. }), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(text.contains("the server private key"), "{text}");
    for line in key.lines().filter(|line| !line.starts_with("-----")) {
        assert!(!text.contains(line), "the error quotes the key: {text}");
    }
}
