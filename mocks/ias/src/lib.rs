//! A mock SAP Cloud Identity Services – Identity Authentication (IAS) tenant.
//!
//! **Invariant:** behaves like a real IAS tenant as far as `reference/ips-ias.md` §3–§4 tell,
//! and labels every choice beyond that `proposed`; it never depends on sapland's client crates.

pub mod admin;
pub mod auth;
pub mod config;
pub mod csv_import;
pub mod directory;
pub mod mock;
pub mod realtime;
pub mod routes;
pub mod scim;
pub mod seed;
pub mod tenant;
pub mod throttle;
