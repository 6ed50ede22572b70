//! The parsed form of a JSONPath and its parser.

use std::fmt;
use std::str::FromStr;

use super::error::PathError;
use super::scan::{MAX_DEPTH, Scanner, SyntaxError, describe};

/// How many steps a path may have (a guard: writing a path builds that many nested objects).
pub(crate) const MAX_STEPS: usize = 256;
use crate::condition::syntax::{Expr, parse_filter};

/// Where a path starts: the document (`$`) or the current value (`@`, only inside conditions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Root {
    Document,
    Current,
}

/// What one step of a path selects from the value it is applied to.
#[derive(Debug, Clone)]
pub(crate) enum Selector {
    /// `.name` or `['name']`.
    Key(String),
    /// `['a','b']`: as the last step, a projection onto those members (Jayway); elsewhere each.
    Keys(Vec<String>),
    /// `[n]`; negative counts from the end.
    Index(i64),
    /// `[n,m]`.
    Indices(Vec<i64>),
    /// `[start:end]`, negative bounds count from the end.
    Slice {
        start: Option<i64>,
        end: Option<i64>,
    },
    /// `.*` or `[*]`.
    Wildcard,
    /// `[?(…)]`.
    Filter(Box<Expr>),
}

/// One step of a path.
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    /// `..`: apply the selector to the value and all its descendants.
    pub(crate) descendant: bool,
    pub(crate) selector: Selector,
    /// Byte offset of the step in the parsed text.
    pub(crate) pos: usize,
}

/// A function at the tail of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    /// `length()`: the size of an array or the number of members of an object.
    Length,
}

/// A parsed path without its text (the form conditions embed).
#[derive(Debug, Clone)]
pub(crate) struct PathSyntax {
    pub(crate) root: Root,
    pub(crate) segments: Vec<Segment>,
    pub(crate) function: Option<Function>,
}

impl PathSyntax {
    /// True when the last step is a multi-member projection (`…['a','b']`).
    pub(crate) fn ends_in_projection(&self) -> bool {
        self.function.is_none()
            && matches!(
                self.segments.last(),
                Some(Segment {
                    descendant: false,
                    selector: Selector::Keys(_),
                    ..
                })
            )
    }

    /// True when the steps before any function can select at most one value.
    pub(crate) fn steps_are_definite(&self) -> bool {
        let last = self.segments.len().saturating_sub(1);
        self.segments.iter().enumerate().all(|(i, seg)| {
            !seg.descendant
                && match &seg.selector {
                    Selector::Key(_) | Selector::Index(_) => true,
                    Selector::Keys(_) => i == last && self.function.is_none(),
                    _ => false,
                }
        })
    }
}

/// A parsed JSONPath in the IPS (Jayway) dialect. See the [module documentation](super) for the
/// syntax and the reading and writing rules.
#[derive(Debug, Clone)]
pub struct Path {
    text: String,
    pub(crate) syntax: PathSyntax,
}

impl Path {
    /// Parses `text`, which must start with `$`. Surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Path, PathError> {
        let mut s = Scanner::new(text);
        s.skip_ws();
        let syntax = match s.peek() {
            Some('$') => parse_path(&mut s, 0),
            Some('@') => Err(s.error(
                "a path starts with '$'; '@' (the current value) is only valid inside conditions",
            )),
            other => Err(s.error(format!("a path starts with '$', found {}", describe(other)))),
        }
        .and_then(|syntax| {
            s.skip_ws();
            if s.at_end() {
                Ok(syntax)
            } else {
                Err(s.error(format!(
                    "unexpected {}; expected '.', '[' or the end of the path",
                    describe(s.peek())
                )))
            }
        })
        .map_err(|err| PathError::from_syntax(text, err))?;
        Ok(Path {
            text: text.to_string(),
            syntax,
        })
    }

    /// The text the path was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True for `$` alone: the whole document.
    pub fn is_root(&self) -> bool {
        self.syntax.segments.is_empty() && self.syntax.function.is_none()
    }

    /// True when a value can be written there: the path does not end in a function such as
    /// `length()`.
    pub fn is_writable(&self) -> bool {
        self.syntax.function.is_none()
    }

    /// True when the path can match at most one value: no wildcard, deep scan, filter, slice or
    /// index/member list (a member list as the last step is one projected object, as in Jayway;
    /// a tail function yields one value).
    pub fn is_definite(&self) -> bool {
        self.syntax.function.is_some() || self.syntax.steps_are_definite()
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Path {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Path {}

impl FromStr for Path {
    type Err = PathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Path::parse(s)
    }
}

/// Characters that end a member name in dot notation.
fn is_name_char(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(
            c,
            '.' | '['
                | ']'
                | '('
                | ')'
                | '\''
                | '"'
                | '='
                | '!'
                | '<'
                | '>'
                | '~'
                | '&'
                | '|'
                | ','
        )
}

/// Parses a path starting at the scanner's `$` or `@`, stopping at the first character that
/// cannot continue it (whitespace, an operator, a closing bracket…).
pub(crate) fn parse_path(s: &mut Scanner<'_>, depth: usize) -> Result<PathSyntax, SyntaxError> {
    let root = match s.bump() {
        Some('$') => Root::Document,
        Some('@') => Root::Current,
        other => {
            return Err(s.error(format!(
                "expected a path starting with '$' or '@', found {}",
                describe(other)
            )));
        }
    };
    let mut segments = Vec::new();
    let mut function = None;
    loop {
        let pos = s.pos();
        if segments.len() >= MAX_STEPS && matches!(s.peek(), Some('.' | '[')) {
            return Err(s.error(format!("a path may have at most {MAX_STEPS} steps")));
        }
        if function.is_some() && matches!(s.peek(), Some('.' | '[')) {
            return Err(s.error("a path function must be the last step of the path"));
        }
        if s.starts_with("..") {
            s.bump();
            s.bump();
            let selector = match s.peek() {
                Some('[') => bracket(s, depth)?,
                Some('*') => {
                    s.bump();
                    Selector::Wildcard
                }
                _ => Selector::Key(name(s)?),
            };
            segments.push(Segment {
                descendant: true,
                selector,
                pos,
            });
        } else if s.eat('.') {
            let selector = match s.peek() {
                Some('[') => bracket(s, depth)?,
                Some('*') => {
                    s.bump();
                    Selector::Wildcard
                }
                _ => {
                    let key = name(s)?;
                    if s.peek() == Some('(') {
                        function = Some(path_function(s, &key, pos)?);
                        continue;
                    }
                    Selector::Key(key)
                }
            };
            segments.push(Segment {
                descendant: false,
                selector,
                pos,
            });
        } else if s.peek() == Some('[') {
            let selector = bracket(s, depth)?;
            segments.push(Segment {
                descendant: false,
                selector,
                pos,
            });
        } else {
            break;
        }
    }
    Ok(PathSyntax {
        root,
        segments,
        function,
    })
}

fn name(s: &mut Scanner<'_>) -> Result<String, SyntaxError> {
    let name = s.take_while(is_name_char);
    if name.is_empty() {
        Err(s.error(format!(
            "expected a member name, '*' or '[' after '.', found {}",
            describe(s.peek())
        )))
    } else {
        Ok(name.to_string())
    }
}

fn path_function(s: &mut Scanner<'_>, name: &str, pos: usize) -> Result<Function, SyntaxError> {
    let function = match name {
        "length" => Function::Length,
        other => {
            return Err(SyntaxError::new(
                pos,
                format!("unsupported path function '{other}()'; only length() is supported"),
            ));
        }
    };
    s.expect('(', "'('")?;
    s.skip_ws();
    if !s.eat(')') {
        return Err(s.error(format!("{name}() takes no arguments; expected ')'")));
    }
    Ok(function)
}

/// Parses `[…]` at the scanner position.
fn bracket(s: &mut Scanner<'_>, depth: usize) -> Result<Selector, SyntaxError> {
    s.expect('[', "'['")?;
    s.skip_ws();
    let selector = match s.peek() {
        Some('*') => {
            s.bump();
            Selector::Wildcard
        }
        Some('?') => {
            s.bump();
            if depth + 1 > MAX_DEPTH {
                return Err(s.error(format!(
                    "filters nest too deeply (the limit is {MAX_DEPTH})"
                )));
            }
            s.skip_ws();
            let expr = parse_filter(s, depth + 1)?;
            Selector::Filter(Box::new(expr))
        }
        Some('\'' | '"') => {
            let mut keys = vec![s.quoted()?];
            loop {
                s.skip_ws();
                if !s.eat(',') {
                    break;
                }
                s.skip_ws();
                match s.peek() {
                    Some('\'' | '"') => keys.push(s.quoted()?),
                    other => {
                        return Err(s.error(format!(
                            "expected a quoted member name after ',', found {}",
                            describe(other)
                        )));
                    }
                }
            }
            if keys.len() == 1 {
                Selector::Key(keys.remove(0))
            } else {
                Selector::Keys(keys)
            }
        }
        Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => indices(s)?,
        other => {
            return Err(s.error(format!(
                "expected a quoted member name, an index, '*' or a filter '?(…)' after '[', found {}",
                describe(other)
            )));
        }
    };
    s.skip_ws();
    s.expect(']', "']'")?;
    Ok(selector)
}

fn indices(s: &mut Scanner<'_>) -> Result<Selector, SyntaxError> {
    let first = if s.peek() == Some(':') {
        None
    } else {
        Some(s.integer()?)
    };
    s.skip_ws();
    if s.eat(':') {
        s.skip_ws();
        let end = match s.peek() {
            Some(c) if c == '-' || c.is_ascii_digit() => Some(s.integer()?),
            _ => None,
        };
        s.skip_ws();
        if s.peek() == Some(':') {
            return Err(s.error("slice steps are not supported; expected ']'"));
        }
        return Ok(Selector::Slice { start: first, end });
    }
    let mut list: Vec<i64> = first.into_iter().collect();
    loop {
        s.skip_ws();
        if !s.eat(',') {
            break;
        }
        s.skip_ws();
        list.push(s.integer()?);
    }
    Ok(match list.as_slice() {
        [one] => Selector::Index(*one),
        _ => Selector::Indices(list),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(text: &str) -> Vec<Segment> {
        Path::parse(text).unwrap().syntax.segments
    }

    #[test]
    fn dot_and_bracket_keys() {
        let segs = segments("$.name['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']");
        assert!(matches!(&segs[0].selector, Selector::Key(k) if k == "name"));
        assert!(
            matches!(&segs[1].selector, Selector::Key(k) if k == "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        );
    }

    #[test]
    fn projection_after_dot() {
        let path = Path::parse("$.emails[*].['value','display','primary']").unwrap();
        assert!(path.syntax.ends_in_projection());
        assert!(!path.is_definite());
    }

    #[test]
    fn indices_and_slices() {
        assert!(matches!(segments("$[-1]")[0].selector, Selector::Index(-1)));
        assert!(matches!(&segments("$[0, 2]")[0].selector, Selector::Indices(v) if v == &[0, 2]));
        assert!(matches!(
            segments("$[1:]")[0].selector,
            Selector::Slice {
                start: Some(1),
                end: None
            }
        ));
        assert!(matches!(
            segments("$[:-1]")[0].selector,
            Selector::Slice {
                start: None,
                end: Some(-1)
            }
        ));
    }

    #[test]
    fn positions_are_reported_in_characters() {
        let err = Path::parse("$.é[").unwrap_err();
        assert_eq!(err.position, 4);
    }

    #[test]
    fn function_must_be_last() {
        assert!(Path::parse("$.emails.length()").unwrap().is_definite());
        assert!(Path::parse("$.emails.length().x").is_err());
        assert!(Path::parse("$.emails.size()").is_err());
        assert!(Path::parse("$.emails.length(1)").is_err());
    }

    #[test]
    fn root_only() {
        let root = Path::parse(" $ ").unwrap();
        assert!(root.is_root());
        assert!(root.is_definite());
    }
}
