//! Sending one push: the request a change makes for a target (method, URL, body in the
//! target's SCIM version), its authentication, and the delivery that records how it went.

use axum::http::Method;
use jiff::Timestamp;
use reqwest::Url;
use serde_json::Value;

use super::change::Operation;
use super::delivery::Delivery;
use super::queue::{Job, Shared};
use super::target::{Authentication, ScimVersion};

/// The most characters of a target's answer quoted in a delivery's error.
const ANSWER_EXCERPT: usize = 300;

/// What a job sends: method, URL, body, and the id it names the user by.
struct Push {
    method: Method,
    url: Url,
    body: Option<Value>,
    entity_id: Option<String>,
}

/// The request a job makes, or why it cannot make one.
fn request_of(job: &Job) -> Result<Push, String> {
    let change = &job.change;
    let target = &job.target;
    let entity_id = match target.version {
        ScimVersion::V2 => Some(change.id.clone()),
        ScimVersion::V1 => change.user_id.clone(),
    };
    match change.operation {
        Operation::Create | Operation::Update => {
            let body = match target.version {
                ScimVersion::V2 => change.v2.clone(),
                ScimVersion::V1 => change.v1.clone(),
            };
            let body = body.ok_or_else(|| match target.version {
                ScimVersion::V2 => "the user has no SCIM version 2 representation".to_string(),
                ScimVersion::V1 => {
                    "the user has no SCIM version 1 representation (no SAP user id)".to_string()
                }
            })?;
            Ok(Push {
                method: Method::POST,
                url: target.url.clone(),
                body: Some(body),
                entity_id,
            })
        }
        Operation::Delete => {
            let id = entity_id
                .clone()
                .ok_or("the user has no SCIM version 1 id (no SAP user id) to delete it by")?;
            let mut url = target.url.clone();
            url.path_segments_mut()
                .map_err(|_| "the target URL cannot take a path".to_string())?
                .pop_if_empty()
                .push(&id);
            Ok(Push {
                method: Method::DELETE,
                url,
                body: None,
                entity_id,
            })
        }
    }
}

/// The delivery of a job that was not sent, failed with `error`.
pub(super) fn failed_before_sending(job: &Job, error: &str) -> Delivery {
    Delivery {
        seq: 0,
        target: job.target.id.clone(),
        target_name: job.target.display_name.clone(),
        operation: job.change.operation,
        user_id: job.change.id.clone(),
        entity_id: None,
        user_name: job.change.user_name.clone(),
        origin: job.origin,
        method: match job.change.operation {
            Operation::Delete => "DELETE",
            _ => "POST",
        },
        url: job.target.url.to_string(),
        http_status: None,
        time: job.clock.now(),
        error: Some(error.to_string()),
    }
}

/// Pushes one change to one target and says how it went.
pub(super) async fn push(shared: &Shared, job: &Job) -> Delivery {
    let time = job.clock.now();
    let mut delivery = failed_before_sending(job, "");
    delivery.time = time;
    let request = match request_of(job) {
        Ok(request) => request,
        Err(error) => {
            delivery.error = Some(error);
            return delivery;
        }
    };
    delivery.method = if request.method == Method::DELETE {
        "DELETE"
    } else {
        "POST"
    };
    delivery.url = request.url.to_string();
    delivery.entity_id = request.entity_id.clone();
    match send(shared, job, request, time).await {
        Ok(status) => {
            delivery.http_status = Some(status);
            delivery.error = None;
        }
        Err((status, error)) => {
            delivery.http_status = status;
            delivery.error = Some(job.target.scrub(&error));
        }
    }
    delivery
}

/// Sends a push with the target's authentication; an error carries the target's status when it
/// answered.
async fn send(
    shared: &Shared,
    job: &Job,
    request: Push,
    now: Timestamp,
) -> Result<u16, (Option<u16>, String)> {
    let target = &job.target;
    let client = shared.client(target).map_err(|error| (None, error))?;
    let mut builder = client.request(request.method, request.url);
    builder = match &target.authentication {
        Authentication::Basic {
            client_id,
            client_secret,
        } => builder.basic_auth(client_id, Some(client_secret.expose())),
        Authentication::OAuth { .. } => {
            let token = shared
                .token(&client, target, now)
                .await
                .map_err(|error| (None, error))?;
            builder.bearer_auth(token.expose())
        }
        Authentication::Certificate { .. } => builder,
    };
    if let Some(body) = request.body {
        builder = builder
            .header(reqwest::header::CONTENT_TYPE, "application/scim+json")
            .body(body.to_string());
    }
    let response = builder.send().await.map_err(|err| {
        (
            None,
            format!("the target could not be reached: {}", chain(&err)),
        )
    })?;
    let status = response.status();
    if status.is_success() {
        return Ok(status.as_u16());
    }
    let body = response.text().await.unwrap_or_default();
    let excerpt: String = body.chars().take(ANSWER_EXCERPT).collect();
    let error = if excerpt.trim().is_empty() {
        format!("the target answered {}", status.as_u16())
    } else {
        format!(
            "the target answered {}: {}",
            status.as_u16(),
            excerpt.trim()
        )
    };
    Err((Some(status.as_u16()), error))
}

/// An error with its causes, `: `-separated.
pub(super) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sapland_mock_kit::clock::Clock;

    use super::*;
    use crate::directory::{Directory, Uniqueness};
    use crate::realtime::capture::{Origin, capture_sync};
    use crate::realtime::change::UserChange;
    use crate::realtime::fixtures::{BASIC, now, user};
    use crate::realtime::target::Target;

    #[test]
    fn a_version_1_push_names_the_user_by_its_p_number() {
        let mut directory = Directory::new("https://ias", Uniqueness::default(), 1);
        let (_, changes) = capture_sync(Origin::Scim, || {
            let created = directory.create_user(user("amy"), now()).unwrap();
            directory
                .delete_user(created["id"].as_str().unwrap())
                .unwrap();
        });
        let mut target = Target::parse(BASIC, "t".into()).unwrap();
        target.version = ScimVersion::V1;
        let job = |change: &UserChange| Job {
            generation: 0,
            change: Arc::new(change.clone()),
            target: Arc::new(target.clone()),
            origin: "SCIM",
            clock: Clock::manual(now()),
        };
        let create = request_of(&job(&changes[0])).ok().unwrap();
        assert_eq!(create.method, Method::POST);
        assert_eq!(
            create.url.path(),
            "/ipsproxy/service/api/v1/systems/abc/entities/user"
        );
        assert_eq!(create.body.unwrap()["id"], "P000001");
        let delete = request_of(&job(&changes[1])).ok().unwrap();
        assert_eq!(delete.method, Method::DELETE);
        assert_eq!(
            delete.url.path(),
            "/ipsproxy/service/api/v1/systems/abc/entities/user/P000001"
        );
    }
}
