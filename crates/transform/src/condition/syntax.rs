//! The parsed form of a condition and its parser.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Number, Value};

use super::error::ConditionError;
use super::regex::JavaRegex;
use crate::path::scan::{MAX_DEPTH, Scanner, SyntaxError, describe};
use crate::path::syntax::{PathSyntax, parse_path};

/// A relational operator (Jayway's set minus `type` and `matches`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    StrictEq,
    StrictNe,
    Lt,
    Le,
    Gt,
    Ge,
    Regex,
    In,
    Nin,
    SubsetOf,
    AnyOf,
    NoneOf,
    Size,
    Empty,
    Contains,
    All,
    Exists,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::StrictEq => "===",
            Op::StrictNe => "!==",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Regex => "=~",
            Op::In => "in",
            Op::Nin => "nin",
            Op::SubsetOf => "subsetof",
            Op::AnyOf => "anyof",
            Op::NoneOf => "noneof",
            Op::Size => "size",
            Op::Empty => "empty",
            Op::Contains => "contains",
            Op::All => "all",
            Op::Exists => "exists",
        }
    }
}

const OPERATORS: &str = "==, !=, ===, !==, <, <=, >, >=, =~, in, nin, subsetof, anyof, noneof, size, empty, contains, all or exists";

const FUNCTIONS: &str = "isValidEmail, isRegularGroup, isApplicationSpecificGroup, \
     isAttributeWithOptionalPrefix or isAttributeWithMandatoryPrefix";

/// One side of a comparison.
#[derive(Debug, Clone)]
pub(crate) enum Operand {
    Path(PathSyntax),
    Literal(Value),
    /// A `/…/flags` regex and the byte offset of its opening `/`.
    Regex(Box<JavaRegex>, usize),
    Call(Box<Call>),
}

/// An IPS condition function.
#[derive(Debug, Clone)]
pub(crate) enum Call {
    IsValidEmail(Operand),
    IsRegularGroup,
    IsApplicationSpecificGroup,
    OptionalPrefix(Operand, String),
    MandatoryPrefix(Operand, String),
}

/// A parsed condition expression.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    /// An operand on its own: a path exists, a boolean literal, a function's result.
    Test(Operand),
    Compare {
        left: Operand,
        op: Op,
        right: Operand,
    },
}

/// A parsed IPS condition (`reference/ips-ias.md` §1.10). See the [module documentation](super)
/// for the grammar and the evaluation rules.
#[derive(Debug, Clone)]
pub struct Condition {
    text: String,
    pub(crate) expr: Expr,
}

impl Condition {
    /// Parses a condition, bare (`$.emails EMPTY false`) or wrapped in Jayway's filter brackets
    /// (`[?($.emails EMPTY false)]`). `%property%` and `${variable}` substitution must already have
    /// happened. Errors carry the character position and what was expected there.
    pub fn parse(text: &str) -> Result<Condition, ConditionError> {
        let mut s = Scanner::new(text);
        let expr = parse_top(&mut s).map_err(|err| ConditionError::from_syntax(text, err))?;
        Ok(Condition {
            text: text.to_string(),
            expr,
        })
    }

    /// The text the condition was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Condition {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Condition {}

impl FromStr for Condition {
    type Err = ConditionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Condition::parse(s)
    }
}

fn parse_top(s: &mut Scanner<'_>) -> Result<Expr, SyntaxError> {
    s.skip_ws();
    if s.at_end() {
        return Err(s.error("expected a condition, found the end of the text"));
    }
    let expr = if s.starts_with("[?") {
        s.bump();
        s.bump();
        let expr = parse_filter(s, 1)?;
        s.skip_ws();
        s.expect(']', "']' to close '[?'")?;
        expr
    } else {
        parse_filter(s, 0)?
    };
    s.skip_ws();
    match s.peek() {
        None => Ok(expr),
        Some(')') => Err(s.error("unbalanced ')'; no '(' is open here")),
        other => Err(s.error(format!(
            "unexpected {}; expected '&&', '||' or the end of the condition",
            describe(other)
        ))),
    }
}

fn too_deep(s: &Scanner<'_>) -> SyntaxError {
    s.error(format!(
        "the condition nests too deeply (the limit is {MAX_DEPTH} levels of parentheses, negations, filters and literals)"
    ))
}

/// Parses an expression (`||` of `&&` of relations) at the scanner position, as found inside a
/// path filter `[?(…)]` or at the top of a condition.
pub(crate) fn parse_filter(s: &mut Scanner<'_>, depth: usize) -> Result<Expr, SyntaxError> {
    if depth > MAX_DEPTH {
        return Err(too_deep(s));
    }
    let mut items = vec![parse_and(s, depth)?];
    loop {
        s.skip_ws();
        if s.eat_str("||") {
            items.push(parse_and(s, depth)?);
        } else {
            break;
        }
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        Expr::Or(items)
    })
}

fn parse_and(s: &mut Scanner<'_>, depth: usize) -> Result<Expr, SyntaxError> {
    let mut items = vec![parse_unary(s, depth)?];
    loop {
        s.skip_ws();
        if s.eat_str("&&") {
            items.push(parse_unary(s, depth)?);
        } else {
            break;
        }
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        Expr::And(items)
    })
}

fn parse_unary(s: &mut Scanner<'_>, depth: usize) -> Result<Expr, SyntaxError> {
    s.skip_ws();
    match s.peek() {
        Some('!') if s.peek_nth(1) != Some('=') => {
            if depth + 1 > MAX_DEPTH {
                return Err(too_deep(s));
            }
            s.bump();
            Ok(Expr::Not(Box::new(parse_unary(s, depth + 1)?)))
        }
        Some('(') => {
            if depth + 1 > MAX_DEPTH {
                return Err(too_deep(s));
            }
            let open = s.pos();
            s.bump();
            let expr = parse_filter(s, depth + 1)?;
            s.skip_ws();
            if !s.eat(')') {
                return Err(s.error(format!(
                    "expected ')' to close the '(' at character {}, found {}",
                    crate::path::scan::char_offset(s.text(), open),
                    describe(s.peek())
                )));
            }
            Ok(expr)
        }
        _ => parse_relation(s, depth),
    }
}

fn at_relation_end(s: &Scanner<'_>) -> bool {
    s.at_end() || matches!(s.peek(), Some(')' | ']')) || s.starts_with("&&") || s.starts_with("||")
}

fn parse_relation(s: &mut Scanner<'_>, depth: usize) -> Result<Expr, SyntaxError> {
    let left_pos = s.pos();
    let left = parse_operand(s, depth)?;
    s.skip_ws();
    if at_relation_end(s) {
        return match left {
            Operand::Path(_) | Operand::Call(_) | Operand::Literal(Value::Bool(_)) => {
                Ok(Expr::Test(left))
            }
            Operand::Regex(..) => Err(SyntaxError::new(
                left_pos,
                "a regex /…/ can only be used with =~",
            )),
            Operand::Literal(_) => Err(s.error(format!(
                "expected an operator ({OPERATORS}) after the value, found {}",
                describe(s.peek())
            ))),
        };
    }
    let op_pos = s.pos();
    let op = parse_op(s)?;
    s.skip_ws();
    let right_pos = s.pos();
    let right = parse_operand(s, depth)?;
    check_operands(op, &left, &right, left_pos, op_pos, right_pos)?;
    Ok(Expr::Compare { left, op, right })
}

fn check_operands(
    op: Op,
    left: &Operand,
    right: &Operand,
    left_pos: usize,
    op_pos: usize,
    right_pos: usize,
) -> Result<(), SyntaxError> {
    let left_regex = matches!(left, Operand::Regex(..));
    let right_regex = matches!(right, Operand::Regex(..));
    if op == Op::Regex {
        if left_regex == right_regex {
            return Err(SyntaxError::new(
                op_pos,
                "=~ needs a regex /…/ on exactly one side",
            ));
        }
        return Ok(());
    }
    if left_regex || right_regex {
        let pos = if left_regex { left_pos } else { right_pos };
        return Err(SyntaxError::new(
            pos,
            "a regex /…/ can only be used with =~",
        ));
    }
    let expected = match op {
        Op::Empty | Op::Exists if !matches!(right, Operand::Literal(Value::Bool(_))) => {
            Some("true or false")
        }
        Op::Size if !matches!(right, Operand::Literal(Value::Number(_)) | Operand::Path(_)) => {
            Some("a number or a path")
        }
        Op::In | Op::Nin | Op::SubsetOf | Op::AnyOf | Op::NoneOf | Op::All
            if !matches!(right, Operand::Literal(Value::Array(_)) | Operand::Path(_)) =>
        {
            Some("a list [ … ] or a path")
        }
        _ => None,
    };
    if let Some(expected) = expected {
        return Err(SyntaxError::new(
            right_pos,
            format!("{} expects {expected} on its right", op.name()),
        ));
    }
    Ok(())
}

fn parse_op(s: &mut Scanner<'_>) -> Result<Op, SyntaxError> {
    let pos = s.pos();
    let symbolic = |c: char| matches!(c, '<' | '>' | '=' | '!' | '~');
    match s.peek() {
        Some(c) if symbolic(c) => {
            let text = s.take_while(symbolic);
            Ok(match text {
                "==" => Op::Eq,
                "!=" => Op::Ne,
                "===" => Op::StrictEq,
                "!==" => Op::StrictNe,
                "<" => Op::Lt,
                "<=" => Op::Le,
                ">" => Op::Gt,
                ">=" => Op::Ge,
                "=~" => Op::Regex,
                other => {
                    return Err(SyntaxError::new(
                        pos,
                        format!("unknown operator '{other}'; expected {OPERATORS}"),
                    ));
                }
            })
        }
        Some(c) if c.is_alphabetic() => {
            let word = s.take_while(char::is_alphanumeric);
            Ok(match word.to_lowercase().as_str() {
                "in" => Op::In,
                "nin" => Op::Nin,
                "subsetof" => Op::SubsetOf,
                "anyof" => Op::AnyOf,
                "noneof" => Op::NoneOf,
                "size" => Op::Size,
                "empty" => Op::Empty,
                "contains" => Op::Contains,
                "all" => Op::All,
                "exists" => Op::Exists,
                "type" | "matches" => {
                    return Err(SyntaxError::new(
                        pos,
                        format!("the Jayway operator '{word}' is not supported in IPS conditions"),
                    ));
                }
                _ => {
                    return Err(SyntaxError::new(
                        pos,
                        format!("unknown operator '{word}'; expected {OPERATORS}"),
                    ));
                }
            })
        }
        other => Err(s.error(format!(
            "expected an operator ({OPERATORS}), '&&', '||' or the end, found {}",
            describe(other)
        ))),
    }
}

fn parse_operand(s: &mut Scanner<'_>, depth: usize) -> Result<Operand, SyntaxError> {
    match s.peek() {
        Some('$' | '@') => Ok(Operand::Path(parse_path(s, depth)?)),
        Some('\'' | '"') => Ok(Operand::Literal(Value::String(s.quoted()?))),
        Some('/') => regex(s),
        Some('%') => placeholder(s),
        Some('[' | '{') => Ok(Operand::Literal(json_value(s, depth + 1)?)),
        Some(c) if c == '-' || c.is_ascii_digit() => Ok(Operand::Literal(number(s)?)),
        Some(c) if c.is_alphabetic() => {
            let pos = s.pos();
            let word = s.take_while(|c| c.is_alphanumeric() || c == '_');
            match word {
                "true" => Ok(Operand::Literal(Value::Bool(true))),
                "false" => Ok(Operand::Literal(Value::Bool(false))),
                "null" => Ok(Operand::Literal(Value::Null)),
                name => {
                    s.skip_ws();
                    if s.peek() == Some('(') {
                        Ok(Operand::Call(Box::new(call(s, name, pos, depth)?)))
                    } else {
                        Err(SyntaxError::new(
                            pos,
                            format!(
                                "unexpected word '{name}'; expected a path ($ or @), a literal \
                                 ('text', a number, true, false, null, [list]) or a function call"
                            ),
                        ))
                    }
                }
            }
        }
        other => Err(s.error(format!(
            "expected a path ($ or @), a literal or a function call, found {}",
            describe(other)
        ))),
    }
}

/// An unquoted `%property.key%` left unsubstituted: the value of a missing property, which IPS
/// substitutes as the text `null` (§1.7) — so it is the `null` literal.
fn placeholder(s: &mut Scanner<'_>) -> Result<Operand, SyntaxError> {
    let open = s.pos();
    s.bump();
    let key = s.take_while(|c| c != '%' && !c.is_whitespace());
    if key.is_empty() || !s.eat('%') {
        return Err(SyntaxError::new(
            open,
            "expected a %property.key% placeholder",
        ));
    }
    Ok(Operand::Literal(Value::Null))
}

fn regex(s: &mut Scanner<'_>) -> Result<Operand, SyntaxError> {
    let open = s.pos();
    s.bump();
    let body_start = s.pos();
    loop {
        match s.bump() {
            None => {
                return Err(SyntaxError::new(
                    open,
                    "unterminated regex; expected a closing '/'",
                ));
            }
            Some('\\') => {
                s.bump();
            }
            Some('/') => break,
            Some(_) => {}
        }
    }
    let body = &s.text()[body_start..s.pos() - 1];
    let flags = s.take_while(|c| c.is_ascii_alphabetic());
    let regex = JavaRegex::with_flags(body, flags).map_err(|err| {
        let byte = s.text()[body_start..]
            .char_indices()
            .nth(err.position)
            .map_or(s.pos(), |(b, _)| body_start + b);
        SyntaxError::new(byte, format!("invalid regex: {}", err.message))
    })?;
    Ok(Operand::Regex(Box::new(regex), open))
}

fn number(s: &mut Scanner<'_>) -> Result<Value, SyntaxError> {
    let start = s.pos();
    s.eat('-');
    let digits = |s: &mut Scanner<'_>| !s.take_while(|c| c.is_ascii_digit()).is_empty();
    if !digits(s) {
        return Err(SyntaxError::new(start, "expected a number"));
    }
    if s.peek() == Some('.') && s.peek_nth(1).is_some_and(|c| c.is_ascii_digit()) {
        s.bump();
        digits(s);
    }
    if matches!(s.peek(), Some('e' | 'E')) {
        let save = s.pos();
        s.bump();
        if !s.eat('+') {
            s.eat('-');
        }
        if !digits(s) {
            return Err(SyntaxError::new(save, "expected the digits of an exponent"));
        }
    }
    let text = &s.text()[start..s.pos()];
    Number::from_str(text)
        .map(Value::Number)
        .map_err(|_| SyntaxError::new(start, format!("number {text} is out of range")))
}

/// A JSON value in Jayway's permissive syntax (strings may use single quotes).
fn json_value(s: &mut Scanner<'_>, depth: usize) -> Result<Value, SyntaxError> {
    if depth > MAX_DEPTH {
        return Err(too_deep(s));
    }
    s.skip_ws();
    match s.peek() {
        Some('[') => {
            s.bump();
            let mut items = Vec::new();
            s.skip_ws();
            if s.eat(']') {
                return Ok(Value::Array(items));
            }
            loop {
                items.push(json_value(s, depth + 1)?);
                s.skip_ws();
                if s.eat(',') {
                    continue;
                }
                s.expect(']', "',' or ']' in the list")?;
                return Ok(Value::Array(items));
            }
        }
        Some('{') => {
            s.bump();
            let mut map = Map::new();
            s.skip_ws();
            if s.eat('}') {
                return Ok(Value::Object(map));
            }
            loop {
                s.skip_ws();
                if !matches!(s.peek(), Some('\'' | '"')) {
                    return Err(s.error(format!(
                        "expected a quoted member name, found {}",
                        describe(s.peek())
                    )));
                }
                let key = s.quoted()?;
                s.skip_ws();
                s.expect(':', "':' after the member name")?;
                let value = json_value(s, depth + 1)?;
                map.insert(key, value);
                s.skip_ws();
                if s.eat(',') {
                    continue;
                }
                s.expect('}', "',' or '}' in the object")?;
                return Ok(Value::Object(map));
            }
        }
        Some('\'' | '"') => Ok(Value::String(s.quoted()?)),
        Some(c) if c == '-' || c.is_ascii_digit() => number(s),
        Some(c) if c.is_alphabetic() => {
            let pos = s.pos();
            match s.take_while(char::is_alphanumeric) {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                "null" => Ok(Value::Null),
                word => Err(SyntaxError::new(
                    pos,
                    format!("expected a literal value, found '{word}'"),
                )),
            }
        }
        other => Err(s.error(format!(
            "expected a literal value, found {}",
            describe(other)
        ))),
    }
}

fn call(s: &mut Scanner<'_>, name: &str, pos: usize, depth: usize) -> Result<Call, SyntaxError> {
    if depth + 1 > MAX_DEPTH {
        return Err(too_deep(s));
    }
    let known = matches!(
        name,
        "isValidEmail"
            | "isRegularGroup"
            | "isApplicationSpecificGroup"
            | "isAttributeWithOptionalPrefix"
            | "isAttributeWithMandatoryPrefix"
    );
    if !known {
        return Err(SyntaxError::new(
            pos,
            format!("unknown function '{name}'; expected {FUNCTIONS}"),
        ));
    }
    s.expect('(', "'('")?;
    s.skip_ws();
    let call = match name {
        "isRegularGroup" => Call::IsRegularGroup,
        "isApplicationSpecificGroup" => Call::IsApplicationSpecificGroup,
        "isValidEmail" => Call::IsValidEmail(argument(s, depth)?),
        _ => {
            let attribute = argument(s, depth)?;
            s.skip_ws();
            s.expect(
                ',',
                &format!("',' and a property name as the second argument of {name}"),
            )?;
            s.skip_ws();
            let key = property_key(s)?;
            if name == "isAttributeWithOptionalPrefix" {
                Call::OptionalPrefix(attribute, key)
            } else {
                Call::MandatoryPrefix(attribute, key)
            }
        }
    };
    s.skip_ws();
    if s.peek() == Some(',') {
        return Err(s.error(format!("too many arguments for {name}; expected ')'")));
    }
    s.expect(')', &format!("')' to close {name}("))?;
    Ok(call)
}

fn argument(s: &mut Scanner<'_>, depth: usize) -> Result<Operand, SyntaxError> {
    let pos = s.pos();
    match parse_operand(s, depth + 1)? {
        Operand::Regex(..) => Err(SyntaxError::new(
            pos,
            "a regex /…/ can only be used with =~",
        )),
        operand => Ok(operand),
    }
}

fn property_key(s: &mut Scanner<'_>) -> Result<String, SyntaxError> {
    if matches!(s.peek(), Some('\'' | '"')) {
        return s.quoted();
    }
    let key = s.take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if key.is_empty() {
        Err(s.error(format!(
            "expected a property name (such as sac.group.prefix), found {}",
            describe(s.peek())
        )))
    } else {
        Ok(key.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Expr {
        Condition::parse(text).unwrap().expr
    }

    fn error(text: &str) -> ConditionError {
        Condition::parse(text).unwrap_err()
    }

    #[test]
    fn and_binds_tighter_than_or() {
        match parse("$.a || $.b && $.c") {
            Expr::Or(items) => {
                assert_eq!(items.len(), 2);
                assert!(matches!(items[1], Expr::And(_)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn chains_are_flat() {
        let text = vec!["$.a"; 5000].join(" && ");
        assert!(matches!(parse(&text), Expr::And(items) if items.len() == 5000));
    }

    #[test]
    fn word_operators_are_case_insensitive() {
        for text in [
            "$.a EMPTY true",
            "$.a empty true",
            "$.a Empty true",
            "$.a NIN ['x']",
        ] {
            assert!(matches!(parse(text), Expr::Compare { .. }), "{text}");
        }
    }

    #[test]
    fn literals() {
        match parse("$.a in ['x', \"y\", 1, -2.5e3, true, null, {'k': [1]}]") {
            Expr::Compare {
                right: Operand::Literal(v),
                ..
            } => assert_eq!(
                v,
                serde_json::json!(["x", "y", 1, -2.5e3, true, null, {"k": [1]}])
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_say_what_was_expected_where() {
        let e = error("$.a ==");
        assert_eq!(e.position, 6);
        assert!(e.message.contains("expected a path"), "{e}");
        let e = error("$.a EMPTY maybe");
        assert!(e.message.contains("unexpected word"), "{e}");
        let e = error("$.a EMPTY 1");
        assert!(e.message.contains("true or false"), "{e}");
        let e = error("($.a");
        assert!(e.message.contains("close the '(' at character 0"), "{e}");
        let e = error("$.a)");
        assert!(e.message.contains("unbalanced"), "{e}");
        let e = error("$.a = 1");
        assert!(e.message.contains("unknown operator '='"), "{e}");
        let e = error("'x'");
        assert!(e.message.contains("expected an operator"), "{e}");
        let e = error("foo($.a)");
        assert!(e.message.contains("unknown function 'foo'"), "{e}");
        let e = error("$.a =~ 'x'");
        assert!(e.message.contains("=~ needs a regex"), "{e}");
        let e = error("$.a == /x/");
        assert!(e.message.contains("only be used with =~"), "{e}");
        let e = error("$.a =~ /x");
        assert_eq!(e.position, 7);
        assert!(e.message.contains("unterminated regex"), "{e}");
        let e = error("$.a =~ /(x/");
        assert!(e.message.contains("invalid regex"), "{e}");
        let e = error("   ");
        assert!(e.message.contains("expected a condition"), "{e}");
        let e = error("$.a type 'x'");
        assert!(e.message.contains("not supported"), "{e}");
    }

    #[test]
    fn unsubstituted_placeholders_are_null() {
        let c = Condition::parse(
            "%s4hana.cloud.hr.switch.active% != null && %s4hana.cloud.hr.switch.active% == true",
        )
        .unwrap();
        assert!(!c.evaluate(&serde_json::json!({}), None).unwrap());
        assert!(Condition::parse("% x% == 1").is_err());
        assert!(Condition::parse("%x == 1").is_err());
    }

    #[test]
    fn wrapped_and_bare_forms_parse_alike() {
        assert!(matches!(
            parse("[?($.a EMPTY false)]"),
            Expr::Compare { .. }
        ));
        assert!(matches!(parse("[?(@.a)]"), Expr::Test(_)));
        assert!(Condition::parse("[?($.a EMPTY false)").is_err());
    }

    #[test]
    fn functions_take_their_arguments() {
        assert!(matches!(
            parse("isAttributeWithMandatoryPrefix(@, sac.group.prefix)"),
            Expr::Test(Operand::Call(c)) if matches!(*c, Call::MandatoryPrefix(_, ref k) if k == "sac.group.prefix")
        ));
        assert!(Condition::parse("isRegularGroup()").is_ok());
        assert!(Condition::parse("isRegularGroup($.a)").is_err());
        assert!(Condition::parse("isValidEmail($.a, $.b)").is_err());
        assert!(Condition::parse("isAttributeWithOptionalPrefix($.a)").is_err());
    }
}
