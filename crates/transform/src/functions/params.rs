//! Reading a function's parameters with the types SAP documents for them
//! ([`crate::document::FUNCTIONS`]): integers may be written as strings (`"days": "+2"`),
//! booleans as `"true"`/`"false"`, texts that SAP types "String; number" as numbers.

use serde_json::Value;

use super::fault::{Fault, Outcome};
use crate::document::Function;

/// The parameters of one function, read by name.
pub(crate) struct Params<'f> {
    function: &'f Function,
}

impl<'f> Params<'f> {
    pub(crate) fn new(function: &'f Function) -> Self {
        Self { function }
    }

    fn get(&self, name: &str) -> Option<&'f Value> {
        self.function.parameters.get(name)
    }

    /// A parameter that must be there.
    fn required(&self, name: &str) -> Outcome<&'f Value> {
        self.get(name)
            .ok_or_else(|| Fault::parameter(name, format!("{name} is required")))
    }

    /// A text parameter; numbers and booleans are accepted and spelled out (SAP types `regex`,
    /// `replacement` and `target` as "String; number", `suffix` as "Integer; String; Boolean").
    pub(crate) fn text(&self, name: &str) -> Outcome<Option<String>> {
        self.get(name).map(|value| scalar(name, value)).transpose()
    }

    /// A text parameter that must be there.
    pub(crate) fn required_text(&self, name: &str) -> Outcome<String> {
        scalar(name, self.required(name)?)
    }

    /// An integer parameter: a JSON integer, or a string holding one with an optional sign
    /// (`"3"`, `"+2"`, `"-1"`).
    pub(crate) fn integer(&self, name: &str) -> Outcome<Option<i64>> {
        self.get(name).map(|value| integer(name, value)).transpose()
    }

    /// An integer parameter that must be there.
    pub(crate) fn required_integer(&self, name: &str) -> Outcome<i64> {
        integer(name, self.required(name)?)
    }

    /// A boolean parameter: `true`/`false`, or the strings `"true"`/`"false"`.
    pub(crate) fn boolean(&self, name: &str) -> Outcome<Option<bool>> {
        self.get(name)
            .map(|value| match value {
                Value::Bool(b) => Ok(*b),
                Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
                Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
                other => Err(Fault::parameter(
                    name,
                    format!("{name} must be true or false, found {}", describe(other)),
                )),
            })
            .transpose()
    }

    /// One of the documented `choices`.
    pub(crate) fn choice(&self, name: &str, choices: &[&'static str]) -> Outcome<&'static str> {
        let text = self.required_text(name)?;
        choices
            .iter()
            .find(|c| **c == text)
            .copied()
            .ok_or_else(|| {
                Fault::parameter(
                    name,
                    format!(
                        "unknown {name} {text:?}; expected one of {}",
                        choices.join(", ")
                    ),
                )
            })
    }

    /// A list of texts: an array of strings, or one string.
    pub(crate) fn text_list(&self, name: &str) -> Outcome<Vec<String>> {
        match self.required(name)? {
            Value::String(one) => Ok(vec![one.clone()]),
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(|item| match item {
                    Value::String(text) => Ok(text.clone()),
                    other => Err(Fault::parameter(
                        name,
                        format!("{name} must hold strings, found {}", describe(other)),
                    )),
                })
                .collect(),
            other => Err(Fault::parameter(
                name,
                format!(
                    "{name} must be a string or a non-empty array of strings, found {}",
                    describe(other)
                ),
            )),
        }
    }

    /// Any JSON value (`defaultValue`), which must be there.
    pub(crate) fn required_value(&self, name: &str) -> Outcome<Value> {
        self.required(name).cloned()
    }
}

fn scalar(name: &str, value: &Value) -> Outcome<String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(Fault::parameter(
            name,
            format!("{name} must be a string, found {}", describe(other)),
        )),
    }
}

fn integer(name: &str, value: &Value) -> Outcome<i64> {
    let parsed = match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => {
            let text = text.trim();
            text.strip_prefix('+').unwrap_or(text).parse::<i64>().ok()
        }
        _ => None,
    };
    parsed.ok_or_else(|| {
        Fault::parameter(
            name,
            format!(
                "{name} must be an integer (such as 3, \"+2\" or \"-1\"), found {}",
                describe(value)
            ),
        )
    })
}

/// A short description of a JSON value for messages: its type, and the value if it is short.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() <= 40 => format!("the string {s:?}"),
        Value::String(_) => "a string".to_string(),
        Value::Array(items) => format!(
            "an array of {} element{}",
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        ),
        Value::Object(_) => "an object".to_string(),
    }
}
