//! The accept loop: an axum router on a TCP listener, plain HTTP or TLS, HTTP/1.1 and HTTP/2,
//! with graceful shutdown.
//!
//! Each request carries the peer address as [`axum::extract::ConnectInfo<SocketAddr>`] and, when
//! the client presented a verified certificate, a [`PeerCertificate`] extension.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tower::Service as _;

/// How long a client may take to complete the TLS handshake before its connection is dropped.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the accept loop waits after an error that is not about a single connection (for
/// example, too many open files) before it accepts again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(250);

/// The verified client certificate of the connection, inserted into each request's extensions
/// (axum handlers take `Option<axum::Extension<PeerCertificate>>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerCertificate {
    /// The subject as RFC 4514-like text in certificate order, e.g. `CN=agent` or
    /// `O=sapland, CN=agent`.
    pub subject: String,
    /// The certificate, DER.
    pub der: Vec<u8>,
}

impl PeerCertificate {
    /// Reads the first certificate of a PEM text; `None` when there is none or it does not parse.
    pub fn from_pem(pem: &str) -> Option<PeerCertificate> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let der = CertificateDer::pem_slice_iter(pem.as_bytes())
            .next()?
            .ok()?;
        Self::from_der(&der)
    }

    /// Reads the subject of a DER certificate; `None` when it does not parse as X.509.
    pub fn from_der(der: &[u8]) -> Option<PeerCertificate> {
        let (_, certificate) = x509_parser::parse_x509_certificate(der).ok()?;
        Some(PeerCertificate {
            subject: certificate.subject().to_string(),
            der: der.to_vec(),
        })
    }
}

/// Serves `router` on `listener` (TLS when `tls` is Some, plain HTTP otherwise; HTTP/1.1 and
/// HTTP/2) until `shutdown` resolves, then finishes in-flight requests (graceful).
///
/// Every connection is served on its own task, TLS handshake included, so a slow or stalled
/// handshake holds up no one else. A handshake that fails or takes longer than
/// [`HANDSHAKE_TIMEOUT`] drops that connection only. Once `shutdown` resolves, the listener is
/// closed, handshakes under way are abandoned, idle connections are closed, and the function
/// returns when the requests in flight have been answered.
///
/// Errors accepting a connection never end the loop: those about one connection are skipped,
/// others (such as running out of file descriptors) are retried after a short pause. The
/// `io::Result` is kept so that later failure modes can be reported.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let acceptor = tls.map(TlsAcceptor::from);
    let builder = auto::Builder::new(TokioExecutor::new());
    let graceful = GracefulShutdown::new();
    let (stop_handshakes, handshakes_stopped) = watch::channel(());
    let mut shutdown = pin!(shutdown);

    loop {
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) if is_connection_error(&error) => continue,
            Err(_) => {
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let connection = Connection {
            builder: builder.clone(),
            router: router.clone(),
            peer,
            watcher: graceful.watcher(),
        };
        match &acceptor {
            Some(acceptor) => {
                tokio::spawn(connection.serve_tls(
                    acceptor.clone(),
                    stream,
                    handshakes_stopped.clone(),
                ));
            }
            None => {
                tokio::spawn(connection.serve_io(stream, None));
            }
        }
    }

    drop(listener);
    let _ = stop_handshakes.send(());
    drop(stop_handshakes);
    graceful.shutdown().await;
    Ok(())
}

/// Errors of `accept` that concern one connection only.
fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::ConnectionRefused
            | ErrorKind::ConnectionAborted
            | ErrorKind::ConnectionReset
            | ErrorKind::Interrupted
    )
}

/// One accepted connection, before its protocol is known.
struct Connection {
    builder: auto::Builder<TokioExecutor>,
    router: Router,
    peer: SocketAddr,
    watcher: Watcher,
}

impl Connection {
    /// Completes the TLS handshake (unless shutdown comes first), then serves the connection.
    async fn serve_tls(
        self,
        acceptor: TlsAcceptor,
        stream: TcpStream,
        mut stopped: watch::Receiver<()>,
    ) {
        let handshake = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream));
        let stream = tokio::select! {
            result = handshake => match result {
                Ok(Ok(stream)) => stream,
                // Failed or timed out: drop the connection.
                Ok(Err(_)) | Err(_) => return,
            },
            // A change or a dropped sender: either way the server is shutting down.
            _ = stopped.changed() => return,
        };
        let peer_certificate = match stream
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|chain| chain.first())
        {
            None => None,
            Some(der) => match PeerCertificate::from_der(der) {
                Some(certificate) => Some(certificate),
                // rustls verified it, so this does not happen; refuse rather than serve the
                // connection as anonymous.
                None => return,
            },
        };
        self.serve_io(stream, peer_certificate).await;
    }

    /// Serves HTTP/1.1 or HTTP/2 (auto-detected) on an established stream until the client
    /// closes it or shutdown has let its requests finish.
    async fn serve_io<S>(self, stream: S, peer_certificate: Option<PeerCertificate>)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let Connection {
            builder,
            router,
            peer,
            watcher,
        } = self;
        let service = service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            if let Some(certificate) = &peer_certificate {
                request.extensions_mut().insert(certificate.clone());
            }
            // A router is always ready, so `call` needs no `poll_ready` first.
            router.clone().call(request)
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        // An error here is the client's (reset, malformed request); it ends this connection only.
        let _ = watcher.watch(connection).await;
    }
}
