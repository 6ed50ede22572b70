//! `manipulateDate` (`reference/ips-ias.md` §1.8): read a date with `sourceDateFormat`, shift
//! it by `years` … `seconds`, write it with `targetDateFormat` (Java patterns, see
//! [`crate::javadate`]).
//!
//! `sourceDateFormat: "Date(milliseconds)"` reads SAP SuccessFactors' `/Date(1519809649123-0240)/`
//! (or a plain number of milliseconds): the milliseconds since 1970 in UTC, the offset shown but
//! ignored, as SAP documents. Shifts are applied years first, then months, days, hours,
//! minutes, seconds, each on its own, as Java's `LocalDateTime.plusYears(…).plusMonths(…)…`
//! does (the 31st plus one month is the last day of the next month).
//!
//! **Proposed** where SAP is silent: without `sourceDateFormat` the date is read with
//! `yyyy-MM-dd HH:mm:ss.SSS` (the default of `ips.date.variable.format`, so `currentDate`
//! works as is); without `targetDateFormat` it is written with the source pattern (or that
//! default after `Date(milliseconds)`).

use jiff::civil::DateTime;
use jiff::tz::Offset;
use jiff::{Span, Timestamp};
use serde_json::Value;

use super::fault::{Fault, Outcome};
use super::params::Params;
use super::values::text;
use crate::javadate::{DatePattern, IPS_DATE_VARIABLE_FORMAT as DEFAULT_PATTERN};

/// The `sourceDateFormat` that reads milliseconds since 1970.
const MILLISECONDS: &str = "Date(milliseconds)";

/// How the date is read.
#[derive(Debug, Clone)]
enum Source {
    Pattern(DatePattern),
    Milliseconds,
}

/// A unit of `manipulateDate`'s shifts, in the order they are applied.
#[derive(Debug, Clone, Copy)]
enum Unit {
    Years,
    Months,
    Days,
    Hours,
    Minutes,
    Seconds,
}

const UNITS: [(&str, Unit); 6] = [
    ("years", Unit::Years),
    ("months", Unit::Months),
    ("days", Unit::Days),
    ("hours", Unit::Hours),
    ("minutes", Unit::Minutes),
    ("seconds", Unit::Seconds),
];

/// `manipulateDate`, compiled.
#[derive(Debug, Clone)]
pub(crate) struct ManipulateDate {
    source: Source,
    target: DatePattern,
    shifts: Vec<(&'static str, Unit, i64)>,
}

fn pattern(parameter: &str, text: &str) -> Outcome<DatePattern> {
    DatePattern::parse(text)
        .map_err(|err| Fault::parameter(parameter, format!("invalid date pattern {text:?}: {err}")))
}

impl ManipulateDate {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        let source_text = params.text("sourceDateFormat")?;
        let source = match source_text.as_deref() {
            Some(text) if text.eq_ignore_ascii_case(MILLISECONDS) => Source::Milliseconds,
            Some(text) => Source::Pattern(pattern("sourceDateFormat", text)?),
            None => Source::Pattern(pattern("sourceDateFormat", DEFAULT_PATTERN)?),
        };
        let target = match params.text("targetDateFormat")? {
            Some(text) => pattern("targetDateFormat", &text)?,
            None => match &source {
                Source::Pattern(source) => source.clone(),
                Source::Milliseconds => pattern("targetDateFormat", DEFAULT_PATTERN)?,
            },
        };
        let mut shifts = Vec::new();
        for (name, unit) in UNITS {
            if let Some(amount) = params.integer(name)?
                && amount != 0
            {
                shifts.push((name, unit, amount));
            }
        }
        Ok(Self {
            source,
            target,
            shifts,
        })
    }

    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let mut datetime = match &self.source {
            Source::Pattern(pattern) => {
                let text = text(value)?;
                pattern.parse_text(&text).map_err(|err| {
                    Fault::value(format!(
                        "the date does not match sourceDateFormat {:?}: {err}",
                        pattern.as_str()
                    ))
                })?
            }
            Source::Milliseconds => from_milliseconds(value)?,
        };
        for (name, unit, amount) in &self.shifts {
            datetime = shift(datetime, *unit, *amount).ok_or_else(|| {
                Fault::parameter(
                    name,
                    format!("adding {amount} {name} leaves the supported years -9999 to 9999"),
                )
            })?;
        }
        Ok(Some(Value::String(self.target.format(datetime))))
    }
}

fn shift(datetime: DateTime, unit: Unit, amount: i64) -> Option<DateTime> {
    let span = match unit {
        Unit::Years => Span::new().try_years(amount),
        Unit::Months => Span::new().try_months(amount),
        Unit::Days => Span::new().try_days(amount),
        Unit::Hours => Span::new().try_hours(amount),
        Unit::Minutes => Span::new().try_minutes(amount),
        Unit::Seconds => Span::new().try_seconds(amount),
    }
    .ok()?;
    datetime.checked_add(span).ok()
}

/// Reads `/Date(1519809649123-0240)/`, `Date(1519809649123)`, `"1519809649123"` or the number
/// itself.
fn from_milliseconds(value: &Value) -> Outcome<DateTime> {
    let millis = match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => parse_milliseconds(text),
        _ => None,
    }
    .ok_or_else(|| {
        Fault::value(
            "expects a date in milliseconds such as /Date(1519809649123-0240)/ (sourceDateFormat Date(milliseconds))",
        )
    })?;
    let timestamp = Timestamp::from_millisecond(millis).map_err(|_| {
        Fault::value(format!(
            "{millis} milliseconds is outside the supported years -9999 to 9999"
        ))
    })?;
    Ok(Offset::UTC.to_datetime(timestamp))
}

fn parse_milliseconds(text: &str) -> Option<i64> {
    let text = text.trim();
    let inner = text
        .trim_start_matches(['\\', '/'])
        .trim_end_matches(['\\', '/']);
    let inner = match inner.strip_prefix("Date(") {
        Some(rest) => rest.strip_suffix(')')?,
        None => inner,
    };
    let digits_end = inner
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
        .map_or(inner.len(), |(i, _)| i);
    let (number, offset) = inner.split_at(digits_end);
    let offset_ok = offset.is_empty()
        || (offset.len() == 5
            && offset.starts_with(['+', '-'])
            && offset[1..].chars().all(|c| c.is_ascii_digit()));
    if !offset_ok {
        return None;
    }
    number.parse().ok()
}
