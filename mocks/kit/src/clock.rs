//! The landscape clock: one clock for the whole landscape. `sapland up` follows wall time (an
//! advance adds an offset); scenarios use a manual clock that moves only when told to. Token
//! expiry, rate-limit windows and schedules read this clock, so no test sleeps to wait for time.

use std::sync::{Arc, Mutex, PoisonError};

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// How the clock moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClockMode {
    /// Wall time plus the sum of all advances.
    Wall,
    /// Stands still until advanced.
    Manual,
}

#[derive(Debug)]
struct State {
    mode: ClockMode,
    offset: SignedDuration,
    manual_now: Timestamp,
}

/// A shared handle to the landscape clock; clones see the same time.
///
/// ```
/// use jiff::{SignedDuration, Timestamp};
/// use sapland_mock_kit::clock::Clock;
///
/// let clock = Clock::manual("2026-11-22T10:00:00Z".parse::<Timestamp>()?);
/// clock.advance(SignedDuration::from_hours(2))?;
/// assert_eq!(clock.now().to_string(), "2026-11-22T12:00:00Z");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Clock {
    state: Arc<Mutex<State>>,
}

/// A request to move the clock that cannot be honoured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// Time only moves forward.
    #[error("the landscape clock only moves forward; got {0}")]
    Backwards(SignedDuration),
    /// The result would leave the supported time range.
    #[error("advancing by {0} leaves the supported time range")]
    OutOfRange(SignedDuration),
}

/// What `GET /_admin/clock` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockView {
    /// Wall or manual.
    pub mode: ClockMode,
    /// The landscape's current time.
    pub now: Timestamp,
    /// How far the clock has been advanced in all (wall mode).
    #[serde(rename = "offsetSeconds")]
    pub offset_seconds: i64,
}

impl Clock {
    /// A clock that follows wall time.
    pub fn wall() -> Self {
        Self::with(ClockMode::Wall, Timestamp::UNIX_EPOCH)
    }

    /// A clock that stands at `start` until advanced.
    pub fn manual(start: Timestamp) -> Self {
        Self::with(ClockMode::Manual, start)
    }

    fn with(mode: ClockMode, manual_now: Timestamp) -> Self {
        let state = State {
            mode,
            offset: SignedDuration::ZERO,
            manual_now,
        };
        Self {
            state: Arc::new(Mutex::new(state)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The landscape's current time.
    pub fn now(&self) -> Timestamp {
        let state = self.lock();
        match state.mode {
            ClockMode::Manual => state.manual_now,
            ClockMode::Wall => Timestamp::now()
                .checked_add(state.offset)
                .unwrap_or(Timestamp::MAX),
        }
    }

    /// Moves the clock forward and returns the new time.
    pub fn advance(&self, by: SignedDuration) -> Result<Timestamp, ClockError> {
        if by.is_negative() {
            return Err(ClockError::Backwards(by));
        }
        {
            let mut state = self.lock();
            let offset = state
                .offset
                .checked_add(by)
                .ok_or(ClockError::OutOfRange(by))?;
            if state.mode == ClockMode::Manual {
                state.manual_now = state
                    .manual_now
                    .checked_add(by)
                    .map_err(|_| ClockError::OutOfRange(by))?;
            }
            state.offset = offset;
        }
        Ok(self.now())
    }

    /// The clock's mode, time and total advance.
    pub fn view(&self) -> ClockView {
        let (mode, offset) = {
            let state = self.lock();
            (state.mode, state.offset)
        };
        ClockView {
            mode,
            now: self.now(),
            offset_seconds: offset.as_secs(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_advanced() {
        let start: Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        let later = clock.advance(SignedDuration::from_hours(2)).unwrap();
        assert_eq!(later.to_string(), "2026-11-22T12:00:00Z");
        assert_eq!(clock.clone().now(), later, "clones share the time");
        assert_eq!(clock.view().offset_seconds, 7200);
    }

    #[test]
    fn a_wall_clock_adds_advances_as_an_offset() {
        let clock = Clock::wall();
        let before = Timestamp::now();
        clock.advance(SignedDuration::from_hours(24)).unwrap();
        let now = clock.now();
        assert!(now >= before.checked_add(SignedDuration::from_hours(24)).unwrap());
        assert_eq!(clock.view().mode, ClockMode::Wall);
    }

    #[test]
    fn time_never_goes_backwards() {
        let clock = Clock::manual(Timestamp::UNIX_EPOCH);
        let err = clock.advance(SignedDuration::from_secs(-1)).unwrap_err();
        assert_eq!(err, ClockError::Backwards(SignedDuration::from_secs(-1)));
        assert_eq!(clock.now(), Timestamp::UNIX_EPOCH);
    }
}
