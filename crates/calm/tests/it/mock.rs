//! Against the landscape's mock Cloud ALM (`mocks/calm`), with the service keys the landscape
//! writes (`calm-service-key.json`, `calm-service-key-x509.json`) and its manual clock.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use sapland_calm::otlp::{ExportMetricsServiceRequest, Metric, NumberDataPoint};
use sapland_calm::{
    ApplicationStatus, Client, CredentialType, CsaItem, CsaSnapshot, CsaStore, ExecutionStatus,
    JamService, JobExecution, LandscapeQuery, LogsQuery, LogsWindow, MetricsQuery, MetricsWindow,
    Registration, ServiceKey, TokenRequestStyle,
};
use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig};
use sapland_outbound::Reach;
use sapland_outbound::clock::{Clock, LandscapeClock, ManualClock};
use sapland_outbound::https::{HttpsOptions, PemSource};
use serde_json::{Value, json};

use crate::support::START;

/// A landscape on a manual clock at [`START`], seed 7.
struct Env {
    landscape: Landscape,
    https: HttpsOptions,
    admin: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Env {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = LandscapeConfig::new(dir.path().join("state"));
        config.clock = ClockChoice::Manual(START.parse().unwrap());
        config.seed = Some(7);
        let landscape = Landscape::start(config).await.unwrap();
        let ca = landscape.description.ca_cert.clone().unwrap();
        let https = HttpsOptions {
            extra_roots: vec![PemSource::new("landscape CA", std::fs::read(ca).unwrap())],
            timeout: Some(Duration::from_secs(10)),
            ..HttpsOptions::default()
        };
        let admin = sapland_outbound::https::build(&https).unwrap();
        Self {
            landscape,
            https,
            admin,
            _dir: dir,
        }
    }

    fn key(&self, x509: bool) -> ServiceKey {
        let calm = &self.landscape.description.calm;
        let path = if x509 {
            calm.service_key_x509.clone().unwrap()
        } else {
            calm.service_key.clone()
        };
        ServiceKey::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// The landscape's clock, advanced through its admin surface.
    async fn clock(&self) -> Arc<LandscapeClock> {
        Arc::new(
            LandscapeClock::connect(
                self.admin.clone(),
                self.landscape.description.calm.admin_url.clone(),
                self.landscape.description.admin_token.clone(),
            )
            .await
            .unwrap(),
        )
    }

    async fn client(&self, key: &ServiceKey) -> Client {
        self.client_on(key, self.clock().await)
    }

    /// A client on `clock` (a `LandscapeClock` knows only the time it saw or moved itself, so a
    /// test that moves time shares one with the client).
    fn client_on(&self, key: &ServiceKey, clock: Arc<LandscapeClock>) -> Client {
        let clock: Arc<dyn Clock> = clock;
        Client::new(
            key,
            &Reach::new(self.https.clone(), clock),
            TokenRequestStyle::default(),
        )
        .unwrap()
    }

    /// `POST /_admin/calm/instances`: a new instance with `authorities`, its secret key.
    async fn instance(&self, name: &str, authorities: &[&str]) -> ServiceKey {
        let answer: Value = self
            .admin
            .post(format!(
                "{}/_admin/calm/instances",
                self.landscape.description.calm.admin_url
            ))
            .bearer_auth(&self.landscape.description.admin_token)
            .json(&json!({"name": name, "authorities": authorities, "credentialType": "binding-secret"}))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        let key = answer.get("serviceKey").cloned().unwrap_or(answer);
        ServiceKey::from_json(&key.to_string()).unwrap()
    }

    /// The LMS ID of Identity Provisioning, pre-registered by the mock.
    async fn ips(&self, client: &Client) -> String {
        let objects = client
            .all_landscape_objects(&LandscapeQuery {
                service_type: Some("SAP_CLOUD_IDENTITY_PROVISIONING".into()),
                ..LandscapeQuery::default()
            })
            .await
            .unwrap();
        objects[0].lms_id.clone()
    }
}

/// The contract: the landscape writes both keys in the real format; their API root is
/// landscape.json's `calm.url`; Identity Provisioning is a pre-registered SLIS cloud service.
#[tokio::test]
async fn the_landscapes_secret_key_connects() {
    let env = Env::start().await;
    let key = env.key(false);
    assert_eq!(key.credential_type(), CredentialType::BindingSecret);
    assert_eq!(key.api_root(), env.landscape.description.calm.url);
    let client = env.client(&key).await;
    let token = client.token().await.unwrap();
    assert_eq!(token.grants("calm-api.landscape.read"), Some(true));
    assert_eq!(token.grants("calm-api.analytics.read"), Some(true));
    let objects = client
        .all_landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap();
    let ips = objects
        .iter()
        .find(|o| o.name.as_deref() == Some("Identity Provisioning"))
        .unwrap();
    assert_eq!(ips.object_type.as_deref(), Some("CloudService"));
    assert_eq!(ips.source.as_deref(), Some("SLIS"));
    assert_eq!(
        ips.service_type.as_deref(),
        Some("SAP_CLOUD_IDENTITY_PROVISIONING")
    );
    env.landscape.shutdown().await;
}

/// [DOC] §1.3: the X.509 key gets its token at `certurl` over mTLS.
#[tokio::test]
async fn the_landscapes_x509_key_connects_over_mtls() {
    let env = Env::start().await;
    let key = env.key(true);
    assert_eq!(key.credential_type(), CredentialType::X509);
    assert_ne!(key.token_url(), env.key(false).token_url());
    let client = env.client(&key).await;
    let page = client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap();
    assert!(!page.items.is_empty());
    env.landscape.shutdown().await;
}

/// Tokens expire on the landscape clock: the client's clock follows it and asks for a new one;
/// a client whose clock did not move gets a 401, refreshes once and succeeds.
#[tokio::test]
async fn tokens_expire_on_the_landscape_clock() {
    let env = Env::start().await;
    let key = env.key(false);
    let landscape_clock = env.clock().await;
    let following = env.client(&key).await;
    let still = Client::new(
        &key,
        &Reach::new(
            env.https.clone(),
            Arc::new(ManualClock::new(START.parse::<Timestamp>().unwrap())),
        ),
        TokenRequestStyle::default(),
    )
    .unwrap();
    let first = following.token().await.unwrap();
    let stale = still.token().await.unwrap();
    landscape_clock.sleep(Duration::from_secs(43_200)).await;
    let query = LandscapeQuery::default();
    following.landscape_objects(&query).await.unwrap();
    assert_ne!(following.token().await.unwrap().secret(), first.secret());
    still.landscape_objects(&query).await.unwrap();
    assert_ne!(still.token().await.unwrap().secret(), stale.secret());
    env.landscape.shutdown().await;
}

/// A key without `calm-api.landscape.read` is refused 403, and the error names the scope.
#[tokio::test]
async fn a_key_without_the_scope_is_told_which_it_lacks() {
    let env = Env::start().await;
    let key = env
        .instance("metrics-only", &["$XSMASTERAPPNAME.calm-api.metrics.read"])
        .await;
    let client = env.client(&key).await;
    let error = client
        .landscape_objects(&LandscapeQuery::default())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert_eq!(error.missing_scope(), Some("calm-api.landscape.read"));
    let text = error.to_string();
    assert!(
        text.contains("$XSMASTERAPPNAME.calm-api.landscape.read"),
        "{error}"
    );
    assert_eq!(
        text.matches("$XSMASTERAPPNAME.calm-api.landscape.read")
            .count(),
        1,
        "the authority to add is named once: {error}"
    );
    env.landscape.shutdown().await;
}

/// §6.2: register, heartbeat, see the system in the landscape, unregister.
#[tokio::test]
async fn a_system_registers_beats_and_unregisters() {
    let env = Env::start().await;
    let client = env.client(&env.key(false)).await;
    let registration = Registration {
        system_id: "S4H".into(),
        client: "000".into(),
        system_number: "000000000312345678".into(),
        installation_number: "0020123456".into(),
        db_host: "s4hdb01".into(),
        host_name: "s4happ01".into(),
        sap_system_type: "ABAP".into(),
        product_version: "SAP S/4HANA 2023".into(),
        basis_release: "758".into(),
        basis_sp: "2".into(),
        st_pi_release: "740".into(),
        st_pi_sp: "34".into(),
        description: "CALM".into(),
        background_user: "CALMBATCH".into(),
        time_zone: "UTC".into(),
    };
    let registered = client.register(&registration).await.unwrap();
    assert_eq!(registered.status, "Registered");
    client
        .heartbeat(&registered.lms_id, client.clock().now())
        .await
        .unwrap();
    let objects = client
        .all_landscape_objects(&LandscapeQuery {
            lms_id: Some(registered.lms_id.clone()),
            ..LandscapeQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].object_type.as_deref(), Some("TechnicalSystem"));
    assert_eq!(objects[0].source.as_deref(), Some("REGISTRATION"));
    client.unregister(&registered.lms_id).await.unwrap();

    let error = client
        .register(&Registration {
            db_host: String::new(),
            ..registration
        })
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error}");
    env.landscape.shutdown().await;
}

/// §2.9 proposed: executions reported as JAM log records come back from `jam.run` and in
/// `DP_JOB_MONITORING`; reading 3 hours of logs needs the client's 60-minute windows.
#[tokio::test]
async fn job_executions_are_reported_and_read_back() {
    let env = Env::start().await;
    let clock = env.clock().await;
    let client = env.client_on(&env.key(false), clock.clone());
    let ips = env.ips(&client).await;
    let service = JamService {
        service_id: ips.clone(),
        service_name: Some("HR File".into()),
    };
    let start: Timestamp = START.parse().unwrap();
    for n in 0..4 {
        let begin = clock.now();
        clock.sleep(Duration::from_secs(30)).await;
        let execution = JobExecution {
            job_type: "IPS_PROVISIONING_JOB".into(),
            job_name: "HR File READ".into(),
            job_id: "HR File|READ".into(),
            execution_id: format!("job-{n}"),
            execution_status: ExecutionStatus::Completed,
            application_status: if n == 3 {
                ApplicationStatus::Error
            } else {
                ApplicationStatus::Success
            },
            planned_start_time: Some(begin),
            start_time: Some(begin),
            end_time: Some(clock.now()),
            run_time_seconds: None,
            user: None,
            counters: vec![("created".into(), n)],
        };
        client.report_job(&service, &execution).await.unwrap();
        clock.sleep(Duration::from_secs(50 * 60)).await;
    }
    assert!(clock.now().duration_since(start) > jiff::SignedDuration::from_hours(3));
    let executions = client
        .job_executions(&ips, Some("HR File|READ"), LogsWindow::LastMinutes(4 * 60))
        .await
        .unwrap();
    assert_eq!(
        executions
            .iter()
            .map(|e| (e.execution_id.as_str(), e.application_status))
            .collect::<Vec<_>>(),
        [
            ("job-0", ApplicationStatus::Success),
            ("job-1", ApplicationStatus::Success),
            ("job-2", ApplicationStatus::Success),
            ("job-3", ApplicationStatus::Error),
        ]
    );
    assert_eq!(executions[2].counters, [("created".to_string(), 2)]);
    let mut paged = LogsQuery::new("jam.run", ips.as_str(), LogsWindow::LastMinutes(4 * 60));
    paged.page_size = 1;
    assert_eq!(client.read_logs(&paged).await.unwrap().record_count(), 4);

    let jobs = client.job_summaries(Some(&ips), "L7D").await.unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    assert_eq!(jobs[0].job_id, "HR File|READ");
    assert_eq!(jobs[0].executions, 4.0);
    assert_eq!(jobs[0].success, 3.0);
    assert_eq!(jobs[0].application_error, 1.0);
    assert_eq!(jobs[0].run_time, 120.0);
    env.landscape.shutdown().await;
}

#[tokio::test]
async fn metrics_are_pushed_and_read_back() {
    let env = Env::start().await;
    let client = env.client(&env.key(false)).await;
    let ips = env.ips(&client).await;
    let now = client.clock().now();
    let request = ExportMetricsServiceRequest::for_service(
        &ips,
        "sapland",
        vec![Metric::gauge(
            "ips.jobs.failed",
            "1",
            vec![NumberDataPoint::int(now, 2)],
        )],
    );
    client.push_metrics(&ips, &request).await.unwrap();
    let mut query = MetricsQuery::new("hm", MetricsWindow::Period("L1H".into()));
    query.service_id = Some(ips.clone());
    let read = client.read_metrics(&query).await.unwrap();
    let points: Vec<_> = read
        .points()
        .filter(|(_, metric, _)| metric.name == "ips.jobs.failed")
        .map(|(_, _, point)| point.value())
        .collect();
    assert_eq!(points, [Some(2.0)]);
    env.landscape.shutdown().await;
}

/// §2.10 proposed: two snapshots of a store, read back with `elementModification`.
#[tokio::test]
async fn csa_snapshots_are_diffed() {
    let env = Env::start().await;
    let clock = env.clock().await;
    let client = env.client_on(&env.key(false), clock.clone());
    let ips = env.ips(&client).await;
    let snapshot = |items: &[(&str, &str)]| CsaSnapshot {
        service_id: ips.clone(),
        stores: vec![CsaStore {
            store_name: "IPS_SYSTEMS".into(),
            store_type: "PROPERTY".into(),
            sci_id: "IPS".into(),
            element_date: client.clock().now(),
            items: items
                .iter()
                .map(|(key, value)| CsaItem {
                    key: (*key).into(),
                    value: (*value).into(),
                })
                .collect(),
        }],
    };
    client
        .push_csa(&snapshot(&[
            ("TrustAll", "false"),
            ("ias.api.version", "2"),
        ]))
        .await
        .unwrap();
    clock.sleep(Duration::from_secs(86_400)).await;
    client
        .push_csa(&snapshot(&[
            ("TrustAll", "true"),
            ("ias.api.version", "2"),
            ("OAuth2TokenServiceURL", "https://t/oauth2/token"),
        ]))
        .await
        .unwrap();
    let items = client.csa_items(Some(&ips), "L7D").await.unwrap();
    let seen: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|item| {
            (
                item.item_key.as_deref().unwrap(),
                item.item_value.as_deref().unwrap(),
                item.element_modification.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("OAuth2TokenServiceURL", "https://t/oauth2/token", "ADDED"),
            ("TrustAll", "true", "UPDATED"),
            ("ias.api.version", "2", "INITIAL"),
        ]
    );
    env.landscape.shutdown().await;
}
