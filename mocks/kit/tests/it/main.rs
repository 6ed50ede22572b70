//! Integration tests of the mock kit: faults on the landscape clock, the redacted journal, the OAuth issuer, the admin surface, the landscape CA.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod admin;
mod ca;
mod faults;
mod journal;
mod oauth;
