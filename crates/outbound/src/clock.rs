//! The clocks agent code reads and waits on. Retries, pacing, token expiry and job times go
//! through a [`Clock`], never through `tokio::time` or `Timestamp::now` directly, so that a run
//! against the mock landscape can follow the landscape clock and no test sleeps.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

/// A boxed future, as [`Clock::sleep`] returns it.
pub type Wait<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// A source of time that can also wait.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> Timestamp;

    /// Waits until `duration` has passed on this clock.
    fn sleep(&self, duration: Duration) -> Wait<'_>;
}

/// Wall time; waiting sleeps.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    fn sleep(&self, duration: Duration) -> Wait<'_> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that stands still until it is advanced; waiting advances it at once. For tests of
/// code that retries or paces: what it waited for shows in [`ManualClock::waited`].
#[derive(Debug)]
pub struct ManualClock {
    state: Mutex<(Timestamp, Duration)>,
}

impl ManualClock {
    /// A clock at `start`.
    pub fn new(start: Timestamp) -> Self {
        Self {
            state: Mutex::new((start, Duration::ZERO)),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.0 = add(state.0, by);
    }

    /// The total time spent in [`Clock::sleep`].
    pub fn waited(&self) -> Duration {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0
    }

    fn sleep(&self, duration: Duration) -> Wait<'_> {
        {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.0 = add(state.0, duration);
            state.1 += duration;
        }
        Box::pin(tokio::task::yield_now())
    }
}

fn add(at: Timestamp, by: Duration) -> Timestamp {
    SignedDuration::try_from(by)
        .ok()
        .and_then(|by| at.checked_add(by).ok())
        .unwrap_or(Timestamp::MAX)
}

/// The clock of a running mock landscape, read and moved through its `/_admin/clock` surface:
/// waiting advances the landscape clock instead of sleeping, so that retries, pacing and the
/// mocks' rate-limit windows move together and a run takes no wall time (**proposed**: the
/// agent's test mode; see `docs/landscape.md`).
pub struct LandscapeClock {
    client: reqwest::Client,
    admin_url: String,
    admin_token: String,
    state: Mutex<Synced>,
}

/// The landscape time last seen, and when (for wall-mode landscapes, time moves on between).
#[derive(Debug, Clone, Copy)]
struct Synced {
    at: Timestamp,
    seen: Instant,
    wall: bool,
}

/// `GET /_admin/clock`.
#[derive(Deserialize)]
struct ClockView {
    mode: String,
    now: Timestamp,
}

/// The landscape's admin surface could not be reached or refused.
#[derive(Debug, thiserror::Error)]
#[error("the landscape clock at {url}: {message}")]
pub struct LandscapeClockError {
    /// The admin URL.
    pub url: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Debug for LandscapeClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LandscapeClock")
            .field("admin_url", &self.admin_url)
            .field("admin_token", &"****")
            .finish()
    }
}

impl LandscapeClock {
    /// Connects to the admin surface at `admin_url` with the landscape's admin token, using
    /// `client` (which must trust the landscape CA), and reads the clock once.
    pub async fn connect(
        client: reqwest::Client,
        admin_url: impl Into<String>,
        admin_token: impl Into<String>,
    ) -> Result<Self, LandscapeClockError> {
        let admin_url = admin_url.into().trim_end_matches('/').to_string();
        let admin_token = admin_token.into();
        let view = request(&client, &admin_url, &admin_token, None).await?;
        Ok(Self {
            state: Mutex::new(Synced {
                at: view.now,
                seen: Instant::now(),
                wall: view.mode == "wall",
            }),
            client,
            admin_url,
            admin_token,
        })
    }

    fn remember(&self, view: &ClockView) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        *state = Synced {
            at: view.now,
            seen: Instant::now(),
            wall: view.mode == "wall",
        };
    }
}

async fn request(
    client: &reqwest::Client,
    admin_url: &str,
    token: &str,
    advance: Option<Duration>,
) -> Result<ClockView, LandscapeClockError> {
    let fail = |message: String| LandscapeClockError {
        url: admin_url.to_string(),
        message,
    };
    let request = match advance {
        None => client.get(format!("{admin_url}/_admin/clock")),
        Some(by) => client
            .post(format!("{admin_url}/_admin/clock/advance"))
            .json(&serde_json::json!({ "by": format!("{}ms", by.as_millis()) })),
    };
    let response = request
        .bearer_auth(token)
        .send()
        .await
        .map_err(|err| fail(format!("not reachable: {err}")))?;
    let status = response.status();
    if !status.is_success() {
        let body = response.text().await.unwrap_or_default();
        return Err(fail(format!("answered {status}: {body}")));
    }
    response
        .json::<ClockView>()
        .await
        .map_err(|err| fail(format!("unexpected answer: {err}")))
}

impl Clock for LandscapeClock {
    fn now(&self) -> Timestamp {
        let state = *self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.wall {
            add(state.at, state.seen.elapsed())
        } else {
            state.at
        }
    }

    /// Advances the landscape clock by `duration`. When the landscape cannot be reached, the
    /// wait falls back to the local notion of time (the landscape is gone; nothing waits on it).
    fn sleep(&self, duration: Duration) -> Wait<'_> {
        Box::pin(async move {
            if duration.is_zero() {
                return;
            }
            match request(
                &self.client,
                &self.admin_url,
                &self.admin_token,
                Some(duration),
            )
            .await
            {
                Ok(view) => self.remember(&view),
                Err(_) => {
                    let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                    state.at = add(state.at, duration);
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_clock_advances_when_waited_on() {
        let start: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
        let clock = ManualClock::new(start);
        clock.sleep(Duration::from_secs(30)).await;
        clock.advance(Duration::from_millis(500));
        assert_eq!(clock.now().to_string(), "2026-11-22T09:00:30.5Z");
        assert_eq!(clock.waited(), Duration::from_secs(30));
    }

    #[test]
    fn the_system_clock_follows_wall_time() {
        let before = Timestamp::now();
        assert!(SystemClock.now() >= before);
    }
}
