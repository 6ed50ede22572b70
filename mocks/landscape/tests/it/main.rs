//! Integration tests of the landscape: what `sapland up` starts and what `landscape.json` says.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod calm;
mod landscape;
