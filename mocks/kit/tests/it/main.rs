//! Integration tests of the mock kit: faults on the landscape clock, the redacted journal, the OAuth issuer, the admin surface, the landscape CA.

mod admin;
mod ca;
mod faults;
mod journal;
mod oauth;
