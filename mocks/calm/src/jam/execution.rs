//! Job executions as the mock reads them from JAM log records: one record per execution, its
//! attributes `jobType`, `jobName`, `jobId`, `executionId`, `executionStatus`,
//! `applicationStatus`, `plannedStartTime`, `startTime`, `endTime`, `runTimeSeconds`, `user` and
//! free integer counters (**proposed**, reference §2.9). A later record of the same execution
//! replaces the earlier one, so an execution can go Scheduled → Running → Completed.

use jiff::Timestamp;
use sapland_core::json::JsonPath;
use serde::Serialize;

use crate::otlp::logs::LogRecord;
use crate::otlp::value::{AnyValue, OtlpError};
use crate::period;

/// The execution status (Cloud ALM's *Execution Status*, reference §2.9 table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExecutionStatus {
    /// Planned, not started.
    Scheduled,
    /// Started, not finished.
    Running,
    /// Finished (successfully or not: see the application status).
    Completed,
    /// Not known.
    Unknown,
}

/// The application status (Cloud ALM's *Application Status*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ApplicationStatus {
    /// The job did its work.
    Success,
    /// The job finished with warnings.
    Warning,
    /// The job failed.
    Error,
    /// Not known.
    Unknown,
}

/// The service an execution was reported for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The LMS id.
    pub id: String,
    /// The name (`sap.cloudalm.serviceName`, else the landscape object's name).
    pub name: String,
    /// The landscape object's service type.
    pub service_type: Option<String>,
}

/// One job execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    /// The service it ran for.
    pub service: Service,
    /// `jobType`.
    pub job_type: String,
    /// `jobName`.
    pub job_name: String,
    /// `jobId`.
    pub job_id: String,
    /// `executionId`.
    pub execution_id: String,
    /// `executionStatus`.
    pub execution_status: ExecutionStatus,
    /// `applicationStatus`.
    pub application_status: Option<ApplicationStatus>,
    /// `plannedStartTime`.
    pub planned_start: Option<Timestamp>,
    /// `startTime`.
    pub start: Option<Timestamp>,
    /// `endTime`.
    pub end: Option<Timestamp>,
    /// `runTimeSeconds`, else end − start.
    pub run_time_seconds: Option<f64>,
    /// `user`.
    pub user: Option<String>,
    /// Integer attributes beyond the known ones (`created`, `updated`, …), in record order.
    pub counters: Vec<(String, i64)>,
    /// The record's time.
    pub record_time: Option<Timestamp>,
}

const KNOWN: [&str; 11] = [
    "jobType",
    "jobName",
    "jobId",
    "executionId",
    "executionStatus",
    "applicationStatus",
    "plannedStartTime",
    "startTime",
    "endTime",
    "runTimeSeconds",
    "user",
];

impl Execution {
    /// Reads the execution of a JAM log record at `path` of the push.
    pub fn from_record(
        record: &LogRecord,
        path: &JsonPath,
        service: Service,
    ) -> Result<Self, OtlpError> {
        let attributes = path.clone().key("attributes");
        let find = |key: &str| {
            record
                .attributes
                .iter()
                .enumerate()
                .find(|(_, kv)| kv.key == key)
                .map(|(i, kv)| (attributes.clone().index(i).key("value"), &kv.value))
        };
        let missing = |key: &str, what: &str| {
            OtlpError::at(&attributes, format!("the attribute {key} ({what})"), None)
        };
        let text = |key: &str, required: bool| -> Result<Option<String>, OtlpError> {
            match find(key) {
                None if required => Err(missing(key, "a stringValue")),
                None => Ok(None),
                Some((_, AnyValue::String(s))) if !s.is_empty() => Ok(Some(s.clone())),
                Some((path, _)) => Err(OtlpError::at(&path, "a non-empty stringValue", None)),
            }
        };
        let time = |key: &str| -> Result<Option<Timestamp>, OtlpError> {
            match find(key) {
                None => Ok(None),
                Some((path, AnyValue::String(s))) => s
                    .parse::<Timestamp>()
                    .map(Some)
                    .map_err(|_| OtlpError::at(&path, "an RFC 3339 time in a stringValue", None)),
                Some((path, _)) => Err(OtlpError::at(
                    &path,
                    "an RFC 3339 time in a stringValue",
                    None,
                )),
            }
        };
        let job_type = text("jobType", true)?.unwrap_or_default();
        let job_name = text("jobName", true)?.unwrap_or_default();
        let job_id = text("jobId", true)?.unwrap_or_default();
        let execution_id = match find("executionId") {
            None => return Err(missing("executionId", "a stringValue or intValue")),
            Some((_, AnyValue::String(s))) if !s.is_empty() => s.clone(),
            Some((_, AnyValue::Int(i))) => i.to_string(),
            Some((path, _)) => {
                return Err(OtlpError::at(
                    &path,
                    "a non-empty stringValue or an intValue",
                    None,
                ));
            }
        };
        let statuses = "Scheduled, Running, Completed or Unknown";
        let execution_status = match find("executionStatus") {
            None => return Err(missing("executionStatus", statuses)),
            Some((path, value)) => match value.as_str() {
                Some("Scheduled") => ExecutionStatus::Scheduled,
                Some("Running") => ExecutionStatus::Running,
                Some("Completed") => ExecutionStatus::Completed,
                Some("Unknown") => ExecutionStatus::Unknown,
                _ => {
                    return Err(OtlpError::at(
                        &path,
                        format!("a stringValue {statuses}"),
                        None,
                    ));
                }
            },
        };
        let application_status = match find("applicationStatus") {
            None => None,
            Some((path, value)) => Some(match value.as_str() {
                Some("Success") => ApplicationStatus::Success,
                Some("Warning") => ApplicationStatus::Warning,
                Some("Error") => ApplicationStatus::Error,
                Some("Unknown") => ApplicationStatus::Unknown,
                _ => {
                    return Err(OtlpError::at(
                        &path,
                        "a stringValue Success, Warning, Error or Unknown",
                        None,
                    ));
                }
            }),
        };
        let start = time("startTime")?;
        let end = time("endTime")?;
        let run_time_seconds = match find("runTimeSeconds") {
            None => match (start, end) {
                (Some(start), Some(end)) if end >= start => {
                    Some(end.duration_since(start).as_secs_f64())
                }
                _ => None,
            },
            Some((_, AnyValue::Double(d))) if d.is_finite() && *d >= 0.0 => Some(*d),
            Some((_, AnyValue::Int(i))) if *i >= 0 => Some(*i as f64),
            Some((path, _)) => {
                return Err(OtlpError::at(
                    &path,
                    "a non-negative doubleValue (seconds)",
                    None,
                ));
            }
        };
        let counters = record
            .attributes
            .iter()
            .filter(|kv| !KNOWN.contains(&kv.key.as_str()))
            .filter_map(|kv| match kv.value {
                AnyValue::Int(i) => Some((kv.key.clone(), i)),
                _ => None,
            })
            .collect();
        Ok(Self {
            service,
            job_type,
            job_name,
            job_id,
            execution_id,
            execution_status,
            application_status,
            planned_start: time("plannedStartTime")?,
            start,
            end,
            run_time_seconds,
            user: text("user", false)?,
            counters,
            record_time: record.time().map(period::from_nanos),
        })
    }

    /// When the execution counts as having happened: its start, else its planned start, else
    /// its record's time.
    pub fn time(&self) -> Option<Timestamp> {
        self.start.or(self.planned_start).or(self.record_time)
    }

    /// Start − planned start in whole seconds (never negative), when both are known.
    pub fn start_delay_seconds(&self) -> Option<i64> {
        let (planned, start) = (self.planned_start?, self.start?);
        Some(start.duration_since(planned).as_secs().max(0))
    }

    /// Whether `other` is the same execution (same service, job and execution id).
    pub fn same_as(&self, other: &Execution) -> bool {
        self.service.id == other.service.id
            && self.job_id == other.job_id
            && self.execution_id == other.execution_id
    }
}

/// Every execution the tenant knows, one per (service, job id, execution id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Executions {
    items: Vec<Execution>,
}

impl Executions {
    /// Adds an execution, replacing an earlier record of the same one.
    pub fn upsert(&mut self, execution: Execution) {
        match self.items.iter_mut().find(|e| e.same_as(&execution)) {
            Some(existing) => *existing = execution,
            None => self.items.push(execution),
        }
    }

    /// Every execution, in order of arrival.
    pub fn all(&self) -> &[Execution] {
        &self.items
    }

    /// The executions of each job (service id, job id), each job's sorted by time (executions of
    /// the same time in the order they arrived); jobs in order of service name, job type and job
    /// name.
    pub fn by_job(&self) -> Vec<Vec<&Execution>> {
        let mut jobs: Vec<Vec<&Execution>> = Vec::new();
        for execution in &self.items {
            match jobs.iter_mut().find(|job| {
                job.first().is_some_and(|first| {
                    first.service.id == execution.service.id && first.job_id == execution.job_id
                })
            }) {
                Some(job) => job.push(execution),
                None => jobs.push(vec![execution]),
            }
        }
        for job in &mut jobs {
            job.sort_by_key(|execution| execution.time());
        }
        jobs.sort_by(|a, b| {
            let key = |job: &Vec<&Execution>| {
                job.first()
                    .map(|e| {
                        (
                            e.service.name.clone(),
                            e.job_type.clone(),
                            e.job_name.clone(),
                        )
                    })
                    .unwrap_or_default()
            };
            key(a).cmp(&key(b))
        });
        jobs
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::otlp::logs::parse_request;

    fn service() -> Service {
        Service {
            id: "s".into(),
            name: "Identity Provisioning".into(),
            service_type: None,
        }
    }

    fn record(attributes: serde_json::Value) -> (JsonPath, LogRecord) {
        let document = json!({"resourceLogs": [{"scopeLogs": [{"logRecords": [
            {"timeUnixNano": "1763802000000000000", "attributes": attributes}
        ]}]}]});
        parse_request(&document).unwrap().remove(0)
    }

    fn s(key: &str, value: &str) -> serde_json::Value {
        json!({"key": key, "value": {"stringValue": value}})
    }

    #[test]
    fn an_ips_execution_reads_with_its_counters() {
        let (path, record) = record(json!([
            s("jobType", "IPS_PROVISIONING_JOB"),
            s("jobName", "IAS Source READ"),
            s("jobId", "IAS Source|READ"),
            s("executionId", "42"),
            s("executionStatus", "Completed"),
            s("applicationStatus", "Success"),
            s("plannedStartTime", "2026-11-22T09:00:00Z"),
            s("startTime", "2026-11-22T09:06:00Z"),
            s("endTime", "2026-11-22T09:07:30Z"),
            {"key": "created", "value": {"intValue": "3"}},
        ]));
        let execution = Execution::from_record(&record, &path, service()).unwrap();
        assert_eq!(execution.run_time_seconds, Some(90.0));
        assert_eq!(execution.start_delay_seconds(), Some(360));
        assert_eq!(execution.counters, [("created".to_string(), 3)]);
    }

    #[test]
    fn a_missing_or_wrong_attribute_names_the_path() {
        let (path, first) = record(json!([s("jobType", "T"), s("jobName", "N")]));
        let err = Execution::from_record(&first, &path, service()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "$.resourceLogs[0].scopeLogs[0].logRecords[0].attributes: expected the attribute jobId (a stringValue)"
        );
        let (path, record) = record(json!([
            s("jobType", "T"),
            s("jobName", "N"),
            s("jobId", "J"),
            s("executionId", "1"),
            s("executionStatus", "Done")
        ]));
        let err = Execution::from_record(&record, &path, service()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "$.resourceLogs[0].scopeLogs[0].logRecords[0].attributes[4].value: expected a stringValue Scheduled, Running, Completed or Unknown"
        );
    }
}
