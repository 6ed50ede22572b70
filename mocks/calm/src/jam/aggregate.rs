//! Aggregates of job executions per job and time bucket: the dimensions and measures of the
//! `DP_JOB_MONITORING` provider (reference §2.6: `serviceType, serviceId, serviceName, jobType,
//! jobName, jobId`; `runTime, averageRunTime, executions, success, warning, aborted,
//! applicationWarning, applicationError`). What each measure counts is **proposed**:
//!
//! - `executions`: executions whose time (start, else planned start) lies in the bucket;
//! - `success`: those with application status `Success`;
//! - `warning`: those rated WARNING overall;
//! - `aborted`: those whose execution status is `Unknown` (rated critical);
//! - `applicationWarning` / `applicationError`: application status `Warning` / `Error`;
//! - `runTime`: the sum of their run times in seconds; `averageRunTime`: its mean.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::execution::{ApplicationStatus, ExecutionStatus, Executions};
use super::rating::{Rated, Rating, rate_job};
use crate::config::RatingRules;
use crate::period::{self, Unit, Window};

/// The dimensions, in the order the analytics rows list them.
pub const DIMENSIONS: [&str; 6] = [
    "serviceType",
    "serviceId",
    "serviceName",
    "jobType",
    "jobName",
    "jobId",
];

/// The measures, in the order the analytics rows list them.
pub const MEASURES: [&str; 8] = [
    "runTime",
    "averageRunTime",
    "executions",
    "success",
    "warning",
    "aborted",
    "applicationWarning",
    "applicationError",
];

/// The measures of one job in one bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measures {
    executions: u64,
    success: u64,
    warning: u64,
    aborted: u64,
    application_warning: u64,
    application_error: u64,
    run_time: f64,
    timed: u64,
}

impl Measures {
    fn add(&mut self, rated: &Rated<'_>) {
        let e = rated.execution;
        self.executions += 1;
        match e.application_status {
            Some(ApplicationStatus::Success) => self.success += 1,
            Some(ApplicationStatus::Warning) => self.application_warning += 1,
            Some(ApplicationStatus::Error) => self.application_error += 1,
            _ => {}
        }
        if rated.overall == Rating::Warning {
            self.warning += 1;
        }
        if e.execution_status == ExecutionStatus::Unknown {
            self.aborted += 1;
        }
        if let Some(seconds) = e.run_time_seconds {
            self.run_time += seconds;
            self.timed += 1;
        }
    }

    /// The value of a measure by its name (see [`MEASURES`]).
    pub fn value(&self, measure: &str) -> Option<Value> {
        Some(match measure {
            "runTime" => json!(self.run_time),
            "averageRunTime" => json!(if self.timed == 0 {
                0.0
            } else {
                self.run_time / self.timed as f64
            }),
            "executions" => json!(self.executions),
            "success" => json!(self.success),
            "warning" => json!(self.warning),
            "aborted" => json!(self.aborted),
            "applicationWarning" => json!(self.application_warning),
            "applicationError" => json!(self.application_error),
            _ => return None,
        })
    }
}

/// One job's measures in one bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct JobBucket {
    /// The bucket's start.
    pub bucket: Timestamp,
    /// The dimension values, in the order of [`DIMENSIONS`].
    pub dimensions: [String; 6],
    /// The measures.
    pub measures: Measures,
}

/// The measures of every job per bucket of `resolution`, for executions whose time lies in
/// `window`; ratings are computed over each job's whole history. Ordered by bucket, then job.
pub fn aggregate(
    executions: &Executions,
    rules: &RatingRules,
    window: Window,
    resolution: Unit,
) -> Vec<JobBucket> {
    let mut rows: Vec<JobBucket> = Vec::new();
    for job in executions.by_job() {
        for rated in rate_job(&job, rules) {
            let e = rated.execution;
            let Some(time) = e.time().filter(|t| window.contains(*t)) else {
                continue;
            };
            let Some(bucket) = period::truncate(time, resolution) else {
                continue;
            };
            let dimensions = [
                e.service.service_type.clone().unwrap_or_default(),
                e.service.id.clone(),
                e.service.name.clone(),
                e.job_type.clone(),
                e.job_name.clone(),
                e.job_id.clone(),
            ];
            match rows
                .iter_mut()
                .find(|row| row.bucket == bucket && row.dimensions == dimensions)
            {
                Some(row) => row.measures.add(&rated),
                None => {
                    let mut measures = Measures::default();
                    measures.add(&rated);
                    rows.push(JobBucket {
                        bucket,
                        dimensions,
                        measures,
                    });
                }
            }
        }
    }
    rows.sort_by_key(|row| row.bucket);
    rows
}
