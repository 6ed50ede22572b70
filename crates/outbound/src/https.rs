//! HTTPS clients for every outbound connection of the agent: one trust rule (the system roots
//! plus the PEM bundle from `--ca-cert FILE` or `SSL_CERT_FILE`, DESIGN.md), one crypto
//! provider (ring, handed to rustls explicitly — no process-wide default is installed), an
//! optional client certificate for mTLS, and IPS's `TrustAll` when a system asks for it.
//!
//! The caller reads files and the environment; this module only turns PEM text into a
//! [`reqwest::Client`] ([`build`]) and explains why a request got no HTTP answer
//! ([`TransportError`]), with the fix where there is one.

mod build;
mod failure;
mod options;
mod roots;
mod trust_all;

pub use build::{HttpsError, build, client_builder, tls_config};
pub use failure::TransportError;
pub use options::{ClientIdentity, HttpsOptions, PemSource, PrivateKeyPem, TRUST_ALL_WARNING};
