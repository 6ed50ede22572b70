//! Integration tests of the mock kit: faults on the landscape clock, the redacted journal.

mod faults;
mod journal;
mod oauth;
