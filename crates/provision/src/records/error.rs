//! The error of reading records.

/// A file whose records could not be read: where, and what was expected.
///
/// Displays as `<origin>:<line>[:<column>][: column "<header>"]: <message>`, such as
/// `users.csv:3: column "active:boolean": "yes" is not true or false` or
/// `users.ndjson:7: expected a JSON object, found an array`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct RecordError {
    /// The file (or whatever name the caller gave the text).
    pub origin: String,
    /// 1-based line; none for problems of the whole file (it cannot be read).
    pub line: Option<usize>,
    /// 1-based column within the line, for JSON syntax errors.
    pub column: Option<usize>,
    /// The CSV column's header, for problems of one CSV cell or header.
    pub header: Option<String>,
    /// What was wrong and what was expected.
    pub message: String,
}

impl RecordError {
    /// A problem at `line` of `origin`.
    pub(super) fn at(origin: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            origin: origin.to_string(),
            line: Some(line),
            column: None,
            header: None,
            message: message.into(),
        }
    }

    /// A problem of the whole of `origin`.
    pub(super) fn file(origin: &str, message: impl Into<String>) -> Self {
        Self {
            origin: origin.to_string(),
            line: None,
            column: None,
            header: None,
            message: message.into(),
        }
    }

    /// The same problem, at `column` of its line (0 = unknown).
    pub(super) fn column(self, column: usize) -> Self {
        Self {
            column: (column > 0).then_some(column),
            ..self
        }
    }

    /// The same problem, in the CSV column headed `header`.
    pub(super) fn header(self, header: &str) -> Self {
        Self {
            header: Some(header.to_string()),
            ..self
        }
    }

    fn render(&self) -> String {
        let mut out = self.origin.clone();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                out.push_str(&format!(":{column}"));
            }
        }
        if let Some(header) = &self.header {
            out.push_str(&format!(": column {header:?}"));
        }
        out.push_str(": ");
        out.push_str(&self.message);
        out
    }
}

/// `value` for a message: quoted, and shortened when long.
pub(super) fn quoted(value: &str) -> String {
    const SHOWN: usize = 60;
    if value.chars().count() <= SHOWN {
        format!("{value:?}")
    } else {
        let head: String = value.chars().take(SHOWN).collect();
        format!("{head:?}…")
    }
}

/// serde_json's message without the " at line L column C" it appends (we report the position
/// separately).
pub(super) fn json_message(err: &serde_json::Error) -> String {
    let message = err.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_origin_line_column_header_and_message() {
        let err = RecordError::at("users.csv", 3, "\"yes\" is not true or false")
            .header("active:boolean");
        assert_eq!(
            err.to_string(),
            r#"users.csv:3: column "active:boolean": "yes" is not true or false"#
        );
        let err = RecordError::at("a.json", 2, "expected value").column(5);
        assert_eq!(err.to_string(), "a.json:2:5: expected value");
        let err = RecordError::file("gone.csv", "cannot read the file: not found");
        assert_eq!(err.to_string(), "gone.csv: cannot read the file: not found");
    }

    #[test]
    fn long_values_are_shortened() {
        assert_eq!(quoted("yes"), "\"yes\"");
        let long = "é".repeat(100);
        assert_eq!(quoted(&long), format!("{:?}…", "é".repeat(60)));
    }
}
