//! One job from start to end: the source is read page by page and every page goes to every
//! target; users first, then groups (whose members resolve to the users just written); after a
//! successful full read each target deletes what left the source. From the moment the job
//! takes its lock every path ends it: finished, terminated, or abandoned with its error.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

use jiff::Timestamp;
use sapland_core::job::{Action, EntityOutcome, EntityType, Job, JobStatus, ReadMode};
use sapland_systems::connect::scim_client;
use sapland_systems::{Connector, System};
use sapland_transform::engine::{Context, ENTITY_ID_SOURCE_SYSTEM, Engine, Outcome};
use serde_json::Value;

use super::cancel::CancelToken;
use super::delete::delete_left;
use super::guard::Guard;
use super::ids::Relations;
use super::logbook::LogBook;
use super::recover::recover;
use super::runner::{Finished, Runner};
use super::stop::Stop;
use super::write::{Entity, Run, TargetState, Writer};
use super::{JobError, JobRequest, Progress};
use crate::error::ProvisionError;
use crate::fingerprint::fingerprint;
use crate::monitor::Monitoring;
use crate::source::Source;
use crate::store::{RelationState, Store, TRACE_CONTENT_PROPERTIES};
use crate::target::Target;

/// The outcome line of a job that was cancelled.
pub(super) const TERMINATED: &str =
    "the job was terminated manually: what was sent is recorded, nothing more is written";

/// Runs a Read, Resync or Simulate job and returns it as logged. A job that ran into errors
/// (a source that cannot be read, entities that failed) is `Ok` with status Finished with
/// Error, a cancelled one with Manually Terminated; `Err` means it could not run at all, or
/// its end could not be recorded (then it is abandoned: ended with the error, its lock
/// released, as far as the operational data allows).
pub(super) async fn run(
    runner: &Runner,
    request: JobRequest,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Finished, JobError> {
    let systems = &runner.systems;
    let source_system = systems.source(&request.source)?;
    let clock = runner.reach.clock.clone();
    let store_clock = clock.clone();
    let store = Store::open(&runner.state_dir, move || store_clock.now())?;
    let resolved = &source_system.resolved;
    let state = store.source_state(source_system.name())?;
    let delta_enabled = resolved
        .value("ips.delta.read")
        .is_some_and(|v| v.eq_ignore_ascii_case("enabled"));
    let force_full = resolved
        .number("ips.full.read.force.count")
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    let mode = state.next_read_mode(request.job_type, delta_enabled, force_full, request.trigger);
    let export_print = export_fingerprint(source_system);
    let reset = store.traces_reset(source_system.name(), &export_print)?;
    let started = clock.now();
    let job = Job::start(
        job_id(started),
        source_system.name(),
        request.job_type,
        request.trigger,
        mode,
        started,
    );
    let taken_over = store.start_job(&job, runner.lease)?;
    let mut book = LogBook::new(job, resolved, &reset);
    if let Some(lock) = taken_over {
        book.outcome(format!(
            "job {} of this source had stopped with its process; it was ended and this job took over",
            lock.job_id
        ));
    }
    let since = (mode == ReadMode::Delta)
        .then_some(state.last_read)
        .flatten();
    let job_id = book.job.id.clone();
    let now = move || clock.now();
    let guard = Guard::new(
        cancel,
        &store,
        (source_system.name(), &job_id),
        runner.lease,
        &now,
    );
    let passes = Passes {
        runner,
        source_system,
        store: &store,
        guard: &guard,
        now: &now,
    };
    match passes.provision(&request, since, &mut book, progress).await {
        Ok(()) => {}
        Err(Stop::Cancelled) => {
            book.outcome(TERMINATED.to_string());
            book.job.status = JobStatus::ManuallyTerminated;
        }
        Err(Stop::Failed(error)) => {
            book.job.error_message = Some(error.to_string());
            book.job.status = book.job.status.after_failure();
        }
    }
    book.job.finish(now());
    let ended = end(
        runner,
        &store,
        &mut book,
        source_system,
        mode,
        started,
        &export_print,
    );
    if let Err(error) = ended {
        let _ = store.abandon_job(&book.job, &error.to_string());
        return Err(error.into());
    }
    let reported = match &runner.monitoring {
        Some(monitoring) => Some(send_reports(monitoring, &store).await),
        None => None,
    };
    Ok(Finished {
        job: book.job,
        reported,
    })
}

/// Records the job's end in one transaction: its last log records, its status and end, the
/// lock released, a successful read remembered for the next delta, the trace properties it
/// used, and its Cloud ALM report queued.
fn end(
    runner: &Runner,
    store: &Store,
    book: &mut LogBook,
    source_system: &System,
    mode: ReadMode,
    started: Timestamp,
    export_print: &str,
) -> Result<(), crate::store::StoreError> {
    store.transaction(|store| {
        book.flush(store)?;
        store.finish_job(&book.job)?;
        let job = &book.job;
        if job.status == JobStatus::Success && job.job_type.writes() {
            store.record_successful_read(source_system.name(), mode, started, job.trigger_type)?;
        }
        let used: Vec<&str> = book.content_used.iter().copied().collect();
        if !used.is_empty() {
            store.record_trace_used(source_system.name(), &job.id, export_print, &used)?;
        }
        debug_assert!(used.iter().all(|p| TRACE_CONTENT_PROPERTIES.contains(p)));
        if runner.monitoring.is_some() {
            Monitoring::queue(store, job)?;
        }
        Ok(())
    })
}

/// Sends what waits for Cloud ALM; the operational data failing here costs the report, not the
/// job, which has ended.
async fn send_reports(monitoring: &Monitoring, store: &Store) -> crate::monitor::Reported {
    match monitoring.send_queued(store).await {
        Ok(reported) => reported,
        Err(error) => crate::monitor::Reported {
            error: Some(error.to_string()),
            ..Default::default()
        },
    }
}

/// What the passes of one job share.
struct Passes<'a> {
    runner: &'a Runner,
    source_system: &'a System,
    store: &'a Store,
    guard: &'a Guard<'a>,
    now: &'a (dyn Fn() -> Timestamp + Send + Sync),
}

impl Passes<'_> {
    /// Reads and writes everything.
    async fn provision(
        &self,
        request: &JobRequest,
        since: Option<Timestamp>,
        book: &mut LogBook,
        progress: &dyn Progress,
    ) -> Result<(), Stop> {
        let (source_system, store) = (self.source_system, self.store);
        let systems = &self.runner.systems;
        let dir = &systems.dir;
        let reach = &self.runner.reach;
        let source_client = match source_system.connector() {
            Connector::Ias(_) => {
                Some(scim_client(source_system, dir, reach).map_err(ProvisionError::from)?)
            }
            _ => None,
        };
        let source = Source::of(source_system, dir, source_client)?;
        let source_engine = Engine::new(
            &source_system.transformation,
            source_system.substitution_properties(),
        )
        .map_err(|err| ProvisionError::Transformation {
            system: source_system.name().to_string(),
            reason: err.to_string(),
        })?;
        let mut targets = Vec::new();
        for system in systems.targets_of(source_system) {
            let client = scim_client(system, dir, reach).map_err(ProvisionError::from)?;
            targets.push(Target::new(system, client)?);
        }
        if targets.is_empty() {
            book.outcome(format!(
                "no enabled target system names {:?} ({}) in its relatedSystems: nothing is written",
                source_system.name(),
                source_system.id()
            ));
        }
        let source_name = source_system.name();
        if request.job_type.writes() {
            for target in &targets {
                let recovered = recover(store, source_name, target).await?;
                if recovered.adopted + recovered.dropped + recovered.deleted > 0 {
                    book.outcome(format!(
                        "a stopped job had left writes to {:?} unrecorded: {} found in the target, {} not created, {} deleted",
                        target.name, recovered.adopted, recovered.dropped, recovered.deleted
                    ));
                }
            }
        }
        let run = Run {
            source: source_name,
            job_type: request.job_type,
            store,
            now: self.now,
            seed: RandomState::new().hash_one(book.job.id.as_str()),
            guard: self.guard,
        };
        let mut users: HashMap<String, Relations> = HashMap::new();
        for entity_type in EntityType::ALL {
            if source_engine.ignores(entity_type.as_str()) || !source.provides(entity_type) {
                continue;
            }
            book.job
                .row(entity_type.as_str(), source_name, Action::Read);
            let mut states = Vec::new();
            for target in &targets {
                if target.engine.ignores(entity_type.as_str()) {
                    continue;
                }
                book.job
                    .row(entity_type.as_str(), &target.name, Action::Write);
                let relations = store.relations(source_name, &target.name, entity_type.as_str())?;
                let ids = Arc::new(Relations {
                    users: users
                        .remove(&target.name)
                        .map(|r| r.users)
                        .unwrap_or_default(),
                    groups: id_map(&relations),
                });
                states.push(TargetState {
                    target,
                    relations: relations
                        .into_iter()
                        .map(|r| (r.source_id.clone(), r))
                        .collect(),
                    kept: HashSet::new(),
                    skipped: HashMap::new(),
                    ids,
                });
            }
            let pass = Pass {
                source: &source,
                engine: &source_engine,
                entity_type,
                since: since.filter(|_| source.reads_delta(entity_type)),
            };
            let read_failures = pass
                .read_and_write(&run, &mut states, book, progress)
                .await?;
            if self.guard.cancelled() {
                book.flush(store)?;
                return Err(Stop::Cancelled);
            }
            let full = book.job.read_mode == ReadMode::Full;
            if !full {
                book.outcome(format!("{entity_type}s: no deletion in delta read mode"));
            } else if read_failures > 0 {
                book.outcome(format!(
                    "{entity_type}s: no deletion because {read_failures} {entity_type}(s) failed to be read from the source"
                ));
            } else {
                for state in &mut states {
                    delete_left(&run, state, entity_type, book).await?;
                }
            }
            book.flush(store)?;
            if entity_type == EntityType::User {
                for state in &states {
                    let relations = store.relations(source_name, &state.target.name, "user")?;
                    users.insert(
                        state.target.name.clone(),
                        Relations {
                            users: id_map(&relations),
                            groups: HashMap::new(),
                        },
                    );
                }
            }
        }
        Ok(())
    }
}

/// One entity type read from the source.
struct Pass<'a> {
    source: &'a Source,
    engine: &'a Engine,
    entity_type: EntityType,
    /// Only what changed after this (delta read).
    since: Option<Timestamp>,
}

impl Pass<'_> {
    /// Reads every page and writes it to every target; the number of entities whose read
    /// transformation failed. A cancelled job stops reading before the next page and lets its
    /// writers stop before their next write.
    async fn read_and_write(
        &self,
        run: &Run<'_>,
        states: &mut [TargetState<'_>],
        book: &mut LogBook,
        progress: &dyn Progress,
    ) -> Result<u64, Stop> {
        let (engine, entity_type) = (self.engine, self.entity_type);
        let mut reading = self.source.read(entity_type, self.since)?;
        let mut writers: Vec<Writer<'_>> = states
            .iter()
            .map(|state| Writer::new(run, state, entity_type))
            .collect();
        let mut read = 0u64;
        let mut failures = 0u64;
        while !run.guard.cancelled() {
            run.guard.renew()?;
            let Some(page) = reading.next_page().await? else {
                break;
            };
            let mut entities = Vec::with_capacity(page.len());
            for raw in &page {
                match read_entity(run, engine, entity_type, raw, book) {
                    Read::Entity(entity) => entities.push(entity),
                    Read::Failed => failures += 1,
                    Read::Nothing => {}
                }
            }
            for (state, writer) in states.iter_mut().zip(&mut writers) {
                writer.write(state, &entities, book).await?;
            }
            book.flush(run.store)?;
            read += page.len() as u64;
            progress.read(entity_type, read, None);
        }
        for writer in &mut writers {
            writer.finish(book).await?;
        }
        book.flush(run.store)?;
        Ok(failures)
    }
}

/// What the read transformation made of one source entity.
pub(super) enum Read {
    /// An entity to write, with its source id.
    Entity(Arc<Entity>),
    /// It failed (logged).
    Failed,
    /// Skipped by a condition (logged) or ignored.
    Nothing,
}

/// Runs the source's read transformation on `raw` and logs the read.
pub(super) fn read_entity(
    run: &Run<'_>,
    engine: &Engine,
    entity_type: EntityType,
    raw: &Value,
    book: &mut LogBook,
) -> Read {
    let ids = Relations::default();
    let context = Context {
        action: sapland_transform::engine::Action::Create,
        variables: Default::default(),
        ids: &ids,
        now: (run.now)(),
        seed: run.seed,
    };
    let source_name = run.source;
    let fallback = raw.get("id").map(id_text).unwrap_or_default();
    match engine.apply(entity_type.as_str(), raw, &context) {
        Outcome::Written { entity, variables } => {
            match variables.get(ENTITY_ID_SOURCE_SYSTEM).map(id_text) {
                Some(id) if !id.is_empty() => {
                    book.read(
                        run.entry(entity_type, source_name, &id),
                        EntityOutcome::Read,
                        None,
                    );
                    Read::Entity(Arc::new(Entity {
                        source_id: id,
                        value: entity,
                    }))
                }
                _ => {
                    book.read(
                        run.entry(entity_type, source_name, &fallback),
                        EntityOutcome::Failed {
                            error: "the read transformation sets no entityIdSourceSystem".into(),
                        },
                        Some(raw),
                    );
                    Read::Failed
                }
            }
        }
        Outcome::Skipped { reason } => {
            book.read(
                run.entry(entity_type, source_name, &fallback),
                EntityOutcome::Skipped(reason),
                Some(raw),
            );
            Read::Nothing
        }
        Outcome::Failed { error } => {
            book.read(
                run.entry(entity_type, source_name, &fallback),
                EntityOutcome::Failed { error },
                Some(raw),
            );
            Read::Failed
        }
        Outcome::Ignored | Outcome::Delete => Read::Nothing,
    }
}

/// Source id → target id of the provisioned relations.
fn id_map(relations: &[crate::store::Relation]) -> HashMap<String, String> {
    relations
        .iter()
        .filter(|r| r.state == RelationState::Provisioned)
        .filter_map(|r| Some((r.source_id.clone(), r.target_id.clone()?)))
        .collect()
}

/// An id as text: strings as they are, numbers spelled out.
fn id_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A fingerprint of the source's export, for the trace-property reset (see the store).
fn export_fingerprint(system: &System) -> String {
    let export = &system.resolved.export;
    fingerprint(&serde_json::json!({
        "properties": export.properties,
        "transformation": export.transformation,
        "name": export.name,
    }))
}

/// A fresh job id in the shape of a UUID (version 4).
fn job_id(started: Timestamp) -> String {
    let state = RandomState::new();
    let a = state.hash_one(started.as_nanosecond());
    let b = state.hash_one(a);
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-4{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        ["8", "9", "a", "b"][(b & 3) as usize],
        &hex[17..20],
        &hex[20..32]
    )
}
