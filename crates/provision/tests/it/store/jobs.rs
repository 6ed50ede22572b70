//! Jobs, their logs (`ips-ias.md` §2.6) and the job lock.

use jiff::SignedDuration;
use sapland_core::job::{
    Action, EntityLogRecord, EntityOutcome, Job, JobStatus, JobType, ReadMode, SkipReason,
    TriggerType,
};
use sapland_provision::store::{DEFAULT_LEASE, LogFilter, LogKind, Store, StoreError};
use serde_json::json;

use super::support::{at, fresh, reopen};

const SOURCE: &str = "IAS Source";

fn job(id: &str, start: i64) -> Job {
    Job::start(
        id,
        SOURCE,
        JobType::Read,
        TriggerType::Repeat,
        ReadMode::Delta,
        at(start),
    )
}

fn record(id: &str, outcome: EntityOutcome) -> EntityLogRecord {
    EntityLogRecord {
        entity_type: "user".to_string(),
        entity_id: id.to_string(),
        system: "IAS Target".to_string(),
        time: Some(at(1)),
        outcome,
        content: None,
    }
}

// ips-ias.md §2.6: job details — type, read mode, trigger, triggered by, times, error
// message, outcome, statistics per entity type × system.
#[test]
fn a_job_round_trips_with_its_statistics_and_status() {
    let (store, clock, dir) = fresh();
    let mut job = job("j1", 0);
    job.triggered_by = Some("P000000".to_string());
    assert_eq!(store.start_job(&job, DEFAULT_LEASE).unwrap(), None);
    assert_eq!(store.job("j1").unwrap().unwrap(), job);

    let failed = record(
        "u2",
        EntityOutcome::Failed {
            error: "409, uniqueness".to_string(),
        },
    );
    job.record(record("u1", EntityOutcome::Created), Action::Write);
    job.record(failed, Action::Write);
    job.outcome
        .push("Deletion skipped: the job was a delta read".to_string());
    store.update_job(&job).unwrap();
    job.finish(at(60));
    store.finish_job(&job).unwrap();

    let stored = reopen(&dir, &clock).job("j1").unwrap().unwrap();
    assert_eq!(stored.status, JobStatus::FinishedWithError);
    assert_eq!(stored.end_time, Some(at(60)));
    assert_eq!(stored.statistics, job.statistics);
    assert_eq!(stored.outcome, job.outcome);
    assert!(
        stored.entities.is_empty(),
        "log records are read with logs()"
    );
    assert_eq!(store.job("nope").unwrap(), None);
    assert!(
        store.job_lock(SOURCE).unwrap().is_none(),
        "finishing releases the lock"
    );
}

// ips-ias.md §2.6: downloads per kind — created, updated, deleted, skipped, failed entities.
#[test]
fn log_records_are_appended_in_batches_and_read_by_kind_in_order() {
    let (store, _clock, _dir) = fresh();
    store.start_job(&job("j1", 0), DEFAULT_LEASE).unwrap();
    let first = vec![
        record("u1", EntityOutcome::Read),
        record("u1", EntityOutcome::Created),
        record(
            "u2",
            EntityOutcome::Skipped(SkipReason::EntityCondition("$.emails EMPTY false".into())),
        ),
    ];
    let mut failed = record(
        "u3",
        EntityOutcome::Failed {
            error: "409, uniqueness".into(),
        },
    );
    failed.content = Some(json!({"userName": "carol", "emails": [{"value": "c@x"}]}));
    let second = vec![
        failed.clone(),
        record(
            "u4",
            EntityOutcome::Skipped(SkipReason::OperationSkipped("delete".into())),
        ),
        record(
            "u5",
            EntityOutcome::Skipped(SkipReason::Other("why".into())),
        ),
        record("u6", EntityOutcome::Updated),
        record("u7", EntityOutcome::Deleted),
    ];
    store.append_logs("j1", &first).unwrap();
    store.append_logs("j1", &second).unwrap();

    let all = store.logs("j1", &LogFilter::all()).unwrap();
    assert_eq!(all, [first, second].concat(), "every field round-trips");
    let skipped: Vec<String> = store
        .logs("j1", &LogFilter::kind(LogKind::Skipped))
        .unwrap()
        .into_iter()
        .map(|r| r.entity_id)
        .collect();
    assert_eq!(skipped, ["u2", "u4", "u5"]);
    let page = store
        .logs("j1", &LogFilter::kind(LogKind::Skipped).offset(1).limit(1))
        .unwrap();
    assert_eq!(page[0].entity_id, "u4");
    assert_eq!(
        store.logs("j1", &LogFilter::kind(LogKind::Failed)).unwrap(),
        [failed]
    );
    assert_eq!(store.count_logs("j1", None).unwrap(), 8);
    assert_eq!(store.count_logs("j1", Some(LogKind::Skipped)).unwrap(), 3);
    assert!(matches!(
        store.append_logs("nope", &[]).unwrap_err(),
        StoreError::UnknownJob { .. }
    ));
}

#[test]
fn jobs_are_listed_newest_first() {
    let (store, _clock, _dir) = fresh();
    for (id, start) in [("j1", 0), ("j2", 10), ("j3", 10)] {
        let mut job = job(id, start);
        store.start_job(&job, DEFAULT_LEASE).unwrap();
        job.finish(at(start + 1));
        store.finish_job(&job).unwrap();
    }
    let mut other = job("x1", 99);
    other.source_system = "Other".to_string();
    store.start_job(&other, DEFAULT_LEASE).unwrap();

    let ids: Vec<String> = store
        .jobs(SOURCE, 10)
        .unwrap()
        .into_iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(ids, ["j3", "j2", "j1"]);
    assert_eq!(store.jobs(SOURCE, 1).unwrap().len(), 1);
    assert_eq!(store.last_job(SOURCE).unwrap().unwrap().id, "j3");
    assert_eq!(store.last_job("Nobody").unwrap(), None);
}

#[test]
fn two_jobs_of_one_source_cannot_run_at_once() {
    let (store, _clock, _dir) = fresh();
    let first = job("j1", 0);
    store.start_job(&first, DEFAULT_LEASE).unwrap();
    let err = store.start_job(&job("j2", 1), DEFAULT_LEASE).unwrap_err();
    let StoreError::JobRunning {
        host, lease_until, ..
    } = &err
    else {
        panic!("{err}");
    };
    assert_eq!(*lease_until, Some(at(300)), "five minutes from the start");
    assert_eq!(
        err.to_string(),
        format!(
            "source system \"IAS Source\" has a job running (job j1, process {}{}, lease until \
             2026-11-22T09:05:00Z); two jobs of one source system cannot run at once",
            std::process::id(),
            host.as_ref()
                .map(|h| format!(" on {h}"))
                .unwrap_or_default()
        )
    );
    assert_eq!(
        store.job("j2").unwrap(),
        None,
        "the refused job is not recorded"
    );
    let lock = store.job_lock(SOURCE).unwrap().unwrap();
    assert_eq!((lock.job_id.as_str(), lock.alive), ("j1", true));

    let mut other_source = job("x1", 0);
    other_source.source_system = "Other".to_string();
    store
        .start_job(&other_source, DEFAULT_LEASE)
        .expect("another source runs beside it");

    store.finish_job(&first).unwrap();
    store.start_job(&job("j2", 1), DEFAULT_LEASE).unwrap();
    assert!(matches!(
        store.start_job(&job("j2", 2), DEFAULT_LEASE).unwrap_err(),
        StoreError::DuplicateJob { .. }
    ));
}

#[test]
fn a_live_lock_cannot_be_broken_by_hand() {
    let (store, clock, _dir) = fresh();
    store.start_job(&job("j1", 0), DEFAULT_LEASE).unwrap();
    clock.advance(30);
    let err = store.unlock(SOURCE).unwrap_err();
    assert!(matches!(err, StoreError::JobRunning { .. }), "{err}");
    let lock = store.job_lock(SOURCE).unwrap().expect("still held");
    assert!(lock.alive);
    assert_eq!(
        store.job("j1").unwrap().unwrap().status,
        JobStatus::Running,
        "the refused unlock changed nothing"
    );
    assert_eq!(
        store.unlock("Other").unwrap(),
        None,
        "no lock, nothing to do"
    );
}

/// A lock whose lease ran out is not live, even while its process runs (a stalled or
/// restarted agent, one in a container whose host name changed): the next job takes it over,
/// and `unlock` breaks it.
#[test]
fn a_lock_whose_lease_ran_out_is_taken_over() {
    let (store, clock, _dir) = fresh();
    store
        .start_job(&job("j1", 0), SignedDuration::from_secs(60))
        .unwrap();
    clock.advance(59);
    assert!(store.job_lock(SOURCE).unwrap().unwrap().alive);
    assert!(store.start_job(&job("j2", 59), DEFAULT_LEASE).is_err());
    clock.advance(1);
    let lock = store.job_lock(SOURCE).unwrap().unwrap();
    assert!(!lock.alive, "the lease ran out at 60 s");
    let taken = store.start_job(&job("j3", 60), DEFAULT_LEASE).unwrap();
    assert_eq!(taken.map(|lock| lock.job_id), Some("j1".to_string()));
    let ended = store.job("j1").unwrap().unwrap();
    assert_eq!(ended.status, JobStatus::FinishedWithError);
    assert_eq!(
        ended.error_message.as_deref(),
        Some(Store::STOPPED_JOB_ERROR)
    );
}

#[test]
fn a_renewed_lease_keeps_the_lock_and_a_lost_one_says_so() {
    let (store, clock, _dir) = fresh();
    let lease = SignedDuration::from_secs(60);
    store.start_job(&job("j1", 0), lease).unwrap();
    clock.advance(50);
    assert_eq!(store.renew_job_lock(SOURCE, "j1", lease).unwrap(), at(110));
    clock.advance(50);
    assert!(
        store.job_lock(SOURCE).unwrap().unwrap().alive,
        "renewed at 50 s"
    );
    clock.advance(20);
    let lock = store.unlock(SOURCE).unwrap().expect("expired at 110 s");
    assert_eq!(lock.job_id, "j1");
    assert_eq!(store.job("j1").unwrap().unwrap().end_time, Some(at(120)));
    let err = store.renew_job_lock(SOURCE, "j1", lease).unwrap_err();
    assert!(matches!(err, StoreError::LockLost { .. }), "{err}");
    store.start_job(&job("j2", 130), DEFAULT_LEASE).unwrap();
}

#[test]
fn an_abandoned_job_ends_with_its_error_and_frees_the_lock() {
    let (store, clock, _dir) = fresh();
    let running = job("j1", 0);
    store.start_job(&running, DEFAULT_LEASE).unwrap();
    clock.advance(5);
    store.abandon_job(&running, "the disk is full").unwrap();
    let ended = store.job("j1").unwrap().unwrap();
    assert_eq!(ended.status, JobStatus::FinishedWithError);
    assert_eq!(ended.error_message.as_deref(), Some("the disk is full"));
    assert_eq!(ended.end_time, Some(at(5)));
    assert_eq!(store.job_lock(SOURCE).unwrap(), None);
}
