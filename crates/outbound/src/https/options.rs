//! What an HTTPS client trusts and presents.

use std::fmt;
use std::time::Duration;

/// The warning to print when a system sets IPS's `TrustAll=true`.
pub const TRUST_ALL_WARNING: &str = "TrustAll=true: the server certificate is not verified, so \
anyone between sapland and the server can read and change the traffic (SAP's BTP-IPS-0007 \
recommends false); trust the server's CA with --ca-cert FILE or SSL_CERT_FILE instead";

/// PEM text and where it came from, so an error can name it (`--ca-cert /etc/ca.pem`,
/// `SSL_CERT_FILE=/etc/ca.pem`, `landscape CA`).
#[derive(Clone, PartialEq, Eq)]
pub struct PemSource {
    /// Where the PEM text came from, as people should read it in an error.
    pub name: String,
    /// The PEM text.
    pub pem: Vec<u8>,
}

impl PemSource {
    /// PEM text named by its origin.
    pub fn new(name: impl Into<String>, pem: impl Into<Vec<u8>>) -> Self {
        Self {
            name: name.into(),
            pem: pem.into(),
        }
    }
}

impl fmt::Debug for PemSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PemSource")
            .field("name", &self.name)
            .field("bytes", &self.pem.len())
            .finish()
    }
}

/// A PEM private key. `Debug` prints `****`; it never appears in an error.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKeyPem(Vec<u8>);

impl PrivateKeyPem {
    /// Wraps PEM text holding one private key (PKCS#8, PKCS#1 or SEC1).
    pub fn new(pem: impl Into<Vec<u8>>) -> Self {
        Self(pem.into())
    }

    /// The PEM text, for the one place that loads it.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for PrivateKeyPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

/// A client certificate (with its chain, leaf first) and its private key, for mTLS: IPS's
/// `ClientCertificateAuthentication`, or OAuth with a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIdentity {
    /// The certificate chain, leaf first.
    pub certificate: PemSource,
    /// The private key of the leaf certificate.
    pub private_key: PrivateKeyPem,
}

/// How to build an HTTPS client.
///
/// The defaults: system roots on, no extra roots, certificates verified, no client
/// certificate, 30 s to connect and 60 s for a whole exchange (**proposed**: IPS does not
/// publish its timeouts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsOptions {
    /// CA certificates trusted besides the system roots: the bundle from `--ca-cert FILE` or
    /// `SSL_CERT_FILE`, read by the caller.
    pub extra_roots: Vec<PemSource>,
    /// Whether the platform's trust store counts (default true).
    pub system_roots: bool,
    /// IPS's `TrustAll=true`: accept any server certificate. Honoured; print
    /// [`HttpsOptions::warning`] when it is set.
    pub trust_all: bool,
    /// The client certificate to present (mTLS).
    pub identity: Option<ClientIdentity>,
    /// How long to wait for a connection (TCP and TLS handshake).
    pub connect_timeout: Option<Duration>,
    /// How long a whole exchange may take, from sending to the end of the answer.
    pub timeout: Option<Duration>,
}

impl Default for HttpsOptions {
    fn default() -> Self {
        Self {
            extra_roots: Vec::new(),
            system_roots: true,
            trust_all: false,
            identity: None,
            connect_timeout: Some(Duration::from_secs(30)),
            timeout: Some(Duration::from_secs(60)),
        }
    }
}

impl HttpsOptions {
    /// The text to show the user when these options weaken security (`TrustAll`).
    pub fn warning(&self) -> Option<&'static str> {
        self.trust_all.then_some(TRUST_ALL_WARNING)
    }
}
