//! IPS's retry rule ([DOC] `reference/ips-ias.md` §2.5): a request that fails with a timeout,
//! 429 (rate limit) or 502 (bad gateway) is tried again `ips.failed.request.retry.attempts`
//! times (default 2, at most 3) after `ips.failed.request.retry.attempts.interval` seconds
//! (default 30, at most 60). Other statuses are not retried. A 429's `Retry-After` (seconds or
//! an HTTP date) is honoured in place of the interval.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// When and how often to try a failed request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    attempts: u32,
    interval: Duration,
}

impl RetryPolicy {
    /// IPS's default number of retries.
    pub const DEFAULT_ATTEMPTS: u32 = 2;
    /// IPS's maximum number of retries; larger values are clamped to it.
    pub const MAX_ATTEMPTS: u32 = 3;
    /// IPS's default wait between tries (the property list's 30 s; the IAS connector pages
    /// pre-fill 60, §7 item 2).
    pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
    /// IPS's maximum wait between tries; larger values are clamped to it.
    pub const MAX_INTERVAL: Duration = Duration::from_secs(60);
    /// The longest `Retry-After` honoured; a server asking for more gets this (**proposed**:
    /// IAS blocks for 60 s, §3.6, and a job should not stall on a hostile header).
    pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

    /// `attempts` retries after `interval`, clamped to IPS's maxima (3 and 60 s).
    pub fn new(attempts: u32, interval: Duration) -> Self {
        Self {
            attempts: attempts.min(Self::MAX_ATTEMPTS),
            interval: interval.min(Self::MAX_INTERVAL),
        }
    }

    /// No retries.
    pub fn none() -> Self {
        Self::new(0, Duration::ZERO)
    }

    /// How many times a failed request is tried again (so a request is sent at most
    /// `attempts() + 1` times).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The wait before a retry when the server names none.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The wait before trying again after the `tries`-th try failed with `status` (or with a
    /// timeout when `status` is `None`), or `None` when the failure is final.
    pub(crate) fn after_failure(
        &self,
        tries: u32,
        status: Option<u16>,
        headers: Option<&HeaderMap>,
        now: Timestamp,
    ) -> Option<Duration> {
        if tries > self.attempts {
            return None;
        }
        match status {
            None | Some(502) => Some(self.interval),
            Some(429) => Some(
                headers
                    .and_then(|h| retry_after(h, now))
                    .unwrap_or(self.interval),
            ),
            Some(_) => None,
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new(Self::DEFAULT_ATTEMPTS, Self::DEFAULT_INTERVAL)
    }
}

/// `Retry-After` (RFC 9110 §10.2.3): delay seconds or an HTTP date, capped at
/// [`RetryPolicy::MAX_RETRY_AFTER`]; a date in the past means no wait.
pub(crate) fn retry_after(headers: &HeaderMap, now: Timestamp) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = if let Ok(seconds) = text.parse::<u64>() {
        Duration::from_secs(seconds)
    } else {
        let at = jiff::fmt::rfc2822::parse(text).ok()?.timestamp();
        let ahead = at.duration_since(now);
        if ahead.is_negative() {
            Duration::ZERO
        } else {
            ahead.unsigned_abs()
        }
    };
    Some(wait.min(RetryPolicy::MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn now() -> Timestamp {
        "2026-11-22T09:00:00Z".parse().unwrap()
    }

    /// [DOC] §2.5: default 2 attempts after 30 s; at most 3 and 60 s.
    #[test]
    fn defaults_and_clamping() {
        let policy = RetryPolicy::default();
        assert_eq!(
            (policy.attempts(), policy.interval()),
            (2, Duration::from_secs(30))
        );
        let clamped = RetryPolicy::new(10, Duration::from_secs(600));
        assert_eq!(
            (clamped.attempts(), clamped.interval()),
            (3, Duration::from_secs(60))
        );
    }

    /// [DOC] §2.5: timeout, 429 and 502 are retried; other statuses are not.
    #[test]
    fn which_failures_are_retried() {
        let policy = RetryPolicy::default();
        let wait = |tries, status| policy.after_failure(tries, status, None, now());
        assert_eq!(wait(1, None), Some(Duration::from_secs(30)));
        assert_eq!(wait(1, Some(502)), Some(Duration::from_secs(30)));
        assert_eq!(wait(2, Some(429)), Some(Duration::from_secs(30)));
        assert_eq!(wait(3, Some(429)), None, "2 retries after the first try");
        for status in [400, 401, 403, 404, 409, 500, 503, 504] {
            assert_eq!(wait(1, Some(status)), None, "{status}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_an_http_date() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("17"));
        assert_eq!(retry_after(&headers, now()), Some(Duration::from_secs(17)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 22 Nov 2026 09:01:30 GMT"),
        );
        assert_eq!(retry_after(&headers, now()), Some(Duration::from_secs(90)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 22 Nov 2026 08:00:00 GMT"),
        );
        assert_eq!(retry_after(&headers, now()), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("86400"));
        assert_eq!(
            retry_after(&headers, now()),
            Some(RetryPolicy::MAX_RETRY_AFTER)
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now()), None);
        let policy = RetryPolicy::default();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("5"));
        assert_eq!(
            policy.after_failure(1, Some(429), Some(&headers), now()),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            policy.after_failure(1, Some(502), Some(&headers), now()),
            Some(Duration::from_secs(30)),
            "Retry-After is read on 429 only"
        );
    }
}
