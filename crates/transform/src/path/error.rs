//! The error of parsing or writing a path.

use super::scan::{SyntaxError, char_offset};

/// A path that could not be parsed, or a write it cannot perform.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {position}: {message}")]
pub struct PathError {
    /// 0-based character offset into the path text where the problem was found.
    pub position: usize,
    /// What was wrong and what was expected.
    pub message: String,
}

impl PathError {
    pub(crate) fn from_syntax(text: &str, err: SyntaxError) -> Self {
        Self {
            position: char_offset(text, err.pos),
            message: err.message,
        }
    }
}
