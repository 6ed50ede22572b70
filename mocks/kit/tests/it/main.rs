//! Integration tests of the mock kit: faults on the landscape clock, the redacted journal, the OAuth issuer, the admin surface, TLS and the server.

mod admin;
mod faults;
mod journal;
mod oauth;
mod serve;
mod tls;
