//! Starting and stopping the landscape.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use sapland_core::scim::Secret;
use sapland_mock_ias::config::IasConfig;
use sapland_mock_ias::mock::IasMock;
use sapland_mock_ias::throttle::ThrottleMode;
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::ids::IdGenerator;
use sapland_mock_kit::journal::DEFAULT_CAPACITY;
use sapland_mock_kit::kit::Kit;
use sapland_mock_kit::service::MockService;
use sapland_mock_kit::tls::{Identity, LandscapeCa};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::description::{
    IasDescription, LandscapeFile, TechnicalUserDescription, TenantDescription,
};

/// How the landscape clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockChoice {
    /// Wall time (`sapland up`).
    Wall,
    /// Stands at this time until advanced (scenarios).
    Manual(Timestamp),
}

/// Which ports the mocks listen on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Ports {
    /// Free ports chosen by the system.
    #[default]
    Auto,
    /// From this port upwards: IAS admin, then one per tenant.
    From(u16),
}

/// How to start a landscape.
#[derive(Debug, Clone)]
pub struct LandscapeConfig {
    /// Where the CA, certificates and `landscape.json` live.
    pub state_dir: PathBuf,
    /// The address to listen on.
    pub host: String,
    /// The ports.
    pub ports: Ports,
    /// Serve plain HTTP instead of HTTPS.
    pub plain_http: bool,
    /// The clock.
    pub clock: ClockChoice,
    /// The seed of ids, secrets and tokens; `None` draws one (every `sapland up` differs).
    pub seed: Option<u64>,
    /// The mock IAS's SCIM throttling.
    pub ias_throttling: ThrottleMode,
}

impl LandscapeConfig {
    /// The defaults of `sapland up`: `./.sapland`, localhost, free ports, HTTPS, wall clock.
    pub fn new(state_dir: impl Into<PathBuf>) -> Self {
        Self {
            state_dir: state_dir.into(),
            host: "127.0.0.1".into(),
            ports: Ports::Auto,
            plain_http: false,
            clock: ClockChoice::Wall,
            seed: None,
            ias_throttling: ThrottleMode::Sap,
        }
    }
}

/// Why a landscape did not start.
#[derive(Debug, thiserror::Error)]
pub enum LandscapeError {
    /// The state directory or a file in it could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A port could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// host:port.
        address: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The CA or a certificate could not be made.
    #[error("{0}")]
    Tls(#[from] sapland_mock_kit::tls::TlsError),
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
    stop: watch::Sender<bool>,
    tasks: JoinSet<std::io::Result<()>>,
}

impl Landscape {
    /// Starts every mock, then writes `landscape.json`.
    pub async fn start(config: LandscapeConfig) -> Result<Self, LandscapeError> {
        let state_dir = config.state_dir.clone();
        std::fs::create_dir_all(&state_dir).map_err(|source| LandscapeError::Write {
            path: state_dir.clone(),
            source,
        })?;
        let seed = config.seed.unwrap_or_else(random_seed);
        let mut ids = IdGenerator::derived(seed, "landscape");
        let admin_token = Secret::new(ids.secret(40));
        let clock = match config.clock {
            ClockChoice::Wall => Clock::wall(),
            ClockChoice::Manual(start) => Clock::manual(start),
        };
        let ca = if config.plain_http {
            None
        } else {
            Some(Arc::new(LandscapeCa::load_or_create(&state_dir)?))
        };
        let scheme = if config.plain_http { "http" } else { "https" };
        let tls = match &ca {
            Some(ca) => {
                let identity = ca.server_identity(&[])?;
                Some(sapland_mock_kit::tls::server_config(
                    &identity,
                    &ca.client_auth(),
                )?)
            }
            None => None,
        };

        let mut ias_config = IasConfig::default_landscape(seed);
        ias_config.throttling = config.ias_throttling;
        let (admin_port, tenant_ports): (u16, Vec<u16>) = match config.ports {
            Ports::Auto => (0, Vec::new()),
            Ports::From(first) => (
                first,
                (1..=ias_config.tenants.len() as u16)
                    .map(|i| first + i)
                    .collect(),
            ),
        };
        let admin_listener = bind(&config.host, admin_port).await?;
        let admin_url = format!(
            "{scheme}://{}:{}",
            url_host(&config.host),
            admin_listener
                .local_addr()
                .map_err(|source| LandscapeError::Bind {
                    address: config.host.clone(),
                    source
                })?
                .port()
        );
        let (ias, bound) = IasMock::bind(ias_config.clone(), &config.host, &tenant_ports, scheme)
            .await
            .map_err(|source| LandscapeError::Bind {
                address: format!("{}:{tenant_ports:?}", config.host),
                source,
            })?;
        if let Some(ca) = &ca {
            ias.trust_for_pushes(ca.cert_pem());
        }
        let ias_kit = Arc::new(Kit::new(
            clock.clone(),
            admin_token.clone(),
            DEFAULT_CAPACITY,
        ));

        let (stop, stopped) = watch::channel(false);
        let mut tasks = JoinSet::new();
        let shutdown = |mut rx: watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        let service: Arc<dyn MockService> = ias.clone();
        let admin = sapland_mock_kit::admin::router(ias_kit.clone(), service);
        tasks.spawn(sapland_mock_kit::serve::serve(
            admin_listener,
            admin,
            tls.clone(),
            shutdown(stopped.clone()),
        ));
        let mut tenants = Vec::new();
        for tenant in bound {
            let app = ias
                .tenant_app(&ias_kit, &tenant.name)
                .expect("the tenant was just built");
            tasks.spawn(sapland_mock_kit::serve::serve(
                tenant.listener,
                app,
                tls.clone(),
                shutdown(stopped.clone()),
            ));
            let config = ias_config
                .tenants
                .iter()
                .find(|t| t.name == tenant.name)
                .expect("bound from the config");
            let user = &config.technical_users[0];
            let (certificate, key) = match (&ca, &user.certificate_subject) {
                (Some(ca), Some(subject)) => {
                    let common_name = subject.trim_start_matches("CN=");
                    let identity = ca.client_identity(common_name)?;
                    let (cert, key) = write_identity(
                        &state_dir,
                        &format!("ias-{}-client", tenant.name),
                        &identity,
                    )?;
                    (Some(cert), Some(key))
                }
                _ => (None, None),
            };
            tenants.push(TenantDescription {
                name: tenant.name.clone(),
                token_url: format!("{}/oauth2/token", tenant.url),
                url: tenant.url,
                technical_user: TechnicalUserDescription {
                    client_id: user.client_id.clone(),
                    client_secret: user.client_secret.expose().to_string(),
                    certificate,
                    key,
                },
            });
        }

        let description = LandscapeFile {
            ca_cert: ca.as_ref().map(|ca| ca.cert_path().to_path_buf()),
            admin_token: admin_token.expose().to_string(),
            ias: IasDescription {
                url: tenants.first().map(|t| t.url.clone()).unwrap_or_default(),
                admin_url,
                tenants,
            },
        };
        let file = state_dir.join("landscape.json");
        let text = serde_json::to_string_pretty(&description).expect("the description serializes");
        write_atomically(&file, text.as_bytes(), false)?;
        Ok(Self {
            description,
            file,
            clock,
            ca,
            ias,
            ias_kit,
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

async fn bind(host: &str, port: u16) -> Result<TcpListener, LandscapeError> {
    TcpListener::bind((host, port))
        .await
        .map_err(|source| LandscapeError::Bind {
            address: format!("{host}:{port}"),
            source,
        })
}

fn url_host(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

fn random_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ u64::from(std::process::id()).rotate_left(32)
}

/// Writes a certificate and its key (the key readable by the owner only).
fn write_identity(
    dir: &Path,
    stem: &str,
    identity: &Identity,
) -> Result<(PathBuf, PathBuf), LandscapeError> {
    let cert = dir.join(format!("{stem}.pem"));
    let key = dir.join(format!("{stem}-key.pem"));
    write_atomically(&key, identity.key_pem.expose().as_bytes(), true)?;
    write_atomically(&cert, identity.cert_pem.as_bytes(), false)?;
    Ok((cert, key))
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place.
fn write_atomically(path: &Path, bytes: &[u8], private: bool) -> Result<(), LandscapeError> {
    let error = |source| LandscapeError::Write {
        path: path.to_path_buf(),
        source,
    };
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, bytes).map_err(error)?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o600))
            .map_err(error)?;
    }
    #[cfg(not(unix))]
    let _ = private;
    std::fs::rename(&temporary, path).map_err(error)
}
