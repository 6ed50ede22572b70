//! SCIM PATCH (RFC 7644 §3.5.2) on resources shaped after IAS's recorded traffic
//! (reference/ips-ias.md §3.4). Requests are pinned as literal JSON.

use sapland_core::scim::schemas::{CORE_GROUP, CORE_USER};
use sapland_core::scim::{PatchOperation, PatchRequest, ScimType};
use sapland_mock_ias::scim::patch::{PatchError, PatchRules, apply};
use sapland_mock_ias::scim::path::AttrPath;
use serde_json::{Value, json};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const SAP: &str = "urn:ietf:params:scim:schemas:extension:sap:2.0:User";

/// The recorded v2 user of reference §3.4 (POST /scim/Users 201 response).
fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:sap:2.0:User"],
        "id": "89e725b1-6a13-43c6-b56b-aaea633f697e",
        "meta": {"created": "2026-03-23T09:19:33Z", "lastModified": "2026-03-23T09:19:33Z",
                 "location": "https://tenant.accounts.ondemand.com/scim/Users/89e725b1-6a13-43c6-b56b-aaea633f697e",
                 "resourceType": "User", "version": "48fb91de-0b34-43c8-97dd-534c8063328d"},
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

/// A v2 group with two members, as the recorded group responses look.
fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group"],
        "id": "0f8a6c52-1f5e-4b44-8f3c-2c2a0e8e5d11",
        "displayName": "Developers",
        "members": [
            {"value": "u-1", "type": "User", "$ref": "https://tenant/scim/Users/u-1"},
            {"value": "u-2", "type": "User", "$ref": "https://tenant/scim/Users/u-2"}
        ],
        "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group": {"name": "Developers", "additionalId": "57aadecee4b0c8e9241d1635"}
    })
}

fn user_rules() -> PatchRules {
    PatchRules {
        core_schema: CORE_USER,
        required: PatchRules::rfc_required(CORE_USER),
        read_only: ["id", "meta", "groups", &format!("{SAP}:userUuid")]
            .iter()
            .map(|text| AttrPath::parse(text).expect("read-only path"))
            .collect(),
    }
}

fn group_rules() -> PatchRules {
    PatchRules {
        core_schema: CORE_GROUP,
        required: PatchRules::rfc_required(CORE_GROUP),
        read_only: vec![AttrPath::attribute("id"), AttrPath::attribute("meta")],
    }
}

/// The operations of a literal PATCH request body, as a client sends it.
fn operations(body: Value) -> Vec<PatchOperation> {
    let request: PatchRequest = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": body
    }))
    .expect("a PATCH request");
    request.operations
}

fn patched(mut resource: Value, body: Value, rules: &PatchRules) -> Value {
    if let Err(error) = apply(&mut resource, &operations(body.clone()), rules) {
        panic!("{body}: {error}");
    }
    resource
}

/// Applies a request that must fail; checks the resource is unchanged and answers the error.
fn refused(resource: &Value, body: Value, rules: &PatchRules) -> PatchError {
    let mut copy = resource.clone();
    let error = apply(&mut copy, &operations(body.clone()), rules).expect_err(&body.to_string());
    assert_eq!(
        &copy, resource,
        "{body}: the resource changed although the PATCH failed"
    );
    error
}

/// [REC] reference/ips-ias.md §3.4: recorded PATCH replace of userName.
#[test]
fn recorded_replace_user_name() {
    let after = patched(
        user(),
        json!([{"op": "replace", "path": "userName", "value": "jdoe_s"}]),
        &user_rules(),
    );
    assert_eq!(after["userName"], "jdoe_s");
}

/// [REC] reference/ips-ias.md §3.4: recorded PATCH replace of the whole emails array; the work
/// email stays the only primary one.
#[test]
fn recorded_replace_emails() {
    let after = patched(
        user(),
        json!([{"op": "replace", "path": "emails", "value": [
            {"value": "joe.doe.s@test.com", "type": "home"},
            {"value": "joe.doe@test.com", "type": "work", "primary": true}
        ]}]),
        &user_rules(),
    );
    assert_eq!(
        after["emails"],
        json!([
            {"value": "joe.doe.s@test.com", "type": "home"},
            {"value": "joe.doe@test.com", "type": "work", "primary": true}
        ])
    );
}

/// [REC] reference/ips-ias.md §3.4: recorded PATCH replace of `name` (RFC 7644 §3.5.2.3: the
/// given sub-attributes replace, the others stay).
#[test]
fn recorded_replace_name() {
    let after = patched(
        user(),
        json!([{"op": "replace", "path": "name", "value": {"familyName": "Doe-Smith", "givenName": "Joe"}}]),
        &user_rules(),
    );
    assert_eq!(
        after["name"],
        json!({"familyName": "Doe-Smith", "givenName": "Joe", "honorificPrefix": "Mr."})
    );
}

/// [REC] reference/ips-ias.md §3.4: recorded PATCH replace of the SAP status and mailVerified.
#[test]
fn recorded_replace_of_sap_extension_attributes() {
    let after = patched(
        user(),
        json!([
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:sap:2.0:User:status", "value": "active"},
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:sap:2.0:User:mailVerified", "value": true}
        ]),
        &user_rules(),
    );
    assert_eq!(after[SAP]["status"], "active");
    assert_eq!(after[SAP]["mailVerified"], true);
    assert_eq!(after[SAP]["userId"], "P000858");
}

/// [REC] reference/ips-ias.md §3.4: recorded PATCH add of a group member.
#[test]
fn recorded_add_member() {
    let after = patched(
        group(),
        json!([{"op": "add", "path": "members", "value": [{"value": "u-3", "type": "User"}]}]),
        &group_rules(),
    );
    let members = after["members"].as_array().expect("members");
    assert_eq!(members.len(), 3);
    assert_eq!(members[2], json!({"value": "u-3", "type": "User"}));
}

/// RFC 7644 §3.5.2.1: adding a value already present changes nothing (matched by `value`).
#[test]
fn add_skips_present_members() {
    let after = patched(
        group(),
        json!([{"op": "add", "path": "members", "value": [{"value": "u-1", "type": "User"}, {"value": "u-4"}]}]),
        &group_rules(),
    );
    let values: Vec<&Value> = after["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| &m["value"])
        .collect();
    assert_eq!(values, [&json!("u-1"), &json!("u-2"), &json!("u-4")]);
    assert_eq!(after["members"][0]["$ref"], "https://tenant/scim/Users/u-1");
}

/// RFC 7644 §3.5.2.1: add without path adds each member of the object; dotted and
/// URN-qualified keys (as Azure AD sends them) address sub-attributes and extensions.
#[test]
fn add_without_path() {
    let after = patched(
        user(),
        json!([{"op": "add", "value": {
            "nickName": "Joey",
            "name.middleName": "M",
            "emails": [{"value": "joe@home.example", "type": "home"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Dev",
            "urn:ietf:params:scim:schemas:core:2.0:User:title": "Engineer",
            "urn:ietf:params:scim:schemas:extension:sap:2.0:User": {"validFrom": "2024-01-01T00:00:00Z"}
        }}]),
        &user_rules(),
    );
    assert_eq!(after["nickName"], "Joey");
    assert_eq!(after["name"]["middleName"], "M");
    assert_eq!(after["name"]["familyName"], "Doe");
    assert_eq!(after["emails"].as_array().map(Vec::len), Some(2));
    assert_eq!(after[ENTERPRISE], json!({"department": "Dev"}));
    assert_eq!(after["title"], "Engineer");
    assert_eq!(after[SAP]["validFrom"], "2024-01-01T00:00:00Z");
    assert_eq!(after[SAP]["status"], "new");
    assert_eq!(
        after["schemas"],
        json!([CORE_USER, SAP, ENTERPRISE]),
        "a new extension is listed in schemas (proposed)"
    );
}

/// RFC 7644 §3.5.2.1: without path the value must be an object.
#[test]
fn add_without_path_needs_an_object() {
    let error = refused(&user(), json!([{"op": "add", "value": "x"}]), &user_rules());
    assert_eq!(error.scim_type, ScimType::InvalidValue);
    let error = refused(
        &user(),
        json!([{"op": "add", "value": [{"a": 1}]}]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::InvalidValue);
}

/// RFC 7644 §3.5.2.1: add to a single-valued attribute sets it; to a complex one merges.
#[test]
fn add_single_valued() {
    let after = patched(
        user(),
        json!([
            {"op": "add", "path": "displayName", "value": "Joseph"},
            {"op": "add", "path": "name", "value": {"honorificSuffix": "Jr."}},
            {"op": "add", "path": "name.givenName", "value": "Joseph"}
        ]),
        &user_rules(),
    );
    assert_eq!(after["displayName"], "Joseph");
    assert_eq!(after["name"]["honorificSuffix"], "Jr.");
    assert_eq!(after["name"]["givenName"], "Joseph");
    assert_eq!(after["name"]["familyName"], "Doe");
}

/// RFC 7644 §3.5.2.1: a single item added to a multi-valued attribute is appended; an absent
/// multi-valued attribute is created as an array.
#[test]
fn add_single_item_to_multi_valued() {
    let after = patched(
        user(),
        json!([
            {"op": "add", "path": "emails", "value": {"value": "joe@home.example", "type": "home"}},
            {"op": "add", "path": "phoneNumbers", "value": {"value": "+49 1", "type": "work"}}
        ]),
        &user_rules(),
    );
    assert_eq!(after["emails"][1]["value"], "joe@home.example");
    assert_eq!(
        after["phoneNumbers"],
        json!([{"value": "+49 1", "type": "work"}])
    );
}

/// RFC 7644 §3.5.2.1 with a value filter and sub-attribute: sets it on the matching elements.
#[test]
fn add_with_filter_and_sub_attribute() {
    let after = patched(
        user(),
        json!([{"op": "add", "path": "emails[type eq \"work\"].display", "value": "Work"}]),
        &user_rules(),
    );
    assert_eq!(after["emails"][0]["display"], "Work");
}

/// RFC 7644 §3.5.2.1 / §3.12: a filter that matches nothing is `noTarget`.
#[test]
fn add_with_filter_matching_nothing() {
    let error = refused(
        &user(),
        json!([{"op": "add", "path": "emails[type eq \"home\"].display", "value": "Home"}]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::NoTarget);
    assert!(
        error.detail.starts_with("Operations[0]: "),
        "{}",
        error.detail
    );
}

/// RFC 7644 §3.5.2.1: an extension member is created as needed, keyed by its URN.
#[test]
fn add_creates_extension() {
    let after = patched(
        user(),
        json!([{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "value": "m-1"}]),
        &user_rules(),
    );
    assert_eq!(after[ENTERPRISE], json!({"manager": {"value": "m-1"}}));
    let whole = patched(
        user(),
        json!([{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                "value": {"costCenter": "4711", "manager": {"value": "m-2"}}}]),
        &user_rules(),
    );
    assert_eq!(
        whole[ENTERPRISE],
        json!({"costCenter": "4711", "manager": {"value": "m-2"}})
    );
    // RFC 7643 §2.5: a null extension unassigns it; its URN leaves `schemas` (proposed).
    let cleared = patched(
        whole,
        json!([{"op": "replace", "value": {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": null}}]),
        &user_rules(),
    );
    assert!(cleared.get(ENTERPRISE).is_none());
    assert_eq!(cleared["schemas"], json!([CORE_USER, SAP]));
}

/// RFC 7644 §3.5.2.3: replace without path replaces each member of the object.
#[test]
fn replace_without_path() {
    let after = patched(
        user(),
        json!([{"op": "replace", "value": {"active": true, "displayName": "J. Doe",
                                             "urn:ietf:params:scim:schemas:extension:sap:2.0:User": {"status": "active"}}}]),
        &user_rules(),
    );
    assert_eq!(after["active"], true);
    assert_eq!(after["displayName"], "J. Doe");
    assert_eq!(after[SAP]["status"], "active");
    assert_eq!(after[SAP]["userId"], "P000858");
}

/// RFC 7644 §3.5.2.3: replace of an absent attribute adds it; of a sub-attribute sets it.
#[test]
fn replace_single_valued() {
    let after = patched(
        user(),
        json!([
            {"op": "replace", "path": "title", "value": "Engineer"},
            {"op": "replace", "path": "name.familyName", "value": "Dough"}
        ]),
        &user_rules(),
    );
    assert_eq!(after["title"], "Engineer");
    assert_eq!(after["name"]["familyName"], "Dough");
}

/// RFC 7644 §3.5.2.3: with a filter, matching elements are replaced (object merged) or get
/// the sub-attribute.
#[test]
fn replace_with_filter() {
    let start = patched(
        user(),
        json!([{"op": "add", "path": "emails", "value": {"value": "joe@home.example", "type": "home"}}]),
        &user_rules(),
    );
    let after = patched(
        start,
        json!([
            {"op": "replace", "path": "emails[type eq \"home\"]", "value": {"value": "joe@new.example"}},
            {"op": "replace", "path": "emails[value ew \"@test.com\"].type", "value": "other"}
        ]),
        &user_rules(),
    );
    assert_eq!(
        after["emails"],
        json!([
            {"value": "joe.doe@test.com", "type": "other", "primary": true},
            {"value": "joe@new.example", "type": "home"}
        ])
    );
    let error = refused(
        &after,
        json!([{"op": "replace", "path": "emails[type eq \"fax\"].value", "value": "x"}]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::NoTarget);
    let error = refused(
        &after,
        json!([{"op": "replace", "path": "addresses[type eq \"work\"]", "value": {"country": "DE"}}]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::NoTarget);
}

/// RFC 7643 §2.4: making an element primary sets `primary` false on the others.
#[test]
fn primary_stays_unique() {
    let added = patched(
        user(),
        json!([{"op": "add", "path": "emails", "value": [{"value": "joe@home.example", "type": "home", "primary": true}]}]),
        &user_rules(),
    );
    assert_eq!(added["emails"][0]["primary"], false);
    assert_eq!(added["emails"][1]["primary"], true);
    let back = patched(
        added,
        json!([{"op": "replace", "path": "emails[type eq \"work\"].primary", "value": true}]),
        &user_rules(),
    );
    assert_eq!(back["emails"][0]["primary"], true);
    assert_eq!(back["emails"][1]["primary"], false);
    let twice = patched(
        user(),
        json!([{"op": "replace", "path": "emails", "value": [
            {"value": "a@x", "primary": true}, {"value": "b@x", "primary": true}]}]),
        &user_rules(),
    );
    assert_eq!(
        twice["emails"],
        json!([{"value": "a@x", "primary": false}, {"value": "b@x", "primary": true}])
    );
}

/// RFC 7644 §3.5.2.2: remove needs a path (`noTarget`).
#[test]
fn remove_needs_a_path() {
    let error = refused(&user(), json!([{"op": "remove"}]), &user_rules());
    assert_eq!(error.scim_type, ScimType::NoTarget);
}

/// RFC 7644 §3.5.2.2: remove of a single-valued attribute or sub-attribute deletes it.
#[test]
fn remove_single_valued() {
    let after = patched(
        user(),
        json!([
            {"op": "remove", "path": "displayName"},
            {"op": "remove", "path": "name.honorificPrefix"},
            {"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:sap:2.0:User:status"},
            {"op": "remove", "path": "nickName"}
        ]),
        &user_rules(),
    );
    assert!(after.get("displayName").is_none());
    assert_eq!(
        after["name"],
        json!({"familyName": "Doe", "givenName": "Joe"})
    );
    assert!(after[SAP].get("status").is_none());
}

/// RFC 7644 §3.5.2.2: remove with a filter removes the matching elements; with none left the
/// attribute is unassigned.
#[test]
fn remove_with_filter() {
    let after = patched(
        group(),
        json!([{"op": "remove", "path": "members[value eq \"u-1\"]"}]),
        &group_rules(),
    );
    assert_eq!(after["members"].as_array().map(Vec::len), Some(1));
    let empty = patched(
        after,
        json!([{"op": "remove", "path": "members[type eq \"User\"]"}]),
        &group_rules(),
    );
    assert!(empty.get("members").is_none());
    let error = refused(
        &group(),
        json!([{"op": "remove", "path": "members[value eq \"u-9\"]"}]),
        &group_rules(),
    );
    assert_eq!(error.scim_type, ScimType::NoTarget);
    let sub = patched(
        group(),
        json!([{"op": "remove", "path": "members[value eq \"u-2\"].$ref"}]),
        &group_rules(),
    );
    assert_eq!(sub["members"][1], json!({"value": "u-2", "type": "User"}));
}

/// Azure-style member removal: `remove` on `members` with a `value` array of `{"value": id}`.
#[test]
fn remove_members_by_value_array() {
    let after = patched(
        group(),
        json!([{"op": "Remove", "path": "members", "value": [{"value": "u-2"}, {"value": "u-9"}]}]),
        &group_rules(),
    );
    assert_eq!(after["members"].as_array().map(Vec::len), Some(1));
    assert_eq!(after["members"][0]["value"], "u-1");
    let all = patched(
        group(),
        json!([{"op": "remove", "path": "members"}]),
        &group_rules(),
    );
    assert!(all.get("members").is_none());
}

/// RFC 7644 §3.5.2.2 / RFC 7643 §4.1, §4.2: removing a required attribute is `mutability`.
#[test]
fn remove_required_is_mutability() {
    let error = refused(
        &user(),
        json!([{"op": "remove", "path": "userName"}]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::Mutability);
    let error = refused(
        &group(),
        json!([{"op": "remove", "path": "DISPLAYNAME"}]),
        &group_rules(),
    );
    assert_eq!(error.scim_type, ScimType::Mutability);
    let error = refused(
        &user(),
        json!([{"op": "replace", "path": "schemas", "value": []}]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::Mutability);
}

/// RFC 7643 §2.2 mutability readOnly: any op touching a read-only attribute is `mutability`.
#[test]
fn read_only_is_mutability() {
    for body in [
        json!([{"op": "replace", "path": "id", "value": "other"}]),
        json!([{"op": "remove", "path": "id"}]),
        json!([{"op": "replace", "path": "meta.version", "value": "1"}]),
        json!([{"op": "add", "path": "groups", "value": [{"value": "g-1"}]}]),
        json!([{"op": "replace", "value": {"meta": {"version": "2"}}}]),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:sap:2.0:User:userUuid", "value": "x"}]),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:sap:2.0:User", "value": {"userUuid": "x"}}]),
        json!([{"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:sap:2.0:User"}]),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User:ID", "value": "x"}]),
    ] {
        let error = refused(&user(), body.clone(), &user_rules());
        assert_eq!(error.scim_type, ScimType::Mutability, "{body}");
    }
    // Echoing the current value changes nothing and is accepted (proposed).
    let same = patched(
        user(),
        json!([{"op": "replace", "value": {"id": "89e725b1-6a13-43c6-b56b-aaea633f697e", "active": true}}]),
        &user_rules(),
    );
    assert_eq!(same["active"], true);
}

/// RFC 7644 §3.5.2 / §3.12: an unparseable path is `invalidPath`; so is the other core schema.
#[test]
fn invalid_paths() {
    for path in [
        "",
        "emails[type eq \"work\"",
        "emails[type xx \"work\"]",
        "a.b.c",
        "urn:ietf:params:scim:schemas:core:2.0:Group:displayName",
        "name[givenName eq \"Joe\"]x",
    ] {
        let error = refused(
            &user(),
            json!([{"op": "replace", "path": path, "value": "x"}]),
            &user_rules(),
        );
        assert_eq!(error.scim_type, ScimType::InvalidPath, "{path}");
    }
    let error = refused(
        &user(),
        json!([{"op": "replace", "path": "emails[type eq \"work\"", "value": "x"}]),
        &user_rules(),
    );
    assert!(
        error.detail.contains("invalid path at position 21"),
        "{}",
        error.detail
    );
    let error = refused(
        &user(),
        json!([{"op": "add", "value": {"bad key": 1}}]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::InvalidPath);
}

/// RFC 7644 §3.5.2: add and replace need a value (`invalidValue`).
#[test]
fn missing_value() {
    let error = refused(
        &user(),
        json!([{"op": "replace", "path": "title"}]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::InvalidValue);
    let error = refused(
        &user(),
        json!([{"op": "add", "path": "title", "value": null}]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::InvalidValue);
}

/// [DOC] reference/ips-ias.md §3.4: a core-schema-qualified path addresses the top level.
#[test]
fn core_qualified_paths() {
    let after = patched(
        user(),
        json!([
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User:userName", "value": "jdoe2"},
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName", "value": "Jo"}
        ]),
        &user_rules(),
    );
    assert_eq!(after["userName"], "jdoe2");
    assert_eq!(after["name"]["givenName"], "Jo");
    assert!(after.get(CORE_USER).is_none());
    let whole_core = patched(
        user(),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User", "value": {"displayName": "JD"}}]),
        &user_rules(),
    );
    assert_eq!(whole_core["displayName"], "JD");
    assert!(whole_core.get(CORE_USER).is_none());
    let error = refused(
        &user(),
        json!([{"op": "remove", "path": "urn:ietf:params:scim:schemas:core:2.0:User"}]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::Mutability);
    let group = patched(
        group(),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:Group:displayName", "value": "Devs"}]),
        &group_rules(),
    );
    assert_eq!(group["displayName"], "Devs");
}

/// RFC 7643 §2.1: attribute names are case-insensitive; existing spellings stay.
#[test]
fn names_are_case_insensitive() {
    let after = patched(
        user(),
        json!([
            {"op": "replace", "path": "USERNAME", "value": "jdoe3"},
            {"op": "replace", "path": "Name.FamilyName", "value": "Doe3"},
            {"op": "replace", "path": "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:SAP:2.0:USER:Status", "value": "inactive"}
        ]),
        &user_rules(),
    );
    assert_eq!(after["userName"], "jdoe3");
    assert!(after.get("USERNAME").is_none());
    assert_eq!(after["name"]["familyName"], "Doe3");
    assert_eq!(after[SAP]["status"], "inactive");
    let keys: Vec<&String> = after.as_object().expect("object").keys().collect();
    let before: Vec<String> = user()
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, before.iter().collect::<Vec<_>>());
}

/// RFC 7644 §3.5.2: "if any operation fails, the whole request fails and the resource is not
/// changed" — checked with a failure after successful operations.
#[test]
fn atomic_on_error_mid_list() {
    let original = user();
    let error = refused(
        &original,
        json!([
            {"op": "replace", "path": "userName", "value": "changed"},
            {"op": "add", "path": "emails", "value": {"value": "x@y.z"}},
            {"op": "remove", "path": "name"},
            {"op": "replace", "path": "id", "value": "other"},
            {"op": "replace", "path": "displayName", "value": "never"}
        ]),
        &user_rules(),
    );
    assert_eq!(error.scim_type, ScimType::Mutability);
    assert!(
        error.detail.starts_with("Operations[3]: "),
        "{}",
        error.detail
    );
}

/// RFC 7644 §3.5.2.3: replacing a multi-valued attribute without filter replaces the array;
/// RFC 7643 §2.5: replacing it with `[]` unassigns it.
#[test]
fn replace_multi_valued() {
    let after = patched(
        group(),
        json!([{"op": "replace", "path": "members", "value": [{"value": "u-7"}]}]),
        &group_rules(),
    );
    assert_eq!(after["members"], json!([{"value": "u-7"}]));
    let cleared = patched(
        after,
        json!([{"op": "replace", "path": "members", "value": []}]),
        &group_rules(),
    );
    assert!(cleared.get("members").is_none());
}

/// Robustness: random operations and paths never panic, and a failure leaves the resource as it was.
#[test]
fn random_operations_never_panic() {
    let paths = [
        "userName",
        "emails",
        "emails[type eq \"work\"]",
        "emails[type eq \"work\"].value",
        "name",
        "name.givenName",
        "members",
        "id",
        "meta.version",
        "urn:a:b:c",
        ENTERPRISE,
        "urn:ietf:params:scim:schemas:extension:sap:2.0:User:emails[primary eq true].verified",
        "[",
        "emails[",
        "a.b.c",
        "$ref",
        "groups",
    ];
    let values = [
        json!("x"),
        json!(1),
        json!(true),
        json!([]),
        json!({}),
        json!([{"value": "v", "primary": true}]),
        json!({"value": "w", "type": "work"}),
        json!([1, [2]]),
        json!({"a": null}),
    ];
    let ops = ["add", "replace", "remove"];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let rules = user_rules();
    let mut resource = user();
    for _ in 0..5_000 {
        let mut operation = json!({"op": ops[next(ops.len())]});
        if next(5) > 0 {
            operation["path"] = json!(paths[next(paths.len())]);
        }
        if next(4) > 0 {
            operation["value"] = values[next(values.len())].clone();
        }
        let before = resource.clone();
        if apply(&mut resource, &operations(json!([operation])), &rules).is_err() {
            assert_eq!(resource, before);
        }
    }
}
