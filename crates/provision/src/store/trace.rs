//! The `ips.trace.*.content` properties that IPS resets to false after the next job
//! (`reference/ips-ias.md` §2.6).
//!
//! sapland reads systems from export files it does not rewrite, so it cannot set the property
//! back to false. Instead (**proposed**) a job records that it used the property together with
//! a fingerprint of the system's export (the caller's choice; a hash of the export file's
//! text is meant). Later jobs treat the property as false while the export's fingerprint is
//! unchanged; editing the export — to set the property to true again, or anything else — makes
//! it count again, as saving the system in IPS would.

use std::collections::BTreeSet;

use rusqlite::params;

use super::db::Store;
use super::error::StoreError;
use super::sql::Time;

/// The trace properties that reset to false after the next job (§2.6).
pub const TRACE_CONTENT_PROPERTIES: [&str; 4] = [
    "ips.trace.failed.entity.content",
    "ips.trace.skipped.entity.content",
    "ips.trace.created.entity.content",
    "ips.trace.updated.entity.content",
];

impl Store {
    /// Records that job `job_id` of `source_system` used `properties` (set to true) while the
    /// system's export had `export_fingerprint`; call when the job ends. Replaces what an
    /// earlier job recorded for the same properties.
    pub fn record_trace_used(
        &self,
        source_system: &str,
        job_id: &str,
        export_fingerprint: &str,
        properties: &[&str],
    ) -> Result<(), StoreError> {
        self.transaction(|store| {
            let now = Time(store.now());
            let mut stmt = store
                .conn()
                .prepare_cached(
                    "INSERT OR REPLACE INTO trace_used (source_system, property, job_id, \
                     export_fingerprint, recorded) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(store.fail("preparing to record trace properties"))?;
            for property in properties {
                stmt.execute(params![
                    source_system,
                    property,
                    job_id,
                    export_fingerprint,
                    now
                ])
                .map_err(store.fail_with(|| {
                    format!("recording that a job of {source_system:?} used {property}")
                }))?;
            }
            Ok(())
        })
    }

    /// The trace properties of `source_system` that count as false now, its export having
    /// `export_fingerprint`: those a job used while the export was the same.
    pub fn traces_reset(
        &self,
        source_system: &str,
        export_fingerprint: &str,
    ) -> Result<BTreeSet<String>, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT property FROM trace_used WHERE source_system = ?1 \
                 AND export_fingerprint = ?2",
            )
            .and_then(|mut stmt| {
                stmt.query_map([source_system, export_fingerprint], |row| row.get(0))?
                    .collect()
            })
            .map_err(
                self.fail_with(|| {
                    format!("reading the used trace properties of {source_system:?}")
                }),
            )
    }
}
