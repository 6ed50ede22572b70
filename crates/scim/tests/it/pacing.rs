//! Client-side pacing against IAS's SCIM rate limit ([DOC] `reference/ips-ias.md` §3.6: ≤ 200
//! requests a minute served, 201–280 delayed 1 s, from the 281st 429 for 60 s), with SAP
//! throttling on and the landscape clock: waiting for a slot advances the landscape, so the
//! mock's rate window sees the same time as the client.

use jiff::{SignedDuration, Timestamp};
use sapland_scim::{Dialect, Pace, ResourceType};
use serde_json::Value;

use crate::support::{Env, user};

/// The arrival times of `POST /scim/Users`, with the most requests in any 60-second window.
fn arrivals(journal: &[Value]) -> (Vec<Timestamp>, usize) {
    let times: Vec<Timestamp> = journal
        .iter()
        .filter(|e| e["method"] == "POST")
        .map(|e| e["time"].as_str().unwrap().parse().unwrap())
        .collect();
    let busiest = times
        .iter()
        .enumerate()
        .map(|(i, at)| {
            let from = at.checked_sub(SignedDuration::from_secs(60)).unwrap();
            times[..=i].iter().filter(|t| **t > from).count()
        })
        .max()
        .unwrap_or(0);
    (times, busiest)
}

fn per_minute(times: &[Timestamp]) -> f64 {
    let span = times.last().unwrap().duration_since(times[0]).as_secs_f64();
    (times.len() - 1) as f64 * 60.0 / span
}

/// A burst of 450 creates with the default IAS pace: no 429, never more than 200 in a
/// minute, and at least 95 % of the allowed 200 a minute.
#[tokio::test]
async fn a_burst_of_450_creates_stays_under_the_limit_with_the_default_pace() {
    let env = Env::start().await;
    let mut config = env.config(Dialect::IasV2, env.basic());
    config.pace = Some(Pace::per_minute(Pace::IAS_DEFAULT_PER_MINUTE));
    let (client, _) = env.client_on_landscape_clock(config).await;
    for i in 0..450 {
        client
            .create(ResourceType::User, &user(&format!("user{i}")))
            .await
            .unwrap();
    }
    let journal = env.requests_to("/scim/Users").await;
    assert!(journal.iter().all(|e| e["status"] == 201));
    let (times, busiest) = arrivals(&journal);
    assert_eq!(times.len(), 450);
    assert!(busiest <= 200, "{busiest} requests in one minute");
    let rate = per_minute(&times);
    assert!(
        rate >= 190.0,
        "{rate} requests a minute is under 95 % of 200"
    );
}

/// The pace is shared by clones: eight concurrent workers together stay under the limit.
#[tokio::test]
async fn concurrent_clones_share_the_pace() {
    let env = Env::start().await;
    let mut config = env.config(Dialect::IasV2, env.basic());
    config.pace = Some(Pace::per_minute(Pace::IAS_DEFAULT_PER_MINUTE));
    let (client, _) = env.client_on_landscape_clock(config).await;
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let client = client.clone();
        workers.spawn(async move {
            for i in 0..57 {
                client
                    .create(ResourceType::User, &user(&format!("w{worker}u{i}")))
                    .await
                    .unwrap();
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done.unwrap();
    }
    let journal = env.requests_to("/scim/Users").await;
    assert_eq!(journal.len(), 456);
    assert!(journal.iter().all(|e| e["status"] == 201));
    let (times, busiest) = arrivals(&journal);
    assert!(busiest <= 200, "{busiest} requests in one minute");
    let rate = per_minute(&times);
    assert!(
        rate >= 190.0,
        "{rate} requests a minute is under 95 % of 200"
    );
}

/// Without pacing the same burst at one instant runs into IAS's 429 from the 281st request:
/// the limit the pace protects against is real in the mock.
#[tokio::test]
async fn without_pacing_a_burst_runs_into_429() {
    let env = Env::start().await;
    let (client, _) = env.client(env.config(Dialect::IasV2, env.basic()));
    let mut refused = 0;
    for i in 0..300 {
        if let Err(error) = client
            .create(ResourceType::User, &user(&format!("user{i}")))
            .await
        {
            assert_eq!(error.status(), Some(429), "{error}");
            refused += 1;
        }
    }
    assert_eq!(refused, 20);
}
