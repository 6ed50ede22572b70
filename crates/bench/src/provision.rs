//! `sapland-bench provision`: the agent provisioning users from a file into the mock IAS,
//! against the mock's raw POST ingest rate measured in the same run; a Read after 1 % of the
//! users changed; and the agent's pace against IAS's 200 requests a minute with SAP's
//! throttling on (DESIGN.md's budgets for the agent).
//!
//! The landscape runs in this process (HTTPS, the landscape CA) on its own multi-threaded
//! runtime. The agent is the built `sapland` binary, a separate process on a single-threaded
//! runtime; the baseline is a client built like the agent's, on a single-threaded runtime of
//! this process. Both send the same create bodies with the same number of requests in flight.

mod agent;
mod ingest;
mod input;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use jiff::Timestamp;
use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig, TenantDescription};
use sapland_mock_ias::throttle::{SERVED_PER_MINUTE, ThrottleMode};
use sapland_mock_kit::journal::JournalEntry;
use sapland_mock_kit::service::MockService as _;
use sapland_provision::job::CONCURRENCY;
use serde_json::Value;
use tokio::runtime::Runtime;

use crate::cores::{Cores, Placement};
use crate::cpu;
use crate::report::{self, Row, median};
use agent::{Job, JobRun};
use input::Input;

/// How the run is set up.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Users in the file (and created by each ingest).
    pub(crate) users: usize,
    /// Users created with SAP's throttling on, for the pace.
    pub(crate) pace_users: usize,
    /// Rounds of the ingest comparison.
    pub(crate) rounds: usize,
    /// The `sapland` binary.
    pub(crate) sapland: PathBuf,
    /// Where to keep the input, systems directories and operational data (for profiling); a
    /// temporary directory, removed when done, when `None`.
    pub(crate) keep: Option<PathBuf>,
    /// Whether the landscape and the clients (raw ingest, agent) run on CPUs of their own.
    pub(crate) cores: Placement,
}

/// The name of the landscape runtime's threads, whose CPU time is counted.
const SERVER_THREADS: &str = "bench-landscape";

/// The landscape time a manual clock starts at.
const NOW: &str = "2026-11-22T09:00:00Z";

/// The seed of the landscapes (ids, credentials).
const LANDSCAPE_SEED: u64 = 7;

/// The share of the mock's raw ingest rate the agent must reach (DESIGN.md).
const INGEST_BUDGET: f64 = 0.80;

/// The share of IAS's 200 requests a minute the agent's pace must reach (DESIGN.md).
const PACE_BUDGET: f64 = 0.95;

/// Runs the measurements and returns the table rows.
pub(crate) fn run(options: &Options, notes: &mut Vec<String>) -> anyhow::Result<Vec<Row>> {
    ensure!(
        options.sapland.is_file(),
        "{} does not exist: build it first with `cargo build --release -p sapland`",
        options.sapland.display()
    );
    let mut temporary = None;
    let scratch = match &options.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir.clone()
        }
        None => temporary
            .insert(
                tempfile::Builder::new()
                    .prefix("sapland-bench-provision-")
                    .tempdir()?,
            )
            .path()
            .to_path_buf(),
    };
    crate::note(&format!(
        "provision: generating {} users and their create bodies (sapland transform)",
        options.users
    ));
    let started = Instant::now();
    let input = input::prepare(&options.sapland, &scratch, options.users)?;
    let prepare_seconds = started.elapsed().as_secs_f64();

    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(server_threads(options.cores))
        .thread_name(SERVER_THREADS)
        .enable_all()
        .build()?;

    let mut rows = vec![Row::info(
        format!(
            "Input: {} users as a LOCAL_FILE NDJSON source (mock IAS seeding, varied; all pass \
             the entity condition)",
            options.users
        ),
        format!(
            "{:.1} MB file; create bodies {:.0} B on average; prepared in {prepare_seconds:.1} s",
            input.file_bytes as f64 / 1e6,
            input.mean_body()
        ),
    )];
    let scratch_throughput = scratch.join("throughput");
    rows.extend(with_landscape(
        &server,
        &scratch_throughput,
        (ClockChoice::Wall, ThrottleMode::Off),
        options.cores,
        |landscape| throughput(options, &input, &scratch_throughput, landscape, notes),
    )?);
    let scratch_pace = scratch.join("pace");
    let manual = ClockChoice::Manual(NOW.parse::<Timestamp>()?);
    rows.extend(with_landscape(
        &server,
        &scratch_pace,
        (manual, ThrottleMode::Sap),
        options.cores,
        |landscape| pacing(options, &input, &scratch_pace, landscape, notes),
    )?);
    server.shutdown_timeout(Duration::from_secs(5));
    Ok(rows)
}

/// How the run placed its threads, for the notes.
fn cores_text(cores: Placement) -> String {
    let how = match cores {
        Placement::Split => format!(
            "the landscape's threads on CPU {}, the raw ingest's client and the agent's process \
             on CPU {}, as a tenant and the agent on machines of their own",
            crate::cores::SERVER_CPU,
            crate::cores::CLIENT_CPU
        ),
        Placement::Shared => "every thread on every CPU".into(),
    };
    format!("{} (`--cores {}`): {how}", cores.name(), cores.name())
}

/// The worker threads of the landscape's runtime: one for the one CPU it gets when split,
/// every CPU when shared.
fn server_threads(cores: Placement) -> usize {
    match cores {
        Placement::Split => 1,
        Placement::Shared => std::thread::available_parallelism().map_or(2, |n| n.get()),
    }
}

/// Starts a landscape in `dir` with its clock and throttling, places it and this thread on
/// their CPUs, runs `measure` with it, and stops it.
fn with_landscape<T>(
    server: &Runtime,
    dir: &Path,
    (clock, throttling): (ClockChoice, ThrottleMode),
    cores: Placement,
    measure: impl FnOnce(&Landscape) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut config = LandscapeConfig::new(dir.join("landscape"));
    config.clock = clock;
    config.seed = Some(LANDSCAPE_SEED);
    config.ias_throttling = throttling;
    let landscape = server
        .block_on(Landscape::start(config))
        .context("the landscape did not start")?;
    // Placed after the start: threads the start created from this thread belong to the server.
    let placed = Cores::apply(cores);
    let result = placed.and_then(|placed| {
        let result = measure(&landscape);
        drop(placed);
        result
    });
    let stopped = server.block_on(async {
        tokio::time::timeout(Duration::from_secs(10), landscape.shutdown()).await
    });
    let value = result?;
    stopped.context("the landscape did not stop within 10 s")?;
    Ok(value)
}

/// One round of the ingest comparison.
#[derive(Debug, Clone)]
struct Round {
    /// Raw ingest: users per second.
    raw: f64,
    /// The agent, whole process.
    agent: JobRun,
    /// The agent again after 1 % changed.
    delta: JobRun,
    /// What the mock saw of the agent's first job.
    agent_requests: Requests,
    /// What the mock saw of the delta job.
    delta_requests: Requests,
    /// CPU seconds during the raw ingest.
    raw_cpu: Cpu,
    /// CPU seconds during the agent's first job.
    agent_cpu: Cpu,
}

/// CPU seconds of the landscape's threads and of the client (the raw ingest's thread, or the
/// agent's process) during one measurement.
#[derive(Debug, Clone, Copy, Default)]
struct Cpu {
    server: f64,
    client: f64,
}

/// The ingest rounds: raw ingest and the agent (then its delta read) in alternating order, the
/// tenants emptied before each round.
fn throughput(
    options: &Options,
    input: &Input,
    scratch: &Path,
    landscape: &Landscape,
    notes: &mut Vec<String>,
) -> anyhow::Result<Vec<Row>> {
    let users = options.users as f64;
    let source = tenant(landscape, "source")?;
    let target = tenant(landscape, "target")?;
    let ca_file = landscape
        .description
        .ca_cert
        .as_ref()
        .context("the landscape has no CA (plain HTTP?)")?;
    let ca = std::fs::read(ca_file)?;
    let systems = scratch.join("systems");
    agent::write_systems(&systems, target, Some(0))?;
    let mut rounds = Vec::new();
    let mut version = None;
    for round in 0..options.rounds {
        landscape.ias.reset();
        landscape.ias_kit.reset();
        let job = Job {
            sapland: options.sapland.clone(),
            systems: systems.clone(),
            state: scratch.join(format!("state-{round}")),
            landscape_file: landscape.file.clone(),
        };
        let mut raw = None;
        let mut raw_cpu = Cpu::default();
        let mut agent = None;
        for k in 0..2 {
            if (round + k) % 2 == 0 {
                crate::note(&format!(
                    "round {}/{}: raw ingest, {} POSTs, {CONCURRENCY} in flight",
                    round + 1,
                    options.rounds,
                    options.users
                ));
                // A runtime of its own, dropped after the ingest: that closes the connection,
                // as the agent's process exit does.
                let client = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                let ingest = ingest::Ingest::new(source, ca.clone())?;
                let (server_before, client_before) =
                    (cpu::threads_named(SERVER_THREADS)?, cpu::this_thread()?);
                let done = client.block_on(ingest.post_all(&input.bodies, CONCURRENCY))?;
                raw_cpu = Cpu {
                    server: cpu::threads_named(SERVER_THREADS)? - server_before,
                    client: cpu::this_thread()? - client_before,
                };
                drop(ingest);
                drop(client);
                let held = user_count(landscape, "source")?;
                ensure!(
                    held == options.users,
                    "the raw ingest left {held} users in tenant source, not {}",
                    options.users
                );
                version = Some(done.version);
                raw = Some(users / done.elapsed.as_secs_f64());
            } else {
                crate::note(&format!(
                    "round {}/{}: sapland provision run --job read, {} users, then 1 % changed",
                    round + 1,
                    options.rounds,
                    options.users
                ));
                agent = Some(agent_and_delta(&job, input, &systems, landscape)?);
            }
        }
        let (Some(raw), Some(jobs)) = (raw, agent) else {
            anyhow::bail!("a round ran without both of its measurements");
        };
        rounds.push(Round {
            raw,
            agent: jobs.first,
            delta: jobs.delta,
            agent_requests: jobs.first_requests,
            delta_requests: jobs.delta_requests,
            raw_cpu,
            agent_cpu: jobs.first_cpu,
        });
    }
    notes.push(format!(
        "provision: {} rounds, each a raw ingest and an agent job (then its delta read) in \
         alternating order, both tenants emptied before each round (mock reset), a new \
         operational data directory per round in the scratch directory; users/s and ratios \
         per round, median (min–max); raw ingest: a client built by `sapland_outbound::https` \
         like the agent's ({}, {CONCURRENCY} in flight, TLS), timed from the first POST to \
         the last answer, after one GET that opens the connection; agent: `{}`, wall time \
         from spawn to exit, and its job's startTime–endTime; landscape on its own runtime \
         ({} worker threads), wall clock, SAP throttling off; CPUs {}",
        options.rounds,
        version.map_or("HTTP version unknown".into(), |v| format!("{v:?}")),
        agent::command_line(&options.sapland),
        server_threads(options.cores),
        cores_text(options.cores)
    ));
    Ok(throughput_rows(options, input, &rounds))
}

/// The agent's first job and its delta read, with what the mock saw of each.
struct AgentJobs {
    first: JobRun,
    first_requests: Requests,
    first_cpu: Cpu,
    delta: JobRun,
    delta_requests: Requests,
}

/// The agent's first job into an empty tenant, then a Read of the changed file.
fn agent_and_delta(
    job: &Job,
    input: &Input,
    systems: &Path,
    landscape: &Landscape,
) -> anyhow::Result<AgentJobs> {
    std::fs::copy(&input.file, systems.join(agent::FILE))?;
    landscape.ias_kit.clear_journal();
    let (server_before, children_before) = (cpu::threads_named(SERVER_THREADS)?, cpu::children()?);
    let first = job.run()?;
    let first_cpu = Cpu {
        server: cpu::threads_named(SERVER_THREADS)? - server_before,
        client: cpu::children()? - children_before,
    };
    let first_requests = Requests::of(&landscape.ias_kit.journal_latest(None), input);
    std::fs::copy(&input.changed_file, systems.join(agent::FILE))?;
    landscape.ias_kit.clear_journal();
    let delta = job.run()?;
    let delta_requests = Requests::of(&landscape.ias_kit.journal_latest(None), input);
    Ok(AgentJobs {
        first,
        first_requests,
        first_cpu,
        delta,
        delta_requests,
    })
}

/// The rows of the ingest comparison and the delta read.
fn throughput_rows(options: &Options, input: &Input, rounds: &[Round]) -> Vec<Row> {
    let users = options.users as f64;
    let raw: Vec<f64> = rounds.iter().map(|r| r.raw).collect();
    let agent: Vec<f64> = rounds.iter().map(|r| users / r.agent.wall).collect();
    let agent_job: Vec<f64> = rounds.iter().map(|r| users / r.agent.job).collect();
    let per_round =
        |rates: &[f64]| -> Vec<f64> { rates.iter().zip(&raw).map(|(a, b)| a / b).collect() };
    let ratio = per_round(&agent);
    let ratio_job = per_round(&agent_job);
    let raw_text = users_per_second(&raw);
    let mut rows = vec![
        Row::info(
            format!(
                "Mock IAS raw ingest: `POST /scim/Users` of the agent's {} create bodies, \
                 {CONCURRENCY} in flight (baseline)",
                options.users
            ),
            raw_text.clone(),
        ),
        Row::info(
            format!(
                "`sapland provision run --job read`, {} users from a file into an empty tenant, \
                 whole process",
                options.users
            ),
            users_per_second(&agent),
        )
        .baseline(raw_text.clone())
        .ratio(percent(&ratio))
        .budget(
            format!("≥ {:.0} % of raw ingest", INGEST_BUDGET * 100.0),
            median(&ratio) >= INGEST_BUDGET,
        ),
        Row::info(
            "The same jobs, by their startTime–endTime",
            users_per_second(&agent_job),
        )
        .baseline(raw_text)
        .ratio(percent(&ratio_job)),
    ];

    let created_ok = rounds.iter().all(|r| {
        r.agent.status == "Success"
            && r.agent.written.created == options.users as u64
            && r.agent.written.failed == 0
            && r.agent_requests.total == options.users as u64
            && r.agent_requests.count("POST", 201) == r.agent_requests.held
    });
    let first = &rounds[0];
    rows.push(
        Row::info(
            "Users created by each agent job (job statistics; requests in the mock's journal)",
            format!(
                "{}; {} requests: {}",
                counts_text(&first.agent),
                first.agent_requests.total,
                first.agent_requests.summary()
            ) + &same_in_all(rounds.len()),
        )
        .budget(format!("{} created, 0 failed", options.users), created_ok),
    );
    let bodies_ok = rounds
        .iter()
        .all(|r| r.agent_requests.same_bodies == r.agent_requests.held);
    rows.push(
        Row::info(
            "The agent's POST bodies equal the baseline's (as JSON, matched by userName; the journal masks `passwordDetails`)",
            format!(
                "{} of {}{}{}",
                first.agent_requests.same_bodies,
                first.agent_requests.held,
                if first.agent_requests.held < options.users {
                    " (the journal holds only the last ones)"
                } else {
                    ""
                },
                if bodies_ok { " in every round" } else { "" }
            ),
        )
        .budget("identical", bodies_ok),
    );

    let changed = input.changed.len();
    let delta: Vec<f64> = rounds.iter().map(|r| r.delta.wall).collect();
    let delta_job: Vec<f64> = rounds.iter().map(|r| r.delta.job).collect();
    rows.push(
        Row::info(
            format!(
                "Read again after {changed} of {} users changed (1 %), whole process",
                options.users
            ),
            format!(
                "{}, {:.0} users/s",
                report::seconds(&delta),
                users / median(&delta)
            ),
        )
        .baseline(format!(
            "{} for the first job",
            report::seconds(&rounds.iter().map(|r| r.agent.wall).collect::<Vec<_>>())
        ))
        .ratio(format!(
            "{:.0} %",
            100.0 * median(&delta)
                / median(&rounds.iter().map(|r| r.agent.wall).collect::<Vec<_>>())
        )),
    );
    rows.push(Row::info(
        "The same delta jobs, by their startTime–endTime",
        format!(
            "{}, {:.0} users/s",
            report::seconds(&delta_job),
            users / median(&delta_job)
        ),
    ));
    let delta_ok = rounds.iter().all(|r| {
        r.delta.status == "Success"
            && r.delta.read == options.users as u64
            && r.delta.written
                == agent::Counts {
                    updated: changed as u64,
                    ..agent::Counts::default()
                }
            && r.delta_requests.total == changed as u64
            && r.delta_requests.count("PUT", 200) == changed
            && r.delta_requests.changed_puts == changed
    });
    rows.push(
        Row::info(
            "The delta read writes only the changed users (job statistics; the mock's journal)",
            format!(
                "{}; {} requests: {}{}",
                counts_text(&first.delta),
                first.delta_requests.total,
                first.delta_requests.summary(),
                if first.delta_requests.changed_puts == changed {
                    ", each a changed user"
                } else {
                    ""
                }
            ) + &same_in_all(rounds.len()),
        )
        .budget(format!("{changed} updated, nothing else written"), delta_ok),
    );
    let micros = |f: &dyn Fn(&Round) -> f64| -> f64 {
        median(&rounds.iter().map(f).collect::<Vec<_>>()) * 1e6 / users
    };
    let raw_server = micros(&|r| r.raw_cpu.server);
    let raw_client = micros(&|r| r.raw_cpu.client);
    let agent_server = micros(&|r| r.agent_cpu.server);
    let agent_client = micros(&|r| r.agent_cpu.client);
    rows.push(
        Row::info(
            "Diagnosis: CPU per user during the raw ingest (mock's threads; the client's thread)",
            format!("{raw_server:.0} µs mock + {raw_client:.0} µs client"),
        )
        .baseline(format!(
            "{:.0} µs of wall time per user",
            1e6 / median(&raw)
        )),
    );
    rows.push(
        Row::info(
            "Diagnosis: CPU per user during the agent's job (mock's threads; the agent process, \
             user + system)",
            format!("{agent_server:.0} µs mock + {agent_client:.0} µs agent"),
        )
        .baseline(format!(
            "{:.0} µs of wall time per user",
            1e6 / median(&agent)
        ))
        .ratio(format!(
            "agent {:.1}× the raw client",
            agent_client / raw_client.max(f64::MIN_POSITIVE)
        )),
    );
    for (round, r) in rounds.iter().enumerate() {
        for (what, run) in [("first", &r.agent), ("delta", &r.delta)] {
            if !run.failures.is_empty() {
                crate::note(&format!(
                    "round {}: the {what} job's first failures: {}",
                    round + 1,
                    run.failures.join("; ")
                ));
            }
        }
    }
    rows
}

/// `, the same in all N rounds` when there is more than one.
fn same_in_all(rounds: usize) -> String {
    if rounds > 1 {
        format!(" (round 1; the budget checks all {rounds})")
    } else {
        String::new()
    }
}

/// `Success (Full Read): 10000 created, 0 updated, 0 deleted, 0 skipped, 0 failed`.
fn counts_text(run: &JobRun) -> String {
    let c = run.written;
    format!(
        "{} ({}): {} created, {} updated, {} deleted, {} skipped, {} failed",
        run.status, run.read_mode, c.created, c.updated, c.deleted, c.skipped, c.failed
    )
}

/// The agent's pace with SAP's throttling on: the default pace, the landscape clock.
fn pacing(
    options: &Options,
    input: &Input,
    scratch: &Path,
    landscape: &Landscape,
    notes: &mut Vec<String>,
) -> anyhow::Result<Vec<Row>> {
    let n = options.pace_users.min(options.users);
    let target = tenant(landscape, "target")?;
    let systems = scratch.join("systems");
    agent::write_systems(&systems, target, None)?;
    let text = std::fs::read_to_string(&input.file)?;
    let mut file: String = text.lines().take(n).collect::<Vec<_>>().join("\n");
    file.push('\n');
    std::fs::write(systems.join(agent::FILE), file)?;
    let job = Job {
        sapland: options.sapland.clone(),
        systems,
        state: scratch.join("state"),
        landscape_file: landscape.file.clone(),
    };
    crate::note(&format!(
        "pace: sapland provision run --job read, {n} users, SAP throttling on, default pace"
    ));
    landscape.ias_kit.clear_journal();
    let clock_before = landscape.clock.now();
    let run = job.run()?;
    let clock_after = landscape.clock.now();
    let entries = landscape.ias_kit.journal_latest(None);
    let scim: Vec<&JournalEntry> = entries
        .iter()
        .filter(|e| e.path.starts_with("/scim/"))
        .collect();
    // The journal is in the order answers were recorded; `time` is when each request arrived.
    let mut times: Vec<Timestamp> = scim.iter().map(|e| e.time).collect();
    times.sort();
    let rejected = scim.iter().filter(|e| e.status == 429).count();
    let requests = scim.len();
    let span = match (times.first(), times.last()) {
        (Some(first), Some(last)) => last.duration_since(*first).as_secs_f64(),
        _ => 0.0,
    };
    ensure!(
        requests >= 2 && span > 0.0,
        "the paced job sent {requests} requests over {span} s of landscape time: no pace to measure"
    );
    let per_minute = (requests - 1) as f64 * 60.0 / span;
    let per_minute_job = requests as f64 * 60.0 / run.job;
    let limit = SERVED_PER_MINUTE as f64;
    let window = busiest_minute(&times);
    let created_ok =
        run.written.created == n as u64 && run.written.failed == 0 && run.status == "Success";
    let rows = vec![
        Row::info(
            format!(
                "Pace with SAP throttling on: {n} users created, default pace \
                 (`sapland.requests.per.minute` unset), landscape clock"
            ),
            format!(
                "{per_minute:.1} requests/min ({requests} requests over {:.1} min of landscape \
                 time, first to last)",
                span / 60.0
            ),
        )
        .baseline(format!("{limit:.0} requests/min allowed"))
        .ratio(format!("{:.1} %", 100.0 * per_minute / limit))
        .budget(
            format!("≥ {:.0} % of {limit:.0}/min", PACE_BUDGET * 100.0),
            per_minute >= PACE_BUDGET * limit,
        ),
        Row::info(
            "The same job, requests over its startTime–endTime",
            format!(
                "{per_minute_job:.1} requests/min ({requests} over {:.1} min)",
                run.job / 60.0
            ),
        )
        .baseline(format!("{limit:.0} requests/min allowed"))
        .ratio(format!("{:.1} %", 100.0 * per_minute_job / limit)),
        Row::info(
            "429 answers and failed entities of the paced job",
            format!(
                "{rejected} answered 429; {}; at most {window} requests in any 60 s (the mock \
                 delays from the {}st)",
                counts_text(&run),
                SERVED_PER_MINUTE + 1
            ),
        )
        .budget("no 429-caused failures", created_ok && rejected == 0),
        Row::info(
            "Wall time of the paced job (its waits advance the landscape clock)",
            format!(
                "{:.1} s for {:.1} min of landscape time",
                run.wall,
                clock_after.duration_since(clock_before).as_secs_f64() / 60.0
            ),
        ),
    ];
    if !run.failures.is_empty() {
        crate::note(&format!(
            "pace: the job's first failures: {}",
            run.failures.join("; ")
        ));
    }
    notes.push(format!(
        "provision pace: one job of {n} users from the same file into a fresh landscape with \
         SAP throttling (≤ {SERVED_PER_MINUTE}/min served, then delayed, then 429) on a manual \
         clock that the agent's `--landscape` waits advance; requests/min = (requests − 1) ÷ \
         landscape time from the first to the last request in the mock's journal"
    ));
    Ok(rows)
}

/// The most requests at `times` (sorted) in any window `(t − 60 s, t]`, as the mock's
/// throttle counts them.
fn busiest_minute(times: &[Timestamp]) -> usize {
    let mut most = 0;
    let mut start = 0;
    for (end, at) in times.iter().enumerate() {
        while at.duration_since(times[start]).as_secs_f64() >= 60.0 {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    most
}

/// What the mock's journal saw of one job.
#[derive(Debug, Clone, Default)]
struct Requests {
    /// Requests since the journal was cleared (its last sequence number; entries beyond its
    /// capacity count although they are no longer held).
    total: u64,
    /// Entries the journal still holds (it keeps the newest 10 000 by default).
    held: usize,
    /// Held entries by method and status.
    by_kind: BTreeMap<(String, u16), usize>,
    /// POSTs whose body equals the baseline's body for the same `userName` (both as the
    /// journal holds them: secret members masked).
    same_bodies: usize,
    /// PUTs whose body names a changed user.
    changed_puts: usize,
}

impl Requests {
    fn of(entries: &[JournalEntry], input: &Input) -> Self {
        let bodies: HashMap<&str, &[u8]> = input
            .names
            .iter()
            .map(String::as_str)
            .zip(input.bodies.iter().map(|b| b.as_ref()))
            .collect();
        let mut requests = Requests {
            total: entries.last().map_or(0, |e| e.seq),
            held: entries.len(),
            ..Requests::default()
        };
        let mut reported = false;
        for entry in entries {
            *requests
                .by_kind
                .entry((entry.method.clone(), entry.status))
                .or_default() += 1;
            let Some(body) = &entry.request_body else {
                continue;
            };
            let Ok(sent) = serde_json::from_str::<Value>(&body.as_str()) else {
                continue;
            };
            let name = sent.get("userName").and_then(Value::as_str).unwrap_or("");
            match entry.method.as_str() {
                "POST" => {
                    // The journal masks secret members (`passwordDetails`); so does the expected.
                    let expected = bodies
                        .get(name)
                        .and_then(|b| serde_json::from_slice::<Value>(b).ok())
                        .map(|b| sapland_mock_kit::redact::json(&b));
                    if expected.as_ref() == Some(&sent) {
                        requests.same_bodies += 1;
                    } else if !reported {
                        reported = true;
                        crate::note(&format!(
                            "provision: the agent's POST of {name:?} differs from the baseline's\n  agent:    {sent}\n  baseline: {}",
                            expected.map_or("(none)".into(), |e| e.to_string())
                        ));
                    }
                }
                "PUT" if input.changed.contains(name) => requests.changed_puts += 1,
                _ => {}
            }
        }
        requests
    }

    /// Held entries with this method and status.
    fn count(&self, method: &str, status: u16) -> usize {
        self.by_kind
            .get(&(method.to_string(), status))
            .copied()
            .unwrap_or(0)
    }

    /// `10000 POST → 201, 2 GET → 200`.
    fn summary(&self) -> String {
        if self.by_kind.is_empty() {
            return "none".into();
        }
        self.by_kind
            .iter()
            .map(|((method, status), n)| format!("{n} {method} → {status}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The description of a tenant in `landscape.json`.
fn tenant<'l>(landscape: &'l Landscape, name: &str) -> anyhow::Result<&'l TenantDescription> {
    landscape
        .description
        .ias
        .tenants
        .iter()
        .find(|t| t.name == name)
        .with_context(|| format!("landscape.json has no tenant {name}"))
}

/// How many users a tenant holds.
fn user_count(landscape: &Landscape, name: &str) -> anyhow::Result<usize> {
    let tenant = landscape
        .ias
        .tenant(name)
        .with_context(|| format!("no tenant {name}"))?;
    Ok(tenant.directory().user_count())
}

/// `median users/s (min–max)`.
fn users_per_second(samples: &[f64]) -> String {
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(0.0, f64::max);
    if samples.len() > 1 {
        format!("{:.0} users/s ({min:.0}–{max:.0})", median(samples))
    } else {
        format!("{:.0} users/s", median(samples))
    }
}

/// `median % (min–max)` of ratios.
fn percent(ratios: &[f64]) -> String {
    let min = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let max = ratios.iter().copied().fold(0.0, f64::max);
    if ratios.len() > 1 {
        format!(
            "{:.0} % ({:.0}–{:.0})",
            median(ratios) * 100.0,
            min * 100.0,
            max * 100.0
        )
    } else {
        format!("{:.0} %", median(ratios) * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busiest_minute_counts_as_the_throttle_does() {
        let at = |ms: i64| Timestamp::from_millisecond(1_800_000_000_000 + ms).unwrap();
        let even: Vec<Timestamp> = (0..600).map(|k| at(k * 308)).collect();
        assert_eq!(busiest_minute(&even), 195, "60 000 / 308 → 195 in a window");
        let burst: Vec<Timestamp> = (0..10).map(|_| at(0)).chain([at(60_000)]).collect();
        assert_eq!(
            busiest_minute(&burst),
            10,
            "a minute later the burst no longer counts"
        );
        assert_eq!(busiest_minute(&[]), 0);
    }
}
