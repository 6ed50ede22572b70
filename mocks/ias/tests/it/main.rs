//! Integration tests of the mock IAS.

mod scim_filter;
mod scim_patch;
