//! The mock Cloud ALM as the landscape runs it: the API root on one listener, each subaccount's
//! UAA on two (`uaa.url`, `uaa.certurl`), the kit's observe layer in front of all of them, and
//! the kit's admin surface with Cloud ALM extras on a separate listener.
//!
//! It declares itself to the landscape ([`MockPlan`] for [`CalmConfig`], [`DeclaredMock`] for
//! [`CalmMock`]): the admin listener, the API root, then per subaccount its `uaa.url` and
//! `uaa.certurl`; its `landscape.json` object is [`CalmDescription`], naming the service keys of
//! the default instance that it writes into the state directory.

use std::sync::{Arc, OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::{Router, middleware};
use jiff::SignedDuration;
use sapland_core::landscape::CalmDescription;
use sapland_mock_kit::ca::LandscapeCa;
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::declare::{DeclareError, DeclaredMock, Listener, MockPlan, Site};
use sapland_mock_kit::kit::Kit;
use sapland_mock_kit::observe::{Observed, observe};
use sapland_mock_kit::service::MockService;
use serde_json::{Value, json};

use crate::config::{CalmConfig, CredentialType, DEFAULT_INSTANCE, DEFAULT_SUBDOMAIN};
use crate::instances::{self, Instance, InstanceError, X509Credentials, Zone};
use crate::scopes::{self, Scope};
use crate::tenant::Tenant;
use crate::uaa::Uaa;

/// Where the mock is served: the API root and, per subaccount in configuration order, the UAA's
/// `url` and `certurl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalmUrls {
    /// The API root, without `/api` (the service key's `endpoints.Api` minus `/api`).
    pub api: String,
    /// `(url, certurl)` of each subaccount's UAA.
    pub uaa: Vec<(String, String)>,
}

/// Why the mock cannot be built as configured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalmError {
    /// The configuration is inconsistent.
    #[error("calm configuration: {0}")]
    Config(String),
}

/// Who called the API: the client a valid token was issued to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The client id.
    pub client_id: String,
    /// The token's scopes.
    pub scopes: Vec<String>,
}

/// Why a call is refused before it reaches its endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// No token, or one that is unknown or expired (401).
    #[error("{0}")]
    Unauthorized(String),
    /// A valid token without the endpoint's scope (403).
    #[error("{0}")]
    Forbidden(String),
}

/// The mock Cloud ALM.
#[derive(Debug)]
pub struct CalmMock {
    config: CalmConfig,
    clock: Clock,
    api_root: String,
    uaas: Vec<Arc<Uaa>>,
    instances: RwLock<Vec<Instance>>,
    tenant: RwLock<Tenant>,
    ca: OnceLock<Arc<LandscapeCa>>,
}

impl CalmMock {
    /// The mock as `config` describes it, served at `urls`, on the landscape `clock`.
    pub fn new(config: CalmConfig, urls: CalmUrls, clock: Clock) -> Result<Self, CalmError> {
        if urls.uaa.len() != config.subaccounts.len() {
            return Err(CalmError::Config(format!(
                "{} subaccounts but {} UAA URLs",
                config.subaccounts.len(),
                urls.uaa.len()
            )));
        }
        if config.token_lifetime_seconds <= 0 {
            return Err(CalmError::Config(
                "tokenLifetimeSeconds: expected a positive number of seconds".into(),
            ));
        }
        let mut instances = Vec::new();
        for (i, subaccount) in config.subaccounts.iter().enumerate() {
            if config.subaccounts[..i]
                .iter()
                .any(|s| s.subdomain == subaccount.subdomain)
            {
                return Err(CalmError::Config(format!(
                    "subaccounts[{i}].subdomain: {:?} appears twice",
                    subaccount.subdomain
                )));
            }
            for (j, instance) in subaccount.instances.iter().enumerate() {
                let built = Instance::new(
                    config.seed,
                    &subaccount.subdomain,
                    &instance.name,
                    &instance.authorities,
                    &instance.credential_types,
                    true,
                )
                .map_err(|err| {
                    CalmError::Config(format!("subaccounts[{i}].instances[{j}]: {err}"))
                })?;
                if instances.iter().any(|other: &Instance| {
                    other.subaccount == built.subaccount && other.name == built.name
                }) {
                    return Err(CalmError::Config(format!(
                        "subaccounts[{i}].instances[{j}].name: {:?} appears twice",
                        built.name
                    )));
                }
                instances.push(built);
            }
        }
        let lifetime = SignedDuration::from_secs(config.token_lifetime_seconds);
        let uaas = config
            .subaccounts
            .iter()
            .zip(urls.uaa)
            .map(|(subaccount, (url, certurl))| {
                let zone = Zone::new(config.seed, &subaccount.subdomain, url, certurl);
                Arc::new(Uaa::new(
                    zone,
                    config.seed,
                    lifetime,
                    instances
                        .iter()
                        .filter(|i| i.subaccount == subaccount.subdomain),
                ))
            })
            .collect();
        Ok(Self {
            tenant: RwLock::new(Tenant::new(&config)),
            config,
            clock,
            api_root: urls.api,
            uaas,
            instances: RwLock::new(instances),
            ca: OnceLock::new(),
        })
    }

    /// Lets the mock issue client certificates from the landscape CA for `x509` bindings; the
    /// first CA attached stays.
    pub fn attach_ca(&self, ca: Arc<LandscapeCa>) {
        let _ = self.ca.set(ca);
    }

    /// The configuration the mock starts from.
    pub fn config(&self) -> &CalmConfig {
        &self.config
    }

    /// The landscape clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The API root (without `/api`).
    pub fn api_root(&self) -> &str {
        &self.api_root
    }

    /// Each subaccount's UAA.
    pub fn uaas(&self) -> &[Arc<Uaa>] {
        &self.uaas
    }

    /// The UAA of a subaccount.
    pub fn uaa(&self, subdomain: &str) -> Option<Arc<Uaa>> {
        self.uaas
            .iter()
            .find(|u| u.zone.subdomain == subdomain)
            .cloned()
    }

    /// The tenant's data, for reading.
    pub fn tenant(&self) -> RwLockReadGuard<'_, Tenant> {
        self.tenant.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The tenant's data, for writing.
    pub fn tenant_mut(&self) -> RwLockWriteGuard<'_, Tenant> {
        self.tenant.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every service instance.
    pub fn instances(&self) -> Vec<Instance> {
        self.instances
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The instance `name` of subaccount `subdomain`.
    pub fn instance(&self, subdomain: &str, name: &str) -> Option<Instance> {
        self.instances()
            .into_iter()
            .find(|i| i.subaccount == subdomain && i.name == name)
    }

    /// The service key of an instance's `binding-secret` binding, in the real format.
    pub fn secret_key(&self, subdomain: &str, name: &str) -> Option<Value> {
        let instance = self.instance(subdomain, name)?;
        let uaa = self.uaa(subdomain)?;
        instances::secret_key(&self.api_root, &uaa.zone, &instance)
    }

    /// The certificate and key of an instance's `x509` binding, issued now by the landscape CA.
    /// `None` when the instance has no X.509 binding or no CA is attached (plain HTTP).
    pub fn issue_x509(&self, instance: &Instance) -> Option<X509Credentials> {
        let ca = self.ca.get()?;
        let common_name = instance.certificate_common_name()?;
        let identity = ca.client_identity(common_name).ok()?;
        let mut chain = identity.cert_pem.clone();
        if !chain.ends_with('\n') {
            chain.push('\n');
        }
        chain.push_str(ca.cert_pem());
        Some(X509Credentials {
            certificate_pem: chain,
            key_pem: identity.key_pem,
        })
    }

    /// The service key of an instance's `x509` binding with a freshly issued certificate, in the
    /// real format. `None` as for [`CalmMock::issue_x509`].
    pub fn x509_key(&self, subdomain: &str, name: &str) -> Option<Value> {
        let instance = self.instance(subdomain, name)?;
        let uaa = self.uaa(subdomain)?;
        let credentials = self.issue_x509(&instance)?;
        instances::x509_key(&self.api_root, &uaa.zone, &instance, &credentials)
    }

    /// Creates a service instance with one binding of `credential_type` (admin surface) and
    /// answers its service key. The name must be new in the subaccount.
    pub fn create_instance(
        &self,
        subdomain: &str,
        name: &str,
        authorities: &[String],
        credential_type: CredentialType,
    ) -> Result<Value, String> {
        let uaa = self.uaa(subdomain).ok_or_else(|| {
            format!("$.subaccount: no subaccount {subdomain:?} in this landscape")
        })?;
        if self.instance(subdomain, name).is_some() {
            return Err(format!(
                "$.name: the subaccount {subdomain:?} already has an instance {name:?}"
            ));
        }
        let instance = Instance::new(
            self.config.seed,
            subdomain,
            name,
            authorities,
            &[credential_type],
            false,
        )
        .map_err(|err: InstanceError| err.to_string())?;
        let key = match credential_type {
            CredentialType::BindingSecret => {
                instances::secret_key(&self.api_root, &uaa.zone, &instance)
            }
            CredentialType::X509 => {
                let credentials = self.issue_x509(&instance).ok_or(
                    "$.credentialType: x509 keys need the landscape CA, and this landscape serves plain HTTP",
                )?;
                instances::x509_key(&self.api_root, &uaa.zone, &instance, &credentials)
            }
        }
        .ok_or("$.credentialType: the instance has no binding of this type")?;
        uaa.register(&instance);
        self.instances
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(instance);
        Ok(key)
    }

    /// Checks the bearer token of an API call against every subaccount's UAA and the scope the
    /// endpoint needs: 401 without a valid token, 403 without the scope (reference §1.5).
    pub fn authorize(&self, authorization: Option<&str>, scope: Scope) -> Result<Caller, Denied> {
        let token = authorization
            .and_then(|h| h.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .ok_or_else(|| {
                Denied::Unauthorized(
                    "Unauthorized: send Authorization: Bearer <access_token> from the UAA (uaa.url + /oauth/token)".into(),
                )
            })?;
        let now = self.clock.now();
        let mut expired = None;
        for uaa in &self.uaas {
            match uaa.validate(token, now) {
                Ok(issued) => {
                    if !scopes::grants(&issued.scopes, scope) {
                        return Err(Denied::Forbidden(format!(
                            "Forbidden: the token lacks the scope {0}; the service instance needs the authority $XSMASTERAPPNAME.{0}",
                            scope.name()
                        )));
                    }
                    return Ok(Caller {
                        client_id: issued.client_id,
                        scopes: issued.scopes,
                    });
                }
                Err(sapland_mock_kit::oauth::TokenError::Expired(at)) => expired = Some(at),
                Err(sapland_mock_kit::oauth::TokenError::Unknown) => {}
            }
        }
        Err(Denied::Unauthorized(match expired {
            Some(at) => format!("Unauthorized: the access token expired at {at}"),
            None => "Unauthorized: the access token is not known".into(),
        }))
    }

    /// The SAP-facing API router with the kit's observe layer.
    pub fn api_app(self: &Arc<Self>, kit: &Arc<Kit>) -> Router {
        self.observed(crate::routes::api_router(self.clone()), kit)
    }

    /// The `uaa.url` router of a subaccount with the kit's observe layer.
    pub fn uaa_app(self: &Arc<Self>, kit: &Arc<Kit>, subdomain: &str) -> Option<Router> {
        let uaa = self.uaa(subdomain)?;
        Some(self.observed(crate::routes::uaa_router(self.clone(), uaa, false), kit))
    }

    /// The `uaa.certurl` router of a subaccount with the kit's observe layer.
    pub fn uaa_cert_app(self: &Arc<Self>, kit: &Arc<Kit>, subdomain: &str) -> Option<Router> {
        let uaa = self.uaa(subdomain)?;
        Some(self.observed(crate::routes::uaa_router(self.clone(), uaa, true), kit))
    }

    fn observed(self: &Arc<Self>, router: Router, kit: &Arc<Kit>) -> Router {
        let service: Arc<dyn MockService> = self.clone();
        router.layer(middleware::from_fn_with_state(
            Observed {
                kit: kit.clone(),
                service,
            },
            observe,
        ))
    }
}

/// The file, in the state directory, of the default instance's service key with a client secret.
pub const CALM_SERVICE_KEY_FILE: &str = "calm-service-key.json";
/// The file, in the state directory, of the default instance's service key with an X.509
/// certificate.
pub const CALM_SERVICE_KEY_X509_FILE: &str = "calm-service-key-x509.json";

/// One listener of the mock, in port order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Served {
    /// The admin surface.
    Admin,
    /// The API root.
    Api,
    /// The `uaa.url` of subaccount `i`.
    Uaa(usize),
    /// The `uaa.certurl` of subaccount `i`.
    UaaCert(usize),
}

/// The listeners of a mock with `subaccounts` subaccounts, in port order: admin, API, then
/// `uaa.url` and `uaa.certurl` of each subaccount.
fn layout(subaccounts: usize) -> Vec<Served> {
    let mut listeners = vec![Served::Admin, Served::Api];
    for i in 0..subaccounts {
        listeners.extend([Served::Uaa(i), Served::UaaCert(i)]);
    }
    listeners
}

/// The landscape declaration, listeners as [`layout`] orders them.
impl MockPlan for CalmConfig {
    type Mock = CalmMock;

    fn listeners(&self) -> Vec<Listener> {
        layout(self.subaccounts.len())
            .into_iter()
            .map(|served| match served {
                Served::Admin => Listener::admin("Cloud ALM admin"),
                Served::Api => Listener::sap("Cloud ALM API"),
                Served::Uaa(i) => {
                    Listener::sap(format!("Cloud ALM UAA {}", self.subaccounts[i].subdomain))
                }
                Served::UaaCert(i) => Listener::sap(format!(
                    "Cloud ALM UAA certificate listener {}",
                    self.subaccounts[i].subdomain
                )),
            })
            .collect()
    }

    fn build(self, urls: &[String], site: &Site) -> Result<Arc<CalmMock>, DeclareError> {
        let url = |i: usize| urls.get(i).cloned().unwrap_or_default();
        let mut calm_urls = CalmUrls {
            api: String::new(),
            uaa: Vec::new(),
        };
        for (i, served) in layout(self.subaccounts.len()).into_iter().enumerate() {
            match served {
                Served::Admin | Served::UaaCert(_) => {}
                Served::Api => calm_urls.api = url(i),
                Served::Uaa(_) => calm_urls.uaa.push((url(i), url(i + 1))),
            }
        }
        let mock = CalmMock::new(self, calm_urls, site.clock().clone())
            .map_err(|err| DeclareError::Config(err.to_string()))?;
        if let Some(ca) = site.ca() {
            mock.attach_ca(ca.clone());
        }
        Ok(Arc::new(mock))
    }
}

impl DeclaredMock for CalmMock {
    fn sap_router(self: Arc<Self>, listener: usize, kit: &Arc<Kit>) -> Option<Router> {
        match layout(self.uaas.len()).get(listener)? {
            Served::Admin => None,
            Served::Api => Some(self.api_app(kit)),
            Served::Uaa(i) => {
                let subdomain = self.uaas.get(*i)?.zone.subdomain.clone();
                self.uaa_app(kit, &subdomain)
            }
            Served::UaaCert(i) => {
                let subdomain = self.uaas.get(*i)?.zone.subdomain.clone();
                self.uaa_cert_app(kit, &subdomain)
            }
        }
    }

    /// `{url, admin_url, service_key, service_key_x509}`: the service keys of the default
    /// instance, written into the state directory (owner only: they hold a secret or a private
    /// key); no X.509 key without the landscape CA.
    fn describe(&self, urls: &[String], site: &Site) -> Result<Value, DeclareError> {
        let service_key = site.state_dir().join(CALM_SERVICE_KEY_FILE);
        if let Some(key) = self.secret_key(DEFAULT_SUBDOMAIN, DEFAULT_INSTANCE) {
            site.write_file(CALM_SERVICE_KEY_FILE, &pretty(&key), true)?;
        }
        let service_key_x509 = match self.x509_key(DEFAULT_SUBDOMAIN, DEFAULT_INSTANCE) {
            Some(key) => Some(site.write_file(CALM_SERVICE_KEY_X509_FILE, &pretty(&key), true)?),
            None => {
                site.remove_file(CALM_SERVICE_KEY_X509_FILE);
                None
            }
        };
        let description = CalmDescription {
            url: self.api_root.clone(),
            admin_url: urls.first().cloned().unwrap_or_default(),
            service_key,
            service_key_x509,
        };
        Ok(serde_json::to_value(description).expect("the description serializes"))
    }
}

fn pretty(value: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(value).expect("a JSON value serializes")
}

impl MockService for CalmMock {
    fn name(&self) -> &'static str {
        "calm"
    }

    fn reset(&self) {
        let configured: Vec<Instance> = self
            .instances()
            .into_iter()
            .filter(|i| i.configured)
            .collect();
        for uaa in &self.uaas {
            uaa.reset(
                configured
                    .iter()
                    .filter(|i| i.subaccount == uaa.zone.subdomain),
            );
        }
        *self
            .instances
            .write()
            .unwrap_or_else(PoisonError::into_inner) = configured;
        *self.tenant_mut() = Tenant::new(&self.config);
    }

    fn export_state(&self) -> Value {
        self.tenant().export()
    }

    fn import_state(&self, snapshot: Value) -> Result<(), String> {
        let tenant = Tenant::import(&snapshot, &self.config)?;
        *self.tenant_mut() = tenant;
        Ok(())
    }

    fn admin_routes(self: Arc<Self>) -> Router {
        crate::admin::routes(self)
    }

    fn error_body(&self, status: u16, detail: &str) -> (&'static str, Vec<u8>) {
        let body = crate::routes::error_body(status, detail);
        ("application/json", body.to_string().into_bytes())
    }
}

/// What `GET /_admin/calm/instances` shows: every instance without secrets.
pub fn instances_view(mock: &CalmMock) -> Value {
    json!({ "instances": mock.instances().iter().map(Instance::view).collect::<Vec<_>>() })
}
