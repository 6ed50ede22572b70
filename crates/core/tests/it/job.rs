//! Jobs and job logs (reference/ips-ias.md §2.1, §2.6 [DOC]).

use jiff::Timestamp;
use sapland_core::job::{
    Action, EntityLogRecord, EntityOutcome, Job, JobStatus, JobType, ReadMode, SkipReason,
    TriggerType,
};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn record(id: &str, system: &str, outcome: EntityOutcome) -> EntityLogRecord {
    EntityLogRecord {
        entity_type: "user".into(),
        entity_id: id.into(),
        system: system.into(),
        time: Some(at("2026-11-22T10:00:05Z")),
        outcome,
        content: None,
    }
}

/// [DOC] Resync and Simulate are always full reads.
#[test]
fn resync_and_simulate_always_read_in_full() {
    let job = Job::start(
        "j1",
        "HR",
        JobType::Resync,
        TriggerType::Immediate,
        ReadMode::Delta,
        at("2026-11-22T10:00:00Z"),
    );
    assert_eq!(job.read_mode, ReadMode::Full);
    let job = Job::start(
        "j2",
        "HR",
        JobType::Read,
        TriggerType::Repeat,
        ReadMode::Delta,
        at("2026-11-22T10:00:00Z"),
    );
    assert_eq!(job.read_mode, ReadMode::Delta);
    assert!(!JobType::Simulate.writes() && JobType::Simulate.forces_full_read());
}

/// [DOC] Running → Running with Error on the first failed entity → Finished with Error.
#[test]
fn a_failed_entity_moves_the_status_and_the_statistics() {
    let mut job = Job::start(
        "j1",
        "HR",
        JobType::Read,
        TriggerType::Immediate,
        ReadMode::Full,
        at("2026-11-22T10:00:00Z"),
    );
    job.record(record("u1", "HR", EntityOutcome::Read), Action::Read);
    job.record(record("u1", "IAS", EntityOutcome::Created), Action::Write);
    assert_eq!(job.status, JobStatus::Running);
    job.record(
        record(
            "u2",
            "IAS",
            EntityOutcome::Failed {
                error: "409, uniqueness".into(),
            },
        ),
        Action::Write,
    );
    assert_eq!(job.status, JobStatus::RunningWithError);
    job.finish(at("2026-11-22T10:01:00Z"));
    assert_eq!(job.status, JobStatus::FinishedWithError);
    assert_eq!(job.status.to_string(), "Finished with Error");
    let target = job
        .statistics
        .iter()
        .find(|r| r.action == Action::Write)
        .unwrap();
    assert_eq!((target.created, target.failed), (1, 1));
    assert_eq!(job.failed_entities().count(), 1);
}

#[test]
fn a_clean_job_ends_in_success_and_a_final_status_stays() {
    let mut job = Job::start(
        "j1",
        "HR",
        JobType::Read,
        TriggerType::Immediate,
        ReadMode::Full,
        at("2026-11-22T10:00:00Z"),
    );
    job.finish(at("2026-11-22T10:00:01Z"));
    assert_eq!(job.status, JobStatus::Success);
    assert_eq!(
        JobStatus::ManuallyTerminated.after_failure().finished(),
        JobStatus::ManuallyTerminated
    );
    assert!(!JobStatus::PendingRestart.is_final());
}

/// [DOC] job details show at most 10 failed entities.
#[test]
fn at_most_ten_failed_entities_are_shown() {
    let mut job = Job::start(
        "j1",
        "HR",
        JobType::Read,
        TriggerType::Immediate,
        ReadMode::Full,
        at("2026-11-22T10:00:00Z"),
    );
    for i in 0..12 {
        job.record(
            record(
                &format!("u{i}"),
                "IAS",
                EntityOutcome::Failed {
                    error: "boom".into(),
                },
            ),
            Action::Write,
        );
    }
    assert_eq!(job.failed_entities().count(), 10);
    assert_eq!(job.statistics[0].failed, 12);
}

/// [DOC] the skip reason texts and record layout of IPS log downloads.
#[test]
fn log_records_use_the_ips_text_layout() {
    let condition = "($.emails EMPTY false) && ($.userName EMPTY false)";
    let skipped = EntityLogRecord {
        time: None,
        ..record(
            "u1",
            "IAS.target",
            EntityOutcome::Skipped(SkipReason::EntityCondition(condition.into())),
        )
    };
    assert_eq!(
        skipped.to_string(),
        format!(
            "user:u1,\nsystem=IAS.target,\nskip reason=Entity condition [{condition}] is not fulfilled"
        )
    );
    let delete_skipped = record(
        "u2",
        "IAS",
        EntityOutcome::Skipped(SkipReason::OperationSkipped("delete".into())),
    );
    assert!(
        delete_skipped
            .to_string()
            .ends_with("skip reason=Operation [delete] is skipped in target transformation")
    );
    let failed = record(
        "u3",
        "IAS",
        EntityOutcome::Failed {
            error: "409, uniqueness".into(),
        },
    );
    assert_eq!(
        failed.to_string(),
        "user:u3,\nsystem=IAS,\ntime=2026-11-22T10:00:05Z\nerror=409, uniqueness\ncontent=null"
    );
}

#[test]
fn job_serializes_with_the_log_texts() {
    let job = Job::start(
        "j1",
        "HR",
        JobType::Simulate,
        TriggerType::Repeat,
        ReadMode::Full,
        at("2026-11-22T10:00:00Z"),
    );
    let json = serde_json::to_value(&job).unwrap();
    assert_eq!(json["jobType"], "SIMULATE");
    assert_eq!(json["triggerType"], "REPEAT");
    assert_eq!(json["readMode"], "Full Read");
    assert_eq!(json["status"], "Running");
    let back: Job = serde_json::from_value(json).unwrap();
    assert_eq!(back, job);
}
