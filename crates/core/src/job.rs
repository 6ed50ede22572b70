//! Provisioning jobs and their logs, as the IPS job log shows them.

mod entity_type;
mod log;
mod statistics;
mod types;

pub use entity_type::{EntityType, UnknownEntityType};
pub use log::{EntityLogRecord, EntityOutcome, SkipReason};
pub use statistics::{Action, StatisticsRow};
pub use types::{Job, JobStatus, JobType, ReadMode, TriggerType};
