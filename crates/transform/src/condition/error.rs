//! The error of parsing or evaluating a condition.

use crate::path::scan::{SyntaxError, char_offset};

/// A condition that could not be parsed (or, rarely, evaluated: a regex that exceeds the
/// backtracking limit).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {position}: {message}")]
pub struct ConditionError {
    /// 0-based character offset into the condition text where the problem was found.
    pub position: usize,
    /// What was wrong and what was expected.
    pub message: String,
}

impl ConditionError {
    pub(crate) fn from_syntax(text: &str, err: SyntaxError) -> Self {
        Self {
            position: char_offset(text, err.pos),
            message: err.message,
        }
    }
}
