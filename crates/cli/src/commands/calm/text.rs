//! How the `calm` commands print.

use std::io::Write;

use serde_json::Value;

use crate::exit::UserError;

/// A measure for people: whole numbers without decimals.
pub(super) fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// JSON for people, one document, ending in a newline.
pub(super) fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes the output.
pub(super) fn write(out: &mut dyn Write, text: &str) -> Result<(), UserError> {
    crate::output::write(out, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_print_whole_or_with_one_decimal() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(12.25), "12.2");
    }
}
