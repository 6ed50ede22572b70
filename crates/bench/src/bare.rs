//! The baseline: a bare hyper HTTP/1.1 server that answers every request with one fixed JSON
//! body. No router, no middleware, no state — the floor any hyper-based server stands on.

use std::convert::Infallible;
use std::net::SocketAddr;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A running bare server; dropping it does not stop it, [`Bare::stop`] does.
pub(crate) struct Bare {
    /// Where it listens.
    pub(crate) addr: SocketAddr,
    accept: JoinHandle<()>,
}

impl Bare {
    /// Binds 127.0.0.1 on a free port and serves `body` on `runtime`.
    pub(crate) fn start(runtime: &tokio::runtime::Runtime, body: Bytes) -> anyhow::Result<Self> {
        let listener = runtime.block_on(TcpListener::bind(("127.0.0.1", 0)))?;
        let addr = listener.local_addr()?;
        let accept = runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let body = body.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |_: Request<Incoming>| {
                        let mut response = Response::new(Full::new(body.clone()));
                        response.headers_mut().insert(
                            CONTENT_TYPE,
                            HeaderValue::from_static("application/scim+json"),
                        );
                        async move { Ok::<_, Infallible>(response) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(Self { addr, accept })
    }

    /// Stops accepting (connections still open end when their client closes them).
    pub(crate) fn stop(self) {
        self.accept.abort();
    }
}
