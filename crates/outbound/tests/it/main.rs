//! Integration tests of sapland-outbound against a running mock landscape.

mod clock;
mod https;
