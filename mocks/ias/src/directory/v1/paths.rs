//! Members of JSON resources by path: reading and writing nested members whose names match
//! ignoring case, as SCIM attribute names do, and comparing SCIM text.

use serde_json::{Map, Value};

use crate::directory::member;

/// Case-insensitive equality of SCIM string values.
pub(super) fn same_text(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
}

/// The value at a path of member names (case-insensitive).
pub(super) fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter()
        .try_fold(value, |current, name| member(current, name))
}

/// The value at a path of member names of an object (case-insensitive).
pub(super) fn at_map<'a>(object: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let key = key_of(object, first);
    at(object.get(&key)?, rest)
}

/// The elements of a multi-valued attribute.
pub(super) fn list<'a>(resource: &'a Value, attribute: &str) -> impl Iterator<Item = &'a Value> {
    member(resource, attribute)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The key an object uses for `name`, matched ignoring case, or `name` itself.
fn key_of(object: &Map<String, Value>, name: &str) -> String {
    object
        .keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_string())
}

/// Sets (`Some`) or removes (`None`) the member at `path`, creating objects on the way and
/// dropping objects a removal leaves empty.
pub(super) fn set_at(object: &mut Map<String, Value>, path: &[&str], value: Option<Value>) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let key = key_of(object, first);
    if rest.is_empty() {
        match value {
            Some(value) => {
                object.insert(key, value);
            }
            None => {
                object.remove(&key);
            }
        }
        return;
    }
    if value.is_none() && !object.contains_key(&key) {
        return;
    }
    let entry = object
        .entry(key.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    let child = entry.as_object_mut().expect("made an object above");
    set_at(child, rest, value);
    if child.is_empty() {
        object.remove(&key);
    }
}
