//! What every sapland mock shares: the landscape CA and the certificates it issues, how a mock
//! declares its listeners and its `landscape.json` entry to the landscape, the `/_admin`
//! surface, the observe middleware (faults and the journal), the OAuth issuer, the landscape
//! clock and seeded deterministic ids. The server itself is `sapland-inbound`.
//!
//! **Invariant:** nothing here knows any SAP service. A mock composes these parts; the parts
//! never look at what a mock serves.

pub mod admin;
pub mod ca;
pub mod clock;
pub mod credentials;
pub mod declare;
pub mod faults;
pub mod files;
pub mod form;
pub mod ids;
pub mod journal;
pub mod kit;
pub mod oauth;
pub mod observe;
pub mod redact;
pub mod service;
