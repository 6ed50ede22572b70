//! IAS's SCIM rate limit per tenant ([DOC] reference/ips-ias.md §3.6): up to 200 requests a
//! minute are served; the 201st to 280th are each delayed 1 s; from the 281st, every request is
//! answered 429 for 60 s. Counted on the landscape clock over a sliding minute.

use std::collections::VecDeque;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Requests a minute served at once.
pub const SERVED_PER_MINUTE: usize = 200;
/// Requests a minute served after a delay.
pub const DELAYED_UP_TO: usize = 280;
/// How long a tenant answers 429 once over the limit.
pub const BLOCK: SignedDuration = SignedDuration::from_secs(60);
/// The delay of a request in the 201–280 band.
pub const DELAY: SignedDuration = SignedDuration::from_secs(1);

/// Whether throttling is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThrottleMode {
    /// SAP's documented limits.
    #[default]
    Sap,
    /// No limit (for load tests against the mock).
    Off,
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Serve it now.
    Serve,
    /// Serve it after [`DELAY`].
    Delay,
    /// Answer 429; retry after this many seconds.
    Reject {
        /// Seconds until the block ends.
        retry_after: i64,
    },
}

/// The request window of one tenant.
#[derive(Debug, Clone, Default)]
pub struct Throttle {
    mode: ThrottleMode,
    recent: VecDeque<Timestamp>,
    blocked_until: Option<Timestamp>,
}

impl Throttle {
    /// A throttle in the given mode.
    pub fn new(mode: ThrottleMode) -> Self {
        Self {
            mode,
            ..Self::default()
        }
    }

    /// The mode.
    pub fn mode(&self) -> ThrottleMode {
        self.mode
    }

    /// Changes the mode and forgets the window.
    pub fn set_mode(&mut self, mode: ThrottleMode) {
        *self = Self::new(mode);
    }

    /// Counts a request arriving at `now` and says what to do with it.
    pub fn admit(&mut self, now: Timestamp) -> Verdict {
        if self.mode == ThrottleMode::Off {
            return Verdict::Serve;
        }
        if let Some(until) = self.blocked_until {
            if now < until {
                let retry_after = (until - now).get_seconds().max(1);
                return Verdict::Reject { retry_after };
            }
            self.blocked_until = None;
            self.recent.clear();
        }
        let window_start = now
            .checked_sub(SignedDuration::from_secs(60))
            .unwrap_or(now);
        while self.recent.front().is_some_and(|t| *t <= window_start) {
            self.recent.pop_front();
        }
        self.recent.push_back(now);
        match self.recent.len() {
            n if n <= SERVED_PER_MINUTE => Verdict::Serve,
            n if n <= DELAYED_UP_TO => Verdict::Delay,
            _ => {
                let until = now.checked_add(BLOCK).unwrap_or(now);
                self.blocked_until = Some(until);
                Verdict::Reject {
                    retry_after: BLOCK.as_secs(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + seconds).unwrap()
    }

    /// [DOC] §3.6: ≤ 200 served, 201–280 delayed 1 s, ≥ 281 → 429 for 60 s.
    #[test]
    fn the_documented_bands() {
        let mut throttle = Throttle::new(ThrottleMode::Sap);
        let verdicts: Vec<Verdict> = (0..282).map(|_| throttle.admit(at(0))).collect();
        assert!(verdicts[..200].iter().all(|v| *v == Verdict::Serve));
        assert!(verdicts[200..280].iter().all(|v| *v == Verdict::Delay));
        assert_eq!(verdicts[280], Verdict::Reject { retry_after: 60 });
        assert_eq!(throttle.admit(at(59)), Verdict::Reject { retry_after: 1 });
        assert_eq!(
            throttle.admit(at(60)),
            Verdict::Serve,
            "the block ends after 60 s"
        );
    }

    #[test]
    fn the_window_slides() {
        let mut throttle = Throttle::new(ThrottleMode::Sap);
        for _ in 0..200 {
            assert_eq!(throttle.admit(at(0)), Verdict::Serve);
        }
        assert_eq!(throttle.admit(at(30)), Verdict::Delay);
        assert_eq!(
            throttle.admit(at(61)),
            Verdict::Serve,
            "requests older than a minute no longer count"
        );
    }

    #[test]
    fn off_serves_everything() {
        let mut throttle = Throttle::new(ThrottleMode::Off);
        assert!((0..1000).all(|_| throttle.admit(at(0)) == Verdict::Serve));
    }
}
