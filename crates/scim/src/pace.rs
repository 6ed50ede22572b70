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
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sapland_outbound::clock::Clock;
use tokio::sync::Mutex;

/// A shared requests-per-minute budget. Clones share the budget.
#[derive(Clone)]
pub struct Pace {
    inner: Arc<Inner>,
}

struct Inner {
    per_minute: u32,
    spacing: SignedDuration,
    /// The next free slot. Held while a request waits for its slot, so waits happen one
    /// after another in slot order.
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

    /// At most `per_minute` requests a minute (at least 1). The spacing is rounded up to
    /// whole milliseconds, the finest step the landscape clock's advance takes.
    pub fn per_minute(per_minute: u32) -> Self {
        let per_minute = per_minute.max(1);
        let millis = 60_000u32.div_ceil(per_minute);
        Self {
            inner: Arc::new(Inner {
                per_minute,
                spacing: SignedDuration::from_millis(i64::from(millis)),
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
    ///
    /// Waits are taken one at a time, in slot order: with a clock that advances when waited
    /// on (the landscape clock, a manual clock), concurrent waiters would otherwise each move
    /// the clock by their whole wait and slow the pace down; with wall time it changes
    /// nothing, as each waiter holds the turn only until its own slot.
    pub async fn wait(&self, clock: &dyn Clock) {
        let mut next = self.inner.next_slot.lock().await;
        let now = clock.now();
        let slot = next.map_or(now, |next| next.max(now));
        *next = Some(slot.checked_add(self.inner.spacing).unwrap_or(slot));
        // A clock that did not move while waited on (a wait shorter than its resolution)
        // ends the loop rather than spinning.
        let mut before = now;
        loop {
            let ahead = slot.duration_since(before);
            if ahead <= SignedDuration::ZERO {
                return;
            }
            clock.sleep(ahead.unsigned_abs()).await;
            let after = clock.now();
            if after <= before {
                return;
            }
            before = after;
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
