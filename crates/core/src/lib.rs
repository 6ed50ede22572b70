//! Domain types for sapland: SCIM 2.0 resources, IPS systems and their properties, provisioning
//! jobs and their logs.
//!
//! **Invariant:** this crate does no IO. It parses text it is given and returns values; files,
//! sockets, clocks and environment variables belong to the crates above it.

pub mod job;
pub mod json;
pub mod landscape;
pub mod scim;
pub mod system;
