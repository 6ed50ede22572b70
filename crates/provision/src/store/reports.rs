//! Reports waiting to be sent to outside monitoring (Cloud ALM Job & Automation Monitoring):
//! a job queues its report when it ends and sends what is queued; what cannot be sent (Cloud
//! ALM down, a network error) stays queued and goes with a later job, so reporting never blocks
//! or fails a job.

use rusqlite::params;
use serde_json::Value;

use super::db::Store;
use super::error::StoreError;
use super::sql::Time;

/// A queued report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Its place in the queue.
    pub seq: i64,
    /// The job it reports.
    pub job_id: String,
    /// What it is, such as `jam`.
    pub kind: String,
    /// What to send.
    pub payload: Value,
    /// How many times sending failed.
    pub attempts: u32,
    /// The last failure.
    pub last_error: Option<String>,
}

impl Store {
    /// Queues a report of `kind` for job `job_id`.
    pub fn queue_report(
        &self,
        job_id: &str,
        kind: &str,
        payload: &Value,
    ) -> Result<i64, StoreError> {
        let now = Time(self.now());
        self.conn()
            .prepare_cached(
                "INSERT INTO report (job_id, kind, payload, created) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut stmt| stmt.execute(params![job_id, kind, payload.to_string(), now]))
            .map_err(self.fail_with(|| format!("queueing the {kind} report of job {job_id}")))?;
        Ok(self.conn().last_insert_rowid())
    }

    /// The oldest `limit` queued reports of `kind`, oldest first.
    pub fn queued_reports(&self, kind: &str, limit: usize) -> Result<Vec<Report>, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT seq, job_id, kind, payload, attempts, last_error FROM report \
                 WHERE kind = ?1 ORDER BY seq LIMIT ?2",
            )
            .and_then(|mut stmt| {
                stmt.query_map(
                    params![kind, i64::try_from(limit).unwrap_or(i64::MAX)],
                    |row| {
                        let payload: String = row.get(3)?;
                        Ok(Report {
                            seq: row.get(0)?,
                            job_id: row.get(1)?,
                            kind: row.get(2)?,
                            payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
                            attempts: row.get(4)?,
                            last_error: row.get(5)?,
                        })
                    },
                )?
                .collect()
            })
            .map_err(self.fail_with(|| format!("reading the queued {kind} reports")))
    }

    /// Removes a report that was sent.
    pub fn report_sent(&self, seq: i64) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached("DELETE FROM report WHERE seq = ?1")
            .and_then(|mut stmt| stmt.execute([seq]))
            .map(|_| ())
            .map_err(self.fail_with(|| format!("removing sent report {seq}")))
    }

    /// Records that sending a report failed; it stays queued.
    pub fn report_failed(&self, seq: i64, error: &str) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "UPDATE report SET attempts = attempts + 1, last_error = ?2 WHERE seq = ?1",
            )
            .and_then(|mut stmt| stmt.execute(params![seq, error]))
            .map(|_| ())
            .map_err(self.fail_with(|| format!("recording a failed send of report {seq}")))
    }
}
