//! Problems found in a transformation document, and where they are.

use std::fmt;

use sapland_core::json::{self, JsonError, JsonPath, Segment};
use serde::Serialize;

/// Something wrong with a transformation, or worth a warning, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The JSON path of the value, from the document root.
    pub path: JsonPath,
    /// 1-based line of the value (0 when unknown, as for documents given as JSON values).
    pub line: usize,
    /// 1-based column of the value (0 when unknown).
    pub column: usize,
    /// What is wrong and what is expected.
    pub message: String,
}

impl Problem {
    /// A problem at `path` of the document `text`, with the line and column of that value.
    ///
    /// ```
    /// use sapland_core::json::JsonPath;
    /// use sapland_transform::document::Problem;
    ///
    /// let text = "{\"user\": {\n  \"mappings\": [{\"type\": \"copy\"}]}}";
    /// let path = JsonPath::root().key("user").key("mappings").index(0).key("type");
    /// let problem = Problem::at(Some(text), path, "unknown mapping type");
    /// assert_eq!(problem.location(), "user.mappings[0].type");
    /// assert_eq!((problem.line, problem.column), (2, 25));
    /// ```
    pub fn at(text: Option<&str>, path: JsonPath, message: impl Into<String>) -> Self {
        let (line, column) = text
            .and_then(|text| json::locate(text, &path))
            .unwrap_or((0, 0));
        Self {
            path,
            line,
            column,
            message: message.into(),
        }
    }

    /// This problem of a transformation that sits at `prefix` inside a larger document `text`
    /// (the `transformation` member of a system export): its path starts at that document's
    /// root, and its line and column are found in `text`.
    ///
    /// ```
    /// use sapland_core::json::JsonPath;
    /// use sapland_transform::document::Problem;
    ///
    /// let export = "{\"name\": \"T\",\n \"transformation\": {\"user\": {\"mappings\": 1}}}";
    /// let inner = Problem::at(None, JsonPath::root().key("user").key("mappings"), "not an array");
    /// let outer = inner.within(&JsonPath::root().key("transformation"), export);
    /// assert_eq!(outer.location(), "transformation.user.mappings");
    /// assert_eq!((outer.line, outer.column), (2, 42));
    /// ```
    pub fn within(&self, prefix: &JsonPath, text: &str) -> Problem {
        let mut path = prefix.clone();
        for segment in self.path.segments() {
            path = match segment {
                Segment::Key(key) => path.key(key.clone()),
                Segment::Index(index) => path.index(*index),
            };
        }
        Problem::at(Some(text), path, self.message.clone())
    }

    /// The location as IPS users read it: `user.mappings[12].functions[0].regex`, with URNs and
    /// other keys that are not plain names in brackets; `the document` for the root.
    pub fn location(&self) -> String {
        display_path(&self.path)
    }
}

/// A JSON path the way IPS users read it: without the leading `$.`.
pub(crate) fn display_path(path: &JsonPath) -> String {
    if path.is_root() {
        return "the document".into();
    }
    let full = path.to_string();
    match path.segments().first() {
        Some(Segment::Key(_)) if full.starts_with("$.") => full[2..].to_string(),
        _ => full[1..].to_string(),
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}, column {}, ", self.line, self.column)?;
        }
        write!(f, "at {}: {}", self.location(), self.message)
    }
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Problem", 4)?;
        s.serialize_field("path", &self.location())?;
        s.serialize_field("line", &self.line)?;
        s.serialize_field("column", &self.column)?;
        s.serialize_field("message", &self.message)?;
        s.end()
    }
}

/// Why a transformation cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransformError {
    /// The text is not JSON.
    #[error("the transformation is not valid JSON: {}", render_json(.0))]
    Json(#[from] JsonError),
    /// The JSON is not a valid transformation: every problem found, and the warnings beside them.
    #[error("{}", render_invalid(.errors))]
    Invalid {
        /// The errors, in document order.
        errors: Vec<Problem>,
        /// The warnings, in document order.
        warnings: Vec<Problem>,
    },
}

impl TransformError {
    /// The errors found (one for malformed JSON).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            TransformError::Json(err) => vec![json_problem(err)],
            TransformError::Invalid { errors, .. } => errors.clone(),
        }
    }
}

fn json_problem(err: &JsonError) -> Problem {
    Problem {
        path: err.path.clone(),
        line: err.line,
        column: err.column,
        message: err.message.clone(),
    }
}

/// A JSON syntax error, located the way IPS users read paths (the root adds nothing).
fn render_json(err: &JsonError) -> String {
    let problem = json_problem(err);
    match (problem.line > 0, problem.path.is_root()) {
        (true, true) => format!(
            "line {}, column {}: {}",
            problem.line, problem.column, problem.message
        ),
        (false, true) => problem.message,
        _ => problem.to_string(),
    }
}

fn render_invalid(errors: &[Problem]) -> String {
    let mut out = format!("{} problem(s) in the transformation", errors.len());
    for problem in errors {
        out.push_str("\n  ");
        out.push_str(&problem.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_drops_the_root_and_keeps_brackets() {
        let path = JsonPath::root()
            .key("user")
            .key("mappings")
            .index(12)
            .key("functions")
            .index(0)
            .key("regex");
        assert_eq!(display_path(&path), "user.mappings[12].functions[0].regex");
        let urn = JsonPath::root().key("urn:x:User").key("a");
        assert_eq!(display_path(&urn), "['urn:x:User'].a");
        assert_eq!(display_path(&JsonPath::root()), "the document");
    }

    #[test]
    fn display_without_position() {
        let problem = Problem::at(None, JsonPath::root().key("user"), "bad");
        assert_eq!(problem.to_string(), "at user: bad");
    }
}
