//! Discovery: `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas` (RFC 7644 §4). They state
//! what this mock actually does, no more.

use std::sync::LazyLock;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use sapland_core::scim::schemas::{
    CORE_GROUP, CORE_USER, CUSTOM_GROUP, CUSTOM_USER, ENTERPRISE_USER, LIST_RESPONSE, SAP_GROUP,
    SAP_USER,
};
use serde_json::{Map, Value, json};

use super::TenantState;
use super::respond::{error_response, scim_json};
use crate::directory::MAX_COUNT;
use crate::directory::scim_error;

/// The schemas, expanded from `schemas.json` with RFC 7643 §7's attribute defaults.
static SCHEMAS: LazyLock<Vec<Value>> = LazyLock::new(|| {
    let compact: Vec<Value> =
        serde_json::from_str(include_str!("schemas.json")).expect("schemas.json is valid JSON");
    compact.into_iter().map(expand_schema).collect()
});

fn expand_schema(mut schema: Value) -> Value {
    if let Some(Value::Array(attributes)) = schema.get_mut("attributes") {
        for attribute in attributes.iter_mut() {
            expand_attribute(attribute);
        }
    }
    schema
}

fn expand_attribute(attribute: &mut Value) {
    let Value::Object(object) = attribute else {
        return;
    };
    let defaults = [
        ("type", json!("string")),
        ("multiValued", json!(false)),
        ("description", json!("")),
        ("required", json!(false)),
        ("caseExact", json!(false)),
        ("mutability", json!("readWrite")),
        ("returned", json!("default")),
        ("uniqueness", json!("none")),
    ];
    for (key, value) in defaults {
        object.entry(key).or_insert(value);
    }
    if let Some(Value::Array(subs)) = object.get_mut("subAttributes") {
        for sub in subs.iter_mut() {
            expand_attribute(sub);
        }
    }
}

fn with_meta(mut resource: Value, resource_type: &str, location: String) -> Value {
    if let Value::Object(object) = &mut resource {
        object.insert(
            "meta".into(),
            json!({ "resourceType": resource_type, "location": location }),
        );
    }
    resource
}

fn list(resources: Vec<Value>) -> Value {
    json!({ "schemas": [LIST_RESPONSE], "totalResults": resources.len(), "itemsPerPage": resources.len(), "startIndex": 1, "Resources": resources })
}

pub(super) async fn service_provider_config(State(state): State<TenantState>) -> Response {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://help.sap.com/docs/cloud-identity-services",
        "patch": { "supported": true },
        "bulk": { "supported": true, "maxOperations": super::bulk::MAX_OPERATIONS, "maxPayloadSize": sapland_mock_kit::observe::MAX_BODY_BYTES },
        "filter": { "supported": true, "maxResults": MAX_COUNT },
        "changePassword": { "supported": false },
        "sort": { "supported": false },
        "etag": { "supported": false },
        "authenticationSchemes": [
            { "type": "httpbasic", "name": "HTTP Basic", "description": "Client id and secret of a technical user", "primary": true },
            { "type": "oauthbearertoken", "name": "OAuth Bearer Token", "description": "A token from /oauth2/token (client credentials)" }
        ],
        "meta": { "resourceType": "ServiceProviderConfig", "location": format!("{}/scim/ServiceProviderConfig", state.tenant.url) }
    });
    scim_json(StatusCode::OK, &body)
}

fn resource_type_list(base: &str) -> Vec<Value> {
    vec![
        with_meta(
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
                "id": "User", "name": "User", "endpoint": "/Users", "description": "User Account", "schema": CORE_USER,
                "schemaExtensions": [
                    { "schema": ENTERPRISE_USER, "required": false },
                    { "schema": SAP_USER, "required": false },
                    { "schema": CUSTOM_USER, "required": false }
                ]
            }),
            "ResourceType",
            format!("{base}/scim/ResourceTypes/User"),
        ),
        with_meta(
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
                "id": "Group", "name": "Group", "endpoint": "/Groups", "description": "Group", "schema": CORE_GROUP,
                "schemaExtensions": [
                    { "schema": CUSTOM_GROUP, "required": false },
                    { "schema": SAP_GROUP, "required": false }
                ]
            }),
            "ResourceType",
            format!("{base}/scim/ResourceTypes/Group"),
        ),
    ]
}

pub(super) async fn resource_types(State(state): State<TenantState>) -> Response {
    scim_json(StatusCode::OK, &list(resource_type_list(&state.tenant.url)))
}

pub(super) async fn resource_type(
    State(state): State<TenantState>,
    Path(name): Path<String>,
) -> Response {
    match resource_type_list(&state.tenant.url)
        .into_iter()
        .find(|r| r["id"] == name.as_str())
    {
        Some(resource) => scim_json(StatusCode::OK, &resource),
        None => error_response(&scim_error(
            404,
            None,
            format!("ResourceType {name} not found"),
        )),
    }
}

fn schema_resource(base: &str, schema: &Value) -> Value {
    let id = schema["id"].as_str().unwrap_or_default();
    let mut object: Map<String, Value> = Map::new();
    object.insert(
        "schemas".into(),
        json!(["urn:ietf:params:scim:schemas:core:2.0:Schema"]),
    );
    if let Value::Object(members) = schema {
        object.extend(members.clone());
    }
    with_meta(
        Value::Object(object),
        "Schema",
        format!("{base}/scim/Schemas/{id}"),
    )
}

pub(super) async fn schemas(State(state): State<TenantState>) -> Response {
    let resources = SCHEMAS
        .iter()
        .map(|s| schema_resource(&state.tenant.url, s))
        .collect();
    scim_json(StatusCode::OK, &list(resources))
}

pub(super) async fn schema(State(state): State<TenantState>, Path(id): Path<String>) -> Response {
    match SCHEMAS.iter().find(|s| {
        s["id"]
            .as_str()
            .is_some_and(|sid| sid.eq_ignore_ascii_case(&id))
    }) {
        Some(schema) => scim_json(StatusCode::OK, &schema_resource(&state.tenant.url, schema)),
        None => error_response(&scim_error(404, None, format!("Schema {id} not found"))),
    }
}
