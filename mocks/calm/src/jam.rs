//! Job & Automation Monitoring (reference §2.9): executions read from the log records pushed with
//! `useCase=JAM` (the push contract is **proposed**), rated against each job's own history, and
//! aggregated for the `DP_JOB_MONITORING` analytics provider and the `jam` metrics provider.

pub mod aggregate;
pub mod execution;
pub mod rating;
