//! Reading records from a file.

use std::path::Path;

use serde_json::Value;

use super::error::RecordError;
use super::format::Format;
use super::parse::parse;

/// Reads the file at `path` and parses it as `format` ([`parse`]); errors name the path as
/// given. The file must be UTF-8 (a leading byte-order mark is ignored).
pub fn read_file(path: &Path, format: Format) -> Result<Vec<Value>, RecordError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|err| RecordError::file(&origin, format!("cannot read the file: {err}")))?;
    let text = String::from_utf8(bytes).map_err(|err| {
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
            &origin,
            line,
            format!(
                "not UTF-8 text (byte 0x{:02x}); save the file as UTF-8",
                bytes.get(valid).copied().unwrap_or_default()
            ),
        )
        .column(column)
    })?;
    parse(&text, format, &origin)
}
