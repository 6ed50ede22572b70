//! [`Reach`]: what every outbound call of one command or service shares — the trust and
//! timeouts of its HTTPS clients, and the one clock its retries, pacing, tokens and job times
//! read and wait on.

use std::sync::Arc;
use std::time::Duration;

use crate::clock::{Clock, SystemClock};
use crate::https::HttpsOptions;

/// Trust plus clock: handed to every client a command builds (`scim`, `calm`, the systems'
/// clients), so they trust the same roots and wait on the same clock. Two clocks in one process
/// drift apart on a manual landscape; one `Reach` per command keeps them one.
#[derive(Debug, Clone)]
pub struct Reach {
    /// Trust (system roots plus `--ca-cert`/`SSL_CERT_FILE`), `TrustAll` and timeouts;
    /// per-system client certificates are added by whoever builds that system's client.
    pub https: HttpsOptions,
    /// The clock of retries, pacing, tokens and job times.
    pub clock: Arc<dyn Clock>,
}

impl Reach {
    /// Trust `https` and wait on `clock`.
    pub fn new(https: HttpsOptions, clock: Arc<dyn Clock>) -> Self {
        Self { https, clock }
    }

    /// The same, with `timeout` for a whole exchange.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.https.timeout = Some(timeout);
        self
    }
}

impl Default for Reach {
    /// The system roots and the system clock.
    fn default() -> Self {
        Self::new(HttpsOptions::default(), Arc::new(SystemClock))
    }
}
