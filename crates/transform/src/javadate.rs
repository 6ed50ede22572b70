//! Java date patterns (`java.time.format.DateTimeFormatter` letters, which IPS users also write
//! for `SimpleDateFormat`): `manipulateDate`'s `sourceDateFormat` and `targetDateFormat`
//! (`reference/ips-ias.md` §1.8) and the `currentDate` variable's `ips.date.variable.format`
//! (default `yyyy-MM-dd HH:mm:ss.SSS`).
//!
//! # Letters
//!
//! | letter | meaning | counts |
//! |---|---|---|
//! | `y` | year of era (`yy`: two digits, parsed as 2000–2099) | any |
//! | `u` | proleptic year, signed (`uu`: two digits) | any |
//! | `M` `L` | month: `M` 1, `MM` 01, `MMM` Jan, `MMMM` January | 1–4 |
//! | `d` | day of month | 1–2 |
//! | `D` | day of year | 1–3 |
//! | `H` `k` | hour 0–23, hour 1–24 | 1–2 |
//! | `h` `K` | hour of AM/PM 1–12, 0–11 | 1–2 |
//! | `m` `s` | minute, second | 1–2 |
//! | `S` | fraction of second, that many digits | 1–9 |
//! | `n` | nanosecond | 1–9 |
//! | `a` | AM / PM | 1 |
//! | `E` | day name: `E`–`EEE` Mon, `EEEE` Monday | 1–4 |
//! | `G` | era: AD / BC, `GGGG` Anno Domini | 1–4 |
//! | `X` `x` `Z` | UTC offset | 1–5 |
//!
//! `'text'` is literal text and `''` a single quote; every other character that is not a
//! letter is literal. Optional sections (`[` `]`) and the letters not listed are rejected with an
//! error naming them.
//!
//! # Formatting and parsing (**proposed** where Java differs or is silent)
//!
//! Formatting writes English names and treats the date-time as UTC: offsets are written as UTC
//! (`X` → `Z`, `xx` → `+0000`, `Z` → `+0000`). Parsing accepts any offset and converts the
//! date-time to UTC; names are matched without regard to case, short or full; fields a pattern
//! does not have default to 1970-01-01 00:00:00; an hour of AM/PM without `a` counts as AM; a
//! day name that contradicts the date is an error (as in Java). Years are limited to
//! -9999..=9999.

mod format;
mod names;
mod parse;
mod pattern;
#[cfg(test)]
mod tests;

pub use pattern::{DatePattern, DatePatternError};

/// The default of the `ips.date.variable.format` property: the pattern of the `currentDate`
/// variable (`reference/ips-ias.md` §1.6, §2.8), and what `manipulateDate` reads and writes when
/// its formats are not given (**proposed**).
pub const IPS_DATE_VARIABLE_FORMAT: &str = "yyyy-MM-dd HH:mm:ss.SSS";
