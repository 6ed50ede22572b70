//! Integration tests of the inbound server: plain HTTP and TLS, HTTP/1.1 and HTTP/2, client
//! certificates, handshakes and graceful shutdown.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod serve;
mod support;
mod tls;
