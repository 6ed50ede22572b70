//! The SCIM protocol machinery of the mock: attribute paths, filters and PATCH.

pub mod filter;
pub mod patch;
pub mod path;
