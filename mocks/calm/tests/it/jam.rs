//! Job & Automation Monitoring (reference §2.9; seed 000: IPS jobs "grouped by system name and
//! job type" with drill-down to executions): JAM log records become executions, rated against
//! the job's history (proposed rules), aggregated for `DP_JOB_MONITORING` (§2.6).

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{Harness, harness, jam_record, logs_push, s};

async fn push(h: &Harness, token: &str, records: Vec<Value>) {
    let ips = h.ips();
    let answer = h
        .post(
            &format!("/api/calm-logs/v1/logs?useCase=JAM&serviceId={ips}"),
            token,
            &logs_push(&ips, records),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
}

/// Four READ runs of "IAS Source" on 2026-11-2x at 02:00, the last one slow and late; one
/// RESYNC that failed; one READ of another system.
async fn history(h: &Harness, token: &str) {
    let mut records = Vec::new();
    for (day, run_time, start, end, status) in [
        ("18", 60.0, "02:00:30", "02:01:30", "Success"),
        ("19", 70.0, "02:01:00", "02:02:10", "Success"),
        ("20", 65.0, "02:00:10", "02:01:15", "Warning"),
        ("21", 300.0, "02:20:00", "02:25:00", "Success"),
    ] {
        records.push(jam_record(
            "IAS Source",
            "READ",
            &format!("read-{day}"),
            status,
            &format!("2026-11-{day}T02:00:00Z"),
            &format!("2026-11-{day}T{start}Z"),
            &format!("2026-11-{day}T{end}Z"),
            run_time,
        ));
    }
    records.push(jam_record(
        "IAS Source",
        "RESYNC",
        "resync-1",
        "Error",
        "2026-11-21T03:00:00Z",
        "2026-11-21T03:00:00Z",
        "2026-11-21T03:00:40Z",
        40.0,
    ));
    records.push(jam_record(
        "HR Files",
        "READ",
        "hr-1",
        "Success",
        "2026-11-21T04:00:00Z",
        "2026-11-21T04:06:00Z",
        "2026-11-21T04:07:00Z",
        60.0,
    ));
    push(h, token, records).await;
}

#[tokio::test]
async fn seed_000_jobs_are_grouped_by_system_and_job_type_with_drill_down() {
    let h = harness();
    let token = h.token().await;
    history(&h, &token).await;
    let view = h.admin_get("/_admin/calm/jobs").await;
    let groups = view["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "one service, one job type: {view}");
    assert_eq!(groups[0]["serviceName"], "Identity Provisioning");
    assert_eq!(groups[0]["jobType"], "IPS_PROVISIONING_JOB");
    let names: Vec<&str> = groups[0]["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["jobName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["HR Files READ", "IAS Source READ", "IAS Source RESYNC"]
    );

    let drill = h.admin_get("/_admin/calm/jobs/IAS%20Source%7CREAD").await;
    assert_eq!(drill["executionCount"], 4);
    let executions = drill["executions"].as_array().unwrap();
    assert_eq!(executions[0]["executionId"], "read-18");
    assert_eq!(
        executions[0]["counters"],
        json!({"created": 3, "updated": 1})
    );
    assert_eq!(executions[3]["executionStatus"]["value"], "Completed");
    let missing = h
        .admin_call(crate::support::Call::new("GET", "/_admin/calm/jobs/nope"))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn executions_are_rated_against_the_jobs_history() {
    let h = harness();
    let token = h.token().await;
    history(&h, &token).await;
    let drill = h.admin_get("/_admin/calm/jobs/IAS%20Source%7CREAD").await;
    let executions = drill["executions"].as_array().unwrap();
    let rating = |i: usize, aspect: &str| executions[i][aspect]["rating"].clone();
    assert_eq!(rating(0, "runTime"), "OK", "no history yet");
    assert_eq!(executions[0]["runTime"]["medianOfEarlier"], Value::Null);
    assert_eq!(rating(2, "applicationStatus"), "WARNING");
    assert_eq!(executions[2]["rating"], "WARNING");
    // 300 s against the median 65 s of the earlier runs: above 3x.
    assert_eq!(executions[3]["runTime"]["medianOfEarlier"], 65.0);
    assert_eq!(rating(3, "runTime"), "CRITICAL");
    // Started 20 minutes late: above 15 minutes.
    assert_eq!(executions[3]["startDelay"]["seconds"], 1200);
    assert_eq!(rating(3, "startDelay"), "CRITICAL");
    assert_eq!(executions[1]["startDelay"]["rating"], "OK");
    assert_eq!(drill["lastRating"], "CRITICAL");
    assert_eq!(
        drill["ratings"],
        json!({"OK": 2, "WARNING": 1, "CRITICAL": 1})
    );

    let resync = h.admin_get("/_admin/calm/jobs/IAS%20Source%7CRESYNC").await;
    assert_eq!(
        resync["executions"][0]["applicationStatus"]["rating"],
        "CRITICAL"
    );
    let hr = h.admin_get("/_admin/calm/jobs/HR%20Files%7CREAD").await;
    assert_eq!(
        hr["executions"][0]["startDelay"]["rating"], "WARNING",
        "6 minutes late"
    );
}

#[tokio::test]
async fn a_later_record_of_an_execution_replaces_the_earlier_one() {
    let h = harness();
    let token = h.token().await;
    let mut running = jam_record(
        "IAS Source",
        "READ",
        "42",
        "Success",
        "2026-11-22T08:00:00Z",
        "2026-11-22T08:00:00Z",
        "2026-11-22T08:00:00Z",
        0.0,
    );
    let attributes = running["attributes"].as_array_mut().unwrap();
    attributes.retain(|a| {
        !matches!(
            a["key"].as_str(),
            Some("applicationStatus" | "endTime" | "runTimeSeconds")
        )
    });
    attributes[4] = s("executionStatus", "Running");
    push(&h, &token, vec![running]).await;
    let drill = h.admin_get("/_admin/calm/jobs/IAS%20Source%7CREAD").await;
    assert_eq!(
        drill["executions"][0]["executionStatus"]["value"],
        "Running"
    );
    push(
        &h,
        &token,
        vec![jam_record(
            "IAS Source",
            "READ",
            "42",
            "Success",
            "2026-11-22T08:00:00Z",
            "2026-11-22T08:00:00Z",
            "2026-11-22T08:02:00Z",
            120.0,
        )],
    )
    .await;
    let drill = h.admin_get("/_admin/calm/jobs/IAS%20Source%7CREAD").await;
    assert_eq!(drill["executionCount"], 1);
    assert_eq!(
        drill["executions"][0]["executionStatus"]["value"],
        "Completed"
    );
}

#[tokio::test]
async fn a_jam_record_without_its_attributes_is_400_and_stores_nothing() {
    let h = harness();
    let token = h.token().await;
    let ips = h.ips();
    let good = jam_record(
        "IAS Source",
        "READ",
        "1",
        "Success",
        "2026-11-22T08:00:00Z",
        "2026-11-22T08:00:00Z",
        "2026-11-22T08:01:00Z",
        60.0,
    );
    let mut bad = good.clone();
    bad["attributes"].as_array_mut().unwrap().remove(4);
    let answer = h
        .post(
            &format!("/api/calm-logs/v1/logs?useCase=JAM&serviceId={ips}"),
            &token,
            &logs_push(&ips, vec![good, bad]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.message(),
        "$.resourceLogs[0].scopeLogs[0].logRecords[1].attributes: expected the attribute executionStatus (Scheduled, Running, Completed or Unknown)"
    );
    assert!(h.mock.tenant().executions.all().is_empty());
    assert!(h.mock.tenant().records.is_empty());
}

#[tokio::test]
async fn ref_2_6_dp_job_monitoring_aggregates_per_day_over_the_period() {
    let h = harness();
    let token = h.token().await;
    history(&h, &token).await;
    let ips = h.ips();
    let uri = |period: &str, query: &str| {
        format!(
            "/api/calm-analytics/v1/odata/v4/analytics/DataSet?$filter=provider%20eq%20%27DP_JOB_MONITORING%27%20and%20resolution%20eq%20%27D%27%20and%20period%20eq%20%27{period}%27{query}&$count=true"
        )
    };
    let answer = h.get(&uri("L7D", ""), &token).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    assert_eq!(answer.json["@odata.count"], 6);
    let first = &answer.json["value"][0];
    assert_eq!(first["date"], "2026-11-18T00:00:00Z");
    assert_eq!(first["d1k"], "serviceType");
    assert_eq!(first["d1v"], "SAP_CLOUD_IDENTITY_PROVISIONING");
    assert_eq!(first["d2k"], "serviceId");
    assert_eq!(first["d2v"], ips.as_str());
    assert_eq!(first["d6k"], "jobId");
    assert_eq!(first["d6v"], "IAS Source|READ");
    assert_eq!(first["m1k"], "runTime");
    assert_eq!(first["m1v"], 60.0);
    assert_eq!(first["m3k"], "executions");
    assert_eq!(first["m3v"], 1);

    // L1D reaches back to 2026-11-21T09:00, and every execution of the 21st ran before that.
    let last_day = h.get(&uri("L1D", ""), &token).await;
    assert_eq!(last_day.json["@odata.count"], 0, "{}", last_day.json);
    // C1M: the current month from 2026-11-01.
    let month = h
        .get(
            &uri(
                "C1M",
                "%20and%20query%20eq%20%27jobId=IAS%20Source%7CRESYNC%27",
            ),
            &token,
        )
        .await;
    assert_eq!(month.json["@odata.count"], 1);
    let row = &month.json["value"][0];
    assert_eq!(row["m8k"], "applicationError");
    assert_eq!(row["m8v"], 1);
    assert_eq!(row["m4k"], "success");
    assert_eq!(row["m4v"], 0);

    h.advance(7 * 24 * 3600);
    let token = h.token().await;
    let later = h.get(&uri("L7D", ""), &token).await;
    assert_eq!(
        later.json["@odata.count"], 0,
        "the period follows the landscape clock"
    );
}

#[tokio::test]
async fn executions_of_the_same_time_keep_the_order_they_arrived_in() {
    let h = harness();
    let token = h.token().await;
    for id in ["zz-first", "aa-second"] {
        push(
            &h,
            &token,
            vec![jam_record(
                "IAS Source",
                "READ",
                id,
                "Success",
                "2026-11-22T09:00:00Z",
                "2026-11-22T09:00:00Z",
                "2026-11-22T09:00:00Z",
                0.0,
            )],
        )
        .await;
    }
    let drill = h.admin_get("/_admin/calm/jobs/IAS%20Source%7CREAD").await;
    assert_eq!(drill["executions"][0]["executionId"], "zz-first");
    assert_eq!(drill["executions"][1]["executionId"], "aa-second");
}
