//! SCIM resources against literal JSON in the shape IAS sends (reference/ips-ias.md §3.4 [REC]).

use sapland_core::scim::{
    BulkRequest, Group, ListResponse, PatchOp, PatchRequest, PatchRequestError, ScimError,
    ScimType, User, schemas,
};
use serde_json::{Value, json};

/// The 201 response body IAS sent for a created user ([REC] TF resource_user.yaml).
fn recorded_created_user() -> Value {
    json!({
        "schemas": [schemas::CORE_USER, schemas::SAP_USER],
        "id": "89e725b1-6a13-43c6-b56b-aaea633f697e",
        "meta": {
            "created": "2026-03-23T09:19:33Z",
            "lastModified": "2026-03-23T09:19:33Z",
            "location": "https://tenant.accounts400.ondemand.com/scim/Users/89e725b1-6a13-43c6-b56b-aaea633f697e",
            "resourceType": "User",
            "version": "48fb91de-0b34-43c8-97dd-534c8063328d"
        },
        "userName": "jdoe",
        "name": {"familyName": "Doe", "givenName": "Joe", "honorificPrefix": "Mr."},
        "displayName": "Joe Doe",
        "userType": "employee",
        "active": false,
        "emails": [{"value": "joe.doe@test.com", "type": "work", "primary": true}],
        "urn:ietf:params:scim:schemas:extension:sap:2.0:User": {
            "emails": [{"verified": false, "type": "work", "value": "joe.doe@test.com", "primary": true}],
            "userUuid": "89e725b1-6a13-43c6-b56b-aaea633f697e",
            "mailVerified": false,
            "userId": "P000858",
            "status": "new"
        }
    })
}

#[test]
fn recorded_ias_user_parses_into_typed_fields() {
    let user: User = serde_json::from_value(recorded_created_user()).unwrap();
    assert_eq!(user.user_name.as_deref(), Some("jdoe"));
    assert_eq!(user.active, Some(false));
    let sap = user.sap.as_ref().unwrap();
    assert_eq!(sap.user_id.as_deref(), Some("P000858"));
    assert_eq!(sap.user_uuid, user.id);
    assert_eq!(sap.emails[0].extra["verified"], json!(false));
    assert_eq!(user.primary_email(), Some("joe.doe@test.com"));
    assert_eq!(
        user.meta.unwrap().last_modified.as_deref(),
        Some("2026-03-23T09:19:33Z")
    );
}

#[test]
fn recorded_ias_user_round_trips_unchanged() {
    let recorded = recorded_created_user();
    let user: User = serde_json::from_value(recorded.clone()).unwrap();
    assert_eq!(serde_json::to_value(&user).unwrap(), recorded);
}

#[test]
fn unknown_attributes_and_extensions_survive_a_round_trip() {
    let input = json!({
        "schemas": [schemas::CORE_USER, "urn:acme:schemas:Badge"],
        "userName": "amy",
        "emails": [{"value": "amy@example.com", "display": "Amy", "x-flag": 3}],
        "name": {"familyName": "Able", "phonetic": "AY-bul"},
        "meta": {"groups.cnt": 2},
        "urn:acme:schemas:Badge": {"number": 42, "colors": ["red"]},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "department": "Dev", "manager": {"value": "m1", "displayName": "Max"}, "badge": true
        },
        "urn:sap:cloud:scim:schemas:extension:custom:2.0:User": {
            "attributes": [{"name": "customAttribute1", "value": "a"}]
        },
        "nickName": "A",
        "someFutureAttribute": {"nested": [1, 2, 3]}
    });
    let user: User = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(
        user.extra["someFutureAttribute"],
        json!({"nested": [1, 2, 3]})
    );
    assert_eq!(serde_json::to_value(&user).unwrap(), input);
}

#[test]
fn a_password_never_shows_in_debug_output() {
    let user: User =
        serde_json::from_value(json!({"userName": "x", "password": "Hunter2!"})).unwrap();
    let debug = format!("{user:?}");
    assert!(!debug.contains("Hunter2"), "{debug}");
    assert_eq!(
        serde_json::to_value(&user).unwrap()["password"],
        json!("Hunter2!")
    );
}

#[test]
fn a_wrongly_typed_attribute_is_reported_with_its_path() {
    let text = r#"{"userName": "x", "emails": [{"value": "a@b.c"}, {"primary": "yes"}]}"#;
    let err = sapland_core::json::from_str::<User>(text).unwrap_err();
    assert_eq!(err.path.to_string(), "$.emails[1].primary");
    assert!(
        err.message.contains("expected a boolean"),
        "{}",
        err.message
    );
}

#[test]
fn an_unknown_sap_status_is_rejected() {
    let text = r#"{"urn:ietf:params:scim:schemas:extension:sap:2.0:User": {"status": "blocked"}}"#;
    let err = sapland_core::json::from_str::<User>(text).unwrap_err();
    assert!(err.path.to_string().ends_with(".status"), "{}", err.path);
    assert!(err.message.contains("new"), "{}", err.message);
}

/// [REC] Group create response: members gain `$ref`, custom extension gains `additionalId`.
#[test]
fn recorded_group_round_trips() {
    let recorded = json!({
        "schemas": [schemas::CORE_GROUP, schemas::CUSTOM_GROUP],
        "id": "0d5e6a57-0b19-4f0c-93a4-d1bd5f0d2a8a",
        "displayName": "Developers",
        "members": [{
            "value": "89e725b1-6a13-43c6-b56b-aaea633f697e",
            "type": "User",
            "$ref": "https://tenant.accounts400.ondemand.com/scim/Users/89e725b1-6a13-43c6-b56b-aaea633f697e"
        }],
        "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group": {
            "name": "Developers", "additionalId": "65f1c7d2e4b0a1b2c3d4e5f6"
        },
        "urn:ietf:params:scim:schemas:extension:sap:2.0:Group": {
            "applicationId": "de9c", "type": "authorization", "supportedOperations": "userOnlyMembership"
        }
    });
    let group: Group = serde_json::from_value(recorded.clone()).unwrap();
    assert_eq!(group.members[0].kind.as_deref(), Some("User"));
    assert_eq!(
        group.custom.as_ref().unwrap().additional_id.as_deref(),
        Some("65f1c7d2e4b0a1b2c3d4e5f6")
    );
    assert_eq!(
        group.sap.as_ref().unwrap().kind.as_deref(),
        Some("authorization")
    );
    assert_eq!(serde_json::to_value(&group).unwrap(), recorded);
}

/// [REC] IAS 404 body: `status` is a string.
#[test]
fn ias_error_has_status_as_a_string() {
    let recorded = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": "404",
        "detail": "User 5f0c not found"
    });
    let error: ScimError = serde_json::from_value(recorded.clone()).unwrap();
    assert_eq!(error.status_code(), Some(404));
    assert_eq!(serde_json::to_value(&error).unwrap(), recorded);
    assert_eq!(
        serde_json::to_value(ScimError::new(404, "User 5f0c not found")).unwrap(),
        recorded
    );
}

#[test]
fn error_from_other_servers_with_a_numeric_status_is_accepted_and_written_as_a_string() {
    let error: ScimError =
        serde_json::from_value(json!({"status": 409, "scimType": "uniqueness", "detail": "taken"}))
            .unwrap();
    assert_eq!(error.scim_type, Some(ScimType::Uniqueness));
    assert_eq!(error.to_string(), "409, uniqueness: taken");
    assert_eq!(
        serde_json::to_value(&error).unwrap()["status"],
        json!("409")
    );
}

/// [REC] `GET /scim/Users/` without parameters: ListResponse with default page size 100.
#[test]
fn recorded_list_response_parses() {
    let recorded = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 8, "itemsPerPage": 100, "startIndex": 1,
        "Resources": [{"id": "u1", "userName": "a", "meta": {"groups.cnt": 0}}]
    });
    let list: ListResponse<User> = serde_json::from_value(recorded.clone()).unwrap();
    assert_eq!(list.total_results, 8);
    assert_eq!(
        list.resources[0].meta.as_ref().unwrap().extra["groups.cnt"],
        json!(0)
    );
    assert!(!list.has_next_page());
    assert_eq!(serde_json::to_value(&list).unwrap(), recorded);
}

/// [GH] cursor paging ends with `nextId: "end"`.
#[test]
fn cursor_paging_ends_at_end() {
    let page: ListResponse<User> =
        serde_json::from_value(json!({"totalResults": 3, "nextId": "u3", "Resources": []}))
            .unwrap();
    assert!(page.has_next_page());
    let last: ListResponse<User> =
        serde_json::from_value(json!({"totalResults": 3, "nextId": "end", "Resources": []}))
            .unwrap();
    assert!(!last.has_next_page());
}

/// [REC] PATCH ops as SAP's Terraform provider sends them.
#[test]
fn recorded_patch_requests_parse_and_validate() {
    let request: PatchRequest = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {"op": "replace", "path": "userName", "value": "jdoe_s"},
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:sap:2.0:User:status", "value": "active"},
            {"op": "add", "path": "members", "value": [{"value": "u1", "type": "User"}]}
        ]
    }))
    .unwrap();
    assert_eq!(request.operations[2].op, PatchOp::Add);
    assert_eq!(request.validate(), Ok(()));
}

#[test]
fn patch_op_names_are_matched_case_insensitively() {
    let request: PatchRequest = serde_json::from_value(json!({
        "schemas": [schemas::PATCH_OP],
        "Operations": [{"op": "Replace", "value": {"displayName": "X"}}]
    }))
    .unwrap();
    assert_eq!(request.operations[0].op, PatchOp::Replace);
    assert_eq!(
        serde_json::to_value(&request).unwrap()["Operations"][0]["op"],
        json!("replace")
    );
}

#[test]
fn malformed_patch_requests_say_which_operation_is_wrong() {
    let remove_without_path: PatchRequest = serde_json::from_value(json!({
        "schemas": [schemas::PATCH_OP],
        "Operations": [{"op": "add", "path": "x", "value": 1}, {"op": "remove"}]
    }))
    .unwrap();
    assert_eq!(
        remove_without_path.validate(),
        Err(PatchRequestError::InvalidOperation {
            index: 1,
            problem: "a remove operation needs a path"
        })
    );
    let scalar_without_path: PatchRequest = serde_json::from_value(json!({
        "schemas": [schemas::PATCH_OP], "Operations": [{"op": "replace", "value": "x"}]
    }))
    .unwrap();
    assert!(
        scalar_without_path
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("Operations[0]")
    );
    let no_schema = PatchRequest {
        schemas: vec![],
        ..remove_without_path
    };
    assert_eq!(no_schema.validate(), Err(PatchRequestError::MissingSchema));

    let err = sapland_core::json::from_str::<PatchRequest>(
        r#"{"schemas":[], "Operations":[{"op":"move","path":"a"}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.path.to_string(), "$.Operations[0].op");
    assert!(
        err.message.contains("expected add, remove or replace"),
        "{}",
        err.message
    );
}

#[test]
fn bulk_request_parses_methods_and_keeps_fail_on_errors_for_the_server_to_refuse() {
    let request: BulkRequest = serde_json::from_value(json!({
        "schemas": [schemas::BULK_REQUEST],
        "failOnErrors": 1,
        "Operations": [
            {"method": "POST", "bulkId": "b1", "path": "/Users", "data": {"userName": "a"}},
            {"method": "DELETE", "path": "/Users/u2"}
        ]
    }))
    .unwrap();
    assert_eq!(request.fail_on_errors, Some(1));
    assert_eq!(request.operations.len(), 2);
    let err = sapland_core::json::from_str::<BulkRequest>(
        r#"{"Operations":[{"method":"GET","path":"/Users"}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.path.to_string(), "$.Operations[0].method");
}
