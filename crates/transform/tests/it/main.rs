//! Integration tests of sapland-transform.

mod condition;
mod document;
mod engine;
mod functions;
mod path;
mod random;
mod templates;
