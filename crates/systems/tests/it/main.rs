//! Integration tests of sapland-systems.

mod directory;
