//! What every sapland mock shares: the landscape clock, seeded deterministic ids, the fault
//! engine and the journal of requests with secrets redacted.
//!
//! **Invariant:** nothing here knows any SAP service. A mock composes these parts; the parts
//! never look at what a mock serves.

pub mod clock;
pub mod faults;
pub mod form;
pub mod ids;
pub mod journal;
pub mod oauth;
pub mod redact;
