//! The analytics OData DataSet, and the views built on it (jobs, CSA), plus the CSA push.

use sapland_calm::analytics::{AnalyticsQuery, CCDB_STORE_DATA, DP_JOB_MONITORING};
use sapland_calm::csa::PROPERTY_STORE;
use sapland_calm::{CsaItem, CsaSnapshot, CsaStore};
use serde_json::{Value, json};

use crate::support::{Fake, Recorded, Reply};

const DATA_SET: &str = "/api/calm-analytics/v1/odata/v4/analytics/DataSet";

fn job_row(n: usize) -> Value {
    json!({"date": "2026-11-22", "d1k": "serviceId", "d1v": "lms-1", "d2k": "serviceName",
           "d2v": "HR File", "d3k": "jobType", "d3v": "IPS_PROVISIONING_JOB", "d4k": "jobId",
           "d4v": format!("HR File|{}", if n.is_multiple_of(2) { "READ" } else { "RESYNC" }),
           "d5k": "jobName", "d5v": "x",
           "m1k": "executions", "m1v": 1, "m2k": "runTime", "m2v": 10, "m3k": "success",
           "m3v": n % 2, "m4k": "applicationError", "m4v": 1 - n % 2})
}

fn serve_jobs(request: &Recorded) -> Option<Reply> {
    if request.path != DATA_SET {
        return None;
    }
    let skip: usize = request.param("$skip").unwrap().parse().unwrap();
    let top: usize = request.param("$top").unwrap().parse().unwrap();
    let rows: Vec<Value> = (skip..(skip + top).min(5)).map(job_row).collect();
    Some(Reply::json(
        200,
        json!({"@odata.context": "$metadata#DataSet", "@odata.count": 5, "value": rows}),
    ))
}

/// [SAMPLE] §2.6: the `$filter` text on the wire, `%20` for spaces, `$count`/`$top`/`$skip`.
#[tokio::test]
async fn a_data_set_is_read_page_by_page_with_the_samples_filter() {
    let fake = Fake::start(serve_jobs).await;
    let (client, _) = fake.client();
    let mut query = AnalyticsQuery::new(DP_JOB_MONITORING).select_generic(1, 1);
    query.query = Some("serviceId=lms-1".into());
    query.page_size = 2;
    let rows = client.analytics(&query).await.unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0].dimension("jobType"), Some("IPS_PROVISIONING_JOB"));
    let calls = fake.requests_to(DATA_SET);
    assert_eq!(calls.len(), 3);
    assert_eq!(
        calls[2].raw_query.as_deref(),
        Some(
            "$filter=provider%20eq%20%27DP_JOB_MONITORING%27%20and%20resolution%20eq%20%27D%27%20and%20period%20eq%20%27L7D%27%20and%20query%20eq%20%27serviceId%3Dlms-1%27\
             &$select=date,d1k,d1v,m1k,m1v&$count=true&$top=2&$skip=4"
        )
    );
    assert_eq!(
        calls[0].param("$filter"),
        Some(
            "provider eq 'DP_JOB_MONITORING' and resolution eq 'D' and period eq 'L7D' and query eq 'serviceId=lms-1'"
        )
    );
}

#[tokio::test]
async fn job_summaries_group_by_job() {
    let fake = Fake::start(serve_jobs).await;
    let (client, _) = fake.client();
    let jobs = client.job_summaries(None, "L7D").await.unwrap();
    assert_eq!(
        jobs.iter()
            .map(|j| (
                j.job_id.as_str(),
                j.executions,
                j.run_time,
                j.success,
                j.application_error
            ))
            .collect::<Vec<_>>(),
        [
            ("HR File|READ", 3.0, 30.0, 0.0, 3.0),
            ("HR File|RESYNC", 2.0, 20.0, 2.0, 0.0),
        ]
    );
    assert_eq!(
        fake.requests_to(DATA_SET)[0].param("$filter"),
        Some("provider eq 'DP_JOB_MONITORING' and resolution eq 'D' and period eq 'L7D'")
    );
}

/// §2.1: OData errors carry `error.code` and `error.message`.
#[tokio::test]
async fn an_unknown_provider_reads_as_the_odata_error() {
    let fake = Fake::start(|request| {
        (request.path == DATA_SET).then(|| {
            Reply::json(
                400,
                json!({"error": {"code": "BAD_REQUEST", "message": "Unknown provider NOPE", "details": []}}),
            )
        })
    })
    .await;
    let (client, _) = fake.client();
    let error = client
        .analytics(&AnalyticsQuery::new("NOPE"))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "400 BAD_REQUEST: Unknown provider NOPE (GET {}{DATA_SET})",
            fake.url
        )
    );
}

#[tokio::test]
async fn a_row_that_is_not_generic_is_an_unexpected_answer() {
    let fake = Fake::start(|request| {
        (request.path == DATA_SET).then(|| {
            Reply::json(
                200,
                json!({"value": [{"m1k": "executions", "m1v": "many"}]}),
            )
        })
    })
    .await;
    let (client, _) = fake.client();
    let error = client
        .analytics(&AnalyticsQuery::new(DP_JOB_MONITORING))
        .await
        .unwrap_err();
    assert!(
        error.to_string().starts_with(
            "200: unexpected answer: value[0]: m1v (measure executions) is not a number"
        ),
        "{error}"
    );
}

/// §2.10 proposed: the push body, `serviceId` in the query; items back via `CCDB_STORE_DATA`.
#[tokio::test]
async fn csa_snapshots_go_in_and_items_come_back() {
    let fake = Fake::start(|request| match request.path.as_str() {
        "/api/calm-csa/v1/stores" => Some(Reply::empty(201)),
        DATA_SET => Some(Reply::json(
            200,
            json!({"@odata.count": 2, "value": [
                {"d1k": "serviceName", "d1v": "IAS", "d2k": "storeName", "d2v": "TENANT", "d3k": "itemKey", "d3v": "b", "d4k": "elementModification", "d4v": "ADDED"},
                {"d1k": "serviceName", "d1v": "IAS", "d2k": "storeName", "d2v": "TENANT", "d3k": "itemKey", "d3v": "a", "d4k": "elementModification", "d4v": "INITIAL"}
            ]}),
        )),
        _ => None,
    })
    .await;
    let (client, _) = fake.client();
    let snapshot = CsaSnapshot {
        service_id: "lms-1".into(),
        stores: vec![CsaStore {
            store_name: "TENANT".into(),
            store_type: PROPERTY_STORE.into(),
            sci_id: "IAS".into(),
            element_date: "2026-11-22T09:00:00Z".parse().unwrap(),
            items: vec![CsaItem {
                key: "a".into(),
                value: "1".into(),
            }],
        }],
    };
    client.push_csa(&snapshot).await.unwrap();
    let push = &fake.requests_to("/api/calm-csa/v1/stores")[0];
    assert_eq!(push.raw_query.as_deref(), Some("serviceId=lms-1"));
    assert_eq!(
        push.json(),
        json!({"serviceId":"lms-1","stores":[{"storeName":"TENANT","storeType":"PROPERTY","sciId":"IAS","elementDate":"20261122090000","items":[{"key":"a","value":"1"}]}]})
    );
    let items = client.csa_items(Some("lms-1"), "L7D").await.unwrap();
    assert_eq!(
        items
            .iter()
            .map(|i| (
                i.item_key.as_deref().unwrap(),
                i.element_modification.as_deref().unwrap()
            ))
            .collect::<Vec<_>>(),
        [("a", "INITIAL"), ("b", "ADDED")]
    );
    let read = &fake.requests_to(DATA_SET)[0];
    assert!(
        read.param("$filter")
            .unwrap()
            .starts_with(&format!("provider eq '{CCDB_STORE_DATA}'")),
    );
}
