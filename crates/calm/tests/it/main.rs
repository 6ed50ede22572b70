//! The Cloud ALM client against a small fake Cloud ALM served in the test (plain HTTP, or TLS
//! with client certificates from a throwaway CA): tokens, every API, errors; and against the
//! landscape's mock Cloud ALM (`mock`), with the keys the landscape writes. Time comes from a
//! `ManualClock` or the landscape's manual clock; nothing sleeps.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod analytics;
mod landscape;
mod logs;
mod metrics;
mod mock;
mod support;
mod tls;
mod token;
