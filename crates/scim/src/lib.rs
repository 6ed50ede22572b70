//! The SCIM client of the provisioning agent: reads and writes users and groups in SAP Cloud
//! Identity Services – Identity Authentication over its SCIM v2 API (Identity Directory,
//! `/scim`), its deprecated SCIM v1 API (`/service/scim`), or any SCIM 2.0 service, the way
//! SAP Identity Provisioning does (`reference/ips-ias.md` §2.4, §2.5, §2.8, §3).
//!
//! **Invariant:** the only crate that knows the SCIM wire format of IAS v1, v2 and generic
//! SCIM 2.0 as a client — paths, paging, update methods, error bodies, Bulk, token requests.
//! Callers hand it JSON resources and get JSON resources, typed errors and pages back.
//!
//! - [`dialect`] — what differs between IAS v2, IAS v1 and generic SCIM 2.0.
//! - [`auth`] and [`token`] — Basic, OAuth client credentials (cached on the [`Clock`]), client
//!   certificates.
//! - [`retry`] — IPS's retry rule: timeouts, 429 and 502, `attempts` after `interval`.
//! - [`pace`] — a shared requests-per-minute budget so a job stays under IAS's rate limit.
//! - [`filter`] — SCIM filter text with correct quoting, and IPS unique attributes.
//! - [`client`] and [`paging`] — the operations; lists page by page.
//! - [`bulk`] — `/Bulk` in batches with per-operation results; [`requests`] — the shapes of
//!   replace-all PATCHes, member batches and `/Bulk` operations.
//! - [`config`] — a client configuration from an IPS system's properties.
//! - [`error`] — one error type whose text fits a job log.
//!
//! [`Clock`]: sapland_outbound::clock::Clock

pub mod auth;
pub mod bulk;
pub mod client;
pub mod config;
pub mod dialect;
pub mod error;
pub mod filter;
pub mod pace;
pub mod paging;
pub mod requests;
pub mod retry;
pub mod token;

mod send;

pub use auth::{Auth, OAuth, OAuthCredential, TokenRequestStyle};
pub use bulk::BulkResult;
pub use client::{Client, ResourceType};
pub use config::{ClientConfig, ConfigError};
pub use dialect::Dialect;
pub use error::{Error, ErrorKind};
pub use filter::{Filter, UniqueAttribute};
pub use pace::Pace;
pub use paging::{ListQuery, Page, Pager};
pub use retry::RetryPolicy;
pub use sapland_core::scim::Secret;
