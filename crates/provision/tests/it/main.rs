//! Integration tests of sapland-provision.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod catalogue;
mod random;
mod records;
mod runner;
mod store;
