//! Integration tests of sapland-transform.

mod condition;
mod document;
mod path;
mod templates;
