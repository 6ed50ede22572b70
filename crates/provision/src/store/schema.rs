//! The schema and its versions: `PRAGMA user_version` holds the version a database has, and
//! opening a database brings it to [`SCHEMA_VERSION`] by running the missing migrations.

use super::db::Store;
use super::error::StoreError;

/// The schema version this build writes. A database with a higher `user_version` was written
/// by a newer sapland and is refused.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// `MIGRATIONS[n]` brings a database from version `n` to `n + 1`. Never edit one that has been
/// released; add another.
const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// Version 1: relations, source state, trace bookkeeping, jobs, job logs, job locks.
const V1: &str = "
CREATE TABLE relation (
    source_system  TEXT    NOT NULL,
    target_system  TEXT    NOT NULL,
    entity_type    TEXT    NOT NULL,
    source_id      TEXT    NOT NULL,
    target_id      TEXT,
    existed_before INTEGER NOT NULL DEFAULT 0 CHECK (existed_before IN (0, 1)),
    fingerprint    TEXT,
    state          TEXT    NOT NULL
        CHECK (state IN ('creating', 'provisioned', 'deleting', 'queued_for_deletion')),
    unique_key     TEXT,
    updated        TEXT    NOT NULL,
    PRIMARY KEY (source_system, target_system, entity_type, source_id),
    CHECK (state = 'creating' OR target_id IS NOT NULL)
) WITHOUT ROWID;
CREATE INDEX relation_by_target_id ON relation (target_system, entity_type, target_id);
CREATE INDEX relation_pending ON relation (source_system, target_system, entity_type, source_id)
    WHERE state <> 'provisioned';

CREATE TABLE source_state (
    source_system          TEXT    NOT NULL PRIMARY KEY,
    last_full_read         TEXT,
    last_read              TEXT,
    delta_reads_since_full INTEGER NOT NULL DEFAULT 0,
    updated                TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE trace_used (
    source_system      TEXT NOT NULL,
    property           TEXT NOT NULL,
    job_id             TEXT NOT NULL,
    export_fingerprint TEXT NOT NULL,
    recorded           TEXT NOT NULL,
    PRIMARY KEY (source_system, property)
) WITHOUT ROWID;

CREATE TABLE job (
    seq           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    source_system TEXT    NOT NULL,
    job_type      TEXT    NOT NULL,
    trigger_type  TEXT    NOT NULL,
    read_mode     TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    start_time    TEXT    NOT NULL,
    end_time      TEXT,
    triggered_by  TEXT,
    error_message TEXT,
    outcome       TEXT    NOT NULL,
    statistics    TEXT    NOT NULL
);
CREATE INDEX job_by_source ON job (source_system, start_time, seq);

CREATE TABLE job_log (
    seq         INTEGER PRIMARY KEY,
    job_seq     INTEGER NOT NULL REFERENCES job (seq) ON DELETE CASCADE,
    kind        TEXT    NOT NULL
        CHECK (kind IN ('read', 'created', 'updated', 'deleted', 'skipped', 'failed')),
    entity_type TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    system      TEXT    NOT NULL,
    reason_kind TEXT,
    reason      TEXT,
    time        TEXT,
    content     TEXT
);
CREATE INDEX job_log_by_job ON job_log (job_seq);
CREATE INDEX job_log_by_kind ON job_log (job_seq, kind);

CREATE TABLE job_lock (
    source_system TEXT    NOT NULL PRIMARY KEY,
    job_id        TEXT    NOT NULL,
    pid           INTEGER NOT NULL,
    host          TEXT,
    boot_id       TEXT,
    process_start TEXT,
    acquired      TEXT    NOT NULL
) WITHOUT ROWID;
";

/// Version 2: reports to outside monitoring (Cloud ALM Job & Automation Monitoring) waiting to
/// be sent, so a job never waits for or fails on an unreachable Cloud ALM.
const V2: &str = "
CREATE TABLE report (
    seq        INTEGER PRIMARY KEY,
    job_id     TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    payload    TEXT    NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created    TEXT    NOT NULL
);
CREATE INDEX report_by_kind ON report (kind, seq);
";

/// Version 3: a job lock's lease, renewed on the store's clock while the job runs, so a lock
/// whose process cannot be checked from here (another host, a container whose host name
/// changed) is taken over once the lease ran out. Locks of version 2 have none (`NULL`) and
/// are judged by their process alone, as before.
const V3: &str = "
ALTER TABLE job_lock ADD COLUMN lease_until TEXT;
";

/// Refuses a database written by a newer sapland before anything (such as the journal mode)
/// is changed in it.
pub(super) fn refuse_newer(store: &Store) -> Result<(), StoreError> {
    let version = user_version(store)?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: store.path().to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Brings the database to [`SCHEMA_VERSION`], or refuses one that is newer or not sapland's.
/// The check and the migrations run in one write transaction, so two processes opening a new
/// database at once do not both create it.
pub(super) fn migrate(store: &Store) -> Result<(), StoreError> {
    let version = user_version(store)?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    store.transaction(|store| {
        let version = user_version(store)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: store.path().to_path_buf(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == 0 && has_tables(store)? {
            return Err(StoreError::Foreign {
                path: store.path().to_path_buf(),
            });
        }
        let from = usize::try_from(version).unwrap_or(0);
        for (done, sql) in MIGRATIONS.iter().enumerate().skip(from) {
            store
                .conn()
                .execute_batch(sql)
                .map_err(store.fail_with(|| format!("migrating to schema version {}", done + 1)))?;
        }
        store
            .conn()
            .pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(store.fail("recording the schema version"))
    })
}

fn user_version(store: &Store) -> Result<i64, StoreError> {
    store
        .conn()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(store.fail("reading the schema version"))
}

fn has_tables(store: &Store) -> Result<bool, StoreError> {
    store
        .conn()
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table')",
            [],
            |row| row.get(0),
        )
        .map_err(store.fail("reading the schema"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lookup the store makes is a search through an index, never a table scan or a sort.
    #[test]
    fn lookups_use_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), jiff::Timestamp::now).unwrap();
        let queries = [
            "SELECT * FROM relation WHERE source_system = ?1 AND target_system = ?2 \
             AND entity_type = ?3 AND source_id = ?4",
            "SELECT * FROM relation WHERE source_system = ?1 AND target_system = ?2 \
             AND entity_type = ?3 ORDER BY source_id",
            "SELECT * FROM relation WHERE source_system = ?1 AND target_system = ?2 \
             AND state <> 'provisioned' ORDER BY entity_type, source_id",
            "SELECT * FROM relation WHERE target_system = ?1 AND entity_type = ?2 \
             AND target_id = ?3",
            "DELETE FROM relation WHERE target_system = ?1",
            "DELETE FROM relation WHERE source_system = ?1",
            "SELECT * FROM job WHERE source_system = ?1 ORDER BY start_time DESC, seq DESC",
            "SELECT * FROM job WHERE id = ?1",
            "SELECT * FROM job WHERE seq = (SELECT MAX(seq) FROM job)",
            "SELECT * FROM report WHERE kind = ?1 ORDER BY seq LIMIT 10",
            "DELETE FROM report WHERE seq = ?1",
            "SELECT * FROM job_log WHERE job_seq = ?1 ORDER BY seq",
            "SELECT * FROM job_log WHERE job_seq = ?1 AND kind = ?2 ORDER BY seq",
        ];
        for query in queries {
            let mut stmt = store
                .conn()
                .prepare(&format!("EXPLAIN QUERY PLAN {query}"))
                .unwrap();
            let params = vec!["x"; stmt.parameter_count()];
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(params), |row| {
                    row.get::<_, String>(3)
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let plan = plan.join("; ");
            assert!(
                !plan.contains("SCAN") && !plan.contains("TEMP B-TREE"),
                "{query}: {plan}"
            );
        }
    }
}
