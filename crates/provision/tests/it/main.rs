//! Integration tests of sapland-provision.

mod random;
mod records;
mod runner;
mod store;
