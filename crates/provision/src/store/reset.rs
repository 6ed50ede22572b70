//! Resetting a system (`reference/ips-ias.md` §2.3): its operational data goes, its
//! configuration and the entities in the back end stay.

use super::db::Store;
use super::error::StoreError;
use super::lock::running;

/// What [`Store::reset_system`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResetSummary {
    /// Relations where the system was the source.
    pub relations_as_source: u64,
    /// Relations where the system was the target.
    pub relations_as_target: u64,
    /// Whether the system's read history (delta watermark, delta count) was removed.
    pub read_history: bool,
}

impl Store {
    /// Deletes all operational data of system `name`, as IPS's "reset" does: the relations
    /// where it is the source or the target, and its read history, so that the next job
    /// "behaves like reading it for the first time" — a full read, and entities found in the
    /// target are marked *existed before*. Job logs and the trace bookkeeping (a stand-in for
    /// configuration) stay, as do the job lock and the systems' data.
    ///
    /// Fails with [`StoreError::JobRunning`] while a job of the system as source runs. A job
    /// of another source writing to the system as target is not detected (the lock is per
    /// source): reset a target while no job writes to it.
    pub fn reset_system(&self, name: &str) -> Result<ResetSummary, StoreError> {
        self.transaction(|store| {
            if let Some(lock) = store.job_lock(name)?.filter(|lock| lock.alive) {
                return Err(running(&lock));
            }
            let delete = |sql: &str| -> Result<u64, StoreError> {
                let removed = store
                    .conn()
                    .prepare_cached(sql)
                    .and_then(|mut stmt| stmt.execute([name]))
                    .map_err(store.fail_with(|| format!("resetting system {name:?}")))?;
                Ok(u64::try_from(removed).unwrap_or(u64::MAX))
            };
            Ok(ResetSummary {
                relations_as_source: delete("DELETE FROM relation WHERE source_system = ?1")?,
                relations_as_target: delete("DELETE FROM relation WHERE target_system = ?1")?,
                read_history: delete("DELETE FROM source_state WHERE source_system = ?1")? > 0,
            })
        })
    }
}
