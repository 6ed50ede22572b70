//! The rustls server configuration a TLS listener serves with: a certificate chain and its key,
//! ALPN `h2` and `http/1.1`, TLS 1.2 and 1.3, and optionally client certificates verified against
//! the CAs a caller names.
//!
//! The crypto provider is always ring, passed explicitly; nothing here relies on (or installs) a
//! process-wide default provider. Where the certificates come from (files, a test CA) is the
//! caller's business.

use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use sapland_core::scim::Secret;

/// What a private-key PEM must hold.
const EXPECTED_KEY: &str = "a PEM private key (PKCS#8, PKCS#1 or SEC1)";
/// What a certificate PEM must hold.
const EXPECTED_CERT: &str = "one or more PEM certificates";

/// A certificate chain and private key.
#[derive(Clone, Debug)]
pub struct Identity {
    /// The certificate chain, PEM, leaf first.
    pub cert_pem: String,
    /// The private key, PEM (PKCS#8, PKCS#1 or SEC1).
    pub key_pem: Secret,
    /// The subject of the leaf certificate, e.g. `CN=agent`.
    pub subject: String,
}

impl Identity {
    /// The certificate chain followed by the private key, the bundle HTTP clients take as a
    /// client identity (for example `reqwest::Identity::from_pem`).
    pub fn pem_bundle(&self) -> Secret {
        let mut bundle = self.cert_pem.clone();
        if !bundle.ends_with('\n') {
            bundle.push('\n');
        }
        bundle.push_str(self.key_pem.expose());
        Secret::new(bundle)
    }
}

/// Whether and whom a server asks for client certificates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// No client certificates are asked for.
    #[default]
    Off,
    /// Client certificates are verified against these CA PEMs when the client offers one;
    /// connections without a certificate are still accepted. A certificate that does not verify
    /// fails the handshake.
    Optional {
        /// The CA certificates (PEM; each entry may hold several) a client certificate must chain
        /// to.
        trusted_ca_pems: Vec<String>,
    },
}

/// A rustls server configuration for `identity`, with ALPN `h2` and `http/1.1`, TLS 1.2 and 1.3,
/// and the ring crypto provider.
pub fn server_config(
    identity: &Identity,
    client_auth: &ClientAuth,
) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = parse_certificates(&identity.cert_pem, "the server certificate chain")?;
    // The parser's message is not passed on: it could quote part of the key.
    let key =
        PrivateKeyDer::from_pem_slice(identity.key_pem.expose().as_bytes()).map_err(|_| {
            TlsError::Pem {
                what: "the server private key".to_owned(),
                expected: EXPECTED_KEY,
            }
        })?;
    let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| TlsError::config("choose the TLS protocol versions", error))?;
    let builder = match client_auth {
        ClientAuth::Off => builder.with_no_client_auth(),
        ClientAuth::Optional { trusted_ca_pems } => {
            let mut roots = RootCertStore::empty();
            for (index, pem) in trusted_ca_pems.iter().enumerate() {
                let what = format!("trusted CA #{}", index + 1);
                for der in parse_certificates(pem, &what)? {
                    roots
                        .add(der)
                        .map_err(|error| TlsError::config("trust a client CA", error))?;
                }
            }
            if roots.is_empty() {
                return Err(TlsError::Pem {
                    what: "the trusted CAs for client certificates".to_owned(),
                    expected: "at least one PEM certificate",
                });
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .allow_unauthenticated()
                .build()
                .map_err(|error| TlsError::Verifier {
                    message: error.to_string(),
                })?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let mut config = builder
        .with_single_cert(chain, key)
        .map_err(|error| TlsError::config("use the server certificate and key", error))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Why a TLS server configuration could not be made. Messages name the PEM text or the step;
/// none carries key material.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// PEM text handed in does not hold what it should.
    #[error("{what}: expected {expected}")]
    Pem {
        /// Which PEM text, e.g. `the server certificate chain`.
        what: String,
        /// What it should hold.
        expected: &'static str,
    },
    /// rustls refused part of the configuration.
    #[error("cannot {step}: {message}")]
    Config {
        /// The step that failed.
        step: &'static str,
        /// rustls's message.
        message: String,
    },
    /// The client-certificate verifier could not be built.
    #[error("cannot build the client-certificate verifier: {message}")]
    Verifier {
        /// rustls's message.
        message: String,
    },
}

impl TlsError {
    fn config(step: &'static str, error: rustls::Error) -> Self {
        Self::Config {
            step,
            message: error.to_string(),
        }
    }
}

fn parse_certificates(pem: &str, what: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let invalid = || TlsError::Pem {
        what: what.to_owned(),
        expected: EXPECTED_CERT,
    };
    let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| invalid())?;
    if certificates.is_empty() {
        return Err(invalid());
    }
    Ok(certificates)
}
