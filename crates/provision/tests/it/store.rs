//! The operational data store: relations, source state, jobs, locks, crash safety.

mod crash;
mod jobs;
mod open;
mod perf;
mod relations;
mod reports;
mod reset;
mod source_state;
mod support;
