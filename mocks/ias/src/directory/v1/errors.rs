//! The SCIM errors v1 answers with that are its own: 400 `invalidValue` and `invalidFilter`,
//! 404 for a group (a user's 404 is the v2 one).

use sapland_core::scim::{ScimError, ScimType};

use crate::directory::scim_error;

/// 400 `invalidValue` with `detail`.
pub(super) fn bad_value(detail: impl Into<String>) -> ScimError {
    scim_error(400, Some(ScimType::InvalidValue), detail)
}

/// 400 `invalidFilter` with `detail`.
pub(super) fn invalid_filter(detail: impl Into<String>) -> ScimError {
    scim_error(400, Some(ScimType::InvalidFilter), detail)
}

/// As v2: `"Group <id> not found"` ([REC]).
pub(super) fn group_not_found(id: &str) -> ScimError {
    scim_error(404, None, format!("Group {id} not found"))
}
