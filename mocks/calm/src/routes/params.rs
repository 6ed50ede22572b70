//! Query parameters as sent: decoded pairs in order, the first of a repeated name counting.

use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};

use super::respond::ApiError;
use crate::period::{self, Window};

/// The decoded query parameters of a request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// The parameters of a raw query string.
    pub(crate) fn new(query: Option<&str>) -> Self {
        Self(sapland_mock_kit::form::parse(query.unwrap_or("")))
    }

    /// The first value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, when it is not empty.
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    /// The value of `name`; 428 `A required parameter is missing : <name>` without one.
    pub(crate) fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.non_empty(name).ok_or_else(|| ApiError::missing(name))
    }

    /// Every pair, in order.
    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// A non-negative integer parameter; 400 naming it when it is something else.
    pub(crate) fn count(&self, name: &str) -> Result<Option<usize>, ApiError> {
        match self.non_empty(name) {
            None => Ok(None),
            Some(text) => text.trim().parse::<usize>().map(Some).map_err(|_| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!("Invalid {name} {text:?}: expected a non-negative integer"),
                )
            }),
        }
    }
}

impl Params {
    /// The window of `from` and `to` (`YYYYMMDDHHmmss`, UTC) if either is given: `to` defaults
    /// to `now`, `from` to an hour before `to` (**proposed**). A value in another format answers
    /// 400 `From is not of format YYYYMMDDHHmmss` ([OBS] reference §2.1) or its `To` twin.
    pub(crate) fn window_from_to(&self, now: Timestamp) -> Result<Option<Window>, ApiError> {
        let read = |name: &str, label: &str| -> Result<Option<Timestamp>, ApiError> {
            match self.get(name) {
                None => Ok(None),
                Some(text) => period::compact(text.trim()).map(Some).ok_or_else(|| {
                    ApiError::bad_request(format!("{label} is not of format YYYYMMDDHHmmss"))
                }),
            }
        };
        let (from, to) = (read("from", "From")?, read("to", "To")?);
        let window = match (from, to) {
            (None, None) => return Ok(None),
            (Some(from), None) => Window { from, to: now },
            (from, Some(to)) => Window {
                from: from.unwrap_or_else(|| {
                    to.checked_sub(SignedDuration::from_secs(3600))
                        .unwrap_or(to)
                }),
                to,
            },
        };
        if window.from > window.to {
            return Err(ApiError::bad_request("From is after To"));
        }
        Ok(Some(window))
    }
}
