//! CSV column headers: a JSONPath, optionally followed by a type (**proposed**), and how a
//! column writes its cells into a record.

use sapland_transform::path::{self, Path};
use serde_json::Value;

use super::error::{json_message, quoted};

/// What a column's cells hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ColumnType {
    /// Text, as written (the default).
    String,
    /// `true` or `false`, any case.
    Boolean,
    /// A JSON number.
    Number,
    /// Any JSON value.
    Json,
}

impl ColumnType {
    const ALL: [(&'static str, ColumnType); 4] = [
        ("string", Self::String),
        ("boolean", Self::Boolean),
        ("number", Self::Number),
        ("json", Self::Json),
    ];

    fn from_suffix(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t)
    }

    /// The cell's value; `Err` says why it is not one.
    fn convert(self, cell: &str) -> Result<Value, String> {
        match self {
            Self::String => Ok(Value::String(cell.to_string())),
            Self::Boolean => match cell.trim() {
                t if t.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
                f if f.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
                _ => Err(format!("{} is not true or false", quoted(cell))),
            },
            Self::Number => cell
                .trim()
                .parse::<serde_json::Number>()
                .map(Value::Number)
                .map_err(|_| format!("{} is not a number", quoted(cell))),
            Self::Json => serde_json::from_str(cell)
                .map_err(|err| format!("{} is not JSON: {}", quoted(cell), json_message(&err))),
        }
    }
}

/// One CSV column.
#[derive(Debug, Clone)]
pub(super) struct Column {
    /// The header as written (trimmed), for messages.
    pub(super) header: String,
    path: Path,
    kind: ColumnType,
    /// The path ends in `[?(@.name)]`: cells add objects to a list, and may hold several
    /// values separated by `|`.
    list: bool,
}

impl Column {
    /// The column headed `header`; `Err` says what is wrong with the header.
    pub(super) fn parse(header: &str) -> Result<Self, String> {
        let header = header.trim();
        if header.is_empty() {
            return Err(
                "the header is empty; expected a JSONPath such as userName or emails[0].value"
                    .to_string(),
            );
        }
        let (text, kind) = split_type(header);
        let (full, added) = if text.starts_with('$') {
            (text.to_string(), 0)
        } else if text.starts_with('[') {
            (format!("${text}"), 1)
        } else {
            (format!("$.{text}"), 2)
        };
        let path = Path::parse(&full).map_err(|err| {
            format!(
                "not a JSONPath: {} (at character {})",
                err.message,
                err.position.saturating_sub(added)
            )
        })?;
        if path.is_root() {
            return Err("a column must name an attribute, not the whole record".to_string());
        }
        if !path.is_writable() {
            return Err("a column cannot be written through a function such as length()".into());
        }
        let list = match list_target(&full) {
            Some(start) => Path::parse(&full[..start])
                .is_ok_and(|parent| parent.is_definite() && !parent.is_root()),
            None => false,
        };
        if !list && !path.is_definite() {
            return Err("a column must name one place (userName, name.familyName, \
                 emails[0].value, ['urn:…']['name']) or end in [?(@.name)] to add to a \
                 list; wildcards, slices, deep scans and other filters select nothing in a \
                 new record"
                .to_string());
        }
        Ok(Self {
            header: header.to_string(),
            path,
            kind,
            list,
        })
    }

    /// Writes `cell` into `record`; an empty cell writes nothing.
    pub(super) fn write(&self, record: &mut Value, cell: &str) -> Result<(), String> {
        if cell.is_empty() {
            return Ok(());
        }
        let value = if self.list {
            let items = cell
                .split('|')
                .filter(|part| !part.is_empty())
                .map(|part| self.kind.convert(part))
                .collect::<Result<Vec<_>, _>>()?;
            Value::Array(items)
        } else {
            self.kind.convert(cell)?
        };
        path::write(record, &self.path, value)
            .map_err(|err| format!("cannot write the value: {}", err.message))
    }
}

/// The path text and type of a header: a final `:<type>` counts only for the four type names
/// and only after the last `]` (so `$['urn:…:User']` keeps its colons).
fn split_type(header: &str) -> (&str, ColumnType) {
    if let Some(colon) = header.rfind(':') {
        let after_brackets = header.rfind(']').is_none_or(|bracket| bracket < colon);
        if let Some(kind) = ColumnType::from_suffix(&header[colon + 1..])
            && after_brackets
            && colon > 0
        {
            return (header[..colon].trim_end(), kind);
        }
    }
    (header, ColumnType::String)
}

/// Where the final `[?(@.name)]`, `[?(@['name'])]` or `[?(@["name"])]` starts, if the path ends
/// in one: IPS's array-of-objects target, to which the JSONPath writer appends.
fn list_target(path: &str) -> Option<usize> {
    let inner = path.strip_suffix(")]")?;
    let start = inner.rfind("[?(@")?;
    let member = &inner[start + 4..];
    let simple = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
    };
    let named = match member.strip_prefix('.') {
        Some(name) => simple(name) && !name.contains('.'),
        None => [("['", "']"), ("[\"", "\"]")].iter().any(|(open, close)| {
            member
                .strip_prefix(open)
                .and_then(|rest| rest.strip_suffix(close))
                .is_some_and(simple)
        }),
    };
    named.then_some(start)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn column(header: &str) -> Column {
        Column::parse(header).unwrap()
    }

    #[test]
    fn types_follow_the_final_name_or_bracket_only() {
        let urn = "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['department']";
        assert_eq!(split_type(urn), (urn, ColumnType::String));
        assert_eq!(
            split_type(&format!("{urn}:number")),
            (urn, ColumnType::Number)
        );
        assert_eq!(
            split_type("active:boolean"),
            ("active", ColumnType::Boolean)
        );
        assert_eq!(
            split_type("$['x:json']"),
            ("$['x:json']", ColumnType::String)
        );
        assert_eq!(
            split_type("roles:JSON"),
            ("roles:JSON", ColumnType::String),
            "only lower-case type names"
        );
        assert_eq!(split_type(":json"), (":json", ColumnType::String));
    }

    #[test]
    fn list_targets_are_recognized() {
        assert_eq!(list_target("$.groups[?(@.value)]"), Some(8));
        assert_eq!(list_target("$.groups[?(@['value'])]"), Some(8));
        assert_eq!(list_target("$.groups[?(@.value == 'x')]"), None);
        assert_eq!(list_target("$.groups[?(@.a.b)]"), None);
        assert_eq!(list_target("$.groups[0]"), None);
        assert!(
            Column::parse("$..groups[?(@.value)]").is_err(),
            "the list must be one place"
        );
        assert!(
            Column::parse("[?(@.value)]").is_err(),
            "not the record itself"
        );
    }

    #[test]
    fn cells_are_typed_and_written() {
        let mut record = json!({});
        column("userName").write(&mut record, "alice").unwrap();
        column("$.active:boolean")
            .write(&mut record, "TRUE")
            .unwrap();
        column("employeeCount:number")
            .write(&mut record, " 12 ")
            .unwrap();
        column("roles:json")
            .write(&mut record, r#"["a",{"b":1}]"#)
            .unwrap();
        column("groups[?(@.value)]")
            .write(&mut record, "g1||g2")
            .unwrap();
        column("emails[0].value").write(&mut record, "").unwrap();
        assert_eq!(
            record,
            json!({
                "userName": "alice",
                "active": true,
                "employeeCount": 12,
                "roles": ["a", {"b": 1}],
                "groups": [{"value": "g1"}, {"value": "g2"}]
            })
        );
    }

    #[test]
    fn bad_headers_say_why() {
        let err = |h: &str| Column::parse(h).unwrap_err();
        assert!(err("").contains("empty"));
        assert!(err("$").contains("whole record"));
        assert!(err("emails.length()").contains("function"));
        assert!(err("emails[*].value").contains("one place"));
        assert_eq!(
            err("emails[0.value"),
            Column::parse("emails[0.value").unwrap_err()
        );
        assert!(err("emails[0.value").starts_with("not a JSONPath:"));
    }
}
