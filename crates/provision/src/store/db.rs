//! The store handle: opening the database, its connection settings, and transactions.

use std::cell::RefCell;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::Connection;

use super::checkpoint::Checkpointer;
use super::error::StoreError;
use super::schema;

/// How long a write waits for another process's write to finish before it fails with
/// "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How many pages the write-ahead log grows to before SQLite copies it into the database in
/// the committing thread (SQLite's default is 1 000): only when the store's [`Checkpointer`]
/// falls behind, for it copies the log on a thread of its own at [`CHECKPOINT_AT`].
const WAL_PAGES: u32 = 16_000;

/// How long the write-ahead log grows, in bytes, before the [`Checkpointer`] copies it into
/// the database: 16 MB, about 4 000 relations recorded (a job writes about a page of 4 KiB for
/// each), so a job of 10 000 users checkpoints a few times.
const CHECKPOINT_AT: u64 = 16 << 20;

/// How many prepared statements each connection keeps (every query of the store fits).
const STATEMENT_CACHE: usize = 64;

/// The operational data of one state directory.
///
/// Every method takes `&self` and is one committed transaction, except inside
/// [`Store::transaction`], where the methods called join the one transaction. Time stamps the
/// store writes itself (a relation's `updated`, a lock's `acquired`, the end of a job whose
/// process stopped) come from the clock given to [`Store::open`].
///
/// A `Store` is `Send` but not `Sync`: one thread uses it at a time. Several stores, in one
/// process or several, may open the same file; SQLite serializes their writes.
pub struct Store {
    /// Declared before `conn` so that it stops (and closes its connection) first: the last
    /// connection to close copies what is left of the log into the database.
    checkpointer: RefCell<Option<Checkpointer>>,
    conn: Connection,
    path: PathBuf,
    now: Box<dyn Fn() -> Timestamp + Send>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// The database's file name in the state directory.
    pub const FILE_NAME: &'static str = "operational.db";

    /// Opens `<state_dir>/operational.db`, creating the directory and the database when missing
    /// and migrating an older schema. `now` is the clock (the landscape clock in the agent).
    ///
    /// Fails when the directory cannot be created, the file is not a SQLite database or not
    /// sapland's, or it was written by a newer sapland (a higher schema version).
    pub fn open(
        state_dir: &Path,
        now: impl Fn() -> Timestamp + Send + 'static,
    ) -> Result<Self, StoreError> {
        std::fs::create_dir_all(state_dir).map_err(|source| StoreError::CreateDir {
            path: state_dir.to_path_buf(),
            source,
        })?;
        Self::open_file(&state_dir.join(Self::FILE_NAME), now)
    }

    /// Opens the database at `path` (its directory must exist); otherwise as [`Store::open`].
    pub fn open_file(
        path: &Path,
        now: impl Fn() -> Timestamp + Send + 'static,
    ) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: path.to_path_buf(),
            action: "opening the database".to_string(),
            source,
        })?;
        let store = Self {
            checkpointer: RefCell::new(None),
            conn,
            path: path.to_path_buf(),
            now: Box::new(now),
        };
        store.configure()?;
        schema::refuse_newer(&store)?;
        store.enable_wal()?;
        schema::migrate(&store)?;
        Ok(store)
    }

    fn configure(&self) -> Result<(), StoreError> {
        self.conn
            .set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(self.fail("setting the busy timeout"))
    }

    fn enable_wal(&self) -> Result<(), StoreError> {
        let mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(self.fail("switching to write-ahead logging"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NoWal {
                path: self.path.clone(),
                mode,
            });
        }
        self.conn
            .execute_batch(&format!(
                "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                 PRAGMA wal_autocheckpoint = {WAL_PAGES}; PRAGMA journal_size_limit = 0;"
            ))
            .map_err(self.fail("setting synchronous=FULL, foreign keys and the WAL limits"))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one transaction: everything it writes through the store is committed
    /// together when it returns `Ok`, and nothing when it returns `Err` or panics.
    ///
    /// Store methods called inside join this transaction instead of committing on their own,
    /// and so does a nested `transaction`. A method that fails inside leaves the writes made
    /// before it in place; whether they are committed is decided by what `f` returns.
    pub fn transaction<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(self.fail("starting a transaction"))?;
        let mut guard = Rollback {
            conn: &self.conn,
            armed: true,
        };
        let value = f(self)?;
        self.conn
            .execute_batch("COMMIT")
            .map_err(self.fail("committing a transaction"))?;
        guard.armed = false;
        self.committed();
        Ok(value)
    }

    /// Wakes the checkpointer, started at the first commit.
    fn committed(&self) {
        let mut checkpointer = self.checkpointer.borrow_mut();
        if checkpointer.is_none() {
            *checkpointer = Checkpointer::start(&self.path, CHECKPOINT_AT, BUSY_TIMEOUT);
        }
        if let Some(checkpointer) = checkpointer.as_ref() {
            checkpointer.committed();
        }
    }

    /// Runs `f` in one transaction like [`Store::transaction`], committed without waiting for
    /// the disk (`synchronous=NORMAL` in WAL mode). The commit survives the process being
    /// killed, and the next durable commit makes it durable too (the write-ahead log is synced
    /// as a whole); only a power cut before that may lose it. For records whose loss the next
    /// job repairs anyway: pending creates and the results of a pass before its last commit,
    /// whose entities it then finds in the target as conflicts, and pages of the job log.
    pub fn provisional<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        self.conn
            .execute_batch("PRAGMA synchronous = NORMAL")
            .map_err(self.fail("setting synchronous=NORMAL"))?;
        let result = self.transaction(f);
        let restored = self
            .conn
            .execute_batch("PRAGMA synchronous = FULL")
            .map_err(self.fail("setting synchronous=FULL"));
        let value = result?;
        restored?;
        Ok(value)
    }

    /// The connection, for the store's modules.
    pub(super) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The current time on the store's clock.
    pub(super) fn now(&self) -> Timestamp {
        (self.now)()
    }

    /// Turns an SQLite error into a [`StoreError`] naming the file and `action`.
    pub(super) fn fail(
        &self,
        action: &'static str,
    ) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: self.path.clone(),
            action: action.to_string(),
            source,
        }
    }

    /// As [`Store::fail`], with the action text built only when there is an error.
    pub(super) fn fail_with<'a>(
        &'a self,
        action: impl FnOnce() -> String + 'a,
    ) -> impl FnOnce(rusqlite::Error) -> StoreError + 'a {
        move |source| StoreError::Sqlite {
            path: self.path.clone(),
            action: action(),
            source,
        }
    }
}

/// Rolls back an open transaction when dropped armed: on an early return or a panic.
struct Rollback<'c> {
    conn: &'c Connection,
    armed: bool,
}

impl Drop for Rollback<'_> {
    fn drop(&mut self) {
        if self.armed && !self.conn.is_autocommit() {
            // Nothing to report to: the caller already has the error (or a panic) that brought
            // us here, and SQLite rolls back by itself if this fails.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs run the store on a blocking thread, so it must move between threads.
    #[test]
    fn a_store_can_move_to_another_thread() {
        fn send<T: Send>() {}
        send::<Store>();
        send::<StoreError>();
    }
}
