//! One IAS tenant: its directory, technical users, token issuer, throttle and real-time
//! provisioning.

use std::sync::{
    Mutex, MutexGuard, OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard,
};

use jiff::SignedDuration;
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::ids::IdGenerator;
use sapland_mock_kit::oauth::{Issuer, OAuthClient};

use crate::auth::TechnicalUser;
use crate::config::TenantConfig;
use crate::directory::Directory;
use crate::realtime::Realtime;
use crate::throttle::{Throttle, ThrottleMode};

/// How long IAS tokens live: `expires_in` 3600 ([DOC] §3.2).
pub const TOKEN_LIFETIME: SignedDuration = SignedDuration::from_secs(3600);

/// One tenant of the mock. A tenant object lives as long as the mock; reset puts its contents
/// back in place, so every router keeps serving the same tenant.
#[derive(Debug)]
pub struct Tenant {
    /// The tenant's name (`source`, `target`).
    pub name: String,
    /// The tenant's base URL, such as `https://127.0.0.1:8443`.
    pub url: String,
    initial: TenantConfig,
    throttling: ThrottleMode,
    seed: u64,
    directory: RwLock<Directory>,
    technical_users: RwLock<Vec<TechnicalUser>>,
    issuer: Mutex<Issuer>,
    throttle: Mutex<Throttle>,
    realtime: Realtime,
    clock: OnceLock<Clock>,
}

impl Tenant {
    /// A tenant at `url` as `config` describes it.
    pub fn new(
        config: &TenantConfig,
        url: impl Into<String>,
        throttling: ThrottleMode,
        seed: u64,
    ) -> Self {
        let url = url.into();
        Self {
            name: config.name.clone(),
            directory: RwLock::new(Directory::new(url.clone(), config.uniqueness.clone(), seed)),
            technical_users: RwLock::new(config.technical_users.clone()),
            issuer: Mutex::new(Self::fresh_issuer(config, seed)),
            throttle: Mutex::new(Throttle::new(throttling)),
            realtime: Realtime::new(seed),
            clock: OnceLock::new(),
            url,
            initial: config.clone(),
            throttling,
            seed,
        }
    }

    fn fresh_issuer(config: &TenantConfig, seed: u64) -> Issuer {
        let mut issuer = Issuer::new(
            IdGenerator::derived(seed, "ias.tokens").next_u64(),
            TOKEN_LIFETIME,
        );
        for user in &config.technical_users {
            issuer.register(oauth_client(user));
        }
        issuer
    }

    /// Puts the tenant back as configured: no users or groups, the configured technical users,
    /// no tokens, an empty throttle window, no real-time targets or deliveries.
    pub fn reset(&self) {
        *self.directory_mut() =
            Directory::new(self.url.clone(), self.initial.uniqueness.clone(), self.seed);
        *self
            .technical_users
            .write()
            .unwrap_or_else(PoisonError::into_inner) = self.initial.technical_users.clone();
        *self.issuer() = Self::fresh_issuer(&self.initial, self.seed);
        *self.throttle() = Throttle::new(self.throttling);
        self.realtime.reset();
    }

    /// Real-time provisioning: targets, pushes, deliveries.
    pub fn realtime(&self) -> &Realtime {
        &self.realtime
    }

    /// Sets the landscape clock the tenant's admin-side work (CSV import, pushes) reads; the
    /// first clock set stays.
    pub fn attach_clock(&self, clock: Clock) {
        let _ = self.clock.set(clock);
    }

    /// The landscape clock, or wall time when none was attached (a tenant outside a landscape).
    pub fn clock(&self) -> Clock {
        self.clock.get().cloned().unwrap_or_else(Clock::wall)
    }

    /// The directory, for reading.
    pub fn directory(&self) -> RwLockReadGuard<'_, Directory> {
        self.directory
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The directory, for writing.
    pub fn directory_mut(&self) -> RwLockWriteGuard<'_, Directory> {
        self.directory
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The technical users, for reading in place (authentication on every request).
    pub fn technical_users_read(&self) -> RwLockReadGuard<'_, Vec<TechnicalUser>> {
        self.technical_users
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy of the technical users.
    pub fn technical_users(&self) -> Vec<TechnicalUser> {
        self.technical_users
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Adds or replaces (by client id) a technical user.
    pub fn put_technical_user(&self, user: TechnicalUser) {
        self.issuer().register(oauth_client(&user));
        let mut users = self
            .technical_users
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        users.retain(|u| u.client_id != user.client_id);
        users.push(user);
    }

    /// The token issuer.
    pub fn issuer(&self) -> MutexGuard<'_, Issuer> {
        self.issuer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The throttle.
    pub fn throttle(&self) -> MutexGuard<'_, Throttle> {
        self.throttle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn oauth_client(user: &TechnicalUser) -> OAuthClient {
    OAuthClient {
        client_id: user.client_id.clone(),
        secret: Some(user.client_secret.clone()),
        certificate_subject: user.certificate_subject.clone(),
        scopes: Vec::new(),
    }
}
