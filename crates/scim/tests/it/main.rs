//! Integration tests of sapland-scim against an in-process mock landscape (manual clock, seed
//! 7). No test sleeps: waits go through a manual clock or the landscape clock.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod auth;
mod bulk;
mod crud;
mod pacing;
mod paging;
mod retry;
mod support;
