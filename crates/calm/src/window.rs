//! Time windows of the raw data APIs: `from`/`to` as `YYYYMMDDHHmmss` UTC, and long windows
//! split into pieces of at most 60 minutes, because the logs API refuses longer ones
//! ([OBS] `reference/cloud-alm.md` §2.8: `400 "Time interval > 60 mins"`).

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

/// The longest window the logs API accepts.
pub const MAX_WINDOW: Duration = Duration::from_secs(60 * 60);

/// The `from`/`to` format: `YYYYMMDDHHmmss` in UTC ([OBS] §2.8, Redpeaks §5.1).
pub const TIME_FORMAT: &str = "%Y%m%d%H%M%S";

/// `at` as `YYYYMMDDHHmmss` UTC (sub-seconds dropped).
pub fn format_time(at: Timestamp) -> String {
    at.strftime(TIME_FORMAT).to_string()
}

/// Reads `YYYYMMDDHHmmss` as UTC.
pub fn parse_time(text: &str) -> Option<Timestamp> {
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    jiff::civil::DateTime::strptime(TIME_FORMAT, text)
        .ok()?
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|zoned| zoned.timestamp())
}

/// `at` truncated to whole seconds (the wire format has no finer unit).
fn whole_seconds(at: Timestamp) -> Timestamp {
    Timestamp::from_second(at.as_second()).unwrap_or(at)
}

/// `at` rounded up to whole seconds.
fn next_whole_second(at: Timestamp) -> Timestamp {
    let down = whole_seconds(at);
    if down == at {
        at
    } else {
        down.checked_add(SignedDuration::from_secs(1))
            .unwrap_or(down)
    }
}

/// Consecutive windows covering `from` to `to` — `from` rounded down and `to` rounded up to
/// whole seconds, so a record of the last second is not lost — each at most [`MAX_WINDOW`]
/// long; a window ends where the next begins. Empty when `to` is not after `from`. Lazy, so a
/// very long span costs nothing until it is read.
pub fn windows(from: Timestamp, to: Timestamp) -> impl Iterator<Item = (Timestamp, Timestamp)> {
    let to = next_whole_second(to);
    let step = SignedDuration::try_from(MAX_WINDOW).unwrap_or(SignedDuration::MAX);
    let mut start = whole_seconds(from);
    std::iter::from_fn(move || {
        if start >= to {
            return None;
        }
        let end = start.checked_add(step).map_or(to, |end| end.min(to));
        let window = (start, end);
        start = end;
        Some(window)
    })
}

/// [`windows`], collected.
pub fn split(from: Timestamp, to: Timestamp) -> Vec<(Timestamp, Timestamp)> {
    windows(from, to).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    /// [OBS] §2.8: "From is not of format YYYYMMDDHHmmss"; Redpeaks sends `yyyyMMddHHmmss` UTC.
    #[test]
    fn times_are_written_as_yyyymmddhhmmss_utc() {
        assert_eq!(format_time(at("2026-11-22T09:05:07.9Z")), "20261122090507");
        assert_eq!(
            format_time(at("2026-11-22T09:05:07+02:00")),
            "20261122070507"
        );
        assert_eq!(
            parse_time("20261122090507"),
            Some(at("2026-11-22T09:05:07Z"))
        );
        assert_eq!(parse_time("2026-11-22"), None);
        assert_eq!(parse_time("20261340000000"), None);
    }

    #[test]
    fn a_short_window_stays_whole() {
        assert_eq!(
            split(at("2026-11-22T09:00:00Z"), at("2026-11-22T09:45:00Z")),
            vec![(at("2026-11-22T09:00:00Z"), at("2026-11-22T09:45:00Z"))]
        );
        assert_eq!(
            split(at("2026-11-22T09:00:00Z"), at("2026-11-22T10:00:00Z")).len(),
            1,
            "exactly 60 minutes is allowed"
        );
    }

    /// [OBS] §2.8: `period` more than 60 minutes → 400 `Time interval > 60 mins`.
    #[test]
    fn long_windows_split_into_pieces_of_at_most_an_hour() {
        let windows = split(at("2026-11-22T09:00:30.5Z"), at("2026-11-22T11:30:00Z"));
        assert_eq!(
            windows,
            vec![
                (at("2026-11-22T09:00:30Z"), at("2026-11-22T10:00:30Z")),
                (at("2026-11-22T10:00:30Z"), at("2026-11-22T11:00:30Z")),
                (at("2026-11-22T11:00:30Z"), at("2026-11-22T11:30:00Z")),
            ]
        );
        for (from, to) in windows {
            assert!(to.duration_since(from) <= SignedDuration::from_mins(60));
        }
        assert!(split(at("2026-11-22T09:00:00Z"), at("2026-11-22T09:00:00Z")).is_empty());
        assert_eq!(
            split(at("2026-11-22T09:00:00Z"), at("2026-11-22T09:30:00.25Z")),
            vec![(at("2026-11-22T09:00:00Z"), at("2026-11-22T09:30:01Z"))],
            "a record of the last second is inside"
        );
        assert!(split(at("2026-11-22T10:00:00Z"), at("2026-11-22T09:00:00Z")).is_empty());
        assert_eq!(
            split(at("2026-11-15T09:00:00Z"), at("2026-11-22T09:00:00Z")).len(),
            7 * 24
        );
    }
}
