//! The landscape's certificate authority and the certificates it issues: the server
//! certificate every mock serves with and the client certificates of technical users and the
//! agent.
//!
//! The CA lives in the state directory (`ca.pem`, `ca-key.pem`), so a restarted landscape keeps
//! the CA that clients were told to trust. Certificates are ECDSA P-256, valid from 1975 to 4096
//! (rcgen's defaults): a mock landscape has no use for expiry on the wall clock. What is issued
//! is a [`sapland_inbound::tls::Identity`], which `sapland_inbound::tls::server_config` serves
//! with; issuing stays here because only a mock landscape (and its tests) makes certificates —
//! the agent serves with the ones it is given.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use sapland_core::scim::Secret;
use sapland_inbound::tls::{ClientAuth, Identity};

use crate::files::{WriteError, write_durably};

/// The file, inside the state directory, that holds the CA certificate (PEM).
pub const CA_CERT_FILE: &str = "ca.pem";
/// The file, inside the state directory, that holds the CA private key (PKCS#8 PEM, mode 0600).
pub const CA_KEY_FILE: &str = "ca-key.pem";

/// The common name of the landscape CA.
const CA_COMMON_NAME: &str = "sapland landscape CA";
/// The organization in the landscape CA's subject.
const CA_ORGANIZATION: &str = "sapland";
/// The names every server certificate answers to, before the caller's extra names.
const LOCAL_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// What a private-key PEM must hold.
const EXPECTED_KEY: &str = "a PEM private key (PKCS#8, PKCS#1 or SEC1)";

/// The landscape's certificate authority, kept in the state directory so restarts reuse it.
pub struct LandscapeCa {
    cert_pem: String,
    cert_der: CertificateDer<'static>,
    cert_path: PathBuf,
    key_path: PathBuf,
    issuer: Issuer<'static, KeyPair>,
}

impl std::fmt::Debug for LandscapeCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The signing key is left out on purpose.
        f.debug_struct("LandscapeCa")
            .field("cert_path", &self.cert_path)
            .field("key_path", &self.key_path)
            .finish_non_exhaustive()
    }
}

impl LandscapeCa {
    /// Loads `<state_dir>/ca.pem` + `<state_dir>/ca-key.pem`, or creates them (key file mode 0600
    /// on unix) when absent.
    ///
    /// The state directory is created if it does not exist. The key is written before the
    /// certificate, each through a temporary file and a rename, so a crash never leaves a
    /// certificate without its key; a leftover key without a certificate is replaced. A
    /// certificate whose key is missing, or a key that does not belong to the certificate, is an
    /// error: clients may already trust that certificate.
    pub fn load_or_create(state_dir: &Path) -> Result<LandscapeCa, CaError> {
        let cert_path = state_dir.join(CA_CERT_FILE);
        let key_path = state_dir.join(CA_KEY_FILE);
        match fs::read_to_string(&cert_path) {
            Ok(cert_pem) => Self::load(cert_pem, cert_path, key_path),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                Self::create(state_dir, cert_path, key_path)
            }
            Err(error) => Err(CaError::io("read", &cert_path, error)),
        }
    }

    fn load(cert_pem: String, cert_path: PathBuf, key_path: PathBuf) -> Result<Self, CaError> {
        let key_pem = match fs::read_to_string(&key_path) {
            Ok(text) => Secret::new(text),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(CaError::MissingKey {
                    cert: cert_path,
                    key: key_path,
                });
            }
            Err(error) => return Err(CaError::io("read", &key_path, error)),
        };
        let cert_der =
            CertificateDer::from_pem_slice(cert_pem.as_bytes()).map_err(|_| CaError::File {
                path: cert_path.clone(),
                expected: "a PEM certificate",
            })?;
        let (_, parsed) =
            x509_parser::parse_x509_certificate(&cert_der).map_err(|_| CaError::File {
                path: cert_path.clone(),
                expected: "a PEM certificate that parses as X.509",
            })?;
        if !parsed.is_ca() {
            return Err(CaError::File {
                path: cert_path,
                expected: "a CA certificate (basic constraints CA:TRUE)",
            });
        }
        // The parser's message is not passed on: it could quote part of the key.
        let key = KeyPair::from_pem(key_pem.expose()).map_err(|_| CaError::File {
            path: key_path.clone(),
            expected: EXPECTED_KEY,
        })?;
        if parsed.public_key().subject_public_key.data.as_ref() != key.public_key_raw() {
            return Err(CaError::KeyMismatch {
                cert: cert_path,
                key: key_path,
            });
        }
        let issuer =
            Issuer::from_ca_cert_der(&cert_der, key).map_err(|error| CaError::Certificate {
                step: format!("use {} as the issuing CA", cert_path.display()),
                message: error.to_string(),
            })?;
        Ok(Self {
            cert_pem,
            cert_der,
            cert_path,
            key_path,
            issuer,
        })
    }

    fn create(state_dir: &Path, cert_path: PathBuf, key_path: PathBuf) -> Result<Self, CaError> {
        fs::create_dir_all(state_dir)
            .map_err(|error| CaError::io("create directory", state_dir, error))?;
        let mut params = CertificateParams::default();
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::CommonName, CA_COMMON_NAME);
        params
            .distinguished_name
            .push(DnType::OrganizationName, CA_ORGANIZATION);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate()
            .map_err(|error| CaError::certificate("create the CA key", error))?;
        let cert = params
            .self_signed(&key)
            .map_err(|error| CaError::certificate("create the CA certificate", error))?;
        let key_pem = Secret::new(key.serialize_pem());
        let cert_pem = cert.pem();
        write_durably(&key_path, key_pem.expose().as_bytes(), true).map_err(CaError::write)?;
        write_durably(&cert_path, cert_pem.as_bytes(), false).map_err(CaError::write)?;
        Ok(Self {
            cert_pem,
            cert_der: cert.der().clone(),
            cert_path,
            key_path,
            issuer: Issuer::new(params, key),
        })
    }

    /// The CA certificate, PEM.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The CA certificate, DER.
    pub fn cert_der(&self) -> &CertificateDer<'static> {
        &self.cert_der
    }

    /// Where the CA certificate is stored (`<state_dir>/ca.pem`), for clients to trust.
    pub fn cert_path(&self) -> &Path {
        &self.cert_path
    }

    /// Where the CA private key is stored (`<state_dir>/ca-key.pem`).
    pub fn key_path(&self) -> &Path {
        &self.key_path
    }

    /// Client authentication that accepts certificates issued by this CA (and connections
    /// without one).
    pub fn client_auth(&self) -> ClientAuth {
        ClientAuth::Optional {
            trusted_ca_pems: vec![self.cert_pem.clone()],
        }
    }

    /// A server certificate signed by the CA with SANs for localhost, 127.0.0.1, ::1 and
    /// `extra_names` (DNS names or IP addresses). Its subject is `CN=localhost`.
    pub fn server_identity(&self, extra_names: &[String]) -> Result<Identity, CaError> {
        let mut names: Vec<String> = LOCAL_NAMES.iter().map(|name| (*name).to_owned()).collect();
        for name in extra_names {
            check_name(name)?;
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        let mut params =
            CertificateParams::new(names.clone()).map_err(|error| CaError::Certificate {
                step: format!("use the names {names:?} in a server certificate"),
                message: error.to_string(),
            })?;
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::CommonName, LOCAL_NAMES[0]);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.issue(
            params,
            format!("CN={}", LOCAL_NAMES[0]),
            "server certificate",
        )
    }

    /// A client certificate (subject `CN=<common_name>`) signed by the CA, for technical users
    /// and the agent.
    pub fn client_identity(&self, common_name: &str) -> Result<Identity, CaError> {
        check_name(common_name)?;
        let mut params = CertificateParams::default();
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        self.issue(params, format!("CN={common_name}"), "client certificate")
    }

    fn issue(
        &self,
        mut params: CertificateParams,
        subject: String,
        what: &str,
    ) -> Result<Identity, CaError> {
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.use_authority_key_identifier_extension = true;
        let key = KeyPair::generate()
            .map_err(|error| CaError::certificate(&format!("create the {what} key"), error))?;
        let cert = params.signed_by(&key, &self.issuer).map_err(|error| {
            CaError::certificate(&format!("sign the {what} for {subject}"), error)
        })?;
        Ok(Identity {
            cert_pem: cert.pem(),
            key_pem: Secret::new(key.serialize_pem()),
            subject,
        })
    }
}

/// Why the CA or a certificate could not be made. Messages name the file or
/// the step; none carries key material.
#[derive(Debug, thiserror::Error)]
pub enum CaError {
    /// A file or directory could not be read or written.
    #[error("cannot {action} {}: {message}", path.display())]
    Io {
        /// What was being done, e.g. `read`.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's message.
        message: String,
    },
    /// A file does not hold what it should.
    #[error("{}: expected {expected}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What it should hold.
        expected: &'static str,
    },
    /// The CA certificate exists but its key does not.
    #[error(
        "{} exists but {} does not; restore the key, or remove {} to create a new CA (clients must then trust the new one)",
        cert.display(), key.display(), cert.display()
    )]
    MissingKey {
        /// The CA certificate file.
        cert: PathBuf,
        /// The missing key file.
        key: PathBuf,
    },
    /// The CA key file holds a key that does not belong to the CA certificate.
    #[error(
        "{}: expected the private key of the certificate in {}; restore the matching key, or remove both files to create a new CA",
        key.display(), cert.display()
    )]
    KeyMismatch {
        /// The CA certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
    },
    /// A name for a certificate is unusable.
    #[error("certificate name {name:?}: expected {expected}")]
    Name {
        /// The name as given.
        name: String,
        /// What a name must be.
        expected: &'static str,
    },
    /// A key or certificate could not be made.
    #[error("cannot {step}: {message}")]
    Certificate {
        /// The step that failed.
        step: String,
        /// rcgen's message.
        message: String,
    },
}

impl CaError {
    fn write(error: WriteError) -> Self {
        Self::io("write", &error.path, error.source)
    }

    fn io(action: &'static str, path: &Path, error: io::Error) -> Self {
        Self::Io {
            action,
            path: path.to_owned(),
            message: error.to_string(),
        }
    }

    fn certificate(step: &str, error: rcgen::Error) -> Self {
        Self::Certificate {
            step: step.to_owned(),
            message: error.to_string(),
        }
    }
}

/// Refuses names that would make an ambiguous subject or SAN.
fn check_name(name: &str) -> Result<(), CaError> {
    if name.trim().is_empty() || name.chars().any(char::is_control) {
        return Err(CaError::Name {
            name: name.to_owned(),
            expected: "a non-empty name without control characters",
        });
    }
    Ok(())
}
