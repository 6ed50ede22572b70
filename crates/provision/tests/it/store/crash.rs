//! Crash safety: what a killed process leaves behind. Each test runs the test binary again as a
//! child (selected by an environment variable) that writes and then aborts — a stop without
//! any clean-up, like `kill -9` — and checks what a later process sees.

use std::path::Path;
use std::process::{Command, Output};

use sapland_core::job::{Job, JobStatus, JobType, ReadMode, TriggerType};
use sapland_provision::store::{DEFAULT_LEASE, RelationKey, RelationState, Store};

use super::support::{Clock, at};

const ROLE: &str = "SAPLAND_STORE_TEST_CHILD";
const DIR: &str = "SAPLAND_STORE_TEST_DIR";

/// Runs `child` in a new process of this test binary with `role`, on the state directory `dir`,
/// and checks that it got as far as aborting.
fn run_child(role: &str, dir: &Path) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["store::crash::child", "--exact", "--test-threads=1"])
        .env(ROLE, role)
        .env(DIR, dir)
        .output()
        .unwrap();
    assert_aborted(&output);
}

/// The child's part; does nothing when the test binary runs normally.
#[test]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let dir = std::env::var(DIR).unwrap();
    let store = Store::open(Path::new(&dir), Clock::new().source()).unwrap();
    match role.as_str() {
        "killed-after-begin-create" => {
            store
                .begin_create(&key("u1"), Some("userName=alice"))
                .unwrap();
        }
        "killed-in-a-transaction" => {
            let _ = store.transaction(|s| -> Result<(), _> {
                let big = "x".repeat(4096);
                for i in 0..1000 {
                    s.begin_create(&key(&format!("t{i:04}")), Some(&big))?;
                }
                std::process::abort()
            });
        }
        "killed-while-running-a-job" => {
            let job = Job::start(
                "dead-job",
                "IAS Source",
                JobType::Read,
                TriggerType::Repeat,
                ReadMode::Full,
                at(0),
            );
            store.start_job(&job, DEFAULT_LEASE).unwrap();
        }
        other => panic!("unknown child role {other}"),
    }
    std::process::abort();
}

fn key(id: &str) -> RelationKey<'_> {
    RelationKey::new("IAS Source", "IAS Target", "user", id)
}

fn assert_aborted(output: &Output) {
    let status = output.status;
    let stderr = String::from_utf8_lossy(&output.stderr);
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(6),
            "the child did not abort: {status:?}\n{stderr}"
        );
    }
    #[cfg(not(unix))]
    assert!(!status.success(), "the child did not stop: {stderr}");
}

// The crash-safety protocol: begin_create commits before the POST, so a process killed after
// it leaves a `creating` relation that the next job finds with pending().
#[test]
fn a_create_begun_by_a_killed_process_is_pending_for_the_next_job() {
    let dir = tempfile::tempdir().unwrap();
    run_child("killed-after-begin-create", dir.path());
    let store = Store::open(dir.path(), Clock::new().source()).unwrap();
    let pending = store.pending("IAS Source", "IAS Target").unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].state, RelationState::Creating);
    assert_eq!(pending[0].unique_key.as_deref(), Some("userName=alice"));
}

#[test]
fn a_transaction_a_killed_process_did_not_commit_is_not_visible() {
    let dir = tempfile::tempdir().unwrap();
    run_child("killed-in-a-transaction", dir.path());
    let wal = dir.path().join("operational.db-wal");
    let wal_size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(
        wal_size > 1_000_000,
        "the child's uncommitted pages reached the write-ahead log ({wal_size} bytes)"
    );
    let store = Store::open(dir.path(), Clock::new().source()).unwrap();
    assert!(
        store
            .relations("IAS Source", "IAS Target", "user")
            .unwrap()
            .is_empty()
    );
    store
        .begin_create(&key("after"), None)
        .expect("the database is writable after the crash");
}

// A lock left by a process that died is taken over; its job is marked ended with
// "the process running the job stopped".
#[test]
fn the_lock_of_a_killed_job_is_taken_over_and_its_job_ended() {
    let dir = tempfile::tempdir().unwrap();
    run_child("killed-while-running-a-job", dir.path());
    let clock = Clock::new();
    clock.advance(120);
    let store = Store::open(dir.path(), clock.source()).unwrap();
    let lock = store.job_lock("IAS Source").unwrap().unwrap();
    assert_eq!(lock.job_id, "dead-job");
    assert!(!lock.alive);

    let next = Job::start(
        "next-job",
        "IAS Source",
        JobType::Read,
        TriggerType::Repeat,
        ReadMode::Full,
        at(120),
    );
    let taken = store
        .start_job(&next, DEFAULT_LEASE)
        .unwrap()
        .expect("a lock was taken over");
    assert_eq!(taken.job_id, "dead-job");
    let dead = store.job("dead-job").unwrap().unwrap();
    assert_eq!(dead.status, JobStatus::FinishedWithError);
    assert_eq!(
        dead.error_message.as_deref(),
        Some("the process running the job stopped")
    );
    assert_eq!(dead.end_time, Some(at(120)));
    let lock = store.job_lock("IAS Source").unwrap().unwrap();
    assert_eq!((lock.job_id.as_str(), lock.alive), ("next-job", true));
}
