//! Opening the database: creation, settings, schema versions, files that are not ours.

use rusqlite::Connection;
use sapland_provision::store::{SCHEMA_VERSION, Store, StoreError};

use super::support::{Clock, fresh};

#[test]
fn opening_creates_the_database_in_wal_mode_with_the_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("nested").join("state");
    let store = Store::open(&state, Clock::new().source()).unwrap();
    assert_eq!(store.path(), state.join("operational.db"));
    let conn = Connection::open(store.path()).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    drop(store);
    Store::open(&state, Clock::new().source()).expect("opening again leaves the schema alone");
}

#[test]
fn a_database_from_a_newer_sapland_is_refused_untouched() {
    let (store, _clock, dir) = fresh();
    let path = store.path().to_path_buf();
    drop(store);
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = Store::open(dir.path(), Clock::new().source()).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: written by a newer sapland (schema version {}; this sapland reads versions up \
             to {SCHEMA_VERSION}); use that sapland or another state directory",
            path.display(),
            SCHEMA_VERSION + 1
        )
    );
}

#[test]
fn files_that_are_not_sapland_databases_are_refused_with_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let err = Store::open_file(&foreign, Clock::new().source()).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(err.to_string().starts_with(&foreign.display().to_string()));

    let garbage = dir.path().join("garbage.db");
    std::fs::write(
        &garbage,
        "this is not a database, it is a rather long text file ".repeat(40),
    )
    .unwrap();
    let err = Store::open_file(&garbage, Clock::new().source()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(&garbage.display().to_string()),
        "{message}"
    );
    assert!(message.contains("not a database"), "{message}");

    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let err = Store::open(&file, Clock::new().source()).unwrap_err();
    assert!(matches!(err, StoreError::CreateDir { .. }), "{err}");
    assert!(
        err.to_string().starts_with(&format!(
            "{}: cannot create the state directory",
            file.display()
        )),
        "{err}"
    );
}
