//! Steps for Cloud ALM's raw logs API: Job & Automation Monitoring records pushed as OTLP JSON,
//! read back with the query parameters live tenants expect (or refuse), and `sapland calm jobs
//! --job` reading them back in windows.

use cucumber::{given, then, when};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::calm::{calm, calm_admin};
use super::calm_oauth::token_by_secret;
use super::cli::run_sapland;
use super::landscape::{answer, journal_at, journal_end, seq};
use crate::world::World;

/// The service type of Identity Provisioning in the Cloud ALM landscape.
const IPS_SERVICE_TYPE: &str = "SAP_CLOUD_IDENTITY_PROVISIONING";

#[given("a client has a Cloud ALM token of the landscape's secret key")]
async fn has_token(world: &mut World) {
    token_by_secret(world, "secret".into(), "in a Basic header".into()).await;
    assert_eq!(world.answer().status, 200, "{:?}", world.answer().body);
}

/// The LMS id of Identity Provisioning, the pre-registered cloud service.
async fn ips_lms_id(world: &mut World) -> String {
    let answer = calm_admin(world, "GET", "/_admin/calm/systems", None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.body["systems"]
        .as_array()
        .unwrap_or_else(|| panic!("the systems view lists no systems: {}", answer.text))
        .iter()
        .find(|system| system["serviceType"] == IPS_SERVICE_TYPE)
        .and_then(|system| system["lmsId"].as_str())
        .unwrap_or_else(|| panic!("Identity Provisioning is not in {:#}", answer.body))
        .to_string()
}

fn string(key: &str, value: impl Into<String>) -> Value {
    json!({"key": key, "value": {"stringValue": value.into()}})
}

fn nanos(time: Timestamp) -> String {
    time.as_nanosecond().to_string()
}

/// One Job & Automation Monitoring record: a completed, successful execution ending at `end`.
fn execution(job_id: &str, number: usize, end: Timestamp) -> Value {
    let (system, job_type) = job_id
        .split_once('|')
        .expect("a job id such as \"HR File|READ\"");
    json!({
        "timeUnixNano": nanos(end),
        "observedTimeUnixNano": nanos(end),
        "severityText": "INFO",
        "body": {"stringValue": format!("{system} {job_type}: Completed, Success")},
        "attributes": [
            string("jobType", "IPS_PROVISIONING_JOB"),
            string("jobName", format!("{system} {job_type}")),
            string("jobId", job_id),
            string("executionId", format!("execution-{number}")),
            string("executionStatus", "Completed"),
            string("applicationStatus", "Success"),
            string("startTime", (end - SignedDuration::from_secs(1)).to_string()),
            string("endTime", end.to_string()),
        ],
    })
}

/// Pushes `count` executions of a job with the remembered token, the newest half an interval
/// ago and each earlier one an interval before it, as the agent's monitoring would.
#[given(
    regex = r#"^Identity Provisioning has reported (\d+) executions? of the job "([^"]+)" to Cloud ALM, one every (\d+) (seconds?|minutes?)$"#
)]
async fn reported_executions(
    world: &mut World,
    count: usize,
    job_id: String,
    every: i64,
    unit: String,
) {
    let interval = match unit.trim_end_matches('s') {
        "second" => SignedDuration::from_secs(every),
        _ => SignedDuration::from_mins(every),
    };
    let now = world.landscape().clock.now();
    let records: Vec<Value> = (0..count)
        .rev()
        .map(|back| {
            let end = now - interval * i32::try_from(back).expect("few") - interval / 2;
            execution(&job_id, count - back, end)
        })
        .collect();
    let service_id = ips_lms_id(world).await;
    let document = json!({"resourceLogs": [{
        "resource": {"attributes": [string("sap.cloudalm.serviceId", service_id.as_str())]},
        "scopeLogs": [{"scope": {"name": "sapland-scenarios"}, "logRecords": records}],
    }]});
    let url = format!(
        "{}/api/calm-logs/v1/logs?useCase=JAM&serviceId={}",
        calm(world).url,
        super::landscape::encode(&service_id)
    );
    let request = authorized(world, |http| http.post(url))
        .header("content-type", "application/json")
        .body(document.to_string());
    let answer = answer(request.send().await.expect("Cloud ALM answers")).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
}

/// A request with the remembered token.
fn authorized(
    world: &World,
    request: impl FnOnce(&reqwest::Client) -> reqwest::RequestBuilder,
) -> reqwest::RequestBuilder {
    let token = world
        .remembered
        .get("calm token")
        .expect("a token was fetched");
    request(&super::landscape::client(world, None)).bearer_auth(token)
}

#[when(regex = r#"^the client reads the logs of provider "([^"]+)" with "([^"]*)"$"#)]
async fn read_logs(world: &mut World, provider: String, query: String) {
    let query = query.replace("{ips}", &ips_lms_id(world).await);
    let url = format!(
        "{}/api/calm-logs/v1/logs?provider={provider}&{query}",
        calm(world).url
    );
    let request = authorized(world, |http| http.get(url));
    let response = request.send().await.expect("Cloud ALM answers");
    world.answer = Some(answer(response).await);
}

#[then(regex = r#"^the answer holds (\d+) log records? of the job "([^"]+)"$"#)]
fn holds_records(world: &mut World, count: usize, job_id: String) {
    let answer = world.answer();
    assert_eq!(answer.status, 200, "{}", answer.text);
    let body = &answer.body;
    let list = |value: &Value, member: &str| -> Vec<Value> {
        value[member]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("no {member} list in {value:#}"))
    };
    let records: Vec<Value> = list(body, "resourceLogs")
        .iter()
        .flat_map(|r| list(r, "scopeLogs"))
        .flat_map(|s| list(&s, "logRecords"))
        .collect();
    assert_eq!(records.len(), count, "{body:#}");
    for record in records {
        let attributes = record["attributes"].as_array().expect("attributes");
        assert!(
            attributes
                .iter()
                .any(|a| a["key"] == "jobId" && a["value"]["stringValue"] == job_id.as_str()),
            "{record:#}"
        );
    }
}

#[then(expr = "the answer's content type is {string}")]
fn content_type(world: &mut World, expected: String) {
    let headers = &world.answer().headers;
    let actual = headers.get("content-type").map(String::as_str);
    assert!(
        actual.is_some_and(|t| t.starts_with(&expected)),
        "{actual:?}"
    );
}

#[then(expr = "the answer's header {string} is {string}")]
fn header_is(world: &mut World, name: String, expected: String) {
    let headers = &world.answer().headers;
    assert_eq!(headers.get(&name), Some(&expected), "{headers:?}");
}

#[then(expr = "the Cloud ALM error says {string}")]
fn calm_error_says(world: &mut World, message: String) {
    let body = &world.answer().body;
    assert_eq!(body["message"], json!(message), "{body:#}");
    assert_eq!(body["status"], json!(world.answer().status), "{body:#}");
}

#[when(regex = r#"^I list the executions of the job "([^"]+)" in Cloud ALM since (\d+) hours$"#)]
async fn list_executions(world: &mut World, job_id: String, hours: u32) {
    let key = calm(world).service_key.display().to_string();
    let landscape = world.landscape().file.display().to_string();
    let since = format!("{hours}h");
    let mark = journal_end(&journal(world).await);
    world
        .remembered
        .insert("calm journal mark".into(), mark.to_string());
    let args = [
        "calm",
        "jobs",
        "--service-key",
        &key,
        "--landscape",
        &landscape,
        "--job",
        &job_id,
        "--since",
        &since,
        "--format",
        "json",
    ]
    .map(String::from)
    .to_vec();
    run_sapland(world, args, key).await;
}

/// The mock Cloud ALM's journal.
async fn journal(world: &mut World) -> Vec<Value> {
    let base = calm(world).admin_url;
    journal_at(world, &base).await
}

#[then(regex = r"^the output lists (\d+) executions?$")]
fn lists_executions(world: &mut World, count: usize) {
    let last = world.last();
    assert_eq!(last.code, 0, "{}", last.stderr);
    let stdout = &last.stdout;
    let listed: Value = serde_json::from_str(stdout).expect("JSON output");
    assert_eq!(
        listed["executions"].as_array().map(Vec::len),
        Some(count),
        "{listed:#}"
    );
}

/// Reads `from`/`to` (YYYYMMDDHHmmss, UTC) of a logs read.
fn window_of(query: &str) -> Option<(Timestamp, Timestamp)> {
    let value = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .and_then(|text| {
                jiff::civil::DateTime::strptime("%Y%m%d%H%M%S", text)
                    .ok()?
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .ok()
            })
            .map(|zoned| zoned.timestamp())
    };
    Some((value("from")?, value("to")?))
}

#[then(
    regex = r"^Cloud ALM's logs were read in windows of at most 60 minutes that cover (\d+) hours$"
)]
async fn read_in_windows(world: &mut World, hours: i64) {
    let mark: u64 = world.remembered["calm journal mark"]
        .parse()
        .expect("a number");
    let entries = journal(world).await;
    assert!(
        journal_end(&entries) >= mark,
        "the journal of the mock Cloud ALM was cleared since position {mark}"
    );
    let reads: Vec<Value> = entries
        .into_iter()
        .filter(|e| seq(e) > mark)
        .filter(|e| e["method"] == "GET" && e["path"] == "/api/calm-logs/v1/logs")
        .collect();
    let mut windows: Vec<(Timestamp, Timestamp)> = reads
        .iter()
        .map(|e| {
            let query = e["query"]
                .as_str()
                .unwrap_or_else(|| panic!("a logs read without a query: {e:#}"));
            window_of(query).unwrap_or_else(|| panic!("a read without from and to: {query}"))
        })
        .collect();
    windows.sort();
    assert!(windows.len() >= 2, "{reads:#?}");
    for (from, to) in &windows {
        assert!(
            to.duration_since(*from) <= SignedDuration::from_mins(60),
            "{from} … {to}"
        );
    }
    for pair in windows.windows(2) {
        assert!(pair[1].0 <= pair[0].1, "a gap between {pair:?}");
    }
    let covered = windows[windows.len() - 1].1.duration_since(windows[0].0);
    assert!(
        covered >= SignedDuration::from_hours(hours),
        "{covered} of {windows:?}"
    );
}
