//! The mock IAS as the landscape runs it: tenants on their own listeners, the kit's observe layer
//! in front, and the kit's admin surface with IAS extras on a separate listener.
//!
//! It declares itself to the landscape ([`MockPlan`] for [`IasConfig`], [`DeclaredMock`] for
//! [`IasMock`]): the admin listener first, then one listener per tenant in configuration order;
//! its `landscape.json` object is [`IasDescription`], with a client certificate per tenant's
//! technical user issued by the landscape CA.

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use sapland_core::landscape::{IasDescription, TechnicalUserDescription, TenantDescription};
use sapland_mock_kit::declare::{DeclareError, DeclaredMock, Listener, MockPlan, Site};
use sapland_mock_kit::kit::Kit;
use sapland_mock_kit::observe::{Observed, observe};
use sapland_mock_kit::service::MockService;
use serde_json::{Value, json};

use crate::config::IasConfig;
use crate::directory::DirectorySnapshot;
use crate::routes::{TenantState, tenant_router};
use crate::tenant::Tenant;

/// The mock IAS: every tenant and the configuration they start from.
#[derive(Debug)]
pub struct IasMock {
    config: IasConfig,
    tenants: Vec<Arc<Tenant>>,
}

impl IasMock {
    /// The mock with its tenants served at `tenant_urls` (in tenant order).
    pub fn new(config: IasConfig, tenant_urls: &[String]) -> Self {
        let tenants = config
            .tenants
            .iter()
            .zip(tenant_urls)
            .enumerate()
            .map(|(i, (tenant, url))| {
                Arc::new(Tenant::new(
                    tenant,
                    url.clone(),
                    config.throttling,
                    config.seed.wrapping_add(i as u64 + 1),
                ))
            })
            .collect();
        Self { tenants, config }
    }

    /// The tenants.
    pub fn tenants(&self) -> Vec<Arc<Tenant>> {
        self.tenants.clone()
    }

    /// The tenant of this name.
    pub fn tenant(&self, name: &str) -> Option<Arc<Tenant>> {
        self.tenants().into_iter().find(|t| t.name == name)
    }

    /// The SAP-facing router of one tenant, with the kit's observe layer.
    pub fn tenant_app(self: &Arc<Self>, kit: &Arc<Kit>, name: &str) -> Option<Router> {
        let tenant = self.tenant(name)?;
        tenant.attach_clock(kit.clock.clone());
        let service: Arc<dyn MockService> = self.clone();
        let router = tenant_router(TenantState {
            tenant,
            kit: kit.clone(),
        })
        .layer(middleware::from_fn_with_state(
            Observed {
                kit: kit.clone(),
                service,
            },
            observe,
        ));
        Some(router)
    }

    /// Trusts a CA certificate (PEM), such as the landscape CA, for the real-time pushes of every
    /// tenant.
    pub fn trust_for_pushes(&self, ca_pem: &str) {
        for tenant in &self.tenants {
            tenant.realtime().trust(ca_pem);
        }
    }

    /// The configuration the mock starts from.
    pub fn config(&self) -> &IasConfig {
        &self.config
    }
}

/// The landscape declaration: listener 0 is the admin surface, listener `1 + i` tenant `i`.
impl MockPlan for IasConfig {
    type Mock = IasMock;

    fn listeners(&self) -> Vec<Listener> {
        std::iter::once(Listener::admin("IAS admin"))
            .chain(
                self.tenants
                    .iter()
                    .map(|tenant| Listener::sap(format!("IAS tenant {}", tenant.name))),
            )
            .collect()
    }

    fn build(self, urls: &[String], site: &Site) -> Result<Arc<IasMock>, DeclareError> {
        let tenant_urls = urls.get(1..).unwrap_or_default();
        if tenant_urls.len() != self.tenants.len() {
            return Err(DeclareError::Config(format!(
                "{} IAS tenants but {} tenant URLs",
                self.tenants.len(),
                tenant_urls.len()
            )));
        }
        let mock = IasMock::new(self, tenant_urls);
        if let Some(ca) = site.ca() {
            mock.trust_for_pushes(ca.cert_pem());
        }
        Ok(Arc::new(mock))
    }
}

impl DeclaredMock for IasMock {
    fn sap_router(self: Arc<Self>, listener: usize, kit: &Arc<Kit>) -> Option<Router> {
        let tenant = self.tenants.get(listener.checked_sub(1)?)?.name.clone();
        self.tenant_app(kit, &tenant)
    }

    /// `{url, admin_url, tenants}`; each tenant's first technical user, with a client
    /// certificate `ias-<tenant>-client.pem` when it has a certificate subject and the landscape
    /// has a CA.
    fn describe(&self, urls: &[String], site: &Site) -> Result<Value, DeclareError> {
        let mut tenants = Vec::new();
        for (config, tenant) in self.config.tenants.iter().zip(&self.tenants) {
            let user = config.technical_users.first().ok_or_else(|| {
                DeclareError::Config(format!(
                    "IAS tenant {:?}: the landscape describes a tenant by its first technical user, and it has none",
                    config.name
                ))
            })?;
            let files = match &user.certificate_subject {
                Some(subject) => site.write_client_identity(
                    subject.trim_start_matches("CN="),
                    &format!("ias-{}-client", tenant.name),
                )?,
                None => None,
            };
            let (certificate, key) = files.unzip();
            tenants.push(TenantDescription {
                name: tenant.name.clone(),
                url: tenant.url.clone(),
                token_url: format!("{}/oauth2/token", tenant.url),
                technical_user: TechnicalUserDescription {
                    client_id: user.client_id.clone(),
                    client_secret: user.client_secret.expose().to_string(),
                    certificate,
                    key,
                },
            });
        }
        let description = IasDescription {
            url: tenants.first().map(|t| t.url.clone()).unwrap_or_default(),
            admin_url: urls.first().cloned().unwrap_or_default(),
            tenants,
        };
        Ok(serde_json::to_value(description).expect("the description serializes"))
    }
}

impl MockService for IasMock {
    fn name(&self) -> &'static str {
        "ias"
    }

    fn reset(&self) {
        for tenant in &self.tenants {
            tenant.reset();
        }
    }

    fn export_state(&self) -> Value {
        let tenants: Vec<Value> = self
            .tenants()
            .iter()
            .map(
                |tenant| json!({ "name": tenant.name, "directory": tenant.directory().snapshot() }),
            )
            .collect();
        json!({ "tenants": tenants })
    }

    fn import_state(&self, snapshot: Value) -> Result<(), String> {
        let entries = snapshot
            .get("tenants")
            .and_then(Value::as_array)
            .ok_or("$.tenants: expected an array of tenants")?;
        let tenants = self.tenants();
        let mut restored = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let name = entry
                .get("name")
                .and_then(Value::as_str)
                .ok_or(format!("$.tenants[{i}].name: expected a string"))?;
            let tenant = tenants.iter().find(|t| t.name == name).ok_or(format!(
                "$.tenants[{i}].name: no tenant {name:?} in this landscape"
            ))?;
            let directory: DirectorySnapshot =
                serde_json::from_value(entry.get("directory").cloned().unwrap_or(Value::Null))
                    .map_err(|err| format!("$.tenants[{i}].directory: {err}"))?;
            let mut copy = tenant.directory().clone();
            copy.restore(directory).map_err(|err| {
                format!("$.tenants[{i}].directory{}", err.trim_start_matches('$'))
            })?;
            restored.push((tenant.clone(), copy));
        }
        for (tenant, directory) in restored {
            *tenant.directory_mut() = directory;
        }
        Ok(())
    }

    fn admin_routes(self: Arc<Self>) -> Router {
        crate::admin::routes(self)
    }

    fn error_body(&self, status: u16, detail: &str) -> (&'static str, Vec<u8>) {
        let error = sapland_core::scim::ScimError::new(status, detail);
        (
            "application/scim+json",
            serde_json::to_vec(&error).unwrap_or_default(),
        )
    }
}
