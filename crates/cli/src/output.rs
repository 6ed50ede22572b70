//! Rendering data for people, and writing it out.

pub(crate) mod table;

use std::io::Write;

use crate::exit::{ExitCode, UserError};

/// Writes `bytes` to the command's output.
pub(crate) fn write(out: &mut dyn Write, bytes: &[u8]) -> Result<(), UserError> {
    out.write_all(bytes).map_err(write_failed)
}

/// What a failed write of the output means. A closed pipe (`sapland … | head`) is the reader
/// having read enough: the command stops quietly with success, as `cat`, `grep` and `rg` do.
/// Any other failure (a full disk) is the operation failing (exit 1), not bad input.
pub(crate) fn write_failed(err: std::io::Error) -> UserError {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        return UserError::quiet(ExitCode::SUCCESS);
    }
    UserError {
        code: ExitCode::FAILED,
        message: format!("cannot write the output: {err}"),
    }
}

/// The same for a JSON serializer writing to the output.
pub(crate) fn json_write_failed(err: serde_json::Error) -> UserError {
    match err.io_error_kind() {
        Some(kind) => write_failed(std::io::Error::from(kind)),
        None => UserError {
            code: ExitCode::FAILED,
            message: format!("cannot write the output: {err}"),
        },
    }
}
