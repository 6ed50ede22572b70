//! The systems of a provisioning setup (DESIGN.md, *Configuration formats*): a directory of
//! IPS system exports with `secrets.toml`, each resolved (properties checked, defaults filled
//! in, credentials attached) with its transformation (the export's, or SAP's default for its
//! connector and role), the targets each source feeds by `relatedSystems`, the properties
//! `%property%` is filled from, and the SCIM client of each system.
//!
//! **Invariant:** the only crate that turns a systems directory into systems; everything above
//! it (jobs, compliance, the CLI) sees resolved systems and never reads an export or a secret
//! itself.

pub mod connect;
mod directory;
mod system;

pub use directory::{SECRETS_FILE, Systems, SystemsError};
pub use system::{Connector, System, TransformationOrigin, substitution_properties};
