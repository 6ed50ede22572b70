//! Integration tests of the mock IAS.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod realtime_tls;
mod scim_filter;
mod scim_patch;
