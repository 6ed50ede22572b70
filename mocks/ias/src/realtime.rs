//! Real-time provisioning: the tenant pushes every user it creates, changes or deletes to the
//! Identity Provisioning targets configured under *Users & Authorizations → Real-Time
//! Provisioning* ([DOC] reference/ips-ias.md §4, configure-identity-authentication-for-real-time-
//! provisioning).
//!
//! What SAP documents and the mock follows: a target has a display name, the type *Identity
//! Provisioning*, a SCIM URL `https://<host>/ipsproxy/service/api/v1/systems/<system-id>/
//! entities/user`, a SCIM version (1 or 2) and Basic, OAuth or certificate authentication;
//! users created or updated manually, through SCIM v1 or v2 or by CSV upload are pushed to
//! every target; users written by a provisioning job are not (loop prevention); the Real-Time
//! Logs say `Finished Successfully` or `Finished with Error` with the operations `CREATE`,
//! `UPDATE`, `DELETE` and per-target states such as `Entity Created` or `Entity Failed`.
//!
//! What SAP does not document (§4 gap) and is **proposed** here:
//! - **Method and body.** A creation or update is `POST <SCIM URL>` with the user as the tenant
//!   serves it in the target's SCIM version (`application/scim+json`): the v2 resource for
//!   version 2, the v1 resource (id = the `P` user id, with `userUuid`) for version 1. A
//!   deletion is `DELETE <SCIM URL>/<id>` with the v2 id, or the `P` user id for version 1.
//!   Any 2xx answer is success.
//! - **Authentication.** Basic sends the client id and secret; OAuth first asks `tokenUrl` for a
//!   client-credentials token (client authenticated by Basic, `grant_type=client_credentials`)
//!   and keeps it until it expires on the landscape clock; certificate authentication presents
//!   the configured certificate and key as TLS client certificate.
//! - **Loop guard.** A write request that carries the header `X-Sapland-Provisioning-Job: <job
//!   id>` is a provisioning job's write: the changes it makes are not pushed. The origin of a
//!   request is kept in a task-local value set around the handler by [`capture`], a layer on
//!   the whole tenant router (SCIM v1, v2 and Bulk alike), and read where `Directory` records
//!   the change; concurrent requests cannot see each other's origin. Writes must therefore
//!   happen on the request's own task.
//! - **Delivery.** Pushes run on one background task per tenant, in the order the changes
//!   happened, after the SCIM answer is sent; the admin surface can wait until none is left
//!   (`POST …/realtime-deliveries/flush`). Each push is one delivery in the log, timed on the
//!   landscape clock. A target's outbound TLS trusts the landscape CA only (when the landscape
//!   runs with TLS); a push times out after 30 seconds.
//! - **Admin surface** (behind the admin token): `GET/POST /_admin/ias/tenants/{t}/realtime-
//!   targets`, `DELETE …/realtime-targets/{id}`, `GET …/realtime-deliveries`,
//!   `POST …/realtime-deliveries/flush`. Secrets are write-only: no answer, delivery or error
//!   shows them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use jiff::{SignedDuration, Timestamp};
use reqwest::Url;
use sapland_core::scim::Secret;
use sapland_core::scim::schemas::SAP_USER;
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::ids::IdGenerator;
use serde::Serialize;
use serde_json::{Map, Value, json};
use tokio::sync::{mpsc, watch};

use crate::directory::{Directory, member};
use crate::mock::IasMock;
use crate::routes::TenantState;

/// The header that marks a write as a provisioning job's (**proposed**): its changes are not
/// pushed in real time.
pub const PROVISIONING_JOB_HEADER: &str = "x-sapland-provisioning-job";

/// The only target type the mock serves ([DOC]: *Identity Provisioning*; SAP Jam is another).
pub const TARGET_TYPE: &str = "Identity Provisioning";

/// What the Real-Time Logs call a delivery that reached its target ([DOC] §4).
pub const FINISHED_SUCCESSFULLY: &str = "Finished Successfully";

/// What the Real-Time Logs call a delivery that did not ([DOC] §4).
pub const FINISHED_WITH_ERROR: &str = "Finished with Error";

/// How many deliveries a tenant's log keeps; older ones are dropped (**proposed**).
pub const DELIVERY_LOG_CAPACITY: usize = 10_000;

/// How long one push (or token request) may take.
const PUSH_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting to a target may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A token is renewed this long before it expires.
const TOKEN_MARGIN: SignedDuration = SignedDuration::from_secs(30);
/// The most characters of a target's answer quoted in a delivery's error.
const ANSWER_EXCERPT: usize = 300;
/// The path a SCIM URL of the real-time API ends with ([DOC] §4).
const USER_ENTITY_SUFFIX: &str = "/entities/user";

// ---------------------------------------------------------------------------------------------
// Where a change comes from, and capturing changes per request.

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A SCIM v1, v2 or Bulk request of an administrator or client.
    Scim,
    /// A CSV upload on the admin surface.
    CsvImport,
    /// A provisioning job (the request carried [`PROVISIONING_JOB_HEADER`] with this job id).
    ProvisioningJob(String),
}

impl Origin {
    /// The name the delivery log shows.
    fn label(&self) -> &'static str {
        match self {
            Origin::Scim => "SCIM",
            Origin::CsvImport => "CSV import",
            Origin::ProvisioningJob(_) => "provisioning job",
        }
    }

    /// Whether changes of this origin are pushed ([DOC] §4: not those of provisioning jobs).
    fn is_pushed(&self) -> bool {
        !matches!(self, Origin::ProvisioningJob(_))
    }
}

/// A user operation as the Real-Time Logs name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Operation {
    /// The user was created.
    Create,
    /// The user was replaced or patched.
    Update,
    /// The user was deleted.
    Delete,
}

impl Operation {
    fn label(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
        }
    }

    /// The per-target state of a successful push ([DOC] Real-Time Logs).
    fn entity_state(self) -> &'static str {
        match self {
            Operation::Create => "Entity Created",
            Operation::Update => "Entity Updated",
            Operation::Delete => "Entity Deleted",
        }
    }
}

/// One change of a user, with what the pushes need, taken when the change happened.
#[derive(Debug, Clone)]
pub struct UserChange {
    /// What happened.
    pub operation: Operation,
    /// The user's v2 id (UUID).
    pub id: String,
    /// The user's `P` user id (its v1 id), when it has one.
    pub user_id: Option<String>,
    /// The user's userName.
    pub user_name: Option<String>,
    /// The user as SCIM v2 serves it (creations and updates).
    pub v2: Option<Value>,
    /// The user as SCIM v1 serves it (creations and updates).
    pub v1: Option<Value>,
}

impl UserChange {
    /// A creation or update of the stored user `id`.
    pub(crate) fn written(directory: &Directory, operation: Operation, id: &str) -> Self {
        let v2 = directory.user(id).ok();
        let user_id = v2.as_ref().and_then(sap_user_id);
        let v1 = user_id
            .as_deref()
            .and_then(|user_id| directory.v1_user(user_id).ok());
        Self {
            operation,
            id: id.to_string(),
            user_name: v2.as_ref().and_then(user_name),
            user_id,
            v2,
            v1,
        }
    }

    /// The deletion of `user` (as it was stored), whose v2 id is `id`.
    pub(crate) fn deleted(id: &str, user: &Value) -> Self {
        Self {
            operation: Operation::Delete,
            id: id.to_string(),
            user_id: sap_user_id(user),
            user_name: user_name(user),
            v2: None,
            v1: None,
        }
    }
}

fn sap_user_id(user: &Value) -> Option<String> {
    member(user, SAP_USER)
        .and_then(|sap| member(sap, "userId"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn user_name(user: &Value) -> Option<String> {
    member(user, "userName")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The changes one request (or import) makes, and who makes them.
struct Capture {
    origin: Origin,
    changes: RefCell<Vec<UserChange>>,
}

tokio::task_local! {
    static CAPTURE: Capture;
}

/// Records a user change for the real-time pushes of the request in progress. Outside a
/// capturing request (seeding, state import, tests) and for provisioning-job writes it does
/// nothing, and `change` is not even computed. `Directory` calls it after each successful user
/// write.
pub(crate) fn record(change: impl FnOnce() -> UserChange) {
    let _ = CAPTURE.try_with(|capture| {
        if capture.origin.is_pushed() {
            let change = change();
            capture.changes.borrow_mut().push(change);
        }
    });
}

/// Runs `f` capturing the user changes it makes, as from `origin` (synchronous callers such as
/// the CSV import).
pub(crate) fn capture_sync<R>(origin: Origin, f: impl FnOnce() -> R) -> (R, Vec<UserChange>) {
    let capture = Capture {
        origin,
        changes: RefCell::new(Vec::new()),
    };
    CAPTURE.sync_scope(capture, || {
        let result = f();
        let changes = CAPTURE.with(|capture| capture.changes.take());
        (result, changes)
    })
}

/// The layer on a tenant's router: a write request runs with its origin captured; once the
/// handler has answered, the changes it made are queued for the tenant's targets. The answer is
/// not delayed by the pushes.
pub async fn capture(State(state): State<TenantState>, request: Request, next: Next) -> Response {
    let writes = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let realtime = state.tenant.realtime();
    if !writes || !realtime.has_targets() {
        return next.run(request).await;
    }
    let origin = match request.headers().get(PROVISIONING_JOB_HEADER) {
        Some(job) => Origin::ProvisioningJob(String::from_utf8_lossy(job.as_bytes()).into_owned()),
        None => Origin::Scim,
    };
    let capture = Capture {
        origin: origin.clone(),
        changes: RefCell::new(Vec::new()),
    };
    let (response, changes) = CAPTURE
        .scope(capture, async move {
            let response = next.run(request).await;
            let changes = CAPTURE.with(|capture| capture.changes.take());
            (response, changes)
        })
        .await;
    realtime.dispatch(changes, &origin, &state.kit.clock);
    response
}

// ---------------------------------------------------------------------------------------------
// Targets.

/// The SCIM API version a target expects ([DOC]: must equal the source system's
/// `ias.api.version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimVersion {
    /// The Identity Authentication SCIM REST API.
    V1,
    /// The Identity Directory SCIM API.
    V2,
}

impl ScimVersion {
    fn number(self) -> u8 {
        match self {
            ScimVersion::V1 => 1,
            ScimVersion::V2 => 2,
        }
    }
}

/// How the tenant authenticates at a target ([DOC] §4 *Authentication Mechanism*).
#[derive(Debug, Clone)]
pub enum Authentication {
    /// HTTP Basic with the technical user's client id and secret.
    Basic {
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: Secret,
    },
    /// A client-credentials token from `token_url`.
    OAuth {
        /// The token endpoint.
        token_url: Url,
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: Secret,
    },
    /// A TLS client certificate.
    Certificate {
        /// The certificate chain, PEM.
        certificate_pem: String,
        /// The private key, PEM.
        key_pem: Secret,
    },
}

impl Authentication {
    fn view(&self) -> Value {
        match self {
            Authentication::Basic { client_id, .. } => {
                json!({ "basic": { "clientId": client_id } })
            }
            Authentication::OAuth {
                token_url,
                client_id,
                ..
            } => json!({ "oauth": { "tokenUrl": token_url.as_str(), "clientId": client_id } }),
            Authentication::Certificate {
                certificate_pem, ..
            } => json!({ "certificate": { "certificatePem": certificate_pem } }),
        }
    }

    /// The secret values, to keep them out of any text the mock shows.
    fn secrets(&self) -> Vec<&str> {
        match self {
            Authentication::Basic { client_secret, .. }
            | Authentication::OAuth { client_secret, .. } => vec![client_secret.expose()],
            Authentication::Certificate { key_pem, .. } => vec![key_pem.expose()],
        }
    }
}

/// A real-time provisioning target of a tenant.
#[derive(Debug, Clone)]
pub struct Target {
    /// The id the mock gave it.
    pub id: String,
    /// Its display name.
    pub display_name: String,
    /// The SCIM URL of the real-time API.
    pub url: Url,
    /// The SCIM version pushes use.
    pub version: ScimVersion,
    /// How pushes authenticate.
    pub authentication: Authentication,
}

impl Target {
    /// Reads a target from the body of `POST …/realtime-targets`, reporting every problem at
    /// once with its JSON path. No message quotes a secret or the URL (which could carry one).
    pub fn parse(body: &str, id: String) -> Result<Self, String> {
        let value: Value = sapland_core::json::from_str(body)
            .map_err(|err| format!("invalid real-time target: {err}"))?;
        let Value::Object(object) = value else {
            return Err("invalid real-time target: $: expected a JSON object".into());
        };
        let mut problems = Vec::new();
        unknown_members(
            &object,
            "$",
            &["displayName", "type", "url", "version", "authentication"],
            &mut problems,
        );
        let display_name = text(&object, "$", "displayName", &mut problems);
        if let Some(kind) = text(&object, "$", "type", &mut problems)
            && kind != TARGET_TYPE
        {
            problems.push(format!(
                "$.type: expected \"{TARGET_TYPE}\", the only target type the mock serves, not {kind:?}"
            ));
        }
        let url = text(&object, "$", "url", &mut problems).and_then(|url| {
            scim_url(&url, "$.url", true)
                .map_err(|problem| problems.push(problem))
                .ok()
        });
        let version = match object.get("version") {
            None => {
                problems.push("$.version: missing; expected 1 or 2".into());
                None
            }
            Some(version) => match version.as_u64() {
                Some(1) => Some(ScimVersion::V1),
                Some(2) => Some(ScimVersion::V2),
                _ => {
                    problems.push(format!("$.version: expected 1 or 2, not {version}"));
                    None
                }
            },
        };
        let authentication = match object.get("authentication") {
            None => {
                problems.push(
                    "$.authentication: missing; expected one of basic, oauth, certificate".into(),
                );
                None
            }
            Some(value) => authentication(value, &mut problems),
        };
        match (display_name, url, version, authentication) {
            (Some(display_name), Some(url), Some(version), Some(authentication))
                if problems.is_empty() =>
            {
                Ok(Self {
                    id,
                    display_name,
                    url,
                    version,
                    authentication,
                })
            }
            _ => Err(format!("invalid real-time target: {}", problems.join("; "))),
        }
    }

    /// The target as the admin surface shows it: no secrets.
    pub fn view(&self) -> Value {
        json!({
            "id": self.id,
            "displayName": self.display_name,
            "type": TARGET_TYPE,
            "url": self.url.as_str(),
            "version": self.version.number(),
            "authentication": self.authentication.view(),
        })
    }

    /// Removes the target's secrets from a text (a target's answer could echo them).
    fn scrub(&self, text: &str) -> String {
        self.authentication
            .secrets()
            .into_iter()
            .filter(|secret| !secret.is_empty())
            .fold(text.to_string(), |text, secret| {
                text.replace(secret, "****")
            })
    }
}

fn unknown_members(
    object: &Map<String, Value>,
    path: &str,
    known: &[&str],
    problems: &mut Vec<String>,
) {
    for key in object.keys() {
        if !known.contains(&key.as_str()) {
            problems.push(format!(
                "{path}.{key}: unknown member; expected {}",
                known.join(", ")
            ));
        }
    }
}

/// A required non-empty string member.
fn text(
    object: &Map<String, Value>,
    path: &str,
    key: &str,
    problems: &mut Vec<String>,
) -> Option<String> {
    match object.get(key) {
        Some(Value::String(text)) if !text.trim().is_empty() => Some(text.clone()),
        Some(Value::String(_)) => {
            problems.push(format!("{path}.{key}: must not be empty"));
            None
        }
        Some(_) => {
            problems.push(format!("{path}.{key}: expected a string"));
            None
        }
        None => {
            problems.push(format!("{path}.{key}: missing"));
            None
        }
    }
}

/// A required secret member; the message never shows the value.
fn secret(
    object: &Map<String, Value>,
    path: &str,
    key: &str,
    problems: &mut Vec<String>,
) -> Option<Secret> {
    match object.get(key) {
        Some(Value::String(text)) if !text.is_empty() => Some(Secret::new(text.clone())),
        Some(Value::String(_)) => {
            problems.push(format!("{path}.{key}: must not be empty"));
            None
        }
        Some(_) => {
            problems.push(format!("{path}.{key}: expected a string"));
            None
        }
        None => {
            problems.push(format!("{path}.{key}: missing"));
            None
        }
    }
}

/// An http(s) URL without credentials; with `entity`, the path must end in `/entities/user`.
fn scim_url(text: &str, path: &str, entity: bool) -> Result<Url, String> {
    let url = Url::parse(text.trim())
        .map_err(|err| format!("{path}: not a URL ({err}); expected https://<host>/…"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("{path}: expected an http or https URL with a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{path}: must not carry credentials; give them under authentication"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{path}: must not have a query or fragment"));
    }
    if entity
        && !url
            .path()
            .trim_end_matches('/')
            .ends_with(USER_ENTITY_SUFFIX)
    {
        return Err(format!(
            "{path}: expected the SCIM URL of the real-time API, \
             https://<host>/ipsproxy/service/api/v1/systems/<system-id>/entities/user"
        ));
    }
    Ok(url)
}

fn authentication(value: &Value, problems: &mut Vec<String>) -> Option<Authentication> {
    const PATH: &str = "$.authentication";
    let Value::Object(object) = value else {
        problems.push(format!(
            "{PATH}: expected an object with one of basic, oauth, certificate"
        ));
        return None;
    };
    unknown_members(object, PATH, &["basic", "oauth", "certificate"], problems);
    let chosen: Vec<(&String, &Value)> = object
        .iter()
        .filter(|(key, _)| matches!(key.as_str(), "basic" | "oauth" | "certificate"))
        .collect();
    let [(kind, value)] = chosen.as_slice() else {
        problems.push(format!(
            "{PATH}: expected exactly one of basic, oauth, certificate, found {}",
            chosen.len()
        ));
        return None;
    };
    let path = format!("{PATH}.{kind}");
    let Value::Object(fields) = value else {
        problems.push(format!("{path}: expected an object"));
        return None;
    };
    match kind.as_str() {
        "basic" => {
            unknown_members(fields, &path, &["clientId", "clientSecret"], problems);
            let client_id = text(fields, &path, "clientId", problems);
            let client_secret = secret(fields, &path, "clientSecret", problems);
            Some(Authentication::Basic {
                client_id: client_id?,
                client_secret: client_secret?,
            })
        }
        "oauth" => {
            unknown_members(
                fields,
                &path,
                &["tokenUrl", "clientId", "clientSecret"],
                problems,
            );
            let token_url = text(fields, &path, "tokenUrl", problems).and_then(|url| {
                scim_url(&url, &format!("{path}.tokenUrl"), false)
                    .map_err(|problem| problems.push(problem))
                    .ok()
            });
            let client_id = text(fields, &path, "clientId", problems);
            let client_secret = secret(fields, &path, "clientSecret", problems);
            Some(Authentication::OAuth {
                token_url: token_url?,
                client_id: client_id?,
                client_secret: client_secret?,
            })
        }
        _ => {
            unknown_members(fields, &path, &["certificatePem", "keyPem"], problems);
            let certificate_pem = text(fields, &path, "certificatePem", problems);
            let key_pem = secret(fields, &path, "keyPem", problems);
            let (certificate_pem, key_pem) = (certificate_pem?, key_pem?);
            if !certificate_pem.contains("-----BEGIN CERTIFICATE-----") {
                problems.push(format!(
                    "{path}.certificatePem: expected a PEM certificate (-----BEGIN CERTIFICATE-----)"
                ));
                return None;
            }
            if !key_pem.expose().contains("PRIVATE KEY-----") {
                problems.push(format!("{path}.keyPem: expected a PEM private key"));
                return None;
            }
            if reqwest::Identity::from_pem(
                identity_bundle(&certificate_pem, &key_pem)
                    .expose()
                    .as_bytes(),
            )
            .is_err()
            {
                problems.push(format!(
                    "{path}: the certificate and key do not form a usable client identity"
                ));
                return None;
            }
            Some(Authentication::Certificate {
                certificate_pem,
                key_pem,
            })
        }
    }
}

fn identity_bundle(certificate_pem: &str, key_pem: &Secret) -> Secret {
    let mut bundle = certificate_pem.to_string();
    if !bundle.ends_with('\n') {
        bundle.push('\n');
    }
    bundle.push_str(key_pem.expose());
    Secret::new(bundle)
}

// ---------------------------------------------------------------------------------------------
// Deliveries and the push queue.

/// One push to one target, as the delivery log shows it.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Its number in the tenant's log, from 1.
    pub seq: u64,
    /// The target's id.
    pub target: String,
    /// The target's display name.
    pub target_name: String,
    /// What happened to the user.
    pub operation: Operation,
    /// The user's v2 id.
    pub user_id: String,
    /// The id the push named the user by (the v2 id, or the `P` user id for version 1).
    pub entity_id: Option<String>,
    /// The user's userName.
    pub user_name: Option<String>,
    /// Who made the change.
    pub origin: &'static str,
    /// The HTTP method of the push.
    pub method: &'static str,
    /// The URL pushed to.
    pub url: String,
    /// The target's HTTP status, when it answered.
    pub http_status: Option<u16>,
    /// When the push started, on the landscape clock.
    pub time: Timestamp,
    /// What went wrong, when something did (never a secret).
    pub error: Option<String>,
}

impl Delivery {
    /// `Finished Successfully` or `Finished with Error`.
    pub fn state(&self) -> &'static str {
        if self.error.is_none() {
            FINISHED_SUCCESSFULLY
        } else {
            FINISHED_WITH_ERROR
        }
    }

    /// The delivery as the admin surface shows it.
    pub fn view(&self) -> Value {
        json!({
            "seq": self.seq,
            "target": self.target,
            "targetName": self.target_name,
            "operation": self.operation.label(),
            "userId": self.user_id,
            "entityId": self.entity_id,
            "userName": self.user_name,
            "origin": self.origin,
            "method": self.method,
            "url": self.url,
            "httpStatus": self.http_status,
            "state": self.state(),
            "entityState": if self.error.is_none() { self.operation.entity_state() } else { "Entity Failed" },
            "time": self.time.to_string(),
            "error": self.error,
        })
    }
}

/// One push waiting in the queue.
#[derive(Debug)]
struct Job {
    generation: u64,
    change: Arc<UserChange>,
    target: Arc<Target>,
    origin: &'static str,
    clock: Clock,
}

/// What the push task and the tenant share.
#[derive(Debug)]
struct Shared {
    /// Bumped by reset: queued jobs of an older generation are dropped.
    generation: AtomicU64,
    deliveries: Mutex<DeliveryLog>,
    /// How many jobs are queued or being pushed.
    pending: watch::Sender<usize>,
    /// CA certificates (PEM) pushes trust; empty means the platform's roots.
    trust: RwLock<Vec<String>>,
    /// HTTP clients: `None` for the shared one, a target id for a certificate target's own.
    clients: Mutex<HashMap<Option<String>, reqwest::Client>>,
    /// OAuth tokens by target id, with their expiry on the landscape clock.
    tokens: Mutex<HashMap<String, (Secret, Timestamp)>>,
}

#[derive(Debug, Default)]
struct DeliveryLog {
    next_seq: u64,
    entries: std::collections::VecDeque<Delivery>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A tenant's real-time provisioning: its targets, the push queue and the delivery log.
#[derive(Debug)]
pub struct Realtime {
    seed: u64,
    targets: RwLock<Vec<Arc<Target>>>,
    ids: Mutex<IdGenerator>,
    queue: Mutex<Option<mpsc::UnboundedSender<Job>>>,
    shared: Arc<Shared>,
}

impl Realtime {
    /// No targets, an empty log; target ids follow `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            targets: RwLock::new(Vec::new()),
            ids: Mutex::new(IdGenerator::derived(seed, "ias.realtime.targets")),
            queue: Mutex::new(None),
            shared: Arc::new(Shared {
                generation: AtomicU64::new(0),
                deliveries: Mutex::new(DeliveryLog::default()),
                pending: watch::Sender::new(0),
                trust: RwLock::new(Vec::new()),
                clients: Mutex::new(HashMap::new()),
                tokens: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Forgets targets, deliveries and tokens; pushes still queued are dropped. The trusted CAs
    /// stay (they belong to the landscape, not the tenant's configuration).
    pub fn reset(&self) {
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        self.targets
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        *lock(&self.ids) = IdGenerator::derived(self.seed, "ias.realtime.targets");
        *lock(&self.shared.deliveries) = DeliveryLog::default();
        lock(&self.shared.tokens).clear();
        lock(&self.shared.clients).clear();
    }

    /// Trusts a CA certificate (PEM) for pushes over TLS, such as the landscape CA.
    pub fn trust(&self, ca_pem: &str) {
        self.shared
            .trust
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(ca_pem.to_string());
        lock(&self.shared.clients).clear();
    }

    /// Whether the tenant has any target.
    pub fn has_targets(&self) -> bool {
        !self
            .targets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }

    /// The targets.
    pub fn targets(&self) -> Vec<Arc<Target>> {
        self.targets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Reads and adds a target from a registration body; answers it with its id.
    pub fn add_target(&self, body: &str) -> Result<Arc<Target>, String> {
        let id = lock(&self.ids).uuid();
        let target = Arc::new(Target::parse(body, id)?);
        self.targets
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(target.clone());
        Ok(target)
    }

    /// Removes a target; false when there is none with this id.
    pub fn remove_target(&self, id: &str) -> bool {
        let mut targets = self.targets.write().unwrap_or_else(PoisonError::into_inner);
        let before = targets.len();
        targets.retain(|t| t.id != id);
        let removed = targets.len() != before;
        if removed {
            lock(&self.shared.tokens).remove(id);
            lock(&self.shared.clients).remove(&Some(id.to_string()));
        }
        removed
    }

    /// The delivery log, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.shared.deliveries)
            .entries
            .iter()
            .cloned()
            .collect()
    }

    /// How many pushes are queued or under way.
    pub fn pending(&self) -> usize {
        *self.shared.pending.borrow()
    }

    /// Returns once no push is queued or under way.
    pub async fn flush(&self) {
        let mut pending = self.shared.pending.subscribe();
        let _ = pending.wait_for(|n| *n == 0).await;
    }

    /// Queues a push of each change to each target. Provisioning-job changes never get here
    /// ([`record`] drops them); `origin` only labels the deliveries.
    pub fn dispatch(&self, changes: Vec<UserChange>, origin: &Origin, clock: &Clock) {
        if changes.is_empty() || !origin.is_pushed() {
            return;
        }
        let targets = self.targets();
        let generation = self.shared.generation.load(Ordering::SeqCst);
        for change in changes {
            let change = Arc::new(change);
            for target in &targets {
                self.enqueue(Job {
                    generation,
                    change: change.clone(),
                    target: target.clone(),
                    origin: origin.label(),
                    clock: clock.clone(),
                });
            }
        }
    }

    /// Hands a job to the push task, starting one on the current runtime when there is none
    /// (or the runtime it ran on has gone).
    fn enqueue(&self, job: Job) {
        self.shared.pending.send_modify(|n| *n += 1);
        let mut queue = lock(&self.queue);
        let job = match queue.as_ref() {
            Some(sender) => match sender.send(job) {
                Ok(()) => return,
                Err(mpsc::error::SendError(job)) => job,
            },
            None => job,
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let (sender, receiver) = mpsc::unbounded_channel();
                runtime.spawn(push_all(self.shared.clone(), receiver));
                let _ = sender.send(job);
                *queue = Some(sender);
            }
            Err(_) => {
                drop(queue);
                let delivery = failed_before_sending(&job, "no async runtime to push on");
                self.shared.log(job.generation, delivery);
                self.shared
                    .pending
                    .send_modify(|n| *n = n.saturating_sub(1));
            }
        }
    }
}

impl Shared {
    /// Adds a delivery to the log unless a reset happened since the job was queued.
    fn log(&self, generation: u64, mut delivery: Delivery) {
        let mut log = lock(&self.deliveries);
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        log.next_seq += 1;
        delivery.seq = log.next_seq;
        if log.entries.len() == DELIVERY_LOG_CAPACITY {
            log.entries.pop_front();
        }
        log.entries.push_back(delivery);
    }

    /// The client for a target: the shared one, or for certificate authentication the target's
    /// own with its identity.
    fn client(&self, target: &Target) -> Result<reqwest::Client, String> {
        let key = match target.authentication {
            Authentication::Certificate { .. } => Some(target.id.clone()),
            _ => None,
        };
        let mut clients = lock(&self.clients);
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(PUSH_TIMEOUT);
        let trust = self.trust.read().unwrap_or_else(PoisonError::into_inner);
        if !trust.is_empty() {
            let mut roots = Vec::new();
            for pem in trust.iter() {
                roots.extend(
                    reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                        .map_err(|_| "a trusted CA certificate does not parse".to_string())?,
                );
            }
            builder = builder.tls_certs_only(roots);
        }
        if let Authentication::Certificate {
            certificate_pem,
            key_pem,
        } = &target.authentication
        {
            let identity = reqwest::Identity::from_pem(
                identity_bundle(certificate_pem, key_pem)
                    .expose()
                    .as_bytes(),
            )
            .map_err(|_| "the target's certificate and key are not a usable identity")?;
            builder = builder.identity(identity);
        }
        let client = builder
            .build()
            .map_err(|err| format!("cannot set up the HTTP client: {}", chain(&err)))?;
        clients.insert(key, client.clone());
        Ok(client)
    }

    /// A token for an OAuth target: the cached one while it is valid, else a fresh one.
    async fn token(
        &self,
        client: &reqwest::Client,
        target: &Target,
        now: Timestamp,
    ) -> Result<Secret, String> {
        let Authentication::OAuth {
            token_url,
            client_id,
            client_secret,
        } = &target.authentication
        else {
            unreachable!("only OAuth targets ask for tokens");
        };
        if let Some((token, expires)) = lock(&self.tokens).get(&target.id)
            && now < *expires
        {
            return Ok(token.clone());
        }
        let response = client
            .post(token_url.clone())
            .basic_auth(client_id, Some(client_secret.expose()))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|err| {
                format!(
                    "the token endpoint could not be reached: {}",
                    target.scrub(&chain(&err))
                )
            })?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(format!("the token endpoint answered {}", status.as_u16()));
        }
        let answer: Value = serde_json::from_str(&body)
            .map_err(|_| "the token endpoint's answer is not JSON".to_string())?;
        let token = answer
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or("the token endpoint's answer has no access_token")?;
        let lifetime = answer
            .get("expires_in")
            .and_then(Value::as_i64)
            .unwrap_or(3600);
        let expires = now
            .checked_add(SignedDuration::from_secs(lifetime))
            .and_then(|t| t.checked_sub(TOKEN_MARGIN))
            .unwrap_or(now);
        let token = Secret::new(token);
        lock(&self.tokens).insert(target.id.clone(), (token.clone(), expires));
        Ok(token)
    }
}

/// The push task of a tenant: takes jobs in order and pushes each.
async fn push_all(shared: Arc<Shared>, mut jobs: mpsc::UnboundedReceiver<Job>) {
    while let Some(job) = jobs.recv().await {
        if job.generation == shared.generation.load(Ordering::SeqCst) {
            let delivery = push(&shared, &job).await;
            shared.log(job.generation, delivery);
        }
        shared.pending.send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// What a job sends: method, URL, body, and the id it names the user by.
struct Push {
    method: Method,
    url: Url,
    body: Option<Value>,
    entity_id: Option<String>,
}

fn request_of(job: &Job) -> Result<Push, String> {
    let change = &job.change;
    let target = &job.target;
    let entity_id = match target.version {
        ScimVersion::V2 => Some(change.id.clone()),
        ScimVersion::V1 => change.user_id.clone(),
    };
    match change.operation {
        Operation::Create | Operation::Update => {
            let body = match target.version {
                ScimVersion::V2 => change.v2.clone(),
                ScimVersion::V1 => change.v1.clone(),
            };
            let body = body.ok_or_else(|| match target.version {
                ScimVersion::V2 => "the user has no SCIM version 2 representation".to_string(),
                ScimVersion::V1 => {
                    "the user has no SCIM version 1 representation (no SAP user id)".to_string()
                }
            })?;
            Ok(Push {
                method: Method::POST,
                url: target.url.clone(),
                body: Some(body),
                entity_id,
            })
        }
        Operation::Delete => {
            let id = entity_id
                .clone()
                .ok_or("the user has no SCIM version 1 id (no SAP user id) to delete it by")?;
            let mut url = target.url.clone();
            url.path_segments_mut()
                .map_err(|_| "the target URL cannot take a path".to_string())?
                .pop_if_empty()
                .push(&id);
            Ok(Push {
                method: Method::DELETE,
                url,
                body: None,
                entity_id,
            })
        }
    }
}

fn failed_before_sending(job: &Job, error: &str) -> Delivery {
    Delivery {
        seq: 0,
        target: job.target.id.clone(),
        target_name: job.target.display_name.clone(),
        operation: job.change.operation,
        user_id: job.change.id.clone(),
        entity_id: None,
        user_name: job.change.user_name.clone(),
        origin: job.origin,
        method: match job.change.operation {
            Operation::Delete => "DELETE",
            _ => "POST",
        },
        url: job.target.url.to_string(),
        http_status: None,
        time: job.clock.now(),
        error: Some(error.to_string()),
    }
}

/// Pushes one change to one target and says how it went.
async fn push(shared: &Shared, job: &Job) -> Delivery {
    let time = job.clock.now();
    let mut delivery = failed_before_sending(job, "");
    delivery.time = time;
    let request = match request_of(job) {
        Ok(request) => request,
        Err(error) => {
            delivery.error = Some(error);
            return delivery;
        }
    };
    delivery.method = if request.method == Method::DELETE {
        "DELETE"
    } else {
        "POST"
    };
    delivery.url = request.url.to_string();
    delivery.entity_id = request.entity_id.clone();
    match send(shared, job, request, time).await {
        Ok(status) => {
            delivery.http_status = Some(status);
            delivery.error = None;
        }
        Err((status, error)) => {
            delivery.http_status = status;
            delivery.error = Some(job.target.scrub(&error));
        }
    }
    delivery
}

async fn send(
    shared: &Shared,
    job: &Job,
    request: Push,
    now: Timestamp,
) -> Result<u16, (Option<u16>, String)> {
    let target = &job.target;
    let client = shared.client(target).map_err(|error| (None, error))?;
    let mut builder = client.request(request.method, request.url);
    builder = match &target.authentication {
        Authentication::Basic {
            client_id,
            client_secret,
        } => builder.basic_auth(client_id, Some(client_secret.expose())),
        Authentication::OAuth { .. } => {
            let token = shared
                .token(&client, target, now)
                .await
                .map_err(|error| (None, error))?;
            builder.bearer_auth(token.expose())
        }
        Authentication::Certificate { .. } => builder,
    };
    if let Some(body) = request.body {
        builder = builder
            .header(reqwest::header::CONTENT_TYPE, "application/scim+json")
            .body(body.to_string());
    }
    let response = builder.send().await.map_err(|err| {
        (
            None,
            format!("the target could not be reached: {}", chain(&err)),
        )
    })?;
    let status = response.status();
    if status.is_success() {
        return Ok(status.as_u16());
    }
    let body = response.text().await.unwrap_or_default();
    let excerpt: String = body.chars().take(ANSWER_EXCERPT).collect();
    let error = if excerpt.trim().is_empty() {
        format!("the target answered {}", status.as_u16())
    } else {
        format!(
            "the target answered {}: {}",
            status.as_u16(),
            excerpt.trim()
        )
    };
    Err((Some(status.as_u16()), error))
}

/// An error with its causes, `: `-separated.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

// ---------------------------------------------------------------------------------------------
// The admin surface.

/// The routes of real-time provisioning on the admin surface (**proposed**).
pub(crate) fn admin_routes() -> Router<Arc<IasMock>> {
    Router::new()
        .route(
            "/_admin/ias/tenants/{tenant}/realtime-targets",
            get(list_targets).post(add_target),
        )
        .route(
            "/_admin/ias/tenants/{tenant}/realtime-targets/{id}",
            delete(remove_target),
        )
        .route(
            "/_admin/ias/tenants/{tenant}/realtime-deliveries",
            get(list_deliveries),
        )
        .route(
            "/_admin/ias/tenants/{tenant}/realtime-deliveries/flush",
            post(flush),
        )
}

fn admin_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn no_tenant(name: &str) -> Response {
    admin_error(StatusCode::NOT_FOUND, format!("no tenant {name:?}"))
}

async fn list_targets(State(mock): State<Arc<IasMock>>, Path(name): Path<String>) -> Response {
    let Some(tenant) = mock.tenant(&name) else {
        return no_tenant(&name);
    };
    let targets: Vec<Value> = tenant
        .realtime()
        .targets()
        .iter()
        .map(|t| t.view())
        .collect();
    Json(json!({ "targets": targets })).into_response()
}

async fn add_target(
    State(mock): State<Arc<IasMock>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let Some(tenant) = mock.tenant(&name) else {
        return no_tenant(&name);
    };
    match tenant
        .realtime()
        .add_target(&String::from_utf8_lossy(&body))
    {
        Ok(target) => (StatusCode::CREATED, Json(target.view())).into_response(),
        Err(message) => admin_error(StatusCode::BAD_REQUEST, message),
    }
}

async fn remove_target(
    State(mock): State<Arc<IasMock>>,
    Path((name, id)): Path<(String, String)>,
) -> Response {
    let Some(tenant) = mock.tenant(&name) else {
        return no_tenant(&name);
    };
    if tenant.realtime().remove_target(&id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        admin_error(
            StatusCode::NOT_FOUND,
            format!("tenant {name:?} has no real-time target {id:?}"),
        )
    }
}

fn deliveries_answer(tenant: &crate::tenant::Tenant) -> Response {
    let realtime = tenant.realtime();
    let deliveries: Vec<Value> = realtime.deliveries().iter().map(Delivery::view).collect();
    Json(json!({ "pending": realtime.pending(), "deliveries": deliveries })).into_response()
}

async fn list_deliveries(State(mock): State<Arc<IasMock>>, Path(name): Path<String>) -> Response {
    match mock.tenant(&name) {
        Some(tenant) => deliveries_answer(&tenant),
        None => no_tenant(&name),
    }
}

/// Waits until every queued push has been made, then answers the log.
async fn flush(State(mock): State<Arc<IasMock>>, Path(name): Path<String>) -> Response {
    let Some(tenant) = mock.tenant(&name) else {
        return no_tenant(&name);
    };
    tenant.realtime().flush().await;
    deliveries_answer(&tenant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Uniqueness;

    fn now() -> Timestamp {
        "2026-11-22T09:00:00Z".parse().unwrap()
    }

    fn user(name: &str) -> Value {
        json!({
            "schemas": [sapland_core::scim::schemas::CORE_USER],
            "userName": name,
            "name": {"familyName": "Doe"},
            "emails": [{"value": format!("{name}@example.com"), "primary": true}],
        })
    }

    const BASIC: &str = r#"{"displayName": "IPS", "type": "Identity Provisioning",
        "url": "https://ips.example.com/ipsproxy/service/api/v1/systems/abc/entities/user",
        "version": 2, "authentication": {"basic": {"clientId": "rt", "clientSecret": "s3cr3t-value"}}}"#;

    #[test]
    fn a_target_is_shown_without_its_secret() {
        let realtime = Realtime::new(1);
        let target = realtime.add_target(BASIC).unwrap();
        let shown = target.view().to_string();
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert_eq!(target.view()["authentication"]["basic"]["clientId"], "rt");
        assert_eq!(target.view()["version"], 2);
        assert!(realtime.has_targets());
        assert!(realtime.remove_target(&target.id));
        assert!(!realtime.has_targets());
    }

    #[test]
    fn every_problem_of_a_target_is_reported_without_secrets() {
        let body = r#"{"displayName": "", "type": "SAP Jam", "url": "https://u:pw-secret@h/x",
            "version": 3, "colour": "red",
            "authentication": {"basic": {"clientId": "rt", "clientSecret": 42}}}"#;
        let error = Target::parse(body, "id".into()).unwrap_err();
        for expected in [
            "$.displayName: must not be empty",
            "$.type: expected \"Identity Provisioning\"",
            "$.url: must not carry credentials",
            "$.version: expected 1 or 2, not 3",
            "$.colour: unknown member",
            "$.authentication.basic.clientSecret: expected a string",
        ] {
            assert!(error.contains(expected), "{expected} in {error}");
        }
        assert!(
            !error.contains("pw-secret") && !error.contains("42"),
            "{error}"
        );
    }

    #[test]
    fn a_target_has_exactly_one_authentication_and_a_real_time_url() {
        let two = BASIC.replace(
            r#""authentication": {"#,
            r#""authentication": {"oauth": {"tokenUrl": "https://h/oauth2/token", "clientId": "a", "clientSecret": "b"}, "#,
        );
        let error = Target::parse(&two, "id".into()).unwrap_err();
        assert!(
            error.contains("exactly one of basic, oauth, certificate, found 2"),
            "{error}"
        );
        let scim = BASIC.replace(
            "/ipsproxy/service/api/v1/systems/abc/entities/user",
            "/scim/Users",
        );
        let error = Target::parse(&scim, "id".into()).unwrap_err();
        assert!(
            error.contains("$.url: expected the SCIM URL of the real-time API"),
            "{error}"
        );
        let error = Target::parse("{\"displayName\": ", "id".into()).unwrap_err();
        assert!(
            error.starts_with("invalid real-time target: line 1"),
            "{error}"
        );
    }

    #[test]
    fn changes_are_captured_per_origin_and_job_writes_are_not() {
        let mut directory = Directory::new("https://ias", Uniqueness::default(), 1);
        let ((), changes) = capture_sync(Origin::Scim, || {
            let created = directory.create_user(user("amy"), now()).unwrap();
            let id = created["id"].as_str().unwrap().to_string();
            directory.replace_user(&id, user("amy"), now()).unwrap();
            directory.delete_user(&id).unwrap();
        });
        let operations: Vec<Operation> = changes.iter().map(|c| c.operation).collect();
        assert_eq!(
            operations,
            [Operation::Create, Operation::Update, Operation::Delete]
        );
        assert_eq!(changes[0].user_name.as_deref(), Some("amy"));
        assert_eq!(changes[0].v2.as_ref().unwrap()["userName"], "amy");
        assert_eq!(changes[0].user_id.as_deref(), Some("P000001"));
        assert_eq!(changes[0].v1.as_ref().unwrap()["id"], "P000001");
        assert_eq!(changes[2].user_id.as_deref(), Some("P000001"));

        let (_, changes) = capture_sync(Origin::ProvisioningJob("job-1".into()), || {
            directory.create_user(user("ben"), now()).unwrap()
        });
        assert!(changes.is_empty());
        // Outside any capture (seeding, state import) nothing is recorded and nothing fails.
        directory.create_user(user("cy"), now()).unwrap();
    }

    #[test]
    fn a_version_1_push_names_the_user_by_its_p_number() {
        let mut directory = Directory::new("https://ias", Uniqueness::default(), 1);
        let (_, changes) = capture_sync(Origin::Scim, || {
            let created = directory.create_user(user("amy"), now()).unwrap();
            directory
                .delete_user(created["id"].as_str().unwrap())
                .unwrap();
        });
        let mut target = Target::parse(BASIC, "t".into()).unwrap();
        target.version = ScimVersion::V1;
        let job = |change: &UserChange| Job {
            generation: 0,
            change: Arc::new(change.clone()),
            target: Arc::new(target.clone()),
            origin: "SCIM",
            clock: Clock::manual(now()),
        };
        let create = request_of(&job(&changes[0])).ok().unwrap();
        assert_eq!(create.method, Method::POST);
        assert_eq!(
            create.url.path(),
            "/ipsproxy/service/api/v1/systems/abc/entities/user"
        );
        assert_eq!(create.body.unwrap()["id"], "P000001");
        let delete = request_of(&job(&changes[1])).ok().unwrap();
        assert_eq!(delete.method, Method::DELETE);
        assert_eq!(
            delete.url.path(),
            "/ipsproxy/service/api/v1/systems/abc/entities/user/P000001"
        );
    }

    #[test]
    fn the_log_keeps_deliveries_of_the_current_generation_only() {
        let realtime = Realtime::new(1);
        let target = Arc::new(Target::parse(BASIC, "t".into()).unwrap());
        let job = Job {
            generation: 0,
            change: Arc::new(UserChange::deleted("u1", &user("amy"))),
            target,
            origin: "SCIM",
            clock: Clock::manual(now()),
        };
        realtime
            .shared
            .log(0, failed_before_sending(&job, "the target answered 500"));
        let deliveries = realtime.deliveries();
        assert_eq!(deliveries.len(), 1);
        let view = deliveries[0].view();
        assert_eq!(view["state"], FINISHED_WITH_ERROR);
        assert_eq!(view["entityState"], "Entity Failed");
        assert_eq!(view["operation"], "DELETE");
        assert_eq!(view["time"], "2026-11-22T09:00:00Z");
        realtime.reset();
        realtime.shared.log(0, failed_before_sending(&job, "late"));
        assert!(realtime.deliveries().is_empty());
    }
}
