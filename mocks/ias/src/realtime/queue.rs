//! The per-tenant push queue: [`Realtime`] holds a tenant's targets and its delivery log, and
//! hands each change for each target to one background task that pushes them in order.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use jiff::Timestamp;
use sapland_core::scim::Secret;
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::ids::IdGenerator;
use tokio::sync::{mpsc, watch};

use super::capture::Origin;
use super::change::UserChange;
use super::delivery::{Delivery, DeliveryLog};
use super::push::{failed_before_sending, push};
use super::target::Target;

/// One push waiting in the queue.
#[derive(Debug)]
pub(super) struct Job {
    /// The reset generation the job was queued in.
    pub(super) generation: u64,
    /// The change to push.
    pub(super) change: Arc<UserChange>,
    /// The target to push it to.
    pub(super) target: Arc<Target>,
    /// Who made the change, as the delivery log names it.
    pub(super) origin: &'static str,
    /// The landscape clock deliveries are timed on.
    pub(super) clock: Clock,
}

/// What the push task and the tenant share.
#[derive(Debug)]
pub(super) struct Shared {
    /// Bumped by reset: queued jobs of an older generation are dropped.
    pub(super) generation: AtomicU64,
    /// The delivery log.
    deliveries: Mutex<DeliveryLog>,
    /// How many jobs are queued or being pushed.
    pending: watch::Sender<usize>,
    /// CA certificates (PEM) pushes trust; empty means the platform's roots.
    pub(super) trust: RwLock<Vec<String>>,
    /// HTTP clients: `None` for the shared one, a target id for a certificate target's own.
    pub(super) clients: Mutex<HashMap<Option<String>, reqwest::Client>>,
    /// OAuth tokens by target id, with their expiry on the landscape clock.
    pub(super) tokens: Mutex<HashMap<String, (Secret, Timestamp)>>,
}

/// Locks a mutex, going on with the data of a holder that panicked.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A tenant's real-time provisioning: its targets, the push queue and the delivery log.
#[derive(Debug)]
pub struct Realtime {
    seed: u64,
    targets: RwLock<Vec<Arc<Target>>>,
    ids: Mutex<IdGenerator>,
    queue: Mutex<Option<mpsc::UnboundedSender<Job>>>,
    shared: Arc<Shared>,
}

impl Realtime {
    /// No targets, an empty log; target ids follow `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            targets: RwLock::new(Vec::new()),
            ids: Mutex::new(IdGenerator::derived(seed, "ias.realtime.targets")),
            queue: Mutex::new(None),
            shared: Arc::new(Shared {
                generation: AtomicU64::new(0),
                deliveries: Mutex::new(DeliveryLog::default()),
                pending: watch::Sender::new(0),
                trust: RwLock::new(Vec::new()),
                clients: Mutex::new(HashMap::new()),
                tokens: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Forgets targets, deliveries and tokens; pushes still queued are dropped. The trusted CAs
    /// stay (they belong to the landscape, not the tenant's configuration).
    pub fn reset(&self) {
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        self.targets
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        *lock(&self.ids) = IdGenerator::derived(self.seed, "ias.realtime.targets");
        *lock(&self.shared.deliveries) = DeliveryLog::default();
        lock(&self.shared.tokens).clear();
        lock(&self.shared.clients).clear();
    }

    /// Trusts a CA certificate (PEM) for pushes over TLS, such as the landscape CA.
    pub fn trust(&self, ca_pem: &str) {
        self.shared
            .trust
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(ca_pem.to_string());
        lock(&self.shared.clients).clear();
    }

    /// Whether the tenant has any target.
    pub fn has_targets(&self) -> bool {
        !self
            .targets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }

    /// The targets.
    pub fn targets(&self) -> Vec<Arc<Target>> {
        self.targets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Reads and adds a target from a registration body; answers it with its id.
    pub fn add_target(&self, body: &str) -> Result<Arc<Target>, String> {
        let id = lock(&self.ids).uuid();
        let target = Arc::new(Target::parse(body, id)?);
        self.targets
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(target.clone());
        Ok(target)
    }

    /// Removes a target; false when there is none with this id.
    pub fn remove_target(&self, id: &str) -> bool {
        let mut targets = self.targets.write().unwrap_or_else(PoisonError::into_inner);
        let before = targets.len();
        targets.retain(|t| t.id != id);
        let removed = targets.len() != before;
        if removed {
            lock(&self.shared.tokens).remove(id);
            lock(&self.shared.clients).remove(&Some(id.to_string()));
        }
        removed
    }

    /// The delivery log, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.shared.deliveries).entries().cloned().collect()
    }

    /// How many pushes are queued or under way.
    pub fn pending(&self) -> usize {
        *self.shared.pending.borrow()
    }

    /// Returns once no push is queued or under way.
    pub async fn flush(&self) {
        let mut pending = self.shared.pending.subscribe();
        let _ = pending.wait_for(|n| *n == 0).await;
    }

    /// Queues a push of each change to each target. Provisioning-job changes never get here
    /// (`record` drops them); `origin` only labels the deliveries.
    pub fn dispatch(&self, changes: Vec<UserChange>, origin: &Origin, clock: &Clock) {
        if changes.is_empty() || !origin.is_pushed() {
            return;
        }
        let targets = self.targets();
        let generation = self.shared.generation.load(Ordering::SeqCst);
        for change in changes {
            let change = Arc::new(change);
            for target in &targets {
                self.enqueue(Job {
                    generation,
                    change: change.clone(),
                    target: target.clone(),
                    origin: origin.label(),
                    clock: clock.clone(),
                });
            }
        }
    }

    /// Hands a job to the push task, starting one on the current runtime when there is none
    /// (or the runtime it ran on has gone).
    fn enqueue(&self, job: Job) {
        self.shared.pending.send_modify(|n| *n += 1);
        let mut queue = lock(&self.queue);
        let job = match queue.as_ref() {
            Some(sender) => match sender.send(job) {
                Ok(()) => return,
                Err(mpsc::error::SendError(job)) => job,
            },
            None => job,
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let (sender, receiver) = mpsc::unbounded_channel();
                runtime.spawn(push_all(self.shared.clone(), receiver));
                let _ = sender.send(job);
                *queue = Some(sender);
            }
            Err(_) => {
                drop(queue);
                let delivery = failed_before_sending(&job, "no async runtime to push on");
                self.shared.log(job.generation, delivery);
                self.shared
                    .pending
                    .send_modify(|n| *n = n.saturating_sub(1));
            }
        }
    }
}

impl Shared {
    /// Adds a delivery to the log unless a reset happened since the job was queued.
    pub(super) fn log(&self, generation: u64, delivery: Delivery) {
        let mut log = lock(&self.deliveries);
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        log.append(delivery);
    }
}

/// The push task of a tenant: takes jobs in order and pushes each.
async fn push_all(shared: Arc<Shared>, mut jobs: mpsc::UnboundedReceiver<Job>) {
    while let Some(job) = jobs.recv().await {
        if job.generation == shared.generation.load(Ordering::SeqCst) {
            let delivery = push(&shared, &job).await;
            shared.log(job.generation, delivery);
        }
        shared.pending.send_modify(|n| *n = n.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::delivery::FINISHED_WITH_ERROR;
    use crate::realtime::fixtures::{BASIC, now, user};

    #[test]
    fn the_log_keeps_deliveries_of_the_current_generation_only() {
        let realtime = Realtime::new(1);
        let target = Arc::new(Target::parse(BASIC, "t".into()).unwrap());
        let job = Job {
            generation: 0,
            change: Arc::new(UserChange::deleted("u1", &user("amy"))),
            target,
            origin: "SCIM",
            clock: Clock::manual(now()),
        };
        realtime
            .shared
            .log(0, failed_before_sending(&job, "the target answered 500"));
        let deliveries = realtime.deliveries();
        assert_eq!(deliveries.len(), 1);
        let view = deliveries[0].view();
        assert_eq!(view["state"], FINISHED_WITH_ERROR);
        assert_eq!(view["entityState"], "Entity Failed");
        assert_eq!(view["operation"], "DELETE");
        assert_eq!(view["time"], "2026-11-22T09:00:00Z");
        realtime.reset();
        realtime.shared.log(0, failed_before_sending(&job, "late"));
        assert!(realtime.deliveries().is_empty());
    }
}
