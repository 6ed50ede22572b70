//! One error type for every operation. Its text is one line fit for a job log, starting the way
//! IPS logs target errors (`409, uniqueness: …`, [DOC] `reference/ips-ias.md` §2.4), followed by
//! the method, the URL path and, after retries, how many tries were made. It never holds a
//! secret or a query string (filters may hold personal data, token requests credentials).

use std::fmt;

use sapland_core::scim::ScimType;
use sapland_outbound::https::TransportError;

/// A failed operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// What went wrong.
    pub kind: Box<ErrorKind>,
    /// The HTTP method.
    pub method: String,
    /// The URL path (no query).
    pub path: String,
    /// How many times the request was sent (0 when it was refused before sending).
    pub attempts: u32,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// 404: the resource does not exist (for a delete: it is already gone).
    NotFound {
        /// The service's text, such as `User <id> not found`.
        detail: Option<String>,
    },
    /// Any other HTTP error answer.
    Status {
        /// The HTTP status.
        status: u16,
        /// The SCIM error keyword (`uniqueness`, `invalidFilter`, …).
        scim_type: Option<ScimType>,
        /// The service's explanation.
        detail: Option<String>,
        /// IAS v1's `X-message-code` header ([DOC] §3.3).
        message_code: Option<String>,
    },
    /// No HTTP answer: TLS, connection, timeout.
    Transport(TransportError),
    /// No token from the OAuth token endpoint.
    Token {
        /// The token endpoint's status, when it answered.
        status: Option<u16>,
        /// Its error code and description (RFC 6749 §5.2), or the transport problem.
        reason: String,
    },
    /// An answer sapland cannot read (not JSON, no `id`, a cursor that does not advance).
    InvalidResponse {
        /// The HTTP status of the answer.
        status: u16,
        /// What is wrong with it.
        reason: String,
    },
    /// The request cannot be made: the dialect has no such operation, or the input is not
    /// valid.
    InvalidRequest {
        /// Why.
        reason: String,
    },
}

impl Error {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self.kind.as_ref() {
            ErrorKind::NotFound { .. } => Some(404),
            ErrorKind::Status { status, .. } | ErrorKind::InvalidResponse { status, .. } => {
                Some(*status)
            }
            ErrorKind::Token { status, .. } => *status,
            ErrorKind::Transport(_) | ErrorKind::InvalidRequest { .. } => None,
        }
    }

    /// Whether the resource does not exist (404).
    pub fn is_not_found(&self) -> bool {
        matches!(*self.kind, ErrorKind::NotFound { .. })
    }

    /// Whether the service reported a conflict with an existing resource (409; IPS then
    /// resolves the existing entity by its unique attributes, §2.4).
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// The SCIM `scimType` keyword, when the service sent one.
    pub fn scim_type(&self) -> Option<&ScimType> {
        match self.kind.as_ref() {
            ErrorKind::Status { scim_type, .. } => scim_type.as_ref(),
            _ => None,
        }
    }

    /// The service's explanation, when it sent one.
    pub fn detail(&self) -> Option<&str> {
        match self.kind.as_ref() {
            ErrorKind::NotFound { detail } | ErrorKind::Status { detail, .. } => detail.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound { detail } => {
                f.write_str("404")?;
                if let Some(detail) = detail {
                    write!(f, ": {detail}")?;
                }
                Ok(())
            }
            Self::Status {
                status,
                scim_type,
                detail,
                message_code,
            } => {
                write!(f, "{status}")?;
                if let Some(kind) = scim_type {
                    write!(f, ", {kind}")?;
                }
                if let Some(code) = message_code {
                    write!(f, " ({code})")?;
                }
                if let Some(detail) = detail {
                    write!(f, ": {detail}")?;
                }
                Ok(())
            }
            Self::Transport(error) => write!(f, "{error}"),
            Self::Token { status, reason } => match status {
                Some(status) => write!(f, "OAuth request failed with status: {status}, {reason}"),
                None => write!(f, "OAuth request failed: {reason}"),
            },
            Self::InvalidResponse { status, reason } => {
                write!(f, "{status}: unexpected answer: {reason}")
            }
            Self::InvalidRequest { reason } => f.write_str(reason),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {}", self.kind, self.method, self.path)?;
        if self.attempts > 1 {
            write!(f, ", gave up after {} attempts", self.attempts)?;
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [DOC] §2.4: IPS logs a uniqueness conflict as `409, uniqueness`.
    #[test]
    fn the_text_starts_the_way_ips_logs_it() {
        let error = Error {
            kind: Box::new(ErrorKind::Status {
                status: 409,
                scim_type: Some(ScimType::Uniqueness),
                detail: Some("User does not fulfill the uniqueness criteria for userName".into()),
                message_code: None,
            }),
            method: "POST".into(),
            path: "/scim/Users".into(),
            attempts: 1,
        };
        assert_eq!(
            error.to_string(),
            "409, uniqueness: User does not fulfill the uniqueness criteria for userName (POST /scim/Users)"
        );
        assert!(error.is_conflict());
        let exhausted = Error {
            kind: Box::new(ErrorKind::Status {
                status: 429,
                scim_type: None,
                detail: Some("Too Many Requests".into()),
                message_code: None,
            }),
            attempts: 3,
            ..error
        };
        assert_eq!(
            exhausted.to_string(),
            "429: Too Many Requests (POST /scim/Users, gave up after 3 attempts)"
        );
    }

    /// [DOC] §2.6: target credential errors read `OAuth request failed with status: 401 …`.
    #[test]
    fn token_errors_read_like_ips_job_logs() {
        let kind = ErrorKind::Token {
            status: Some(401),
            reason: "invalid_client: client authentication failed".into(),
        };
        assert_eq!(
            kind.to_string(),
            "OAuth request failed with status: 401, invalid_client: client authentication failed"
        );
    }
}
