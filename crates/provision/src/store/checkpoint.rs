//! Copying the write-ahead log into the database on a thread of its own.
//!
//! SQLite copies the log into the database (a checkpoint) in the thread that commits, once the
//! log is long enough, and waits for the disk twice while it does: a job stalled there for up to
//! 200 ms at a time, with its requests' answers waiting. The store has SQLite checkpoint only at
//! a much longer log and wakes a checkpointer thread after each commit instead; once the log
//! has grown to [`Checkpointer::start`]'s size, the thread runs SQLite's `PASSIVE` checkpoint
//! on a connection of its own, which never blocks the writer. The writer then starts the log
//! over (and truncates it: `journal_size_limit` 0), so the size of the log file says how much is
//! waiting. Checkpointing after every commit instead would have the writer start the log over
//! just as often, and SQLite waits for the disk each time it does.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// A thread that checkpoints the database after commits; stopped and joined when dropped.
pub(super) struct Checkpointer {
    wake: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread for the database at `path`, checkpointing once its log holds `at`
    /// bytes; `None` when it cannot be started.
    pub(super) fn start(path: &Path, at: u64, busy_timeout: Duration) -> Option<Self> {
        // One waiting wake-up is enough: the checkpoint after it covers every commit before.
        let (wake, woken) = mpsc::sync_channel(1);
        let path = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("sapland-checkpoint".into())
            .spawn(move || run(&path, at, busy_timeout, &woken))
            .ok()?;
        Some(Self {
            wake: Some(wake),
            thread: Some(thread),
        })
    }

    /// Says that a transaction was committed; returns at once.
    pub(super) fn committed(&self) {
        if let Some(wake) = &self.wake {
            // Full: a wake-up is already waiting. Disconnected: the thread ended, and SQLite's
            // own checkpoints take over.
            let _ = wake.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.wake = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: a connection of its own and, at each wake-up, a `PASSIVE` checkpoint when the
/// log holds `at` bytes, until the store is dropped. A checkpoint that fails (the database
/// busy, say) is left to the next wake-up or to SQLite's own checkpoints: nothing is lost by
/// skipping one.
fn run(path: &Path, at: u64, busy_timeout: Duration, woken: &Receiver<()>) {
    let Ok(conn) = Connection::open(path) else {
        return;
    };
    if conn.busy_timeout(busy_timeout).is_err() {
        return;
    }
    let mut log = path.as_os_str().to_owned();
    log.push("-wal");
    // A wake-up sent before the store dropped its end still arrives.
    while woken.recv().is_ok() {
        if std::fs::metadata(&log).is_ok_and(|meta| meta.len() >= at) {
            let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wake_up_copies_a_long_enough_log_into_the_database_without_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; \
                 CREATE TABLE t (x TEXT);",
            )
            .unwrap();
        for i in 0..200 {
            writer
                .execute("INSERT INTO t VALUES (?1)", [format!("{i:0>500}")])
                .unwrap();
        }
        let database_bytes = || std::fs::metadata(&path).unwrap().len();
        let before = database_bytes();
        let at = std::fs::metadata(dir.path().join("t.db-wal"))
            .unwrap()
            .len();
        let early = Checkpointer::start(&path, at + 1, Duration::from_secs(1)).unwrap();
        early.committed();
        drop(early);
        assert_eq!(
            database_bytes(),
            before,
            "a shorter log than asked is left alone"
        );
        let checkpointer = Checkpointer::start(&path, at, Duration::from_secs(1)).unwrap();
        checkpointer.committed();
        drop(checkpointer);
        assert!(
            database_bytes() > before + 50 * 1024,
            "{before} -> {}",
            database_bytes()
        );
        let rows: i64 = writer
            .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
            .unwrap();
        assert_eq!(rows, 200);
    }
}
