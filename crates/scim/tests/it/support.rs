//! A landscape per test (manual clock at 2026-11-22T09:00:00Z, seed 7) and the admin calls
//! the tests make: throttling, seeding, fault rules, the journal.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig, TenantDescription};
use sapland_outbound::clock::{Clock, LandscapeClock, ManualClock};
use sapland_outbound::https::{ClientIdentity, HttpsOptions, PemSource, PrivateKeyPem};
use sapland_scim::{Auth, Client, ClientConfig, Dialect, RetryPolicy, Secret};
use serde_json::{Value, json};

/// When every landscape starts.
pub(crate) const START: &str = "2026-11-22T09:00:00Z";

/// A running landscape and what tests need around it.
pub(crate) struct Env {
    /// The landscape (stopped when the test's runtime ends).
    pub(crate) landscape: Landscape,
    /// An HTTPS client that trusts the landscape CA, for admin calls.
    pub(crate) admin: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Env {
    /// A landscape with SAP throttling on.
    pub(crate) async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = LandscapeConfig::new(dir.path().join("state"));
        config.clock = ClockChoice::Manual(START.parse::<Timestamp>().unwrap());
        config.seed = Some(7);
        let landscape = Landscape::start(config).await.unwrap();
        let admin = sapland_outbound::https::build(&HttpsOptions {
            extra_roots: vec![ca(&landscape)],
            ..HttpsOptions::default()
        })
        .unwrap();
        Self {
            landscape,
            admin,
            _dir: dir,
        }
    }

    /// A landscape whose target tenant does not throttle (for tests that are not about rate
    /// limits and send many requests at one landscape instant).
    pub(crate) async fn unthrottled() -> Self {
        let env = Self::start().await;
        env.throttling("target", "off").await;
        env
    }

    /// The `target` tenant.
    pub(crate) fn target(&self) -> &TenantDescription {
        self.tenant("target")
    }

    /// A tenant by name.
    pub(crate) fn tenant(&self, name: &str) -> &TenantDescription {
        self.landscape
            .description
            .ias
            .tenants
            .iter()
            .find(|t| t.name == name)
            .unwrap()
    }

    /// HTTPS options that trust the landscape CA.
    pub(crate) fn https(&self) -> HttpsOptions {
        HttpsOptions {
            extra_roots: vec![ca(&self.landscape)],
            timeout: Some(Duration::from_secs(10)),
            ..HttpsOptions::default()
        }
    }

    /// The target tenant's technical user certificate as a client identity.
    pub(crate) fn identity(&self) -> ClientIdentity {
        let user = &self.target().technical_user;
        let certificate = user.certificate.clone().unwrap();
        ClientIdentity {
            certificate: PemSource::new(
                certificate.display().to_string(),
                std::fs::read(&certificate).unwrap(),
            ),
            private_key: PrivateKeyPem::new(std::fs::read(user.key.clone().unwrap()).unwrap()),
        }
    }

    /// Basic with the target tenant's technical user (IPS `BasicAuthentication`).
    pub(crate) fn basic(&self) -> Auth {
        let user = &self.target().technical_user;
        Auth::Basic {
            user: user.client_id.clone(),
            password: Secret::new(user.client_secret.clone()),
        }
    }

    /// A configuration for the target tenant: no pacing, no retries unless a test sets them.
    pub(crate) fn config(&self, dialect: Dialect, auth: Auth) -> ClientConfig {
        let mut config = ClientConfig::new(self.target().url.clone(), dialect, auth);
        config.https = self.https();
        config.pace = None;
        config.retry = RetryPolicy::none();
        config
    }

    /// A client on a manual clock.
    pub(crate) fn client(&self, config: ClientConfig) -> (Client, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::new(START.parse().unwrap()));
        let client = Client::new(config, clock.clone()).unwrap();
        (client, clock)
    }

    /// The landscape clock, advanced by waiting on it.
    pub(crate) async fn landscape_clock(&self) -> Arc<LandscapeClock> {
        Arc::new(
            LandscapeClock::connect(
                self.admin.clone(),
                self.landscape.description.ias.admin_url.clone(),
                self.landscape.description.admin_token.clone(),
            )
            .await
            .unwrap(),
        )
    }

    /// A client on the landscape clock.
    pub(crate) async fn client_on_landscape_clock(
        &self,
        config: ClientConfig,
    ) -> (Client, Arc<dyn Clock>) {
        let clock: Arc<dyn Clock> = self.landscape_clock().await;
        (Client::new(config, clock.clone()).unwrap(), clock)
    }

    async fn admin_call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.landscape.description.ias.admin_url);
        let mut request = self
            .admin
            .request(method, url)
            .bearer_auth(&self.landscape.description.admin_token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = request.send().await.unwrap();
        let status = answer.status();
        let text = answer.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// `PUT /_admin/ias/tenants/{tenant}/throttling`.
    pub(crate) async fn throttling(&self, tenant: &str, mode: &str) {
        self.admin_call(
            reqwest::Method::PUT,
            &format!("/_admin/ias/tenants/{tenant}/throttling"),
            Some(json!({ "mode": mode })),
        )
        .await;
    }

    /// Seeds the target tenant with `users` deterministic users.
    pub(crate) async fn seed(&self, users: u32, groups: u32) {
        self.admin_call(
            reqwest::Method::POST,
            "/_admin/ias/tenants/target/seed",
            Some(json!({ "users": users, "groups": groups, "seed": 7 })),
        )
        .await;
    }

    /// Adds a fault rule.
    pub(crate) async fn fault(&self, rule: Value) {
        self.admin_call(reqwest::Method::POST, "/_admin/faults", Some(rule))
            .await;
    }

    /// Every journal entry (oldest first).
    pub(crate) async fn journal(&self) -> Vec<Value> {
        let body = self
            .admin_call(reqwest::Method::GET, "/_admin/journal?limit=10000", None)
            .await;
        body["entries"].as_array().cloned().unwrap_or_default()
    }

    /// Journal entries whose path starts with `prefix`.
    pub(crate) async fn requests_to(&self, prefix: &str) -> Vec<Value> {
        self.journal()
            .await
            .into_iter()
            .filter(|e| e["path"].as_str().is_some_and(|p| p.starts_with(prefix)))
            .collect()
    }
}

fn ca(landscape: &Landscape) -> PemSource {
    let path = landscape.description.ca_cert.clone().unwrap();
    PemSource::new(
        format!("--ca-cert {}", path.display()),
        std::fs::read(&path).unwrap(),
    )
}

/// A v2 user.
pub(crate) fn user(name: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": name,
        "name": {"givenName": "Test", "familyName": name},
        "emails": [{"value": format!("{name}@example.com"), "primary": true}],
        "active": true
    })
}

/// The value of a header in a journal entry.
pub(crate) fn header<'a>(entry: &'a Value, name: &str) -> Option<&'a str> {
    entry["requestHeaders"]
        .as_array()?
        .iter()
        .find(|pair| {
            pair[0]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .and_then(|pair| pair[1].as_str())
}
