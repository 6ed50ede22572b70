//! Reading a v1 request body: the body object, the `id` a PUT repeats, and typed attribute
//! values — text, SAP's `"true"`/`"false"` flags, integers that may come as strings, `schemas`.

use sapland_core::scim::{ScimError, ScimType};
use serde_json::{Map, Value};

use super::errors::bad_value;
use super::paths::set_at;
use crate::directory::scim_error;

/// A request body as a JSON object; anything else is refused as invalid syntax.
pub(super) fn body_object(body: Value) -> Result<Map<String, Value>, ScimError> {
    match body {
        Value::Object(object) => Ok(object),
        _ => Err(scim_error(
            400,
            Some(ScimType::InvalidSyntax),
            "The request body must be a JSON object",
        )),
    }
}

/// A v1 PUT names the resource in its body too: the body's `id` must be the path's ([DOC] update
/// user, update group). `missing` and `mismatched` word the 400 for each resource type.
pub(super) fn body_id_matches(
    body: &Map<String, Value>,
    id: &str,
    missing: impl FnOnce() -> String,
    mismatched: impl FnOnce(&str) -> String,
) -> Result<(), ScimError> {
    match body.get("id") {
        Some(Value::String(sent)) if sent == id => Ok(()),
        None | Some(Value::Null) => Err(bad_value(missing())),
        Some(sent) => {
            let sent = sent
                .as_str()
                .map_or_else(|| sent.to_string(), str::to_string);
            Err(bad_value(mismatched(&sent)))
        }
    }
}

/// A string attribute: `null` keeps, `""` removes, a string sets; anything else is refused.
pub(super) fn set_text(
    user: &mut Map<String, Value>,
    path: &[&str],
    name: &str,
    value: &Value,
) -> Result<(), ScimError> {
    match text(name, value)? {
        None => {}
        Some("") => set_at(user, path, None),
        Some(_) => set_at(user, path, Some(value.clone())),
    }
    Ok(())
}

/// A string attribute's text: `None` for `null`; anything but a string is refused.
pub(super) fn text<'a>(name: &str, value: &'a Value) -> Result<Option<&'a str>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text)),
        other => Err(bad_value(format!("{name} must be a string, got {other}"))),
    }
}

/// `"true"`/`"false"` as SAP documents them, or a JSON boolean.
pub(super) fn flag(name: &str, value: &Value) -> Result<Option<bool>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(flag) => Ok(Some(*flag)),
        Value::String(text) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
        other => Err(bad_value(format!(
            "{name} must be \"true\" or \"false\", got {other}"
        ))),
    }
}

/// An integer, given as a JSON number or a string of digits.
pub(super) fn integer(name: &str, value: &Value) -> Result<Option<i64>, ScimError> {
    let parsed = match value {
        Value::Null => return Ok(None),
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse::<i64>().ok(),
        _ => None,
    };
    parsed
        .map(Some)
        .ok_or_else(|| bad_value(format!("{name} must be an integer, got {value}")))
}

/// An [`integer`] that must lie from `min` to `max`.
pub(super) fn bounded(
    name: &str,
    value: &Value,
    min: i64,
    max: i64,
) -> Result<Option<i64>, ScimError> {
    match integer(name, value)? {
        Some(n) if !(min..=max).contains(&n) => Err(bad_value(format!(
            "{name} must be an integer from {min} to {max}, got {n}"
        ))),
        other => Ok(other),
    }
}

/// `schemas` of a v1 body: absent or `null`, or a list of the `known` URNs (any case).
pub(super) fn check_schemas(value: &Value, known: &[&str]) -> Result<(), ScimError> {
    let items = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        other => {
            return Err(bad_value(format!(
                "schemas must be a list of schema URNs, got {other}"
            )));
        }
    };
    for item in items {
        let Some(urn) = item.as_str() else {
            return Err(bad_value(format!(
                "schemas must be a list of schema URNs, got {item} in it"
            )));
        };
        if !known.iter().any(|k| k.eq_ignore_ascii_case(urn)) {
            return Err(bad_value(format!(
                "Unknown schema {urn}: the SCIM REST API (v1) knows {}",
                known.join(", ")
            )));
        }
    }
    Ok(())
}
