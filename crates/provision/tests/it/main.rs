//! Integration tests of sapland-provision.

mod records;
mod store;
