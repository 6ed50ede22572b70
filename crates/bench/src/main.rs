//! `sapland-bench`: measures sapland against the performance budgets of DESIGN.md, each against
//! a baseline measured in the same run, and prints a Markdown table.
//!
//! ```text
//! sapland-bench ias        mock IAS vs a bare hyper server; 100 000 users in memory
//! sapland-bench up         `sapland up` spawn → healthy vs spawning /bin/true; idle RSS
//! sapland-bench transform  `sapland transform --batch` vs jq, SAP's IAS v2 default, 100 000 users
//! sapland-bench provision  `sapland provision run` vs the mock's raw POST ingest; delta; pacing
//! sapland-bench all        all four
//! ```
//!
//! Benchmarks report; they never fail on a budget (exit 0 with FAIL rows). Exit 1 when a
//! measurement could not be made, 2 on bad usage. See docs/benchmarks.md.

mod bare;
mod cores;
mod cpu;
mod ias;
mod load;
mod probe;
mod provision;
mod report;
mod rss;
mod transform;
mod up;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::load::Shape;

const USAGE: &str = "\
usage: sapland-bench <ias|up|transform|provision|all> [options]

  ias, transform and provision options:
    --rounds N          rounds; every variant once per round (3)
  ias options:
    --connections N     concurrent keep-alive connections (32)
    --requests N        requests per measured run (20000)
    --warmup N          requests before each measured run (2000)
    --users N           users in the large tenant (100000)
    --small-users N     users in the small tenant (1000)
    --server-threads N  worker threads of the servers' runtime (CPUs)
  up, transform and provision options:
    --sapland PATH      the sapland binary (next to this one: target/release/sapland)
  up options:
    --up-rounds N       starts of each kind (5)
    --idle-ms N         idle time before reading RSS (1000)
  transform options:
    --transform-users N   users in the input file (100000)
    --jq PATH             the jq binary (jq)
    --transform-keep DIR  keep input, jq program and outputs in DIR (a temporary dir)
  provision options:
    --provision-users N   users in the file the agent provisions (10000)
    --pace-users N        users created with SAP throttling on, for the pace (600)
    --provision-keep DIR  keep input, systems and operational data in DIR (a temporary dir)
    --cores split|shared  landscape and clients on CPUs of their own, or all on every CPU
                          (split with 2 CPUs or more)
";

/// Progress on stderr, so stdout stays the Markdown report.
pub(crate) fn note(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "sapland-bench: {message}");
}

struct Args {
    what: String,
    ias: ias::Options,
    up: up::Options,
    transform: transform::Options,
    provision: provision::Options,
}

fn parse(mut args: impl Iterator<Item = String>) -> anyhow::Result<Args> {
    let what = args.next().context("name a benchmark")?;
    if !matches!(
        what.as_str(),
        "ias" | "up" | "transform" | "provision" | "all"
    ) {
        bail!("unknown benchmark {what:?}");
    }
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    let sapland = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("sapland")))
        .unwrap_or_else(|| PathBuf::from("target/release/sapland"));
    let mut parsed = Args {
        what,
        ias: ias::Options {
            users: 100_000,
            small_users: 1_000,
            shape: Shape {
                connections: 32,
                requests: 20_000,
                warmup: 2_000,
            },
            rounds: 3,
            server_threads: cpus,
        },
        up: up::Options {
            sapland: sapland.clone(),
            rounds: 5,
            idle: Duration::from_millis(1_000),
        },
        transform: transform::Options {
            users: 100_000,
            rounds: 3,
            sapland: sapland.clone(),
            jq: PathBuf::from("jq"),
            keep: None,
        },
        provision: provision::Options {
            users: 10_000,
            pace_users: 600,
            rounds: 3,
            sapland,
            keep: None,
            cores: if cpus > 1 {
                cores::Placement::Split
            } else {
                cores::Placement::Shared
            },
        },
    };
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .with_context(|| format!("{flag} needs a value"))?;
        let number = || -> anyhow::Result<usize> {
            let n: usize = value
                .parse()
                .with_context(|| format!("{flag}: expected a number, got {value:?}"))?;
            if n == 0 && flag != "--warmup" && flag != "--idle-ms" {
                bail!("{flag} must be at least 1");
            }
            Ok(n)
        };
        match flag.as_str() {
            "--connections" => parsed.ias.shape.connections = number()?,
            "--requests" => parsed.ias.shape.requests = number()?,
            "--warmup" => parsed.ias.shape.warmup = number()?,
            "--rounds" => {
                parsed.ias.rounds = number()?;
                parsed.transform.rounds = parsed.ias.rounds;
                parsed.provision.rounds = parsed.ias.rounds;
            }
            "--users" => parsed.ias.users = number()?,
            "--small-users" => parsed.ias.small_users = number()?,
            "--server-threads" => parsed.ias.server_threads = number()?,
            "--sapland" => {
                parsed.up.sapland = PathBuf::from(&value);
                parsed.transform.sapland = PathBuf::from(&value);
                parsed.provision.sapland = PathBuf::from(&value);
            }
            "--up-rounds" => parsed.up.rounds = number()?,
            "--idle-ms" => parsed.up.idle = Duration::from_millis(number()? as u64),
            "--transform-users" => parsed.transform.users = number()?,
            "--jq" => parsed.transform.jq = PathBuf::from(&value),
            "--transform-keep" => parsed.transform.keep = Some(PathBuf::from(&value)),
            "--provision-users" => parsed.provision.users = number()?,
            "--pace-users" => parsed.provision.pace_users = number()?,
            "--provision-keep" => parsed.provision.keep = Some(PathBuf::from(&value)),
            "--cores" => parsed.provision.cores = cores::Placement::parse(&value)?,
            _ => bail!("unknown option {flag}"),
        }
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let mut raw = std::env::args().skip(1);
    if let Some("memory-probe") = raw.next().as_deref() {
        return memory_probe(raw.collect());
    }
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(err) => {
            let _ = write!(
                std::io::stderr().lock(),
                "sapland-bench: {err:#}\n\n{USAGE}"
            );
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            note(&format!("{err:#}"));
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let load_before = load_average();
    if matches!(args.what.as_str(), "ias" | "all") {
        rows.extend(ias::run(&args.ias, &mut notes)?);
    }
    if matches!(args.what.as_str(), "up" | "all") {
        rows.extend(up::run(&args.up, &mut notes)?);
    }
    if matches!(args.what.as_str(), "transform" | "all") {
        rows.extend(transform::run(&args.transform, &mut notes)?);
    }
    if matches!(args.what.as_str(), "provision" | "all") {
        rows.extend(provision::run(&args.provision, &mut notes)?);
    }
    notes.push(format!(
        "load average (1, 5, 15 min) before: {load_before}; after: {} — other work on the \
         machine shows up as spread between rounds",
        load_average()
    ));
    let mut out = std::io::stdout().lock();
    writeln!(out, "## sapland-bench {}\n", args.what)?;
    write!(out, "{}", report::table(&rows))?;
    writeln!(out)?;
    for line in notes {
        writeln!(out, "- {line}")?;
    }
    out.flush()?;
    Ok(())
}

/// `sapland-bench memory-probe <kind> <n>` (internal): prints the KiB of RSS one kind of
/// storage of n users adds to a fresh process.
fn memory_probe(args: Vec<String>) -> ExitCode {
    let result = match args.as_slice() {
        [kind, n] => n
            .parse()
            .map_err(anyhow::Error::from)
            .and_then(|n| probe::memory(kind, n)),
        _ => Err(anyhow::anyhow!("usage: memory-probe <value|text> <n>")),
    };
    match result {
        Ok(kib) => {
            let _ = writeln!(std::io::stdout().lock(), "{kib}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            note(&format!("{err:#}"));
            ExitCode::FAILURE
        }
    }
}

/// The first three fields of `/proc/loadavg`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}
