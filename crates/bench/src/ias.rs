//! `sapland-bench ias`: the mock IAS against a bare hyper server, same client, same run.
//!
//! The landscape runs in this process exactly as `sapland up --plain-http --ias-throttling off`
//! builds it (same router, observe layer and accept loop), on its own multi-threaded runtime;
//! the load generator runs on a separate single-threaded runtime, so client and servers share
//! the machine's cores the same way for the mock and for the baseline.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use hyper::StatusCode;
use hyper::header::HeaderValue;
use jiff::Timestamp;
use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig, TenantDescription};
use sapland_mock_ias::routes::{TenantState, tenant_router};
use sapland_mock_ias::tenant::Tenant;
use sapland_mock_ias::throttle::ThrottleMode;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio::sync::watch;

use crate::bare::Bare;
use crate::load::{self, Shape, Target};
use crate::probe;
use crate::report::{self, Row, median};
use crate::rss;

/// How the run is set up.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Users in the large tenant (`source`).
    pub(crate) users: usize,
    /// Users in the small tenant (`target`), for the O(1) comparison.
    pub(crate) small_users: usize,
    /// Connections and request counts.
    pub(crate) shape: Shape,
    /// Measured rounds; every variant runs once per round, in rotating order.
    pub(crate) rounds: usize,
    /// Worker threads of the servers' runtime.
    pub(crate) server_threads: usize,
}

/// How many distinct users the requests cycle through.
const SAMPLE: usize = 1_000;

const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const SAP_USER: &str = "urn:ietf:params:scim:schemas:extension:sap:2.0:User";

/// Runs every IAS measurement and returns the table rows.
pub(crate) fn run(options: &Options, notes: &mut Vec<String>) -> anyhow::Result<Vec<Row>> {
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.server_threads)
        .thread_name("bench-server")
        .enable_all()
        .build()?;
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let state_dir = tempfile::Builder::new()
        .prefix("sapland-bench-ias-")
        .tempdir()?;
    let mut config = LandscapeConfig::new(state_dir.path());
    config.plain_http = true;
    config.ias_throttling = ThrottleMode::Off;
    config.clock = ClockChoice::Wall;
    config.seed = Some(1);
    let landscape = server
        .block_on(Landscape::start(config))
        .context("the landscape did not start")?;
    let result = measure(options, &server, &client, &landscape, notes);
    let shutdown = server.block_on(async {
        tokio::time::timeout(Duration::from_secs(10), landscape.shutdown()).await
    });
    server.shutdown_timeout(Duration::from_secs(5));
    let rows = result?;
    shutdown.context("the landscape did not stop within 10 s")?;
    Ok(rows)
}

fn measure(
    options: &Options,
    server: &Runtime,
    client: &Runtime,
    landscape: &Landscape,
    notes: &mut Vec<String>,
) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    let large = tenant(landscape, "source")?;
    let small = tenant(landscape, "target")?;

    // Memory first, before any request has put anything in the journal.
    crate::note(&format!(
        "creating {} users in tenant source …",
        options.users
    ));
    let before = rss::vm_rss_kib(None)?;
    let started = Instant::now();
    let large_sample = populate(&large.0, options.users)?;
    let creation = started.elapsed();
    let after = rss::vm_rss_kib(None)?;
    let growth_mb = rss::kib_to_mb(after.saturating_sub(before));
    let per_user = after.saturating_sub(before) as f64 * 1024.0 / options.users.max(1) as f64;
    let mb_budget = 300.0 * options.users as f64 / 100_000.0;
    rows.push(
        Row::info(
            format!("RSS growth, {} users in one tenant", options.users),
            format!("{growth_mb:.0} MB ({per_user:.0} B/user)"),
        )
        .baseline(format!("{:.0} MB before", rss::kib_to_mb(before)))
        .budget(format!("< {mb_budget:.0} MB"), growth_mb < mb_budget),
    );
    rows.push(Row::info(
        format!(
            "Create {} users (`Directory::create_user`, no HTTP)",
            options.users
        ),
        format!(
            "{:.1} s ({:.0} users/s)",
            creation.as_secs_f64(),
            options.users as f64 / creation.as_secs_f64()
        ),
    ));
    crate::note(&format!(
        "creating {} users in tenant target …",
        options.small_users
    ));
    let small_sample = populate(&small.0, options.small_users)?;

    let large_target = |paths: Vec<String>| Target {
        addr: large.1,
        authorization: Some(large.2.clone()),
        paths: Arc::new(paths),
    };
    let get_paths: Vec<String> = large_sample
        .iter()
        .map(|(id, _)| format!("/scim/Users/{id}"))
        .collect();
    let filter_paths = |sample: &[(String, String)]| -> Vec<String> {
        sample
            .iter()
            .map(|(_, name)| format!("/scim/Users?filter=userName%20eq%20%22{name}%22"))
            .collect()
    };
    let get = large_target(get_paths.clone());
    let filter_large = large_target(filter_paths(&large_sample));
    let filter_small = Target {
        addr: small.1,
        authorization: Some(small.2.clone()),
        paths: Arc::new(filter_paths(&small_sample)),
    };

    // The bare server answers the mock's own answer to the first GET, byte for byte.
    let (status, body) = client.block_on(load::fetch(&get, &get_paths[0]))?;
    ensure!(
        status == StatusCode::OK,
        "GET {} answered {status}",
        get_paths[0]
    );
    let body_len = body.len();
    let bare = Bare::start(server, body)?;
    let bare_target = Target {
        addr: bare.addr,
        authorization: None,
        paths: Arc::new(get_paths.clone()),
    };
    // Diagnosis: the same tenant routes without the kit's observe layer (faults, journal).
    let (stop_unobserved, unobserved_stopped) = watch::channel(false);
    let unobserved_listener = server.block_on(TcpListener::bind(("127.0.0.1", 0)))?;
    let unobserved_addr = unobserved_listener.local_addr()?;
    let unobserved_router = tenant_router(TenantState {
        tenant: large.0.clone(),
        kit: landscape.ias_kit.clone(),
    });
    let unobserved_task = server.spawn(sapland_inbound::serve::serve(
        unobserved_listener,
        unobserved_router,
        None,
        async move {
            let mut stopped = unobserved_stopped;
            let _ = stopped.wait_for(|stop| *stop).await;
        },
    ));
    let unobserved = Target {
        addr: unobserved_addr,
        ..get.clone()
    };
    // Diagnosis: the floor of axum + the kit's accept loop (tiny body, no auth, no state).
    let health = Target {
        addr: socket_addr(&landscape.description.ias.admin_url)?,
        authorization: None,
        paths: Arc::new(vec!["/_admin/health".into()]),
    };
    let (_, health_body) = client.block_on(load::fetch(&health, "/_admin/health"))?;

    let variants: Vec<(&str, &Target)> = vec![
        ("bare", &bare_target),
        ("get", &get),
        ("filter-large", &filter_large),
        ("filter-small", &filter_small),
        ("get-unobserved", &unobserved),
        ("health", &health),
    ];
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let mut sizes = vec![0usize; variants.len()];
    for round in 0..options.rounds {
        for k in 0..variants.len() {
            let i = (k + round) % variants.len();
            let (name, target) = variants[i];
            crate::note(&format!(
                "round {}/{}: {name} ({} requests over {} connections)",
                round + 1,
                options.rounds,
                options.shape.requests,
                options.shape.connections
            ));
            let outcome = client
                .block_on(load::measure(target, options.shape))
                .with_context(|| format!("load run {name}"))?;
            rates[i].push(outcome.rate);
            sizes[i] = outcome.body_bytes;
        }
    }
    let _ = stop_unobserved.send(true);
    bare.stop();
    let _ = server
        .block_on(async { tokio::time::timeout(Duration::from_secs(10), unobserved_task).await });

    let [bare_r, get_r, large_r, small_r, unobserved_r, health_r] = &rates[..] else {
        bail!("one rate series per variant");
    };
    let ratio = |a: &[f64], b: &[f64]| -> (f64, String) {
        let per_round: Vec<f64> = a.iter().zip(b).map(|(a, b)| a / b).collect();
        let mid = median(&per_round);
        let min = per_round.iter().copied().fold(f64::INFINITY, f64::min);
        let max = per_round.iter().copied().fold(0.0, f64::max);
        let text = if per_round.len() > 1 {
            format!(
                "{:.0} % ({:.0}–{:.0})",
                mid * 100.0,
                min * 100.0,
                max * 100.0
            )
        } else {
            format!("{:.0} %", mid * 100.0)
        };
        (mid, text)
    };
    let bare_text = report::rate(bare_r);
    rows.insert(
        0,
        Row::info(
            format!("Bare hyper server, fixed {body_len}-byte JSON body"),
            bare_text.clone(),
        ),
    );
    let (get_ratio, get_text) = ratio(get_r, bare_r);
    rows.insert(
        1,
        Row::info(
            format!(
                "Mock IAS `GET /scim/Users/{{id}}`, {} users ({} B)",
                options.users, sizes[1]
            ),
            report::rate(get_r),
        )
        .baseline(bare_text.clone())
        .ratio(get_text)
        .budget("≥ 50 % of bare", get_ratio >= 0.5),
    );
    let (_, large_text) = ratio(large_r, bare_r);
    rows.insert(
        2,
        Row::info(
            format!(
                "Mock IAS `GET /scim/Users?filter=userName eq …`, {} users ({} B)",
                options.users, sizes[2]
            ),
            report::rate(large_r),
        )
        .baseline(bare_text.clone())
        .ratio(large_text),
    );
    let (_, small_text) = ratio(small_r, bare_r);
    rows.insert(
        3,
        Row::info(
            format!(
                "Mock IAS `GET /scim/Users?filter=userName eq …`, {} users ({} B)",
                options.small_users, sizes[3]
            ),
            report::rate(small_r),
        )
        .baseline(bare_text.clone())
        .ratio(small_text),
    );
    let (scaling, scaling_text) = ratio(large_r, small_r);
    rows.insert(
        4,
        Row::info(
            format!(
                "Filter throughput, {} ÷ {} users",
                options.users, options.small_users
            ),
            format!("{scaling:.2}"),
        )
        .baseline(report::rate(small_r))
        .ratio(scaling_text)
        .budget("≈ 1 (≥ 0.80): O(1) via index", scaling >= 0.8),
    );
    let (_, unobserved_text) = ratio(unobserved_r, bare_r);
    rows.push(
        Row::info(
            "Diagnosis: mock `GET /scim/Users/{id}` without the observe layer (no faults, no journal)",
            report::rate(unobserved_r),
        )
        .baseline(bare_text.clone())
        .ratio(unobserved_text),
    );
    let (_, observe_text) = ratio(get_r, unobserved_r);
    rows.push(
        Row::info(
            "Diagnosis: observe layer's share (with ÷ without)",
            format!("{:.0} req/s", median(get_r)),
        )
        .baseline(report::rate(unobserved_r))
        .ratio(observe_text),
    );
    let (_, health_text) = ratio(health_r, bare_r);
    rows.push(
        Row::info(
            format!(
                "Diagnosis: axum + kit accept loop, `GET /_admin/health` ({} B)",
                health_body.len()
            ),
            report::rate(health_r),
        )
        .baseline(bare_text)
        .ratio(health_text),
    );
    crate::note("timing the parts of one GET and probing memory …");
    let authorization = large.2.to_str()?.to_string();
    let costs = probe::get_costs(&large.0, &large_sample[0].0, &authorization, 20_000)?;
    let per_request = 1e6 / median(get_r);
    for (part, micros) in [
        (
            "`Journal::record` (redaction) of the exchange, under the kit's journal lock",
            costs.journal,
        ),
        (
            "`Directory::user_text` (the stored text, shared)",
            costs.read_and_serialize,
        ),
        (
            "reading technical users + Basic authentication",
            costs.authenticate,
        ),
    ] {
        rows.push(
            Row::info(
                format!("Diagnosis: one GET's {part}, 1 thread"),
                format!("{micros:.1} µs"),
            )
            .baseline(format!("{per_request:.1} µs/request (mock GET)")),
        );
    }
    let value = probe::memory_in_child("value", options.users)?;
    let text = probe::memory_in_child("text", options.users)?;
    rows.push(
        Row::info(
            format!(
                "Diagnosis: {} copies of one stored user as `serde_json::Value`, fresh process",
                options.users
            ),
            format!(
                "{:.0} MB ({value:.0} B/user)",
                value * options.users as f64 / 1e6
            ),
        )
        .baseline(format!("{per_user:.0} B/user in the directory")),
    );
    rows.push(
        Row::info(
            format!(
                "Diagnosis: {} copies of the same user as compact JSON text, fresh process",
                options.users
            ),
            format!(
                "{:.0} MB ({text:.0} B/user)",
                text * options.users as f64 / 1e6
            ),
        )
        .baseline(format!("{per_user:.0} B/user in the directory")),
    );
    notes.push(format!(
        "ias: {} connections, {} requests per run after {} warm-up requests, {} rounds \
         (median, min–max in parentheses; ratios are per round, mock ÷ bare of the same round); \
         servers on {} worker threads, client on 1 thread; {} CPUs; plain HTTP/1.1 on 127.0.0.1, \
         throttling off, HTTP Basic auth",
        options.shape.connections,
        options.shape.requests,
        options.shape.warmup,
        options.rounds,
        options.server_threads,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    ));
    Ok(rows)
}

/// The tenant, its address and its `Authorization` header.
fn tenant(
    landscape: &Landscape,
    name: &str,
) -> anyhow::Result<(Arc<Tenant>, SocketAddr, HeaderValue)> {
    let tenant = landscape
        .ias
        .tenant(name)
        .with_context(|| format!("no tenant {name}"))?;
    let description: &TenantDescription = landscape
        .description
        .ias
        .tenants
        .iter()
        .find(|t| t.name == name)
        .with_context(|| format!("landscape.json has no tenant {name}"))?;
    let user = &description.technical_user;
    let basic = base64(format!("{}:{}", user.client_id, user.client_secret).as_bytes());
    let header = HeaderValue::from_str(&format!("Basic {basic}"))?;
    Ok((tenant, socket_addr(&description.url)?, header))
}

fn socket_addr(url: &str) -> anyhow::Result<SocketAddr> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    rest.trim_end_matches('/')
        .parse()
        .with_context(|| format!("not host:port: {url}"))
}

/// Creates `count` users directly in the directory (no HTTP) and returns up to [`SAMPLE`]
/// `(id, userName)` pairs spread evenly over them.
fn populate(tenant: &Tenant, count: usize) -> anyhow::Result<Vec<(String, String)>> {
    let stride = (count / SAMPLE).max(1);
    let mut sample = Vec::with_capacity(SAMPLE.min(count));
    let mut directory = tenant.directory_mut();
    let now = Timestamp::now();
    for n in 0..count {
        let user = directory
            .create_user(user_body(n), now)
            .map_err(|err| anyhow::anyhow!("user {n} was refused: {err:?}"))?;
        if n % stride == 0 && sample.len() < SAMPLE {
            let id = user["id"].as_str().context("a user without id")?;
            let name = user["userName"]
                .as_str()
                .context("a user without userName")?;
            sample.push((id.to_string(), name.to_string()));
        }
    }
    Ok(sample)
}

const FIRST: &[&str] = &[
    "Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "Dennis", "Margaret", "Ken", "Radia",
];
const LAST: &[&str] = &[
    "Lovelace", "Hopper", "Turing", "Liskov", "Dijkstra", "Allen", "Ritchie", "Hamilton",
    "Thompson", "Perlman",
];
const DEPARTMENTS: &[&str] = &["Sales", "Finance", "Engineering", "Support"];

/// A user as a provisioning job sends it: the shape `POST /_admin/ias/tenants/{t}/seed` uses
/// (name, display name, one work email, active, three in four with the enterprise extension).
pub(crate) fn user_body(n: usize) -> Value {
    let first = FIRST[n % FIRST.len()];
    let last = LAST[(n / FIRST.len()) % LAST.len()];
    let login = format!("{}.{}.{n}", first.to_lowercase(), last.to_lowercase());
    let mut schemas = vec![CORE_USER];
    let mut user = json!({
        "userName": login,
        "name": { "givenName": first, "familyName": last },
        "displayName": format!("{first} {last}"),
        "emails": [{ "value": format!("{login}@example.com"), "type": "work", "primary": true }],
        "active": true,
    });
    let object = user.as_object_mut().expect("an object literal");
    if n % 4 != 3 {
        schemas.push(ENTERPRISE_USER);
        object.insert(
            ENTERPRISE_USER.into(),
            json!({
                "department": DEPARTMENTS[n % DEPARTMENTS.len()],
                "costCenter": format!("{}", 1000 + n % 9000),
            }),
        );
    }
    schemas.push(SAP_USER);
    object.insert(SAP_USER.into(), json!({ "status": "active" }));
    object.insert("schemas".into(), json!(schemas));
    user
}

/// Standard base64 with padding (RFC 4648 §4), for one Basic header.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }
}
