//! A small HTTP/1.1 load generator on hyper's client: a fixed number of keep-alive connections,
//! each sending its next request as soon as the previous answer is read in full, until a fixed
//! number of requests has been answered.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use http_body_util::{BodyExt as _, Empty};
use hyper::body::Bytes;
use hyper::header::{AUTHORIZATION, HOST, HeaderValue};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::task::JoinSet;

/// How long one run may take before the benchmark gives up (keeps every loop bounded).
const RUN_LIMIT: Duration = Duration::from_secs(300);

/// What to send.
#[derive(Clone)]
pub(crate) struct Target {
    /// Where the server listens (loopback).
    pub(crate) addr: SocketAddr,
    /// `Authorization` header value, if the server needs one.
    pub(crate) authorization: Option<HeaderValue>,
    /// Paths (with query) sent in turn.
    pub(crate) paths: Arc<Vec<String>>,
}

/// How hard to push.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// Concurrent keep-alive connections.
    pub(crate) connections: usize,
    /// Requests answered in the measured run.
    pub(crate) requests: usize,
    /// Requests answered before the measured run (not timed).
    pub(crate) warmup: usize,
}

/// The result of one measured run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome {
    /// Requests answered per second.
    pub(crate) rate: f64,
    /// Mean response body size.
    pub(crate) body_bytes: usize,
}

/// A warm-up run, then a measured run, each on fresh connections.
pub(crate) async fn measure(target: &Target, shape: Shape) -> anyhow::Result<Outcome> {
    if shape.warmup > 0 {
        run(target, shape.connections, shape.warmup).await?;
    }
    run(target, shape.connections, shape.requests).await
}

/// Opens `connections` connections, then times `requests` requests over them.
async fn run(target: &Target, connections: usize, requests: usize) -> anyhow::Result<Outcome> {
    let connections = connections.clamp(1, requests.max(1));
    let mut senders = Vec::with_capacity(connections);
    let mut drivers = JoinSet::new();
    for _ in 0..connections {
        let (sender, connection) = connect(target.addr).await?;
        drivers.spawn(connection);
        senders.push(sender);
    }
    let next = Arc::new(AtomicUsize::new(0));
    let bytes = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = JoinSet::new();
    for sender in senders {
        let target = target.clone();
        let next = next.clone();
        let bytes = bytes.clone();
        workers.spawn(async move {
            let mut sender = sender;
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= requests {
                    return anyhow::Ok(());
                }
                let path = &target.paths[index % target.paths.len()];
                let (status, body) = send(&mut sender, &target, path).await?;
                if status != StatusCode::OK {
                    bail!(
                        "GET {path} answered {status}: {}",
                        String::from_utf8_lossy(&body)
                    );
                }
                bytes.fetch_add(body.len(), Ordering::Relaxed);
            }
        });
    }
    let all = async {
        while let Some(result) = workers.join_next().await {
            result.context("a load task panicked")??;
        }
        anyhow::Ok(())
    };
    tokio::time::timeout(RUN_LIMIT, all)
        .await
        .context("a run took longer than its limit")??;
    let elapsed = started.elapsed();
    drivers.abort_all();
    Ok(Outcome {
        rate: requests as f64 / elapsed.as_secs_f64(),
        body_bytes: bytes.load(Ordering::Relaxed) / requests.max(1),
    })
}

type Sender = hyper::client::conn::http1::SendRequest<Empty<Bytes>>;

/// One keep-alive HTTP/1.1 connection: the sender and the future that drives the connection.
async fn connect(
    addr: SocketAddr,
) -> anyhow::Result<(Sender, impl Future<Output = ()> + Send + 'static)> {
    let stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("cannot connect to {addr}"))?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .context("HTTP/1.1 handshake")?;
    Ok((sender, async move {
        let _ = connection.await;
    }))
}

async fn send(
    sender: &mut Sender,
    target: &Target,
    path: &str,
) -> anyhow::Result<(StatusCode, Bytes)> {
    let mut request = Request::get(path).header(HOST, target.addr.to_string());
    if let Some(authorization) = &target.authorization {
        request = request.header(AUTHORIZATION, authorization.clone());
    }
    let request = request.body(Empty::new())?;
    sender.ready().await.context("connection closed")?;
    let response = sender
        .send_request(request)
        .await
        .with_context(|| format!("GET {path}"))?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

/// One request on a fresh connection: the status and body.
pub(crate) async fn fetch(target: &Target, path: &str) -> anyhow::Result<(StatusCode, Bytes)> {
    let (mut sender, connection) = connect(target.addr).await?;
    let driver = tokio::spawn(connection);
    let answer = send(&mut sender, target, path).await;
    driver.abort();
    answer
}
