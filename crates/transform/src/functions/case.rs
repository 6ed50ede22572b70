//! `toUpperCaseString` and `toLowerCaseString` (`reference/ips-ias.md` §1.8): Unicode case
//! mapping as Java's `String.toUpperCase(Locale)` / `toLowerCase(Locale)` does it, with the
//! language rules of Turkish and Azerbaijani (dotted and dotless i). The `locale` defaults to
//! `en_EN`; any other language uses the default Unicode mapping (**proposed**: Lithuanian's
//! accent rules are not applied).

use serde_json::Value;

use super::fault::Outcome;
use super::params::Params;
use super::values::text;

/// Which way to change the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// `toUpperCaseString`.
    Upper,
    /// `toLowerCaseString`.
    Lower,
}

/// A compiled case conversion.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    direction: Direction,
    turkic: bool,
}

impl Case {
    pub(crate) fn compile(params: &Params<'_>, direction: Direction) -> Outcome<Self> {
        let locale = params
            .text("locale")?
            .unwrap_or_else(|| "en_EN".to_string());
        let language = locale
            .split(['_', '-'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Ok(Self {
            direction,
            turkic: matches!(language.as_str(), "tr" | "az"),
        })
    }

    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let text = text(value)?;
        let converted = match (self.direction, self.turkic) {
            (Direction::Upper, false) => text.to_uppercase(),
            (Direction::Lower, false) => text.to_lowercase(),
            (Direction::Upper, true) => turkic_upper(&text),
            (Direction::Lower, true) => turkic_lower(&text),
        };
        Ok(Some(Value::String(converted)))
    }
}

/// Upper case with `i` → `İ` (dotted capital I).
fn turkic_upper(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'i' => out.push('\u{130}'),
            other => out.extend(other.to_uppercase()),
        }
    }
    out
}

/// Lower case with `I` → `ı` (dotless small i), `İ` → `i`, and `I` followed by a combining
/// dot above → `i`.
fn turkic_lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'I' if chars.peek() == Some(&'\u{307}') => {
                chars.next();
                out.push('i');
            }
            'I' => out.push('\u{131}'),
            '\u{130}' => out.push('i'),
            other => out.extend(other.to_lowercase()),
        }
    }
    out
}
