//! A mock Cloud ALM on a manual clock, driven in-process through its routers (no sockets).

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::Timestamp;
use sapland_core::scim::Secret;
use sapland_inbound::serve::PeerCertificate;
use sapland_mock_calm::config::{CalmConfig, DEFAULT_INSTANCE, DEFAULT_SUBDOMAIN};
use sapland_mock_calm::mock::{CalmMock, CalmUrls};
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::kit::Kit;
use serde_json::{Value, json};
use tower::ServiceExt;

pub(crate) const ADMIN_TOKEN: &str = "admin-token-for-tests";
pub(crate) const START: &str = "2026-11-22T09:00:00Z";
pub(crate) const API: &str = "https://calm.test";
pub(crate) const UAA: &str = "https://sapland.uaa.test";
pub(crate) const CERT: &str = "https://sapland.cert.uaa.test";

/// An answer: status, headers, body bytes and the body as JSON (Null when not JSON).
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) bytes: Vec<u8>,
    pub(crate) json: Value,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `message` of a REST error envelope.
    pub(crate) fn message(&self) -> &str {
        self.json["message"].as_str().unwrap_or_default()
    }
}

pub(crate) struct Harness {
    pub(crate) mock: Arc<CalmMock>,
    pub(crate) clock: Clock,
    pub(crate) api: Router,
    pub(crate) uaa: Router,
    pub(crate) cert: Router,
    pub(crate) admin: Router,
}

pub(crate) fn harness() -> Harness {
    harness_with(CalmConfig::default_landscape(7))
}

pub(crate) fn harness_with(config: CalmConfig) -> Harness {
    let clock = Clock::manual(START.parse::<Timestamp>().unwrap());
    let urls = CalmUrls {
        api: API.into(),
        uaa: config
            .subaccounts
            .iter()
            .enumerate()
            .map(|(i, _)| {
                if i == 0 {
                    (UAA.to_string(), CERT.to_string())
                } else {
                    (
                        format!("https://uaa{i}.test"),
                        format!("https://cert{i}.test"),
                    )
                }
            })
            .collect(),
    };
    let mock = Arc::new(CalmMock::new(config, urls, clock.clone()).unwrap());
    let kit = Arc::new(Kit::new(clock.clone(), Secret::new(ADMIN_TOKEN), 100));
    Harness {
        api: mock.api_app(&kit),
        uaa: mock.uaa_app(&kit, DEFAULT_SUBDOMAIN).unwrap(),
        cert: mock.uaa_cert_app(&kit, DEFAULT_SUBDOMAIN).unwrap(),
        admin: sapland_mock_kit::admin::router(kit.clone(), mock.clone()),
        mock,
        clock,
    }
}

/// A request to build.
pub(crate) struct Call<'a> {
    pub(crate) method: &'a str,
    pub(crate) uri: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) certificate: Option<PeerCertificate>,
}

impl<'a> Call<'a> {
    pub(crate) fn new(method: &'a str, uri: impl Into<String>) -> Self {
        Self {
            method,
            uri: uri.into(),
            headers: Vec::new(),
            body: Vec::new(),
            certificate: None,
        }
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub(crate) fn bearer(self, token: &str) -> Self {
        self.header("authorization", format!("Bearer {token}"))
    }

    pub(crate) fn json(mut self, body: &Value) -> Self {
        self.body = body.to_string().into_bytes();
        self.header("content-type", "application/json")
    }

    pub(crate) fn form(mut self, body: &str) -> Self {
        self.body = body.as_bytes().to_vec();
        self.header("content-type", "application/x-www-form-urlencoded")
    }

    pub(crate) fn certificate(mut self, subject: &str) -> Self {
        self.certificate = Some(PeerCertificate {
            subject: subject.into(),
            der: Vec::new(),
        });
        self
    }

    pub(crate) async fn send(self, router: &Router) -> Answer {
        let mut builder = Request::builder().method(self.method).uri(&self.uri);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        let mut request = builder.body(Body::from(self.body)).unwrap();
        if let Some(certificate) = self.certificate {
            request.extensions_mut().insert(certificate);
        }
        let response = router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            bytes,
            json,
        }
    }
}

pub(crate) fn basic(id: &str, secret: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

impl Harness {
    /// The default instance's secret service key.
    pub(crate) fn key(&self) -> Value {
        self.mock
            .secret_key(DEFAULT_SUBDOMAIN, DEFAULT_INSTANCE)
            .unwrap()
    }

    /// A token of the default instance (every scope), by Basic and form body.
    pub(crate) async fn token(&self) -> String {
        let key = self.key();
        self.token_of(&key).await
    }

    /// A token for a secret service key.
    pub(crate) async fn token_of(&self, key: &Value) -> String {
        let id = key["uaa"]["clientid"].as_str().unwrap();
        let secret = key["uaa"]["clientsecret"].as_str().unwrap();
        let answer = Call::new("POST", "/oauth/token")
            .header("authorization", basic(id, secret))
            .form("grant_type=client_credentials")
            .send(&self.uaa)
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        answer.json["access_token"].as_str().unwrap().to_string()
    }

    /// A service key of a new instance with only these authorities (admin surface).
    pub(crate) async fn key_with(&self, name: &str, authorities: &[&str]) -> Value {
        let answer = self
            .admin_call(
                Call::new("POST", "/_admin/calm/instances")
                    .json(&json!({ "name": name, "authorities": authorities })),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.json);
        answer.json
    }

    pub(crate) async fn admin_call(&self, call: Call<'_>) -> Answer {
        call.bearer(ADMIN_TOKEN).send(&self.admin).await
    }

    pub(crate) async fn admin_get(&self, path: &str) -> Value {
        let answer = self.admin_call(Call::new("GET", path)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        answer.json
    }

    /// The LMS id of the pre-registered Identity Provisioning service.
    pub(crate) fn ips(&self) -> String {
        self.mock.tenant().landscape.objects()[0].lms_id.clone()
    }

    pub(crate) async fn get(&self, uri: &str, token: &str) -> Answer {
        Call::new("GET", uri).bearer(token).send(&self.api).await
    }

    pub(crate) async fn post(&self, uri: &str, token: &str, body: &Value) -> Answer {
        Call::new("POST", uri)
            .bearer(token)
            .json(body)
            .send(&self.api)
            .await
    }

    pub(crate) fn advance(&self, seconds: i64) {
        self.clock
            .advance(jiff::SignedDuration::from_secs(seconds))
            .unwrap();
    }
}

/// `header::CONTENT_TYPE` of an answer.
pub(crate) fn content_type(answer: &Answer) -> &str {
    answer.header(header::CONTENT_TYPE.as_str()).unwrap_or("")
}

/// Nanoseconds of an RFC 3339 time, as OTLP JSON writes them.
pub(crate) fn nanos(time: &str) -> String {
    time.parse::<Timestamp>()
        .unwrap()
        .as_nanosecond()
        .to_string()
}

/// A string attribute.
pub(crate) fn s(key: &str, value: &str) -> Value {
    json!({"key": key, "value": {"stringValue": value}})
}

/// An integer attribute.
pub(crate) fn i(key: &str, value: i64) -> Value {
    json!({"key": key, "value": {"intValue": value.to_string()}})
}

/// One JAM execution record as the IPS agent reports it (contract §2.9).
#[allow(clippy::too_many_arguments)]
pub(crate) fn jam_record(
    system: &str,
    kind: &str,
    execution: &str,
    status: &str,
    planned: &str,
    start: &str,
    end: &str,
    run_time: f64,
) -> Value {
    json!({
        "timeUnixNano": nanos(end),
        "observedTimeUnixNano": nanos(end),
        "severityText": "INFO",
        "body": {"stringValue": "job execution"},
        "attributes": [
            s("jobType", "IPS_PROVISIONING_JOB"),
            s("jobName", &format!("{system} {kind}")),
            s("jobId", &format!("{system}|{kind}")),
            s("executionId", execution),
            s("executionStatus", "Completed"),
            s("applicationStatus", status),
            s("plannedStartTime", planned),
            s("startTime", start),
            s("endTime", end),
            {"key": "runTimeSeconds", "value": {"doubleValue": run_time}},
            s("user", "sapland-agent"),
            i("created", 3),
            i("updated", 1),
        ]
    })
}

/// An OTLP logs push of these records for a service.
pub(crate) fn logs_push(service_id: &str, records: Vec<Value>) -> Value {
    json!({"resourceLogs": [{
        "resource": {"attributes": [s("sap.cloudalm.serviceId", service_id), s("sap.cloudalm.serviceName", "Identity Provisioning")]},
        "scopeLogs": [{"scope": {"name": "sapland"}, "logRecords": records}]
    }]})
}
