//! The provisioning agent (`reference/ips-ias.md` §2): over the systems of `sapland-systems`, Read
//! (full or delta), Resync, Simulate and Validate jobs that move identities from a source to its
//! targets through the transformations, the operational data that remembers what was written
//! where, and the job logs.
//!
//! **Invariant:** every write to a target is recorded in the operational data before and after
//! it happens, so a job killed at any moment neither loses nor duplicates an entity.

pub mod error;
pub mod fingerprint;
pub mod job;
pub mod monitor;
pub mod records;
pub mod source;
pub mod store;
pub mod target;
pub mod validate;
pub mod view;
