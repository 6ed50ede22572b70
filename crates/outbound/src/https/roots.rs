//! The certificates a client trusts: the platform's store and PEM bundles.
//!
//! The platform store is read with `rustls-native-certs`, which reqwest's `rustls-no-provider`
//! feature already pulls in (through `rustls-platform-verifier`), so it adds no crate to the
//! build. On Linux and the BSDs that crate lets `SSL_CERT_FILE`/`SSL_CERT_DIR` *replace* the
//! platform store, as OpenSSL does; DESIGN.md wants the bundle *in addition to* the system
//! roots, so there the store is read from OpenSSL's well-known directories (found by
//! `openssl-probe`, also already in the tree) without looking at the environment. The store is
//! read once per process.

use std::sync::OnceLock;

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::{self, PemObject};

use super::build::HttpsError;
use super::options::PemSource;

/// The platform's trusted certificates, read once.
pub(super) fn system_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(load_system_roots)
}

#[cfg(all(unix, not(target_os = "macos")))]
fn load_system_roots() -> Vec<CertificateDer<'static>> {
    let mut certs: Vec<CertificateDer<'static>> = openssl_probe::candidate_cert_dirs()
        .flat_map(|dir| rustls_native_certs::load_certs_from_paths(None, Some(dir)).certs)
        .collect();
    certs.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
    certs.dedup();
    certs
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn load_system_roots() -> Vec<CertificateDer<'static>> {
    rustls_native_certs::load_native_certs().certs
}

/// Every certificate in a PEM bundle; an error names the bundle and says what is wrong.
pub(super) fn certificates(source: &PemSource) -> Result<Vec<CertificateDer<'static>>, HttpsError> {
    let certs = CertificateDer::pem_slice_iter(&source.pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| HttpsError::Pem {
            name: source.name.clone(),
            reason: pem_problem(&err),
        })?;
    if certs.is_empty() {
        return Err(HttpsError::Pem {
            name: source.name.clone(),
            reason: "holds no certificate (expected -----BEGIN CERTIFICATE-----)".into(),
        });
    }
    Ok(certs)
}

/// The trust store for the options: system roots (when asked) plus every extra bundle.
pub(super) fn store(system: bool, extra: &[PemSource]) -> Result<RootCertStore, HttpsError> {
    let mut store = RootCertStore::empty();
    if system {
        store.add_parsable_certificates(system_roots().iter().cloned());
    }
    for source in extra {
        for (index, cert) in certificates(source)?.into_iter().enumerate() {
            store.add(cert).map_err(|err| HttpsError::Pem {
                name: source.name.clone(),
                reason: format!("certificate {} cannot be a trust anchor: {err}", index + 1),
            })?;
        }
    }
    if store.is_empty() {
        return Err(HttpsError::NoTrustAnchors);
    }
    Ok(store)
}

/// What is wrong with PEM text, in words that never quote its content (it may be a key).
pub(super) fn pem_problem(err: &pem::Error) -> String {
    match err {
        pem::Error::MissingSectionEnd { .. } => "a PEM section has no END line".into(),
        pem::Error::IllegalSectionStart { .. } => "a BEGIN line is malformed".into(),
        pem::Error::Base64Decode(_) => "the base64 content of a PEM section is invalid".into(),
        pem::Error::Io(err) => format!("cannot be read: {err}"),
        pem::Error::NoItemsFound => "holds no PEM section of the expected kind".into(),
        _ => "is not valid PEM".into(),
    }
}
