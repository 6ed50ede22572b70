//! How the mock IAS is set up: tenants, their technical users and settings.

use sapland_core::scim::Secret;
use sapland_mock_kit::ids::IdGenerator;
use serde::{Deserialize, Serialize};

use crate::auth::{Role, TechnicalUser};
use crate::directory::Uniqueness;
use crate::throttle::ThrottleMode;

/// The mock IAS's configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IasConfig {
    /// The tenants, each served on its own port.
    pub tenants: Vec<TenantConfig>,
    /// SCIM throttling for every tenant.
    #[serde(default)]
    pub throttling: ThrottleMode,
    /// The seed of ids, secrets and tokens.
    #[serde(default)]
    pub seed: u64,
}

/// One tenant's configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TenantConfig {
    /// The tenant's name.
    pub name: String,
    /// Its technical users.
    #[serde(default)]
    pub technical_users: Vec<TechnicalUser>,
    /// Its user identifier settings.
    #[serde(default)]
    pub uniqueness: Uniqueness,
}

impl IasConfig {
    /// The default landscape: tenants `source` and `target`, each with one technical user that
    /// holds every role, with seeded client ids and secrets, and a certificate subject
    /// `CN=sapland-agent-<tenant>` for certificate authentication.
    pub fn default_landscape(seed: u64) -> Self {
        let mut ids = IdGenerator::derived(seed, "ias.technical-users");
        let tenants = ["source", "target"]
            .into_iter()
            .map(|name| TenantConfig {
                name: name.to_string(),
                technical_users: vec![TechnicalUser {
                    name: format!("sapland agent ({name})"),
                    client_id: ids.uuid(),
                    client_secret: Secret::new(ids.secret(32)),
                    certificate_subject: Some(format!("CN=sapland-agent-{name}")),
                    roles: Role::ALL.to_vec(),
                }],
                uniqueness: Uniqueness::default(),
            })
            .collect();
        Self {
            tenants,
            throttling: ThrottleMode::Sap,
            seed,
        }
    }
}
