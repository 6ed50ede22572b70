//! The mock Cloud ALM's extras on the `/_admin` surface (**proposed**: views for people and
//! tests, not SAP APIs), under the kit's admin token:
//!
//! - `GET  /_admin/calm/jobs` — Job & Automation Monitoring as the app shows it: jobs grouped by
//!   service (system) name and job type, each with its executions and their ratings;
//! - `GET  /_admin/calm/jobs/{jobId}[?serviceId=]` — one job's executions (drill-down);
//! - `GET  /_admin/calm/csa` — CSA items per service and store, current values and the changes of
//!   the last snapshot;
//! - `GET  /_admin/calm/systems` — landscape objects with LMS ids, registration status and last
//!   heartbeat;
//! - `GET  /_admin/calm/health` — the latest value of each pushed metric per service;
//! - `GET  /_admin/calm/instances` — the service instances (no secrets);
//! - `POST /_admin/calm/instances` — `{name, authorities, credentialType?, subaccount?}` creates an
//!   instance with one binding and answers 201 with its service key (real format, shown once).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::CredentialType;
use crate::csa;
use crate::jam::execution::Execution;
use crate::jam::rating::{Rated, Rating, rate_job};
use crate::mock::{CalmMock, instances_view};
use crate::otlp::value::attributes_json;
use crate::period;

/// The routes, mounted by the kit under its admin token.
pub fn routes(mock: Arc<CalmMock>) -> Router {
    Router::new()
        .route("/_admin/calm/jobs", get(jobs))
        .route("/_admin/calm/jobs/{job_id}", get(job))
        .route("/_admin/calm/csa", get(csa_view))
        .route("/_admin/calm/systems", get(systems))
        .route("/_admin/calm/health", get(health))
        .route(
            "/_admin/calm/instances",
            get(list_instances).post(create_instance),
        )
        .with_state(mock)
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn job_json(rated: &[Rated<'_>]) -> Value {
    let Some(first) = rated.first().map(|r| r.execution) else {
        return Value::Null;
    };
    let count = |rating: Rating| rated.iter().filter(|r| r.overall == rating).count();
    json!({
        "serviceId": first.service.id,
        "serviceName": first.service.name,
        "jobType": first.job_type,
        "jobId": first.job_id,
        "jobName": first.job_name,
        "executionCount": rated.len(),
        "ratings": { "OK": count(Rating::Ok), "WARNING": count(Rating::Warning), "CRITICAL": count(Rating::Critical) },
        "lastRating": rated.last().map(|r| r.overall),
        "executions": rated.iter().map(Rated::to_json).collect::<Vec<_>>(),
    })
}

async fn jobs(State(mock): State<Arc<CalmMock>>) -> Json<Value> {
    let tenant = mock.tenant();
    let rules = mock.config().ratings;
    let mut groups: Vec<(String, String, String, Vec<Value>)> = Vec::new();
    for job in tenant.executions.by_job() {
        let Some(first) = job.first() else {
            continue;
        };
        let rated = rate_job(&job, &rules);
        let key = (
            first.service.id.clone(),
            first.service.name.clone(),
            first.job_type.clone(),
        );
        match groups
            .iter_mut()
            .find(|(id, name, job_type, _)| (id, name, job_type) == (&key.0, &key.1, &key.2))
        {
            Some((_, _, _, jobs)) => jobs.push(job_json(&rated)),
            None => groups.push((key.0, key.1, key.2, vec![job_json(&rated)])),
        }
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(service_id, service_name, job_type, jobs)| {
            json!({ "serviceId": service_id, "serviceName": service_name, "jobType": job_type, "jobs": jobs })
        })
        .collect();
    Json(json!({ "groups": groups }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JobQuery {
    service_id: Option<String>,
}

async fn job(
    State(mock): State<Arc<CalmMock>>,
    Path(job_id): Path<String>,
    Query(query): Query<JobQuery>,
) -> Response {
    let tenant = mock.tenant();
    let rules = mock.config().ratings;
    let matching: Vec<Vec<&Execution>> = tenant
        .executions
        .by_job()
        .into_iter()
        .filter(|job| {
            job.first().is_some_and(|e| {
                e.job_id == job_id && query.service_id.as_ref().is_none_or(|s| *s == e.service.id)
            })
        })
        .collect();
    match matching.as_slice() {
        [] => error(StatusCode::NOT_FOUND, format!("no job {job_id:?}")),
        [job] => Json(job_json(&rate_job(job, &rules))).into_response(),
        _ => error(
            StatusCode::CONFLICT,
            format!("the job id {job_id:?} belongs to several services; add ?serviceId=<lmsId>"),
        ),
    }
}

async fn csa_view(State(mock): State<Arc<CalmMock>>) -> Json<Value> {
    let tenant = mock.tenant();
    let current = tenant.csa.current_items();
    let mut services: Vec<(String, Vec<Value>)> = Vec::new();
    for store in tenant.csa.stores() {
        let Some(latest) = store.snapshots.last() else {
            continue;
        };
        let changes = match store.snapshots.len() {
            0 | 1 => Vec::new(),
            n => csa::diff(&store.snapshots[n - 2], latest),
        };
        let items: Vec<Value> = current
            .iter()
            .filter(|c| std::ptr::eq(c.store, store))
            .map(|c| {
                json!({ "key": c.item.key, "value": c.item.value, "elementModification": c.modification, "numChanges": c.changes })
            })
            .collect();
        let view = json!({
            "storeName": store.store_name,
            "storeType": latest.store_type,
            "sciId": latest.sci_id,
            "elementDate": latest.element_date,
            "receivedAt": latest.received_at,
            "snapshots": store.snapshots.len(),
            "items": items,
            "changes": changes,
        });
        match services.iter_mut().find(|(id, _)| *id == store.service_id) {
            Some((_, stores)) => stores.push(view),
            None => services.push((store.service_id.clone(), vec![view])),
        }
    }
    let services: Vec<Value> = services
        .into_iter()
        .map(|(service_id, stores)| {
            json!({ "serviceId": service_id, "serviceName": tenant.service_name(&service_id), "stores": stores })
        })
        .collect();
    Json(json!({ "services": services }))
}

async fn systems(State(mock): State<Arc<CalmMock>>) -> Json<Value> {
    let tenant = mock.tenant();
    let systems: Vec<Value> = tenant
        .landscape
        .objects()
        .iter()
        .map(|object| {
            let mut view = object.wire_json();
            if let (Value::Object(map), Some(registration)) = (&mut view, &object.registration) {
                map.insert("registrationStatus".into(), json!(registration.status));
                map.insert("registeredAt".into(), json!(registration.registered_at));
                map.insert("unregisteredAt".into(), json!(registration.unregistered_at));
                map.insert("lastHeartbeat".into(), json!(registration.last_heartbeat));
                map.insert(
                    "lastHeartbeatSent".into(),
                    json!(registration.last_heartbeat_sent),
                );
                map.insert(
                    "details".into(),
                    Value::Object(registration.details.clone()),
                );
            }
            view
        })
        .collect();
    Json(json!({ "systems": systems }))
}

async fn health(State(mock): State<Arc<CalmMock>>) -> Json<Value> {
    let tenant = mock.tenant();
    let mut services: Vec<(String, Vec<Value>)> = Vec::new();
    let mut latest: Vec<(&str, &str, usize)> = Vec::new();
    for (index, stored) in tenant.points.iter().enumerate() {
        let key = (
            stored.service_id.as_str(),
            stored.point.metric.name.as_str(),
        );
        match latest.iter_mut().find(|(s, m, _)| (*s, *m) == key) {
            Some(entry) => {
                let current = &tenant.points[entry.2].point;
                if stored.point.time_unix_nano >= current.time_unix_nano {
                    entry.2 = index;
                }
            }
            None => latest.push((key.0, key.1, index)),
        }
    }
    for (service_id, _, index) in latest {
        let point = &tenant.points[index].point;
        let view = json!({
            "name": point.metric.name,
            "unit": point.metric.unit,
            "value": point.value.to_json(),
            "time": period::from_nanos(point.time_unix_nano),
            "attributes": attributes_json(&point.attributes),
        });
        match services.iter_mut().find(|(id, _)| id == service_id) {
            Some((_, metrics)) => metrics.push(view),
            None => services.push((service_id.to_string(), vec![view])),
        }
    }
    let services: Vec<Value> = services
        .into_iter()
        .map(|(service_id, metrics)| {
            json!({ "serviceId": service_id, "serviceName": tenant.service_name(&service_id), "metrics": metrics })
        })
        .collect();
    Json(json!({ "services": services }))
}

async fn list_instances(State(mock): State<Arc<CalmMock>>) -> Json<Value> {
    Json(instances_view(&mock))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewInstance {
    name: String,
    authorities: Vec<String>,
    #[serde(default)]
    credential_type: Option<CredentialType>,
    #[serde(default)]
    subaccount: Option<String>,
}

async fn create_instance(State(mock): State<Arc<CalmMock>>, body: Bytes) -> Response {
    let new: NewInstance = match sapland_core::json::from_str(&String::from_utf8_lossy(&body)) {
        Ok(new) => new,
        Err(err) => return error(StatusCode::BAD_REQUEST, format!("invalid instance: {err}")),
    };
    let subaccount = match new.subaccount {
        Some(subaccount) => subaccount,
        None => match mock.config().subaccounts.first() {
            Some(first) => first.subdomain.clone(),
            None => return error(StatusCode::CONFLICT, "the landscape has no subaccount"),
        },
    };
    match mock.create_instance(
        &subaccount,
        &new.name,
        &new.authorities,
        new.credential_type.unwrap_or(CredentialType::BindingSecret),
    ) {
        Ok(key) => (StatusCode::CREATED, Json(key)).into_response(),
        Err(message) => error(StatusCode::BAD_REQUEST, message),
    }
}
