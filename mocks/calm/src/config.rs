//! How the mock Cloud ALM is set up: subaccounts with their service instances, the token
//! lifetime, the pre-registered Identity Provisioning service, the job rating rules and the page
//! limit of the logs API.

use serde::{Deserialize, Serialize};

use crate::scopes::Scope;

/// XSUAA's usual token lifetime, 12 hours less a second ([DOC]-adjacent, reference §1.4: no
/// public Cloud ALM statement; the mock answers `expires_in: 43199` and lets it be configured).
pub const DEFAULT_TOKEN_LIFETIME_SECONDS: i64 = 43_199;

/// How many log records one read returns at most (**proposed**: the real limit is not public).
pub const DEFAULT_LOGS_PAGE_LIMIT: usize = 1_000;

/// The mock Cloud ALM's configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CalmConfig {
    /// The BTP subaccounts whose UAA issues tokens for the API (each on its own listeners).
    pub subaccounts: Vec<SubaccountConfig>,
    /// Seconds a token lives (`expires_in`).
    #[serde(default = "default_lifetime")]
    pub token_lifetime_seconds: i64,
    /// The seed of ids, client ids, secrets and tokens.
    #[serde(default)]
    pub seed: u64,
    /// The SAP-managed Identity Provisioning service pre-registered in Landscape Management
    /// (reference §4); `None` registers none.
    #[serde(default = "CloudServiceConfig::identity_provisioning_default")]
    pub identity_provisioning: Option<CloudServiceConfig>,
    /// How job executions are rated (**proposed**).
    #[serde(default)]
    pub ratings: RatingRules,
    /// The page limit of `GET /calm-logs/v1/logs` (**proposed** value).
    #[serde(default = "default_logs_page_limit")]
    pub logs_page_limit: usize,
}

fn default_lifetime() -> i64 {
    DEFAULT_TOKEN_LIFETIME_SECONDS
}

fn default_logs_page_limit() -> usize {
    DEFAULT_LOGS_PAGE_LIMIT
}

/// One subaccount: its subdomain (the UAA's identity zone) and its service instances.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubaccountConfig {
    /// The subdomain, which the binding shows as `uaa.identityzone`.
    pub subdomain: String,
    /// The *SAP Cloud ALM API* service instances of the subaccount.
    #[serde(default)]
    pub instances: Vec<InstanceConfig>,
}

/// One service instance of *SAP Cloud ALM API*, plan `standard` (reference §1.1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceConfig {
    /// The instance name (at most 32 characters: letters, digits, `.`, `-`, `_`).
    pub name: String,
    /// The `xs-security.authorities`, as `$XSMASTERAPPNAME.calm-api.…` or `calm-api.…`.
    pub authorities: Vec<String>,
    /// The credential types of its bindings: a secret binding, an X.509 binding, or both.
    #[serde(default = "default_credential_types")]
    pub credential_types: Vec<CredentialType>,
}

fn default_credential_types() -> Vec<CredentialType> {
    vec![CredentialType::BindingSecret]
}

/// The `credential-type` of a binding (reference §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CredentialType {
    /// A client secret per binding (`binding-secret`).
    #[serde(rename = "binding-secret")]
    BindingSecret,
    /// A client certificate and key issued for the binding (`x509`).
    #[serde(rename = "x509")]
    X509,
}

impl CredentialType {
    /// The value of `uaa.credential-type`.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialType::BindingSecret => "binding-secret",
            CredentialType::X509 => "x509",
        }
    }
}

/// A cloud service that SAP registers in Landscape Management itself (source `SLIS`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudServiceConfig {
    /// The name shown in Landscape Management.
    pub name: String,
    /// The service type (**proposed** name for Identity Provisioning).
    pub service_type: String,
}

impl CloudServiceConfig {
    /// Identity Provisioning as the mock registers it by default.
    pub fn identity_provisioning() -> Self {
        Self {
            name: "Identity Provisioning".into(),
            service_type: "SAP_CLOUD_IDENTITY_PROVISIONING".into(),
        }
    }

    fn identity_provisioning_default() -> Option<Self> {
        Some(Self::identity_provisioning())
    }
}

/// How Job & Automation Monitoring rates an execution (**proposed**: SAP names the rated aspects
/// — execution status, application status, start delay, run time — but not the thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RatingRules {
    /// A run time above this multiple of the median of earlier executions is a warning.
    pub run_time_warning_factor: f64,
    /// A run time above this multiple of the median of earlier executions is critical.
    pub run_time_critical_factor: f64,
    /// A start delay above this many seconds is a warning.
    pub start_delay_warning_seconds: i64,
    /// A start delay above this many seconds is critical.
    pub start_delay_critical_seconds: i64,
}

impl Default for RatingRules {
    fn default() -> Self {
        Self {
            run_time_warning_factor: 1.5,
            run_time_critical_factor: 3.0,
            start_delay_warning_seconds: 5 * 60,
            start_delay_critical_seconds: 15 * 60,
        }
    }
}

/// The subdomain of the landscape's default subaccount.
pub const DEFAULT_SUBDOMAIN: &str = "sapland";

/// The name of the landscape's default service instance.
pub const DEFAULT_INSTANCE: &str = "sapland-agent";

impl CalmConfig {
    /// The default landscape: one subaccount `sapland` with one instance `sapland-agent` that
    /// holds every scope the API checks, bound by a secret and (with TLS) by an X.509 certificate.
    pub fn default_landscape(seed: u64) -> Self {
        Self {
            subaccounts: vec![SubaccountConfig {
                subdomain: DEFAULT_SUBDOMAIN.into(),
                instances: vec![InstanceConfig {
                    name: DEFAULT_INSTANCE.into(),
                    authorities: Scope::ALL
                        .iter()
                        .map(|scope| format!("$XSMASTERAPPNAME.{}", scope.name()))
                        .collect(),
                    credential_types: vec![CredentialType::BindingSecret, CredentialType::X509],
                }],
            }],
            token_lifetime_seconds: DEFAULT_TOKEN_LIFETIME_SECONDS,
            seed,
            identity_provisioning: Some(CloudServiceConfig::identity_provisioning()),
            ratings: RatingRules::default(),
            logs_page_limit: DEFAULT_LOGS_PAGE_LIMIT,
        }
    }
}
