//! Integration tests of sapland-scim against an in-process mock landscape.
