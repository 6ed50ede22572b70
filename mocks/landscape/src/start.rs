//! Starting and stopping the landscape.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use sapland_core::scim::Secret;
use sapland_mock_calm::config::{CalmConfig, DEFAULT_INSTANCE, DEFAULT_SUBDOMAIN};
use sapland_mock_calm::mock::CalmMock;
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
    CalmDescription, IasDescription, LandscapeFile, TechnicalUserDescription, TenantDescription,
};

/// The file, in the state directory, of the Cloud ALM service key with a client secret.
pub const CALM_SERVICE_KEY_FILE: &str = "calm-service-key.json";
/// The file, in the state directory, of the Cloud ALM service key with an X.509 certificate.
pub const CALM_SERVICE_KEY_X509_FILE: &str = "calm-service-key-x509.json";

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
    /// From this port upwards: IAS admin, then one per IAS tenant; then Cloud ALM admin, Cloud
    /// ALM API, and per subaccount its UAA (`uaa.url`) and UAA certificate listener
    /// (`uaa.certurl`). The default landscape: 8440 IAS admin, 8441–8442 tenants, 8443 Cloud
    /// ALM admin, 8444 API, 8445 UAA, 8446 UAA certificate.
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
    /// The mock Cloud ALM.
    pub calm: Arc<CalmMock>,
    /// The Cloud ALM kit (journal, faults).
    pub calm_kit: Arc<Kit>,
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
                    .map(|i| first.checked_add(i).ok_or_else(|| port_range(first)))
                    .collect::<Result<_, _>>()?,
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

        let calm_config = CalmConfig::default_landscape(seed);
        let calm_ports: Vec<u16> = match config.ports {
            Ports::Auto => Vec::new(),
            Ports::From(first) => {
                let base = u32::from(first) + 1 + ias_config.tenants.len() as u32;
                let count = 2 + 2 * calm_config.subaccounts.len() as u32;
                (base..base + count)
                    .map(|port| u16::try_from(port).map_err(|_| port_range(first)))
                    .collect::<Result<_, _>>()?
            }
        };
        let calm_admin_listener =
            bind(&config.host, calm_ports.first().copied().unwrap_or(0)).await?;
        let calm_admin_url = listener_url(scheme, &config.host, &calm_admin_listener)?;
        let (calm, calm_bound) = CalmMock::bind(
            calm_config,
            clock.clone(),
            &config.host,
            calm_ports.get(1..).unwrap_or_default(),
            scheme,
        )
        .await
        .map_err(|source| LandscapeError::Bind {
            address: format!(
                "{}:{:?}",
                config.host,
                calm_ports.get(1..).unwrap_or_default()
            ),
            source,
        })?;
        if let Some(ca) = &ca {
            calm.attach_ca(ca.clone());
        }
        let calm_kit = Arc::new(Kit::new(
            clock.clone(),
            admin_token.clone(),
            DEFAULT_CAPACITY,
        ));
        let calm_description = write_calm_keys(&state_dir, &calm, calm_admin_url)?;

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
        let calm_service: Arc<dyn MockService> = calm.clone();
        tasks.spawn(sapland_mock_kit::serve::serve(
            calm_admin_listener,
            sapland_mock_kit::admin::router(calm_kit.clone(), calm_service),
            tls.clone(),
            shutdown(stopped.clone()),
        ));
        tasks.spawn(sapland_mock_kit::serve::serve(
            calm_bound.api,
            calm.api_app(&calm_kit),
            tls.clone(),
            shutdown(stopped.clone()),
        ));
        for (subdomain, listener, cert_listener) in calm_bound.uaa {
            let (Some(uaa), Some(cert)) = (
                calm.uaa_app(&calm_kit, &subdomain),
                calm.uaa_cert_app(&calm_kit, &subdomain),
            ) else {
                continue;
            };
            tasks.spawn(sapland_mock_kit::serve::serve(
                listener,
                uaa,
                tls.clone(),
                shutdown(stopped.clone()),
            ));
            tasks.spawn(sapland_mock_kit::serve::serve(
                cert_listener,
                cert,
                tls.clone(),
                shutdown(stopped.clone()),
            ));
        }
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
            calm: calm_description,
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

/// The service keys of the default Cloud ALM instance, written into the state directory (owner
/// only: they hold a secret or a private key), and the description of the mock.
fn write_calm_keys(
    state_dir: &Path,
    calm: &CalmMock,
    admin_url: String,
) -> Result<CalmDescription, LandscapeError> {
    let service_key = state_dir.join(CALM_SERVICE_KEY_FILE);
    let x509_file = state_dir.join(CALM_SERVICE_KEY_X509_FILE);
    if let Some(key) = calm.secret_key(DEFAULT_SUBDOMAIN, DEFAULT_INSTANCE) {
        write_json(&service_key, &key)?;
    }
    let service_key_x509 = match calm.x509_key(DEFAULT_SUBDOMAIN, DEFAULT_INSTANCE) {
        Some(key) => {
            write_json(&x509_file, &key)?;
            Some(x509_file)
        }
        None => {
            let _ = std::fs::remove_file(&x509_file);
            None
        }
    };
    Ok(CalmDescription {
        url: calm.api_root().to_string(),
        admin_url,
        service_key,
        service_key_x509,
    })
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result<(), LandscapeError> {
    let text = serde_json::to_string_pretty(value).expect("a JSON value serializes");
    write_atomically(path, text.as_bytes(), true)
}

fn port_range(first: u16) -> LandscapeError {
    LandscapeError::Bind {
        address: format!("ports from {first}"),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the landscape's ports run past 65535; choose a lower first port",
        ),
    }
}

fn listener_url(
    scheme: &str,
    host: &str,
    listener: &TcpListener,
) -> Result<String, LandscapeError> {
    let port = listener
        .local_addr()
        .map_err(|source| LandscapeError::Bind {
            address: host.to_string(),
            source,
        })?
        .port();
    Ok(format!("{scheme}://{}:{port}", url_host(host)))
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
