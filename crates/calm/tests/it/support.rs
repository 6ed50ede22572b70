//! A fake Cloud ALM: every request is recorded, and a closure per test decides the answer.
//! `/oauth/token` issues `token-1`, `token-2`, … with the configured scopes and lifetime unless
//! the closure answers it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use sapland_calm::{Client, ServiceKey, TokenRequestStyle};
use sapland_inbound::serve::PeerCertificate;
use sapland_outbound::Reach;
use sapland_outbound::clock::ManualClock;
use sapland_outbound::https::HttpsOptions;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// When every test's clock starts.
pub(crate) const START: &str = "2026-11-22T09:00:00Z";

/// The secret of the fake keys; tests check it never shows.
pub(crate) const SECRET: &str = "s3cret-CLIENT-SECRET";

/// Every scope the contract names, in both forms as XSUAA issues them.
pub(crate) const ALL_SCOPES: &str = "calm!b2716.calm-api.landscape.read calm-api.landscape.read \
    calm-api.landscape.write calm-api.metrics.read calm-api.metrics.write calm-api.logs.read \
    calm-api.logs.write calm-api.analytics.read calm-api.csa.write";

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) raw_query: Option<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) client_certificate: Option<String>,
}

impl Recorded {
    /// A query parameter's (first) value.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// The body as form fields.
    pub(crate) fn form(&self) -> Vec<(String, String)> {
        let uri: axum::http::Uri = format!("/?{}", String::from_utf8_lossy(&self.body))
            .parse()
            .unwrap();
        Query::<Vec<(String, String)>>::try_from_uri(&uri)
            .unwrap()
            .0
    }

    /// The `Authorization` header.
    pub(crate) fn authorization(&self) -> Option<&str> {
        self.headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
    }
}

/// An answer.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: String,
}

impl Reply {
    /// A JSON answer.
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.to_string(),
        }
    }

    /// An empty answer.
    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: String::new(),
        }
    }

    /// This answer with one more header.
    pub(crate) fn header(mut self, name: &'static str, value: impl ToString) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }
}

type Answerer = dyn Fn(&Recorded) -> Option<Reply> + Send + Sync;

/// What the fake shares with its handler.
pub(crate) struct Shared {
    pub(crate) requests: Mutex<Vec<Recorded>>,
    answer: Box<Answerer>,
    /// Scopes of issued tokens (`None`: no `scope` member).
    pub(crate) scopes: Mutex<Option<String>>,
    pub(crate) expires_in: Mutex<u64>,
    issued: AtomicUsize,
}

/// A running fake.
pub(crate) struct Fake {
    /// `http://127.0.0.1:<port>` or `https://localhost:<port>`.
    pub(crate) url: String,
    pub(crate) shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Fake {
    /// A plain-HTTP fake answering with `answer` (`None`: the default, 404 for APIs).
    pub(crate) async fn start(
        answer: impl Fn(&Recorded) -> Option<Reply> + Send + Sync + 'static,
    ) -> Self {
        Self::serve(Box::new(answer), None).await
    }

    /// A fake served over TLS with `config`.
    pub(crate) async fn serve(
        answer: Box<Answerer>,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let url = match tls {
            Some(_) => format!("https://localhost:{port}"),
            None => format!("http://127.0.0.1:{port}"),
        };
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            answer,
            scopes: Mutex::new(Some(ALL_SCOPES.into())),
            expires_in: Mutex::new(43199),
            issued: AtomicUsize::new(0),
        });
        let router = Router::new().fallback(handle).with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(sapland_inbound::serve::serve(
            listener,
            router,
            tls,
            async {
                let _ = stopped.await;
            },
        ));
        Self {
            url,
            shared,
            stop: Some(stop),
        }
    }

    /// Every request so far.
    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The requests to `path`.
    pub(crate) fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|request| request.path == path)
            .collect()
    }

    /// How many tokens were asked for.
    pub(crate) fn token_requests(&self) -> usize {
        self.requests_to("/oauth/token").len()
    }

    /// Scopes of tokens issued from now on.
    pub(crate) fn set_scopes(&self, scopes: Option<&str>) {
        *self.shared.scopes.lock().unwrap() = scopes.map(str::to_string);
    }

    /// Lifetime of tokens issued from now on.
    pub(crate) fn set_expires_in(&self, seconds: u64) {
        *self.shared.expires_in.lock().unwrap() = seconds;
    }

    /// A secret service key of this fake (§1.2's shape).
    pub(crate) fn secret_key(&self) -> ServiceKey {
        ServiceKey::from_json(&self.secret_key_json().to_string()).unwrap()
    }

    /// Its JSON.
    pub(crate) fn secret_key_json(&self) -> Value {
        json!({
            "endpoints": {"Api": format!("{}/api", self.url)},
            "uaa": {
                "clientid": "sb-fake!b1|calm!b2716",
                "clientsecret": SECRET,
                "url": self.url,
                "identityzone": "fake",
                "tenantmode": "shared",
                "credential-type": "binding-secret"
            }
        })
    }

    /// A client with the secret key, default options and a manual clock at [`START`].
    pub(crate) fn client(&self) -> (Client, Arc<ManualClock>) {
        client_for(&self.secret_key(), HttpsOptions::default())
    }
}

/// A client for `key` with a manual clock at [`START`].
pub(crate) fn client_for(key: &ServiceKey, https: HttpsOptions) -> (Client, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(START.parse::<Timestamp>().unwrap()));
    let client = Client::new(
        key,
        &Reach::new(https, clock.clone()),
        TokenRequestStyle::default(),
    )
    .unwrap();
    (client, clock)
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .map(|bytes| bytes.to_vec())
        .unwrap_or_default();
    let query = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
        .map(|query| query.0)
        .unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.clone(),
        path: parts.uri.path().to_string(),
        raw_query: parts.uri.query().map(str::to_string),
        query,
        headers: parts.headers.clone(),
        body,
        client_certificate: parts
            .extensions
            .get::<PeerCertificate>()
            .map(|certificate| certificate.subject.clone()),
    };
    shared.requests.lock().unwrap().push(recorded.clone());
    let reply = (shared.answer)(&recorded).unwrap_or_else(|| default_reply(&shared, &recorded));
    let mut response = Response::builder().status(StatusCode::from_u16(reply.status).unwrap());
    for (name, value) in reply.headers {
        response = response.header(name, value);
    }
    response
        .body(Body::from(reply.body))
        .unwrap()
        .into_response()
}

/// Tokens at `/oauth/token`, 404 elsewhere.
fn default_reply(shared: &Shared, request: &Recorded) -> Reply {
    if request.path != "/oauth/token" {
        return Reply::json(
            404,
            json!({"status": 404, "error": "NOT_FOUND", "message": "no such path"}),
        );
    }
    let n = shared.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let mut answer = json!({
        "access_token": format!("token-{n}"),
        "token_type": "bearer",
        "expires_in": *shared.expires_in.lock().unwrap(),
        "jti": format!("jti-{n}"),
    });
    if let Some(scopes) = shared.scopes.lock().unwrap().as_ref() {
        answer["scope"] = json!(scopes);
    }
    Reply::json(200, answer)
}
