//! Time on the landscape clock as the Cloud ALM APIs speak of it: the analytics time semantics
//! (`L7D`, `C1D`, …), resolutions (`5Mi`, `H`, `D`, …), the `YYYYMMDDHHmmss` UTC stamps of the
//! logs and metrics APIs, and the logs API's `<n>M` periods (reference §2.6–§2.8).
//!
//! `L<n><unit>` is the last n units up to now; `C<n><unit>` runs from the start of the current
//! unit less n − 1 units up to now (INFERRED from the names: `L` last, `C` current). Units are
//! `H` hours, `D` days, `W` weeks (from Monday), `M` months. Everything is UTC.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};

/// A window of time, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The first instant.
    pub from: Timestamp,
    /// The last instant.
    pub to: Timestamp,
}

impl Window {
    /// Whether `time` lies in the window.
    pub fn contains(&self, time: Timestamp) -> bool {
        self.from <= time && time <= self.to
    }
}

/// A calendar unit of the time semantics and resolutions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Minutes (resolutions `5Mi`, `15Mi`).
    Minutes(i64),
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// Weeks starting on Monday.
    Week,
    /// Calendar months.
    Month,
}

/// Reads a time semantic such as `L7D` or `C24H` at landscape time `now`.
pub fn semantic(text: &str, now: Timestamp) -> Option<Window> {
    let mut chars = text.chars();
    let kind = chars.next()?;
    let rest = chars.as_str();
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let count: i64 = rest.get(..digits)?.parse().ok()?;
    let unit = match rest.get(digits..)? {
        "H" => Unit::Hour,
        "D" => Unit::Day,
        "W" => Unit::Week,
        "M" => Unit::Month,
        _ => return None,
    };
    if !(1..=1000).contains(&count) {
        return None;
    }
    let from = match kind {
        'L' => shift(now, unit, -count)?,
        'C' => shift(truncate(now, unit)?, unit, 1 - count)?,
        _ => return None,
    };
    Some(Window { from, to: now })
}

/// Reads a resolution: `5Mi`, `15Mi`, `H`, `D`, `W`, `M`.
pub fn resolution(text: &str) -> Option<Unit> {
    match text {
        "5Mi" => Some(Unit::Minutes(5)),
        "15Mi" => Some(Unit::Minutes(15)),
        "H" => Some(Unit::Hour),
        "D" => Some(Unit::Day),
        "W" => Some(Unit::Week),
        "M" => Some(Unit::Month),
        _ => None,
    }
}

/// The start of the `unit` that holds `time`.
pub fn truncate(time: Timestamp, unit: Unit) -> Option<Timestamp> {
    let dt = TimeZone::UTC.to_datetime(time);
    let (date, hour, minute) = match unit {
        Unit::Minutes(n) => {
            let minute = i64::from(dt.minute()) / n.max(1) * n.max(1);
            (dt.date(), dt.hour(), i8::try_from(minute).ok()?)
        }
        Unit::Hour => (dt.date(), dt.hour(), 0),
        Unit::Day => (dt.date(), 0, 0),
        Unit::Week => {
            let back = i64::from(dt.date().weekday().to_monday_zero_offset());
            (
                dt.date()
                    .checked_sub(Span::new().try_days(back).ok()?)
                    .ok()?,
                0,
                0,
            )
        }
        Unit::Month => (dt.date().first_of_month(), 0, 0),
    };
    let start = DateTime::new(date.year(), date.month(), date.day(), hour, minute, 0, 0).ok()?;
    TimeZone::UTC.to_timestamp(start).ok()
}

/// `time` moved by `count` units (negative: back).
pub fn shift(time: Timestamp, unit: Unit, count: i64) -> Option<Timestamp> {
    match unit {
        Unit::Minutes(n) => time
            .checked_add(SignedDuration::try_from_mins(n.checked_mul(count)?)?)
            .ok(),
        Unit::Hour => time
            .checked_add(SignedDuration::try_from_hours(count)?)
            .ok(),
        Unit::Day | Unit::Week | Unit::Month => {
            let span = match unit {
                Unit::Day => Span::new().try_days(count).ok()?,
                Unit::Week => Span::new().try_weeks(count).ok()?,
                _ => Span::new().try_months(count).ok()?,
            };
            let dt = TimeZone::UTC.to_datetime(time).checked_add(span).ok()?;
            TimeZone::UTC.to_timestamp(dt).ok()
        }
    }
}

/// Reads `YYYYMMDDHHmmss` (UTC).
pub fn compact(text: &str) -> Option<Timestamp> {
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i16>().ok();
    let dt = DateTime::new(
        number(0..4)?,
        number(4..6)? as i8,
        number(6..8)? as i8,
        number(8..10)? as i8,
        number(10..12)? as i8,
        number(12..14)? as i8,
        0,
    )
    .ok()?;
    TimeZone::UTC.to_timestamp(dt).ok()
}

/// Writes `YYYYMMDDHHmmss` (UTC).
pub fn format_compact(time: Timestamp) -> String {
    TimeZone::UTC
        .to_datetime(time)
        .strftime("%Y%m%d%H%M%S")
        .to_string()
}

/// The instant of an OTLP time (nanoseconds since the epoch).
pub fn from_nanos(nanos: u64) -> Timestamp {
    Timestamp::from_nanosecond(i128::from(nanos)).unwrap_or(Timestamp::MAX)
}

/// An instant as OTLP nanoseconds (0 before the epoch).
pub fn to_nanos(time: Timestamp) -> u64 {
    u64::try_from(time.as_nanosecond()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn last_and_current_windows() {
        let now = at("2026-11-22T09:30:00Z");
        let window = semantic("L7D", now).unwrap();
        assert_eq!(window.from, at("2026-11-15T09:30:00Z"));
        assert_eq!(window.to, now);
        assert_eq!(
            semantic("C1D", now).unwrap().from,
            at("2026-11-22T00:00:00Z")
        );
        assert_eq!(
            semantic("C24H", now).unwrap().from,
            at("2026-11-21T10:00:00Z")
        );
        assert_eq!(
            semantic("L1M", now).unwrap().from,
            at("2026-10-22T09:30:00Z")
        );
        assert_eq!(
            semantic("C1H", now).unwrap().from,
            at("2026-11-22T09:00:00Z")
        );
        for bad in ["", "X7D", "L0D", "L7", "L7Y", "LD", "L-1D"] {
            assert!(semantic(bad, now).is_none(), "{bad}");
        }
    }

    #[test]
    fn buckets_start_at_calendar_boundaries() {
        let time = at("2026-11-22T09:47:13Z");
        let bucket = |text| truncate(time, resolution(text).unwrap()).unwrap();
        assert_eq!(bucket("5Mi"), at("2026-11-22T09:45:00Z"));
        assert_eq!(bucket("15Mi"), at("2026-11-22T09:45:00Z"));
        assert_eq!(bucket("H"), at("2026-11-22T09:00:00Z"));
        assert_eq!(bucket("D"), at("2026-11-22T00:00:00Z"));
        assert_eq!(bucket("W"), at("2026-11-16T00:00:00Z"));
        assert_eq!(bucket("M"), at("2026-11-01T00:00:00Z"));
        assert_eq!(
            shift(at("2026-11-01T00:00:00Z"), Unit::Month, 1).unwrap(),
            at("2026-12-01T00:00:00Z")
        );
    }

    #[test]
    fn compact_stamps() {
        assert_eq!(compact("20261122093000"), Some(at("2026-11-22T09:30:00Z")));
        assert_eq!(format_compact(at("2026-11-22T09:30:00Z")), "20261122093000");
        for bad in [
            "2026112209300",
            "20261322093000",
            "2026-11-22T09",
            "20261122246000",
        ] {
            assert!(compact(bad).is_none(), "{bad}");
        }
    }
}
