//! How functions read the values they are given: text from scalars, bytes from arrays of
//! numbers.

use std::borrow::Cow;

use serde_json::Value;

use super::fault::{Fault, Outcome};

/// The text of a value for a string function: strings as they are, numbers and booleans
/// spelled out (Java's `String.valueOf`). Arrays and objects are errors that say what to set.
pub(crate) fn text(value: &Value) -> Outcome<Cow<'_, str>> {
    match value {
        Value::String(text) => Ok(Cow::Borrowed(text)),
        Value::Number(number) => Ok(Cow::Owned(number.to_string())),
        Value::Bool(b) => Ok(Cow::Borrowed(if *b { "true" } else { "false" })),
        other => Err(not_text(other)),
    }
}

/// The error for a value a string function cannot take.
pub(crate) fn not_text(value: &Value) -> Fault {
    let hint = match value {
        Value::Array(_) => "; set \"applyOnElements\": true to apply the function to each element",
        Value::Object(_) => "; set \"applyOnAttribute\" to the member it should work on",
        _ => "",
    };
    Fault::value(format!("expects text, got {}{hint}", kind(value)))
}

/// What a value is, for messages about values being transformed: the type and size only, never
/// the content (a value may be a secret).
pub(crate) fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(_) => "a boolean".to_string(),
        Value::Number(_) => "a number".to_string(),
        Value::String(_) => "a string".to_string(),
        Value::Array(items) => format!(
            "an array of {} element{}",
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        ),
        Value::Object(_) => "an object".to_string(),
    }
}

/// The bytes of an array whose elements are all integers from 0 to 255 (how `decode` writes
/// a byte array).
pub(crate) fn bytes(value: &Value) -> Option<Vec<u8>> {
    let Value::Array(items) = value else {
        return None;
    };
    items
        .iter()
        .map(|item| item.as_u64().and_then(|n| u8::try_from(n).ok()))
        .collect()
}

/// A byte array as JSON: an array of numbers from 0 to 255.
pub(crate) fn byte_array(bytes: &[u8]) -> Value {
    Value::Array(bytes.iter().map(|b| Value::from(*b)).collect())
}
