//! Reporting jobs to SAP Cloud ALM Job & Automation Monitoring (DESIGN.md flow 4;
//! `reference/cloud-alm.md` §2.9, §4): every Read, Resync and Simulate job becomes one job
//! execution of the Identity Provisioning service in Cloud ALM, named after the source system
//! and the job type. A job's report is queued in the transaction that ends the job and sent after; what
//! cannot be sent stays queued and goes with the next job, so Cloud ALM being down never blocks
//! or fails a job.

use std::time::Duration;

use sapland_calm::{
    ApplicationStatus, BuildError, Client, ExecutionStatus, JamService, JobExecution,
    LandscapeQuery, ServiceKey, TokenRequestStyle, jam::IPS_JOB_TYPE,
};
use sapland_core::job::{Action, Job, JobStatus, JobType};
use sapland_outbound::Reach;
use serde_json::json;

use crate::store::{Store, StoreError};

/// The landscape object type of Identity Provisioning in Cloud ALM (**proposed**: the name the
/// mock pre-registers; SAP-managed services come from SLIS, §4).
pub const IPS_SERVICE_TYPE: &str = "SAP_CLOUD_IDENTITY_PROVISIONING";
/// The kind of the queued reports.
pub const REPORT_KIND: &str = "jam";
/// How many queued reports one job sends at most.
const SEND_AT_MOST: usize = 100;

/// Where jobs are reported. Cheap to clone; clones share the Cloud ALM client and its token.
#[derive(Debug, Clone)]
pub struct Monitoring {
    client: Client,
    service_id: Option<String>,
}

/// What reporting did after a job.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Reported {
    /// Reports sent now (this job's and queued ones).
    pub sent: usize,
    /// Reports still queued.
    pub queued: usize,
    /// Why sending stopped, when it did.
    pub error: Option<String>,
}

impl Monitoring {
    /// How long a request to Cloud ALM may take (**proposed**): short, so that reporting
    /// never holds a job's end up for long; what times out waits for the next job.
    pub const TIMEOUT: Duration = Duration::from_secs(10);

    /// Reports through `client` for the Cloud ALM service `service_id` (an LMS ID), or, when
    /// none is given, the first landscape object of type [`IPS_SERVICE_TYPE`].
    pub fn new(client: Client, service_id: Option<String>) -> Self {
        Self { client, service_id }
    }

    /// Reports with the service key `key`, trusting what `reach` trusts and waiting at most
    /// [`Monitoring::TIMEOUT`] for each request.
    pub fn connect(
        key: &ServiceKey,
        reach: &Reach,
        service_id: Option<String>,
    ) -> Result<Self, BuildError> {
        let reach = reach.clone().with_timeout(Self::TIMEOUT);
        let client = Client::new(key, &reach, TokenRequestStyle::default())?;
        Ok(Self::new(client, service_id))
    }

    /// Queues the report of `job` when it is one Cloud ALM is told about (Read, Resync,
    /// Simulate). The runner calls this in the transaction that ends the job, so a job never
    /// ends without its report queued.
    pub fn queue(store: &Store, job: &Job) -> Result<(), StoreError> {
        if matches!(
            job.job_type,
            JobType::Read | JobType::Resync | JobType::Simulate
        ) {
            store.queue_report(&job.id, REPORT_KIND, &json!({ "jobId": job.id }))?;
        }
        Ok(())
    }

    /// Sends every queued report, oldest first, until one fails; what fails stays queued for
    /// the next job. Only the operational data can fail this.
    pub async fn send_queued(&self, store: &Store) -> Result<Reported, StoreError> {
        let mut reported = Reported::default();
        let queued = store.queued_reports(REPORT_KIND, SEND_AT_MOST)?;
        if queued.is_empty() {
            return Ok(reported);
        }
        let service = match self.service().await {
            Ok(service) => service,
            Err(error) => {
                reported.queued = queued.len();
                reported.error = Some(error);
                return Ok(reported);
            }
        };
        let mut queued = queued.into_iter();
        for report in queued.by_ref() {
            let Some(reported_job) = store.job(&report.job_id)? else {
                store.report_sent(report.seq)?;
                continue;
            };
            let service = JamService {
                service_id: service.clone(),
                service_name: Some(reported_job.source_system.clone()),
            };
            match self
                .client
                .report_job(&service, &execution(&reported_job))
                .await
            {
                Ok(()) => {
                    store.report_sent(report.seq)?;
                    reported.sent += 1;
                }
                Err(err) => {
                    store.report_failed(report.seq, &err.to_string())?;
                    reported.error = Some(err.to_string());
                    reported.queued = 1 + queued.len();
                    break;
                }
            }
        }
        Ok(reported)
    }

    /// The LMS ID reports go to.
    async fn service(&self) -> Result<String, String> {
        if let Some(id) = &self.service_id {
            return Ok(id.clone());
        }
        let query = LandscapeQuery {
            service_type: Some(IPS_SERVICE_TYPE.to_string()),
            ..LandscapeQuery::default()
        };
        let page = self
            .client
            .landscape_objects(&query)
            .await
            .map_err(|err| err.to_string())?;
        page.items
            .into_iter()
            .map(|object| object.lms_id)
            .find(|id| !id.is_empty())
            .ok_or_else(|| {
                format!(
                    "Cloud ALM's landscape has no Identity Provisioning service (serviceType {IPS_SERVICE_TYPE}); name one with --calm-service-id"
                )
            })
    }
}

/// The job execution Cloud ALM is told about: `<source> <JOB TYPE>` as job name,
/// `<source>|<JOB TYPE>` as job id, the job's id as execution id, Completed with application
/// status Success or Error, and the statistics summed as counters.
pub fn execution(job: &Job) -> JobExecution {
    let job_type = job.job_type.as_str();
    let finished = job.end_time.is_some();
    let mut counters: Vec<(String, i64)> = Vec::new();
    let mut add = |name: &str, value: u64| {
        let value = i64::try_from(value).unwrap_or(i64::MAX);
        match counters.iter_mut().find(|(n, _)| n == name) {
            Some((_, total)) => *total = total.saturating_add(value),
            None => counters.push((name.to_string(), value)),
        }
    };
    for row in &job.statistics {
        match row.action {
            Action::Read => add("read", row.read),
            Action::Write => {
                add("created", row.created);
                add("updated", row.updated);
                add("deleted", row.deleted);
            }
        }
        add("skipped", row.skipped);
        add("failed", row.failed);
    }
    JobExecution {
        job_type: IPS_JOB_TYPE.to_string(),
        job_name: format!("{} {job_type}", job.source_system),
        job_id: format!("{}|{job_type}", job.source_system),
        execution_id: job.id.clone(),
        execution_status: if finished {
            ExecutionStatus::Completed
        } else {
            ExecutionStatus::Running
        },
        application_status: match job.status {
            JobStatus::Success => ApplicationStatus::Success,
            JobStatus::FinishedWithError | JobStatus::RunningWithError => ApplicationStatus::Error,
            _ => ApplicationStatus::Unknown,
        },
        planned_start_time: Some(job.start_time),
        start_time: Some(job.start_time),
        end_time: job.end_time,
        run_time_seconds: None,
        user: job.triggered_by.clone(),
        counters,
    }
}
