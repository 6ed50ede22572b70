//! The server runner: plain HTTP/1.1 and HTTP/2, peer addresses, concurrent handshakes, graceful
//! shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::ConnectInfo;
use axum::routing::get;
use axum::{Extension, Router};
use sapland_inbound::serve::{PeerCertificate, serve};
use sapland_inbound::tls::{ClientAuth, server_config};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc, oneshot};

use crate::support::TestCa;

/// Answers with the peer address and whether a client certificate came along.
fn peer() -> Router {
    Router::new().route(
        "/peer",
        get(
            |ConnectInfo(addr): ConnectInfo<SocketAddr>,
             certificate: Option<Extension<PeerCertificate>>| async move {
                format!("{} {}", addr.ip(), certificate.is_some())
            },
        ),
    )
}

fn plain_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// Binds 127.0.0.1:0 and serves until the returned sender fires.
async fn start(
    router: Router,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> (
    SocketAddr,
    oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, router, tls, async {
        let _ = stopped.await;
    }));
    (addr, stop, task)
}

#[tokio::test]
async fn plain_http_serves_http1_and_http2_with_the_peer_address() {
    let (addr, stop, task) = start(peer(), None).await;
    let url = format!("http://{addr}/peer");

    let response = plain_client().get(&url).send().await.unwrap();
    assert_eq!(response.version(), reqwest::Version::HTTP_11);
    assert_eq!(response.text().await.unwrap(), "127.0.0.1 false");

    let _ = rustls::crypto::ring::default_provider().install_default();
    let h2 = reqwest::Client::builder()
        .no_proxy()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let response = h2.get(&url).send().await.unwrap();
    assert_eq!(response.version(), reqwest::Version::HTTP_2);
    assert_eq!(response.text().await.unwrap(), "127.0.0.1 false");

    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn shutdown_lets_the_request_in_flight_finish_then_stops_listening() {
    let (started_tx, mut started) = mpsc::channel::<()>(1);
    let release = Arc::new(Notify::new());
    let answered = Arc::new(AtomicBool::new(false));
    let router = {
        let release = Arc::clone(&release);
        let answered = Arc::clone(&answered);
        Router::new().route(
            "/slow",
            get(move || async move {
                started_tx.send(()).await.unwrap();
                release.notified().await;
                answered.store(true, Ordering::SeqCst);
                "done"
            }),
        )
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let (observed_tx, observed) = oneshot::channel::<()>();
    let mut task = tokio::spawn(serve(listener, router, None, async move {
        let _ = stopped.await;
        let _ = observed_tx.send(());
    }));

    let client = plain_client();
    let request = tokio::spawn(async move {
        let response = client.get(format!("http://{addr}/slow")).send().await?;
        response.text().await
    });
    started.recv().await.unwrap();

    stop.send(()).unwrap();
    observed.await.unwrap();
    // The server has left its accept loop, but the request is still being answered.
    assert!(!task.is_finished());
    release.notify_one();

    assert_eq!(request.await.unwrap().unwrap(), "done");
    (&mut task).await.unwrap().unwrap();
    assert!(answered.load(Ordering::SeqCst));
    assert!(TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn a_stalled_or_garbled_handshake_holds_up_no_one_and_not_the_shutdown() {
    let ca = TestCa::new();
    let config = server_config(&ca.server_identity(), &ca.client_auth()).unwrap();
    let (addr, stop, task) = start(peer(), Some(config)).await;

    // Connects and never says a word.
    let _stalled = TcpStream::connect(addr).await.unwrap();

    // Speaks plain HTTP to the TLS port: the server drops the connection.
    let mut garbled = TcpStream::connect(addr).await.unwrap();
    garbled
        .write_all(b"GET /peer HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = garbled.read_to_end(&mut answer).await;
    assert!(!answer.starts_with(b"HTTP/"), "{answer:?}");

    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([reqwest::Certificate::from_pem(ca.cert_pem().as_bytes()).unwrap()])
        .identity(
            reqwest::Identity::from_pem(
                ca.client_identity("agent").pem_bundle().expose().as_bytes(),
            )
            .unwrap(),
        )
        .build()
        .unwrap();
    let text = client
        .get(format!("https://localhost:{}/peer", addr.port()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(text, "127.0.0.1 true");

    // The stalled handshake is abandoned at shutdown rather than waited for.
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_server_without_client_auth_gives_no_peer_certificate() {
    let ca = TestCa::new();
    let config = server_config(&ca.server_identity(), &ClientAuth::Off).unwrap();
    let (addr, stop, task) = start(peer(), Some(config)).await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([reqwest::Certificate::from_pem(ca.cert_pem().as_bytes()).unwrap()])
        .identity(
            reqwest::Identity::from_pem(
                ca.client_identity("agent").pem_bundle().expose().as_bytes(),
            )
            .unwrap(),
        )
        .build()
        .unwrap();
    let text = client
        .get(format!("https://localhost:{}/peer", addr.port()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(text, "127.0.0.1 false");
    drop(stop);
    task.await.unwrap().unwrap();
}
