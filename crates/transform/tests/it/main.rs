//! Integration tests of sapland-transform.

mod condition;
mod document;
mod functions;
mod path;
mod templates;
