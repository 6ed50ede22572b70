//! Why a request got no HTTP answer, in words for a job log, with the fix where there is one.

use std::error::Error as StdError;
use std::fmt;

use rustls::{AlertDescription, CertificateError};

/// A request that ended without an HTTP answer. Built from a [`reqwest::Error`] with
/// [`TransportError::from_reqwest`]; holds no secret (reqwest errors carry the URL, which the
/// texts here leave out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// The server's certificate is not trusted or not valid for the host.
    UntrustedCertificate {
        /// What rustls found wrong.
        reason: String,
    },
    /// The server refused the TLS handshake, typically because it wants a client certificate
    /// or does not accept the one presented.
    HandshakeRefused {
        /// The TLS alert or rustls message.
        reason: String,
    },
    /// No connection or answer within the configured time.
    Timeout,
    /// The connection could not be made or broke before a complete answer.
    Connection {
        /// The innermost cause.
        reason: String,
    },
    /// Anything else reqwest reports.
    Other {
        /// reqwest's text.
        reason: String,
    },
}

impl TransportError {
    /// Classifies a reqwest error by the rustls and IO errors in its chain.
    pub fn from_reqwest(error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            return Self::Timeout;
        }
        if let Some(tls) = rustls_error(error) {
            return match tls {
                rustls::Error::InvalidCertificate(cert) => Self::UntrustedCertificate {
                    reason: certificate_problem(cert),
                },
                rustls::Error::AlertReceived(alert) => Self::HandshakeRefused {
                    reason: alert_problem(*alert),
                },
                other => Self::HandshakeRefused {
                    reason: other.to_string(),
                },
            };
        }
        if error.is_connect() || error.is_request() || error.is_body() {
            return Self::Connection {
                reason: innermost(error),
            };
        }
        Self::Other {
            reason: without_url(error),
        }
    }

    /// Whether IPS retries the request: only timeouts ([DOC] reference/ips-ias.md §2.5).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UntrustedCertificate { reason } => write!(
                f,
                "the server certificate is not trusted ({reason}); trust the CA that issued it \
                 with --ca-cert FILE or SSL_CERT_FILE=FILE (PEM)"
            ),
            Self::HandshakeRefused { reason } => write!(
                f,
                "the server refused the TLS handshake ({reason}); check the client certificate"
            ),
            Self::Timeout => f.write_str("timeout: no answer in time"),
            Self::Connection { reason } => write!(f, "connection failed: {reason}"),
            Self::Other { reason } => f.write_str(reason),
        }
    }
}

impl std::error::Error for TransportError {}

/// The text of a reqwest error without its URL, which may carry query values.
fn without_url(error: &reqwest::Error) -> String {
    let text = error.to_string();
    match error.url() {
        Some(url) => text.replace(url.as_str(), "<url>"),
        None => text,
    }
}

/// Every link of an error chain. `std::io::Error::source` skips the error it wraps (rustls
/// errors travel inside IO errors, sometimes two deep), so IO errors are looked into.
fn links<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&current| {
        match current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => current.source(),
        }
    })
}

/// The rustls error in a chain.
fn rustls_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    links(error).find_map(|link| link.downcast_ref::<rustls::Error>())
}

/// The innermost message of a chain (the most specific cause).
fn innermost(error: &(dyn StdError + 'static)) -> String {
    links(error)
        .last()
        .map_or_else(String::new, |link| link.to_string())
}

fn certificate_problem(error: &CertificateError) -> String {
    match error {
        CertificateError::UnknownIssuer => "issued by an unknown certificate authority".into(),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => "expired".into(),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "not valid yet".into()
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "not issued for this host name".into()
        }
        CertificateError::Revoked => "revoked".into(),
        CertificateError::BadSignature => "its signature is invalid".into(),
        other => format!("{other:?}"),
    }
}

fn alert_problem(alert: AlertDescription) -> String {
    match alert {
        AlertDescription::CertificateRequired => "the server requires a client certificate".into(),
        AlertDescription::BadCertificate
        | AlertDescription::UnknownCA
        | AlertDescription::CertificateUnknown
        | AlertDescription::UnsupportedCertificate => {
            format!("the server does not accept the client certificate: {alert:?}")
        }
        other => format!("alert {other:?}"),
    }
}
