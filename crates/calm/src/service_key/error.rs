//! What is wrong with a service key, said so a person can fix it.

use std::fmt;

use sapland_core::json::JsonPath;

/// A service key that cannot be used: every problem found, in document order. Never holds a
/// secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ServiceKeyError {
    /// The file the key was read from, as the user named it.
    pub file: Option<String>,
    /// The problems; never empty.
    pub problems: Vec<Problem>,
}

/// One problem of a service key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The JSON path of the member, such as `$.uaa.url`.
    pub path: JsonPath,
    /// 1-based line and column of the member (or of the object that lacks it); `None` when
    /// unknown.
    pub position: Option<(usize, usize)>,
    /// What is wrong and what to do.
    pub message: String,
}

impl ServiceKeyError {
    /// The same error naming the file the key came from.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.position {
            write!(f, "line {line}, column {column}, ")?;
        }
        write!(f, "at {}: {}", self.path, self.message)
    }
}

/// One line per problem, each starting with the file when it is known.
impl fmt::Display for ServiceKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            if let Some(file) = &self.file {
                write!(f, "{file}: ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}
