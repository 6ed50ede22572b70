//! Integration tests of the mock Cloud ALM, driven through its routers in-process on a manual
//! landscape clock. Test names carry the reference rows (`ref_2_8_…` is reference/cloud-alm.md
//! §2.8) they check.

// A helper that unwraps fails its test, which is what a test helper should do.
#![allow(clippy::unwrap_used)]

mod analytics;
mod csa;
mod jam;
mod landscape;
mod logs;
mod metrics;
mod observe;
mod state;
mod support;
mod uaa;
