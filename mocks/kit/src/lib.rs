//! What every sapland mock shares: TLS with the landscape CA and the server runner, the
//! `/_admin` surface, the observe middleware (faults and the journal), the OAuth issuer, the
//! landscape clock and seeded deterministic ids.
//!
//! **Invariant:** nothing here knows any SAP service. A mock composes these parts; the parts
//! never look at what a mock serves.

pub mod admin;
pub mod clock;
pub mod credentials;
pub mod faults;
pub mod form;
pub mod ids;
pub mod journal;
pub mod kit;
pub mod oauth;
pub mod observe;
pub mod redact;
pub mod serve;
pub mod service;
pub mod tls;
