//! Connecting to systems: a SCIM client for an IAS (or SCIM) system, built from its properties
//! with the agent's trust, clock and timeouts.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sapland_core::system::Authentication;
use sapland_outbound::clock::Clock;
use sapland_outbound::https::{ClientIdentity, HttpsOptions, PemSource, PrivateKeyPem};
use sapland_scim::{Client, ClientConfig, Pace};

use crate::systems::System;

/// sapland's property for its client-side pace against a target or source (**proposed**):
/// requests a minute, `0` for none. Default for IAS: [`Pace::IAS_DEFAULT_PER_MINUTE`].
pub const PACE_PROPERTY: &str = "sapland.requests.per.minute";

/// What every outbound connection of a job shares: trust and timeouts, and the clock that
/// retries and pacing wait on.
#[derive(Debug, Clone)]
pub struct Outbound {
    /// Trust (`--ca-cert`, `SSL_CERT_FILE`) and timeouts; per-system client certificates are
    /// added from the system's credentials.
    pub https: HttpsOptions,
    /// The clock of retries, pacing, tokens and job times.
    pub clock: Arc<dyn Clock>,
}

impl Outbound {
    /// The same, with `timeout` for a whole exchange.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.https.timeout = Some(timeout);
        self
    }
}

/// A SCIM client for `system` (IAS v1/v2 by `ias.api.version`, generic SCIM otherwise).
/// `ClientCertificateAuthentication` reads the PEM files named by the credentials
/// `ClientCertificate` and `ClientCertificateKey` (relative to `dir`, the systems directory).
pub fn scim_client(system: &System, dir: &Path, outbound: &Outbound) -> Result<Client, String> {
    let resolved = &system.resolved;
    let mut https = outbound.https.clone();
    if resolved.authentication() == Some(Authentication::ClientCertificateAuthentication) {
        https.identity = Some(identity(system, dir)?);
    }
    let mut config = ClientConfig::from_system(resolved, https)
        .map_err(|err| format!("the system {:?} cannot be connected: {err}", system.name()))?;
    if let Some(text) = resolved.value(PACE_PROPERTY) {
        let per_minute: u32 = text.trim().parse().map_err(|_| {
            format!(
                "the system {:?}: {PACE_PROPERTY} must be a number of requests a minute (0 for no limit), found {text:?}",
                system.name()
            )
        })?;
        config.pace = (per_minute > 0).then(|| Pace::per_minute(per_minute));
    }
    Client::new(config, outbound.clock.clone())
        .map_err(|err| format!("the system {:?} cannot be connected: {err}", system.name()))
}

fn identity(system: &System, dir: &Path) -> Result<ClientIdentity, String> {
    let read = |property: &str| -> Result<(String, Vec<u8>), String> {
        let file = system.resolved.credential(property).ok_or_else(|| {
            format!(
                "the system {:?} uses ClientCertificateAuthentication and needs the credential {property} (the PEM file)",
                system.name()
            )
        })?;
        let path = dir.join(file.expose());
        let pem = std::fs::read(&path).map_err(|err| {
            format!(
                "cannot read {property} of {:?} ({}): {err}",
                system.name(),
                path.display()
            )
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
