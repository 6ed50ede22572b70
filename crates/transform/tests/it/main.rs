//! Integration tests of sapland-transform.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod condition;
mod document;
mod engine;
mod functions;
mod path;
mod random;
mod templates;
