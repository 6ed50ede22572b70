//! Integration tests of the inbound server: plain HTTP and TLS, HTTP/1.1 and HTTP/2, client
//! certificates, handshakes and graceful shutdown.

mod serve;
mod support;
mod tls;
