//! Create, read, replace, patch and delete on IAS v2 (`/scim`) and v1 (`/service/scim`),
//! pinned to the recorded and documented wire behaviour (`reference/ips-ias.md` §3.3, §3.4).

use sapland_core::scim::{PatchOperation, PatchRequest, ScimType};
use sapland_scim::{Dialect, ErrorKind, ResourceType, UniqueAttribute};
use serde_json::json;

use crate::support::{Env, header, user};

/// [REC] §3.4: POST → 201 with the UUID id; GET; PUT replaces; PATCH → 204 without body;
/// DELETE → 204; then 404 `User <id> not found` (status a string), its own error kind.
#[tokio::test]
async fn v2_user_lifecycle() {
    let env = Env::unthrottled().await;
    let (client, _) = env.client(env.config(Dialect::IasV2, env.basic()));
    let created = client
        .create(ResourceType::User, &user("jdoe"))
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    assert!(Dialect::IasV2.is_user_id(&id), "{id}");
    assert_eq!(
        created["urn:ietf:params:scim:schemas:extension:sap:2.0:User"]["userUuid"],
        id.as_str()
    );

    let read = client.get(ResourceType::User, &id).await.unwrap();
    assert_eq!(read["userName"], "jdoe");

    let mut replacement = user("jdoe");
    replacement["displayName"] = json!("Joe Doe");
    let replaced = client
        .replace(ResourceType::User, &id, &replacement)
        .await
        .unwrap();
    assert_eq!(replaced["displayName"], "Joe Doe");

    let patch = PatchRequest::new(vec![PatchOperation {
        op: sapland_core::scim::PatchOp::Replace,
        path: Some("userName".into()),
        value: Some(json!("jdoe_s")),
    }]);
    let patched = client.patch(ResourceType::User, &id, &patch).await.unwrap();
    assert_eq!(patched, None, "PATCH answers 204 without a body");
    assert_eq!(
        client.get(ResourceType::User, &id).await.unwrap()["userName"],
        "jdoe_s"
    );

    client.delete(ResourceType::User, &id).await.unwrap();
    let again = client.delete(ResourceType::User, &id).await.unwrap_err();
    assert!(again.is_not_found(), "{again:?}");
    assert_eq!(
        again.to_string(),
        format!("404: User {id} not found (DELETE /scim/Users/{id})")
    );
    let gone = client.get(ResourceType::User, &id).await.unwrap_err();
    assert!(gone.is_not_found());

    let journal = env.requests_to("/scim/Users").await;
    let statuses: Vec<u64> = journal
        .iter()
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [201, 200, 200, 204, 200, 204, 404, 404]);
    assert_eq!(
        header(&journal[0], "content-type"),
        Some("application/scim+json")
    );
}

/// [REC] §3.4: groups with members; members gain `$ref`; PATCH add member → 204.
#[tokio::test]
async fn v2_group_lifecycle_with_members() {
    let env = Env::unthrottled().await;
    let (client, _) = env.client(env.config(Dialect::IasV2, env.basic()));
    let amy = client
        .create(ResourceType::User, &user("amy"))
        .await
        .unwrap();
    let bob = client
        .create(ResourceType::User, &user("bob"))
        .await
        .unwrap();
    let group = client
        .create(
            ResourceType::Group,
            &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "Admins",
                "members": [{"value": amy["id"], "type": "User"}]
            }),
        )
        .await
        .unwrap();
    let id = group["id"].as_str().unwrap();
    assert!(group["members"][0]["$ref"].is_string());
    let patch = PatchRequest::new(vec![PatchOperation {
        op: sapland_core::scim::PatchOp::Add,
        path: Some("members".into()),
        value: Some(json!([{"value": bob["id"], "type": "User"}])),
    }]);
    assert_eq!(
        client.patch(ResourceType::Group, id, &patch).await.unwrap(),
        None
    );
    let read = client.get(ResourceType::Group, id).await.unwrap();
    assert_eq!(read["members"].as_array().unwrap().len(), 2);
    client.delete(ResourceType::Group, id).await.unwrap();
    assert!(
        client
            .delete(ResourceType::Group, id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

/// [DOC] §3.3: v1 at `/service/scim`, P-ids, PUT changes only what is sent (the client puts
/// the `id` in the body, which v1 requires), no PATCH, DELETE → 204 then 404.
#[tokio::test]
async fn v1_user_lifecycle() {
    let env = Env::unthrottled().await;
    let (client, _) = env.client(env.config(Dialect::IasV1, env.basic()));
    let created = client
        .create(
            ResourceType::User,
            &json!({
                "userName": "amy",
                "name": {"givenName": "Amy", "familyName": "Adams"},
                "emails": [{"value": "amy@example.com"}],
                "department": "Sales"
            }),
        )
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    assert!(Dialect::IasV1.is_user_id(&id), "{id}");

    let updated = client
        .replace(ResourceType::User, &id, &json!({"displayName": "Amy A."}))
        .await
        .unwrap();
    assert_eq!(updated["displayName"], "Amy A.");
    assert_eq!(
        updated["department"], "Sales",
        "a v1 PUT keeps what it does not send"
    );
    let refused = client
        .replace(ResourceType::User, &id, &json!({"id": "P999999"}))
        .await
        .unwrap_err();
    assert_eq!(refused.attempts, 0);

    let patch = PatchRequest::new(vec![PatchOperation {
        op: sapland_core::scim::PatchOp::Replace,
        path: Some("displayName".into()),
        value: Some(json!("x")),
    }]);
    let error = client
        .patch(ResourceType::User, &id, &patch)
        .await
        .unwrap_err();
    assert!(
        matches!(*error.kind, ErrorKind::InvalidRequest { .. }),
        "{error:?}"
    );
    assert_eq!(error.attempts, 0, "refused without a request");
    assert!(error.to_string().contains("has no PATCH"), "{error}");

    client.delete(ResourceType::User, &id).await.unwrap();
    let gone = client.delete(ResourceType::User, &id).await.unwrap_err();
    assert!(gone.is_not_found(), "{gone:?}");
    assert!(
        gone.path.starts_with("/service/scim/Users/"),
        "{}",
        gone.path
    );
    let journal = env.requests_to("/service/scim").await;
    assert_eq!(
        journal.len(),
        4,
        "POST, PUT, DELETE, DELETE: no PATCH and no mismatched PUT"
    );
    assert!(env.requests_to("/scim/").await.is_empty());
}

/// [DOC] §3.3: v1 groups: create 201, PUT replaces members, `X-message-code` on a mismatched
/// id, delete 204.
#[tokio::test]
async fn v1_group_lifecycle() {
    let env = Env::unthrottled().await;
    let (client, _) = env.client(env.config(Dialect::IasV1, env.basic()));
    let amy = client
        .create(
            ResourceType::User,
            &json!({"userName": "amy", "name": {"familyName": "Adams"}, "emails": [{"value": "amy@example.com"}]}),
        )
        .await
        .unwrap();
    let group = client
        .create(
            ResourceType::Group,
            &json!({"displayName": "Admins", "members": [{"value": amy["id"]}]}),
        )
        .await
        .unwrap();
    let id = group["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 24, "v1 group ids are 24 characters: {id}");
    let replaced = client
        .replace(ResourceType::Group, &id, &json!({"displayName": "Admins"}))
        .await
        .unwrap();
    assert!(
        replaced["members"]
            .as_array()
            .is_none_or(|members| members.is_empty()),
        "members absent ⇒ all removed: {replaced}"
    );
    let found = client
        .find(
            ResourceType::Group,
            sapland_scim::Filter::eq("displayName", "admins").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        found.len(),
        1,
        "v1 cannot filter groups; the client matches"
    );
    assert!(
        env.journal()
            .await
            .iter()
            .all(|e| !e["query"].as_str().unwrap_or("").contains("filter")),
        "no filter was sent for v1 groups"
    );
    client.delete(ResourceType::Group, &id).await.unwrap();
    assert!(
        client
            .get(ResourceType::Group, &id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

/// [DOC] §2.4: a uniqueness conflict reads `409, uniqueness` with the service's detail, and
/// the existing user is found by the unique attributes `userName,emails[0].value`.
#[tokio::test]
async fn a_conflict_is_409_uniqueness_and_the_existing_user_is_found() {
    let env = Env::unthrottled().await;
    let (client, _) = env.client(env.config(Dialect::IasV2, env.basic()));
    let existing = client
        .create(ResourceType::User, &user("jdoe"))
        .await
        .unwrap();
    let error = client
        .create(ResourceType::User, &user("jdoe"))
        .await
        .unwrap_err();
    assert!(error.is_conflict());
    assert_eq!(error.scim_type(), Some(&ScimType::Uniqueness));
    let text = error.to_string();
    assert!(text.starts_with("409, uniqueness: "), "{text}");
    assert!(text.ends_with("(POST /scim/Users)"), "{text}");
    assert!(error.detail().is_some_and(|d| d.contains("uniqueness")));

    let attributes = UniqueAttribute::parse_list("userName,emails[0].value").unwrap();
    let found = client
        .find_unique(ResourceType::User, &attributes, &user("jdoe"))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], existing["id"]);
    let filter = env.requests_to("/scim/Users").await.last().unwrap()["query"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        filter.contains("filter=userName+eq+%22jdoe%22+and+emails.value+eq"),
        "{filter}"
    );
}

/// [DOC] §2.8: `ips.http.header.<name>`, `ias.content.type`, `If-Match: *`.
#[tokio::test]
async fn extra_headers_content_type_and_if_match() {
    let env = Env::unthrottled().await;
    let mut config = env.config(Dialect::IasV2, env.basic());
    config.headers = vec![("X-Sapland-Provisioning-Job".into(), "job-1".into())];
    config.content_type = "application/json".into();
    config.if_match_wildcard = true;
    let (client, _) = env.client(config);
    client
        .create(ResourceType::User, &user("amy"))
        .await
        .unwrap();
    let entry = &env.requests_to("/scim/Users").await[0];
    assert_eq!(header(entry, "x-sapland-provisioning-job"), Some("job-1"));
    assert_eq!(header(entry, "content-type"), Some("application/json"));
    assert_eq!(header(entry, "if-match"), Some("*"));
}
