//! The HTTP clients pushes go out with: rustls with ring passed explicitly, so no process-wide
//! crypto provider is needed; the trusted CAs, or the platform's roots when none is configured;
//! the target's client certificate when it authenticates by one; ALPN for HTTP/2 and HTTP/1.1.

use std::sync::{Arc, PoisonError};
use std::time::Duration;

use rustls::pki_types::pem::{PemObject as _, SectionKind};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore};
use sapland_core::scim::Secret;

use super::push::chain;
use super::queue::{Shared, lock};
use super::target::{Authentication, Target};

/// How long one push (or token request) may take.
const PUSH_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting to a target may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// What every client-setup error starts with.
const SETUP: &str = "cannot set up the HTTP client";

/// A client certificate chain and its private key.
pub(super) type ClientIdentity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

impl Shared {
    /// The client for a target: the shared one, or for certificate authentication the target's
    /// own with its identity.
    pub(super) fn client(&self, target: &Target) -> Result<reqwest::Client, String> {
        let key = match target.authentication {
            Authentication::Certificate { .. } => Some(target.id.clone()),
            _ => None,
        };
        let mut clients = lock(&self.clients);
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }
        let roots = {
            let trust = self.trust.read().unwrap_or_else(PoisonError::into_inner);
            if trust.is_empty() {
                platform_roots()?
            } else {
                trusted_roots(&trust)?
            }
        };
        let identity = match &target.authentication {
            Authentication::Certificate {
                certificate_pem,
                key_pem,
            } => Some(
                identity(certificate_pem, key_pem)
                    .ok_or("the target's certificate and key are not a usable identity")?,
            ),
            _ => None,
        };
        let client = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(PUSH_TIMEOUT)
            .tls_backend_preconfigured(tls_config(roots, identity)?)
            .build()
            .map_err(|err| format!("{SETUP}: {}", chain(&err)))?;
        clients.insert(key, client.clone());
        Ok(client)
    }
}

/// The TLS configuration of a push client, as reqwest's own rustls set-up would build it but
/// with ring handed to rustls explicitly: TLS 1.2 and 1.3, `roots` as trust anchors, the
/// client certificate when there is one, and ALPN offering HTTP/2, then HTTP/1.1.
fn tls_config(
    roots: RootCertStore,
    identity: Option<ClientIdentity>,
) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|err| format!("{SETUP}: {err}"))?
        .with_root_certificates(roots);
    let mut config = match identity {
        None => builder.with_no_client_auth(),
        Some((chain, key)) => builder
            .with_client_auth_cert(chain, key)
            .map_err(|err| format!("{SETUP}: the target's certificate and key: {err}"))?,
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The configured CA certificates (PEM bundles) as trust anchors.
fn trusted_roots(trust: &[String]) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    for pem in trust {
        let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| "a trusted CA certificate does not parse".to_string())?;
        for certificate in certificates {
            roots
                .add(certificate)
                .map_err(|err| format!("{SETUP}: a trusted CA certificate: {err}"))?;
        }
    }
    Ok(roots)
}

/// The platform's trusted certificates (on Linux, `SSL_CERT_FILE` and `SSL_CERT_DIR` replace
/// them, as with OpenSSL); certificates that do not parse are left out.
fn platform_roots() -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if roots.is_empty() {
        return Err(format!(
            "{SETUP}: no CA certificates were loaded from the system"
        ));
    }
    Ok(roots)
}

/// The client identity in a PEM certificate chain and a PEM private key: every section must be
/// a certificate or a private key (PKCS#8, PKCS#1 or SEC1), and there must be at least one
/// certificate and one key (the last key counts). `None` when they are no usable identity.
pub(super) fn identity(certificate_pem: &str, key_pem: &Secret) -> Option<ClientIdentity> {
    let bundle = identity_bundle(certificate_pem, key_pem);
    let mut chain = Vec::new();
    let mut keys = Vec::new();
    for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(bundle.expose().as_bytes()) {
        let (kind, der) = section.ok()?;
        match kind {
            SectionKind::Certificate => chain.push(CertificateDer::from(der)),
            SectionKind::PrivateKey => keys.push(PrivateKeyDer::Pkcs8(der.into())),
            SectionKind::RsaPrivateKey => keys.push(PrivateKeyDer::Pkcs1(der.into())),
            SectionKind::EcPrivateKey => keys.push(PrivateKeyDer::Sec1(der.into())),
            _ => return None,
        }
    }
    let key = keys.pop()?;
    (!chain.is_empty()).then_some((chain, key))
}

/// The certificate chain and the key as one PEM text, the key starting on a line of its own.
fn identity_bundle(certificate_pem: &str, key_pem: &Secret) -> Secret {
    let mut bundle = certificate_pem.to_string();
    if !bundle.ends_with('\n') {
        bundle.push('\n');
    }
    bundle.push_str(key_pem.expose());
    Secret::new(bundle)
}
