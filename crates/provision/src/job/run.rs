//! One job from start to end: the source is read page by page and every page goes to every
//! target; users first, then groups (whose members resolve to the users just written); after a
//! successful full read each target deletes what left the source.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

use jiff::Timestamp;
use sapland_core::job::Action;
use sapland_core::job::{EntityOutcome, Job, JobStatus, ReadMode, SkipReason};
use sapland_transform::engine::{Context, ENTITY_ID_SOURCE_SYSTEM, Engine, Outcome};
use serde_json::Value;

use super::delete::delete_left;
use super::ids::Relations;
use super::logbook::LogBook;
use super::recover::recover;
use super::write::{Entity, Run, TargetState, Writer};
use super::{JobRequest, JobResult, Progress};
use crate::connect::scim_client;
use crate::fingerprint::fingerprint;
use crate::source::Source;
use crate::store::{RelationState, Store, TRACE_CONTENT_PROPERTIES};
use crate::systems::{Connector, System};
use crate::target::{Target, properties};

/// The entity types a job provisions, in order (§2.3: users and groups in one job; groups
/// after users so their members resolve).
const ENTITY_TYPES: [&str; 2] = ["user", "group"];

/// Runs a Read, Resync or Simulate job and returns it as logged. A job that ran into errors
/// (a source that cannot be read, entities that failed) is `Ok` with status Finished with
/// Error; `Err` means it could not run at all.
pub async fn run(request: JobRequest<'_>, progress: &dyn Progress) -> JobResult {
    let systems = request.systems;
    let source_system = systems.source(&request.source)?;
    let clock = request.outbound.clock.clone();
    let store_clock = clock.clone();
    let store = Store::open(&request.state_dir, move || store_clock.now())?;
    let resolved = &source_system.resolved;
    let state = store.source_state(source_system.name())?;
    let delta_enabled = resolved
        .value("ips.delta.read")
        .is_some_and(|v| v.eq_ignore_ascii_case("enabled"));
    let force_full = resolved
        .number("ips.full.read.force.count")
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    let mode = state.next_read_mode(request.job_type, delta_enabled, force_full, request.trigger);
    let started = clock.now();
    let job = Job::start(
        job_id(started),
        source_system.name(),
        request.job_type,
        request.trigger,
        mode,
        started,
    );
    let taken_over = store.start_job(&job)?;
    let export_print = export_fingerprint(source_system);
    let reset = store.traces_reset(source_system.name(), &export_print)?;
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
    let result = provision(&request, source_system, &store, since, &mut book, progress).await;
    if let Err(message) = result {
        book.job.error_message = Some(message);
        book.job.status = book.job.status.after_failure();
    }
    let now = clock.now();
    book.job.finish(now);
    book.flush(&store)?;
    store.finish_job(&book.job)?;
    if book.job.status == JobStatus::Success && request.job_type.writes() {
        store.record_successful_read(source_system.name(), mode, started, request.trigger)?;
    }
    let used: Vec<&str> = book.content_used.iter().copied().collect();
    if !used.is_empty() {
        store.record_trace_used(source_system.name(), &book.job.id, &export_print, &used)?;
    }
    debug_assert!(used.iter().all(|p| TRACE_CONTENT_PROPERTIES.contains(p)));
    Ok(book.job)
}

/// Reads and writes everything; `Err` is the job's error message (the source cannot be read,
/// a target cannot be connected).
async fn provision(
    request: &JobRequest<'_>,
    source_system: &System,
    store: &Store,
    since: Option<Timestamp>,
    book: &mut LogBook,
    progress: &dyn Progress,
) -> Result<(), String> {
    let systems = request.systems;
    let dir = &systems.dir;
    let outbound = &request.outbound;
    let source_client = match source_system.connector() {
        Connector::Ias(_) => Some(scim_client(source_system, dir, outbound)?),
        _ => None,
    };
    let source = Source::of(source_system, dir, source_client)?;
    let source_engine = Engine::new(&source_system.transformation, properties(source_system))
        .map_err(|err| format!("the transformation of {:?}: {err}", source_system.name()))?;
    let mut targets = Vec::new();
    for system in systems.targets_of(source_system) {
        let client = scim_client(system, dir, outbound)?;
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
            let recovered = recover(store, source_name, target)
                .await
                .map_err(|err| err.to_string())?;
            if recovered.adopted + recovered.dropped + recovered.deleted > 0 {
                book.outcome(format!(
                    "a stopped job had left writes to {:?} unrecorded: {} found in the target, {} not created, {} deleted",
                    target.name, recovered.adopted, recovered.dropped, recovered.deleted
                ));
            }
        }
    }
    let clock = outbound.clock.clone();
    let now = move || clock.now();
    let run = Run {
        source: source_name,
        job_type: request.job_type,
        store,
        now: &now,
        seed: RandomState::new().hash_one(book.job.id.as_str()),
    };
    let mut users: HashMap<String, Relations> = HashMap::new();
    for entity_type in ENTITY_TYPES {
        if source_engine.ignores(entity_type) || !source.provides(entity_type) {
            continue;
        }
        book.job.row(entity_type, source_name, Action::Read);
        let mut states = Vec::new();
        for target in &targets {
            if target.engine.ignores(entity_type) {
                continue;
            }
            book.job.row(entity_type, &target.name, Action::Write);
            let relations = store
                .relations(source_name, &target.name, entity_type)
                .map_err(|err| err.to_string())?;
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
        let full = book.job.read_mode == ReadMode::Full;
        if !full {
            book.outcome(format!("{entity_type}s: no deletion in delta read mode"));
        } else if read_failures > 0 {
            book.outcome(format!(
                "{entity_type}s: no deletion because {read_failures} {entity_type}(s) failed to be read from the source"
            ));
        } else {
            for state in &mut states {
                delete_left(&run, state, entity_type, book)
                    .await
                    .map_err(|err| err.to_string())?;
            }
        }
        book.flush(store).map_err(|err| err.to_string())?;
        if entity_type == "user" {
            for state in &states {
                let relations = store
                    .relations(source_name, &state.target.name, "user")
                    .map_err(|err| err.to_string())?;
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

/// One entity type read from the source.
struct Pass<'a> {
    source: &'a Source,
    engine: &'a Engine,
    entity_type: &'a str,
    /// Only what changed after this (delta read).
    since: Option<Timestamp>,
}

impl Pass<'_> {
    /// Reads every page and writes it to every target; the number of entities whose read
    /// transformation failed.
    async fn read_and_write(
        &self,
        run: &Run<'_>,
        states: &mut [TargetState<'_>],
        book: &mut LogBook,
        progress: &dyn Progress,
    ) -> Result<u64, String> {
        let (engine, entity_type) = (self.engine, self.entity_type);
        let source_name = run.source;
        let mut reading = self.source.read(entity_type, self.since)?;
        let mut writers: Vec<Writer<'_>> = states
            .iter()
            .map(|state| Writer::new(run, state, entity_type))
            .collect();
        let mut read = 0u64;
        let mut failures = 0u64;
        let ids = Relations::default();
        while let Some(page) = reading.next_page().await? {
            let mut entities = Vec::with_capacity(page.len());
            for raw in &page {
                let context = Context {
                    action: sapland_transform::engine::Action::Create,
                    variables: Default::default(),
                    ids: &ids,
                    now: (run.now)(),
                    seed: run.seed,
                };
                let fallback = raw.get("id").map(id_text).unwrap_or_default();
                match engine.apply(entity_type, raw, &context) {
                    Outcome::Written { entity, variables } => {
                        match variables.get(ENTITY_ID_SOURCE_SYSTEM).map(id_text) {
                            Some(id) if !id.is_empty() => {
                                book.read(
                                    run.entry(entity_type, source_name, &id),
                                    EntityOutcome::Read,
                                    None,
                                );
                                entities.push(Arc::new(Entity {
                                    source_id: id,
                                    value: entity,
                                }));
                            }
                            _ => {
                                failures += 1;
                                book.read(
                                    run.entry(entity_type, source_name, &fallback),
                                    EntityOutcome::Failed {
                                        error:
                                            "the read transformation sets no entityIdSourceSystem"
                                                .into(),
                                    },
                                    Some(raw),
                                );
                            }
                        }
                    }
                    Outcome::Skipped { reason } => book.read(
                        run.entry(entity_type, source_name, &fallback),
                        EntityOutcome::Skipped(SkipReason::Other(reason)),
                        Some(raw),
                    ),
                    Outcome::Failed { error } => {
                        failures += 1;
                        book.read(
                            run.entry(entity_type, source_name, &fallback),
                            EntityOutcome::Failed { error },
                            Some(raw),
                        );
                    }
                    Outcome::Ignored | Outcome::Delete => {}
                }
            }
            for (state, writer) in states.iter_mut().zip(&mut writers) {
                writer
                    .write(state, &entities, book)
                    .await
                    .map_err(|err| err.to_string())?;
            }
            book.flush(run.store).map_err(|err| err.to_string())?;
            read += page.len() as u64;
            progress.read(entity_type, read, None);
        }
        for writer in &mut writers {
            writer.finish(book).await.map_err(|err| err.to_string())?;
        }
        book.flush(run.store).map_err(|err| err.to_string())?;
        Ok(failures)
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
