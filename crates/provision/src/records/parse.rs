//! Parsing text in one of the formats.

use serde_json::Value;

use super::error::RecordError;
use super::format::Format;
use super::limits::Limits;
use super::{json_array, ndjson, table};

/// Parses `text` as records in `format`; `origin` names the text in errors (the file name).
/// A leading byte-order mark is ignored. Each record is a JSON object.
///
/// # CSV
///
/// RFC 4180: cells separated by commas, quoted with `"` when they hold commas, quotes or line
/// breaks. The first row is the header: one JSONPath per column in the IPS dialect. A path
/// without `$` is read from the root (`userName` is `$.userName`, `['a']` is `$['a']`); it
/// must name one place (`name.familyName`, `emails[0].value`, `$['urn:…:User']['department']`)
/// or end in `[?(@.name)]`, IPS's array-of-objects target, which adds one `{"name": value}` to
/// the list there. Cells are written in column order with the transformation engine's JSONPath
/// writer, so `emails[0].value` and `emails[0].primary` fill one object.
///
/// **Proposed** beyond IPS's documented CSV (headers in dot notation):
///
/// - An empty cell means the attribute is absent. A row whose cells are all empty is skipped.
/// - A header may end in a type: `:string` (the default), `:boolean` (`true` or `false`, any
///   case), `:number` (a JSON number) or `:json` (any JSON value), as in `active:boolean`. Only
///   these four names, only in lower case, and only after the path's final `]` or name count;
///   anything else is part of the path — to name a member that ends so, bracket it:
///   `$['x:number']`.
/// - A cell of a `[?(@.name)]` column may hold several values separated by `|`
///   (`groups[?(@.value)]` = `g1|g2`), each typed and added in order; empty parts are
///   skipped. Such a column's values cannot contain `|`.
/// - Every row has as many cells as the header; a header appears once.
///
/// # Limits
///
/// At most [`super::MAX_RECORDS`] records; NDJSON and CSV lines of at most
/// [`super::MAX_LINE_BYTES`].
pub fn parse(text: &str, format: Format, origin: &str) -> Result<Vec<Value>, RecordError> {
    parse_within(text, format, origin, Limits::DEFAULT)
}

/// [`parse`] with other limits.
fn parse_within(
    text: &str,
    format: Format,
    origin: &str,
    limits: Limits,
) -> Result<Vec<Value>, RecordError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::Ndjson => ndjson::parse(text, origin, limits),
        Format::Json => json_array::parse(text, origin, limits),
        Format::Csv => table::parse(text, origin, limits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limits = Limits {
        records: 2,
        line_bytes: 16,
    };

    #[test]
    fn the_record_limit_holds_in_every_format() {
        let cases = [
            (Format::Ndjson, "{}\n\n{}\n", "{}\n\n{}\n{}\n", 4),
            (Format::Json, "[{},\n{}]", "[{},\n{},\n{}]", 3),
            (Format::Csv, "a\n1\n2\n", "a\n1\n2\n3\n", 4),
        ];
        for (format, two, three, line) in cases {
            assert_eq!(parse_within(two, format, "x", SMALL).unwrap().len(), 2);
            let err = parse_within(three, format, "x", SMALL).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("x:{line}: more than 2 records; a file may hold at most 2"),
                "{format}"
            );
        }
    }

    #[test]
    fn the_line_limit_holds_for_ndjson_and_csv() {
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(10));
        let err = parse_within(&format!("{{}}\n{long}"), Format::Ndjson, "x", SMALL).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x:2: the line is 18 bytes long; lines may be at most 16 bytes"
        );
        let err =
            parse_within(&format!("a\n{}", "y".repeat(17)), Format::Csv, "x", SMALL).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(parse_within(&format!("[{long}]"), Format::Json, "x", SMALL).is_ok());
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let records = parse("\u{feff}userName\nalice\n", Format::Csv, "x").unwrap();
        assert_eq!(records, [serde_json::json!({"userName": "alice"})]);
    }
}
