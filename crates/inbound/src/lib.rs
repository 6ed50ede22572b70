//! The inbound HTTPS server the mocks and the agent serve with: an axum router on a TCP listener,
//! plain HTTP or TLS with the ring provider passed explicitly, HTTP/1.1 and HTTP/2, a handshake per
//! connection task, the verified client certificate as a request extension, graceful shutdown.
//!
//! **Invariant:** knows no SAP service and no mock: it serves any axum `Router` over plain HTTP
//! or TLS with the certificates it is handed, and never issues a certificate or installs a
//! process-wide crypto provider.

pub mod serve;
pub mod tls;
