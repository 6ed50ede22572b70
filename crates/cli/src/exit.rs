//! Exit codes and the errors a user can act on.

/// The process exit code, as DESIGN.md fixes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExitCode(u8);

impl ExitCode {
    /// The command did what was asked.
    pub const SUCCESS: Self = Self(0);
    /// The operation ran and failed (a job with errors, a non-compliant check).
    pub const FAILED: Self = Self(1);
    /// Bad input or usage; the message names the file, field and position.
    pub const BAD_INPUT: Self = Self(2);
    /// An outside system refused or could not be reached.
    pub const OUTSIDE: Self = Self(3);

    /// The numeric code.
    pub fn as_u8(self) -> u8 {
        self.0
    }
}

/// An expected error: something the user can fix, with the exit code that classifies it.
/// Internal bugs are not `UserError`s; they panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError {
    /// The exit code.
    pub code: ExitCode,
    /// What went wrong, where, and what was expected. Never holds a secret.
    pub message: String,
}

impl UserError {
    /// An end with `code` and nothing to say (the message is empty and is not printed).
    pub fn quiet(code: ExitCode) -> Self {
        Self {
            code,
            message: String::new(),
        }
    }

    /// Bad input: exit code 2.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self {
            code: ExitCode::BAD_INPUT,
            message: message.into(),
        }
    }

    /// A file that is not the JSON document it should be: `<file>:<line>:<column>: not <what>
    /// at <JSON path>: <problem>` (exit code 2).
    pub(crate) fn not_json(shown: &str, what: &str, err: &sapland_core::json::JsonError) -> Self {
        let at = if err.path.is_root() {
            String::new()
        } else {
            format!(" at {}", err.path)
        };
        Self::bad_input(format!(
            "{shown}:{}:{}: not {what}{at}: {}",
            err.line, err.column, err.message
        ))
    }
}
