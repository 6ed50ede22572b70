//! A string that must never be shown: passwords, client secrets, private keys, tokens.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret value. `Debug` and `Display` print `****`; only [`Secret::expose`] reveals it.
///
/// ```
/// use sapland_core::scim::Secret;
///
/// let secret = Secret::new("s3cret");
/// assert_eq!(format!("{secret} {secret:?}"), "**** ****");
/// assert_eq!(secret.expose(), "s3cret");
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that must send it (an HTTP header, a token request).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}
