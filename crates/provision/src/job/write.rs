//! Writing entities to one target (`reference/ips-ias.md` §2.4): each entity is transformed
//! for create (no relation yet) or update (provisioned before); Read leaves entities whose
//! fingerprint did not change alone, Resync writes them all, Simulate only counts.
//!
//! A [`Writer`] keeps the target busy: it plans a few entities ahead of the requests in
//! flight, across page boundaries, so the target never waits while the agent transforms. Creates
//! are recorded as pending before they are sent (a few dozen at a time) and as provisioned after
//! (a few hundred at a time), committed without waiting for the disk; the pass's last commit
//! waits for it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use futures_util::future::LocalBoxFuture;
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use jiff::Timestamp;
use sapland_core::job::{EntityOutcome, EntityType, JobType, SkipReason};
use sapland_scim::bulk::BulkDone;
use sapland_transform::document::Operation;
use sapland_transform::engine::{
    Action, Context, ENTITY_ID_SOURCE_SYSTEM, ENTITY_ID_TARGET_SYSTEM, Outcome, Variables,
};
use serde_json::Value;

use super::guard::Guard;
use super::ids::Relations;
use super::logbook::{Entry, LogBook};
use super::recover::UNKNOWN_FINGERPRINT;
use crate::fingerprint::{created, fingerprint, of_create};
use crate::store::{Relation, RelationKey, RelationState, Store, StoreError};
use crate::target::Target;

/// What a job shares while it writes.
pub(super) struct Run<'a> {
    pub(super) source: &'a str,
    pub(super) job_type: JobType,
    pub(super) store: &'a Store,
    pub(super) now: &'a (dyn Fn() -> Timestamp + Send + Sync),
    pub(super) seed: u64,
    /// Cancellation and the lock's lease.
    pub(super) guard: &'a Guard<'a>,
}

/// One target while one entity type is processed.
pub(super) struct TargetState<'a> {
    pub(super) target: &'a Target,
    /// The relations of the source and this target for the entity type, by source id.
    pub(super) relations: HashMap<String, Relation>,
    /// Source ids that stay in the target (read, and not skipped by a condition).
    pub(super) kept: HashSet<String>,
    /// The entities a target condition skipped, for `deleteEntity` mappings (§1.5).
    pub(super) skipped: HashMap<String, Value>,
    /// `resolveEntityIds` over this source and target, shared with the requests in flight.
    pub(super) ids: Arc<Relations>,
}

/// One entity as the source's read transformation left it: its source id and content.
#[derive(Debug)]
pub(super) struct Entity {
    pub(super) source_id: String,
    pub(super) value: Value,
}

/// What to do with one entity.
enum Planned {
    Create {
        entity: Arc<Entity>,
        body: Value,
        unique: Option<String>,
    },
    Update {
        entity: Arc<Entity>,
        target_id: String,
        body: Value,
        fingerprint: String,
    },
    /// `skipOperations: ["create"]`: update the entity the unique attributes find, else skip
    /// (§2.4).
    Adopt { entity: Arc<Entity> },
}

/// How many entities are planned between looks at the requests in flight.
const PLAN_AT_ONCE: usize = 8;

/// How many planned creates are recorded as pending together (fewer when the requests would
/// otherwise run out of work).
const BEGIN_AT: usize = 64;

/// How many sent entities are recorded together, in one provisional commit; the last ones
/// when the pass ends, durably. A commit writes every database page it touched, about one a
/// relation (they are keyed by random ids), so fewer commits write less; but the requests in
/// flight must keep the target busy while the agent records, so not more than a hundred or two.
const RECORD_AT: usize = 128;

/// Whether a commit of results waits for the disk. Results committed provisionally survive the
/// process being killed; a power cut may lose them until the next durable commit (the pass's
/// last, or the job's end), and the next job then finds those entities in the target as
/// conflicts, as it finds pending creates (**proposed**: waiting for the disk at each commit
/// took a tenth of a job's time).
#[derive(Clone, Copy)]
enum Commit {
    Provisional,
    Durable,
}

/// A planned entity and what sending it did.
type Sent = (Planned, Done);

/// What happened to one planned entity.
enum Done {
    Created {
        id: String,
        fingerprint: String,
    },
    /// Found by its unique attributes (a conflict, or an adopted entity) and overwritten.
    Existing {
        id: String,
        fingerprint: Option<String>,
    },
    Updated {
        fingerprint: String,
    },
    NotFound,
    Failed(String),
}

impl Run<'_> {
    pub(super) fn context<'i>(
        &self,
        action: Action,
        ids: &'i Relations,
        source_id: &str,
        target_id: Option<&str>,
    ) -> Context<'i> {
        let mut variables = Variables::new();
        variables.set(
            ENTITY_ID_SOURCE_SYSTEM,
            Value::String(source_id.to_string()),
        );
        if let Some(id) = target_id {
            variables.set(ENTITY_ID_TARGET_SYSTEM, Value::String(id.to_string()));
        }
        Context {
            action,
            variables,
            ids,
            now: (self.now)(),
            seed: self.seed,
        }
    }

    pub(super) fn entry<'e>(
        &self,
        entity_type: EntityType,
        system: &'e str,
        id: &'e str,
    ) -> Entry<'e> {
        Entry {
            entity_type: entity_type.as_str(),
            system,
            id,
            time: (self.now)(),
        }
    }
}

/// The writes of one entity type to one target during a pass over the source.
pub(super) struct Writer<'r> {
    run: &'r Run<'r>,
    target: &'r Target,
    entity_type: EntityType,
    ids: Arc<Relations>,
    /// Planned, not recorded as pending yet.
    planning: Vec<Planned>,
    /// Planned and recorded as pending, not sent yet.
    ready: VecDeque<Planned>,
    /// At most the target's `in_flight` requests.
    in_flight: FuturesUnordered<LocalBoxFuture<'r, Sent>>,
    /// Sent, not recorded yet.
    finished: Vec<Sent>,
}

impl<'r> Writer<'r> {
    /// A writer for `state`'s target.
    pub(super) fn new(run: &'r Run<'r>, state: &TargetState<'r>, entity_type: EntityType) -> Self {
        Self {
            run,
            target: state.target,
            entity_type,
            ids: Arc::clone(&state.ids),
            planning: Vec::new(),
            ready: VecDeque::new(),
            in_flight: FuturesUnordered::new(),
            finished: Vec::new(),
        }
    }

    /// Plans every entity of a page and sends them, planning a few ahead of the requests in
    /// flight; returns when the page is planned, leaving the last requests in flight for the
    /// next page. What finished is recorded each time [`RECORD_AT`] entities have.
    pub(super) async fn write(
        &mut self,
        state: &mut TargetState<'_>,
        entities: &[Arc<Entity>],
        book: &mut LogBook,
    ) -> Result<(), StoreError> {
        if self.target.bulk {
            return self.write_bulk(state, entities, book).await;
        }
        let mut next = 0;
        while !self.run.guard.cancelled() {
            self.collect_finished();
            if self.finished.len() >= RECORD_AT {
                self.record(book, Commit::Provisional)?;
            }
            if self.start_ready() {
                // Let the connection send what was started before the next planning.
                tokio::task::yield_now().await;
            }
            if next < entities.len() && self.ready.len() < BEGIN_AT {
                let planned_before = self.planning.len();
                while self.planning.len() - planned_before < PLAN_AT_ONCE && next < entities.len() {
                    if let Some(plan) =
                        plan(self.run, state, self.entity_type, &entities[next], book)
                    {
                        self.planning.push(plan);
                    }
                    next += 1;
                }
                if self.planning.len() >= BEGIN_AT || self.ready.len() < self.target.in_flight {
                    self.begin_planned()?;
                }
                continue;
            }
            if next >= entities.len() {
                break;
            }
            match self.in_flight.next().await {
                Some(sent) => self.finished.push(sent),
                None => break,
            }
        }
        Ok(())
    }

    /// Sends what is still planned, waits for every request and records them. A cancelled
    /// job sends nothing more: it waits for the requests in flight, records them, and forgets
    /// the creates it had recorded as pending but not sent.
    pub(super) async fn finish(&mut self, book: &mut LogBook) -> Result<(), StoreError> {
        if self.run.guard.cancelled() {
            self.forget_unsent()?;
        } else {
            self.begin_planned()?;
        }
        loop {
            self.start_ready();
            match self.in_flight.next().await {
                Some(sent) => self.finished.push(sent),
                None if self.ready.is_empty() => break,
                None => {}
            }
        }
        self.record(book, Commit::Durable)
    }

    /// Drops what was planned or made ready but not sent, forgetting the pending creates
    /// among them, so the operational data holds no create that was never sent.
    fn forget_unsent(&mut self) -> Result<(), StoreError> {
        self.planning.clear();
        let unsent: Vec<Planned> = self.ready.drain(..).collect();
        let (run, target, entity_type) = (self.run, self.target, self.entity_type);
        run.store.transaction(|store| {
            for plan in &unsent {
                if let Planned::Create { entity, .. } = plan {
                    store.forget(&RelationKey::new(
                        run.source,
                        &target.name,
                        entity_type.as_str(),
                        &entity.source_id,
                    ))?;
                }
            }
            Ok(())
        })
    }

    /// Keeps what finished without waiting.
    fn collect_finished(&mut self) {
        while let Some(Some(sent)) = self.in_flight.next().now_or_never() {
            self.finished.push(sent);
        }
    }

    /// Starts ready entities while fewer than the target's `in_flight` are; whether any
    /// started.
    fn start_ready(&mut self) -> bool {
        let mut started = false;
        while self.in_flight.len() < self.target.in_flight && !self.run.guard.cancelled() {
            let Some(plan) = self.ready.pop_front() else {
                break;
            };
            let (run, target, entity_type) = (self.run, self.target, self.entity_type);
            let ids = Arc::clone(&self.ids);
            self.in_flight.push(
                async move {
                    let done = send(run, target, entity_type, &plan, &ids).await;
                    (plan, done)
                }
                .boxed_local(),
            );
            started = true;
        }
        started
    }

    /// Records the creates of what was planned as pending, and makes it ready to send.
    fn begin_planned(&mut self) -> Result<(), StoreError> {
        let planned = std::mem::take(&mut self.planning);
        self.begin_creates(&planned)?;
        self.ready.extend(planned);
        Ok(())
    }

    /// Records the creates of `planned` as pending before they are sent. Provisional: a
    /// pending create lost to a power cut before the next durable commit is found again by
    /// the next job as a conflict, as recovery would find it.
    fn begin_creates(&self, planned: &[Planned]) -> Result<(), StoreError> {
        if !planned.iter().any(|p| matches!(p, Planned::Create { .. })) {
            return Ok(());
        }
        let (run, target) = (self.run, self.target);
        run.store.provisional(|store| {
            for plan in planned {
                if let Planned::Create { entity, unique, .. } = plan {
                    store.begin_create(
                        &RelationKey::new(
                            run.source,
                            &target.name,
                            self.entity_type.as_str(),
                            &entity.source_id,
                        ),
                        unique.as_deref(),
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Records what finished, in one transaction committed as `commit` says, and logs it.
    fn record(&mut self, book: &mut LogBook, commit: Commit) -> Result<(), StoreError> {
        self.run.guard.renew()?;
        if self.finished.is_empty() {
            return Ok(());
        }
        let (run, target, entity_type) = (self.run, self.target, self.entity_type);
        let records = |store: &Store| {
            for (plan, done) in &self.finished {
                let key = RelationKey::new(
                    run.source,
                    &target.name,
                    entity_type.as_str(),
                    plan.source_id(),
                );
                match done {
                    Done::Created { id, fingerprint } => {
                        store.record_created(&key, id, fingerprint, false)?
                    }
                    Done::Existing { id, fingerprint } => store.record_created(
                        &key,
                        id,
                        fingerprint.as_deref().unwrap_or(UNKNOWN_FINGERPRINT),
                        true,
                    )?,
                    Done::Updated { fingerprint } => store.record_written(&key, fingerprint)?,
                    Done::NotFound | Done::Failed(_) => {
                        if matches!(plan, Planned::Create { .. }) {
                            store.forget(&key)?;
                        }
                    }
                }
            }
            Ok(())
        };
        match commit {
            Commit::Provisional => run.store.provisional(records)?,
            Commit::Durable => run.store.transaction(records)?,
        }
        for (plan, done) in self.finished.drain(..) {
            let at = run.entry(entity_type, &target.name, plan.source_id());
            let (outcome, content) = match done {
                Done::Created { .. } => (EntityOutcome::Created, plan.body()),
                Done::Existing { .. } | Done::Updated { .. } => {
                    (EntityOutcome::Updated, plan.body())
                }
                Done::NotFound => (
                    EntityOutcome::Skipped(SkipReason::OperationSkipped(
                        Operation::Create.as_str().into(),
                    )),
                    None,
                ),
                Done::Failed(error) => (EntityOutcome::Failed { error }, plan.body()),
            };
            book.write(at, outcome, content);
        }
        Ok(())
    }

    /// A page through `/Bulk` (`ias.support.bulk.operation`, [DOC] §2.4): planned whole, sent
    /// in the target's batches, recorded.
    async fn write_bulk(
        &mut self,
        state: &mut TargetState<'_>,
        entities: &[Arc<Entity>],
        book: &mut LogBook,
    ) -> Result<(), StoreError> {
        let planned: Vec<Planned> = entities
            .iter()
            .filter_map(|entity| plan(self.run, state, self.entity_type, entity, book))
            .collect();
        if planned.is_empty() {
            return Ok(());
        }
        self.begin_creates(&planned)?;
        let sent = send_bulk(self.run, self.target, self.entity_type, planned, &self.ids).await;
        self.finished.extend(sent);
        self.record(book, Commit::Provisional)
    }
}

impl Planned {
    fn entity(&self) -> &Entity {
        match self {
            Planned::Create { entity, .. }
            | Planned::Update { entity, .. }
            | Planned::Adopt { entity } => entity,
        }
    }

    fn source_id(&self) -> &str {
        &self.entity().source_id
    }

    fn body(&self) -> Option<&Value> {
        match self {
            Planned::Create { body, .. } | Planned::Update { body, .. } => Some(body),
            Planned::Adopt { entity } => Some(&entity.value),
        }
    }
}

/// Decides what to do with one entity, and logs what needs no request.
fn plan(
    run: &Run<'_>,
    state: &mut TargetState<'_>,
    entity_type: EntityType,
    entity: &Arc<Entity>,
    book: &mut LogBook,
) -> Option<Planned> {
    let target = state.target;
    let (source_id, input) = (entity.source_id.as_str(), &entity.value);
    let at = run.entry(entity_type, &target.name, source_id);
    let relation = state
        .relations
        .get(source_id)
        .filter(|r| {
            matches!(
                r.state,
                RelationState::Provisioned | RelationState::QueuedForDeletion
            )
        })
        .and_then(|r| Some((r, r.target_id.clone()?)));
    let (action, target_id) = match &relation {
        Some((_, id)) => (Action::Update, Some(id.as_str())),
        None => (Action::Create, None),
    };
    if let Some((relation, _)) = &relation
        && unchanged_since_create(run, target, entity_type, entity, relation, &state.ids)
    {
        state.kept.insert(source_id.to_string());
        return None;
    }
    let context = run.context(action, &state.ids, source_id, target_id);
    match target.engine.apply(entity_type.as_str(), input, &context) {
        Outcome::Written { entity: body, .. } => {
            state.kept.insert(source_id.to_string());
            match relation {
                Some((relation, target_id)) => {
                    let fingerprint = fingerprint(&body);
                    let unchanged = run.job_type == JobType::Read
                        && relation.state == RelationState::Provisioned
                        && relation.fingerprint.as_deref() == Some(fingerprint.as_str());
                    if unchanged {
                        return None;
                    }
                    if run.job_type == JobType::Simulate {
                        book.write(at, EntityOutcome::Updated, Some(&body));
                        return None;
                    }
                    Some(Planned::Update {
                        entity: Arc::clone(entity),
                        target_id,
                        body,
                        fingerprint,
                    })
                }
                None => {
                    if run.job_type == JobType::Simulate {
                        book.write(at, EntityOutcome::Created, Some(&body));
                        return None;
                    }
                    let unique = target.unique_key(entity_type, &body);
                    Some(Planned::Create {
                        entity: Arc::clone(entity),
                        body,
                        unique,
                    })
                }
            }
        }
        Outcome::Skipped { reason }
            if action == Action::Create
                && target.engine.skips(entity_type.as_str(), Operation::Create) =>
        {
            state.kept.insert(source_id.to_string());
            if run.job_type == JobType::Simulate {
                book.write(at, EntityOutcome::Skipped(reason), Some(input));
                return None;
            }
            Some(Planned::Adopt {
                entity: Arc::clone(entity),
            })
        }
        Outcome::Skipped { reason } => {
            let by_condition = matches!(reason, SkipReason::EntityCondition(_));
            if by_condition {
                state.skipped.insert(source_id.to_string(), input.clone());
            } else {
                state.kept.insert(source_id.to_string());
            }
            book.write(at, EntityOutcome::Skipped(reason), Some(input));
            None
        }
        Outcome::Failed { error } => {
            state.kept.insert(source_id.to_string());
            book.write(at, EntityOutcome::Failed { error }, Some(input));
            None
        }
        Outcome::Ignored | Outcome::Delete => None,
    }
}

/// Sends planned entities through `/Bulk` ([DOC] §2.4); what happened to each, in order. An
/// entity the batch cannot carry (an adopted one), or one the answer leaves out, is sent on its
/// own.
async fn send_bulk(
    run: &Run<'_>,
    target: &Target,
    entity_type: EntityType,
    planned: Vec<Planned>,
    ids: &Relations,
) -> Vec<Sent> {
    let mut operations = Vec::new();
    let slots: Vec<Option<usize>> = planned
        .iter()
        .map(|plan| {
            let operation = match plan {
                Planned::Create { body, .. } => target.bulk_create(entity_type, body),
                Planned::Update {
                    target_id, body, ..
                } => target.bulk_update(entity_type, target_id, body),
                Planned::Adopt { .. } => None,
            }?;
            operations.push(operation);
            Some(operations.len() - 1)
        })
        .collect();
    let mut results: Vec<Option<Result<BulkDone, sapland_scim::Error>>> =
        match target.client.bulk(operations).await {
            Ok(results) => results.into_iter().map(|r| Some(r.outcome)).collect(),
            Err(err) => slots
                .iter()
                .flatten()
                .map(|_| Some(Err(err.clone())))
                .collect(),
        };
    let mut sent = Vec::with_capacity(planned.len());
    for (plan, slot) in planned.into_iter().zip(slots) {
        let outcome = slot.and_then(|i| results.get_mut(i).and_then(Option::take));
        let done = match (&plan, outcome) {
            (_, None) => send(run, target, entity_type, &plan, ids).await,
            (Planned::Create { body, .. }, Some(Ok(done))) => match done.id() {
                Some(id) => Done::Created {
                    fingerprint: created(body),
                    id,
                },
                None => Done::Failed("the /Bulk answer names no id for the created entity".into()),
            },
            (Planned::Create { entity, body, .. }, Some(Err(err)))
                if err.is_conflict() && target.conflict_resolution =>
            {
                overwrite_existing(run, target, entity_type, entity, body, ids)
                    .await
                    .unwrap_or_else(|| Done::Failed(err.to_string()))
            }
            (Planned::Update { fingerprint, .. }, Some(Ok(_))) => Done::Updated {
                fingerprint: fingerprint.clone(),
            },
            (_, Some(Err(err))) => Done::Failed(err.to_string()),
            (Planned::Adopt { .. }, Some(Ok(_))) => Done::NotFound,
        };
        sent.push((plan, done));
    }
    sent
}

/// Sends one planned entity and reports what happened.
async fn send(
    run: &Run<'_>,
    target: &Target,
    entity_type: EntityType,
    plan: &Planned,
    ids: &Relations,
) -> Done {
    match plan {
        Planned::Create { entity, body, .. } => match target.create(entity_type, body).await {
            Ok(id) => Done::Created {
                id,
                fingerprint: created(body),
            },
            Err(err) if err.is_conflict() && target.conflict_resolution => {
                overwrite_existing(run, target, entity_type, entity, body, ids)
                    .await
                    .unwrap_or_else(|| Done::Failed(err.to_string()))
            }
            Err(err) => Done::Failed(err.to_string()),
        },
        Planned::Update {
            target_id,
            body,
            fingerprint,
            ..
        } => match target.update(entity_type, target_id, body).await {
            Ok(()) => Done::Updated {
                fingerprint: fingerprint.clone(),
            },
            Err(err) => Done::Failed(err.to_string()),
        },
        Planned::Adopt { entity } => {
            let context = run.context(Action::Update, ids, &entity.source_id, None);
            let probe = match target
                .engine
                .apply(entity_type.as_str(), &entity.value, &context)
            {
                Outcome::Written { entity, .. } => entity,
                _ => return Done::NotFound,
            };
            overwrite_existing(run, target, entity_type, entity, &probe, ids)
                .await
                .unwrap_or(Done::NotFound)
        }
    }
}

/// Finds the entity `body` conflicts with by the unique attributes and overwrites it with the
/// update transformation (§2.4); `None` when no single entity is found.
async fn overwrite_existing(
    run: &Run<'_>,
    target: &Target,
    entity_type: EntityType,
    entity: &Entity,
    body: &Value,
    ids: &Relations,
) -> Option<Done> {
    let id = match target.find_existing(entity_type, body).await {
        Ok(Some(id)) => id,
        Ok(None) => return None,
        Err(err) => return Some(Done::Failed(err.to_string())),
    };
    let context = run.context(Action::Update, ids, &entity.source_id, Some(&id));
    let update = match target
        .engine
        .apply(entity_type.as_str(), &entity.value, &context)
    {
        Outcome::Written { entity, .. } => entity,
        Outcome::Failed { error } => return Some(Done::Failed(error)),
        _ => return None,
    };
    Some(match target.update(entity_type, &id, &update).await {
        Ok(()) => Done::Existing {
            fingerprint: Some(fingerprint(&update)),
            id,
        },
        Err(err) => Done::Failed(err.to_string()),
    })
}

/// Whether a Read finds an entity its job created as the create left it: its last write was
/// a create, and the create transformation of the entity as it is now gives the same body.
/// An entity whose last write was an update, or that changed, is compared by its update.
fn unchanged_since_create(
    run: &Run<'_>,
    target: &Target,
    entity_type: EntityType,
    entity: &Entity,
    relation: &Relation,
    ids: &Relations,
) -> bool {
    let Some(created) = relation.fingerprint.as_deref().and_then(of_create) else {
        return false;
    };
    if run.job_type != JobType::Read || relation.state != RelationState::Provisioned {
        return false;
    }
    let context = run.context(Action::Create, ids, &entity.source_id, None);
    match target
        .engine
        .apply(entity_type.as_str(), &entity.value, &context)
    {
        Outcome::Written { entity, .. } => fingerprint(&entity) == created,
        _ => false,
    }
}
