//! Integration tests of sapland-core: wire shapes pinned by literal JSON, system exports,
//! job logs.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod job;
mod scim;
mod system;
