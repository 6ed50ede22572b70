//! The SCIM error message; IAS sends `status` as a string, as RFC 7644 §3.12 says.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// An error response body (RFC 7644 §3.12), such as IAS's
/// `{"schemas":[…Error],"status":"404","detail":"User <id> not found"}`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimError {
    /// `urn:ietf:params:scim:api:messages:2.0:Error`.
    #[serde(default)]
    pub schemas: Vec<String>,
    /// The HTTP status code. Sent as a string; a number is accepted on input.
    #[serde(deserialize_with = "status_from_string_or_number")]
    pub status: String,
    /// The SCIM error keyword for 400 and 409 responses.
    pub scim_type: Option<ScimType>,
    /// A human-readable explanation.
    pub detail: Option<String>,
}

impl ScimError {
    /// An error with the given HTTP status and detail text.
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        Self {
            schemas: vec![super::schemas::ERROR.to_string()],
            status: status.to_string(),
            scim_type: None,
            detail: Some(detail.into()),
        }
    }

    /// This error with a `scimType` keyword.
    pub fn with_type(mut self, scim_type: ScimType) -> Self {
        self.scim_type = Some(scim_type);
        self
    }

    /// The status as a number, when it is one.
    pub fn status_code(&self) -> Option<u16> {
        self.status.parse().ok()
    }
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        if let Some(kind) = &self.scim_type {
            write!(f, ", {kind}")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

fn status_from_string_or_number<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an HTTP status code as a string or a number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    de.deserialize_any(Visitor)
}

/// The `scimType` keywords of RFC 7644 Table 9; other values are kept as they came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum ScimType {
    /// The filter syntax was invalid.
    InvalidFilter,
    /// Too many results.
    TooMany,
    /// A value is not unique (IPS logs this as `409, uniqueness`).
    Uniqueness,
    /// An attempt to change an immutable attribute.
    Mutability,
    /// The request body was not valid.
    InvalidSyntax,
    /// The PATCH path was invalid.
    InvalidPath,
    /// The PATCH path matched nothing.
    NoTarget,
    /// A value was invalid.
    InvalidValue,
    /// The SCIM version is not supported.
    InvalidVers,
    /// Sensitive information in the request URI.
    Sensitive,
    /// A keyword this list does not know.
    Other(String),
}

impl ScimType {
    /// The keyword as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::TooMany => "tooMany",
            Self::Uniqueness => "uniqueness",
            Self::Mutability => "mutability",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::NoTarget => "noTarget",
            Self::InvalidValue => "invalidValue",
            Self::InvalidVers => "invalidVers",
            Self::Sensitive => "sensitive",
            Self::Other(other) => other,
        }
    }
}

impl From<String> for ScimType {
    fn from(value: String) -> Self {
        match value.as_str() {
            "invalidFilter" => Self::InvalidFilter,
            "tooMany" => Self::TooMany,
            "uniqueness" => Self::Uniqueness,
            "mutability" => Self::Mutability,
            "invalidSyntax" => Self::InvalidSyntax,
            "invalidPath" => Self::InvalidPath,
            "noTarget" => Self::NoTarget,
            "invalidValue" => Self::InvalidValue,
            "invalidVers" => Self::InvalidVers,
            "sensitive" => Self::Sensitive,
            _ => Self::Other(value),
        }
    }
}

impl From<ScimType> for String {
    fn from(value: ScimType) -> Self {
        value.as_str().to_string()
    }
}

impl fmt::Display for ScimType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
