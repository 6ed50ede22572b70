//! The job runner against a mock landscape: cancellation ends a job as Manually Terminated
//! with its operational data consistent, a job on a thread of its own, the Cloud ALM report
//! queued with the job's end, and the per-entity write path.

use std::sync::Arc;

use jiff::Timestamp;
use sapland_core::job::{EntityOutcome, EntityType, JobStatus, JobType, TriggerType};
use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig};
use sapland_outbound::Reach;
use sapland_outbound::clock::ManualClock;
use sapland_outbound::https::{HttpsOptions, PemSource};
use sapland_provision::job::{CancelToken, JobRequest, Progress, Quiet, Runner};
use sapland_provision::monitor::Monitoring;
use sapland_provision::store::{RelationKey, RelationState, Store};
use sapland_systems::Systems;
use serde_json::{Value, json};

const START: &str = "2026-11-22T09:00:00Z";
const SOURCE: &str = "HR File";
const TARGET: &str = "IAS Target";

/// A landscape, a systems directory whose HR file feeds its target tenant, and a runner.
struct Env {
    landscape: Landscape,
    dir: tempfile::TempDir,
    https: HttpsOptions,
}

impl Env {
    async fn start(users: usize) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = LandscapeConfig::new(dir.path().join("landscape"));
        config.clock = ClockChoice::Manual(START.parse::<Timestamp>().unwrap());
        config.seed = Some(7);
        let landscape = Landscape::start(config).await.unwrap();
        let ca = std::fs::read(landscape.description.ca_cert.as_ref().unwrap()).unwrap();
        let https = HttpsOptions {
            extra_roots: vec![PemSource::new("landscape CA", ca)],
            ..HttpsOptions::default()
        };
        let env = Self {
            landscape,
            dir,
            https,
        };
        env.admin(
            reqwest::Method::PUT,
            "/_admin/ias/tenants/target/throttling",
            json!({"mode": "off"}),
        )
        .await;
        env.write_systems(users);
        env
    }

    fn target(&self) -> &sapland_landscape::TenantDescription {
        let tenants = &self.landscape.description.ias.tenants;
        tenants.iter().find(|t| t.name == "target").unwrap()
    }

    fn write_systems(&self, users: usize) {
        let systems = self.dir.path().join("systems");
        std::fs::create_dir_all(&systems).unwrap();
        let source = json!({"id": "source-id", "connectorTypeString": "LOCAL_FILE",
            "accessMode": "READ", "name": SOURCE, "state": "ENABLED",
            "properties": {"file.path": "users.ndjson", "file.format": "ndjson",
                           "ips.trace.created.entity": "true"}});
        let target = json!({"id": "target-id", "connectorTypeString": "SAP_CLOUD_IDENTITY",
            "accessMode": "WRITE", "name": TARGET, "state": "ENABLED",
            "relatedSystems": ["source-id"],
            "properties": {"URL": self.target().url, "Authentication": "BasicAuthentication",
                           "User": self.target().technical_user.client_id,
                           "ias.api.version": "2", "sapland.requests.per.minute": "0",
                           "sapland.requests.in.flight": "4"}});
        std::fs::write(systems.join("source.json"), source.to_string()).unwrap();
        std::fs::write(systems.join("target.json"), target.to_string()).unwrap();
        let lines: String = (0..users)
            .map(|i| format!("{}\n", user(i, "Berg")))
            .collect();
        std::fs::write(systems.join("users.ndjson"), lines).unwrap();
    }

    fn runner(&self) -> Runner {
        let secret = self.target().technical_user.client_secret.clone();
        let systems = Systems::load(&self.dir.path().join("systems"), |name| {
            (name == "SAPLAND_SECRET__IAS_TARGET__PASSWORD").then(|| secret.clone())
        })
        .unwrap();
        let clock = Arc::new(ManualClock::new(START.parse().unwrap()));
        let reach = Reach::new(self.https.clone(), clock);
        Runner::new(Arc::new(systems), self.dir.path().join("state"), reach)
    }

    fn store(&self) -> Store {
        Store::open(&self.dir.path().join("state"), Timestamp::now).unwrap()
    }

    async fn admin(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let client = sapland_outbound::https::build(&self.https).unwrap();
        let url = format!("{}{path}", self.landscape.description.ias.admin_url);
        let response = client
            .request(method, url)
            .bearer_auth(&self.landscape.description.admin_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// How many users the target tenant holds, by its SCIM API.
    async fn users_in_target(&self) -> u64 {
        let client = sapland_outbound::https::build(&self.https).unwrap();
        let user = &self.target().technical_user;
        let response = client
            .get(format!("{}/scim/Users?count=1", self.target().url))
            .basic_auth(&user.client_id, Some(&user.client_secret))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        page["totalResults"].as_u64().expect("totalResults")
    }
}

fn user(i: usize, family_name: &str) -> Value {
    json!({"userName": format!("user{i:04}"), "name": {"givenName": "U", "familyName": family_name},
           "emails": [{"value": format!("user{i:04}@example.com"), "primary": true}]})
}

fn read() -> JobRequest {
    JobRequest {
        source: SOURCE.into(),
        job_type: JobType::Read,
        trigger: TriggerType::Immediate,
    }
}

fn created(job: &sapland_core::job::Job) -> u64 {
    job.statistics
        .iter()
        .find(|row| row.system == TARGET && row.entity_type == "user")
        .expect("a statistics row for the target's users")
        .created
}

/// Cancels the job when the first page has been read and handed to the writers.
struct CancelAfterFirstPage(CancelToken);

impl Progress for CancelAfterFirstPage {
    fn read(&self, _entity_type: EntityType, _done: u64, _total: Option<u64>) {
        self.0.cancel();
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_cancelled_job_is_manually_terminated_and_the_next_read_writes_the_rest_once() {
    let env = Env::start(300).await;
    let runner = env.runner();
    let cancel = CancelToken::new();
    let progress = CancelAfterFirstPage(cancel.clone());
    let first = runner.run(read(), &progress, &cancel).await.unwrap().job;
    assert_eq!(first.status, JobStatus::ManuallyTerminated);
    assert!(first.end_time.is_some());
    assert!(
        first
            .outcome
            .iter()
            .any(|line| line.contains("terminated manually")),
        "{:?}",
        first.outcome
    );
    let written = created(&first);
    assert!(written > 0 && written < 300, "stopped part-way: {written}");
    assert_eq!(env.users_in_target().await, written, "recorded = written");

    let store = env.store();
    assert_eq!(
        store.job_lock(SOURCE).unwrap(),
        None,
        "the lock is released"
    );
    assert!(
        store.pending(SOURCE, TARGET).unwrap().is_empty(),
        "no create is left pending"
    );
    assert_eq!(
        store.job(&first.id).unwrap().unwrap().status,
        JobStatus::ManuallyTerminated
    );

    let second = runner
        .run(read(), &Quiet, &CancelToken::new())
        .await
        .unwrap()
        .job;
    assert_eq!(
        second.status,
        JobStatus::Success,
        "{:?}",
        second.error_message
    );
    assert_eq!(created(&second), 300 - written, "the rest, each once");
    assert_eq!(env.users_in_target().await, 300);
    assert!(
        second
            .outcome
            .iter()
            .all(|line| !line.contains("stopped job"))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_job_on_a_thread_of_its_own_is_reported_and_its_report_waits_when_cloud_alm_is_down() {
    let env = Env::start(5).await;
    let key_file = env.landscape.description.calm.service_key.clone();
    let key_text = std::fs::read_to_string(&key_file).unwrap();
    let key = sapland_calm::ServiceKey::from_json(&key_text).unwrap();
    let reach = env.runner().reach.clone();
    let runner = env
        .runner()
        .with_monitoring(Monitoring::connect(&key, &reach, None).unwrap());
    let running = runner.spawn(read(), Arc::new(Quiet)).unwrap();
    let finished = running.finished().await.unwrap();
    assert_eq!(finished.job.status, JobStatus::Success);
    assert_eq!(created(&finished.job), 5);
    let reported = finished.reported.expect("monitoring was on");
    assert_eq!((reported.sent, reported.queued), (1, 0), "{reported:?}");

    let mut down: Value = serde_json::from_str(&key_text).unwrap();
    down["endpoints"]["Api"] = json!("https://127.0.0.1:1/api");
    down["uaa"]["url"] = json!("https://127.0.0.1:1");
    let down = sapland_calm::ServiceKey::from_json(&down.to_string()).unwrap();
    let runner = env
        .runner()
        .with_monitoring(Monitoring::connect(&down, &reach, None).unwrap());
    let finished = runner
        .run(read(), &Quiet, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(
        finished.job.status,
        JobStatus::Success,
        "Cloud ALM down costs no job"
    );
    let reported = finished.reported.unwrap();
    assert_eq!(reported.queued, 1);
    assert!(reported.error.is_some());
    let queued = env.store().queued_reports("jam", 10).unwrap();
    assert_eq!(queued.len(), 1, "queued with the job's end");
    assert_eq!(queued[0].job_id, finished.job.id);
}

#[tokio::test(flavor = "current_thread")]
async fn one_entity_is_written_to_every_target_and_recorded() {
    let env = Env::start(0).await;
    let runner = env.runner();
    let writer = runner.entity_writer(SOURCE).unwrap();
    let records = writer
        .write(EntityType::User, &user(1, "Berg"))
        .await
        .unwrap();
    let outcomes: Vec<(&str, &EntityOutcome)> = records
        .iter()
        .map(|r| (r.system.as_str(), &r.outcome))
        .collect();
    assert_eq!(outcomes, [(TARGET, &EntityOutcome::Created)]);
    assert_eq!(env.users_in_target().await, 1);
    let store = env.store();
    let relation = store
        .relation(&RelationKey::new(SOURCE, TARGET, "user", "user0001"))
        .unwrap()
        .expect("recorded");
    assert_eq!(relation.state, RelationState::Provisioned);

    let again = writer
        .write(EntityType::User, &user(1, "Berg"))
        .await
        .unwrap();
    assert!(again.is_empty(), "unchanged: nothing is written: {again:?}");
    let changed = writer
        .write(EntityType::User, &user(1, "Dahl"))
        .await
        .unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].outcome, EntityOutcome::Updated);
    assert_eq!(env.users_in_target().await, 1);
}
