//! From options to a rustls configuration and a reqwest client, with ring passed explicitly.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject;

use super::options::{ClientIdentity, HttpsOptions};
use super::roots;
use super::trust_all::AcceptAnyServer;

/// Why an HTTPS client could not be built. Never holds key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpsError {
    /// A PEM bundle of trusted certificates, or a client certificate, is unusable.
    #[error("{name}: {reason}")]
    Pem {
        /// Where the PEM came from.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The private key of a client certificate is unusable.
    #[error("the private key of the client certificate {name}: {reason}")]
    PrivateKey {
        /// Where the certificate came from.
        name: String,
        /// What is wrong with the key (never its content).
        reason: String,
    },
    /// Nothing would be trusted: no system roots and no extra bundle.
    #[error(
        "no trusted certificates: the system trust store is empty or switched off and no CA \
         bundle was given; pass one with --ca-cert FILE or SSL_CERT_FILE=FILE"
    )]
    NoTrustAnchors,
    /// rustls or reqwest refused the configuration.
    #[error("the HTTPS client cannot be set up: {0}")]
    Setup(String),
}

/// The one crypto provider of sapland's outbound connections.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The rustls client configuration for `options`: ring, the trust rule, the client
/// certificate, and ALPN for HTTP/2 and HTTP/1.1.
pub fn tls_config(options: &HttpsOptions) -> Result<ClientConfig, HttpsError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|err| HttpsError::Setup(err.to_string()))?;
    let builder = if options.trust_all {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyServer::new(provider)))
    } else {
        builder.with_root_certificates(roots::store(options.system_roots, &options.extra_roots)?)
    };
    let mut config = match &options.identity {
        None => builder.with_no_client_auth(),
        Some(identity) => {
            let (chain, key) = identity_parts(identity)?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|err| HttpsError::PrivateKey {
                    name: identity.certificate.name.clone(),
                    reason: format!("does not fit the certificate: {err}"),
                })?
        }
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

fn identity_parts(
    identity: &ClientIdentity,
) -> Result<
    (
        Vec<rustls::pki_types::CertificateDer<'static>>,
        PrivateKeyDer<'static>,
    ),
    HttpsError,
> {
    let chain = roots::certificates(&identity.certificate)?;
    let key = PrivateKeyDer::from_pem_slice(identity.private_key.expose()).map_err(|err| {
        HttpsError::PrivateKey {
            name: identity.certificate.name.clone(),
            reason: match err {
                rustls::pki_types::pem::Error::NoItemsFound => {
                    "no private key found (expected PKCS#8, PKCS#1 or SEC1 PEM)".into()
                }
                other => roots::pem_problem(&other),
            },
        }
    })?;
    Ok((chain, key))
}

/// A reqwest builder with the TLS configuration and timeouts of `options`, for callers that
/// add more (default headers, redirects).
pub fn client_builder(options: &HttpsOptions) -> Result<reqwest::ClientBuilder, HttpsError> {
    let mut builder = reqwest::Client::builder().tls_backend_preconfigured(tls_config(options)?);
    if let Some(timeout) = options.connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(timeout) = options.timeout {
        builder = builder.timeout(timeout);
    }
    Ok(builder)
}

/// An HTTPS client for `options`.
pub fn build(options: &HttpsOptions) -> Result<reqwest::Client, HttpsError> {
    client_builder(options)?
        .build()
        .map_err(|err| HttpsError::Setup(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::https::{PemSource, PrivateKeyPem};

    /// No process-wide provider is installed in this test binary: building must not need one.
    #[test]
    fn a_client_builds_without_a_process_wide_crypto_provider() {
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
        build(&HttpsOptions::default()).unwrap();
        build(&HttpsOptions {
            trust_all: true,
            system_roots: false,
            ..HttpsOptions::default()
        })
        .unwrap();
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    }

    #[test]
    fn nothing_to_trust_is_an_error_with_the_fix() {
        let error = build(&HttpsOptions {
            system_roots: false,
            ..HttpsOptions::default()
        })
        .unwrap_err();
        assert_eq!(error, HttpsError::NoTrustAnchors);
        assert!(
            error
                .to_string()
                .contains("--ca-cert FILE or SSL_CERT_FILE")
        );
    }

    #[test]
    fn a_bundle_without_certificates_says_so() {
        let error = build(&HttpsOptions {
            extra_roots: vec![PemSource::new("--ca-cert notes.txt", "just text\n")],
            ..HttpsOptions::default()
        })
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "--ca-cert notes.txt: holds no certificate (expected -----BEGIN CERTIFICATE-----)"
        );
    }

    const KEY_TEXT: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSECRETSECRET";

    #[test]
    fn a_broken_private_key_is_reported_without_its_content() {
        let certificate = PemSource::new(
            "agent.pem",
            "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
        );
        for key in [
            format!("-----BEGIN PRIVATE KEY-----\n{KEY_TEXT}%\n-----END PRIVATE KEY-----\n"),
            format!("-----BEGIN PRIVATE KEY-----\n{KEY_TEXT}\n"),
            KEY_TEXT.to_string(),
        ] {
            let options = HttpsOptions {
                identity: Some(ClientIdentity {
                    certificate: certificate.clone(),
                    private_key: PrivateKeyPem::new(key.clone()),
                }),
                ..HttpsOptions::default()
            };
            let error = tls_config(&options).unwrap_err();
            let shown = format!("{error} {error:?} {options:?}");
            assert!(!shown.contains("SECRET"), "{shown}");
            assert!(
                matches!(error, HttpsError::PrivateKey { .. }),
                "{error:?} for {key:?}"
            );
            assert!(error.to_string().contains("agent.pem"), "{error}");
        }
    }
}
