//! Evaluating a condition against a document: operand values and the relational operators.

use std::borrow::Cow;
use std::cell::RefCell;
use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::error::ConditionError;
use super::functions::{Properties, call};
use super::regex::JavaRegex;
use super::syntax::{Condition, Expr, Op, Operand};
use crate::path::read::read_syntax;
use crate::path::scan::SyntaxError;
use crate::path::syntax::{PathSyntax, Root};

/// What an evaluation sees besides the current value: the document (`$`), the system properties,
/// and the first runtime error (a regex over its backtracking limit), kept here so that path
/// reading — which has no error channel — can report it.
pub(crate) struct Ctx<'d> {
    pub(crate) root: &'d Value,
    pub(crate) properties: &'d dyn Properties,
    error: RefCell<Option<SyntaxError>>,
}

impl<'d> Ctx<'d> {
    pub(crate) fn new(root: &'d Value, properties: &'d dyn Properties) -> Self {
        Self {
            root,
            properties,
            error: RefCell::new(None),
        }
    }

    /// Records a runtime error; the first one wins.
    pub(crate) fn fail(&self, pos: usize, message: String) {
        let mut slot = self.error.borrow_mut();
        if slot.is_none() {
            *slot = Some(SyntaxError::new(pos, message));
        }
    }

    fn take_error(&self) -> Option<SyntaxError> {
        self.error.borrow_mut().take()
    }
}

impl Condition {
    /// Evaluates the condition. `root` is `$`; `current` is `@` (the value a function or mapping
    /// condition applies to). Without a `current`, `@` is the document itself, as if the condition
    /// were Jayway's `$[?(…)]` over the entity (**proposed**). IPS functions that consult system
    /// properties see none; use [`Condition::evaluate_with`] to supply them.
    pub fn evaluate(&self, root: &Value, current: Option<&Value>) -> Result<bool, ConditionError> {
        self.evaluate_with(root, current, &())
    }

    /// Like [`Condition::evaluate`], with the system properties that `isApplicationSpecificGroup()`
    /// and the `isAttributeWith…Prefix` functions consult.
    pub fn evaluate_with(
        &self,
        root: &Value,
        current: Option<&Value>,
        properties: &dyn Properties,
    ) -> Result<bool, ConditionError> {
        let ctx = Ctx::new(root, properties);
        let result = test(&self.expr, &ctx, current.unwrap_or(root));
        match ctx.take_error() {
            Some(err) => Err(ConditionError::from_syntax(self.as_str(), err)),
            None => Ok(result),
        }
    }
}

/// The value of an operand.
pub(crate) enum Val<'v> {
    /// A path that matched nothing (Jayway's undefined).
    Undefined,
    Json(Cow<'v, Value>),
    Pattern(&'v JavaRegex, usize),
}

impl Val<'_> {
    pub(crate) fn json(&self) -> Option<&Value> {
        match self {
            Val::Json(v) => Some(v),
            _ => None,
        }
    }
}

/// Evaluates an expression with `current` as `@`.
pub(crate) fn test<'v>(expr: &'v Expr, ctx: &Ctx<'v>, current: &'v Value) -> bool {
    match expr {
        Expr::Or(items) => items.iter().any(|e| test(e, ctx, current)),
        Expr::And(items) => items.iter().all(|e| test(e, ctx, current)),
        Expr::Not(inner) => !test(inner, ctx, current),
        Expr::Test(operand) => match operand {
            Operand::Path(path) => !read_syntax(path, start(path, ctx, current), ctx).is_empty(),
            Operand::Literal(Value::Bool(b)) => *b,
            Operand::Call(c) => call(c, ctx, current),
            _ => false,
        },
        Expr::Compare { left, op, right } => {
            let left = value(left, ctx, current);
            let right = value(right, ctx, current);
            compare(&left, *op, &right, ctx)
        }
    }
}

fn start<'v>(path: &PathSyntax, ctx: &Ctx<'v>, current: &'v Value) -> &'v Value {
    match path.root {
        Root::Document => ctx.root,
        Root::Current => current,
    }
}

/// The value of an operand: a definite path gives its match (or undefined), an indefinite path
/// the array of its matches (possibly empty), as in Jayway.
pub(crate) fn value<'v>(operand: &'v Operand, ctx: &Ctx<'v>, current: &'v Value) -> Val<'v> {
    match operand {
        Operand::Path(path) => {
            let mut results = read_syntax(path, start(path, ctx, current), ctx);
            if path.function.is_some() || path.steps_are_definite() {
                if results.is_empty() {
                    Val::Undefined
                } else {
                    Val::Json(results.swap_remove(0))
                }
            } else {
                Val::Json(Cow::Owned(Value::Array(
                    results.into_iter().map(Cow::into_owned).collect(),
                )))
            }
        }
        Operand::Literal(v) => Val::Json(Cow::Borrowed(v)),
        Operand::Regex(regex, pos) => Val::Pattern(regex, *pos),
        Operand::Call(c) => Val::Json(Cow::Owned(Value::Bool(call(c, ctx, current)))),
    }
}

fn compare(left: &Val<'_>, op: Op, right: &Val<'_>, ctx: &Ctx<'_>) -> bool {
    let l = left.json();
    let r = right.json();
    match op {
        Op::Eq => both(l, r, loose_eq),
        Op::Ne => !both(l, r, loose_eq),
        Op::StrictEq => both(l, r, strict_eq),
        Op::StrictNe => !both(l, r, strict_eq),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let Some(ordering) = l.zip(r).and_then(|(a, b)| order(a, b)) else {
                return false;
            };
            match op {
                Op::Lt => ordering == Ordering::Less,
                Op::Le => ordering != Ordering::Greater,
                Op::Gt => ordering == Ordering::Greater,
                _ => ordering != Ordering::Less,
            }
        }
        Op::Regex => regex_match(left, right, ctx),
        Op::In => member(l, r),
        Op::Nin => !member(l, r),
        Op::SubsetOf => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                a.iter().all(|x| b.iter().any(|y| loose_eq(x, y)))
            }
            _ => false,
        },
        Op::AnyOf => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                a.iter().any(|x| b.iter().any(|y| loose_eq(x, y)))
            }
            _ => false,
        },
        Op::NoneOf => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                !a.iter().any(|x| b.iter().any(|y| loose_eq(x, y)))
            }
            _ => false,
        },
        Op::All => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                b.iter().all(|y| a.iter().any(|x| loose_eq(x, y)))
            }
            _ => false,
        },
        Op::Contains => match (l, r) {
            (Some(Value::String(a)), Some(Value::String(b))) => a.contains(b.as_str()),
            (Some(Value::Array(a)), Some(b)) => a.iter().any(|x| loose_eq(x, b)),
            _ => false,
        },
        Op::Size => {
            let Some(expected) = r.and_then(Value::as_number).and_then(integer) else {
                return false;
            };
            let size = match l {
                Some(Value::String(s)) => s.encode_utf16().count(),
                Some(Value::Array(a)) => a.len(),
                _ => return false,
            };
            i64::try_from(size).is_ok_and(|size| size == expected)
        }
        Op::Empty => {
            let Some(&Value::Bool(expected)) = r else {
                return false;
            };
            is_empty(l).is_some_and(|empty| empty == expected)
        }
        Op::Exists => {
            let Some(&Value::Bool(expected)) = r else {
                return false;
            };
            l.is_some() == expected
        }
    }
}

fn both(l: Option<&Value>, r: Option<&Value>, f: fn(&Value, &Value) -> bool) -> bool {
    l.zip(r).is_some_and(|(a, b)| f(a, b))
}

/// IPS `EMPTY`: missing and null count as empty; strings, arrays and objects by their length;
/// numbers and booleans are neither empty nor non-empty (Jayway answers false either way).
fn is_empty(value: Option<&Value>) -> Option<bool> {
    match value {
        None | Some(Value::Null) => Some(true),
        Some(Value::String(s)) => Some(s.is_empty()),
        Some(Value::Array(a)) => Some(a.is_empty()),
        Some(Value::Object(o)) => Some(o.is_empty()),
        Some(Value::Bool(_) | Value::Number(_)) => None,
    }
}

fn integer(n: &Number) -> Option<i64> {
    n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64))
}

fn member(l: Option<&Value>, r: Option<&Value>) -> bool {
    match (l, r) {
        (Some(x), Some(Value::Array(list))) => list.iter().any(|y| loose_eq(x, y)),
        _ => false,
    }
}

fn regex_match(left: &Val<'_>, right: &Val<'_>, ctx: &Ctx<'_>) -> bool {
    let (regex, pos, other) = match (left, right) {
        (Val::Pattern(regex, pos), other) | (other, Val::Pattern(regex, pos)) => {
            (*regex, *pos, other)
        }
        _ => return false,
    };
    let check = |text: &str| match regex.matches(text) {
        Ok(matched) => matched,
        Err(err) => {
            ctx.fail(pos, err.message);
            false
        }
    };
    match other.json() {
        Some(Value::Array(items)) => items.iter().any(|item| check(&regex_input(Some(item)))),
        value => check(&regex_input(value)),
    }
}

/// The text Jayway matches a regex against: strings, numbers and booleans as text, anything
/// else (missing, null, objects, arrays) as the empty string.
fn regex_input(value: Option<&Value>) -> Cow<'_, str> {
    match value {
        Some(Value::String(s)) => Cow::Borrowed(s),
        Some(Value::Number(n)) => Cow::Owned(n.to_string()),
        Some(Value::Bool(b)) => Cow::Owned(b.to_string()),
        _ => Cow::Borrowed(""),
    }
}

/// Jayway `==`: numbers compare numerically, a number equals a string that spells the same
/// number, other values compare structurally (numbers inside arrays and objects numerically).
pub(crate) fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
            numeric_string_eq(s, n)
        }
        _ => json_eq(a, b),
    }
}

/// Jayway `===`: the same JSON type and `==`.
fn strict_eq(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b) && loose_eq(a, b)
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => number_cmp(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn numeric_string_eq(s: &str, n: &Number) -> bool {
    if let (Ok(i), Some(j)) = (s.parse::<i64>(), n.as_i64()) {
        return i == j;
    }
    let looks_numeric = s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'));
    looks_numeric
        && s.parse::<f64>()
            .is_ok_and(|f| f.is_finite() && n.as_f64() == Some(f))
}

fn number_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// Jayway `<`, `<=`, `>`, `>=`: numbers numerically, strings lexicographically (by UTF-16 code
/// units, as Java does), a string and a number as strings; anything else is unordered.
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => number_cmp(x, y),
        (Value::String(x), Value::String(y)) => Some(utf16_cmp(x, y)),
        (Value::String(x), Value::Number(y)) => Some(utf16_cmp(x, &y.to_string())),
        (Value::Number(x), Value::String(y)) => Some(utf16_cmp(&x.to_string(), y)),
        _ => None,
    }
}

fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn eval(condition: &str, doc: &Value) -> bool {
        Condition::parse(condition)
            .unwrap()
            .evaluate(doc, None)
            .unwrap()
    }

    #[test]
    fn loose_and_strict_equality() {
        let doc = json!({"n": 1, "s": "1", "f": 1.0, "b": true, "z": null});
        assert!(eval("$.n == '1'", &doc));
        assert!(eval("$.s == 1", &doc));
        assert!(eval("$.n == $.f", &doc));
        assert!(!eval("$.n === '1'", &doc));
        assert!(eval("$.n === 1", &doc));
        assert!(eval("$.s !== 1", &doc));
        assert!(!eval("$.b == 'true'", &doc));
        assert!(eval("$.z == null", &doc));
        assert!(!eval("$.missing == null", &doc));
        assert!(eval("$.missing != null", &doc));
        assert!(!eval("$.missing === $.missing", &doc));
    }

    #[test]
    fn ordering_follows_jayway() {
        let doc = json!({"n": 10, "s": "b"});
        assert!(eval("$.n > 9", &doc));
        assert!(eval("$.n >= 10 && $.n <= 10", &doc));
        assert!(eval("$.s > 'a'", &doc));
        assert!(
            eval("$.n < '9'", &doc),
            "number vs string compares as text: '10' < '9'"
        );
        assert!(!eval("$.missing < 1", &doc));
        assert!(!eval("$.s < true", &doc));
    }

    #[test]
    fn size_counts_utf16_units() {
        let doc = json!({"s": "😀", "a": [1, 2]});
        assert!(eval("$.s size 2", &doc));
        assert!(eval("$.a SIZE 2", &doc));
        assert!(!eval("$.missing size 0", &doc));
    }

    #[test]
    fn numbers_and_booleans_are_neither_empty_nor_not() {
        let doc = json!({"n": 0, "b": false});
        assert!(!eval("$.n empty true", &doc));
        assert!(!eval("$.n empty false", &doc));
        assert!(!eval("$.b empty false", &doc));
    }
}
