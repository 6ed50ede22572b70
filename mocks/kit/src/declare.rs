//! How a mock declares itself to a landscape: the listeners it needs, the router of each, and
//! its object in `landscape.json`. A landscape binds, serves and describes its mocks from these
//! declarations alone, so adding a mock adds no start-up code to the landscape.
//!
//! A mock is declared in two steps. Its [`MockPlan`] (typically its configuration) names its
//! listeners in the order their ports are numbered; once they are bound, [`MockPlan::build`]
//! makes the mock on their URLs. The built mock is a [`DeclaredMock`]: the landscape serves the
//! kit's admin surface on every [`Surface::Admin`] listener and asks the mock for the router of
//! each [`Surface::Sap`] one, then asks it for its `landscape.json` object.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use sapland_core::scim::Secret;
use serde_json::Value;

use crate::ca::{CaError, LandscapeCa};
use crate::clock::Clock;
use crate::files::{WriteError, write_atomically};
use crate::journal::DEFAULT_CAPACITY;
use crate::kit::Kit;
use crate::service::MockService;

/// Whom a listener serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The kit's `/_admin` surface of the mock (with its own admin extras).
    Admin,
    /// SAP-facing endpoints, served by the mock's router with the kit's observe layer in front.
    Sap,
}

/// One listener a mock asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    /// What it is for, for people: `IAS admin`, `IAS tenant source`, `Cloud ALM UAA sapland`.
    pub name: String,
    /// Whom it serves.
    pub surface: Surface,
}

impl Listener {
    /// The mock's admin surface.
    pub fn admin(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            surface: Surface::Admin,
        }
    }

    /// SAP-facing endpoints.
    pub fn sap(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            surface: Surface::Sap,
        }
    }
}

/// A mock before it serves: the listeners it needs, and how it is built once they are bound.
pub trait MockPlan: Send {
    /// The mock this plan builds.
    type Mock: DeclaredMock;

    /// Its listeners, in the order their ports are numbered (`sapland up --ports FROM`); by
    /// convention its admin listener comes first.
    fn listeners(&self) -> Vec<Listener>;

    /// Builds the mock on the landscape `site`; `urls[i]` is the base URL (`scheme://host:port`)
    /// of listener `i` of [`MockPlan::listeners`].
    fn build(self, urls: &[String], site: &Site) -> Result<Arc<Self::Mock>, DeclareError>;
}

/// A built mock as a landscape serves and describes it. Its `landscape.json` key is
/// [`MockService::name`].
pub trait DeclaredMock: MockService {
    /// The router of SAP-facing listener `listener` (its index in [`MockPlan::listeners`]), with
    /// the kit's observe layer in front; `None` for an index that is not a SAP-facing listener of
    /// this mock.
    fn sap_router(self: Arc<Self>, listener: usize, kit: &Arc<Kit>) -> Option<Router>;

    /// Its object in `landscape.json`, given the URL of each listener (as for
    /// [`MockPlan::build`]). It writes the files it names (client certificates, service keys)
    /// into the state directory through `site`.
    fn describe(&self, urls: &[String], site: &Site) -> Result<Value, DeclareError>;
}

/// What every mock of one landscape shares while the landscape is put together: the state
/// directory, the landscape clock, the landscape CA (absent with plain HTTP) and the admin
/// token.
#[derive(Debug, Clone)]
pub struct Site {
    state_dir: PathBuf,
    clock: Clock,
    ca: Option<Arc<LandscapeCa>>,
    admin_token: Secret,
}

impl Site {
    /// A site in `state_dir` (which must exist) on `clock`.
    pub fn new(
        state_dir: impl Into<PathBuf>,
        clock: Clock,
        ca: Option<Arc<LandscapeCa>>,
        admin_token: Secret,
    ) -> Self {
        Self {
            state_dir: state_dir.into(),
            clock,
            ca,
            admin_token,
        }
    }

    /// The state directory.
    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }

    /// The landscape clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The landscape CA; `None` with plain HTTP.
    pub fn ca(&self) -> Option<&Arc<LandscapeCa>> {
        self.ca.as_ref()
    }

    /// The bearer token of every `/_admin` surface.
    pub fn admin_token(&self) -> &Secret {
        &self.admin_token
    }

    /// A new kit for one mock: the landscape clock, the admin token, an empty journal of the
    /// default capacity, no fault rules.
    pub fn kit(&self) -> Arc<Kit> {
        Arc::new(Kit::new(
            self.clock.clone(),
            self.admin_token.clone(),
            DEFAULT_CAPACITY,
        ))
    }

    /// Writes `<state_dir>/<name>` whole (temporary file, then rename), readable by the owner
    /// only when `private`; answers its path.
    pub fn write_file(
        &self,
        name: &str,
        contents: &[u8],
        private: bool,
    ) -> Result<PathBuf, DeclareError> {
        let path = self.state_dir.join(name);
        write_atomically(&path, contents, private)?;
        Ok(path)
    }

    /// Removes `<state_dir>/<name>` if it is there (a file a previous landscape wrote that this
    /// one does not describe).
    pub fn remove_file(&self, name: &str) {
        let _ = std::fs::remove_file(self.state_dir.join(name));
    }

    /// Issues a client certificate `CN=<common_name>` from the landscape CA and writes it as
    /// `<stem>.pem` with its key as `<stem>-key.pem` (owner only); answers both paths. `None`
    /// with plain HTTP, where there is no CA.
    pub fn write_client_identity(
        &self,
        common_name: &str,
        stem: &str,
    ) -> Result<Option<(PathBuf, PathBuf)>, DeclareError> {
        let Some(ca) = &self.ca else {
            return Ok(None);
        };
        let identity = ca.client_identity(common_name)?;
        let key = self.write_file(
            &format!("{stem}-key.pem"),
            identity.key_pem.expose().as_bytes(),
            true,
        )?;
        let cert = self.write_file(&format!("{stem}.pem"), identity.cert_pem.as_bytes(), false)?;
        Ok(Some((cert, key)))
    }
}

/// Why a declared mock could not be built or described.
#[derive(Debug, thiserror::Error)]
pub enum DeclareError {
    /// A file in the state directory could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The CA could not issue a certificate.
    #[error(transparent)]
    Ca(#[from] CaError),
    /// The mock's configuration is inconsistent.
    #[error("{0}")]
    Config(String),
}
