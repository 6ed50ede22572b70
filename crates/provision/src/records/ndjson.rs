//! NDJSON: one JSON object per line.

use std::ops::Range;

use serde::de::IgnoredAny;
use serde_json::Value;

use sapland_core::json::kind;

use super::error::{RecordError, json_message};
use super::limits::Limits;

pub(super) fn parse(text: &str, origin: &str, limits: Limits) -> Result<Vec<Value>, RecordError> {
    lines(text, origin, limits)?
        .into_iter()
        .map(|line| record(text, origin, line))
        .collect()
}

/// One record line: its 1-based number and where it is in the text.
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub(super) number: usize,
    pub(super) bytes: Range<usize>,
}

/// Checks every line of `text` as one JSON object, without building the objects, and says
/// where the records are; blank lines are skipped. The errors are [`parse`]'s.
pub(super) fn lines(text: &str, origin: &str, limits: Limits) -> Result<Vec<Line>, RecordError> {
    let mut records = Vec::new();
    for line in limits.lines(text, origin) {
        let (number, line) = line?;
        if line.trim_matches([' ', '\t']).is_empty() {
            continue;
        }
        if records.len() == limits.records {
            return Err(limits.too_many(origin, number));
        }
        serde_json::from_str::<IgnoredAny>(line).map_err(|err| syntax(origin, number, &err))?;
        if !line.trim_start().starts_with('{') {
            // Valid JSON, not an object: parsed whole only to name what it is.
            let value: Value = serde_json::from_str(line).unwrap_or(Value::Null);
            return Err(RecordError::at(
                origin,
                number,
                format!("expected a JSON object, found {}", kind(&value)),
            ));
        }
        // `line` is a slice of `text`: its offset is the distance between their starts.
        let start = line.as_ptr() as usize - text.as_ptr() as usize;
        records.push(Line {
            number,
            bytes: start..start + line.len(),
        });
    }
    Ok(records)
}

/// The record on `line` of `text`, which [`lines`] checked.
pub(super) fn record(text: &str, origin: &str, line: Line) -> Result<Value, RecordError> {
    let source = text.get(line.bytes).unwrap_or_default();
    serde_json::from_str(source).map_err(|err| syntax(origin, line.number, &err))
}

/// A line's JSON syntax error, at its line and column.
fn syntax(origin: &str, number: usize, err: &serde_json::Error) -> RecordError {
    RecordError::at(origin, number, json_message(err)).column(err.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_blank_lines() {
        let records = parse(
            "{\"a\":1}\r\n\r\n  \n{\"a\":2}",
            "x.ndjson",
            Limits::DEFAULT,
        )
        .unwrap();
        assert_eq!(records.len(), 2);
    }

    #[test]
    fn a_syntax_error_names_line_and_column() {
        let err = parse("{\"a\":1}\n{\"a\":}", "x.ndjson", Limits::DEFAULT).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert_eq!(err.column, Some(6));
        assert_eq!(err.to_string(), "x.ndjson:2:6: expected value");
    }
}
