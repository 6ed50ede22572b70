//! Integration tests of sapland-core: wire shapes pinned by literal JSON, system exports,
//! job logs.

mod job;
mod scim;
mod system;
