//! Attributes, values, resources and scopes, shared by metrics and logs.

use jiff::Timestamp;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// The resource attribute naming the Cloud ALM service (the LMS ID) data belongs to (§2.7,
/// **proposed** for pushes).
pub const SERVICE_ID: &str = "sap.cloudalm.serviceId";

/// The resource attribute naming that service for people (**proposed**).
pub const SERVICE_NAME: &str = "sap.cloudalm.serviceName";

/// An attribute value (`AnyValue`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AnyValue {
    /// `{"stringValue": "…"}`.
    StringValue(String),
    /// `{"boolValue": true}`.
    BoolValue(bool),
    /// `{"intValue": "42"}` (an int64, written as a string).
    IntValue(#[serde(with = "int64")] i64),
    /// `{"doubleValue": 1.5}`.
    DoubleValue(f64),
    /// `{"arrayValue": {"values": […]}}`.
    ArrayValue(ArrayValue),
    /// `{"kvlistValue": {"values": [{key, value}]}}`.
    KvlistValue(KeyValueList),
    /// `{"bytesValue": "<base64>"}`.
    BytesValue(String),
}

/// The values of an array attribute.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ArrayValue {
    /// The elements.
    #[serde(default)]
    pub values: Vec<AnyValue>,
}

/// The members of a key-value-list attribute.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KeyValueList {
    /// The members.
    #[serde(default)]
    pub values: Vec<KeyValue>,
}

impl AnyValue {
    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::StringValue(text) => Some(text),
            _ => None,
        }
    }

    /// An integer value (from `intValue`, or a `doubleValue` that is whole).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::IntValue(n) => Some(*n),
            Self::DoubleValue(x) if x.fract() == 0.0 && x.is_finite() => {
                // Whole and finite: the conversion saturates at the i64 range.
                Some(*x as i64)
            }
            _ => None,
        }
    }

    /// A number (from `intValue` or `doubleValue`).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::IntValue(n) => Some(*n as f64),
            Self::DoubleValue(x) => Some(*x),
            _ => None,
        }
    }

    /// The value as text for people: strings as they are, numbers and booleans printed.
    pub fn to_text(&self) -> String {
        match self {
            Self::StringValue(text) | Self::BytesValue(text) => text.clone(),
            Self::BoolValue(b) => b.to_string(),
            Self::IntValue(n) => n.to_string(),
            Self::DoubleValue(x) => x.to_string(),
            Self::ArrayValue(array) => array
                .values
                .iter()
                .map(Self::to_text)
                .collect::<Vec<_>>()
                .join(", "),
            Self::KvlistValue(list) => list
                .values
                .iter()
                .map(|kv| format!("{}={}", kv.key, kv.value.to_text()))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// An attribute: `{"key": "…", "value": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyValue {
    /// The attribute name.
    pub key: String,
    /// Its value.
    pub value: AnyValue,
}

impl KeyValue {
    /// A string attribute.
    pub fn string(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: AnyValue::StringValue(value.into()),
        }
    }

    /// An integer attribute.
    pub fn int(key: impl Into<String>, value: i64) -> Self {
        Self {
            key: key.into(),
            value: AnyValue::IntValue(value),
        }
    }

    /// A floating-point attribute.
    pub fn double(key: impl Into<String>, value: f64) -> Self {
        Self {
            key: key.into(),
            value: AnyValue::DoubleValue(value),
        }
    }

    /// A boolean attribute.
    pub fn bool(key: impl Into<String>, value: bool) -> Self {
        Self {
            key: key.into(),
            value: AnyValue::BoolValue(value),
        }
    }
}

/// Looks up an attribute by name.
pub(crate) fn attribute<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a AnyValue> {
    attributes
        .iter()
        .find(|attribute| attribute.key == key)
        .map(|attribute| &attribute.value)
}

/// What produced the data (`Resource`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Resource {
    /// Its attributes, such as `sap.cloudalm.serviceId`.
    #[serde(default)]
    pub attributes: Vec<KeyValue>,
}

impl Resource {
    /// The value of an attribute.
    pub fn attribute(&self, key: &str) -> Option<&AnyValue> {
        attribute(&self.attributes, key)
    }
}

/// The instrumentation scope (`InstrumentationScope`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InstrumentationScope {
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Nanoseconds since the Unix epoch, as OTLP's `timeUnixNano` wants them (0 before 1970).
pub fn unix_nanos(at: Timestamp) -> u64 {
    u64::try_from(at.as_nanosecond()).unwrap_or(0)
}

/// int64 written as a string, read from a string or a number.
pub(crate) mod int64 {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Number(i64),
            Text(String),
        }
        match Either::deserialize(deserializer)? {
            Either::Number(n) => Ok(n),
            Either::Text(text) => text
                .parse()
                .map_err(|_| de::Error::custom("expected an int64 as a string of digits")),
        }
    }
}

/// An optional int64 written as a string.
pub(crate) mod opt_int64 {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<i64>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.collect_str(value),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "int64")] i64);
        Ok(Option::<Wrapped>::deserialize(deserializer)?.map(|Wrapped(n)| n))
    }
}

/// fixed64 nanoseconds written as a string, read from a string or a number.
pub(crate) mod nanos {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Number(u64),
            Text(String),
        }
        match Either::deserialize(deserializer)? {
            Either::Number(n) => Ok(n),
            Either::Text(text) => text.parse().map_err(|_| {
                de::Error::custom("expected nanoseconds since 1970 as a string of digits")
            }),
        }
    }
}

/// Whether a nanosecond field is unset (0), so it is left out.
pub(crate) fn is_zero(value: &u64) -> bool {
    *value == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_written_in_the_otlp_json_mapping() {
        let attributes = vec![
            KeyValue::string("jobType", "IPS_PROVISIONING_JOB"),
            KeyValue::int("created", 12),
            KeyValue::double("runTimeSeconds", 873.5),
            KeyValue::bool("dev", false),
        ];
        assert_eq!(
            serde_json::to_value(&attributes).unwrap(),
            json!([
                {"key": "jobType", "value": {"stringValue": "IPS_PROVISIONING_JOB"}},
                {"key": "created", "value": {"intValue": "12"}},
                {"key": "runTimeSeconds", "value": {"doubleValue": 873.5}},
                {"key": "dev", "value": {"boolValue": false}}
            ])
        );
    }

    #[test]
    fn integers_are_read_from_strings_or_numbers() {
        let read: Vec<KeyValue> = serde_json::from_value(json!([
            {"key": "a", "value": {"intValue": "7"}},
            {"key": "b", "value": {"intValue": 8}},
            {"key": "c", "value": {"arrayValue": {"values": [{"stringValue": "x"}]}}}
        ]))
        .unwrap();
        assert_eq!(read[0].value.as_i64(), Some(7));
        assert_eq!(read[1].value.as_i64(), Some(8));
        assert_eq!(read[2].value.to_text(), "x");
        assert!(serde_json::from_value::<AnyValue>(json!({"intValue": "seven"})).is_err());
    }

    #[test]
    fn times_before_1970_are_zero() {
        assert_eq!(unix_nanos("1969-12-31T23:59:59Z".parse().unwrap()), 0);
        assert_eq!(
            unix_nanos("2024-06-10T06:13:20Z".parse().unwrap()),
            1_718_000_000_000_000_000
        );
    }
}
