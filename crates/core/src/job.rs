//! Provisioning jobs and their logs, as the IPS job log shows them.

mod log;
mod statistics;
mod types;

pub use log::{EntityLogRecord, EntityOutcome, SkipReason};
pub use statistics::{Action, StatisticsRow};
pub use types::{Job, JobStatus, JobType, ReadMode, TriggerType};
