//! Ratings of job executions. SAP names what Job & Automation Monitoring rates — execution
//! status, application status, start delay and run time, "rated against history" (reference
//! §2.9) — but not how; the rules here are **proposed** and their thresholds configurable
//! ([`RatingRules`]):
//!
//! - execution status: `Unknown` is critical (the execution was lost), every other status OK;
//! - application status: `Success` OK, `Warning` and `Unknown` warning, `Error` critical;
//! - start delay (start − planned start): above 5 minutes warning, above 15 critical;
//! - run time: above 1.5× the median run time of the job's earlier executions warning, above 3×
//!   critical; OK while the job has no earlier run time;
//! - the execution's rating is the worst of these.

use serde::Serialize;
use serde_json::{Value, json};

use super::execution::{ApplicationStatus, Execution, ExecutionStatus};
use crate::config::RatingRules;

/// A rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Rating {
    /// Fine.
    Ok,
    /// Look at it.
    Warning,
    /// Act.
    Critical,
}

/// One execution with its ratings.
#[derive(Debug, Clone)]
pub struct Rated<'a> {
    /// The execution.
    pub execution: &'a Execution,
    /// The execution status's rating.
    pub execution_status: Rating,
    /// The application status's rating, when there is one.
    pub application_status: Option<Rating>,
    /// The start delay in seconds and its rating, when planned and actual start are known.
    pub start_delay: Option<(i64, Rating)>,
    /// The run time in seconds, the median of the earlier executions' run times (if any) and
    /// the rating, when the run time is known.
    pub run_time: Option<(f64, Option<f64>, Rating)>,
    /// The worst of the ratings.
    pub overall: Rating,
}

/// Rates the executions of one job, given in time order.
pub fn rate_job<'a>(executions: &[&'a Execution], rules: &RatingRules) -> Vec<Rated<'a>> {
    let mut history: Vec<f64> = Vec::new();
    executions
        .iter()
        .map(|execution| {
            let execution_status = match execution.execution_status {
                ExecutionStatus::Unknown => Rating::Critical,
                _ => Rating::Ok,
            };
            let application_status = execution.application_status.map(|status| match status {
                ApplicationStatus::Success => Rating::Ok,
                ApplicationStatus::Warning | ApplicationStatus::Unknown => Rating::Warning,
                ApplicationStatus::Error => Rating::Critical,
            });
            let start_delay = execution.start_delay_seconds().map(|delay| {
                let rating = if delay > rules.start_delay_critical_seconds {
                    Rating::Critical
                } else if delay > rules.start_delay_warning_seconds {
                    Rating::Warning
                } else {
                    Rating::Ok
                };
                (delay, rating)
            });
            let run_time = execution.run_time_seconds.map(|seconds| {
                let median = median(&history);
                let rating = match median {
                    Some(m) if m > 0.0 && seconds > m * rules.run_time_critical_factor => {
                        Rating::Critical
                    }
                    Some(m) if m > 0.0 && seconds > m * rules.run_time_warning_factor => {
                        Rating::Warning
                    }
                    _ => Rating::Ok,
                };
                history.push(seconds);
                (seconds, median, rating)
            });
            let overall = [
                Some(execution_status),
                application_status,
                start_delay.map(|(_, r)| r),
                run_time.map(|(_, _, r)| r),
            ]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(Rating::Ok);
            Rated {
                execution,
                execution_status,
                application_status,
                start_delay,
                run_time,
                overall,
            }
        })
        .collect()
}

/// The median of the values, if there are any.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    })
}

impl Rated<'_> {
    /// The execution with its ratings, as the admin views show it.
    pub fn to_json(&self) -> Value {
        let e = self.execution;
        let counters: serde_json::Map<String, Value> = e
            .counters
            .iter()
            .map(|(name, value)| (name.clone(), json!(value)))
            .collect();
        json!({
            "executionId": e.execution_id,
            "executionStatus": { "value": e.execution_status, "rating": self.execution_status },
            "applicationStatus": e.application_status.map(|status| json!({ "value": status, "rating": self.application_status })),
            "plannedStartTime": e.planned_start,
            "startTime": e.start,
            "endTime": e.end,
            "startDelay": self.start_delay.map(|(seconds, rating)| json!({ "seconds": seconds, "rating": rating })),
            "runTime": self.run_time.map(|(seconds, median, rating)| json!({ "seconds": seconds, "medianOfEarlier": median, "rating": rating })),
            "user": e.user,
            "counters": counters,
            "rating": self.overall,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jam::execution::Service;

    fn execution(id: &str, run_time: f64) -> Execution {
        Execution {
            service: Service {
                id: "s".into(),
                name: "n".into(),
                service_type: None,
            },
            job_type: "T".into(),
            job_name: "N".into(),
            job_id: "J".into(),
            execution_id: id.into(),
            execution_status: ExecutionStatus::Completed,
            application_status: Some(ApplicationStatus::Success),
            planned_start: None,
            start: None,
            end: None,
            run_time_seconds: Some(run_time),
            user: None,
            counters: Vec::new(),
            record_time: None,
        }
    }

    #[test]
    fn run_times_are_rated_against_the_median_of_earlier_runs() {
        let runs: Vec<Execution> = [10.0, 12.0, 11.0, 17.0, 40.0]
            .iter()
            .enumerate()
            .map(|(i, t)| execution(&i.to_string(), *t))
            .collect();
        let refs: Vec<&Execution> = runs.iter().collect();
        let rated = rate_job(&refs, &RatingRules::default());
        let ratings: Vec<Rating> = rated.iter().map(|r| r.run_time.unwrap().2).collect();
        // medians of earlier runs: none, 10, 11, 11, 11.5
        assert_eq!(
            ratings,
            [
                Rating::Ok,
                Rating::Ok,
                Rating::Ok,
                Rating::Warning,
                Rating::Critical
            ]
        );
        assert_eq!(rated[4].run_time.unwrap().1, Some(11.5));
        assert_eq!(rated[4].overall, Rating::Critical);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
