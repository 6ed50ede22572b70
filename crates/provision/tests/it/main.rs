//! Integration tests of sapland-provision.
