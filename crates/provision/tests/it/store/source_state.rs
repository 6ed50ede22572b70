//! Read modes and the delta watermark (`ips-ias.md` §2.2); trace properties that reset after
//! the next job (§2.6).

use sapland_core::job::{JobType, ReadMode, TriggerType};
use sapland_provision::store::{SourceState, TRACE_CONTENT_PROPERTIES};

use super::support::{at, fresh, reopen};

const SOURCE: &str = "IAS Source";

// ips-ias.md §2.2: "First job is always full"; delta reads only what changed since the last
// successful job, whose start time is the watermark.
#[test]
fn the_first_job_reads_in_full_and_success_sets_the_watermark() {
    let (store, clock, dir) = fresh();
    let state = store.source_state(SOURCE).unwrap();
    assert_eq!(state, SourceState::default());
    assert_eq!(
        state.next_read_mode(JobType::Read, true, None, TriggerType::Repeat),
        ReadMode::Full
    );
    store
        .record_successful_read(SOURCE, ReadMode::Full, at(0), TriggerType::Repeat)
        .unwrap();
    let state = reopen(&dir, &clock).source_state(SOURCE).unwrap();
    assert_eq!(state.last_read, Some(at(0)));
    assert_eq!(state.last_full_read, Some(at(0)));
    assert_eq!(
        state.next_read_mode(JobType::Read, true, None, TriggerType::Repeat),
        ReadMode::Delta
    );
    let state = store
        .record_successful_read(SOURCE, ReadMode::Delta, at(3600), TriggerType::Repeat)
        .unwrap();
    assert_eq!(state.last_read, Some(at(3600)), "the watermark moves");
    assert_eq!(state.last_full_read, Some(at(0)));
    assert_eq!(state.delta_reads_since_full, 1);
}

// ips-ias.md §2.2: Resync (and Simulate, Validate) always read in full; without
// ips.delta.read=enabled every read is full.
#[test]
fn resync_and_disabled_delta_read_in_full() {
    let state = SourceState {
        last_full_read: Some(at(0)),
        last_read: Some(at(0)),
        delta_reads_since_full: 0,
    };
    for job_type in [JobType::Resync, JobType::Simulate, JobType::Validate] {
        assert_eq!(
            state.next_read_mode(job_type, true, None, TriggerType::Immediate),
            ReadMode::Full
        );
    }
    assert_eq!(
        state.next_read_mode(JobType::Read, false, None, TriggerType::Immediate),
        ReadMode::Full
    );
}

// ips-ias.md §2.2: ips.full.read.force.count=N ⇒ after N delta reads one full read; applies
// only to scheduled runs; a failed full read ⇒ full reads until one succeeds.
#[test]
fn force_count_makes_every_nth_scheduled_read_full() {
    let (store, _clock, _dir) = fresh();
    store
        .record_successful_read(SOURCE, ReadMode::Full, at(0), TriggerType::Repeat)
        .unwrap();
    for n in 1..=2 {
        let state = store.source_state(SOURCE).unwrap();
        assert_eq!(
            state.next_read_mode(JobType::Read, true, Some(2), TriggerType::Repeat),
            ReadMode::Delta
        );
        store
            .record_successful_read(SOURCE, ReadMode::Delta, at(n), TriggerType::Repeat)
            .unwrap();
    }
    store
        .record_successful_read(SOURCE, ReadMode::Delta, at(3), TriggerType::Immediate)
        .unwrap();
    let state = store.source_state(SOURCE).unwrap();
    assert_eq!(
        state.delta_reads_since_full, 2,
        "a manual delta read does not count"
    );
    assert_eq!(
        state.next_read_mode(JobType::Read, true, Some(2), TriggerType::Repeat),
        ReadMode::Full
    );
    assert_eq!(
        state.next_read_mode(JobType::Read, true, Some(2), TriggerType::Immediate),
        ReadMode::Delta,
        "manual runs ignore the count"
    );
    // The full read fails: nothing is recorded, so the next scheduled job reads in full again.
    assert_eq!(
        store.source_state(SOURCE).unwrap().next_read_mode(
            JobType::Read,
            true,
            Some(2),
            TriggerType::Repeat
        ),
        ReadMode::Full
    );
    let state = store
        .record_successful_read(SOURCE, ReadMode::Full, at(10), TriggerType::Repeat)
        .unwrap();
    assert_eq!(state.delta_reads_since_full, 0);
    assert_eq!(state.last_full_read, Some(at(10)));
}

// ips-ias.md §2.6: the four *.content trace properties auto-reset to false after the next
// job. Proposed: they count as false until the system's export changes.
#[test]
fn a_used_trace_property_counts_as_false_until_the_export_changes() {
    let (store, _clock, _dir) = fresh();
    assert!(store.traces_reset(SOURCE, "export-v1").unwrap().is_empty());
    store
        .record_trace_used(SOURCE, "j1", "export-v1", &[TRACE_CONTENT_PROPERTIES[0]])
        .unwrap();
    let reset = store.traces_reset(SOURCE, "export-v1").unwrap();
    assert_eq!(
        reset.into_iter().collect::<Vec<_>>(),
        ["ips.trace.failed.entity.content"]
    );
    assert!(store.traces_reset(SOURCE, "export-v2").unwrap().is_empty());
    assert!(store.traces_reset("Other", "export-v1").unwrap().is_empty());
}
