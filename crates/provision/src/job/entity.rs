//! The per-entity write path: one entity as a source sends it (a real-time change, DESIGN.md
//! flow 2) goes through the source's read transformation and is planned, sent and recorded
//! against every enabled target of that source — with the same plan, send and record steps as
//! a job's batching [`Writer`](super::write::Writer), committed durably before the answer. It
//! takes no job lock: a change of one entity may be written while a job of the same source
//! runs, as IPS's real-time API does beside its jobs.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

use sapland_core::job::{EntityLogRecord, EntityType, Job, JobType, ReadMode, TriggerType};
use sapland_outbound::clock::Clock;
use sapland_systems::System;
use sapland_systems::connect::scim_client;
use sapland_transform::engine::Engine;
use serde_json::Value;

use super::JobError;
use super::cancel::CancelToken;
use super::guard::Guard;
use super::ids::Relations;
use super::logbook::LogBook;
use super::run::{Read, read_entity};
use super::runner::Runner;
use super::write::{Run, TargetState, Writer};
use crate::error::ProvisionError;
use crate::store::{RelationKey, Store};
use crate::target::Target;

/// Writes single entities of one source to its targets. Holds the source's transformation,
/// the targets' clients and the operational data open between writes.
#[derive(Debug)]
pub struct EntityWriter {
    source: System,
    store: Store,
    engine: Engine,
    targets: Vec<Target>,
    clock: Arc<dyn Clock>,
}

impl Runner {
    /// A writer of single entities from the enabled source system `source` to its targets.
    pub fn entity_writer(&self, source: &str) -> Result<EntityWriter, JobError> {
        let source = self.systems.source(source)?.clone();
        let clock = self.reach.clock.clone();
        let store_clock = clock.clone();
        let store = Store::open(&self.state_dir, move || store_clock.now())?;
        let engine = Engine::new(&source.transformation, source.substitution_properties())
            .map_err(|err| ProvisionError::Transformation {
                system: source.name().to_string(),
                reason: err.to_string(),
            })?;
        let mut targets = Vec::new();
        for system in self.systems.targets_of(&source) {
            let client = scim_client(system, &self.systems.dir, &self.reach)
                .map_err(ProvisionError::from)?;
            targets.push(Target::new(system, client)?);
        }
        Ok(EntityWriter {
            source,
            store,
            engine,
            targets,
            clock,
        })
    }
}

impl EntityWriter {
    /// The source system.
    pub fn source(&self) -> &System {
        &self.source
    }

    /// Transforms `raw` (an entity as the source holds it) and writes it to every enabled
    /// target whose transformation does not ignore `entity_type`: created, updated, left alone
    /// when a Read would not write it, or skipped by a condition. Returns a record for the
    /// read when it failed or was skipped, and one for each target; everything is recorded in
    /// the operational data before this returns.
    pub async fn write(
        &self,
        entity_type: EntityType,
        raw: &Value,
    ) -> Result<Vec<EntityLogRecord>, JobError> {
        let clock = self.clock.clone();
        let clock_now = move || clock.now();
        let now = clock_now();
        let source_name = self.source.name();
        let job = Job::start(
            "",
            source_name,
            JobType::Read,
            TriggerType::Immediate,
            ReadMode::Full,
            now,
        );
        let mut book = LogBook::keeping_all(job);
        let cancel = CancelToken::new();
        let guard = Guard::unleased(&cancel);
        let run = Run {
            source: source_name,
            job_type: JobType::Read,
            store: &self.store,
            now: &clock_now,
            seed: RandomState::new().hash_one(now.as_nanosecond()),
            guard: &guard,
        };
        let Read::Entity(entity) = read_entity(&run, &self.engine, entity_type, raw, &mut book)
        else {
            return Ok(book.take_records());
        };
        for target in &self.targets {
            if target.engine.ignores(entity_type.as_str()) {
                continue;
            }
            let key = RelationKey::new(
                source_name,
                &target.name,
                entity_type.as_str(),
                &entity.source_id,
            );
            let relation = self.store.relation(&key)?;
            let users = self.store.id_map(source_name, &target.name, "user")?;
            let groups = self.store.id_map(source_name, &target.name, "group")?;
            let mut state = TargetState {
                target,
                relations: relation
                    .into_iter()
                    .map(|r| (r.source_id.clone(), r))
                    .collect::<HashMap<_, _>>(),
                kept: HashSet::new(),
                skipped: HashMap::new(),
                ids: Arc::new(Relations { users, groups }),
            };
            let mut writer = Writer::new(&run, &state, entity_type);
            writer
                .write(&mut state, std::slice::from_ref(&entity), &mut book)
                .await?;
            writer.finish(&mut book).await?;
        }
        Ok(book.take_records())
    }
}
