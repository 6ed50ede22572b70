//! SCIM attribute paths (RFC 7644 §3.10) and PATCH paths (RFC 7644 §3.5.2).
//!
//! An attribute path is `[URN ":"] attr ["." subAttr]`. A path that starts with `urn:` is
//! schema-qualified: the URN is everything up to the last `:`, the rest is `attr[.sub]`, so
//! `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value` names the
//! sub-attribute `value` of `manager` in the enterprise extension. The core schemas
//! (`…:core:2.0:User`, `…:core:2.0:Group`) address the top level of a resource, like an
//! unqualified path; any other URN addresses the resource member whose key is that URN.

use std::fmt;

use serde_json::{Map, Value};

use crate::scim::filter::{self, Filter};

/// An attribute path: optional schema URN, attribute, optional sub-attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttrPath {
    /// The schema URN the path is qualified with, as written (`None` when unqualified).
    pub urn: Option<String>,
    /// The attribute name, as written.
    pub attr: String,
    /// The sub-attribute name, as written.
    pub sub_attr: Option<String>,
}

impl AttrPath {
    /// Parses `[URN ":"] attr ["." subAttr]`. Attribute names follow RFC 7643 §2.1
    /// (`ALPHA *(ALPHA / DIGIT / "-" / "_")`), and `$ref` is accepted as a name too.
    pub fn parse(text: &str) -> Result<AttrPath, PathError> {
        parse_attr_path(text, 0)
    }

    /// A path without URN or sub-attribute.
    pub fn attribute(attr: &str) -> AttrPath {
        AttrPath {
            urn: None,
            attr: attr.to_string(),
            sub_attr: None,
        }
    }

    /// All values the path selects in a resource, flattening multi-valued attributes
    /// (`emails.value` yields every email's value). Attribute names match case-insensitively.
    ///
    /// An unqualified attribute the top level lacks is looked up in the resource's extension
    /// objects, first match wins (**proposed**: RFC 7644 §3.10 only says clients SHOULD
    /// qualify extension attributes, and IAS documents `loginTime` filters unqualified
    /// although v2 keeps `loginTime` in its SAP extension). A path qualified with a core
    /// schema never falls back.
    pub fn values<'a>(&self, resource: &'a Value) -> Vec<&'a Value> {
        let mut found = Vec::new();
        self.any_value(resource, |value| {
            found.push(value);
            false
        });
        found
    }

    /// Whether comparisons on this attribute are case-exact (id, externalId, meta.version, $ref values: yes; everything else: no).
    pub fn case_exact(&self) -> bool {
        let is_ref = |name: &str| name.eq_ignore_ascii_case("$ref");
        if is_ref(&self.attr) || self.sub_attr.as_deref().is_some_and(is_ref) {
            return true;
        }
        if self.extension().is_some() {
            return false;
        }
        match &self.sub_attr {
            None => {
                self.attr.eq_ignore_ascii_case("id") || self.attr.eq_ignore_ascii_case("externalId")
            }
            Some(sub) => {
                self.attr.eq_ignore_ascii_case("meta") && sub.eq_ignore_ascii_case("version")
            }
        }
    }

    /// The extension URN the path addresses, or `None` when it addresses the top level
    /// (unqualified, or qualified with a core schema).
    pub fn extension(&self) -> Option<&str> {
        self.urn.as_deref().filter(|urn| !is_core_schema(urn))
    }

    /// Calls `visit` on each value the path selects, in document order, until it returns
    /// `true`; answers whether it did. Allocates nothing.
    pub(crate) fn any_value<'a>(
        &self,
        resource: &'a Value,
        mut visit: impl FnMut(&'a Value) -> bool,
    ) -> bool {
        let Value::Object(top) = resource else {
            return false;
        };
        let base = match self.extension() {
            None => top,
            Some(urn) => match get_ci(top, urn) {
                Some(Value::Object(extension)) => extension,
                Some(_) => return false,
                None => {
                    // The whole extension named as one path (`urn:…:2.0:User`).
                    if self.sub_attr.is_none() {
                        let whole = top
                            .iter()
                            .find(|(key, _)| key_is_joined(key, urn, &self.attr));
                        if let Some((_, value)) = whole {
                            return visit_flat(value, &mut visit);
                        }
                    }
                    return false;
                }
            },
        };
        let found = get_ci(base, &self.attr).or_else(|| {
            if self.urn.is_some() {
                return None;
            }
            // Unqualified and not at the top level: look in the extensions (proposed).
            top.iter()
                .filter(|(key, _)| key.get(..4).is_some_and(|h| h.eq_ignore_ascii_case("urn:")))
                .filter_map(|(_, extension)| extension.as_object())
                .find_map(|extension| get_ci(extension, &self.attr))
        });
        let Some(value) = found else {
            return false;
        };
        match &self.sub_attr {
            None => visit_flat(value, &mut visit),
            Some(sub) => match value {
                Value::Array(items) => items.iter().any(|item| match item {
                    Value::Object(element) => {
                        get_ci(element, sub).is_some_and(|value| visit_flat(value, &mut visit))
                    }
                    _ => false,
                }),
                Value::Object(complex) => {
                    get_ci(complex, sub).is_some_and(|value| visit_flat(value, &mut visit))
                }
                _ => false,
            },
        }
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            write!(f, "{urn}:")?;
        }
        f.write_str(&self.attr)?;
        if let Some(sub) = &self.sub_attr {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// A PATCH path: attrPath, or valuePath with optional sub-attribute (`emails[type eq "work"].value`).
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    /// The attribute (its `sub_attr` is always `None`; the sub-attribute is kept below).
    pub attr: AttrPath,
    /// The value filter between brackets, if any.
    pub filter: Option<Filter>,
    /// The sub-attribute, after the attribute (`name.givenName`) or after the filter
    /// (`emails[type eq "work"].value`).
    pub sub_attr: Option<String>,
}

impl PatchPath {
    /// Parses `attrPath` or `valuePath [subAttr]` (RFC 7644 §3.5.2, the `PATH` rule).
    pub fn parse(text: &str) -> Result<PatchPath, PathError> {
        let Some(open) = text.find('[') else {
            let mut attr = AttrPath::parse(text)?;
            let sub_attr = attr.sub_attr.take();
            return Ok(PatchPath {
                attr,
                filter: None,
                sub_attr,
            });
        };
        let head = &text[..open];
        let attr = AttrPath::parse(head)?;
        if attr.sub_attr.is_some() {
            let dot = head.rfind('.').unwrap_or(0);
            return Err(PathError::at(
                text,
                dot,
                "a value filter follows an attribute, not a sub-attribute",
            ));
        }
        let (filter, end) = filter::parse_bracketed(text, open).map_err(|error| PathError {
            position: error.position,
            message: error.message,
        })?;
        let rest = &text[end..];
        let sub_attr = if rest.is_empty() {
            None
        } else if let Some(sub) = rest.strip_prefix('.') {
            let start = end + 1;
            let len = name_len(sub);
            if len == 0 {
                return Err(PathError::at(text, start, "expected a sub-attribute name"));
            }
            if len < sub.len() {
                return Err(PathError::at(
                    text,
                    start + len,
                    "expected the end of the path after the sub-attribute",
                ));
            }
            Some(sub.to_string())
        } else {
            return Err(PathError::at(
                text,
                end,
                "expected '.' and a sub-attribute, or the end of the path, after ']'",
            ));
        };
        Ok(PatchPath {
            attr,
            filter: Some(filter),
            sub_attr,
        })
    }

    /// The path without its filter, as an attribute path (`emails[…].value` → `emails.value`).
    pub fn attr_path(&self) -> AttrPath {
        AttrPath {
            urn: self.attr.urn.clone(),
            attr: self.attr.attr.clone(),
            sub_attr: self.sub_attr.clone(),
        }
    }
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.attr)?;
        if let Some(filter) = &self.filter {
            write!(f, "[{filter}]")?;
        }
        if let Some(sub) = &self.sub_attr {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// A path that does not follow the grammar, with the 0-based character position of the
/// problem and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid path at position {position}: {message}")]
pub struct PathError {
    /// The 0-based character index of the problem.
    pub position: usize,
    /// What is wrong, as a lower-case fragment.
    pub message: String,
}

impl PathError {
    /// An error at byte offset `byte` of `text`, reported as a character index.
    fn at(text: &str, byte: usize, message: impl Into<String>) -> PathError {
        PathError {
            position: char_index(text, byte),
            message: message.into(),
        }
    }
}

/// Whether `urn` is one of the core schemas, which address the top level of a resource.
pub(crate) fn is_core_schema(urn: &str) -> bool {
    urn.eq_ignore_ascii_case(sapland_core::scim::schemas::CORE_USER)
        || urn.eq_ignore_ascii_case(sapland_core::scim::schemas::CORE_GROUP)
}

/// The 0-based character index of byte offset `byte` in `text`.
pub(crate) fn char_index(text: &str, byte: usize) -> usize {
    match text.get(..byte) {
        Some(head) => head.chars().count(),
        None => text.chars().count(),
    }
}

/// The value of the member whose key equals `name` case-insensitively (exact spelling first).
pub(crate) fn get_ci<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if let Some(value) = map.get(name) {
        return Some(value);
    }
    map.iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

/// Whether `key` is `urn:attr`, compared case-insensitively.
pub(crate) fn key_is_joined(key: &str, urn: &str, attr: &str) -> bool {
    key.len() == urn.len() + 1 + attr.len()
        && key
            .get(..urn.len())
            .is_some_and(|k| k.eq_ignore_ascii_case(urn))
        && key.as_bytes().get(urn.len()) == Some(&b':')
        && key
            .get(urn.len() + 1..)
            .is_some_and(|k| k.eq_ignore_ascii_case(attr))
}

/// Visits a value, or each item of an array (one level: multi-valued attributes).
fn visit_flat<'a>(value: &'a Value, visit: &mut impl FnMut(&'a Value) -> bool) -> bool {
    match value {
        Value::Array(items) => items.iter().any(visit),
        other => visit(other),
    }
}

/// The length in bytes of the attribute name at the start of `text` (0 when there is none):
/// `ALPHA *(ALPHA / DIGIT / "-" / "_")`, or `$ref`-like names starting with `$`.
pub(crate) fn name_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    match bytes.first() {
        Some(first) if first.is_ascii_alphabetic() => {}
        Some(b'$') if bytes.get(1).is_some_and(u8::is_ascii_alphabetic) => {}
        _ => return 0,
    }
    1 + bytes[1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b'_')
        .count()
}

/// Whether `c` may appear in a schema URN.
fn is_urn_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '[' | ']' | '(' | ')' | '"' | '\\')
}

/// Parses an attribute path; `origin` is the character index of `text` in the text the
/// caller reports positions against.
pub(crate) fn parse_attr_path(text: &str, origin: usize) -> Result<AttrPath, PathError> {
    let error = |byte: usize, message: &str| PathError {
        position: origin + char_index(text, byte),
        message: message.to_string(),
    };
    let is_qualified = text
        .get(..4)
        .is_some_and(|head| head.eq_ignore_ascii_case("urn:"));
    let (urn, rest_start) = if is_qualified {
        if let Some((index, c)) = text.char_indices().find(|(_, c)| !is_urn_char(*c)) {
            let what = if c.is_whitespace() {
                "unexpected whitespace in the path"
            } else {
                "unexpected character in the schema URN"
            };
            return Err(error(index, what));
        }
        let last = text.rfind(':').unwrap_or(3);
        if last <= 4 {
            return Err(error(
                text.len(),
                "expected a schema URN, ':' and an attribute name",
            ));
        }
        (Some(text[..last].to_string()), last + 1)
    } else {
        (None, 0)
    };
    let rest = &text[rest_start..];
    let attr_len = name_len(rest);
    if attr_len == 0 {
        return Err(error(rest_start, "expected an attribute name"));
    }
    let attr = rest[..attr_len].to_string();
    let after_attr = rest_start + attr_len;
    let mut sub_attr = None;
    let mut end = after_attr;
    if text[after_attr..].starts_with('.') {
        let sub_start = after_attr + 1;
        let sub_len = name_len(&text[sub_start..]);
        if sub_len == 0 {
            return Err(error(sub_start, "expected a sub-attribute name"));
        }
        sub_attr = Some(text[sub_start..sub_start + sub_len].to_string());
        end = sub_start + sub_len;
    }
    if end < text.len() {
        let message = if text[end..].starts_with('.') {
            "a path has at most one sub-attribute"
        } else if sub_attr.is_some() {
            "expected the end of the path"
        } else {
            "expected '.' and a sub-attribute, or the end of the path"
        };
        return Err(error(end, message));
    }
    Ok(AttrPath {
        urn,
        attr,
        sub_attr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    fn path(text: &str) -> AttrPath {
        match AttrPath::parse(text) {
            Ok(path) => path,
            Err(error) => panic!("{text}: {error}"),
        }
    }

    /// RFC 7644 §3.10: `attr`, `attr.sub`.
    #[test]
    fn parses_plain_and_dotted_paths() {
        assert_eq!(path("userName"), AttrPath::attribute("userName"));
        let dotted = path("name.familyName");
        assert_eq!(dotted.attr, "name");
        assert_eq!(dotted.sub_attr.as_deref(), Some("familyName"));
        assert_eq!(path("members.$ref").sub_attr.as_deref(), Some("$ref"));
    }

    /// RFC 7644 §3.10: a URN-qualified path; the URN (with dots and colons) ends at the last `:`.
    #[test]
    fn parses_urn_qualified_paths() {
        let manager = path(&format!("{ENTERPRISE}:manager.value"));
        assert_eq!(manager.urn.as_deref(), Some(ENTERPRISE));
        assert_eq!(manager.attr, "manager");
        assert_eq!(manager.sub_attr.as_deref(), Some("value"));
        assert_eq!(manager.extension(), Some(ENTERPRISE));
        let core = path("URN:ietf:params:scim:schemas:core:2.0:User:userName");
        assert_eq!(core.extension(), None);
        assert_eq!(
            core.to_string(),
            "URN:ietf:params:scim:schemas:core:2.0:User:userName"
        );
    }

    /// RFC 7644 §3.10: errors name the position and what was expected.
    #[test]
    fn rejects_malformed_paths_with_a_position() {
        let cases = [
            ("", 0, "expected an attribute name"),
            ("1abc", 0, "expected an attribute name"),
            ("name.", 5, "expected a sub-attribute name"),
            ("a.b.c", 3, "a path has at most one sub-attribute"),
            (
                "user name",
                4,
                "expected '.' and a sub-attribute, or the end of the path",
            ),
            (
                "urn:x",
                5,
                "expected a schema URN, ':' and an attribute name",
            ),
            ("urn:a:b:", 8, "expected an attribute name"),
            ("urn:a b:c", 5, "unexpected whitespace in the path"),
            (
                "naïve",
                2,
                "expected '.' and a sub-attribute, or the end of the path",
            ),
        ];
        for (text, position, message) in cases {
            let error = AttrPath::parse(text).expect_err(text);
            assert_eq!(
                (error.position, error.message.as_str()),
                (position, message),
                "{text}"
            );
        }
        assert_eq!(
            AttrPath::parse("name.").expect_err("error").to_string(),
            "invalid path at position 5: expected a sub-attribute name"
        );
    }

    /// RFC 7644 §3.4.2.2: multi-valued attributes are flattened; names match case-insensitively;
    /// unqualified names fall back to extensions (proposed, RFC 7644 §3.10).
    #[test]
    fn values_flatten_multi_valued_attributes() {
        let user = json!({
            "userName": "jdoe",
            "emails": [{"value": "a@x.com"}, {"value": "b@x.com"}, {"type": "home"}],
            "name": {"givenName": "Joe"},
            ENTERPRISE: {"department": "Dev", "manager": {"value": "m1"}}
        });
        assert_eq!(path("USERNAME").values(&user), vec![&json!("jdoe")]);
        assert_eq!(
            path("emails.Value").values(&user),
            vec![&json!("a@x.com"), &json!("b@x.com")]
        );
        assert_eq!(path("emails").values(&user).len(), 3);
        assert_eq!(path("name.givenName").values(&user), vec![&json!("Joe")]);
        let department = format!(
            "{}:department",
            ENTERPRISE.to_uppercase().replace("URN", "urn")
        );
        assert_eq!(path(&department).values(&user), vec![&json!("Dev")]);
        assert_eq!(
            path(&format!("{ENTERPRISE}:manager.value")).values(&user),
            vec![&json!("m1")]
        );
        assert!(path(ENTERPRISE).values(&user)[0].is_object());
        assert!(path("urn:x:y:department").values(&user).is_empty());
        assert_eq!(path("department").values(&user), vec![&json!("Dev")]);
        let core_department = "urn:ietf:params:scim:schemas:core:2.0:User:department";
        assert!(path(core_department).values(&user).is_empty());
        assert!(
            path("nothing.here")
                .values(&json!("not an object"))
                .is_empty()
        );
    }

    /// RFC 7643 §4.1, §3.1, §2.3.7: id, externalId, meta.version and `$ref` are case-exact.
    #[test]
    fn case_exact_attributes() {
        for exact in [
            "id",
            "externalId",
            "meta.version",
            "members.$ref",
            "urn:ietf:params:scim:schemas:core:2.0:User:id",
        ] {
            assert!(path(exact).case_exact(), "{exact}");
        }
        for fold in [
            "userName",
            "emails.value",
            "meta.lastModified",
            "urn:x:y:id",
            "name.id",
        ] {
            assert!(!path(fold).case_exact(), "{fold}");
        }
    }

    /// RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`.
    #[test]
    fn parses_patch_paths() {
        let plain = PatchPath::parse("name.givenName").expect("path");
        assert_eq!(plain.attr, AttrPath::attribute("name"));
        assert_eq!(plain.sub_attr.as_deref(), Some("givenName"));
        assert!(plain.filter.is_none());
        let valued = PatchPath::parse(r#"emails[type eq "work"].value"#).expect("path");
        assert_eq!(valued.attr, AttrPath::attribute("emails"));
        assert_eq!(valued.sub_attr.as_deref(), Some("value"));
        assert_eq!(valued.to_string(), r#"emails[type eq "work"].value"#);
        assert_eq!(valued.attr_path().to_string(), "emails.value");
        let bracket_in_string = PatchPath::parse(r#"members[value eq "a]b"]"#).expect("path");
        assert!(bracket_in_string.sub_attr.is_none());
    }

    /// RFC 7644 §3.5.2: malformed PATCH paths are rejected with a position.
    #[test]
    fn rejects_malformed_patch_paths() {
        let cases = [
            (r#"emails.value[type eq "w"]"#, 6),
            (r#"emails[type eq "w"]x"#, 19),
            (r#"emails[type eq "w"]."#, 20),
            (r#"emails[type eq "w"].a.b"#, 21),
            (r#"emails[type eq "w""#, 18),
            ("emails[]", 7),
            ("emails]", 6),
        ];
        for (text, position) in cases {
            let error = PatchPath::parse(text).expect_err(text);
            assert_eq!(error.position, position, "{text}: {error}");
        }
    }
}
