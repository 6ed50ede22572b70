//! How much a file may hold.

use super::error::RecordError;

/// The most records one file may hold.
pub const MAX_RECORDS: usize = 1_000_000;

/// The longest line (NDJSON, CSV) in bytes, line break excluded: 1 MiB. A JSON array is one
/// document and may be a single line; its records are not limited by length.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The limits one parse checks: the constants above, smaller in tests.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub(super) records: usize,
    pub(super) line_bytes: usize,
}

impl Limits {
    pub(super) const DEFAULT: Self = Self {
        records: MAX_RECORDS,
        line_bytes: MAX_LINE_BYTES,
    };

    /// Lines of `text` with their 1-based numbers, without the line break (`\n` or `\r\n`),
    /// each checked against the line limit.
    pub(super) fn lines<'t>(
        self,
        text: &'t str,
        origin: &'t str,
    ) -> impl Iterator<Item = Result<(usize, &'t str), RecordError>> + 't {
        text.split('\n').enumerate().map(move |(index, line)| {
            let number = index + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.len() > self.line_bytes {
                return Err(RecordError::at(
                    origin,
                    number,
                    format!(
                        "the line is {} bytes long; lines may be at most {} bytes",
                        line.len(),
                        self.line_bytes
                    ),
                ));
            }
            Ok((number, line))
        })
    }

    /// The error for the record after the last one allowed, at `line`.
    pub(super) fn too_many(self, origin: &str, line: usize) -> RecordError {
        RecordError::at(
            origin,
            line,
            format!(
                "more than {} records; a file may hold at most {0}",
                self.records
            ),
        )
    }
}
