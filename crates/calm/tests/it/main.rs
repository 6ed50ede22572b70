//! The Cloud ALM client against a small fake Cloud ALM served in the test (plain HTTP, or TLS
//! with client certificates from a throwaway CA): tokens, every API, errors. Time comes from a
//! `ManualClock`; nothing sleeps.

mod analytics;
mod landscape;
mod logs;
mod metrics;
mod support;
mod tls;
mod token;
