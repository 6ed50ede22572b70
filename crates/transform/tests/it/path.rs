//! JSONPath in the IPS (Jayway) dialect: every path of SAP's default transformations parses,
//! reads what IPS reads, and writes, removes and renames as IPS does (`reference/ips-ias.md` §1.3,
//! §1.4, §1.9, §1.12; seed 001).

use std::borrow::Cow;

use sapland_transform::path::{Path, remove, rename, write};
use sapland_transform::templates;
use serde_json::{Value, json};

use crate::random::Rng;

fn p(text: &str) -> Path {
    Path::parse(text).unwrap_or_else(|err| panic!("{text}: {err}"))
}

fn read(path: &str, doc: &Value) -> Vec<Value> {
    p(path).read(doc).into_iter().map(Cow::into_owned).collect()
}

fn one(path: &str, doc: &Value) -> Value {
    let mut found = read(path, doc);
    assert_eq!(found.len(), 1, "{path} matched {found:?}");
    found.remove(0)
}

/// An intermediate (SCIM 2.0) user as IPS hands it to a target transformation.
fn user() -> Value {
    json!({
        "id": "src-1",
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "userName": "jsmith",
        "name": {"givenName": "John", "familyName": "Smith"},
        "emails": [
            {"value": "john.smith@company.com", "type": "work", "primary": true, "display": "John"},
            {"value": "john@home.example", "type": "home"}
        ],
        "addresses": [{"type": "work", "region": "BW"}, {"region": "BY"}],
        "groups": [{"value": "g1", "display": "ABC-admins"}, {"value": "g2", "display": "XYZ"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "E1",
            "manager": {"value": "src-9", "displayName": "Boss"}
        },
        "urn:sap:cloud:scim:schemas:extension:custom:2.0:User": {
            "attributes": [{"name": "customAttribute1", "value": "c1"},
                           {"name": "customAttribute2", "value": "c2"}]
        }
    })
}

/// [DOC] §1.12 and seed 001: every source and target path of the IAS v1 and v2 default target
/// transformations, the generic SCIM target and the IAS v2 group mappings.
const DEFAULT_TRANSFORMATION_PATHS: &[&str] = &[
    "$",
    "$.id",
    "$.schemas",
    "$.schemas[0]",
    "$.schemas[1]",
    "$.userName",
    "$.emails",
    "$.emails[*].value",
    "$.emails[?(@.value)]",
    "$.emails[*].['value','display','primary']",
    "$.emails[0].primary",
    "$.name.givenName",
    "$.name.middleName",
    "$.name.familyName",
    "$.name.honorificPrefix",
    "$.addresses",
    "$.phoneNumbers",
    "$.displayName",
    "$.userType",
    "$.locale",
    "$.timezone",
    "$.timeZone",
    "$.active",
    "$.groups",
    "$.corporateGroups",
    "$.members",
    "$.members[*].value",
    "$.members[?(@.value)]",
    "$.password",
    "$.sendMail",
    "$.mailVerified",
    "$.passwordStatus",
    "$.sourceSystem",
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['emails']",
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['emails'][*]['type']",
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['validFrom']",
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['validTo']",
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['sendMail']",
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['mailVerified']",
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['passwordDetails']['status']",
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['sourceSystem']",
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['sourceSystemId']",
    "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']",
    "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['employeeNumber']",
    "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['costCenter']",
    "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['organization']",
    "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['division']",
    "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['department']",
    "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['manager']['value']",
    "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['manager']['displayName']",
    "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:User']['attributes']",
    "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']",
    "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['description']",
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['applicationId']",
];

/// [DOC] §1.3–§1.9, §1.13: the other paths the reference quotes from SAP's pages.
const OTHER_DOCUMENTED_PATHS: &[&str] = &[
    "$.personalInformation.lastName",
    "$.name.lastName",
    "$.sAMAccountName[0]",
    "$.mail[0]",
    "$.givenName[0]",
    "$.sn[0]",
    "$.memberOf",
    "$.groups[?(@.value)]",
    "$.countryList[?(@.name)]",
    "$.USERLIST[?(@.USERNAME)]",
    "$.Operations",
    "$.Operations[0].op",
    "$.Operations[0].path",
    "$.Operations[0].value",
    "$.meta.location",
    "$.member",
    "$[*].value",
    "$.addresses[*].region",
    "$.emails[?(@.primary == true)].value",
    "$.groups[?(@.display =~ /ABC.*/)]",
    "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:User']['attributes'][?(@.name=='customAttribute1')]['value']",
    "$.emails.length()",
    "$.emails[0].length()",
    "$.LOCK_LOCALLY",
    "$.country",
    "$.city",
    "$.timezone",
    "$.%ldap.attribute.user.mail%[0]",
];

/// [DOC] §1.12, seed 001: every documented path parses.
#[test]
fn every_documented_path_parses() {
    for text in DEFAULT_TRANSFORMATION_PATHS
        .iter()
        .chain(OTHER_DOCUMENTED_PATHS)
    {
        let path = p(text);
        assert_eq!(path.as_str(), *text);
        assert_eq!(path.to_string(), *text);
    }
}

fn collect_paths(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, v) in object {
                match (key.as_str(), v) {
                    ("sourcePath" | "targetPath" | "variablePath", Value::String(s)) => {
                        out.push(s.clone());
                    }
                    ("sourcePaths", Value::Array(items)) => {
                        out.extend(items.iter().filter_map(Value::as_str).map(String::from));
                    }
                    _ => collect_paths(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_paths(v, out)),
        _ => {}
    }
}

/// [DOC] seed 001: every path of the shipped default transformations parses, and each of them is
/// in the list above.
#[test]
fn every_path_of_the_shipped_templates_parses() {
    for name in templates::names() {
        let doc: Value = serde_json::from_str(templates::get(name).unwrap()).unwrap();
        let mut paths = Vec::new();
        collect_paths(&doc, &mut paths);
        let verbatim = templates::find(name).unwrap().verbatim;
        assert!(!verbatim || paths.len() > 20, "{name}");
        for text in paths {
            p(&text);
            // Templates that are not SAP's verbatim text are checked for syntax only.
            if !verbatim {
                continue;
            }
            assert!(
                DEFAULT_TRANSFORMATION_PATHS.contains(&text.as_str()),
                "{name}: {text} missing from the documented list"
            );
        }
    }
}

/// [DOC] §1.9: definite paths select at most one value; wildcards, filters and deep scans do not.
#[test]
fn definite_and_indefinite_paths() {
    for definite in [
        "$",
        "$.userName",
        "$.schemas[0]",
        "$.Operations[0].op",
        "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['manager']['value']",
        "$.name['givenName','familyName']",
        "$.emails.length()",
    ] {
        assert!(p(definite).is_definite(), "{definite}");
    }
    for indefinite in [
        "$.emails[*].value",
        "$.emails[?(@.primary == true)].value",
        "$.members[?(@.value)]",
        "$..value",
        "$.a[0,1]",
        "$.a[1:]",
        "$.emails[*].['value','display','primary']",
        "$.a.*",
    ] {
        assert!(!p(indefinite).is_definite(), "{indefinite}");
    }
}

/// [DOC] §1.9: dot and bracket notation, URN keys, indexes.
#[test]
fn reads_members_urn_keys_and_indexes() {
    let u = user();
    assert_eq!(one("$.userName", &u), json!("jsmith"));
    assert_eq!(one("$.name.familyName", &u), json!("Smith"));
    assert_eq!(one("$['name'][\"givenName\"]", &u), json!("John"));
    assert_eq!(
        one("$.schemas[1]", &u),
        json!("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
    );
    assert_eq!(one("$.emails[-1].type", &u), json!("home"));
    assert_eq!(
        one(
            "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['manager']['value']",
            &u
        ),
        json!("src-9")
    );
    assert_eq!(one("$", &u), u);
    assert!(read("$.name.middleName", &u).is_empty());
    assert!(read("$.userName.first", &u).is_empty());
    assert!(read("$.schemas[7]", &u).is_empty());
}

/// [DOC] §1.9: wildcard projections and filters select in document order.
#[test]
fn reads_wildcards_and_filters() {
    let u = user();
    assert_eq!(
        read("$.emails[*].value", &u),
        [json!("john.smith@company.com"), json!("john@home.example")]
    );
    assert_eq!(
        read("$.addresses[*].region", &u),
        [json!("BW"), json!("BY")]
    );
    assert_eq!(
        read("$.emails[?(@.primary == true)].value", &u),
        [json!("john.smith@company.com")]
    );
    assert_eq!(
        read("$.groups[?(@.display =~ /ABC.*/)]", &u),
        [json!({"value": "g1", "display": "ABC-admins"})]
    );
    assert_eq!(
        read(
            "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:User']['attributes'][?(@.name=='customAttribute1')]['value']",
            &u
        ),
        [json!("c1")]
    );
    assert_eq!(read("$.emails[?(@.display)].type", &u), [json!("work")]);
    assert_eq!(read("$.emails[?(!@.display)].type", &u), [json!("home")]);
    assert_eq!(read("$.name.*", &u), [json!("John"), json!("Smith")]);
}

/// [DOC] §1.12 (IAS v2 default): `$.emails[*].['value','display','primary']` keeps just those
/// members of each e-mail, which is how the default drops `type`.
#[test]
fn multi_member_projection_keeps_only_the_listed_members() {
    let u = user();
    assert_eq!(
        read("$.emails[*].['value','display','primary']", &u),
        [
            json!({"value": "john.smith@company.com", "display": "John", "primary": true}),
            json!({"value": "john@home.example"})
        ]
    );
    assert_eq!(
        read("$.name['familyName','givenName']", &u),
        [json!({"familyName": "Smith", "givenName": "John"})]
    );
}

/// [DOC] §1.6 (`variablePath` `$[*].value` on a variable's array value) and §1.13 (AD arrays).
#[test]
fn reads_arrays_at_the_root_and_ldap_style_values() {
    let members = json!([{"value": "u1"}, {"value": "u2"}]);
    assert_eq!(read("$[*].value", &members), [json!("u1"), json!("u2")]);
    let ad = json!({"sAMAccountName": ["jsmith"], "mail": ["john.smith@company.com"],
                    "memberOf": ["group1"]});
    assert_eq!(one("$.sAMAccountName[0]", &ad), json!("jsmith"));
    assert_eq!(one("$.memberOf", &ad), json!(["group1"]));
}

/// [DOC] §1.9: `length()` at the tail of a path — array size, object member count.
#[test]
fn length_function() {
    let u = user();
    assert_eq!(one("$.emails.length()", &u), json!(2));
    assert_eq!(one("$.emails[0].length()", &u), json!(4));
    assert_eq!(one("$.emails[*].value.length()", &u), json!(2));
    assert!(read("$.userName.length()", &u).is_empty());
    assert!(read("$.missing.length()", &u).is_empty());
}

/// [DOC] §1.9: deep scan.
#[test]
fn deep_scan() {
    let u = user();
    assert_eq!(
        read("$..displayName", &u),
        [json!("Boss")],
        "only the manager has one"
    );
    assert_eq!(read("$..employeeNumber", &u), [json!("E1")]);
}

/// [DOC] §1.3, §1.5: `$.schemas[0]`, `$.schemas[1]` and `$.Operations[0].…` create the arrays
/// and objects they need.
#[test]
fn writes_create_arrays_and_objects() {
    let mut out = json!({});
    write(
        &mut out,
        &p("$.schemas[0]"),
        json!("urn:ietf:params:scim:schemas:core:2.0:User"),
    )
    .unwrap();
    write(
        &mut out,
        &p("$.schemas[1]"),
        json!("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                           "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]})
    );

    // The IAS v2 "disable instead of delete" PATCH body (§1.5).
    let mut patch = json!({});
    for (path, value) in [
        (
            "$.schemas[0]",
            json!("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ),
        ("$.Operations[0].op", json!("replace")),
        ("$.Operations[0].path", json!("active")),
        ("$.Operations[0].value", json!(false)),
    ] {
        write(&mut patch, &p(path), value).unwrap();
    }
    assert_eq!(
        patch,
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "replace", "path": "active", "value": false}]})
    );
}

/// [DOC] §1.12: URN-keyed targets create the extension objects.
#[test]
fn writes_urn_targets() {
    let mut out = json!({"userName": "jsmith"});
    write(
        &mut out,
        &p("$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['passwordDetails']['status']"),
        json!("disabled"),
    )
    .unwrap();
    write(
        &mut out,
        &p("$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['sendMail']"),
        json!(false),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({"userName": "jsmith",
               "urn:ietf:params:scim:schemas:extension:sap:2.0:User": {
                   "passwordDetails": {"status": "disabled"}, "sendMail": false}})
    );
}

/// proposed: a short array is padded with null up to the index written.
#[test]
fn index_writes_pad_with_null() {
    let mut out = json!({});
    write(&mut out, &p("$.schemas[2]"), json!("c")).unwrap();
    assert_eq!(out, json!({"schemas": [null, null, "c"]}));
    write(&mut out, &p("$.schemas[-3]"), json!("a")).unwrap();
    assert_eq!(out, json!({"schemas": ["a", null, "c"]}));
}

/// [DOC] §1.9, §1.12 (IAS v1 default): `$.emails[*].value` → `$.emails[?(@.value)]` writes an
/// array of objects.
#[test]
fn filter_target_wraps_values_in_objects() {
    let u = user();
    let source = p("$.emails[*].value");
    let value = Value::Array(source.read(&u).into_iter().map(Cow::into_owned).collect());
    let mut out = json!({});
    write(&mut out, &p("$.emails[?(@.value)]"), value).unwrap();
    assert_eq!(
        out,
        json!({"emails": [{"value": "john.smith@company.com"}, {"value": "john@home.example"}]})
    );
}

/// [DOC] §1.8 (`splitStringToArray` with `$.countryList[?(@.name)]`) and §1.13 (`$.memberOf` →
/// `$.groups[?(@.value)]`; a single unwrapped value still becomes a one-element array).
#[test]
fn filter_target_with_other_member_names_and_single_values() {
    let mut out = json!({});
    write(
        &mut out,
        &p("$.countryList[?(@.name)]"),
        json!(["Serbia", "Germany", "Spain"]),
    )
    .unwrap();
    assert_eq!(
        out["countryList"],
        json!([{"name": "Serbia"}, {"name": "Germany"}, {"name": "Spain"}])
    );
    write(&mut out, &p("$.groups[?(@.value)]"), json!("group1")).unwrap();
    assert_eq!(out["groups"], json!([{"value": "group1"}]));
    write(&mut out, &p("$.USERLIST[?(@.USERNAME)]"), json!([null])).unwrap();
    assert_eq!(
        out["USERLIST"],
        json!([]),
        "null items are skipped (proposed)"
    );
}

/// [DOC] §1.12 (IAS v2 group default): two `$.members[*].value → $.members[?(@.value)]` mappings
/// (users, then groups) both land — the wrapping target appends (proposed).
#[test]
fn filter_target_appends_so_both_member_mappings_land() {
    let mut out = json!({});
    let target = p("$.members[?(@.value)]");
    write(&mut out, &target, json!(["user-1", "user-2"])).unwrap();
    write(&mut out, &target, json!(["group-1"])).unwrap();
    assert_eq!(
        out,
        json!({"members": [{"value": "user-1"}, {"value": "user-2"}, {"value": "group-1"}]})
    );
    let mut bad = json!({"members": "x"});
    let err = write(&mut bad, &target, json!(["u"])).unwrap_err();
    assert!(err.message.contains("cannot append"), "{err}");
    assert_eq!(bad, json!({"members": "x"}));
}

/// [DOC] §1.9 (basic transformation): `$` → `$` copies the whole document.
#[test]
fn root_target_replaces_the_document() {
    let u = user();
    let mut out = json!({});
    let whole = one("$", &u);
    write(&mut out, &p("$"), whole).unwrap();
    assert_eq!(out, u);
}

/// [DOC]/[INF] §1.11 item 4: a later write to the same target overwrites the earlier one.
#[test]
fn later_writes_overwrite() {
    let mut out = json!({});
    write(
        &mut out,
        &p("$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']"),
        json!("Display"),
    )
    .unwrap();
    write(
        &mut out,
        &p("$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']"),
        json!("Custom"),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({"urn:sap:cloud:scim:schemas:extension:custom:2.0:Group": {"name": "Custom"}})
    );
}

/// proposed: wildcards and filters inside a target path write into every existing match.
#[test]
fn wildcard_and_filter_targets_write_into_existing_matches() {
    let mut u = user();
    write(&mut u, &p("$.emails[*].verified"), json!(true)).unwrap();
    assert_eq!(read("$.emails[*].verified", &u), [json!(true), json!(true)]);
    write(
        &mut u,
        &p("$.emails[?(@.primary == true)].type"),
        json!("other"),
    )
    .unwrap();
    assert_eq!(
        read("$.emails[*].type", &u),
        [json!("other"), json!("home")]
    );
    let before = u.clone();
    write(&mut u, &p("$.phoneNumbers[*].type"), json!("work")).unwrap();
    assert_eq!(u, before, "no match, nothing written");
    write(&mut u, &p("$.name['a','b']"), json!(1)).unwrap();
    assert_eq!(u["name"]["a"], json!(1));
    assert_eq!(u["name"]["b"], json!(1));
}

/// Conventions: a rejected write leaves the document unchanged and says where and why.
#[test]
fn impossible_writes_are_errors_that_change_nothing() {
    let mut u = user();
    let before = u.clone();
    for (path, position, fragment) in [
        (
            "$.userName.first",
            10,
            "cannot write member 'first' into a string",
        ),
        ("$.name[0]", 6, "cannot write index [0] into an object"),
        ("$.emails[-3]", 8, "out of range"),
        ("$.nothing[-1]", 9, "out of range"),
        ("$.emails.length()", 8, "function"),
        ("$.emails[*].value.x", 17, "into a string"),
    ] {
        let err = write(&mut u, &p(path), json!(1)).unwrap_err();
        assert!(err.message.contains(fragment), "{path}: {err}");
        assert_eq!(err.position, position, "{path}: {err}");
        assert_eq!(u, before, "{path}");
    }
}

/// [DOC] §1.4: remove with wildcards — the v2 default strips `type` from every e-mail of the SAP
/// extension.
#[test]
fn remove_with_wildcards() {
    let mut out = json!({"urn:ietf:params:scim:schemas:extension:sap:2.0:User": {"emails": [
        {"value": "a@x.com", "type": "work", "verified": true},
        {"value": "b@x.com", "verified": true},
        {"value": "c@x.com", "type": "home", "verified": true}]}});
    let removed = remove(
        &mut out,
        &p("$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['emails'][*]['type']"),
    );
    assert_eq!(removed, 2);
    assert_eq!(
        out,
        json!({"urn:ietf:params:scim:schemas:extension:sap:2.0:User": {"emails": [
            {"value": "a@x.com", "verified": true},
            {"value": "b@x.com", "verified": true},
            {"value": "c@x.com", "verified": true}]}})
    );
}

/// [DOC] §1.12 (generic SCIM target): remove `$.id`, then the enterprise extension; member order
/// of the rest is kept; removing what is not there removes nothing.
#[test]
fn remove_members_keeps_order() {
    let mut u = user();
    assert_eq!(remove(&mut u, &p("$.id")), 1);
    assert_eq!(
        remove(
            &mut u,
            &p("$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']")
        ),
        1
    );
    let keys: Vec<&String> = u.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "schemas",
            "userName",
            "name",
            "emails",
            "addresses",
            "groups",
            "urn:sap:cloud:scim:schemas:extension:custom:2.0:User"
        ]
    );
    assert_eq!(remove(&mut u, &p("$.id")), 0);
    assert_eq!(remove(&mut u, &p("$.nothing[*].x")), 0);
    assert_eq!(remove(&mut u, &p("$.userName.length()")), 0);
}

/// Array elements are removed last-first so that several indexes or filter matches all go.
#[test]
fn remove_array_elements() {
    let mut doc = json!({"a": [0, 1, 2, 3, 4], "emails": user()["emails"].clone()});
    assert_eq!(remove(&mut doc, &p("$.a[0,2,2,4]")), 3);
    assert_eq!(doc["a"], json!([1, 3]));
    assert_eq!(remove(&mut doc, &p("$.emails[?(@.type == 'home')]")), 1);
    assert_eq!(doc["emails"].as_array().unwrap().len(), 1);
    assert_eq!(remove(&mut doc, &p("$.a[*]")), 2);
    assert_eq!(doc["a"], json!([]));
    assert_eq!(remove(&mut doc, &p("$"),), 1);
    assert_eq!(doc, json!({}));
}

/// [DOC] §1.4: rename renames the last element — `$.name.lastName` becomes `$.name.familyName`.
#[test]
fn rename_the_last_element() {
    let mut doc = json!({"name": {"firstName": "John", "lastName": "Smith", "x": 1}});
    assert_eq!(rename(&mut doc, &p("$.name.lastName"), "familyName"), 1);
    assert_eq!(
        serde_json::to_string(&doc).unwrap(),
        r#"{"name":{"firstName":"John","familyName":"Smith","x":1}}"#
    );
    assert_eq!(
        rename(&mut doc, &p("$.name.lastName"), "familyName"),
        0,
        "optional rename of a missing member"
    );
    assert_eq!(rename(&mut doc, &p("$.name.x"), "firstName"), 1);
    assert_eq!(
        doc,
        json!({"name": {"familyName": "Smith", "firstName": 1}}),
        "an existing member of the new name is replaced (proposed)"
    );
    assert_eq!(rename(&mut doc, &p("$"), "x"), 0);
}

/// proposed: rename through a wildcard renames in every match.
#[test]
fn rename_through_wildcards() {
    let mut doc = json!({"emails": [{"mail": "a"}, {"mail": "b"}, {"other": "c"}]});
    assert_eq!(rename(&mut doc, &p("$.emails[*].mail"), "value"), 2);
    assert_eq!(
        doc,
        json!({"emails": [{"value": "a"}, {"value": "b"}, {"other": "c"}]})
    );
    assert_eq!(
        rename(&mut doc, &p("$.emails[0]"), "x"),
        0,
        "elements have no name"
    );
}

/// [DOC] §1.12: a slice of the IAS v2 user target transformation run on an intermediate user with
/// the path API alone (functions left out): the result is what SAP's mappings describe.
#[test]
fn ias_v2_user_mappings_build_the_target_user() {
    let u = user();
    let mut out = json!({});
    let copy = |out: &mut Value, source: &str, target: &str| {
        let source = p(source);
        let mut found: Vec<Value> = source.read(&u).into_iter().map(Cow::into_owned).collect();
        if found.is_empty() {
            return;
        }
        let value = if source.is_definite() {
            found.remove(0)
        } else {
            Value::Array(found)
        };
        write(out, &p(target), value).unwrap();
    };
    write(&mut out, &p("$.id"), json!("target-7")).unwrap();
    copy(&mut out, "$.userName", "$.userName");
    copy(
        &mut out,
        "$.emails",
        "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['emails']",
    );
    remove(
        &mut out,
        &p("$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['emails'][*]['type']"),
    );
    copy(
        &mut out,
        "$.emails[*].['value','display','primary']",
        "$.emails",
    );
    copy(&mut out, "$.name.givenName", "$.name.givenName");
    copy(&mut out, "$.name.middleName", "$.name.middleName");
    copy(&mut out, "$.name.familyName", "$.name.familyName");
    copy(
        &mut out,
        "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['manager']['value']",
        "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['manager']['value']",
    );
    write(
        &mut out,
        &p("$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['sendMail']"),
        json!(false),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({
            "id": "target-7",
            "userName": "jsmith",
            "urn:ietf:params:scim:schemas:extension:sap:2.0:User": {
                "emails": [
                    {"value": "john.smith@company.com", "primary": true, "display": "John"},
                    {"value": "john@home.example"}
                ],
                "sendMail": false
            },
            "emails": [
                {"value": "john.smith@company.com", "display": "John", "primary": true},
                {"value": "john@home.example"}
            ],
            "name": {"givenName": "John", "familyName": "Smith"},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "src-9"}}
        })
    );
}

/// Syntax errors name the position and what was expected there.
#[test]
fn syntax_errors_are_precise() {
    for (text, position, fragment) in [
        ("", 0, "starts with '$'"),
        ("userName", 0, "starts with '$'"),
        ("@.type", 0, "only valid inside conditions"),
        ("$.", 2, "expected a member name"),
        ("$.a[", 4, "expected a quoted member name, an index"),
        ("$['a'", 5, "expected ']'"),
        ("$['a", 2, "unterminated string"),
        ("$.a[1:2:3]", 7, "slice steps"),
        ("$.a[?(@.b == )]", 13, "expected a path"),
        ("$.a[?(@.b =~ /x)]", 13, "unterminated regex"),
        ("$.a b", 4, "expected '.', '[' or the end"),
        ("$.a[x]", 4, "expected a quoted member name"),
        ("$.a.size()", 3, "only length() is supported"),
        ("$.a[99999999999999999999]", 4, "out of range"),
    ] {
        let err = Path::parse(text).unwrap_err();
        assert!(err.message.contains(fragment), "{text}: {err}");
        assert_eq!(err.position, position, "{text}: {err}");
    }
}

/// Conventions: a parser answers any input with a value or an error, never a panic — truncated
/// documented paths, deep nesting and random token soup; whatever parses can be read, written,
/// removed and renamed without panicking.
#[test]
fn hostile_paths_never_panic() {
    let mut inputs: Vec<String> = Vec::new();
    for text in DEFAULT_TRANSFORMATION_PATHS
        .iter()
        .chain(OTHER_DOCUMENTED_PATHS)
    {
        for (i, _) in text.char_indices() {
            inputs.push(text[..i].to_string());
            let mut without = text.to_string();
            without.remove(i);
            inputs.push(without);
        }
    }
    inputs.push(format!("$.a{}", "[?(@.b".repeat(200)));
    inputs.push(format!("$.a{}{}", "[?(@.b".repeat(50), ")]".repeat(50)));
    inputs.push(format!("$.a[?({}@.b{})]", "(".repeat(500), ")".repeat(500)));
    inputs.push("$".to_string() + &".a".repeat(10_000));
    inputs.push("$".to_string() + &"[0]".repeat(256));
    inputs.push("$['\\".to_string());
    inputs.push("$[\"\\u".to_string());
    inputs.push("$\u{0}\u{FFFF}é𝄞".to_string());
    let tokens = [
        "$", "@", ".", "..", "[", "]", "*", "?", "(", ")", "'a'", "\"b\"", "0", "-1", ":", ",",
        "==", "=~", "/x/", "&&", "||", "!", " ", "length()", "name", "é", "\\", "'",
    ];
    let mut rng = Rng(42);
    for _ in 0..20_000 {
        let len = rng.below(12);
        let mut text = String::from("$");
        for _ in 0..len {
            text.push_str(rng.pick(&tokens));
        }
        inputs.push(text);
    }
    let doc = user();
    let mut parsed = 0;
    for text in &inputs {
        if let Ok(path) = Path::parse(text) {
            parsed += 1;
            let _ = path.read(&doc);
            let mut copy = doc.clone();
            let _ = write(&mut copy, &path, json!(["x"]));
            let _ = remove(&mut copy, &path);
            let _ = rename(&mut copy, &path, "y");
        }
    }
    assert!(parsed > 1000, "only {parsed} inputs parsed");
    let err = Path::parse(&format!("$.a{}", "[?(@.b".repeat(200))).unwrap_err();
    assert!(err.message.contains("nest too deeply"), "{err}");
    let err = Path::parse(&("$".to_string() + &".a".repeat(10_000))).unwrap_err();
    assert!(err.message.contains("at most 256 steps"), "{err}");
}
