//! The loop guard: who made a change, and the capture of the user changes each write request
//! (or CSV import) makes, so changes of provisioning jobs are never pushed back.

use std::cell::RefCell;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use super::change::UserChange;
use crate::routes::TenantState;

/// The header that marks a write as a provisioning job's (**proposed**): its changes are not
/// pushed in real time.
pub const PROVISIONING_JOB_HEADER: &str = "x-sapland-provisioning-job";

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A SCIM v1, v2 or Bulk request of an administrator or client.
    Scim,
    /// A CSV upload on the admin surface.
    CsvImport,
    /// A provisioning job (the request carried [`PROVISIONING_JOB_HEADER`] with this job id).
    ProvisioningJob(String),
}

impl Origin {
    /// The name the delivery log shows.
    pub(super) fn label(&self) -> &'static str {
        match self {
            Origin::Scim => "SCIM",
            Origin::CsvImport => "CSV import",
            Origin::ProvisioningJob(_) => "provisioning job",
        }
    }

    /// Whether changes of this origin are pushed ([DOC] §4: not those of provisioning jobs).
    pub(super) fn is_pushed(&self) -> bool {
        !matches!(self, Origin::ProvisioningJob(_))
    }
}

/// The changes one request (or import) makes, and who makes them.
struct Capture {
    origin: Origin,
    changes: RefCell<Vec<UserChange>>,
}

tokio::task_local! {
    static CAPTURE: Capture;
}

/// Records a user change for the real-time pushes of the request in progress. Outside a
/// capturing request (seeding, state import, tests) and for provisioning-job writes it does
/// nothing, and `change` is not even computed. `Directory` calls it after each successful user
/// write.
pub(crate) fn record(change: impl FnOnce() -> UserChange) {
    let _ = CAPTURE.try_with(|capture| {
        if capture.origin.is_pushed() {
            let change = change();
            capture.changes.borrow_mut().push(change);
        }
    });
}

/// Runs `f` capturing the user changes it makes, as from `origin` (synchronous callers such as
/// the CSV import).
pub(crate) fn capture_sync<R>(origin: Origin, f: impl FnOnce() -> R) -> (R, Vec<UserChange>) {
    let capture = Capture {
        origin,
        changes: RefCell::new(Vec::new()),
    };
    CAPTURE.sync_scope(capture, || {
        let result = f();
        let changes = CAPTURE.with(|capture| capture.changes.take());
        (result, changes)
    })
}

/// The layer on a tenant's router: a write request runs with its origin captured; once the
/// handler has answered, the changes it made are queued for the tenant's targets. The answer is
/// not delayed by the pushes.
pub async fn capture(State(state): State<TenantState>, request: Request, next: Next) -> Response {
    let writes = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let realtime = state.tenant.realtime();
    if !writes || !realtime.has_targets() {
        return next.run(request).await;
    }
    let origin = match request.headers().get(PROVISIONING_JOB_HEADER) {
        Some(job) => Origin::ProvisioningJob(String::from_utf8_lossy(job.as_bytes()).into_owned()),
        None => Origin::Scim,
    };
    let capture = Capture {
        origin: origin.clone(),
        changes: RefCell::new(Vec::new()),
    };
    let (response, changes) = CAPTURE
        .scope(capture, async move {
            let response = next.run(request).await;
            let changes = CAPTURE.with(|capture| capture.changes.take());
            (response, changes)
        })
        .await;
    realtime.dispatch(changes, &origin, &state.kit.clock);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{Directory, Uniqueness};
    use crate::realtime::change::Operation;
    use crate::realtime::fixtures::{now, user};

    #[test]
    fn changes_are_captured_per_origin_and_job_writes_are_not() {
        let mut directory = Directory::new("https://ias", Uniqueness::default(), 1);
        let ((), changes) = capture_sync(Origin::Scim, || {
            let created = directory.create_user(user("amy"), now()).unwrap();
            let id = created["id"].as_str().unwrap().to_string();
            directory.replace_user(&id, user("amy"), now()).unwrap();
            directory.delete_user(&id).unwrap();
        });
        let operations: Vec<Operation> = changes.iter().map(|c| c.operation).collect();
        assert_eq!(
            operations,
            [Operation::Create, Operation::Update, Operation::Delete]
        );
        assert_eq!(changes[0].user_name.as_deref(), Some("amy"));
        assert_eq!(changes[0].v2.as_ref().unwrap()["userName"], "amy");
        assert_eq!(changes[0].user_id.as_deref(), Some("P000001"));
        assert_eq!(changes[0].v1.as_ref().unwrap()["id"], "P000001");
        assert_eq!(changes[2].user_id.as_deref(), Some("P000001"));

        let (_, changes) = capture_sync(Origin::ProvisioningJob("job-1".into()), || {
            directory.create_user(user("ben"), now()).unwrap()
        });
        assert!(changes.is_empty());
        // Outside any capture (seeding, state import) nothing is recorded and nothing fails.
        directory.create_user(user("cy"), now()).unwrap();
    }
}
