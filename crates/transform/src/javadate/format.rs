//! Writing a date-time with a pattern.

use std::fmt::Write;

use jiff::civil::DateTime;

use super::names::{DAYS, MONTHS, short};
use super::pattern::{DatePattern, Field, Token};

impl DatePattern {
    /// Writes `datetime` with the pattern, in English, as a UTC date-time.
    pub fn format(&self, datetime: DateTime) -> String {
        let mut out = String::with_capacity(self.as_str().len() + 8);
        for token in &self.tokens {
            match token {
                Token::Literal(text) => out.push_str(text),
                Token::Field(field, count) => field_text(&mut out, *field, *count, datetime),
            }
        }
        out
    }
}

fn field_text(out: &mut String, field: Field, count: usize, dt: DateTime) {
    let year = i64::from(dt.year());
    match field {
        Field::YearOfEra => {
            let year_of_era = if year > 0 { year } else { 1 - year };
            year_digits(out, year_of_era, count);
        }
        Field::Year => year_digits(out, year, count),
        Field::Month => {
            let month = dt.month();
            let name = MONTHS[month as usize - 1];
            match count {
                1 | 2 => number(out, i64::from(month), count),
                3 => out.push_str(short(name)),
                _ => out.push_str(name),
            }
        }
        Field::DayOfMonth => number(out, i64::from(dt.day()), count),
        Field::DayOfYear => number(out, i64::from(dt.day_of_year()), count),
        Field::Hour => number(out, i64::from(dt.hour()), count),
        Field::ClockHour => {
            let hour = if dt.hour() == 0 { 24 } else { dt.hour() };
            number(out, i64::from(hour), count);
        }
        Field::ClockHourOfAmPm => {
            let hour = dt.hour() % 12;
            number(out, i64::from(if hour == 0 { 12 } else { hour }), count);
        }
        Field::HourOfAmPm => number(out, i64::from(dt.hour() % 12), count),
        Field::Minute => number(out, i64::from(dt.minute()), count),
        Field::Second => number(out, i64::from(dt.second()), count),
        Field::Fraction => {
            let nanos = format!("{:09}", dt.subsec_nanosecond());
            out.push_str(&nanos[..count.min(9)]);
        }
        Field::Nano => number(out, i64::from(dt.subsec_nanosecond()), count),
        Field::AmPm => out.push_str(if dt.hour() < 12 { "AM" } else { "PM" }),
        Field::DayName => {
            let name = DAYS[dt.weekday().to_monday_zero_offset() as usize];
            out.push_str(if count == 4 { name } else { short(name) });
        }
        Field::Era => out.push_str(match (year > 0, count == 4) {
            (true, false) => "AD",
            (false, false) => "BC",
            (true, true) => "Anno Domini",
            (false, true) => "Before Christ",
        }),
        Field::OffsetX => out.push('Z'),
        Field::Offsetx => out.push_str(match count {
            1 => "+00",
            2 | 4 => "+0000",
            _ => "+00:00",
        }),
        Field::OffsetZ => out.push_str(match count {
            4 => "GMT",
            5 => "Z",
            _ => "+0000",
        }),
    }
}

/// A year: two digits for a count of 2, else at least `count` digits with a sign when negative.
fn year_digits(out: &mut String, year: i64, count: usize) {
    if count == 2 {
        number(out, year.rem_euclid(100), 2);
    } else {
        number(out, year, count);
    }
}

/// A number padded with zeros to `width` digits, with `-` before negative numbers.
fn number(out: &mut String, value: i64, width: usize) {
    if value < 0 {
        out.push('-');
    }
    // Writing to a String cannot fail.
    let _ = write!(out, "{:0width$}", value.unsigned_abs());
}
