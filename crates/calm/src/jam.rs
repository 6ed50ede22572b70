//! Job & Automation Monitoring.
//!
//! Reporting (**proposed**, `reference/cloud-alm.md` §2.9: no public push API): one OTLP log
//! record per job execution through the logs push with `useCase=JAM`, the service in the
//! resource attributes `sap.cloudalm.serviceId` (and `sap.cloudalm.serviceName`), the execution
//! in the record attributes `jobType`, `jobName`, `jobId`, `executionId`, `executionStatus`,
//! `applicationStatus`, `plannedStartTime`, `startTime`, `endTime` (RFC 3339),
//! `runTimeSeconds` (double), `user`, and counters as `intValue` attributes.
//!
//! Reading: executions back through the logs provider `jam.run` ([DOC] §2.8), and aggregates
//! through the analytics provider `DP_JOB_MONITORING` ([SAMPLE] §2.6).

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use serde::Serialize;

use crate::analytics::{AnalyticsQuery, AnalyticsRow, DP_JOB_MONITORING};
use crate::client::Client;
use crate::error::Error;
use crate::logs::{LogsQuery, LogsWindow, UseCase};
use crate::otlp::{
    AnyValue, ExportLogsServiceRequest, KeyValue, LogRecord, SERVICE_ID, SERVICE_NAME, unix_nanos,
};

/// The job type the Identity Provisioning agent reports (**proposed**).
pub const IPS_JOB_TYPE: &str = "IPS_PROVISIONING_JOB";

/// The logs provider of job executions.
pub const RUN_PROVIDER: &str = "jam.run";

/// The instrumentation scope of sapland's records.
const SCOPE: &str = "sapland";

/// The record attributes a [`JobExecution`] writes itself; counters may not use these names.
const STANDARD: [&str; 11] = [
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

/// Cloud ALM's execution status ([3P] §2.9: BTP Job Scheduling's *Status*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ExecutionStatus {
    /// Planned, not started.
    Scheduled,
    /// Started, not finished.
    Running,
    /// Finished (successfully or not: see [`ApplicationStatus`]).
    Completed,
    /// Not known.
    Unknown,
}

/// Cloud ALM's application status ([3P] §2.9: BTP Job Scheduling's *State*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ApplicationStatus {
    /// The job did what it should.
    Success,
    /// It finished with warnings.
    Warning,
    /// It failed.
    Error,
    /// Not known (yet).
    Unknown,
}

impl ExecutionStatus {
    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "Scheduled",
            Self::Running => "Running",
            Self::Completed => "Completed",
            Self::Unknown => "Unknown",
        }
    }

    /// Reads the wire text; anything else is `Unknown`.
    pub fn parse(text: &str) -> Self {
        match text {
            "Scheduled" => Self::Scheduled,
            "Running" => Self::Running,
            "Completed" => Self::Completed,
            _ => Self::Unknown,
        }
    }
}

impl ApplicationStatus {
    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "Success",
            Self::Warning => "Warning",
            Self::Error => "Error",
            Self::Unknown => "Unknown",
        }
    }

    /// Reads the wire text; anything else is `Unknown`.
    pub fn parse(text: &str) -> Self {
        match text {
            "Success" => Self::Success,
            "Warning" => Self::Warning,
            "Error" => Self::Error,
            _ => Self::Unknown,
        }
    }
}

impl fmt::Display for ExecutionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The service (landscape object) jobs run for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JamService {
    /// Its LMS ID.
    pub service_id: String,
    /// Its name, for people (the IPS agent uses the source system's name).
    pub service_name: Option<String>,
}

/// One execution of a job.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobExecution {
    /// The job type, such as [`IPS_JOB_TYPE`].
    pub job_type: String,
    /// The job's name, such as `HR File READ`.
    pub job_name: String,
    /// The job's id, the same for every execution, such as `HR File|READ`.
    pub job_id: String,
    /// This execution's id.
    pub execution_id: String,
    /// Execution status.
    pub execution_status: ExecutionStatus,
    /// Application status.
    pub application_status: ApplicationStatus,
    /// When it was planned to start.
    pub planned_start_time: Option<Timestamp>,
    /// When it started.
    pub start_time: Option<Timestamp>,
    /// When it ended.
    pub end_time: Option<Timestamp>,
    /// Its run time in seconds; from start and end when not given.
    pub run_time_seconds: Option<f64>,
    /// The user it ran as.
    pub user: Option<String>,
    /// Counters such as `created`, `updated`, `deleted`, `skipped`, `failed`, `read`.
    pub counters: Vec<(String, i64)>,
}

impl JobExecution {
    /// The run time: as given, or end − start.
    pub fn run_time(&self) -> Option<f64> {
        self.run_time_seconds.or_else(|| {
            let (start, end) = (self.start_time?, self.end_time?);
            Some(end.duration_since(start).as_secs_f64().max(0.0))
        })
    }

    /// The logs push of this execution for `service`, observed at `observed`: one record at
    /// the end time (or start time, or `observed`), severity `ERROR` for an application error,
    /// `WARN` for a warning, else `INFO`. Counters named like a standard attribute are left
    /// out.
    pub fn to_logs(&self, service: &JamService, observed: Timestamp) -> ExportLogsServiceRequest {
        let severity = match self.application_status {
            ApplicationStatus::Error => "ERROR",
            ApplicationStatus::Warning => "WARN",
            _ => "INFO",
        };
        let at = self.end_time.or(self.start_time).unwrap_or(observed);
        let mut record = LogRecord::new(
            at,
            severity,
            format!(
                "{}: {}, {}",
                self.job_name, self.execution_status, self.application_status
            ),
        );
        record.observed_time_unix_nano = unix_nanos(observed);
        let attributes = &mut record.attributes;
        attributes.push(KeyValue::string("jobType", &self.job_type));
        attributes.push(KeyValue::string("jobName", &self.job_name));
        attributes.push(KeyValue::string("jobId", &self.job_id));
        attributes.push(KeyValue::string("executionId", &self.execution_id));
        attributes.push(KeyValue::string(
            "executionStatus",
            self.execution_status.as_str(),
        ));
        attributes.push(KeyValue::string(
            "applicationStatus",
            self.application_status.as_str(),
        ));
        for (name, time) in [
            ("plannedStartTime", self.planned_start_time),
            ("startTime", self.start_time),
            ("endTime", self.end_time),
        ] {
            if let Some(time) = time {
                attributes.push(KeyValue::string(name, time.to_string()));
            }
        }
        if let Some(seconds) = self.run_time() {
            attributes.push(KeyValue::double("runTimeSeconds", seconds));
        }
        if let Some(user) = &self.user {
            attributes.push(KeyValue::string("user", user));
        }
        for (name, value) in &self.counters {
            if !STANDARD.contains(&name.as_str()) {
                attributes.push(KeyValue::int(name, *value));
            }
        }
        let mut resource = vec![KeyValue::string(SERVICE_ID, &service.service_id)];
        if let Some(name) = &service.service_name {
            resource.push(KeyValue::string(SERVICE_NAME, name));
        }
        ExportLogsServiceRequest::for_resource(resource, SCOPE, vec![record])
    }

    /// Reads an execution from a `jam.run` record. Errors name the attribute.
    pub fn from_record(record: &LogRecord) -> Result<Self, String> {
        let text = |name: &str| record.attribute(name).and_then(AnyValue::as_str);
        let required = |name: &str| {
            text(name)
                .map(str::to_string)
                .ok_or_else(|| format!("attribute {name} is missing or not a string"))
        };
        let time = |name: &str| -> Result<Option<Timestamp>, String> {
            text(name)
                .map(|value| {
                    value
                        .parse::<Timestamp>()
                        .map_err(|_| format!("attribute {name} is not an RFC 3339 time: {value:?}"))
                })
                .transpose()
        };
        let counters = record
            .attributes
            .iter()
            .filter(|kv| !STANDARD.contains(&kv.key.as_str()))
            .filter_map(|kv| match kv.value {
                AnyValue::IntValue(n) => Some((kv.key.clone(), n)),
                _ => None,
            })
            .collect();
        Ok(Self {
            job_type: required("jobType")?,
            job_name: required("jobName")?,
            job_id: required("jobId")?,
            execution_id: required("executionId")?,
            execution_status: ExecutionStatus::parse(text("executionStatus").unwrap_or_default()),
            application_status: ApplicationStatus::parse(
                text("applicationStatus").unwrap_or_default(),
            ),
            planned_start_time: time("plannedStartTime")?,
            start_time: time("startTime")?,
            end_time: time("endTime")?,
            run_time_seconds: record
                .attribute("runTimeSeconds")
                .and_then(AnyValue::as_f64),
            user: text("user").map(str::to_string),
            counters,
        })
    }
}

/// One job's aggregates over the analytics period, summed over the period's rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSummary {
    /// `serviceId`.
    pub service_id: String,
    /// `serviceName`.
    pub service_name: String,
    /// `serviceType`.
    pub service_type: String,
    /// `jobType`.
    pub job_type: String,
    /// `jobName`.
    pub job_name: String,
    /// `jobId`.
    pub job_id: String,
    /// `executions`.
    pub executions: f64,
    /// `runTime` (seconds, summed).
    pub run_time: f64,
    /// `success`.
    pub success: f64,
    /// `warning`.
    pub warning: f64,
    /// `aborted`.
    pub aborted: f64,
    /// `applicationWarning`.
    pub application_warning: f64,
    /// `applicationError`.
    pub application_error: f64,
}

/// Sums `DP_JOB_MONITORING` rows per service and job, sorted by service name, job type, job
/// name and job id.
pub fn summarize(rows: &[AnalyticsRow]) -> Vec<JobSummary> {
    let mut jobs: BTreeMap<(String, String, String, String, String), JobSummary> = BTreeMap::new();
    for row in rows {
        let dimension = |name: &str| row.dimension(name).unwrap_or_default().to_string();
        let key = (
            dimension("serviceName"),
            dimension("jobType"),
            dimension("jobName"),
            dimension("jobId"),
            dimension("serviceId"),
        );
        let job = jobs.entry(key).or_insert_with(|| JobSummary {
            service_id: dimension("serviceId"),
            service_name: dimension("serviceName"),
            service_type: dimension("serviceType"),
            job_type: dimension("jobType"),
            job_name: dimension("jobName"),
            job_id: dimension("jobId"),
            ..JobSummary::default()
        });
        job.executions += row.measure("executions");
        job.run_time += row.measure("runTime");
        job.success += row.measure("success");
        job.warning += row.measure("warning");
        job.aborted += row.measure("aborted");
        job.application_warning += row.measure("applicationWarning");
        job.application_error += row.measure("applicationError");
    }
    jobs.into_values().collect()
}

impl Client {
    /// Reports one execution: a logs push with `useCase=JAM` (scope
    /// [`crate::scope::LOGS_WRITE`], **proposed**), observed now on the client's clock.
    pub async fn report_job(
        &self,
        service: &JamService,
        execution: &JobExecution,
    ) -> Result<(), Error> {
        let request = execution.to_logs(service, self.clock().now());
        self.push_logs(UseCase::Jam, &service.service_id, &request)
            .await
    }

    /// The executions of a service read from `jam.run` over `window`, of one job when
    /// `job_id` is given, sorted by start time. Records that are not job executions are
    /// skipped.
    pub async fn job_executions(
        &self,
        service_id: &str,
        job_id: Option<&str>,
        window: LogsWindow,
    ) -> Result<Vec<JobExecution>, Error> {
        let read = self
            .read_logs(&LogsQuery::new(RUN_PROVIDER, service_id, window))
            .await?;
        let mut executions: Vec<JobExecution> = read
            .records()
            .filter_map(|(_, record)| JobExecution::from_record(record).ok())
            .filter(|execution| job_id.is_none_or(|id| execution.job_id == id))
            .collect();
        executions.sort_by_key(|execution| (execution.start_time, execution.end_time));
        Ok(executions)
    }

    /// The jobs of `DP_JOB_MONITORING` over `period` (such as `L7D`), of one service or all,
    /// summed per job ([`summarize`]).
    pub async fn job_summaries(
        &self,
        service_id: Option<&str>,
        period: &str,
    ) -> Result<Vec<JobSummary>, Error> {
        let mut query = AnalyticsQuery::new(DP_JOB_MONITORING);
        query.period = period.to_string();
        query.query = service_id.map(|id| format!("serviceId={id}"));
        Ok(summarize(&self.analytics(&query).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn execution() -> JobExecution {
        JobExecution {
            job_type: IPS_JOB_TYPE.into(),
            job_name: "HR File READ".into(),
            job_id: "HR File|READ".into(),
            execution_id: "job-42".into(),
            execution_status: ExecutionStatus::Completed,
            application_status: ApplicationStatus::Error,
            planned_start_time: Some("2026-06-10T02:00:00Z".parse().unwrap()),
            start_time: Some("2026-06-10T02:00:07Z".parse().unwrap()),
            end_time: Some("2026-06-10T02:14:40Z".parse().unwrap()),
            run_time_seconds: None,
            user: Some("CALMBATCH".into()),
            counters: vec![
                ("created".into(), 12),
                ("failed".into(), 1),
                ("jobId".into(), 9),
            ],
        }
    }

    /// The contract's JAM record (§2.9 proposed), literally.
    #[test]
    fn an_execution_is_one_log_record_with_the_contract_attributes() {
        let service = JamService {
            service_id: "lms-1".into(),
            service_name: Some("HR File".into()),
        };
        let observed: Timestamp = "2026-06-10T02:15:00Z".parse().unwrap();
        let request = execution().to_logs(&service, observed);
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"resourceLogs":[{"resource":{"attributes":[
                {"key":"sap.cloudalm.serviceId","value":{"stringValue":"lms-1"}},
                {"key":"sap.cloudalm.serviceName","value":{"stringValue":"HR File"}}]},
              "scopeLogs":[{"scope":{"name":"sapland"},"logRecords":[{
                "timeUnixNano":"1781057680000000000","observedTimeUnixNano":"1781057700000000000",
                "severityNumber":17,"severityText":"ERROR",
                "body":{"stringValue":"HR File READ: Completed, Error"},
                "attributes":[
                  {"key":"jobType","value":{"stringValue":"IPS_PROVISIONING_JOB"}},
                  {"key":"jobName","value":{"stringValue":"HR File READ"}},
                  {"key":"jobId","value":{"stringValue":"HR File|READ"}},
                  {"key":"executionId","value":{"stringValue":"job-42"}},
                  {"key":"executionStatus","value":{"stringValue":"Completed"}},
                  {"key":"applicationStatus","value":{"stringValue":"Error"}},
                  {"key":"plannedStartTime","value":{"stringValue":"2026-06-10T02:00:00Z"}},
                  {"key":"startTime","value":{"stringValue":"2026-06-10T02:00:07Z"}},
                  {"key":"endTime","value":{"stringValue":"2026-06-10T02:14:40Z"}},
                  {"key":"runTimeSeconds","value":{"doubleValue":873.0}},
                  {"key":"user","value":{"stringValue":"CALMBATCH"}},
                  {"key":"created","value":{"intValue":"12"}},
                  {"key":"failed","value":{"intValue":"1"}}]}]}]}]})
        );
    }

    #[test]
    fn an_execution_reads_back_from_its_record() {
        let service = JamService {
            service_id: "lms-1".into(),
            service_name: None,
        };
        let request = execution().to_logs(&service, "2026-06-10T02:15:00Z".parse().unwrap());
        let (_, record) = request.records().next().unwrap();
        let read = JobExecution::from_record(record).unwrap();
        let mut expected = execution();
        expected.run_time_seconds = Some(873.0);
        expected.counters.retain(|(name, _)| name != "jobId");
        assert_eq!(read, expected);
        let mut broken = record.clone();
        broken.attributes.retain(|kv| kv.key != "jobId");
        assert_eq!(
            JobExecution::from_record(&broken).unwrap_err(),
            "attribute jobId is missing or not a string"
        );
    }

    #[test]
    fn rows_are_summed_per_job_and_sorted_by_service_and_type() {
        let row = |service: &str, job: &str, day: &str, executions: u32, errors: u32| {
            AnalyticsRow::from_generic(&json!({
                "date": day, "d1k": "serviceName", "d1v": service, "d2k": "jobType",
                "d2v": IPS_JOB_TYPE, "d3k": "jobId", "d3v": job, "d4k": "jobName", "d4v": job,
                "m1k": "executions", "m1v": executions, "m2k": "applicationError", "m2v": errors,
                "m3k": "runTime", "m3v": 1.5
            }))
            .unwrap()
        };
        let jobs = summarize(&[
            row("Zeta", "z", "2026-11-21", 1, 0),
            row("Alpha", "a", "2026-11-21", 2, 1),
            row("Alpha", "a", "2026-11-22", 3, 0),
        ]);
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0].service_name, "Alpha");
        assert_eq!(jobs[0].executions, 5.0);
        assert_eq!(jobs[0].application_error, 1.0);
        assert_eq!(jobs[0].run_time, 3.0);
        assert_eq!(jobs[1].service_name, "Zeta");
    }
}
