//! Steps for Cloud ALM: the agent reporting jobs with the landscape's service key, what the
//! mock Cloud ALM's Job & Automation Monitoring shows (its admin views, as the app would), and
//! `sapland calm` reading it back through the public APIs.

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::cli::run_sapland;
use super::landscape::{admin_at, encode};
use crate::world::{Answer, World};

/// The landscape's Cloud ALM description.
pub(crate) fn calm(world: &World) -> sapland_landscape::CalmDescription {
    world.landscape().description.calm.clone()
}

/// Calls the mock Cloud ALM's admin surface with the admin token.
pub(crate) async fn calm_admin(
    world: &mut World,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Answer {
    let base = calm(world).admin_url;
    admin_at(world, &base, method, path, body).await
}

#[given("the agent reports jobs to Cloud ALM with the landscape's service key")]
fn reports_to_calm(world: &mut World) {
    let key = calm(world).service_key;
    let text = std::fs::read_to_string(&key).expect("the service key is readable");
    let parsed: Value = serde_json::from_str(&text).expect("the service key is JSON");
    let secret = parsed["uaa"]["clientsecret"]
        .as_str()
        .unwrap_or_else(|| panic!("{}: the key has no uaa.clientsecret", key.display()));
    world.secret_values.push(secret.to_string());
    world.provisioning.calm_service_key = Some(key);
}

#[given(regex = r"^Cloud ALM answers every request with (\d+)$")]
async fn calm_fault(world: &mut World, status: u16) {
    let rule = json!({"match": {"path": "/**"}, "action": {"type": "status", "status": status}});
    let answer = calm_admin(world, "POST", "/_admin/faults", Some(rule)).await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
}

#[when("Cloud ALM answers again")]
async fn calm_answers_again(world: &mut World) {
    let answer = calm_admin(world, "DELETE", "/_admin/faults", None).await;
    assert!(answer.status < 300, "{:?}", answer.body);
}

/// The executions of one job, as the drill-down shows them (none when Cloud ALM has none: the
/// drill-down then answers 404 naming that very job).
async fn executions(world: &mut World, job_id: &str) -> Vec<Value> {
    let answer = calm_admin(
        world,
        "GET",
        &format!("/_admin/calm/jobs/{}", encode(job_id)),
        None,
    )
    .await;
    match answer.status {
        404 => {
            assert_eq!(
                answer.body["error"],
                json!(format!("no job {job_id:?}")),
                "the drill-down did not look for the job {job_id:?}: {}",
                answer.text
            );
            Vec::new()
        }
        200 => answer.body["executions"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("the drill-down lists no executions: {}", answer.text)),
        other => panic!("the drill-down answered {other}: {}", answer.text),
    }
}

#[then(regex = r#"^Cloud ALM lists for the system "([^"]+)" the jobs of type "([^"]+)": (.+)$"#)]
async fn lists_jobs(world: &mut World, system: String, job_type: String, names: String) {
    let answer = calm_admin(world, "GET", "/_admin/calm/jobs", None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let group = answer.body["groups"]
        .as_array()
        .unwrap_or_else(|| panic!("the jobs view lists no groups: {}", answer.text))
        .iter()
        .find(|g| g["serviceName"] == system.as_str() && g["jobType"] == job_type.as_str())
        .unwrap_or_else(|| {
            panic!(
                "no group of {system:?} and {job_type:?} in {:#}",
                answer.body
            )
        })
        .clone();
    let mut actual: Vec<&str> = group["jobs"]
        .as_array()
        .unwrap_or_else(|| panic!("the group lists no jobs: {group:#}"))
        .iter()
        .map(|j| {
            j["jobName"]
                .as_str()
                .unwrap_or_else(|| panic!("a job without a name: {j}"))
        })
        .collect();
    actual.sort_unstable();
    let mut expected: Vec<&str> = names
        .split(',')
        .map(|n| n.trim().trim_matches('"'))
        .collect();
    expected.sort_unstable();
    assert_eq!(actual, expected, "{group:#}");
}

#[then(regex = r#"^Cloud ALM shows (\d+) executions? of the job "([^"]+)"$"#)]
async fn shows_executions(world: &mut World, count: usize, job_id: String) {
    assert_eq!(executions(world, &job_id).await.len(), count);
}

#[then(
    regex = r#"^every execution of the job "([^"]+)" in Cloud ALM is (\w+) with application status (\w+)$"#
)]
async fn every_execution(world: &mut World, job_id: String, status: String, application: String) {
    let executions = executions(world, &job_id).await;
    assert!(
        !executions.is_empty(),
        "Cloud ALM has no execution of {job_id:?}"
    );
    for execution in &executions {
        assert_eq!(
            execution["executionStatus"]["value"],
            status.as_str(),
            "{execution:#}"
        );
        assert_eq!(
            execution["applicationStatus"]["value"],
            application.as_str(),
            "{execution:#}"
        );
    }
}

#[then(
    regex = r#"^the first execution of the job "([^"]+)" in Cloud ALM counts (\d+) (\w+) and (\d+) (\w+)$"#
)]
async fn first_execution_counts(
    world: &mut World,
    job_id: String,
    first: i64,
    first_name: String,
    second: i64,
    second_name: String,
) {
    let executions = executions(world, &job_id).await;
    let counters = &executions.first().expect("an execution")["counters"];
    assert_eq!(counters[&first_name], json!(first), "{counters:#}");
    assert_eq!(counters[&second_name], json!(second), "{counters:#}");
}

#[then(regex = r#"^the last execution of the job "([^"]+)" in Cloud ALM is the last job$"#)]
async fn last_execution_is_last_job(world: &mut World, job_id: String) {
    let last_job = super::provision::job(world)["id"].clone();
    let executions = executions(world, &job_id).await;
    assert_eq!(
        executions.last().expect("an execution")["executionId"],
        last_job
    );
}

#[when("I list the jobs of Cloud ALM with the landscape's service key")]
async fn list_jobs(world: &mut World) {
    let key = calm(world).service_key.display().to_string();
    let landscape = world.landscape().file.display().to_string();
    let args = [
        "calm",
        "jobs",
        "--service-key",
        &key,
        "--landscape",
        &landscape,
    ]
    .map(String::from)
    .to_vec();
    run_sapland(world, args, key).await;
}

#[then(expr = "the output lists the job {string}")]
fn output_lists_job(world: &mut World, name: String) {
    let last = world.last();
    assert_eq!(last.code, 0, "{}", last.stderr);
    let stdout = &last.stdout;
    assert!(stdout.contains(&name), "{stdout}");
}
