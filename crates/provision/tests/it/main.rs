//! Integration tests of sapland-provision.

mod random;
mod records;
mod store;
