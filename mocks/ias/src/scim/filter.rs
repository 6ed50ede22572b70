//! The SCIM filter language (RFC 7644 §3.4.2.2) on JSON resources.
//!
//! Grammar, precedence `not` > `and` > `or`, parentheses and value paths
//! (`emails[type eq "work" and value co "@x.com"]`) follow the RFC; operators, `and`, `or`,
//! `not` and the literals `true`, `false`, `null` are case-insensitive.
//!
//! Choices where the RFC is silent (**proposed**):
//! - An absent attribute counts as a single `null` value: `eq null` is true when the attribute
//!   is absent or null, `ne "x"` is true when it is absent.
//! - `ne` is true when any selected value differs (the any-value rule of §3.4.2.2 applied to
//!   `ne`, as to every operator).
//! - A complex value compared without sub-attribute is compared through its `value`
//!   sub-attribute (`emails eq "a@b.c"`, `manager eq "id"`); one without `value` only
//!   satisfies `ne`.
//! - Comparing values of different JSON types is false for every operator but `ne`.
//! - Ordering operators (`gt`, `ge`, `lt`, `le`) on `true`, `false` or `null`, and `co`, `sw`,
//!   `ew` on anything but a string, are refused when the filter is parsed.
//! - Two strings that both read as RFC 3339 timestamps are compared chronologically by `eq`,
//!   `ne`, `gt`, `ge`, `lt` and `le` (so `2024-02-14T04:42:34.123Z` is after
//!   `2024-02-14T04:42:34Z`); `co`, `sw`, `ew` stay textual.
//! - Nesting (parentheses, `not`, brackets) is limited to [`MAX_DEPTH`] levels; long
//!   `and`/`or` chains are stored as balanced trees, so no input can exhaust the stack.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

use crate::scim::path::{AttrPath, char_index, parse_attr_path};

/// How deeply parentheses, `not (…)` and value-path brackets may nest.
pub const MAX_DEPTH: usize = 64;

/// A comparison operator of RFC 7644 Table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CompareOp {
    /// `eq`: equal.
    Eq,
    /// `ne`: not equal.
    Ne,
    /// `co`: contains.
    Co,
    /// `sw`: starts with.
    Sw,
    /// `ew`: ends with.
    Ew,
    /// `gt`: greater than.
    Gt,
    /// `ge`: greater than or equal to.
    Ge,
    /// `lt`: less than.
    Lt,
    /// `le`: less than or equal to.
    Le,
}

impl CompareOp {
    /// The operator's keyword, lower-case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }

    /// The same operator in [`Operator`] terms.
    pub fn operator(self) -> Operator {
        match self {
            Self::Eq => Operator::Eq,
            Self::Ne => Operator::Ne,
            Self::Co => Operator::Co,
            Self::Sw => Operator::Sw,
            Self::Ew => Operator::Ew,
            Self::Gt => Operator::Gt,
            Self::Ge => Operator::Ge,
            Self::Lt => Operator::Lt,
            Self::Le => Operator::Le,
        }
    }

    /// Whether the operator orders its operands (`gt`, `ge`, `lt`, `le`).
    fn is_ordering(self) -> bool {
        matches!(self, Self::Gt | Self::Ge | Self::Lt | Self::Le)
    }

    /// Whether an ordering between stored value and literal satisfies the operator.
    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Self::Eq => ordering == Ordering::Equal,
            Self::Ne => ordering != Ordering::Equal,
            Self::Gt => ordering == Ordering::Greater,
            Self::Ge => ordering != Ordering::Less,
            Self::Lt => ordering == Ordering::Less,
            Self::Le => ordering != Ordering::Greater,
            Self::Co | Self::Sw | Self::Ew => false,
        }
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An operator or logical connective a filter uses (see [`Filter::operators`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    /// `eq`.
    Eq,
    /// `ne`.
    Ne,
    /// `co`.
    Co,
    /// `sw`.
    Sw,
    /// `ew`.
    Ew,
    /// `gt`.
    Gt,
    /// `ge`.
    Ge,
    /// `lt`.
    Lt,
    /// `le`.
    Le,
    /// `pr`.
    Pr,
    /// `and`.
    And,
    /// `or`.
    Or,
    /// `not (…)`.
    Not,
    /// A value path `attr[…]`.
    ValuePath,
}

impl Operator {
    /// The keyword as written in a filter (`[]` for a value path).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
            Self::Pr => "pr",
            Self::And => "and",
            Self::Or => "or",
            Self::Not => "not",
            Self::ValuePath => "[]",
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What parsing a comparison's literal once yields, so that matching does not redo it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Literal {
    /// The literal read as an RFC 3339 timestamp, when it is a string that reads as one.
    timestamp: Option<jiff::Timestamp>,
}

impl Literal {
    /// Prepares a literal value for matching.
    pub fn new(value: &Value) -> Literal {
        Literal {
            timestamp: match value {
                Value::String(text) => parse_timestamp(text),
                _ => None,
            },
        }
    }

    /// The literal as an RFC 3339 timestamp, when it reads as one.
    pub fn timestamp(&self) -> Option<jiff::Timestamp> {
        self.timestamp
    }
}

/// A parsed SCIM filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `path op value`.
    Compare {
        /// The attribute compared.
        path: AttrPath,
        /// The operator.
        op: CompareOp,
        /// The literal: a string, number, `true`, `false` or `null`.
        value: Value,
        /// The literal prepared for matching (its timestamp, read once). Build it with
        /// [`Literal::new`] from `value`.
        literal: Literal,
    },
    /// `path pr`.
    Present(AttrPath),
    /// `left and right`.
    And(Box<Filter>, Box<Filter>),
    /// `left or right`.
    Or(Box<Filter>, Box<Filter>),
    /// `not (inner)`.
    Not(Box<Filter>),
    /// `path[filter]`: true when an element of the multi-valued `path` matches `filter`.
    ValuePath {
        /// The multi-valued attribute (without sub-attribute).
        path: AttrPath,
        /// The filter each element is tested against; its paths are relative to the element.
        filter: Box<Filter>,
    },
}

impl Filter {
    /// Parses a filter (RFC 7644 §3.4.2.2).
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        let mut parser = Parser::new(text, 0);
        parser.skip_ws();
        if parser.at_end() {
            return Err(parser.error(0, "the filter is empty"));
        }
        let filter = parser.parse_or()?;
        parser.skip_ws();
        match parser.peek() {
            None => Ok(filter),
            Some(b')') => Err(parser.error(parser.pos, "unexpected ')' without an opening '('")),
            Some(b']') => Err(parser.error(parser.pos, "unexpected ']' without an opening '['")),
            Some(b'.') => Err(parser.error(
                parser.pos,
                "a sub-attribute after a value filter is allowed only in PATCH paths",
            )),
            Some(_) => {
                Err(parser.error(parser.pos, "expected 'and', 'or' or the end of the filter"))
            }
        }
    }

    /// A comparison, with its literal prepared.
    pub fn compare(path: AttrPath, op: CompareOp, value: Value) -> Filter {
        let literal = Literal::new(&value);
        Filter::Compare {
            path,
            op,
            value,
            literal,
        }
    }

    /// Whether the resource (or, inside a value path, the element) satisfies the filter.
    pub fn matches(&self, resource: &Value) -> bool {
        match self {
            Self::Compare {
                path,
                op,
                value,
                literal,
            } => {
                let exact = path.case_exact();
                let mut seen = false;
                let hit = path.any_value(resource, |stored| {
                    seen = true;
                    compare(stored, *op, value, literal, exact)
                });
                hit || (!seen && compare(&Value::Null, *op, value, literal, exact))
            }
            Self::Present(path) => path.any_value(resource, is_present),
            Self::And(left, right) => left.matches(resource) && right.matches(resource),
            Self::Or(left, right) => left.matches(resource) || right.matches(resource),
            Self::Not(inner) => !inner.matches(resource),
            Self::ValuePath { path, filter } => {
                path.any_value(resource, |element| filter.matches(element))
            }
        }
    }

    /// The operators and logical connectives used, so a SCIM v1 endpoint can refuse all but eq/and.
    pub fn operators(&self) -> BTreeSet<Operator> {
        let mut found = BTreeSet::new();
        self.collect_operators(&mut found);
        found
    }

    /// `Some((path, value))` when the whole filter is a single `attr eq "string"` — lets the server use an index.
    pub fn as_simple_eq(&self) -> Option<(&AttrPath, &str)> {
        match self {
            Self::Compare {
                path,
                op: CompareOp::Eq,
                value: Value::String(text),
                ..
            } => Some((path, text)),
            _ => None,
        }
    }

    fn collect_operators(&self, found: &mut BTreeSet<Operator>) {
        match self {
            Self::Compare { op, .. } => {
                found.insert(op.operator());
            }
            Self::Present(_) => {
                found.insert(Operator::Pr);
            }
            Self::And(left, right) | Self::Or(left, right) => {
                found.insert(if matches!(self, Self::And(..)) {
                    Operator::And
                } else {
                    Operator::Or
                });
                left.collect_operators(found);
                right.collect_operators(found);
            }
            Self::Not(inner) => {
                found.insert(Operator::Not);
                inner.collect_operators(found);
            }
            Self::ValuePath { filter, .. } => {
                found.insert(Operator::ValuePath);
                filter.collect_operators(found);
            }
        }
    }
}

/// Writes the filter back in the RFC's syntax (`or` operands of `and` in parentheses).
impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Compare {
                path, op, value, ..
            } => write!(f, "{path} {op} {value}"),
            Self::Present(path) => write!(f, "{path} pr"),
            Self::And(left, right) => {
                for (index, side) in [left, right].into_iter().enumerate() {
                    if index == 1 {
                        f.write_str(" and ")?;
                    }
                    if matches!(**side, Self::Or(..)) {
                        write!(f, "({side})")?;
                    } else {
                        write!(f, "{side}")?;
                    }
                }
                Ok(())
            }
            Self::Or(left, right) => write!(f, "{left} or {right}"),
            Self::Not(inner) => write!(f, "not ({inner})"),
            Self::ValuePath { path, filter } => write!(f, "{path}[{filter}]"),
        }
    }
}

/// A filter that does not follow the grammar, with the 0-based character position of the
/// problem and what was expected there; the server answers it with 400 `invalidFilter`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid filter at position {position}: {message}")]
pub struct FilterError {
    /// The 0-based character index of the problem.
    pub position: usize,
    /// What is wrong, as a lower-case fragment.
    pub message: String,
}

/// Parses the value filter of a PATCH path: `text[open]` is `[`; answers the filter and the
/// byte offset just after the closing `]`.
pub(crate) fn parse_bracketed(text: &str, open: usize) -> Result<(Filter, usize), FilterError> {
    let mut parser = Parser::new(text, open);
    let filter = parser.parse_bracket()?;
    Ok((filter, parser.pos))
}

/// Whether a value counts as present for `pr`: not null, not an empty string, array or object.
fn is_present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

/// Compares one stored value with the literal.
fn compare(
    stored: &Value,
    op: CompareOp,
    literal: &Value,
    prepared: &Literal,
    exact: bool,
) -> bool {
    let stored = match stored {
        Value::Object(members) => match crate::scim::path::get_ci(members, "value") {
            Some(value) => value,
            None => return op == CompareOp::Ne,
        },
        other => other,
    };
    match (stored, literal) {
        (Value::Null, Value::Null) => op == CompareOp::Eq,
        (Value::Null, _) | (_, Value::Null) => op == CompareOp::Ne,
        (Value::String(text), Value::String(wanted)) => {
            compare_strings(text, op, wanted, prepared, exact)
        }
        (Value::Number(number), Value::Number(wanted)) => {
            compare_numbers(number, wanted).is_some_and(|ordering| op.accepts(ordering))
        }
        (Value::Bool(flag), Value::Bool(wanted)) => match op {
            CompareOp::Eq => flag == wanted,
            CompareOp::Ne => flag != wanted,
            _ => false,
        },
        _ => op == CompareOp::Ne,
    }
}

fn compare_numbers(a: &serde_json::Number, b: &serde_json::Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return Some(a.cmp(&b));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

fn compare_strings(
    text: &str,
    op: CompareOp,
    wanted: &str,
    prepared: &Literal,
    exact: bool,
) -> bool {
    if let Some(wanted_time) = prepared.timestamp
        && !matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew)
        && let Some(time) = parse_timestamp(text)
    {
        return op.accepts(time.cmp(&wanted_time));
    }
    match op {
        CompareOp::Eq => fold_eq(text, wanted, exact),
        CompareOp::Ne => !fold_eq(text, wanted, exact),
        CompareOp::Co => fold_contains(text, wanted, exact),
        CompareOp::Sw => fold_starts_with(text, wanted, exact),
        CompareOp::Ew => fold_ends_with(text, wanted, exact),
        CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le => {
            op.accepts(fold_cmp(text, wanted, exact))
        }
    }
}

/// Reads an RFC 3339 timestamp; a cheap shape check spares the parser most non-timestamps.
fn parse_timestamp(text: &str) -> Option<jiff::Timestamp> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() >= 20
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't' | b' ');
    if !shaped {
        return None;
    }
    text.parse().ok()
}

/// The lower-case characters of a string (Unicode simple folding, allocation-free).
fn folded(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(char::to_lowercase)
}

fn fold_eq(a: &str, b: &str, exact: bool) -> bool {
    if exact {
        a == b
    } else if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        folded(a).eq(folded(b))
    }
}

fn fold_cmp(a: &str, b: &str, exact: bool) -> Ordering {
    if exact {
        a.cmp(b)
    } else if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|byte| byte.to_ascii_lowercase())
            .cmp(b.bytes().map(|byte| byte.to_ascii_lowercase()))
    } else {
        folded(a).cmp(folded(b))
    }
}

fn fold_starts_with(text: &str, prefix: &str, exact: bool) -> bool {
    if exact {
        text.starts_with(prefix)
    } else if text.is_ascii() && prefix.is_ascii() {
        text.len() >= prefix.len()
            && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    } else {
        let mut chars = folded(text);
        folded(prefix).all(|c| chars.next() == Some(c))
    }
}

fn fold_ends_with(text: &str, suffix: &str, exact: bool) -> bool {
    if exact {
        text.ends_with(suffix)
    } else if text.is_ascii() && suffix.is_ascii() {
        text.len() >= suffix.len()
            && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    } else {
        let mut chars = text.chars().rev().flat_map(char::to_lowercase);
        suffix
            .chars()
            .rev()
            .flat_map(char::to_lowercase)
            .all(|c| chars.next() == Some(c))
    }
}

fn fold_contains(text: &str, part: &str, exact: bool) -> bool {
    if exact {
        text.contains(part)
    } else if part.is_empty() {
        true
    } else if text.is_ascii() && part.is_ascii() {
        text.as_bytes()
            .windows(part.len())
            .any(|window| window.eq_ignore_ascii_case(part.as_bytes()))
    } else {
        text.char_indices()
            .any(|(index, _)| fold_starts_with(&text[index..], part, false))
    }
}

/// A recursive-descent parser over the bytes of the filter text; positions are byte offsets
/// until they are reported, as character indexes.
struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    in_value_path: bool,
}

const OPERATOR_EXPECTED: &str = "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)";
const VALUE_EXPECTED: &str = "expected a value (a string, a number, true, false or null)";

impl<'a> Parser<'a> {
    fn new(text: &'a str, pos: usize) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos,
            depth: 0,
            in_value_path: false,
        }
    }

    fn error(&self, byte: usize, message: impl Into<String>) -> FilterError {
        FilterError {
            position: char_index(self.text, byte),
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// The ASCII letters starting at `from`.
    fn word_at(&self, from: usize) -> &'a str {
        let len = self.bytes[from.min(self.bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        &self.text[from..from + len]
    }

    /// Consumes `keyword` (case-insensitive) when it stands at the current position as a
    /// word of its own.
    fn eat_keyword(&mut self, keyword: &str) -> bool {
        let word = self.word_at(self.pos);
        let after = self.bytes.get(self.pos + word.len()).copied();
        let ends_word = !after.is_some_and(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'$')
        });
        if word.eq_ignore_ascii_case(keyword) && ends_word {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    fn enter(&mut self, at: usize) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                at,
                format!("the filter nests more than {MAX_DEPTH} levels of parentheses or brackets"),
            ));
        }
        Ok(())
    }

    /// `or_expr := and_expr ("or" and_expr)*`
    fn parse_or(&mut self) -> Result<Filter, FilterError> {
        let mut terms = vec![self.parse_and()?];
        loop {
            let before = self.pos;
            self.skip_ws();
            if self.eat_keyword("or") {
                terms.push(self.parse_and()?);
            } else {
                self.pos = before;
                return Ok(balance(terms, Filter::Or));
            }
        }
    }

    /// `and_expr := unary ("and" unary)*`
    fn parse_and(&mut self) -> Result<Filter, FilterError> {
        let mut terms = vec![self.parse_unary()?];
        loop {
            let before = self.pos;
            self.skip_ws();
            if self.eat_keyword("and") {
                terms.push(self.parse_unary()?);
            } else {
                self.pos = before;
                return Ok(balance(terms, Filter::And));
            }
        }
    }

    /// `unary := "not" "(" or_expr ")" | "(" or_expr ")" | attr_expr`
    fn parse_unary(&mut self) -> Result<Filter, FilterError> {
        self.skip_ws();
        let start = self.pos;
        if self.peek() == Some(b'(') {
            return self.parse_group();
        }
        if self.word_at(start).eq_ignore_ascii_case("not") {
            self.pos += 3;
            self.skip_ws();
            if self.peek() == Some(b'(') {
                let inner = self.parse_group()?;
                return Ok(Filter::Not(Box::new(inner)));
            }
            // `not` is also a valid attribute name.
            self.pos = start;
        }
        self.parse_attr_expr()
    }

    /// `"(" or_expr ")"`, the current byte being `(`.
    fn parse_group(&mut self) -> Result<Filter, FilterError> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        let inner = self.parse_or()?;
        self.skip_ws();
        match self.peek() {
            Some(b')') => self.pos += 1,
            None => {
                return Err(self.error(
                    self.pos,
                    format!(
                        "unclosed parenthesis (opened at position {})",
                        char_index(self.text, open)
                    ),
                ));
            }
            Some(_) => return Err(self.error(self.pos, "expected 'and', 'or' or ')'")),
        }
        self.depth -= 1;
        Ok(inner)
    }

    /// `"[" or_expr "]"`, the current byte being `[`.
    fn parse_bracket(&mut self) -> Result<Filter, FilterError> {
        let open = self.pos;
        if self.in_value_path {
            return Err(self.error(open, "value filters cannot be nested"));
        }
        self.enter(open)?;
        self.pos += 1;
        self.in_value_path = true;
        let inner = self.parse_or()?;
        self.skip_ws();
        match self.peek() {
            Some(b']') => self.pos += 1,
            None => {
                return Err(self.error(
                    self.pos,
                    format!(
                        "unclosed bracket (opened at position {})",
                        char_index(self.text, open)
                    ),
                ));
            }
            Some(_) => return Err(self.error(self.pos, "expected 'and', 'or' or ']'")),
        }
        self.in_value_path = false;
        self.depth -= 1;
        Ok(inner)
    }

    /// `attr_expr := path "[" or_expr "]" | path SP "pr" | path SP op SP value`
    fn parse_attr_expr(&mut self) -> Result<Filter, FilterError> {
        let start = self.pos;
        while self.peek().is_some_and(|b| {
            !b.is_ascii_whitespace() && !matches!(b, b'(' | b')' | b'[' | b']' | b'"')
        }) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error(start, "expected an attribute path"));
        }
        let token = &self.text[start..self.pos];
        let path =
            parse_attr_path(token, char_index(self.text, start)).map_err(|error| FilterError {
                position: error.position,
                message: error.message,
            })?;
        if self.peek() == Some(b'[') {
            if path.sub_attr.is_some() {
                let dot = token.rfind('.').map_or(start, |dot| start + dot);
                return Err(self.error(
                    dot,
                    "a value filter follows an attribute, not a sub-attribute",
                ));
            }
            let filter = self.parse_bracket()?;
            return Ok(Filter::ValuePath {
                path,
                filter: Box::new(filter),
            });
        }
        if !self.skip_ws() {
            return Err(self.error(self.pos, OPERATOR_EXPECTED));
        }
        let op_at = self.pos;
        let word = self.word_at(op_at);
        let op = match word.to_ascii_lowercase().as_str() {
            "pr" => {
                self.pos += 2;
                return Ok(Filter::Present(path));
            }
            "eq" => CompareOp::Eq,
            "ne" => CompareOp::Ne,
            "co" => CompareOp::Co,
            "sw" => CompareOp::Sw,
            "ew" => CompareOp::Ew,
            "gt" => CompareOp::Gt,
            "ge" => CompareOp::Ge,
            "lt" => CompareOp::Lt,
            "le" => CompareOp::Le,
            _ => return Err(self.error(op_at, OPERATOR_EXPECTED)),
        };
        self.pos += 2;
        self.skip_ws();
        let value_at = self.pos;
        let value = self.parse_value()?;
        let problem = match &value {
            Value::String(_) => None,
            Value::Number(_) if matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) => {
                Some("co, sw and ew need a string value")
            }
            Value::Number(_) => None,
            _ if matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) => {
                Some("co, sw and ew need a string value")
            }
            _ if op.is_ordering() => Some("gt, ge, lt and le need a string or a number value"),
            _ => None,
        };
        if let Some(problem) = problem {
            return Err(self.error(value_at, problem));
        }
        Ok(Filter::compare(path, op, value))
    }

    /// `compValue := false / null / true / number / string`
    fn parse_value(&mut self) -> Result<Value, FilterError> {
        let start = self.pos;
        match self.peek() {
            Some(b'"') => {
                let mut index = start + 1;
                loop {
                    match self.bytes.get(index) {
                        None => return Err(self.error(start, "unterminated string")),
                        Some(b'\\') => index += 2,
                        Some(b'"') => break,
                        Some(_) => index += 1,
                    }
                }
                let end = index + 1;
                let literal = &self.text[start..end];
                match serde_json::from_str::<String>(literal) {
                    Ok(text) => {
                        self.pos = end;
                        Ok(Value::String(text))
                    }
                    Err(error) => Err(self.error(
                        start,
                        format!(
                            "invalid string literal (column {} of it: {})",
                            error.column(),
                            bare(&error)
                        ),
                    )),
                }
            }
            Some(b'-' | b'0'..=b'9') => {
                let len = self.bytes[start..]
                    .iter()
                    .take_while(|b| {
                        b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                    })
                    .count();
                let literal = &self.text[start..start + len];
                match serde_json::from_str::<serde_json::Number>(literal) {
                    Ok(number) => {
                        self.pos = start + len;
                        Ok(Value::Number(number))
                    }
                    Err(_) => Err(self.error(start, format!("invalid number {literal:?}"))),
                }
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let word = self.word_at(start);
                let value = if word.eq_ignore_ascii_case("true") {
                    Value::Bool(true)
                } else if word.eq_ignore_ascii_case("false") {
                    Value::Bool(false)
                } else if word.eq_ignore_ascii_case("null") {
                    Value::Null
                } else {
                    return Err(self.error(start, VALUE_EXPECTED));
                };
                self.pos += word.len();
                Ok(value)
            }
            _ => Err(self.error(start, VALUE_EXPECTED)),
        }
    }
}

/// A serde_json error message without its "at line … column …" suffix.
fn bare(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.find(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// Joins terms of one connective into a balanced tree (depth log₂ n), keeping their order.
fn balance(mut terms: Vec<Filter>, join: fn(Box<Filter>, Box<Filter>) -> Filter) -> Filter {
    if terms.len() <= 1 {
        // The parser never passes an empty list; `id pr` is a harmless answer should it do so.
        return terms
            .pop()
            .unwrap_or(Filter::Present(AttrPath::attribute("id")));
    }
    let right = terms.split_off(terms.len() / 2);
    join(
        Box::new(balance(terms, join)),
        Box::new(balance(right, join)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn filter(text: &str) -> Filter {
        match Filter::parse(text) {
            Ok(filter) => filter,
            Err(error) => panic!("{text}: {error}"),
        }
    }

    fn error(text: &str) -> FilterError {
        match Filter::parse(text) {
            Ok(filter) => panic!("{text} parsed as {filter:?}"),
            Err(error) => error,
        }
    }

    /// RFC 7644 §3.4.2.2: `and` binds tighter than `or`, `not` tighter than `and`.
    #[test]
    fn precedence_not_and_or() {
        let parsed = filter(r#"a eq 1 or b eq 2 and not (c eq 3)"#);
        let Filter::Or(left, right) = parsed else {
            panic!("expected or at the top")
        };
        assert!(matches!(*left, Filter::Compare { .. }));
        let Filter::And(_, negated) = *right else {
            panic!("expected and on the right")
        };
        assert!(matches!(*negated, Filter::Not(_)));
    }

    /// RFC 7644 §3.4.2.2: operators and connectives are case-insensitive.
    #[test]
    fn keywords_are_case_insensitive() {
        let parsed = filter(r#"userName EQ "x" AND NOT (active Eq TRUE) Or title Pr"#);
        let ops = parsed.operators();
        for op in [
            Operator::Eq,
            Operator::And,
            Operator::Not,
            Operator::Or,
            Operator::Pr,
        ] {
            assert!(ops.contains(&op), "{op}");
        }
    }

    /// RFC 7644 §3.4.2.2: literals are JSON strings with escapes, numbers, true, false, null.
    #[test]
    fn parses_literals() {
        let cases = [
            (r#"a eq "q\"uote\u00e9""#, json!("q\"uoteé")),
            ("a eq 42", json!(42)),
            ("a ge -1.5e3", json!(-1500.0)),
            ("a eq True", json!(true)),
            ("a eq false", json!(false)),
            ("a eq NULL", json!(null)),
        ];
        for (text, expected) in cases {
            let Filter::Compare { value, .. } = filter(text) else {
                panic!("{text}")
            };
            assert_eq!(value, expected, "{text}");
        }
    }

    /// RFC 7644 §3.4.2.2: errors name the position and what was expected.
    #[test]
    fn errors_have_positions() {
        let cases = [
            ("", 0, "the filter is empty"),
            ("userName", 8, OPERATOR_EXPECTED),
            ("userName xx \"a\"", 9, OPERATOR_EXPECTED),
            ("userName eq", 11, VALUE_EXPECTED),
            ("userName eq bob", 12, VALUE_EXPECTED),
            (r#"userName eq "bob"#, 12, "unterminated string"),
            ("(a eq 1", 7, "unclosed parenthesis (opened at position 0)"),
            ("a eq 1)", 6, "unexpected ')' without an opening '('"),
            (
                "a eq 1 b eq 2",
                7,
                "expected 'and', 'or' or the end of the filter",
            ),
            ("a eq 01", 5, "invalid number \"01\""),
            (
                "a gt true",
                5,
                "gt, ge, lt and le need a string or a number value",
            ),
            ("a co 1", 5, "co, sw and ew need a string value"),
            ("a sw null", 5, "co, sw and ew need a string value"),
            (
                r#"emails[type eq "w""#,
                18,
                "unclosed bracket (opened at position 6)",
            ),
            (
                r#"emails[type[value eq 1]]"#,
                11,
                "value filters cannot be nested",
            ),
            (
                r#"emails.type[value eq 1]"#,
                6,
                "a value filter follows an attribute, not a sub-attribute",
            ),
            (
                r#"emails[type eq "w"].value eq "x""#,
                19,
                "a sub-attribute after a value filter is allowed only in PATCH paths",
            ),
            ("a eq 1 and", 10, "expected an attribute path"),
            ("a and b", 2, OPERATOR_EXPECTED),
            ("é eq 1", 0, "expected an attribute name"),
            (
                r#"a eq "é" b"#,
                9,
                "expected 'and', 'or' or the end of the filter",
            ),
        ];
        for (text, position, message) in cases {
            let error = error(text);
            assert_eq!(
                (error.position, error.message.as_str()),
                (position, message),
                "{text}"
            );
        }
        assert_eq!(
            error("userName").to_string(),
            format!("invalid filter at position 8: {OPERATOR_EXPECTED}")
        );
    }

    /// Robustness: nesting deeper than `MAX_DEPTH` is an error, not a stack overflow.
    #[test]
    fn nesting_is_limited() {
        let ok = format!("{}a eq 1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(filter(&ok).matches(&json!({"a": 1})));
        let deep = format!(
            "{}a eq 1{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert!(error(&deep).message.contains("nests more than 64"));
        let nots = "not (".repeat(10_000);
        assert!(Filter::parse(&nots).is_err());
    }

    /// Robustness: a long `and` chain becomes a balanced tree (no deep recursion on match or drop).
    #[test]
    fn long_chains_are_balanced() {
        let chain = vec!["a eq 1"; 50_000].join(" and ");
        let parsed = filter(&chain);
        fn depth(filter: &Filter) -> usize {
            match filter {
                Filter::And(l, r) | Filter::Or(l, r) => 1 + depth(l).max(depth(r)),
                Filter::Not(inner) => 1 + depth(inner),
                _ => 1,
            }
        }
        assert!(depth(&parsed) <= 17);
        assert!(parsed.matches(&json!({"a": 1})));
        assert!(!parsed.matches(&json!({"a": 2})));
    }

    /// RFC 3339 timestamps: the literal is read once, when the filter is parsed.
    #[test]
    fn literal_timestamp_is_prepared() {
        let Filter::Compare { literal, .. } =
            filter(r#"meta.lastModified gt "2024-02-14T04:42:34Z""#)
        else {
            panic!("compare")
        };
        assert_eq!(
            literal.timestamp(),
            Some("2024-02-14T04:42:34Z".parse().expect("timestamp"))
        );
        let Filter::Compare { literal, .. } = filter(r#"userName gt "2024""#) else {
            panic!("compare")
        };
        assert_eq!(literal.timestamp(), None);
    }

    /// Case folding without allocation agrees with lower-casing, Unicode included.
    #[test]
    fn folding_helpers() {
        assert!(fold_eq("MÜLLER", "müller", false));
        assert!(!fold_eq("MÜLLER", "müller", true));
        assert!(fold_starts_with("Ärger", "äR", false));
        assert!(fold_ends_with("GROẞ", "ß", false));
        assert!(!fold_ends_with("ß", "Groß", false));
        assert!(fold_contains("xxÉtéxx", "été", false));
        assert!(!fold_contains("abc", "abcd", false));
        assert!(fold_contains("abc", "", false));
        assert_eq!(fold_cmp("abc", "ABD", false), Ordering::Less);
        assert_eq!(fold_cmp("Zoë", "zoe", false), Ordering::Greater);
    }

    /// The textual form parses back to a filter with the same text.
    #[test]
    fn display_round_trips() {
        for text in [
            r#"userName eq "a\"b""#,
            r#"(a eq 1 or b eq 2) and not (c pr)"#,
            r#"emails[type eq "work" and value co "@x.com"] or x lt 2.5"#,
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Dev""#,
        ] {
            let shown = filter(text).to_string();
            assert_eq!(filter(&shown).to_string(), shown, "{text}");
            assert_eq!(shown, text);
        }
    }
}
