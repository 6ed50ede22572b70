//! How values are stored in columns: times as sortable text, job enums by their log names,
//! structured values as JSON.

use jiff::Timestamp;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A time as RFC 3339 text in UTC with nine fraction digits
/// (`2026-11-22T09:00:00.000000000Z`): readable in the `sqlite3` shell, and text order is time
/// order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Time(pub(super) Timestamp);

impl Time {
    pub(super) fn text(time: Timestamp) -> String {
        format!("{time:.9}")
    }
}

impl ToSql for Time {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(Self::text(self.0)))
    }
}

impl FromSql for Time {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        text.parse::<Timestamp>()
            .map(Time)
            .map_err(FromSqlError::other)
    }
}

/// A job enum ([`sapland_core::job::JobType`], …) stored by its serde name, which is the name
/// the IPS job log shows (`READ`, `Finished with Error`, `Full Read`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Named<T>(pub(super) T);

impl<T: Serialize> ToSql for Named<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match serde_json::to_value(&self.0) {
            Ok(Value::String(name)) => Ok(ToSqlOutput::from(name)),
            Ok(other) => Err(rusqlite::Error::ToSqlConversionFailure(
                format!("expected a name, the value serializes as {other}").into(),
            )),
            Err(err) => Err(rusqlite::Error::ToSqlConversionFailure(Box::new(err))),
        }
    }
}

impl<T: DeserializeOwned> FromSql for Named<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let name = value.as_str()?;
        serde_json::from_value(Value::String(name.to_string()))
            .map(Named)
            .map_err(FromSqlError::other)
    }
}

/// A value stored as JSON text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Json<T>(pub(super) T);

impl<T: Serialize> ToSql for Json<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        serde_json::to_string(&self.0)
            .map(ToSqlOutput::from)
            .map_err(|err| rusqlite::Error::ToSqlConversionFailure(Box::new(err)))
    }
}

impl<T: DeserializeOwned> FromSql for Json<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        serde_json::from_str(text)
            .map(Json)
            .map_err(FromSqlError::other)
    }
}

#[cfg(test)]
mod tests {
    use sapland_core::job::{JobStatus, ReadMode};

    use super::*;

    #[test]
    fn time_text_is_fixed_width_so_text_order_is_time_order() {
        let whole: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
        let half: Timestamp = "2026-11-22T09:00:00.5Z".parse().unwrap();
        assert_eq!(Time::text(whole), "2026-11-22T09:00:00.000000000Z");
        assert_eq!(Time::text(half), "2026-11-22T09:00:00.500000000Z");
        assert!(Time::text(whole) < Time::text(half));
        assert_eq!(
            Time::text(half).parse::<Timestamp>().unwrap(),
            half,
            "round trip"
        );
    }

    #[test]
    fn job_enums_are_stored_by_their_log_names() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let text: String = conn
            .query_row(
                "SELECT ?1 || '/' || ?2",
                (Named(JobStatus::FinishedWithError), Named(ReadMode::Delta)),
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(text, "Finished with Error/Delta Read");
        let back: Named<JobStatus> = conn
            .query_row("SELECT 'Running with Error'", [], |row| row.get(0))
            .unwrap();
        assert_eq!(back.0, JobStatus::RunningWithError);
        let bad = conn.query_row("SELECT 'Sleeping'", [], |row| {
            row.get::<_, Named<JobStatus>>(0)
        });
        assert!(bad.is_err());
    }
}
