//! The logs API: pushes, and reads with the documented quirks (§2.8).

use std::time::Duration;

use jiff::Timestamp;
use sapland_calm::otlp::{ExportLogsServiceRequest, KeyValue, LogRecord};
use sapland_calm::window::{format_time, parse_time};
use sapland_calm::{
    ApplicationStatus, ExecutionStatus, JamService, JobExecution, LogsQuery, LogsWindow, UseCase,
};
use serde_json::{Value, json};

use crate::support::{Fake, Recorded, Reply};

const LOGS: &str = "/api/calm-logs/v1/logs";

fn record_at(at: &str, job: &str) -> Value {
    let nanos = at.parse::<Timestamp>().unwrap().as_nanosecond();
    json!({"timeUnixNano": nanos.to_string(), "body": {"stringValue": "x"},
           "attributes": [{"key": "jobId", "value": {"stringValue": job}}]})
}

fn answer(records: Vec<Value>) -> Reply {
    if records.is_empty() {
        return Reply::json(200, json!({}));
    }
    Reply::json(
        200,
        json!({"resourceLogs": [{"resource": {"attributes": []}, "scopeLogs": [{"logRecords": records}]}]}),
    )
}

/// Records of one job every 10 minutes from 09:00 to 11:59, served as Cloud ALM would:
/// inclusive `from`/`to` windows or `period`, `limit`/`offset` with `onLimit=truncate`.
fn serve_records(request: &Recorded) -> Option<Reply> {
    if request.path != LOGS {
        return None;
    }
    let start: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
    let all: Vec<Timestamp> = (0..18)
        .map(|n| start + jiff::SignedDuration::from_mins(10 * n))
        .collect();
    let (from, to) = match (
        request.param("from"),
        request.param("to"),
        request.param("period"),
    ) {
        (Some(from), Some(to), None) => (parse_time(from).unwrap(), parse_time(to).unwrap()),
        (None, None, Some(period)) => {
            let minutes: i64 = period.trim_end_matches('M').parse().unwrap();
            let now: Timestamp = "2026-11-22T12:00:00Z".parse().unwrap();
            (now - jiff::SignedDuration::from_mins(minutes), now)
        }
        _ => {
            return Some(Reply::json(
                400,
                json!({"status": 400, "error": "BAD_REQUEST", "message": "period or from/to"}),
            ));
        }
    };
    let matching: Vec<Value> = all
        .iter()
        .filter(|at| **at >= from && **at <= to)
        .map(|at| record_at(&at.to_string(), "J"))
        .collect();
    let total = matching.len();
    let offset: usize = request.param("offset").unwrap().parse().unwrap();
    let limit: usize = request.param("limit").unwrap().parse().unwrap();
    let page = matching.into_iter().skip(offset).take(limit).collect();
    Some(answer(page).header("x-total-count", total))
}

/// [OBS] §2.8: plain `serviceId`, `format=protobuf-json`, `onLimit=truncate` with paging.
#[tokio::test]
async fn a_short_window_is_one_period_with_the_quirks_handled() {
    let fake = Fake::start(serve_records).await;
    let (client, _) = fake.client();
    let read = client
        .read_logs(&LogsQuery::new(
            "jam.run",
            "lms-1",
            LogsWindow::LastMinutes(30),
        ))
        .await
        .unwrap();
    assert_eq!(read.record_count(), 3, "11:30, 11:40 and 11:50");
    let calls = fake.requests_to(LOGS);
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].raw_query.as_deref(),
        Some(
            "provider=jam.run&serviceId=lms-1&version=V1&format=protobuf-json&period=30M&limit=1000&offset=0&onLimit=truncate"
        )
    );
}

/// [OBS] §2.8: `period` over 60 minutes is refused, so 150 minutes are read as three
/// `from`/`to` windows of at most an hour, in `YYYYMMDDHHmmss` UTC, pages of 2.
#[tokio::test]
async fn a_long_window_is_split_into_hours_and_paged() {
    let fake = Fake::start(serve_records).await;
    let (client, clock) = fake.client();
    clock.advance(Duration::from_secs(3 * 3600));
    let mut query = LogsQuery::new("jam.run", "lms-1", LogsWindow::LastMinutes(150));
    query.page_size = 2;
    let read = client.read_logs(&query).await.unwrap();
    let times: Vec<String> = read
        .records()
        .map(|(_, record)| record.time().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (0..15)
        .map(|n| {
            ("2026-11-22T09:30:00Z".parse::<Timestamp>().unwrap()
                + jiff::SignedDuration::from_mins(10 * n))
            .to_string()
        })
        .collect();
    assert_eq!(times, expected, "each record once, the boundary ones too");
    let windows: Vec<(String, String)> = fake
        .requests_to(LOGS)
        .iter()
        .filter(|r| r.param("offset") == Some("0"))
        .map(|r| {
            (
                r.param("from").unwrap().to_string(),
                r.param("to").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        windows,
        [
            ("20261122093000".to_string(), "20261122103000".to_string()),
            ("20261122103000".to_string(), "20261122113000".to_string()),
            ("20261122113000".to_string(), "20261122120000".to_string()),
        ]
    );
    for request in fake.requests_to(LOGS) {
        assert_eq!(request.param("onLimit"), Some("truncate"));
        assert_eq!(request.param("limit"), Some("2"));
        assert_eq!(request.param("period"), None);
    }
}

#[tokio::test]
async fn an_explicit_window_and_an_empty_answer() {
    let fake = Fake::start(|request| (request.path == LOGS).then(|| answer(Vec::new()))).await;
    let (client, _) = fake.client();
    let from: Timestamp = "2026-11-22T08:00:00Z".parse().unwrap();
    let read = client
        .read_logs(&LogsQuery::new(
            "exm.jam",
            "lms-1",
            LogsWindow::Between {
                from,
                to: from + jiff::SignedDuration::from_mins(45),
            },
        ))
        .await
        .unwrap();
    assert_eq!(read.record_count(), 0);
    let calls = fake.requests_to(LOGS);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].param("from"), Some(format_time(from).as_str()));
    assert_eq!(calls[0].param("to"), Some("20261122084500"));
}

/// [OBS] §2.8: the default format is protobuf; sapland asks for JSON and refuses anything else.
#[tokio::test]
async fn a_protobuf_answer_is_refused() {
    let fake = Fake::start(|request| {
        (request.path == LOGS).then(|| Reply {
            status: 200,
            headers: vec![("content-type", "application/x-protobuf".into())],
            body: "\u{1}\u{2}".into(),
        })
    })
    .await;
    let (client, _) = fake.client();
    let error = client
        .read_logs(&LogsQuery::new("hm", "lms-1", LogsWindow::LastMinutes(5)))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "200: unexpected answer: the logs (OTLP JSON): the server answered \
             application/x-protobuf although format=protobuf-json was asked (GET {}{LOGS})",
            fake.url
        )
    );
}

/// [OBS] §2.1: `428 PRECONDITION_REQUIRED — A required parameter is missing : serviceId`.
#[tokio::test]
async fn the_servers_message_reaches_the_caller() {
    let fake = Fake::start(|request| {
        (request.path == LOGS).then(|| {
            Reply::json(
                428,
                json!({"status": 428, "error": "PRECONDITION_REQUIRED", "message": "A required parameter is missing : serviceId"}),
            )
        })
    })
    .await;
    let (client, _) = fake.client();
    let error = client
        .read_logs(&LogsQuery::new("jam.run", "", LogsWindow::LastMinutes(5)))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(428));
    assert_eq!(
        error.message(),
        Some("A required parameter is missing : serviceId")
    );
}

#[tokio::test]
async fn a_push_names_use_case_and_service() {
    let fake =
        Fake::start(|request| (request.path == LOGS).then(|| Reply::json(200, json!({})))).await;
    let (client, _) = fake.client();
    let request = ExportLogsServiceRequest::for_resource(
        vec![KeyValue::string("sap.cloudalm.serviceId", "lms-1")],
        "sapland",
        vec![LogRecord::new(
            "2026-11-22T09:00:00Z".parse().unwrap(),
            "ERROR",
            "boom",
        )],
    );
    client
        .push_logs(UseCase::Exm, "lms-1", &request)
        .await
        .unwrap();
    let push = &fake.requests_to(LOGS)[0];
    assert_eq!(push.method, "POST");
    assert_eq!(
        push.raw_query.as_deref(),
        Some("useCase=EXM&serviceId=lms-1")
    );
    assert_eq!(push.json(), serde_json::to_value(&request).unwrap());
}

/// §2.9 proposed: a job execution is one record pushed with `useCase=JAM`, and reads back from
/// the `jam.run` provider.
#[tokio::test]
async fn a_job_execution_is_reported_and_read_back() {
    let stored = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let kept = stored.clone();
    let fake = Fake::start(move |request| {
        if request.path != LOGS {
            return None;
        }
        if request.method == "POST" {
            let body = request.json();
            for resource in body["resourceLogs"].as_array().unwrap() {
                kept.lock().unwrap().push(resource.clone());
            }
            return Some(Reply::json(200, json!({})));
        }
        Some(Reply::json(
            200,
            json!({"resourceLogs": kept.lock().unwrap().clone()}),
        ))
    })
    .await;
    let (client, _) = fake.client();
    let service = JamService {
        service_id: "lms-1".into(),
        service_name: Some("HR File".into()),
    };
    for (id, job, status) in [
        ("1", "HR File|READ", ApplicationStatus::Success),
        ("2", "HR File|RESYNC", ApplicationStatus::Error),
        ("3", "HR File|READ", ApplicationStatus::Warning),
    ] {
        let execution = JobExecution {
            job_type: "IPS_PROVISIONING_JOB".into(),
            job_name: job.replace('|', " "),
            job_id: job.into(),
            execution_id: id.into(),
            execution_status: ExecutionStatus::Completed,
            application_status: status,
            planned_start_time: None,
            start_time: Some(format!("2026-11-22T08:0{id}:00Z").parse().unwrap()),
            end_time: Some(format!("2026-11-22T08:0{id}:30Z").parse().unwrap()),
            run_time_seconds: None,
            user: None,
            counters: vec![("created".into(), 5)],
        };
        client.report_job(&service, &execution).await.unwrap();
    }
    let push = &fake.requests_to(LOGS)[0];
    assert_eq!(
        push.raw_query.as_deref(),
        Some("useCase=JAM&serviceId=lms-1")
    );
    let executions = client
        .job_executions("lms-1", Some("HR File|READ"), LogsWindow::LastMinutes(60))
        .await
        .unwrap();
    assert_eq!(
        executions
            .iter()
            .map(|e| (e.execution_id.as_str(), e.application_status, e.run_time()))
            .collect::<Vec<_>>(),
        [
            ("1", ApplicationStatus::Success, Some(30.0)),
            ("3", ApplicationStatus::Warning, Some(30.0)),
        ]
    );
    assert_eq!(executions[0].counters, [("created".to_string(), 5)]);
    let read = fake.requests_to(LOGS).into_iter().last().unwrap();
    assert_eq!(read.param("provider"), Some("jam.run"));
}
