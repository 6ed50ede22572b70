//! The operational data (`reference/ips-ias.md` §2.3): everything a job must remember between
//! runs, in one embedded SQLite database, `<state-dir>/operational.db`.
//!
//! - **Relations** ([`Relation`]): per source system, target system, entity type and source id,
//!   the target id, the *existed before* flag, a fingerprint of what was last written and a
//!   [`RelationState`]. A write to a target is bracketed by two committed records — before
//!   ([`Store::begin_create`], [`Store::begin_delete`]) and after ([`Store::record_created`],
//!   [`Store::record_deleted`]) — so a process killed in between leaves a relation that is not
//!   `provisioned`, which the next job finds with [`Store::pending`] and resolves.
//! - **Source state** ([`SourceState`]): the delta-read watermark and the count of delta reads
//!   since the last full read (§2.2), and which `ips.trace.*.content` properties a job has
//!   already used (§2.6).
//! - **Jobs**: one row per job, its entity log records, and a job lock per source system so that
//!   two jobs of one source never run at once; a lock left by a process that died is taken over.
//! - **Reports** ([`Report`]): job reports for Cloud ALM waiting to be sent.
//!
//! Every method is one committed transaction; [`Store::transaction`] groups several. The
//! database runs in WAL mode with `synchronous=FULL`: a committed transaction survives a crash
//! of the process and of the machine, an uncommitted one is never seen.
//! [`Store::provisional`] commits without waiting for the disk, for what the next job repairs
//! if a power cut loses it (pending creates, job log pages); it survives a killed process.
//! `docs/flows/provisioning.md` describes the schema and the crash-safety protocol.

mod checkpoint;
mod db;
mod error;
mod jobs;
mod lock;
mod process;
mod relations;
mod reports;
mod reset;
mod resolver;
mod schema;
mod source_state;
mod sql;
mod trace;

pub use db::Store;
pub use error::StoreError;
pub use jobs::{LogFilter, LogKind};
pub use lock::{DEFAULT_LEASE, JobLock};
pub use relations::{Relation, RelationKey, RelationState};
pub use reports::Report;
pub use reset::ResetSummary;
pub use resolver::Resolver;
pub use schema::SCHEMA_VERSION;
pub use source_state::SourceState;
pub use trace::TRACE_CONTENT_PROPERTIES;
