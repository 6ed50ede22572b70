//! Client-side pacing: a budget of requests per minute shared by every clone of a client, so
//! a job stays under IAS's SCIM rate limit instead of running into it ([DOC]
//! `reference/ips-ias.md` §3.6: up to 200 requests a minute per tenant are served, the 201st to
//! 280th are each delayed 1 s, from the 281st IAS answers 429 for 60 s).
//!
//! Requests get evenly spaced slots (`60 s / limit` apart) on the [`Clock`]; a request waits
//! for its slot. Evenly spaced slots never put more than `limit` requests in any 60-second
//! window, where a token bucket with a burst would. **Proposed** default for IAS:
//! [`Pace::IAS_DEFAULT_PER_MINUTE`] = 195, 97.5 % of the limit, leaving room for requests of
//! the same tenant that arrive out of order or from elsewhere.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sapland_outbound::clock::Clock;

/// A shared requests-per-minute budget. Clones share the budget.
#[derive(Clone)]
pub struct Pace {
    inner: Arc<Inner>,
}

struct Inner {
    per_minute: u32,
    spacing: SignedDuration,
    next_slot: Mutex<Option<Timestamp>>,
}

impl fmt::Debug for Pace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pace")
            .field("per_minute", &self.inner.per_minute)
            .finish()
    }
}

impl Pace {
    /// IAS allows 200 SCIM requests a minute per tenant ([DOC] §3.6).
    pub const IAS_LIMIT_PER_MINUTE: u32 = 200;
    /// The pace sapland keeps against IAS unless told otherwise (**proposed**).
    pub const IAS_DEFAULT_PER_MINUTE: u32 = 195;

    /// At most `per_minute` requests a minute (at least 1).
    pub fn per_minute(per_minute: u32) -> Self {
        let per_minute = per_minute.max(1);
        let nanos = 60_000_000_000i64 / i64::from(per_minute);
        Self {
            inner: Arc::new(Inner {
                per_minute,
                spacing: SignedDuration::from_nanos(nanos),
                next_slot: Mutex::new(None),
            }),
        }
    }

    /// The budget.
    pub fn limit(&self) -> u32 {
        self.inner.per_minute
    }

    /// The time between two slots.
    pub fn spacing(&self) -> Duration {
        self.inner.spacing.unsigned_abs()
    }

    /// Takes the next free slot and waits on `clock` until it comes.
    pub async fn wait(&self, clock: &dyn Clock) {
        let slot = {
            let now = clock.now();
            let mut next = self
                .inner
                .next_slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let slot = next.map_or(now, |next| next.max(now));
            *next = Some(slot.checked_add(self.inner.spacing).unwrap_or(slot));
            slot
        };
        // Wait until the slot, reading the clock again after each wait: clocks that advance
        // when waited on (test clocks) may have been moved by other requests meanwhile.
        loop {
            let ahead = slot.duration_since(clock.now());
            if ahead <= SignedDuration::ZERO {
                return;
            }
            clock.sleep(ahead.unsigned_abs()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use sapland_outbound::clock::ManualClock;

    use super::*;

    #[tokio::test]
    async fn slots_are_evenly_spaced_and_shared_by_clones() {
        let start: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
        let clock = ManualClock::new(start);
        let pace = Pace::per_minute(200);
        let other = pace.clone();
        let mut times = Vec::new();
        for i in 0..400 {
            if i % 2 == 0 {
                pace.wait(&clock).await;
            } else {
                other.wait(&clock).await;
            }
            times.push(clock.now());
        }
        assert_eq!(times[0], start, "the first request does not wait");
        assert_eq!(
            times[1].duration_since(times[0]),
            SignedDuration::from_millis(300)
        );
        for (i, at) in times.iter().enumerate() {
            let window_start = at.checked_sub(SignedDuration::from_secs(60)).unwrap();
            let in_window = times[..=i].iter().filter(|t| **t > window_start).count();
            assert!(
                in_window <= 200,
                "{in_window} requests in the minute before #{i}"
            );
        }
        assert_eq!(clock.waited(), Duration::from_millis(300 * 399));
    }

    #[tokio::test]
    async fn a_late_request_does_not_earn_a_burst() {
        let start: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
        let clock = ManualClock::new(start);
        let pace = Pace::per_minute(60);
        pace.wait(&clock).await;
        clock.advance(Duration::from_secs(10));
        pace.wait(&clock).await;
        pace.wait(&clock).await;
        assert_eq!(
            clock.now().duration_since(start),
            SignedDuration::from_secs(11)
        );
    }
}
