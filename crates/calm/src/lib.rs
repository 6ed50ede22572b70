//! The SAP Cloud ALM client of the agent: it reads the binding (service key) of the SAP Cloud
//! ALM API service, gets OAuth client-credentials tokens with its client secret or X.509
//! certificate, and calls the APIs a third-party collector and the agent need
//! (`reference/cloud-alm.md` §1, §2, §6.4; the wire contract shared with the mock).
//!
//! **Invariant:** the only crate that knows Cloud ALM's wire formats as a client — service
//! keys, token requests and answers, and the APIs' paths, parameters, bodies and errors.
//! Callers hand it typed values and get typed values and errors back.
//!
//! - [`service_key`] — the key in its secret and X.509 variants, the API root and token URL.
//! - [`token`] — tokens cached on the [`Clock`], refreshed once on a 401.
//! - [`client`] — one client per key; the operations live in the modules named for them:
//!   [`landscape`] (registration, heartbeat, landscape objects), [`metrics`] and [`logs`]
//!   (raw data, OTLP JSON in [`otlp`], windows in [`window`]), [`analytics`] (OData
//!   `DataSet`), [`csa`] (Configuration & Security Analysis), [`jam`] (Job & Automation
//!   Monitoring).
//! - [`scope`] — the scope each endpoint needs; [`error`] — one error whose text fits a log.
//!
//! Where public material is silent the contract is sapland's own and marked **proposed**.
//!
//! [`Clock`]: sapland_outbound::clock::Clock

pub mod analytics;
pub mod check;
pub mod client;
pub mod csa;
pub mod error;
pub mod jam;
pub mod landscape;
pub mod logs;
pub mod metrics;
pub mod otlp;
pub mod scope;
pub mod service_key;
pub mod token;
pub mod window;

mod query;
mod send;

pub use analytics::{AnalyticsQuery, AnalyticsRow};
pub use check::{ApiCallCheck, ConnectionCheck, TokenCheck};
pub use client::{BuildError, Client};
pub use csa::{CsaItem, CsaItemRow, CsaSnapshot, CsaStore};
pub use error::{Error, ErrorKind};
pub use jam::{ApplicationStatus, ExecutionStatus, JamService, JobExecution, JobSummary};
pub use landscape::{LandscapeObject, LandscapeQuery, Page, Registered, Registration};
pub use logs::{LogsQuery, LogsWindow, UseCase};
pub use metrics::{MetricsQuery, MetricsWindow};
pub use sapland_core::scim::Secret;
pub use service_key::{CredentialType, ServiceKey, ServiceKeyError};
pub use token::{Token, TokenRequestStyle};
