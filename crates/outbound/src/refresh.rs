//! When a cached OAuth token is replaced, on the agent's [`Clock`](crate::clock::Clock): shortly
//! before it expires, so no request leaves with a token that runs out on its way. Every OAuth
//! client of the agent (IAS, Cloud ALM) keeps its tokens by this one rule.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

/// How long before its expiry a token is replaced (**proposed**).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// When a token obtained at `obtained` that lives `lifetime` is replaced: [`REFRESH_MARGIN`]
/// before it expires, or at half its life when it lives less than twice the margin.
pub fn refresh_time(obtained: Timestamp, lifetime: Duration) -> Timestamp {
    let margin = REFRESH_MARGIN.min(lifetime / 2);
    let keep =
        SignedDuration::try_from(lifetime.saturating_sub(margin)).unwrap_or(SignedDuration::MAX);
    obtained.checked_add(keep).unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_a_minute_before_they_expire() {
        let at: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
        assert_eq!(
            refresh_time(at, Duration::from_secs(43199)).to_string(),
            "2026-11-22T20:58:59Z"
        );
        assert_eq!(
            refresh_time(at, Duration::from_secs(3600)).to_string(),
            "2026-11-22T09:59:00Z"
        );
        assert_eq!(
            refresh_time(at, Duration::from_secs(60)).to_string(),
            "2026-11-22T09:00:30Z",
            "short tokens are kept half their life"
        );
        assert_eq!(refresh_time(at, Duration::MAX), Timestamp::MAX);
    }
}
