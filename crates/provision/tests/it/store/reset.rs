//! Resetting a system (`ips-ias.md` §2.3).

use sapland_core::job::{Job, JobType, ReadMode, TriggerType};
use sapland_provision::store::{DEFAULT_LEASE, RelationKey, ResetSummary, StoreError};

use super::support::{at, fresh};

// ips-ias.md §2.3 reset: deletes all operational data for that system (as source or target);
// the next job behaves like reading it for the first time.
#[test]
fn reset_removes_the_systems_relations_and_read_history_only() {
    let (store, _clock, _dir) = fresh();
    let created = |source, target, id| {
        store
            .record_created(
                &RelationKey::new(source, target, "user", id),
                "T",
                "fp",
                false,
            )
            .unwrap();
    };
    created("IAS Source", "IAS Target", "1");
    created("IAS Source", "IAS Target", "2");
    created("HR", "IAS Source", "3");
    created("HR", "IAS Target", "4");
    store
        .record_successful_read("IAS Source", ReadMode::Full, at(0), TriggerType::Immediate)
        .unwrap();
    store
        .record_successful_read("HR", ReadMode::Full, at(0), TriggerType::Immediate)
        .unwrap();

    let summary = store.reset_system("IAS Source").unwrap();
    assert_eq!(
        summary,
        ResetSummary {
            relations_as_source: 2,
            relations_as_target: 1,
            read_history: true,
        }
    );
    assert!(
        store
            .relations("IAS Source", "IAS Target", "user")
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.relations("HR", "IAS Target", "user").unwrap().len(),
        1
    );
    assert_eq!(store.source_state("IAS Source").unwrap().last_read, None);
    assert_eq!(store.source_state("HR").unwrap().last_read, Some(at(0)));
    assert_eq!(
        store.reset_system("IAS Source").unwrap(),
        ResetSummary::default()
    );
}

#[test]
fn reset_waits_for_a_running_job_of_the_system() {
    let (store, _clock, _dir) = fresh();
    let job = Job::start(
        "j1",
        "IAS Source",
        JobType::Read,
        TriggerType::Immediate,
        ReadMode::Full,
        at(0),
    );
    store.start_job(&job, DEFAULT_LEASE).unwrap();
    let err = store.reset_system("IAS Source").unwrap_err();
    assert!(matches!(err, StoreError::JobRunning { .. }), "{err}");
}
