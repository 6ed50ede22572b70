//! Diagnoses: where the mock IAS's memory and per-request CPU go, measured in the same run.
//!
//! Memory probes run in a fresh child process (`sapland-bench memory-probe <kind> <n>`), so the
//! allocator's free lists from earlier work in this process cannot hide or inflate the growth.

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, bail, ensure};
use jiff::Timestamp;
use sapland_mock_ias::auth::{Presented, authenticate};
use sapland_mock_ias::directory::{Directory, Uniqueness};
use sapland_mock_ias::tenant::Tenant;
use sapland_mock_kit::journal::{Exchange, Journal};
use serde_json::Value;

use crate::rss;

/// One stored user as the mock serves it, from a directory of its own.
fn served_user() -> anyhow::Result<Value> {
    let mut directory = Directory::new("http://127.0.0.1:1", Uniqueness::default(), 1);
    directory
        .create_user(crate::ias::user_body(0), Timestamp::now())
        .map_err(|err| anyhow::anyhow!("{err:?}"))
}

/// What one kind of storage of `n` users adds to this process's RSS, in KiB. Runs in the
/// child process.
pub(crate) fn memory(kind: &str, n: usize) -> anyhow::Result<u64> {
    let user = served_user()?;
    let text = user.to_string();
    let before = rss::vm_rss_kib(None)?;
    let after = match kind {
        // The user as a serde_json `Value` (with `preserve_order`), as the directory keeps it.
        "value" => {
            let kept: Vec<Value> = (0..n).map(|_| user.clone()).collect();
            let after = rss::vm_rss_kib(None)?;
            black_box(&kept);
            after
        }
        // The same user as its compact JSON text.
        "text" => {
            let kept: Vec<Box<str>> = (0..n).map(|_| text.clone().into_boxed_str()).collect();
            let after = rss::vm_rss_kib(None)?;
            black_box(&kept);
            after
        }
        other => bail!("unknown memory probe {other:?}"),
    };
    Ok(after.saturating_sub(before))
}

/// Runs [`memory`] in a fresh copy of this program and returns bytes per user.
pub(crate) fn memory_in_child(kind: &str, n: usize) -> anyhow::Result<f64> {
    let exe = std::env::current_exe().context("where this program is")?;
    let output = Command::new(exe)
        .args(["memory-probe", kind, &n.to_string()])
        .output()
        .context("cannot run the memory probe")?;
    ensure!(
        output.status.success(),
        "the memory probe failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let kib: u64 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .context("the memory probe printed no number")?;
    Ok(kib as f64 * 1024.0 / n.max(1) as f64)
}

/// Mean microseconds per call of `f` over `iterations` calls, after a tenth as warm-up.
fn time_per_call(iterations: usize, mut f: impl FnMut()) -> f64 {
    for _ in 0..iterations / 10 {
        f();
    }
    let started = Instant::now();
    for _ in 0..iterations {
        f();
    }
    started.elapsed().as_secs_f64() * 1e6 / iterations as f64
}

/// Single-threaded costs of the parts of one `GET /scim/Users/{id}`, in µs per call.
pub(crate) struct GetCosts {
    /// `Journal::record` of the exchange (redaction included), done under the kit's lock.
    pub(crate) journal: f64,
    /// `Directory::user` (clone with derived groups) and serializing it.
    pub(crate) read_and_serialize: f64,
    /// Cloning the technical users and checking a Basic header.
    pub(crate) authenticate: f64,
}

/// Times the parts of one GET against `tenant`, user `id`, with `authorization`.
pub(crate) fn get_costs(
    tenant: &Tenant,
    id: &str,
    authorization: &str,
    iterations: usize,
) -> anyhow::Result<GetCosts> {
    let body = tenant
        .directory()
        .user(id)
        .map_err(|err| anyhow::anyhow!("{err:?}"))?
        .to_string();
    let path = format!("/scim/Users/{id}");
    let headers = [("host", "127.0.0.1:8443"), ("authorization", authorization)];
    let mut journal = Journal::default();
    let now = Timestamp::now();
    let empty = hyper::body::Bytes::new();
    let response = hyper::body::Bytes::from(body.clone());
    let journal_us = time_per_call(iterations, || {
        journal.record(&Exchange {
            time: now,
            method: "GET",
            path: &path,
            query: None,
            request_headers: &headers,
            request_body: &empty,
            status: 200,
            response_content_type: Some("application/scim+json"),
            response_body: &response,
            fault: None,
        });
    });
    let read_us = time_per_call(iterations, || {
        let (text, _version) = tenant.directory().user_text(id).expect("the user exists");
        black_box(text);
    });
    let mut failures = 0usize;
    let auth_us = time_per_call(iterations, || {
        let users = tenant.technical_users_read();
        let presented = Presented {
            authorization: Some(authorization),
            certificate: None,
        };
        let bearer = |token: &str| {
            tenant
                .issuer()
                .validate(token, now)
                .ok()
                .map(|t| t.client_id.clone())
        };
        if authenticate(&users, bearer, presented).is_err() {
            failures += 1;
        }
    });
    ensure!(failures == 0, "the Basic header did not authenticate");
    Ok(GetCosts {
        journal: journal_us,
        read_and_serialize: read_us,
        authenticate: auth_us,
    })
}
