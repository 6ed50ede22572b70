//! NDJSON: one JSON object per line.

use serde_json::Value;

use sapland_core::json::kind;

use super::error::{RecordError, json_message};
use super::limits::Limits;

pub(super) fn parse(text: &str, origin: &str, limits: Limits) -> Result<Vec<Value>, RecordError> {
    let mut records = Vec::new();
    for line in limits.lines(text, origin) {
        let (number, line) = line?;
        if line.trim_matches([' ', '\t']).is_empty() {
            continue;
        }
        if records.len() == limits.records {
            return Err(limits.too_many(origin, number));
        }
        let value: Value = serde_json::from_str(line).map_err(|err| {
            RecordError::at(origin, number, json_message(&err)).column(err.column())
        })?;
        if !value.is_object() {
            return Err(RecordError::at(
                origin,
                number,
                format!("expected a JSON object, found {}", kind(&value)),
            ));
        }
        records.push(value);
    }
    Ok(records)
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
