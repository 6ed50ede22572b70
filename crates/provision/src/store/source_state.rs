//! What a source system's next job needs to choose its read mode (`reference/ips-ias.md`
//! §2.2): when it was last read in full and at all, and how many delta reads happened since.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use sapland_core::job::{JobType, ReadMode, TriggerType};

use super::db::Store;
use super::error::StoreError;
use super::sql::Time;

/// The read history of one source system. A source never read has the default: no times, no
/// delta reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceState {
    /// Start time of the last successful job that read the source in full.
    pub last_full_read: Option<Timestamp>,
    /// Start time of the last successful job that read the source (full or delta): the delta
    /// watermark — the next delta read asks for `meta.lastModified gt "<watermark>"` (§2.2).
    pub last_read: Option<Timestamp>,
    /// Scheduled delta reads since the last successful full read, for
    /// `ips.full.read.force.count`.
    pub delta_reads_since_full: u32,
}

impl SourceState {
    /// The read mode of the next job (§2.2):
    ///
    /// - Resync, Simulate and Validate always read in full; so does a source without
    ///   `ips.delta.read=enabled` (`delta_enabled`), and the first job (no successful read yet).
    /// - With `ips.full.read.force.count=N` (`force_full_after`), a **scheduled** job reads in
    ///   full once N delta reads happened since the last full read; manual jobs ignore the
    ///   count. A failed full read is not recorded, so jobs keep reading in full until one
    ///   succeeds.
    pub fn next_read_mode(
        &self,
        job_type: JobType,
        delta_enabled: bool,
        force_full_after: Option<u32>,
        trigger: TriggerType,
    ) -> ReadMode {
        let forced = trigger == TriggerType::Repeat
            && force_full_after.is_some_and(|n| self.delta_reads_since_full >= n);
        if job_type.forces_full_read() || !delta_enabled || self.last_read.is_none() || forced {
            ReadMode::Full
        } else {
            ReadMode::Delta
        }
    }
}

impl Store {
    /// The read history of `source_system`.
    pub fn source_state(&self, source_system: &str) -> Result<SourceState, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT last_full_read, last_read, delta_reads_since_full FROM source_state \
                 WHERE source_system = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([source_system], |row| {
                    Ok(SourceState {
                        last_full_read: row.get::<_, Option<Time>>(0)?.map(|t| t.0),
                        last_read: row.get::<_, Option<Time>>(1)?.map(|t| t.0),
                        delta_reads_since_full: row.get(2)?,
                    })
                })
                .optional()
            })
            .map(Option::unwrap_or_default)
            .map_err(self.fail_with(|| {
                format!("reading the read history of source system {source_system:?}")
            }))
    }

    /// Records a successful read of `source_system` by a Read or Resync job that started at
    /// `started` and ended with Success (§2.2: a delta reads what changed since the last
    /// *successful* job; Simulate and Validate provision nothing and are not recorded). A full
    /// read sets both times and clears the delta count; a delta read moves the watermark and,
    /// when scheduled, counts (**proposed**: manual delta reads do not count towards
    /// `ips.full.read.force.count`, as they are not forced either). Returns the new state.
    pub fn record_successful_read(
        &self,
        source_system: &str,
        mode: ReadMode,
        started: Timestamp,
        trigger: TriggerType,
    ) -> Result<SourceState, StoreError> {
        self.transaction(|store| {
            let mut state = store.source_state(source_system)?;
            state.last_read = Some(started);
            match mode {
                ReadMode::Full => {
                    state.last_full_read = Some(started);
                    state.delta_reads_since_full = 0;
                }
                ReadMode::Delta if trigger == TriggerType::Repeat => {
                    state.delta_reads_since_full = state.delta_reads_since_full.saturating_add(1);
                }
                ReadMode::Delta => {}
            }
            store
                .conn()
                .prepare_cached(
                    "INSERT OR REPLACE INTO source_state (source_system, last_full_read, \
                     last_read, delta_reads_since_full, updated) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        source_system,
                        state.last_full_read.map(Time),
                        state.last_read.map(Time),
                        state.delta_reads_since_full,
                        Time(store.now()),
                    ])
                })
                .map_err(store.fail_with(|| {
                    format!("recording a read of source system {source_system:?}")
                }))?;
            Ok(state)
        })
    }
}
