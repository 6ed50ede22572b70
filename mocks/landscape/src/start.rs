//! Starting and stopping the landscape.

use std::path::PathBuf;
use std::sync::Arc;

use sapland_core::landscape::LandscapeFile;
use sapland_core::scim::Secret;
use sapland_inbound::tls::server_config;
use sapland_mock_calm::config::CalmConfig;
use sapland_mock_calm::mock::CalmMock;
use sapland_mock_ias::config::IasConfig;
use sapland_mock_ias::mock::IasMock;
use sapland_mock_kit::ca::LandscapeCa;
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::declare::{DeclareError, Site};
use sapland_mock_kit::files::WriteError;
use sapland_mock_kit::ids::IdGenerator;
use sapland_mock_kit::kit::Kit;
use serde_json::{Map, Value};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::config::{ClockChoice, LandscapeConfig};
use crate::roster::{Roster, Server};

/// The file, in the state directory, that describes the running landscape.
const LANDSCAPE_FILE: &str = "landscape.json";

/// Why a landscape did not start.
#[derive(Debug, thiserror::Error)]
pub enum LandscapeError {
    /// The state directory or a file in it could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A port could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// host:port (and which listener).
        address: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The CA or a certificate could not be made.
    #[error("{0}")]
    Ca(#[from] sapland_mock_kit::ca::CaError),
    /// The TLS server configuration could not be made.
    #[error("{0}")]
    Tls(#[from] sapland_inbound::tls::TlsError),
    /// A mock could not be built or described as it declared itself.
    #[error("{0}")]
    Mock(DeclareError),
}

impl From<WriteError> for LandscapeError {
    fn from(error: WriteError) -> Self {
        Self::Write {
            path: error.path,
            source: error.source,
        }
    }
}

impl From<DeclareError> for LandscapeError {
    fn from(error: DeclareError) -> Self {
        match error {
            DeclareError::Write(error) => error.into(),
            DeclareError::Ca(error) => error.into(),
            other => Self::Mock(other),
        }
    }
}

/// A running landscape. Dropping it does not stop it; call [`Landscape::shutdown`].
#[derive(Debug)]
pub struct Landscape {
    /// What `landscape.json` says.
    pub description: LandscapeFile,
    /// Where `landscape.json` is.
    pub file: PathBuf,
    /// The landscape clock.
    pub clock: Clock,
    /// The landscape CA (absent with plain HTTP).
    pub ca: Option<Arc<LandscapeCa>>,
    /// The mock IAS.
    pub ias: Arc<IasMock>,
    /// The IAS kit (journal, faults).
    pub ias_kit: Arc<Kit>,
    /// The mock Cloud ALM.
    pub calm: Arc<CalmMock>,
    /// The Cloud ALM kit (journal, faults).
    pub calm_kit: Arc<Kit>,
    stop: watch::Sender<bool>,
    tasks: JoinSet<std::io::Result<()>>,
}

impl Landscape {
    /// Starts every mock, then writes `landscape.json`.
    ///
    /// The mocks are added in a fixed order (IAS, then Cloud ALM), which numbers their ports;
    /// each declares its own listeners, routers and `landscape.json` object.
    pub async fn start(config: LandscapeConfig) -> Result<Self, LandscapeError> {
        let seed = config.seed.unwrap_or_else(random_seed);
        let site = prepare_site(&config, seed)?;
        let scheme = if config.plain_http { "http" } else { "https" };
        let mut roster = Roster::new(site.clone(), &config.host, &config.ports, scheme);
        let (ias, ias_kit) = roster.add(ias_config(&config, seed)).await?;
        let (calm, calm_kit) = roster.add(CalmConfig::default_landscape(seed)).await?;
        let (text, description) = describe(&roster, &site)?;
        let tls = server_tls(site.ca())?;
        let (stop, tasks) = spawn(roster.into_servers(), tls);
        let file = site.write_file(LANDSCAPE_FILE, text.as_bytes(), false)?;
        Ok(Self {
            description,
            file,
            clock: site.clock().clone(),
            ca: site.ca().cloned(),
            ias,
            ias_kit,
            calm,
            calm_kit,
            stop,
            tasks,
        })
    }

    /// Stops every mock after in-flight requests finish, and removes `landscape.json`.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        while self.tasks.join_next().await.is_some() {}
        let _ = std::fs::remove_file(&self.file);
    }
}

/// The state directory (created), the clock, the CA (created or reused, unless plain HTTP) and
/// the admin token every mock shares.
fn prepare_site(config: &LandscapeConfig, seed: u64) -> Result<Site, LandscapeError> {
    let state_dir = config.state_dir.clone();
    std::fs::create_dir_all(&state_dir).map_err(|source| LandscapeError::Write {
        path: state_dir.clone(),
        source,
    })?;
    let admin_token = Secret::new(IdGenerator::derived(seed, "landscape").secret(40));
    let clock = match config.clock {
        ClockChoice::Wall => Clock::wall(),
        ClockChoice::Manual(start) => Clock::manual(start),
    };
    let ca = if config.plain_http {
        None
    } else {
        Some(Arc::new(LandscapeCa::load_or_create(&state_dir)?))
    };
    Ok(Site::new(state_dir, clock, ca, admin_token))
}

/// The mock IAS of the default landscape, with the configured throttling.
fn ias_config(config: &LandscapeConfig, seed: u64) -> IasConfig {
    let mut ias = IasConfig::default_landscape(seed);
    ias.throttling = config.ias_throttling;
    ias
}

/// The server certificate (localhost, 127.0.0.1, ::1) every listener serves, with client
/// certificates of the CA accepted; `None` with plain HTTP.
fn server_tls(
    ca: Option<&Arc<LandscapeCa>>,
) -> Result<Option<Arc<rustls::ServerConfig>>, LandscapeError> {
    let Some(ca) = ca else {
        return Ok(None);
    };
    let identity = ca.server_identity(&[])?;
    Ok(Some(server_config(&identity, &ca.client_auth())?))
}

/// `landscape.json`: the landscape's own keys, then each mock's object under its name, as text
/// and as the typed description.
///
/// # Panics
///
/// When the mocks' objects do not make the `landscape.json` contract (a bug in a mock's
/// declaration).
fn describe(roster: &Roster, site: &Site) -> Result<(String, LandscapeFile), LandscapeError> {
    let mut file = Map::new();
    if let Some(ca) = site.ca() {
        file.insert("ca_cert".into(), path_value(ca.cert_path()));
    }
    file.insert(
        "admin_token".into(),
        Value::String(site.admin_token().expose().to_owned()),
    );
    let clock_url = roster
        .clock_url()
        .expect("a mock of the landscape declares an admin listener");
    file.insert("clock_url".into(), Value::String(clock_url));
    file.extend(roster.describe()?);
    let file = Value::Object(file);
    let description: LandscapeFile = serde_json::from_value(file.clone())
        .unwrap_or_else(|err| panic!("the mocks' objects make no landscape.json: {err}"));
    let text = serde_json::to_string_pretty(&file).expect("a JSON value serializes");
    Ok((text, description))
}

fn path_value(path: &std::path::Path) -> Value {
    Value::String(path.to_string_lossy().into_owned())
}

/// Serves every listener on a task of its own until `stop` is sent `true`.
fn spawn(
    servers: Vec<Server>,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> (watch::Sender<bool>, JoinSet<std::io::Result<()>>) {
    let (stop, stopped) = watch::channel(false);
    let mut tasks = JoinSet::new();
    for server in servers {
        let mut stopped = stopped.clone();
        tasks.spawn(sapland_inbound::serve::serve(
            server.listener,
            server.router,
            tls.clone(),
            async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            },
        ));
    }
    (stop, tasks)
}

fn random_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ u64::from(std::process::id()).rotate_left(32)
}
