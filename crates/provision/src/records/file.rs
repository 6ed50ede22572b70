//! Reading records from a file.

use std::path::Path;

use serde_json::Value;

use super::error::RecordError;
use super::format::Format;
use super::limits::Limits;
use super::ndjson::{self, Line};
use super::parse::parse;

/// Reads the file at `path` and parses it as `format` ([`parse`]); errors name the path as
/// given. The file must be UTF-8 (a leading byte-order mark is ignored).
pub fn read_file(path: &Path, format: Format) -> Result<Vec<Value>, RecordError> {
    open_file(path, format)?.collect()
}

/// Reads the file at `path` and checks it as `format` like [`read_file`], with the same
/// errors, but hands the records out one at a time: NDJSON lines are checked first and parsed
/// into objects only as they are taken, so a large file is never held as objects all at once.
pub fn open_file(path: &Path, format: Format) -> Result<Records, RecordError> {
    let origin = path.display().to_string();
    let mut text = read_text(path, &origin)?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    let inner = match format {
        Format::Ndjson => {
            let lines = ndjson::lines(&text, &origin, Limits::DEFAULT)?;
            Inner::Lines {
                text,
                origin,
                lines: lines.into_iter(),
            }
        }
        Format::Json | Format::Csv => Inner::Parsed(parse(&text, format, &origin)?.into_iter()),
    };
    Ok(Records { inner })
}

/// The records of a file, in order ([`open_file`]).
#[derive(Debug)]
pub struct Records {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Parsed(std::vec::IntoIter<Value>),
    Lines {
        text: String,
        origin: String,
        lines: std::vec::IntoIter<Line>,
    },
}

impl Records {
    /// How many records are left.
    pub fn remaining(&self) -> usize {
        match &self.inner {
            Inner::Parsed(values) => values.len(),
            Inner::Lines { lines, .. } => lines.len(),
        }
    }
}

impl Iterator for Records {
    type Item = Result<Value, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Parsed(values) => values.next().map(Ok),
            Inner::Lines {
                text,
                origin,
                lines,
            } => lines.next().map(|line| ndjson::record(text, origin, line)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.remaining();
        (left, Some(left))
    }
}

/// The file at `path` as UTF-8 text; errors name it as `origin`.
fn read_text(path: &Path, origin: &str) -> Result<String, RecordError> {
    let bytes = std::fs::read(path)
        .map_err(|err| RecordError::file(origin, format!("cannot read the file: {err}")))?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid
            - bytes[..valid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |nl| nl + 1)
            + 1;
        RecordError::at(
            origin,
            line,
            format!(
                "not UTF-8 text (byte 0x{:02x}); save the file as UTF-8",
                bytes.get(valid).copied().unwrap_or_default()
            ),
        )
        .column(column)
    })
}
