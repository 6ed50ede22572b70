//! Parsing JSON text with errors that say where: JSON path, line and column.

use std::fmt;

use serde::de::DeserializeOwned;

/// A JSON document that could not be read into the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct JsonError {
    /// The JSON path of the offending value, such as `$.properties['ias.api.version']`.
    pub path: JsonPath,
    /// 1-based line of the position where the problem was found (0 when unknown).
    pub line: usize,
    /// 1-based column of that position (0 when unknown).
    pub column: usize,
    /// What was wrong and what was expected.
    pub message: String,
}

impl JsonError {
    fn render(&self) -> String {
        let mut out = String::new();
        if self.line > 0 {
            out.push_str(&format!("line {}, column {}", self.line, self.column));
        }
        if !self.path.is_root() {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&format!("at {}", self.path));
        }
        if out.is_empty() {
            self.message.clone()
        } else {
            format!("{out}: {}", self.message)
        }
    }
}

/// Parses `text` as `T`, reporting the JSON path, line and column of the first problem.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = JsonPath::from_serde(err.path());
        from_serde_error(path, &err.into_inner())
    })?;
    de.end()
        .map_err(|err| from_serde_error(JsonPath::root(), &err))?;
    Ok(value)
}

fn from_serde_error(path: JsonPath, err: &serde_json::Error) -> JsonError {
    JsonError {
        path,
        line: err.line(),
        column: err.column(),
        message: strip_position(&err.to_string()),
    }
}

/// serde_json appends " at line L column C" to its messages; we report the position separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// A JSON path in the bracket-and-dot notation that IPS and Jayway use: `$.a.b[0]['x.y']`.
///
/// ```
/// use sapland_core::json::JsonPath;
///
/// let path = JsonPath::root().key("properties").key("ias.api.version");
/// assert_eq!(path.to_string(), "$.properties['ias.api.version']");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(Vec<Segment>);

impl JsonPath {
    /// The document root, `$`.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path extended by an object member.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.0.push(Segment::Key(key.into()));
        self
    }

    /// This path extended by an array index.
    pub fn index(mut self, index: usize) -> Self {
        self.0.push(Segment::Index(index));
        self
    }

    /// Whether this is `$` itself.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The steps of the path, outermost first.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    fn from_serde(path: &serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment as S;
        let segments = path
            .iter()
            .filter_map(|segment| match segment {
                S::Seq { index } => Some(Segment::Index(*index)),
                S::Map { key } => Some(Segment::Key(key.clone())),
                S::Enum { variant } => Some(Segment::Key(variant.clone())),
                S::Unknown => None,
            })
            .collect();
        Self(segments)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.0 {
            match segment {
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::Key(k) if is_plain_key(k) => write!(f, ".{k}")?,
                Segment::Key(k) => write!(f, "['{}']", k.replace('\'', "\\'"))?,
            }
        }
        Ok(())
    }
}

fn is_plain_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// What kind of JSON value this is, as an error message says it: `null`, `a boolean`,
/// `a number`, `a string`, `an array`, `an object`.
///
/// ```
/// assert_eq!(sapland_core::json::kind(&serde_json::json!([1])), "an array");
/// ```
pub fn kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Finds the 1-based line and column where the value at `path` starts in the JSON `text`.
///
/// Used to point at values that parsed as JSON but failed a later check (an out-of-range
/// property, say). Returns `None` when the text is not valid JSON or the path is absent.
pub fn locate(text: &str, path: &JsonPath) -> Option<(usize, usize)> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.find(path.segments())?;
    let before = &text[..scanner.pos];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

/// A minimal JSON scanner that walks to a path without building values.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn find(&mut self, segments: &[Segment]) -> Option<()> {
        self.skip_ws();
        let Some((first, rest)) = segments.split_first() else {
            return Some(());
        };
        match (first, self.peek()?) {
            (Segment::Key(wanted), b'{') => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    if self.peek()? == b'}' {
                        return None;
                    }
                    let key = self.string()?;
                    self.skip_ws();
                    self.expect(b':')?;
                    self.skip_ws();
                    if key == *wanted {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    self.skip_ws();
                    if self.peek()? == b',' {
                        self.pos += 1;
                    }
                }
            }
            (Segment::Index(wanted), b'[') => {
                self.pos += 1;
                let mut index = 0;
                loop {
                    self.skip_ws();
                    if self.peek()? == b']' {
                        return None;
                    }
                    if index == *wanted {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    self.skip_ws();
                    if self.peek()? == b',' {
                        self.pos += 1;
                    }
                    index += 1;
                }
            }
            _ => None,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        serde_json::from_slice(&self.bytes[start..self.pos]).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        c if c == close => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' | b':' => self.pos += 1,
                        _ => self.skip_value()?,
                    }
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_renders_urn_and_dotted_keys_in_brackets() {
        let path = JsonPath::root()
            .key("properties")
            .key("ias.api.version")
            .key("urn:x")
            .index(3)
            .key("name");
        assert_eq!(
            path.to_string(),
            "$.properties['ias.api.version']['urn:x'][3].name"
        );
    }

    #[test]
    fn locate_finds_nested_members_and_elements() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c.d\": {\"e\": true}\n}";
        let b = JsonPath::root().key("a").index(1).key("b");
        assert_eq!(locate(text, &b), Some((2, 18)));
        let e = JsonPath::root().key("c.d").key("e");
        assert_eq!(locate(text, &e), Some((3, 16)));
        assert_eq!(locate(text, &JsonPath::root().key("missing")), None);
    }

    #[test]
    fn from_str_reports_path_and_position_of_a_type_error() {
        #[derive(Debug, serde::Deserialize)]
        struct Doc {
            #[expect(dead_code)]
            items: Vec<u32>,
        }
        let err = from_str::<Doc>("{\"items\": [1,\n \"two\"]}").unwrap_err();
        assert_eq!(err.path.to_string(), "$.items[1]");
        assert_eq!((err.line, err.column), (2, 6));
        assert!(err.message.contains("expected u32"), "{}", err.message);
    }

    #[test]
    fn from_str_reports_trailing_garbage() {
        let err = from_str::<serde_json::Value>("{} x").unwrap_err();
        assert_eq!((err.line, err.column), (1, 4));
    }
}
