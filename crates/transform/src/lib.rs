//! The SAP Identity Provisioning transformation language (`reference/ips-ias.md` §1): documents
//! parsed and validated with the location of every problem, JSONPath in the IPS (Jayway)
//! dialect, the condition language, and SAP's default transformations.
//!
//! **Invariant:** pure — no IO, no clock, no environment; everything an evaluation needs comes
//! in as arguments.

pub mod condition;
pub mod document;
pub mod engine;
pub mod functions;
pub mod javadate;
pub mod path;
pub mod templates;
