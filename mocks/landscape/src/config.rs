//! How to start a landscape: where its state lives, where it listens, its clock and seed.

use std::path::PathBuf;

use jiff::Timestamp;
use sapland_mock_ias::throttle::ThrottleMode;

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
    /// From this port upwards, one per listener in the order the mocks declare them: IAS admin,
    /// then one per IAS tenant; then Cloud ALM admin, Cloud ALM API, and per subaccount its UAA
    /// (`uaa.url`) and UAA certificate listener (`uaa.certurl`). The default landscape: 8440
    /// IAS admin, 8441–8442 tenants, 8443 Cloud ALM admin, 8444 API, 8445 UAA, 8446 UAA
    /// certificate.
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
