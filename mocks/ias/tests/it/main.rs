//! Integration tests of the mock IAS.

mod realtime_tls;
mod scim_filter;
mod scim_patch;
