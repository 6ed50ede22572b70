//! Reading a date-time from text with a pattern.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;

use super::names::{DAYS, MONTHS, short};
use super::pattern::{DatePattern, DatePatternError, Field, Token};

/// The values a text gave, before they are checked and combined.
#[derive(Debug, Default)]
struct Parts {
    year_of_era: Option<i64>,
    two_digit_year: bool,
    year: Option<i64>,
    bc: bool,
    month: Option<i64>,
    day: Option<i64>,
    day_of_year: Option<i64>,
    hour: Option<i64>,
    clock_hour: Option<i64>,
    hour_of_am_pm: Option<(i64, bool)>,
    pm: Option<bool>,
    minute: Option<i64>,
    second: Option<i64>,
    nano: Option<i64>,
    weekday: Option<usize>,
    offset_seconds: Option<i32>,
}

impl DatePattern {
    /// Reads `text` with the pattern. The whole text must match; any offset it carries is
    /// applied, so the result is a UTC date-time.
    pub fn parse_text(&self, text: &str) -> Result<DateTime, DatePatternError> {
        let chars: Vec<char> = text.chars().collect();
        let mut cursor = Cursor {
            chars: &chars,
            at: 0,
        };
        let mut parts = Parts::default();
        for (index, token) in self.tokens.iter().enumerate() {
            let next_numeric = self.tokens.get(index + 1).is_some_and(Token::is_numeric);
            match token {
                Token::Literal(literal) => cursor.literal(literal)?,
                Token::Field(field, count) => {
                    read_field(&mut cursor, &mut parts, *field, *count, next_numeric)?;
                }
            }
        }
        if cursor.at < chars.len() {
            return Err(DatePatternError::new(
                cursor.at,
                format!(
                    "unexpected text {:?} after the date (pattern {})",
                    chars[cursor.at..].iter().collect::<String>(),
                    self.as_str()
                ),
            ));
        }
        parts.resolve(text)
    }
}

struct Cursor<'t> {
    chars: &'t [char],
    at: usize,
}

impl Cursor<'_> {
    fn literal(&mut self, literal: &str) -> Result<(), DatePatternError> {
        for expected in literal.chars() {
            if self.chars.get(self.at) != Some(&expected) {
                return Err(self.expected(&format!("{literal:?}")));
            }
            self.at += 1;
        }
        Ok(())
    }

    fn expected(&self, what: &str) -> DatePatternError {
        let found = match self.chars.get(self.at) {
            Some(c) => format!("{c:?}"),
            None => "the end of the text".to_string(),
        };
        DatePatternError::new(self.at, format!("expected {what}, found {found}"))
    }

    /// Between `min` and `max` ASCII digits.
    fn digits(&mut self, min: usize, max: usize, what: &str) -> Result<i64, DatePatternError> {
        let start = self.at;
        let mut value: i64 = 0;
        while self.at - start < max
            && let Some(digit) = self.chars.get(self.at).and_then(|c| c.to_digit(10))
        {
            value = value.saturating_mul(10).saturating_add(i64::from(digit));
            self.at += 1;
        }
        if self.at - start < min {
            let digits = if min == max {
                format!("{min} digit{}", if min == 1 { "" } else { "s" })
            } else {
                format!("{min} to {max} digits")
            };
            if self.at == start {
                return Err(self.expected(&format!("{what} ({digits})")));
            }
            let end = (self.at + 1).min(self.chars.len());
            let found: String = self.chars[start..end].iter().collect();
            return Err(DatePatternError::new(
                start,
                format!("expected {what} ({digits}), found {found:?}"),
            ));
        }
        Ok(value)
    }

    /// The longest of `names` at the cursor, ignoring case; its index.
    fn name(&mut self, names: &[&str], what: &str) -> Result<usize, DatePatternError> {
        let mut best: Option<(usize, usize)> = None;
        for (index, name) in names.iter().enumerate() {
            let len = name.chars().count();
            let Some(candidate) = self.chars.get(self.at..self.at + len) else {
                continue;
            };
            let matches = candidate
                .iter()
                .zip(name.chars())
                .all(|(a, b)| a.eq_ignore_ascii_case(&b));
            if matches && best.is_none_or(|(_, best_len)| len > best_len) {
                best = Some((index, len));
            }
        }
        match best {
            Some((index, len)) => {
                self.at += len;
                Ok(index)
            }
            None => Err(self.expected(what)),
        }
    }

    fn sign(&mut self) -> Option<i64> {
        match self.chars.get(self.at) {
            Some('+') => {
                self.at += 1;
                Some(1)
            }
            Some('-') => {
                self.at += 1;
                Some(-1)
            }
            _ => None,
        }
    }

    /// An offset: `Z`, `UTC`/`GMT` optionally followed by one, or `±HH`, `±HHMM`, `±HH:MM`.
    fn offset(&mut self) -> Result<i32, DatePatternError> {
        if matches!(self.chars.get(self.at), Some('Z' | 'z')) {
            self.at += 1;
            return Ok(0);
        }
        let mut named = false;
        for prefix in ["UTC", "GMT"] {
            if self.name(&[prefix], prefix).is_ok() {
                named = true;
                break;
            }
        }
        let Some(sign) = self.sign() else {
            return if named {
                Ok(0)
            } else {
                Err(self.expected("a UTC offset (Z, +HH, +HHMM or +HH:MM)"))
            };
        };
        let hours = self.digits(2, 2, "offset hours")?;
        if self.chars.get(self.at) == Some(&':') {
            self.at += 1;
        }
        let minutes = if self.chars.get(self.at).is_some_and(char::is_ascii_digit) {
            self.digits(2, 2, "offset minutes")?
        } else {
            0
        };
        if hours > 18 || minutes > 59 {
            return Err(DatePatternError::new(
                self.at,
                format!("offset {hours:02}:{minutes:02} is out of range"),
            ));
        }
        // At most 18 * 3600 + 59 * 60 seconds: fits in an i32.
        Ok((sign * (hours * 3600 + minutes * 60)) as i32)
    }
}

fn read_field(
    cursor: &mut Cursor<'_>,
    parts: &mut Parts,
    field: Field,
    count: usize,
    next_numeric: bool,
) -> Result<(), DatePatternError> {
    // A field of one letter takes as many digits as there are (up to its maximum); a repeated
    // letter takes exactly that many, as Java does next to another number.
    let width = |max: usize| if count == 1 { (1, max) } else { (count, count) };
    match field {
        Field::YearOfEra | Field::Year => {
            let sign = if field == Field::Year {
                cursor.sign()
            } else {
                None
            };
            let (min, max) = match count {
                2 => (2, 2),
                _ if next_numeric => (count, count.max(4)),
                _ => (count, 9.max(count)),
            };
            let value = cursor.digits(min, max, "a year")? * sign.unwrap_or(1);
            if field == Field::YearOfEra {
                parts.year_of_era = Some(value);
            } else {
                parts.year = Some(value);
            }
            parts.two_digit_year = count == 2;
        }
        Field::Month if count >= 3 => {
            let mut names = MONTHS.to_vec();
            names.extend(MONTHS.iter().map(|m| short(m)));
            let index = cursor.name(&names, "a month name")?;
            parts.month = Some((index % 12) as i64 + 1);
        }
        Field::Month => {
            let (min, max) = width(2);
            parts.month = Some(cursor.digits(min, max, "a month")?);
        }
        Field::DayOfMonth => {
            let (min, max) = width(2);
            parts.day = Some(cursor.digits(min, max, "a day of month")?);
        }
        Field::DayOfYear => {
            let (min, max) = width(3);
            parts.day_of_year = Some(cursor.digits(min, max, "a day of year")?);
        }
        Field::Hour | Field::ClockHour => {
            let (min, max) = width(2);
            let value = cursor.digits(min, max, "an hour")?;
            if field == Field::Hour {
                parts.hour = Some(value);
            } else {
                parts.clock_hour = Some(value);
            }
        }
        Field::ClockHourOfAmPm | Field::HourOfAmPm => {
            let (min, max) = width(2);
            let value = cursor.digits(min, max, "an hour")?;
            parts.hour_of_am_pm = Some((value, field == Field::ClockHourOfAmPm));
        }
        Field::Minute => {
            let (min, max) = width(2);
            parts.minute = Some(cursor.digits(min, max, "minutes")?);
        }
        Field::Second => {
            let (min, max) = width(2);
            parts.second = Some(cursor.digits(min, max, "seconds")?);
        }
        Field::Fraction => {
            let digits = cursor.digits(count, count, "a fraction of a second")?;
            // count <= 9, so the scale fits.
            parts.nano = Some(digits * 10_i64.pow(9 - count as u32));
        }
        Field::Nano => {
            parts.nano = Some(cursor.digits(1, 9, "nanoseconds")?);
        }
        Field::AmPm => {
            parts.pm = Some(cursor.name(&["AM", "PM"], "AM or PM")? == 1);
        }
        Field::DayName => {
            let mut names = DAYS.to_vec();
            names.extend(DAYS.iter().map(|d| short(d)));
            parts.weekday = Some(cursor.name(&names, "a day name")? % 7);
        }
        Field::Era => {
            let index = cursor.name(
                &["AD", "BC", "Anno Domini", "Before Christ"],
                "an era (AD or BC)",
            )?;
            parts.bc = index % 2 == 1;
        }
        Field::OffsetX | Field::Offsetx | Field::OffsetZ => {
            parts.offset_seconds = Some(cursor.offset()?);
        }
    }
    Ok(())
}

impl Parts {
    fn resolve(self, text: &str) -> Result<DateTime, DatePatternError> {
        let end = text.chars().count();
        let invalid = |message: String| DatePatternError::new(end, message);
        let mut year = match (self.year, self.year_of_era) {
            (Some(year), _) => year,
            (None, Some(year_of_era)) if self.bc => 1 - year_of_era,
            (None, Some(year_of_era)) => year_of_era,
            (None, None) => 1970,
        };
        if self.two_digit_year {
            year = 2000 + year.rem_euclid(100);
        }
        let year = i16::try_from(year)
            .ok()
            .filter(|y| (-9999..=9999).contains(y))
            .ok_or_else(|| invalid(format!("year {year} is out of range (-9999 to 9999)")))?;
        let date = match self.day_of_year {
            Some(day_of_year) => {
                let day_of_year = i16::try_from(day_of_year)
                    .map_err(|_| invalid(format!("day of year {day_of_year} is out of range")))?;
                let date = Date::new(year, 1, 1)
                    .and_then(|d| d.with().day_of_year(day_of_year).build())
                    .map_err(|err| invalid(format!("day of year {day_of_year}: {err}")))?;
                if self.month.is_some_and(|m| m != i64::from(date.month()))
                    || self.day.is_some_and(|d| d != i64::from(date.day()))
                {
                    return Err(invalid(format!(
                        "day of year {day_of_year} contradicts the month or day"
                    )));
                }
                date
            }
            None => {
                let month = small(self.month.unwrap_or(1), "month", &invalid)?;
                let day = small(self.day.unwrap_or(1), "day", &invalid)?;
                Date::new(year, month, day)
                    .map_err(|err| invalid(format!("no such date: {err}")))?
            }
        };
        if let Some(weekday) = self.weekday
            && date.weekday().to_monday_zero_offset() as usize != weekday
        {
            return Err(invalid(format!("{} is not a {}", date, DAYS[weekday])));
        }
        let hour = self.hour(&invalid)?;
        let minute = small(self.minute.unwrap_or(0), "minute", &invalid)?;
        let second = small(self.second.unwrap_or(0), "second", &invalid)?;
        let nano = i32::try_from(self.nano.unwrap_or(0))
            .map_err(|_| invalid("nanoseconds out of range".to_string()))?;
        let datetime = DateTime::new(year, date.month(), date.day(), hour, minute, second, nano)
            .map_err(|err| invalid(format!("no such time: {err}")))?;
        match self.offset_seconds {
            None | Some(0) => Ok(datetime),
            Some(seconds) => {
                let utc: Result<Timestamp, _> =
                    Offset::from_seconds(seconds).and_then(|offset| offset.to_timestamp(datetime));
                utc.map(|ts| Offset::UTC.to_datetime(ts))
                    .map_err(|err| invalid(format!("cannot apply the offset: {err}")))
            }
        }
    }

    fn hour(&self, invalid: &impl Fn(String) -> DatePatternError) -> Result<i8, DatePatternError> {
        let hour = if let Some(hour) = self.hour {
            hour
        } else if let Some(clock_hour) = self.clock_hour {
            if !(1..=24).contains(&clock_hour) {
                return Err(invalid(format!(
                    "clock hour {clock_hour} is not within 1 to 24"
                )));
            }
            clock_hour % 24
        } else if let Some((hour, clock)) = self.hour_of_am_pm {
            let range = if clock { 1..=12 } else { 0..=11 };
            if !range.contains(&hour) {
                return Err(invalid(format!(
                    "hour of AM/PM {hour} is not within {} to {}",
                    range.start(),
                    range.end()
                )));
            }
            hour % 12 + if self.pm == Some(true) { 12 } else { 0 }
        } else {
            0
        };
        small(hour, "hour", invalid)
    }
}

fn small(
    value: i64,
    what: &str,
    invalid: &impl Fn(String) -> DatePatternError,
) -> Result<i8, DatePatternError> {
    i8::try_from(value).map_err(|_| invalid(format!("{what} {value} is out of range")))
}
