//! OTLP JSON values: `AnyValue`, `KeyValue` attributes, and the field readers every OTLP document
//! uses, each failing with the JSON path and what was expected.
//!
//! The JSON mapping is protobuf's: 64-bit integers (`timeUnixNano`, `asInt`, `intValue`) are
//! strings of digits, and JSON numbers are accepted for them as protobuf's JSON parsers do;
//! `bytesValue` is base64; a member that is absent or `null` has its default value; members the
//! mock does not know are ignored, as the OTLP specification asks of receivers.

use std::fmt;

use base64::Engine as _;
use sapland_core::json::{JsonPath, kind};
use serde_json::{Map, Value, json};

/// A pushed document that is not valid OTLP JSON: where, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct OtlpError {
    /// The JSON path of the offending value.
    pub path: JsonPath,
    /// What the mock expected there.
    pub expected: String,
    /// What it found (`a number`, `an object`, …), when something was there.
    pub found: Option<&'static str>,
}

impl fmt::Display for OtlpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: expected {}", self.path, self.expected)?;
        if let Some(found) = self.found {
            write!(f, ", found {found}")?;
        }
        Ok(())
    }
}

impl OtlpError {
    /// An error at `path` that names what was expected and what was found.
    pub fn at(path: &JsonPath, expected: impl Into<String>, found: Option<&Value>) -> Self {
        Self {
            path: path.clone(),
            expected: expected.into(),
            found: found.map(kind),
        }
    }
}

/// An OTLP `AnyValue`.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyValue {
    /// `stringValue`.
    String(String),
    /// `boolValue`.
    Bool(bool),
    /// `intValue` (int64).
    Int(i64),
    /// `doubleValue`.
    Double(f64),
    /// `arrayValue.values`.
    Array(Vec<AnyValue>),
    /// `kvlistValue.values`.
    Kvlist(Vec<KeyValue>),
    /// `bytesValue`, base64 as sent.
    Bytes(String),
}

/// An OTLP `KeyValue`: an attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyValue {
    /// The key.
    pub key: String,
    /// The value.
    pub value: AnyValue,
}

const ANY_VALUE_MEMBERS: &str = "an AnyValue with exactly one of stringValue, boolValue, intValue, doubleValue, arrayValue, kvlistValue, bytesValue";

impl AnyValue {
    /// Reads an `AnyValue` object.
    pub fn parse(value: &Value, path: &JsonPath) -> Result<Self, OtlpError> {
        let map = value
            .as_object()
            .ok_or_else(|| OtlpError::at(path, ANY_VALUE_MEMBERS, Some(value)))?;
        let present: Vec<(&String, &Value)> = map
            .iter()
            .filter(|(name, member)| {
                !member.is_null()
                    && matches!(
                        name.as_str(),
                        "stringValue"
                            | "boolValue"
                            | "intValue"
                            | "doubleValue"
                            | "arrayValue"
                            | "kvlistValue"
                            | "bytesValue"
                    )
            })
            .collect();
        let [(name, member)] = present.as_slice() else {
            return Err(OtlpError::at(path, ANY_VALUE_MEMBERS, None));
        };
        let path = path.clone().key(name.as_str());
        match name.as_str() {
            "stringValue" => member
                .as_str()
                .map(|s| AnyValue::String(s.to_string()))
                .ok_or_else(|| OtlpError::at(&path, "a string", Some(member))),
            "boolValue" => member
                .as_bool()
                .map(AnyValue::Bool)
                .ok_or_else(|| OtlpError::at(&path, "a boolean", Some(member))),
            "intValue" => int64(member, &path).map(AnyValue::Int),
            "doubleValue" => double(member, &path).map(AnyValue::Double),
            "arrayValue" => {
                let object = object(member, &path)?;
                let values = array_field(object, "values", &path)?;
                let path = path.key("values");
                values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| AnyValue::parse(v, &path.clone().index(i)))
                    .collect::<Result<_, _>>()
                    .map(AnyValue::Array)
            }
            "kvlistValue" => {
                let object = object(member, &path)?;
                parse_attributes(object, "values", &path).map(AnyValue::Kvlist)
            }
            _ => {
                let text = member
                    .as_str()
                    .ok_or_else(|| OtlpError::at(&path, "base64 text", Some(member)))?;
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .map_err(|_| OtlpError::at(&path, "base64 text", None))?;
                Ok(AnyValue::Bytes(text.to_string()))
            }
        }
    }

    /// The value in OTLP JSON.
    pub fn to_json(&self) -> Value {
        match self {
            AnyValue::String(s) => json!({ "stringValue": s }),
            AnyValue::Bool(b) => json!({ "boolValue": b }),
            AnyValue::Int(i) => json!({ "intValue": i.to_string() }),
            AnyValue::Double(d) => json!({ "doubleValue": d }),
            AnyValue::Array(values) => {
                json!({ "arrayValue": { "values": values.iter().map(AnyValue::to_json).collect::<Vec<_>>() } })
            }
            AnyValue::Kvlist(values) => {
                json!({ "kvlistValue": { "values": attributes_json(values) } })
            }
            AnyValue::Bytes(b) => json!({ "bytesValue": b }),
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            AnyValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as text, as a dimension shows it.
    pub fn text(&self) -> String {
        match self {
            AnyValue::String(s) | AnyValue::Bytes(s) => s.clone(),
            AnyValue::Bool(b) => b.to_string(),
            AnyValue::Int(i) => i.to_string(),
            AnyValue::Double(d) => d.to_string(),
            other => other.to_json().to_string(),
        }
    }
}

/// Reads the `KeyValue` array at `map[field]` (absent or `null`: none).
pub fn parse_attributes(
    map: &Map<String, Value>,
    field: &str,
    path: &JsonPath,
) -> Result<Vec<KeyValue>, OtlpError> {
    let items = array_field(map, field, path)?;
    let path = path.clone().key(field);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let path = path.clone().index(i);
            let object = item.as_object().ok_or_else(|| {
                OtlpError::at(&path, "a KeyValue object {key, value}", Some(item))
            })?;
            let key = string_field(object, "key", &path)?
                .filter(|key| !key.is_empty())
                .ok_or_else(|| {
                    OtlpError::at(&path.clone().key("key"), "a non-empty string", None)
                })?;
            let value_path = path.clone().key("value");
            let value = match object.get("value") {
                Some(v) if !v.is_null() => AnyValue::parse(v, &value_path)?,
                _ => return Err(OtlpError::at(&value_path, ANY_VALUE_MEMBERS, None)),
            };
            Ok(KeyValue { key, value })
        })
        .collect()
}

/// Attributes in OTLP JSON.
pub fn attributes_json(attributes: &[KeyValue]) -> Vec<Value> {
    attributes
        .iter()
        .map(|kv| json!({ "key": kv.key, "value": kv.value.to_json() }))
        .collect()
}

/// The value of the attribute `key`, if present.
pub fn attribute<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a AnyValue> {
    attributes
        .iter()
        .find(|kv| kv.key == key)
        .map(|kv| &kv.value)
}

/// The object at `path`.
pub fn object<'a>(value: &'a Value, path: &JsonPath) -> Result<&'a Map<String, Value>, OtlpError> {
    value
        .as_object()
        .ok_or_else(|| OtlpError::at(path, "an object", Some(value)))
}

/// The array at `map[field]`; absent or `null` is empty.
pub fn array_field<'a>(
    map: &'a Map<String, Value>,
    field: &str,
    path: &JsonPath,
) -> Result<&'a [Value], OtlpError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(OtlpError::at(
            &path.clone().key(field),
            "an array",
            Some(other),
        )),
    }
}

/// The string at `map[field]`; absent or `null` is `None`.
pub fn string_field(
    map: &Map<String, Value>,
    field: &str,
    path: &JsonPath,
) -> Result<Option<String>, OtlpError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(OtlpError::at(
            &path.clone().key(field),
            "a string",
            Some(other),
        )),
    }
}

/// Nanoseconds since the epoch at `map[field]`: a string of digits (or a JSON integer); absent,
/// `null` or `"0"` is `None` (protobuf's "not set").
pub fn nanos_field(
    map: &Map<String, Value>,
    field: &str,
    path: &JsonPath,
) -> Result<Option<u64>, OtlpError> {
    let path = path.clone().key(field);
    let expected = "nanoseconds since the epoch as a string of digits (fixed64)";
    let nanos = match map.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(text)) => {
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(OtlpError::at(&path, expected, None));
            }
            text.parse::<u64>()
                .map_err(|_| OtlpError::at(&path, expected, None))?
        }
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| OtlpError::at(&path, expected, None))?,
        Some(other) => return Err(OtlpError::at(&path, expected, Some(other))),
    };
    Ok((nanos != 0).then_some(nanos))
}

/// An int64: a string of digits with an optional `-`, or a JSON integer.
pub fn int64(value: &Value, path: &JsonPath) -> Result<i64, OtlpError> {
    let expected = "a 64-bit integer as a string of digits";
    match value {
        Value::String(text) => text
            .parse::<i64>()
            .ok()
            .filter(|_| !text.starts_with('+'))
            .ok_or_else(|| OtlpError::at(path, expected, None)),
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| OtlpError::at(path, expected, None)),
        other => Err(OtlpError::at(path, expected, Some(other))),
    }
}

/// A double: a JSON number.
pub fn double(value: &Value, path: &JsonPath) -> Result<f64, OtlpError> {
    value
        .as_f64()
        .ok_or_else(|| OtlpError::at(path, "a number", Some(value)))
}

/// A time as OTLP JSON shows it: nanoseconds since the epoch as a string of digits.
pub fn nanos_json(nanos: u64) -> Value {
    Value::String(nanos.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> JsonPath {
        JsonPath::root().key("v")
    }

    #[test]
    fn any_values_read_and_write_back() {
        for text in [
            r#"{"stringValue":"a"}"#,
            r#"{"boolValue":true}"#,
            r#"{"intValue":"-42"}"#,
            r#"{"doubleValue":1.5}"#,
            r#"{"arrayValue":{"values":[{"intValue":"1"}]}}"#,
            r#"{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}}]}}"#,
            r#"{"bytesValue":"AAE="}"#,
        ] {
            let value: Value = serde_json::from_str(text).unwrap();
            let parsed = AnyValue::parse(&value, &root()).unwrap();
            assert_eq!(parsed.to_json(), value, "{text}");
        }
        assert_eq!(
            AnyValue::parse(&json!({"intValue": 7}), &root()).unwrap(),
            AnyValue::Int(7)
        );
    }

    #[test]
    fn bad_any_values_name_the_path() {
        let err = AnyValue::parse(&json!({"intValue": "1.5"}), &root()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "$.v.intValue: expected a 64-bit integer as a string of digits"
        );
        let err =
            AnyValue::parse(&json!({"stringValue": "a", "boolValue": true}), &root()).unwrap_err();
        assert!(err.to_string().starts_with("$.v: expected an AnyValue"));
        let err = AnyValue::parse(&json!({"bytesValue": "%%%"}), &root()).unwrap_err();
        assert_eq!(err.to_string(), "$.v.bytesValue: expected base64 text");
    }

    #[test]
    fn times_are_strings_of_digits() {
        let map = json!({"t": "1718000000000000000", "z": "0", "n": 12, "bad": "12a", "neg": -1});
        let map = map.as_object().unwrap();
        let path = JsonPath::root();
        assert_eq!(
            nanos_field(map, "t", &path).unwrap(),
            Some(1_718_000_000_000_000_000)
        );
        assert_eq!(nanos_field(map, "z", &path).unwrap(), None);
        assert_eq!(nanos_field(map, "n", &path).unwrap(), Some(12));
        assert!(nanos_field(map, "bad", &path).is_err());
        let err = nanos_field(map, "neg", &path).unwrap_err();
        assert!(err.to_string().starts_with("$.neg: expected nanoseconds"));
    }
}
