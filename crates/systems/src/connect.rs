//! Connecting to systems: the SCIM client of an IAS (or SCIM) system, built from its
//! properties and credentials with the caller's trust, clock and timeouts.

use std::path::Path;

use sapland_core::system::Authentication;
use sapland_outbound::Reach;
use sapland_outbound::https::{ClientIdentity, PemSource, PrivateKeyPem};
use sapland_scim::{Client, ClientConfig, Pace};

use crate::system::System;

/// sapland's property for its client-side pace against a target or source (**proposed**):
/// requests a minute, `0` for none. Default for IAS: [`Pace::IAS_DEFAULT_PER_MINUTE`].
pub const PACE_PROPERTY: &str = "sapland.requests.per.minute";

/// Why a system's client cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// The system's properties do not make a client (URL, headers, TLS material).
    #[error("the system {system:?} cannot be connected: {reason}")]
    Unusable {
        /// The system's name.
        system: String,
        /// What is wrong.
        reason: String,
    },
    /// [`PACE_PROPERTY`] is not a number.
    #[error(
        "the system {system:?}: {PACE_PROPERTY} must be a number of requests a minute (0 for no limit), found {found:?}"
    )]
    Pace {
        /// The system's name.
        system: String,
        /// The value found.
        found: String,
    },
    /// `ClientCertificateAuthentication` without a certificate or key credential.
    #[error(
        "the system {system:?} uses ClientCertificateAuthentication and needs the credential {property} (the PEM file)"
    )]
    MissingCertificate {
        /// The system's name.
        system: String,
        /// `ClientCertificate` or `ClientCertificateKey`.
        property: &'static str,
    },
    /// A certificate or key file cannot be read.
    #[error("cannot read {property} of {system:?} ({path}): {reason}")]
    Read {
        /// The system's name.
        system: String,
        /// `ClientCertificate` or `ClientCertificateKey`.
        property: &'static str,
        /// The file.
        path: String,
        /// The cause.
        reason: String,
    },
}

/// A SCIM client for `system` (IAS v1/v2 by `ias.api.version`, generic SCIM otherwise).
/// `ClientCertificateAuthentication` reads the PEM files named by the credentials
/// `ClientCertificate` and `ClientCertificateKey` (relative to `dir`, the systems directory).
pub fn scim_client(system: &System, dir: &Path, reach: &Reach) -> Result<Client, ConnectError> {
    let resolved = &system.resolved;
    let unusable = |reason: String| ConnectError::Unusable {
        system: system.name().to_string(),
        reason,
    };
    let mut https = reach.https.clone();
    if resolved.authentication() == Some(Authentication::ClientCertificateAuthentication) {
        https.identity = Some(identity(system, dir)?);
    }
    let mut config =
        ClientConfig::from_system(resolved, https).map_err(|err| unusable(err.to_string()))?;
    if let Some(text) = resolved.value(PACE_PROPERTY) {
        let per_minute: u32 = text.trim().parse().map_err(|_| ConnectError::Pace {
            system: system.name().to_string(),
            found: text.to_string(),
        })?;
        config.pace = (per_minute > 0).then(|| Pace::per_minute(per_minute));
    }
    Client::new(config, reach.clock.clone()).map_err(|err| unusable(err.to_string()))
}

fn identity(system: &System, dir: &Path) -> Result<ClientIdentity, ConnectError> {
    let read = |property: &'static str| -> Result<(String, Vec<u8>), ConnectError> {
        let file = system.resolved.credential(property).ok_or_else(|| {
            ConnectError::MissingCertificate {
                system: system.name().to_string(),
                property,
            }
        })?;
        let path = dir.join(file.expose());
        let pem = std::fs::read(&path).map_err(|err| ConnectError::Read {
            system: system.name().to_string(),
            property,
            path: path.display().to_string(),
            reason: err.to_string(),
        })?;
        Ok((path.display().to_string(), pem))
    };
    let (certificate_name, certificate) = read("ClientCertificate")?;
    let (_, key) = read("ClientCertificateKey")?;
    Ok(ClientIdentity {
        certificate: PemSource::new(certificate_name, certificate),
        private_key: PrivateKeyPem::new(key),
    })
}
