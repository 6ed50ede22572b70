//! A problem found while resolving a system, with where it is.

use std::fmt;

use serde::Serialize;

use crate::json::JsonPath;

/// Where a problem was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum Location {
    /// In the export, at a JSON path (line and column are 0 when unknown).
    Export {
        /// The JSON path of the value.
        #[serde(serialize_with = "as_display")]
        path: JsonPath,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// In the credentials of a system (secrets file or environment).
    Secrets {
        /// The system name.
        system: String,
        /// The credential property.
        property: String,
    },
}

fn as_display<S: serde::Serializer>(path: &JsonPath, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(path)
}

/// Something wrong with a system's configuration, or worth a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where it is.
    pub location: Location,
    /// What is wrong and what is expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::Export { path, line, column } if *line > 0 => {
                write!(
                    f,
                    "line {line}, column {column}, at {path}: {}",
                    self.message
                )
            }
            Location::Export { path, .. } => write!(f, "at {path}: {}", self.message),
            Location::Secrets { .. } => f.write_str(&self.message),
        }
    }
}
