//! `sapland-bench up`: the built `sapland` binary from spawn to healthy, against spawning
//! `/bin/true`; then its idle RSS; then SIGTERM.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use http_body_util::{BodyExt as _, Empty};
use hyper::Request;
use hyper::body::Bytes;
use hyper::header::HOST;
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncBufReadExt as _, AsyncRead, AsyncReadExt as _, AsyncWrite, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

use crate::report::{self, Row, median};
use crate::rss;

/// How the run is set up.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// The `sapland` binary.
    pub(crate) sapland: PathBuf,
    /// Rounds; each is a baseline spawn, a first start (new CA) and a second start (same state
    /// directory, CA reused).
    pub(crate) rounds: usize,
    /// How long the landscape idles before its RSS is read.
    pub(crate) idle: Duration,
}

/// The last line of `sapland up`'s summary.
const SUMMARY_END: &str = "Press Ctrl-C to stop.";

/// Limits that keep every wait bounded.
const START_LIMIT: Duration = Duration::from_secs(30);
const STOP_LIMIT: Duration = Duration::from_secs(10);

/// One start of `sapland up`, timed from just before spawn.
#[derive(Debug, Clone, Copy)]
struct Start {
    /// Until the summary's last line was read.
    summary_ms: f64,
    /// Until `landscape.json` was read and `/_admin/health` answered 200.
    healthy_ms: f64,
    /// What `sapland` itself printed: `sapland landscape is up (N ms)`.
    self_reported_ms: f64,
    /// `VmRSS` after idling.
    rss_kib: u64,
    /// From SIGTERM to exit.
    stop_ms: f64,
}

/// Runs the measurements and returns the table rows.
pub(crate) fn run(options: &Options, notes: &mut Vec<String>) -> anyhow::Result<Vec<Row>> {
    ensure!(
        options.sapland.is_file(),
        "{} does not exist: build it first with `cargo build --release -p sapland`",
        options.sapland.display()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(measure(options, notes))
}

async fn measure(options: &Options, notes: &mut Vec<String>) -> anyhow::Result<Vec<Row>> {
    let mut baseline = Vec::new();
    let mut version = Vec::new();
    let mut first = Vec::new();
    let mut second = Vec::new();
    for round in 0..options.rounds {
        crate::note(&format!(
            "round {}/{}: sapland up",
            round + 1,
            options.rounds
        ));
        baseline.push(spawn_to_exit(Path::new("/bin/true"), &[]).await?);
        version.push(spawn_to_exit(&options.sapland, &["--version"]).await?);
        let state = tempfile::Builder::new()
            .prefix("sapland-bench-up-")
            .tempdir()?;
        ensure!(
            !state.path().join("ca.pem").exists(),
            "a fresh state directory holds no CA"
        );
        first.push(start_once(&options.sapland, state.path(), options.idle).await?);
        ensure!(
            state.path().join("ca.pem").is_file(),
            "the first start did not create the CA"
        );
        second.push(start_once(&options.sapland, state.path(), options.idle).await?);
    }
    let baseline_text = report::millis(&baseline);
    let mut rows = vec![
        Row::info(
            "Spawn `/bin/true` to exit (baseline)",
            baseline_text.clone(),
        ),
        Row::info(
            "Spawn `sapland --version` to exit",
            report::millis(&version),
        )
        .baseline(baseline_text.clone())
        .ratio(format!("{:.1}×", median(&version) / median(&baseline))),
    ];
    for (label, starts) in [
        ("first start, creates the CA", &first),
        ("second start, reuses the CA", &second),
    ] {
        let healthy: Vec<f64> = starts.iter().map(|s| s.healthy_ms).collect();
        let summary: Vec<f64> = starts.iter().map(|s| s.summary_ms).collect();
        let reported: Vec<f64> = starts.iter().map(|s| s.self_reported_ms).collect();
        let rss_mb: Vec<f64> = starts.iter().map(|s| rss::kib_to_mb(s.rss_kib)).collect();
        let stop: Vec<f64> = starts.iter().map(|s| s.stop_ms).collect();
        rows.push(
            Row::info(
                format!("`sapland up` spawn → health answers, {label}"),
                report::millis(&healthy),
            )
            .baseline(baseline_text.clone())
            .ratio(format!("{:.0}×", median(&healthy) / median(&baseline)))
            .budget("< 300 ms", median(&healthy) < 300.0),
        );
        rows.push(
            Row::info(
                format!("`sapland up` spawn → summary printed, {label}"),
                report::millis(&summary),
            )
            .baseline(format!("{} in-process", report::millis(&reported))),
        );
        let rss_median = median(&rss_mb);
        let max = rss_mb.iter().copied().fold(0.0, f64::max);
        rows.push(
            Row::info(
                format!(
                    "`sapland up` idle RSS after {} ms, {label}",
                    options.idle.as_millis()
                ),
                format!("{rss_median:.1} MB (max {max:.1})"),
            )
            .budget("< 50 MB", max < 50.0),
        );
        rows.push(Row::info(
            format!("`sapland up` SIGTERM → exit, {label}"),
            report::millis(&stop),
        ));
    }
    notes.push(format!(
        "up: {} rounds of `{} up --ports auto --state-dir <new temporary dir>` (HTTPS, SAP \
         throttling), each timed from just before spawn; health is `GET <admin_url>/_admin/health` \
         over TLS trusting the landscape CA, on a new connection",
        options.rounds,
        options.sapland.display()
    ));
    Ok(rows)
}

/// Milliseconds from spawn until the program exits (successfully).
async fn spawn_to_exit(program: &Path, args: &[&str]) -> anyhow::Result<f64> {
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .with_context(|| format!("cannot run {}", program.display()))?;
    let elapsed = started.elapsed();
    ensure!(status.success(), "{} exited {status}", program.display());
    Ok(elapsed.as_secs_f64() * 1000.0)
}

async fn start_once(sapland: &Path, state_dir: &Path, idle: Duration) -> anyhow::Result<Start> {
    let started = Instant::now();
    let mut child = Command::new(sapland)
        .args(["up", "--ports", "auto", "--state-dir"])
        .arg(state_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("cannot run {}", sapland.display()))?;
    let pid = child.id().context("the child has no pid")?;
    let mut stderr = child.stderr.take().context("stderr is piped")?;
    let stderr_text = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text).await;
        text
    });
    let stdout = child.stdout.take().context("stdout is piped")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut self_reported_ms = None;
    let read_summary = async {
        while let Some(line) = lines.next_line().await? {
            if let Some(rest) = line.strip_prefix("sapland landscape is up (") {
                self_reported_ms = rest.trim_end_matches(" ms)").parse::<f64>().ok();
            }
            if line.trim() == SUMMARY_END {
                return anyhow::Ok(true);
            }
        }
        Ok(false)
    };
    let summary_seen = tokio::time::timeout(START_LIMIT, read_summary).await;
    let summary_ms = started.elapsed().as_secs_f64() * 1000.0;
    match summary_seen {
        Ok(Ok(true)) => {}
        Ok(Ok(false)) | Ok(Err(_)) => {
            let status = tokio::time::timeout(STOP_LIMIT, child.wait()).await;
            let stderr = stderr_text.await.unwrap_or_default();
            bail!("`sapland up` ended before its summary ({status:?}): {stderr}");
        }
        Err(_) => {
            let _ = child.kill().await;
            bail!("`sapland up` printed no summary within {START_LIMIT:?}");
        }
    }
    let file = state_dir.join("landscape.json");
    let description: serde_json::Value = serde_json::from_slice(
        &tokio::fs::read(&file)
            .await
            .with_context(|| format!("{} after the summary", file.display()))?,
    )?;
    let admin_url = description["ias"]["admin_url"]
        .as_str()
        .context("landscape.json has no ias.admin_url")?;
    let ca = description["ca_cert"].as_str().map(PathBuf::from);
    health(admin_url, ca.as_deref()).await?;
    let healthy_ms = started.elapsed().as_secs_f64() * 1000.0;

    tokio::time::sleep(idle).await;
    let rss_kib = rss::vm_rss_kib(Some(pid))?;

    let stop_started = Instant::now();
    terminate(&mut child, pid).await?;
    let stop_ms = stop_started.elapsed().as_secs_f64() * 1000.0;
    ensure!(
        !file.exists(),
        "`sapland up` left {} behind after SIGTERM",
        file.display()
    );
    Ok(Start {
        summary_ms,
        healthy_ms,
        self_reported_ms: self_reported_ms.context("no `sapland landscape is up (N ms)` line")?,
        rss_kib,
        stop_ms,
    })
}

/// Sends SIGTERM (through `kill`, as this crate has no unsafe code) and waits for a clean exit.
async fn terminate(child: &mut Child, pid: u32) -> anyhow::Result<()> {
    let sent = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .await
        .context("cannot run kill")?;
    ensure!(sent.success(), "kill -TERM {pid} failed: {sent}");
    match tokio::time::timeout(STOP_LIMIT, child.wait()).await {
        Ok(status) => {
            let status = status?;
            ensure!(status.success(), "`sapland up` exited {status} on SIGTERM");
            Ok(())
        }
        Err(_) => {
            let _ = child.kill().await;
            bail!("`sapland up` did not stop within {STOP_LIMIT:?} of SIGTERM")
        }
    }
}

/// `GET <admin_url>/_admin/health` on a new connection (TLS trusting `ca` for `https`); Ok on 200.
async fn health(admin_url: &str, ca: Option<&Path>) -> anyhow::Result<()> {
    let (tls, rest) = if let Some(rest) = admin_url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = admin_url.strip_prefix("http://") {
        (false, rest)
    } else {
        bail!("admin_url {admin_url} is neither http nor https");
    };
    let addr: SocketAddr = rest
        .trim_end_matches('/')
        .parse()
        .with_context(|| format!("admin_url {admin_url}"))?;
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let body = if tls {
        let ca = ca.context("an https landscape without ca_cert")?;
        let der = CertificateDer::from_pem_file(ca)
            .map_err(|err| anyhow::anyhow!("{}: {err}", ca.display()))?;
        let mut roots = rustls::RootCertStore::empty();
        roots.add(der)?;
        let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let stream = connector
            .connect(ServerName::IpAddress(addr.ip().into()), stream)
            .await
            .context("TLS handshake with the admin surface")?;
        get(stream, addr, "/_admin/health").await?
    } else {
        get(stream, addr, "/_admin/health").await?
    };
    ensure!(
        body.windows(4).any(|w| w == b"\"UP\""),
        "health answered {}",
        String::from_utf8_lossy(&body)
    );
    Ok(())
}

async fn get<S>(stream: S, addr: SocketAddr, path: &str) -> anyhow::Result<Bytes>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .context("HTTP/1.1 handshake")?;
    let driver = tokio::spawn(connection);
    let request = Request::get(path)
        .header(HOST, addr.to_string())
        .body(Empty::<Bytes>::new())?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    driver.abort();
    ensure!(
        status.is_success(),
        "GET {path} answered {status}: {}",
        String::from_utf8_lossy(&body)
    );
    Ok(body)
}
