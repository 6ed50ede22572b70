//! Integration tests of sapland-outbound against a running mock landscape.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod clock;
mod https;
