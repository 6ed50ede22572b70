//! One error type for every Cloud ALM call. Its text is one line fit for a log: what went
//! wrong (the HTTP status and the server's message, the token endpoint's refusal, or why there
//! was no answer), then the method and the URL without its query. It never holds a secret.

use std::fmt;

use reqwest::StatusCode;
use sapland_outbound::https::TransportError;
use serde_json::Value;

/// A failed call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// What went wrong.
    pub kind: Box<ErrorKind>,
    /// The HTTP method.
    pub method: String,
    /// The URL without its query.
    pub url: String,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The API answered with an error status.
    Status {
        /// The HTTP status.
        status: u16,
        /// The error code: `error` of the non-OData envelope (`PRECONDITION_REQUIRED`) or
        /// `error.code` of an OData error.
        code: Option<String>,
        /// The server's message (OData details appended), or the reason phrase.
        message: Option<String>,
        /// On 403: the scope the call needs, and whether the token lacks it.
        scope: Option<MissingScope>,
    },
    /// No token: the token endpoint refused, answered something else, or was unreachable.
    Token {
        /// The token endpoint's status, when it answered.
        status: Option<u16>,
        /// Its error code and description (RFC 6749 §5.2), or the transport problem.
        reason: String,
    },
    /// No HTTP answer from the API: TLS, connection, timeout.
    Transport(TransportError),
    /// An answer sapland cannot read.
    InvalidResponse {
        /// The HTTP status of the answer.
        status: u16,
        /// What is wrong with it.
        reason: String,
    },
    /// The request cannot be made from the values given.
    InvalidRequest {
        /// Why.
        reason: String,
    },
}

/// The scope a refused (403) call needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingScope {
    /// The scope, such as `calm-api.landscape.read`.
    pub scope: &'static str,
    /// True when the token's `scope` does not list it; false when the token answer listed no
    /// scopes, so it may or may not be missing. (A 403 although the token lists the scope
    /// carries no `MissingScope`.)
    pub known_missing: bool,
}

impl Error {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self.kind.as_ref() {
            ErrorKind::Status { status, .. } | ErrorKind::InvalidResponse { status, .. } => {
                Some(*status)
            }
            ErrorKind::Token { status, .. } => *status,
            ErrorKind::Transport(_) | ErrorKind::InvalidRequest { .. } => None,
        }
    }

    /// Whether the token could not be obtained.
    pub fn is_token(&self) -> bool {
        matches!(*self.kind, ErrorKind::Token { .. })
    }

    /// Whether there was no HTTP answer (from the API or the token endpoint).
    pub fn is_unreachable(&self) -> bool {
        match self.kind.as_ref() {
            ErrorKind::Transport(_) => true,
            ErrorKind::Token { status, .. } => status.is_none(),
            _ => false,
        }
    }

    /// The scope the service key lacks, when Cloud ALM answered 403 for want of it.
    pub fn missing_scope(&self) -> Option<&'static str> {
        match self.kind.as_ref() {
            ErrorKind::Status {
                scope: Some(missing),
                ..
            } => Some(missing.scope),
            _ => None,
        }
    }

    /// The server's message, when it sent one.
    pub fn message(&self) -> Option<&str> {
        match self.kind.as_ref() {
            ErrorKind::Status { message, .. } => message.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status {
                status,
                code,
                message,
                scope: _,
            } => {
                write!(f, "{status}")?;
                if let Some(code) = code {
                    write!(f, " {code}")?;
                }
                if let Some(message) = message {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Self::Token {
                status: Some(status),
                reason,
            } => write!(f, "token request refused: {status} {reason}"),
            Self::Token {
                status: None,
                reason,
            } => write!(f, "token request failed: {reason}"),
            Self::Transport(error) => write!(f, "{error}"),
            Self::InvalidResponse { status, reason } => {
                write!(f, "{status}: unexpected answer: {reason}")
            }
            Self::InvalidRequest { reason } => f.write_str(reason),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.kind, self.method, self.url)?;
        if let ErrorKind::Status {
            scope: Some(missing),
            message,
            ..
        } = self.kind.as_ref()
        {
            let authority = format!("$XSMASTERAPPNAME.{}", missing.scope);
            if message.as_deref().is_some_and(|m| m.contains(&authority)) {
                // Cloud ALM already said which authority to add.
                return Ok(());
            }
            let verb = if missing.known_missing {
                "lacks"
            } else {
                "may lack"
            };
            write!(
                f,
                "; the service key {verb} the scope {scope}: add $XSMASTERAPPNAME.{scope} to the \
                 authorities of its SAP Cloud ALM API service instance",
                scope = missing.scope
            )?;
        }
        Ok(())
    }
}

/// The longest server message kept, in characters.
const MESSAGE_LIMIT: usize = 300;

/// The code and message of an error answer: the non-OData envelope
/// (`{"status","error","message"}`, **proposed** §2.1), an OData error
/// (`{"error":{"code","message","details"}}`, §2.1), an OAuth error
/// (`{"error","error_description"}`), or the first line of a text body.
pub(crate) fn read_error_body(status: StatusCode, body: &[u8]) -> (Option<String>, Option<String>) {
    let reason = || status.canonical_reason().map(str::to_string);
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        let text = String::from_utf8_lossy(body);
        let line = text.lines().map(str::trim).find(|line| !line.is_empty());
        return (None, line.map(one_line).or_else(reason));
    };
    let text = |value: Option<&Value>| value.and_then(Value::as_str).map(one_line);
    if let Some(odata) = value.get("error").filter(|error| error.is_object()) {
        let mut message = text(odata.get("message"));
        let details: Vec<String> = odata
            .get("details")
            .and_then(Value::as_array)
            .map(|details| {
                details
                    .iter()
                    .filter_map(|detail| text(detail.get("message")))
                    .collect()
            })
            .unwrap_or_default();
        if !details.is_empty() {
            let joined = details.join("; ");
            message = Some(match message {
                Some(message) => one_line(&format!("{message} ({joined})")),
                None => joined,
            });
        }
        return (text(odata.get("code")), message.or_else(reason));
    }
    let message = text(value.get("message"))
        .or_else(|| text(value.get("error_description")))
        .or_else(|| text(value.get("detail")));
    (text(value.get("error")), message.or_else(reason))
}

/// `text` on one line, at most [`MESSAGE_LIMIT`] characters.
pub(crate) fn one_line(text: &str) -> String {
    let joined: String = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if joined.chars().count() > MESSAGE_LIMIT {
        let mut cut: String = joined.chars().take(MESSAGE_LIMIT).collect();
        cut.push('…');
        cut
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OBS §2.1: `428 PRECONDITION_REQUIRED — A required parameter is missing : serviceId`, in
    /// the proposed envelope.
    #[test]
    fn the_non_odata_envelope_gives_code_and_message() {
        let (code, message) = read_error_body(
            StatusCode::PRECONDITION_REQUIRED,
            br#"{"status": 428, "error": "PRECONDITION_REQUIRED", "message": "A required parameter is missing : serviceId"}"#,
        );
        let error = Error {
            kind: Box::new(ErrorKind::Status {
                status: 428,
                code,
                message,
                scope: None,
            }),
            method: "GET".into(),
            url: "https://eu10.alm.cloud.sap/api/calm-logs/v1/logs".into(),
        };
        assert_eq!(
            error.to_string(),
            "428 PRECONDITION_REQUIRED: A required parameter is missing : serviceId (GET https://eu10.alm.cloud.sap/api/calm-logs/v1/logs)"
        );
    }

    #[test]
    fn odata_errors_give_code_message_and_details() {
        let (code, message) = read_error_body(
            StatusCode::BAD_REQUEST,
            br#"{"error":{"code":"400","message":"Unknown provider","details":[{"code":"x","message":"provider NOPE is not known","target":"provider"}]}}"#,
        );
        assert_eq!(code.as_deref(), Some("400"));
        assert_eq!(
            message.as_deref(),
            Some("Unknown provider (provider NOPE is not known)")
        );
    }

    #[test]
    fn text_bodies_give_their_first_line_and_empty_ones_the_reason() {
        assert_eq!(
            read_error_body(StatusCode::BAD_REQUEST, b"\nTime interval > 60 mins\nmore"),
            (None, Some("Time interval > 60 mins".into()))
        );
        assert_eq!(
            read_error_body(StatusCode::BAD_GATEWAY, b""),
            (None, Some("Bad Gateway".into()))
        );
        let long = "x".repeat(400);
        let (_, message) = read_error_body(StatusCode::BAD_REQUEST, long.as_bytes());
        assert_eq!(message.unwrap().chars().count(), MESSAGE_LIMIT + 1);
    }

    #[test]
    fn a_refused_scope_says_what_to_add() {
        let error = Error {
            kind: Box::new(ErrorKind::Status {
                status: 403,
                code: Some("FORBIDDEN".into()),
                message: Some("Insufficient scope".into()),
                scope: Some(MissingScope {
                    scope: "calm-api.landscape.read",
                    known_missing: true,
                }),
            }),
            method: "GET".into(),
            url: "https://t/api/calm-landscape/v1/landscapeObjects".into(),
        };
        assert_eq!(
            error.to_string(),
            "403 FORBIDDEN: Insufficient scope (GET https://t/api/calm-landscape/v1/landscapeObjects); \
             the service key lacks the scope calm-api.landscape.read: add \
             $XSMASTERAPPNAME.calm-api.landscape.read to the authorities of its SAP Cloud ALM API \
             service instance"
        );
        assert_eq!(error.missing_scope(), Some("calm-api.landscape.read"));
    }

    #[test]
    fn a_refusal_that_names_the_authority_is_not_repeated() {
        let message = "Forbidden: the service instance needs the authority \
                       $XSMASTERAPPNAME.calm-api.landscape.read";
        let error = Error {
            kind: Box::new(ErrorKind::Status {
                status: 403,
                code: Some("FORBIDDEN".into()),
                message: Some(message.into()),
                scope: Some(MissingScope {
                    scope: "calm-api.landscape.read",
                    known_missing: true,
                }),
            }),
            method: "GET".into(),
            url: "https://t/api/calm-landscape/v1/landscapeObjects".into(),
        };
        assert_eq!(
            error.to_string(),
            format!(
                "403 FORBIDDEN: {message} (GET https://t/api/calm-landscape/v1/landscapeObjects)"
            )
        );
    }
}
