//! The evaluation engine (`reference/ips-ias.md` §1.4–§1.7, §1.11): every mapping key and type,
//! scopes per operation, entity conditions and `skipOperations` with IPS's log texts,
//! variables, `%property%` substitution, and SAP's documented examples.

use std::collections::BTreeMap;

use jiff::Timestamp;
use sapland_transform::document::Transformation;
use sapland_transform::engine::{Action, Context, Engine, Outcome, Variables};
use sapland_transform::functions::{IdRequest, IdResolver};
use serde_json::{Value, json};

use crate::random::Rng;

fn engine(document: Value) -> Engine {
    engine_with(document, &[])
}

fn engine_with(document: Value, properties: &[(&str, &str)]) -> Engine {
    let parsed = Transformation::from_value(&document)
        .unwrap_or_else(|err| panic!("the test transformation is invalid: {err}"));
    let properties = properties
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Engine::new(&parsed.transformation, properties).unwrap_or_else(|err| panic!("{err}"))
}

fn user(mappings: Value) -> Engine {
    engine(json!({"user": {"mappings": mappings}}))
}

fn run(engine: &Engine, action: Action, input: Value) -> Outcome {
    engine.apply("user", &input, &Context::new(action))
}

fn written(outcome: Outcome) -> Value {
    match outcome {
        Outcome::Written { entity, .. } => entity,
        other => panic!("expected a written entity, got {other:?}"),
    }
}

fn create(engine: &Engine, input: Value) -> Value {
    written(run(engine, Action::Create, input))
}

fn failed(outcome: Outcome) -> String {
    match outcome {
        Outcome::Failed { error } => error,
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn context_with(action: Action, variables: &[(&str, Value)]) -> Context<'static> {
    let mut context = Context::new(action);
    context.variables = variables
        .iter()
        .map(|(name, value)| (name.to_string(), value.clone()))
        .collect();
    context
}

#[test]
fn mappings_run_in_order_and_a_later_write_wins() {
    // §1.11 item 4; the IAS source default's `$.company` → enterprise organization override.
    let org = "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['organization']";
    let e = user(json!([
        {"sourcePath": org, "targetPath": org, "optional": true},
        {"sourcePath": "$.company", "targetPath": org, "optional": true}
    ]));
    let input = json!({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"organization": "Old"}, "company": "ACME"});
    assert_eq!(
        create(&e, input),
        json!({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"organization": "ACME"}})
    );
}

#[test]
fn constants_of_every_type_are_written() {
    // §1.3 constant: String, Integer, Boolean, JSONObject and the array kinds.
    let e = user(json!([
        {"constant": "s", "targetPath": "$.s"},
        {"constant": 7, "targetPath": "$.i"},
        {"constant": false, "targetPath": "$.b"},
        {"constant": {"k": 1}, "targetPath": "$.o"},
        {"constant": ["a", "b"], "targetPath": "$.sa"},
        {"constant": [{"k": 1}, {"k": 2}], "targetPath": "$.oa"}
    ]));
    assert_eq!(
        create(&e, json!({})),
        json!({"s": "s", "i": 7, "b": false, "o": {"k": 1}, "sa": ["a", "b"], "oa": [{"k": 1}, {"k": 2}]})
    );
}

#[test]
fn a_missing_mandatory_attribute_fails_the_entity_and_names_the_mapping() {
    // §1.3 optional: "If set to false or not set at all ... if it is missing, provisioning will fail."
    let e = user(json!([
        {"sourcePath": "$.userName", "targetPath": "$.userName"},
        {"sourcePath": "$.name.familyName", "targetPath": "$.name.familyName"}
    ]));
    let error = failed(run(&e, Action::Create, json!({"userName": "jdoe"})));
    assert_eq!(
        error,
        "user.mappings[1]: the mandatory attribute $.name.familyName is missing in the entity \
         (the mapping is not optional: set \"optional\": true or a defaultValue to allow it)"
    );
    let null = failed(run(
        &e,
        Action::Create,
        json!({"userName": "jdoe", "name": {"familyName": null}}),
    ));
    assert!(null.starts_with("user.mappings[1]: the mandatory attribute"));
}

#[test]
fn optional_mappings_write_their_default_or_nothing() {
    // §1.3 defaultValue: "when it is set as optional and there is no specific value".
    let e = user(json!([
        {"sourcePath": "$.userType", "targetPath": "$.userType", "optional": true, "defaultValue": "employee"},
        {"sourcePath": "$.locale", "targetPath": "$.locale", "optional": true},
        {"sourcePath": "$.nothing", "targetPath": "$.nullDefault", "optional": true, "defaultValue": null}
    ]));
    assert_eq!(
        create(&e, json!({})),
        json!({"userType": "employee", "nullDefault": null})
    );
    assert_eq!(
        create(
            &e,
            json!({"userType": "partner", "locale": "de", "nothing": 1})
        ),
        json!({"userType": "partner", "locale": "de", "nullDefault": 1})
    );
}

#[test]
fn one_element_arrays_are_unwrapped_unless_preserved() {
    // §1.3 preserveArrayWithSingleElement; LDAP attributes arrive as arrays (§1.13).
    let e = user(json!([
        {"sourcePath": "$.sAMAccountName", "targetPath": "$.userName"},
        {"sourcePath": "$.memberOf", "targetPath": "$.groups", "preserveArrayWithSingleElement": true},
        {"sourcePath": "$.mail", "targetPath": "$.mails"}
    ]));
    assert_eq!(
        create(
            &e,
            json!({"sAMAccountName": ["jsmith"], "memberOf": ["group1"], "mail": ["a@x", "b@x"]})
        ),
        json!({"userName": "jsmith", "groups": ["group1"], "mails": ["a@x", "b@x"]})
    );
}

#[test]
fn indefinite_paths_read_every_match_into_array_of_objects_targets() {
    // §1.9 writer: `$.emails[*].value` → `$.emails[?(@.value)]` gives [{"value": …}, …].
    let e = user(json!([
        {"sourcePath": "$.emails[*].value", "preserveArrayWithSingleElement": true, "targetPath": "$.emails[?(@.value)]"},
        {"sourcePath": "$.emails[?(@.primary == true)].value", "targetPath": "$.primaryEmail", "optional": true}
    ]));
    let input = json!({"emails": [{"value": "a@x.com", "primary": true}, {"value": "b@x.com"}]});
    assert_eq!(
        create(&e, input),
        json!({"emails": [{"value": "a@x.com"}, {"value": "b@x.com"}], "primaryEmail": "a@x.com"})
    );
    // An indefinite path that matches nothing is missing.
    assert_eq!(
        create(&e, json!({"emails": [{"value": "only@x.com"}]}))["primaryEmail"],
        Value::Null
    );
}

#[test]
fn the_whole_document_can_be_copied_and_trimmed() {
    // §1.12 generic SCIM System target: `$` → `$`, remove id, id from entityIdTargetSystem,
    // primary on the first e-mail, remove the enterprise extension.
    let e = user(json!([
        {"sourcePath": "$", "targetPath": "$"},
        {"targetPath": "$.id", "type": "remove"},
        {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.id"},
        {"condition": "$.emails[0].length() > 0", "targetPath": "$.emails[0].primary", "constant": true},
        {"type": "remove", "targetPath": "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']"}
    ]));
    let input = json!({"id": "source-id", "userName": "jdoe", "emails": [{"value": "j@x.com"}],
                       "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "X"}});
    assert_eq!(
        create(&e, input.clone()),
        json!({"userName": "jdoe", "emails": [{"value": "j@x.com", "primary": true}]})
    );
    let update = e.apply(
        "user",
        &input,
        &context_with(Action::Update, &[("entityIdTargetSystem", json!("T-1"))]),
    );
    assert_eq!(written(update)["id"], json!("T-1"));
}

#[test]
fn remove_works_with_wildcards_and_conditions() {
    // §1.4 remove, with a wildcard and with a condition.
    let e = user(json!([
        {"sourcePath": "$", "targetPath": "$"},
        {"targetPath": "$.emails[*].type", "type": "remove"},
        {"condition": "$.displayName EMPTY true", "type": "remove", "targetPath": "$.displayName"},
        {"targetPath": "$.never.there", "type": "remove"}
    ]));
    let input = json!({"displayName": "", "emails": [{"value": "a", "type": "work"}, {"value": "b", "type": "home"}]});
    assert_eq!(
        create(&e, input),
        json!({"emails": [{"value": "a"}, {"value": "b"}]})
    );
    let kept = create(&e, json!({"displayName": "Jane"}));
    assert_eq!(kept, json!({"displayName": "Jane"}));
}

#[test]
fn rename_changes_the_last_key_and_fails_a_mandatory_mapping_with_nothing_to_rename() {
    // §1.4 rename: `$.name.lastName` becomes `$.name.familyName`.
    let e = user(json!([
        {"sourcePath": "$.name", "targetPath": "$.name"},
        {"targetPath": "$.name.lastName", "constant": "familyName", "type": "rename", "optional": true}
    ]));
    assert_eq!(
        create(&e, json!({"name": {"lastName": "Doe", "givenName": "J"}})),
        json!({"name": {"familyName": "Doe", "givenName": "J"}})
    );
    assert_eq!(
        create(&e, json!({"name": {"givenName": "J"}})),
        json!({"name": {"givenName": "J"}})
    );
    let strict = user(json!([
        {"sourcePath": "$.name", "targetPath": "$.name"},
        {"targetPath": "$.name.lastName", "constant": "familyName", "type": "rename"}
    ]));
    let error = failed(run(
        &strict,
        Action::Create,
        json!({"name": {"givenName": "J"}}),
    ));
    assert!(
        error.starts_with("user.mappings[1]: there is nothing at $.name.lastName to rename"),
        "{error}"
    );
}

#[test]
fn value_mappings_look_up_tuples_and_fall_back_to_the_default() {
    // §1.4 valueMapping: the documented country/city → timezone table.
    let e = user(json!([{
        "sourcePaths": ["$.country", "$.city"], "defaultValue": "UTC", "targetPath": "$.timezone",
        "type": "valueMapping",
        "valueMappings": [
            {"key": ["US", "New York"], "mappedValue": "EST"},
            {"key": ["US", "Dallas"], "mappedValue": "CST"},
            {"key": ["Germany", "Berlin"], "mappedValue": "CET"}
        ]
    }]));
    let tz = |input: Value| create(&e, input)["timezone"].clone();
    assert_eq!(tz(json!({"country": "US", "city": "Dallas"})), json!("CST"));
    assert_eq!(
        tz(json!({"country": "Germany", "city": "Berlin"})),
        json!("CET")
    );
    assert_eq!(tz(json!({"country": "US", "city": "Boston"})), json!("UTC"));
    // "defaultValue ... if any source path missing"
    assert_eq!(tz(json!({"country": "US"})), json!("UTC"));
}

#[test]
fn a_value_mapping_without_default_writes_nothing_when_optional_and_fails_otherwise() {
    let table = json!([{"key": [840], "mappedValue": "US"}]);
    let optional = user(
        json!([{"sourcePaths": ["$.code"], "targetPath": "$.country", "type": "valueMapping",
                                "optional": true, "valueMappings": table}]),
    );
    assert_eq!(
        create(&optional, json!({"code": "840"})),
        json!({"country": "US"})
    );
    assert_eq!(create(&optional, json!({"code": 276})), json!({}));
    let mandatory = user(
        json!([{"sourcePaths": ["$.code"], "targetPath": "$.country", "type": "valueMapping",
                                 "valueMappings": table}]),
    );
    let error = failed(run(&mandatory, Action::Create, json!({"code": 276})));
    assert!(error.contains("no valueMappings entry matches"), "{error}");
}

#[test]
fn mapping_conditions_gate_single_mappings() {
    // §1.3 condition; §1.10 examples.
    let e = user(json!([
        {"condition": "$.name.honorificPrefix IN ['Mr.', 'Mrs.', 'Ms.', 'Dr.']", "sourcePath": "$.name.honorificPrefix", "targetPath": "$.title"},
        {"condition": "$.emails[0].value =~ /.*@example.com/", "constant": "internal", "targetPath": "$.kind"}
    ]));
    assert_eq!(
        create(
            &e,
            json!({"name": {"honorificPrefix": "Dr."}, "emails": [{"value": "a@example.com"}]})
        ),
        json!({"title": "Dr.", "kind": "internal"})
    );
    assert_eq!(
        create(
            &e,
            json!({"name": {"honorificPrefix": "Sir"}, "emails": [{"value": "a@example.org"}]})
        ),
        json!({})
    );
}

#[test]
fn ignored_mappings_and_entity_types_do_nothing() {
    // §1.2 ignore on an entity type; §1.3 ignore as a boolean or the string "true".
    let e = engine(json!({
        "user": {"mappings": [
            {"constant": "x", "targetPath": "$.a", "ignore": true},
            {"constant": "y", "targetPath": "$.b", "ignore": "true"},
            {"constant": "z", "targetPath": "$.c", "ignore": "false"}
        ]},
        "group": {"ignore": true, "mappings": [{"sourcePath": "$.displayName", "targetPath": "$.displayName"}]}
    }));
    assert_eq!(create(&e, json!({})), json!({"c": "z"}));
    assert_eq!(
        e.apply("group", &json!({}), &Context::new(Action::Create)),
        Outcome::Ignored
    );
    assert_eq!(
        e.apply("role", &json!({}), &Context::new(Action::Create)),
        Outcome::Ignored
    );
    assert_eq!(
        Outcome::Ignored.to_envelope(),
        json!({"outcome": "ignored"})
    );
}

#[test]
fn a_false_entity_condition_skips_with_ips_s_log_text() {
    // §1.11 item 2; §2.6 skipped-entities log: "Entity condition [<condition>] is not fulfilled".
    let condition =
        "($.emails EMPTY false) && ($.userName EMPTY false) && isValidEmail($.emails[0].value)";
    let e = engine(json!({"user": {"condition": condition, "mappings": [
        {"sourcePath": "$.userName", "targetPath": "$.userName"}]}}));
    let outcome = run(
        &e,
        Action::Create,
        json!({"userName": "jdoe", "emails": [{"value": "not-an-email"}]}),
    );
    assert_eq!(
        outcome.to_envelope(),
        json!({"outcome": "skipped", "reason": format!("Entity condition [{condition}] is not fulfilled")})
    );
    assert!(matches!(
        run(
            &e,
            Action::Update,
            json!({"emails": [{"value": "a@b.com"}]})
        ),
        Outcome::Skipped { .. }
    ));
    assert!(matches!(
        run(
            &e,
            Action::Create,
            json!({"userName": "jdoe", "emails": [{"value": "a@b.com"}]})
        ),
        Outcome::Written { .. }
    ));
}

#[test]
fn skip_operations_skip_after_the_condition() {
    // §1.2 skipOperations: the condition is evaluated first; then the listed operation is
    // skipped with "Operation [delete] is skipped in target transformation".
    let e = engine(
        json!({"user": {"condition": "$.userName EMPTY false", "skipOperations": ["update", "delete"],
        "mappings": [{"sourcePath": "$.userName", "targetPath": "$.userName"}]}}),
    );
    let reason = |action| match run(&e, action, json!({"userName": "jdoe"})) {
        Outcome::Skipped { reason } => reason.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        reason(Action::Update),
        "Operation [update] is skipped in target transformation"
    );
    assert_eq!(
        reason(Action::Delete),
        "Operation [delete] is skipped in target transformation"
    );
    assert!(matches!(
        run(&e, Action::Create, json!({"userName": "jdoe"})),
        Outcome::Written { .. }
    ));
}

#[test]
fn scopes_decide_which_mappings_run_for_each_operation() {
    // §1.5: no scope on create and update; createEntity only on create; patchEntity only for a
    // proxy PATCH; deleteEntity only on delete.
    let e = user(json!([
        {"constant": "always", "targetPath": "$.plain"},
        {"constant": "create", "targetPath": "$.created", "scope": "createEntity"},
        {"constant": "patch", "targetPath": "$.patched", "scope": "patchEntity"},
        {"constant": "delete", "targetPath": "$.deleted", "scope": "deleteEntity"}
    ]));
    let out = |action| written(run(&e, action, json!({})));
    assert_eq!(
        out(Action::Create),
        json!({"plain": "always", "created": "create"})
    );
    assert_eq!(out(Action::Update), json!({"plain": "always"}));
    assert_eq!(out(Action::Patch), json!({"patched": "patch"}));
    assert_eq!(out(Action::Delete), json!({"deleted": "delete"}));
}

#[test]
fn disable_instead_of_delete_builds_the_patch_body_and_ignores_the_entity_condition() {
    // §1.5 IAS SCIM v2 "disable instead of delete" with ias.user.update.instead.delete; the
    // entity-level condition is ignored for deleteEntity processing (§1.11 item 3).
    let e = engine(
        json!({"user": {"condition": "$.userName EMPTY false", "mappings": [
            {"sourcePath": "$.userName", "targetPath": "$.userName"},
            {"constant": "urn:ietf:params:scim:api:messages:2.0:PatchOp", "targetPath": "$.schemas[0]", "scope": "deleteEntity"},
            {"constant": "replace", "targetPath": "$.Operations[0].op", "scope": "deleteEntity"},
            {"constant": "active", "targetPath": "$.Operations[0].path", "scope": "deleteEntity"},
            {"constant": false, "targetPath": "$.Operations[0].value", "scope": "deleteEntity"}
        ]}}),
    );
    let outcome = e.apply(
        "user",
        &json!({}),
        &context_with(Action::Delete, &[("entityIdTargetSystem", json!("T-9"))]),
    );
    assert_eq!(
        written(outcome),
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "replace", "path": "active", "value": false}]})
    );
}

#[test]
fn disable_instead_of_delete_for_scim_v1_keeps_the_target_id() {
    // §1.5 IAS SCIM v1 variant: id from entityIdTargetSystem, active false, groups emptied.
    let e = user(json!([
        {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.id", "scope": "deleteEntity"},
        {"constant": false, "targetPath": "$.active", "scope": "deleteEntity"},
        {"constant": [], "targetPath": "$.corporateGroups", "scope": "deleteEntity"},
        {"constant": [], "targetPath": "$.groups", "scope": "deleteEntity"}
    ]));
    let outcome = e.apply(
        "user",
        &json!({}),
        &context_with(
            Action::Delete,
            &[("entityIdTargetSystem", json!("P000100"))],
        ),
    );
    assert_eq!(
        written(outcome),
        json!({"id": "P000100", "active": false, "corporateGroups": [], "groups": []})
    );
}

#[test]
fn a_delete_without_delete_entity_mappings_deletes() {
    let e = user(json!([{"sourcePath": "$.userName", "targetPath": "$.userName"}]));
    let outcome = run(&e, Action::Delete, json!({}));
    assert_eq!(outcome, Outcome::Delete);
    assert_eq!(outcome.to_envelope(), json!({"outcome": "delete"}));
}

#[test]
fn entity_id_target_system_is_written_on_update_and_left_out_on_create() {
    // §1.6 entityIdTargetSystem: "defined by the target system ... during entity creation, or
    // is read from the Identity Provisioning database during entity modification or deletion".
    // SAP's defaults map it to $.id without "optional": on create there is no id to write.
    let e = user(json!([
        {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.id"},
        {"sourcePath": "$.userName", "targetPath": "$.userName"}
    ]));
    assert_eq!(
        create(&e, json!({"userName": "jdoe"})),
        json!({"userName": "jdoe"})
    );
    let update = e.apply(
        "user",
        &json!({"userName": "jdoe"}),
        &context_with(Action::Update, &[("entityIdTargetSystem", json!("0a1b"))]),
    );
    assert_eq!(written(update), json!({"id": "0a1b", "userName": "jdoe"}));
}

#[test]
fn target_variables_are_readable_by_later_mappings_and_reported() {
    // §1.6: a read transformation sets entityIdSourceSystem (and a target path) in one mapping.
    let userid = "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:User']['userId']";
    let e = user(json!([
        {"sourcePath": "$.id", "targetVariable": "entityIdSourceSystem", "targetPath": userid},
        {"sourceVariable": "entityIdSourceSystem", "targetPath": "$.externalId"}
    ]));
    match run(&e, Action::Create, json!({"id": "u-1"})) {
        Outcome::Written { entity, variables } => {
            assert_eq!(
                entity,
                json!({"urn:sap:cloud:scim:schemas:extension:custom:2.0:User": {"userId": "u-1"}, "externalId": "u-1"})
            );
            assert_eq!(variables.get("entityIdSourceSystem"), Some(&json!("u-1")));
            assert_eq!(
                Outcome::Written { entity, variables }.to_envelope()["variables"],
                json!({"entityIdSourceSystem": "u-1"})
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn variable_paths_select_inside_a_variable() {
    // §1.3 variablePath (LDAP, AD defaults): `membersVariable` + `$[*].value` → `$.member`.
    let e = engine(json!({"group": {"mappings": [
        {"sourcePath": "$.members", "targetVariable": "membersVariable", "preserveArrayWithSingleElement": true},
        {"sourceVariable": "membersVariable", "variablePath": "$[*].value", "targetPath": "$.member", "preserveArrayWithSingleElement": true}
    ]}}));
    let outcome = e.apply(
        "group",
        &json!({"members": [{"value": "u1"}, {"value": "u2"}]}),
        &Context::new(Action::Create),
    );
    assert_eq!(written(outcome), json!({"member": ["u1", "u2"]}));
}

#[test]
fn an_unset_custom_variable_fails_a_mandatory_mapping() {
    let e = user(json!([{"sourceVariable": "neverSet", "targetPath": "$.x"}]));
    let error = failed(run(&e, Action::Create, json!({})));
    assert!(
        error.contains("the variable neverSet is not set"),
        "{error}"
    );
}

#[test]
fn interpolated_variables_drive_conditions_by_operation() {
    // §1.6: the AS ABAP pattern — a createEntity mapping overrides operationTypeVariable on
    // create only, and conditions read it through ${…}.
    let e = user(json!([
        {"constant": "updateEntity", "targetVariable": "operationTypeVariable"},
        {"constant": "createEntity", "targetVariable": "operationTypeVariable", "scope": "createEntity"},
        {"condition": "$.active == false && '${operationTypeVariable}' == 'createEntity'", "constant": "X", "targetPath": "$.LOCK_LOCALLY"},
        {"condition": "'${operationTypeVariable}' == 'updateEntity'", "constant": "U", "targetPath": "$.LOCK"}
    ]));
    assert_eq!(
        create(&e, json!({"active": false})),
        json!({"LOCK_LOCALLY": "X"})
    );
    assert_eq!(
        written(run(&e, Action::Update, json!({"active": false}))),
        json!({"LOCK": "U"})
    );
}

#[test]
fn assign_group_takes_the_last_matching_mapping() {
    // §1.6 assignGroup: "with several conditional mappings only the last matching one applies".
    let e = user(json!([
        {"condition": "$.department == 'Sales'", "constant": [{"id": "g-sales"}], "targetVariable": "assignGroup"},
        {"condition": "$.country == 'DE'", "constant": [{"id": "g-de"}], "targetVariable": "assignGroup"},
        {"condition": "$.country == 'FR'", "constant": [{"id": "g-fr"}], "targetVariable": "assignGroup"}
    ]));
    let groups = |input| match run(&e, Action::Create, input) {
        Outcome::Written { variables, .. } => variables.get("assignGroup").cloned(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        groups(json!({"department": "Sales", "country": "DE"})),
        Some(json!([{"id": "g-de"}]))
    );
    assert_eq!(
        groups(json!({"department": "Sales"})),
        Some(json!([{"id": "g-sales"}]))
    );
    assert_eq!(groups(json!({})), None);
}

#[test]
fn current_date_is_formatted_with_the_date_property() {
    // §1.6 currentDate, default format yyyy-MM-dd HH:mm:ss.SSS, ips.date.variable.format; used
    // as '${currentDate}' in validity conditions (§1.10).
    let mappings = json!([
        {"sourceVariable": "currentDate", "targetPath": "$.stamp"},
        {"condition": "($.validityPeriod.startDate <= '${currentDate}') && ($.validityPeriod.endDate > '${currentDate}')",
         "constant": true, "targetPath": "$.valid"}
    ]);
    let mut context = Context::new(Action::Create);
    context.now = "2026-11-22T09:00:00.125Z".parse::<Timestamp>().unwrap();
    let input = json!({"validityPeriod": {"startDate": "2026-01-01", "endDate": "2027-01-01"}});
    let default = user(mappings.clone());
    assert_eq!(
        written(default.apply("user", &input, &context)),
        json!({"stamp": "2026-11-22 09:00:00.125", "valid": true})
    );
    let custom = engine_with(
        json!({"user": {"mappings": mappings}}),
        &[("ips.date.variable.format", "yyyy-MM-dd")],
    );
    assert_eq!(
        written(custom.apply("user", &input, &context)),
        json!({"stamp": "2026-11-22", "valid": true})
    );
}

#[test]
fn properties_are_substituted_in_paths_conditions_and_parameters() {
    // §1.7: `$.%ldap.attribute.user.id%[0]`, `'%key%' !== 'null'`, a missing property is `null`.
    let document = json!({"user": {"mappings": [
        {"sourcePath": "$.%ldap.attribute.user.id%[0]", "targetVariable": "entityIdSourceSystem"},
        {"condition": "'%sac.group.prefix%' !== 'null'", "constant": "%sac.group.prefix%", "targetPath": "$.prefix"},
        {"condition": "'%not.set%' === 'null'", "constant": "unset", "targetPath": "$.missing"}
    ]}});
    let e = engine_with(
        document.clone(),
        &[
            ("ldap.attribute.user.id", "uid"),
            ("sac.group.prefix", "SAC_"),
        ],
    );
    match run(&e, Action::Create, json!({"uid": ["jsmith"]})) {
        Outcome::Written { entity, variables } => {
            assert_eq!(entity, json!({"prefix": "SAC_", "missing": "unset"}));
            assert_eq!(
                variables.get("entityIdSourceSystem"),
                Some(&json!("jsmith"))
            );
        }
        other => panic!("{other:?}"),
    }
    let without = engine_with(document, &[("ldap.attribute.user.id", "uid")]);
    assert_eq!(
        create(&without, json!({"uid": ["x"]})),
        json!({"missing": "unset"})
    );
}

#[test]
fn a_property_that_breaks_a_path_is_reported_at_its_location() {
    let parsed = Transformation::from_value(&json!({"user": {"mappings": [
        {"sourcePath": "$.%attr%", "targetPath": "$.x"}]}}))
    .unwrap();
    let properties = BTreeMap::from([("attr".to_string(), "a b".to_string())]);
    let error = Engine::new(&parsed.transformation, properties).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("at user.mappings[0].sourcePath: invalid JSONPath \"$.a b\""),
        "{error}"
    );
}

#[test]
fn correlation_only_mappings_are_not_evaluated() {
    // §1.3 correlationAttribute: a mapping may have only sourcePath + correlationAttribute; it
    // marks attributes for licence counting and writes nothing.
    let e = user(json!([
        {"sourcePath": "$.userName", "targetPath": "$.userName", "correlationAttribute": true},
        {"sourcePath": "$.emails[?(@.primary== true)].value", "correlationAttribute": true}
    ]));
    assert_eq!(
        create(&e, json!({"userName": "jdoe"})),
        json!({"userName": "jdoe"})
    );
}

#[test]
fn writing_into_a_scalar_fails_the_entity_with_the_location() {
    let e = user(json!([
        {"constant": "text", "targetPath": "$.a"},
        {"constant": 1, "targetPath": "$.a.b"}
    ]));
    let error = failed(run(&e, Action::Create, json!({})));
    assert!(
        error.starts_with("user.mappings[1]: cannot write to $.a.b"),
        "{error}"
    );
}

#[test]
fn variables_given_by_the_caller_are_not_reported_as_written() {
    let e = user(json!([{"sourceVariable": "entityIdSourceSystem", "targetPath": "$.externalId"}]));
    let context = context_with(Action::Create, &[("entityIdSourceSystem", json!("s-1"))]);
    match e.apply("user", &json!({}), &context) {
        Outcome::Written { entity, variables } => {
            assert_eq!(entity, json!({"externalId": "s-1"}));
            assert_eq!(variables, Variables::new());
        }
        other => panic!("{other:?}"),
    }
}

/// An id map as `--id-map` gives it.
struct Ids(BTreeMap<(String, String), String>);

impl IdResolver for Ids {
    fn resolve(&self, request: &IdRequest<'_>) -> Option<String> {
        self.0
            .get(&(
                request.entity_type.to_string(),
                request.source_id.to_string(),
            ))
            .cloned()
    }
}

fn ids() -> Ids {
    Ids(BTreeMap::from([
        (("user".into(), "su-1".into()), "tu-1".into()),
        (("user".into(), "su-2".into()), "tu-2".into()),
        (("group".into(), "sg-1".into()), "tg-1".into()),
        (("user".into(), "mgr".into()), "tu-mgr".into()),
    ]))
}

#[test]
fn resolve_entity_ids_maps_members_through_the_relations() {
    // §1.12 IAS v2 default group part: two member mappings, users then groups; §2.3: a member
    // that was not provisioned (failed, skipped, never read) is not assigned.
    let parsed =
        Transformation::parse(sapland_transform::templates::get("ias-target-v2").unwrap()).unwrap();
    let e = Engine::new(&parsed.transformation, BTreeMap::new()).unwrap();
    let ids = ids();
    let mut context = Context::new(Action::Create);
    context.ids = &ids;
    let group = json!({"displayName": "Sales", "members": [
        {"value": "su-1"}, {"value": "sg-1"}, {"value": "unknown"}, {"value": "su-2"}]});
    assert_eq!(
        written(e.apply("group", &group, &context)),
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group"],
            "displayName": "Sales",
            "members": [{"value": "tu-1"}, {"value": "tu-2"}, {"value": "tg-1"}],
            "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group": {"name": "Sales"}
        })
    );
}

const SOURCE_PATHS: &[&str] = &[
    "$",
    "$.a",
    "$.a.b",
    "$.emails",
    "$.emails[*].value",
    "$.emails[0].value",
    "$..value",
    "$.a[-1]",
    "$['urn:x']['y']",
    "$.emails[?(@.primary == true)].value",
    "$.emails.length()",
    "$.members[*].value",
    "$.emails[*].['value','primary']",
    "$.a[1:3]",
    "$.%p%",
    "$.name.familyName",
];
const TARGET_PATHS: &[&str] = &[
    "$",
    "$.a",
    "$.a.b",
    "$.a[3]",
    "$.members[?(@.value)]",
    "$.a[*].b",
    "$..c",
    "$.emails[0].type",
    "$.x[-2]",
    "$['urn:x']['y']",
    "$.emails[*].type",
    "$.a[?(@.b == 1)].c",
    "$.schemas[0]",
];
const CONDITIONS: &[&str] = &[
    "$.a EMPTY false",
    "$.emails[0].value =~ /.*@x.com/",
    "isValidEmail($.emails[*].value)",
    "'${v}' == 'x'",
    "$.a IN ['x', 1]",
    "!($.b EMPTY true) || $.c == ''",
    "@.type NIN ['work']",
    "$.a.length() > 0",
    "'%p%' !== 'null'",
    "${v} == true",
    "isRegularGroup()",
    "(((",
];
const FUNCTION_NAMES: &[&str] = &[
    "concatString",
    "putIfAbsent",
    "putIfPresent",
    "resolveEntityIds",
    "replaceAllString",
    "replaceFirstString",
    "substring",
    "splitStringToArray",
    "elementAt",
    "toUpperCaseString",
    "randomPassword",
    "encode",
    "decode",
    "toString",
    "manipulateDate",
    "compositeId",
    "getMatchedRegexGroup",
    "matchRegex",
    "copyMapEntry",
    "renameMapEntry",
    "convertCountryCode",
    "convertTimezoneCode",
    "convertLocaleCode",
    "replaceString",
    "noSuchFunction",
];
const PARAMETERS: &[&str] = &[
    "key",
    "defaultValue",
    "regex",
    "replacement",
    "beginIndex",
    "endIndex",
    "separator",
    "index",
    "prefix",
    "suffix",
    "entityType",
    "passwordLength",
    "minimumNumberOfDigits",
    "algorithm",
    "sourceDateFormat",
    "targetDateFormat",
    "days",
    "subId",
    "sourceKey",
    "targetKey",
    "outputFormat",
    "inputAttributes",
    "outputAttribute",
    "condition",
    "applyOnElements",
    "applyOnAttribute",
    "assignToAttribute",
    "target",
    "groupIndex",
];
const TEXTS: &[&str] = &[
    "",
    "a",
    "work",
    "(?i)cn=(.*?),",
    "[\\s\\p{Punct}]",
    "$1",
    "yyyy-MM-dd",
    "-3",
    "+2",
    "99",
    "alpha2",
    "base32",
    "user",
    "${v}",
    "%p%",
    "é𝄞\u{0}",
    "(",
    "$.a",
    "@.type",
    "2026-11-22",
];

fn random_json(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.one_in(2)),
        2 => json!(rng.next() as i64 % 100),
        3 | 4 => json!(rng.pick(TEXTS)),
        5 => json!(rng.pick(&["x@x.com", "work", "home", "DE", "US", "jdoe"])),
        6 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_json(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(4))
                .map(|_| {
                    let key = rng.pick(&[
                        "a", "b", "c", "value", "type", "primary", "emails", "members", "urn:x",
                    ]);
                    (key.to_string(), random_json(rng, depth + 1))
                })
                .collect(),
        ),
    }
}

fn random_mapping(rng: &mut Rng) -> Value {
    let mut m = serde_json::Map::new();
    match rng.below(4) {
        0 => m.insert("constant".into(), random_json(rng, 0)),
        1 => m.insert(
            "sourceVariable".into(),
            json!(rng.pick(&["entityIdTargetSystem", "v", "currentDate"])),
        ),
        _ => m.insert("sourcePath".into(), json!(rng.pick(SOURCE_PATHS))),
    };
    m.insert("targetPath".into(), json!(rng.pick(TARGET_PATHS)));
    if rng.one_in(4) {
        m.insert(
            "targetVariable".into(),
            json!(rng.pick(&["v", "assignGroup", "entityIdSourceSystem"])),
        );
    }
    match rng.below(6) {
        0 => {
            m.insert("type".into(), json!("remove"));
            m.remove("constant");
            m.remove("sourcePath");
            m.remove("sourceVariable");
        }
        1 => {
            m.insert("type".into(), json!("rename"));
            m.insert("constant".into(), json!(rng.pick(&["b", "familyName", ""])));
            m.remove("sourcePath");
            m.remove("sourceVariable");
        }
        2 => {
            m.insert("type".into(), json!("valueMapping"));
            m.remove("constant");
            m.remove("sourcePath");
            m.remove("sourceVariable");
            m.insert("sourcePaths".into(), json!([rng.pick(SOURCE_PATHS)]));
            m.insert(
                "valueMappings".into(),
                json!([{"key": [random_json(rng, 2)], "mappedValue": random_json(rng, 2)}]),
            );
        }
        _ => {}
    }
    for (key, value) in [
        ("optional", json!(rng.one_in(2))),
        ("preserveArrayWithSingleElement", json!(rng.one_in(2))),
        ("defaultValue", random_json(rng, 1)),
        ("condition", json!(rng.pick(CONDITIONS))),
        (
            "scope",
            json!(rng.pick(&["createEntity", "patchEntity", "deleteEntity"])),
        ),
    ] {
        if rng.one_in(3) {
            m.insert(key.into(), value);
        }
    }
    if m.contains_key("type") && m["type"] != "valueMapping" || rng.one_in(2) {
        return Value::Object(m);
    }
    let functions: Vec<Value> = (0..1 + rng.below(2))
        .map(|_| {
            let mut f = serde_json::Map::new();
            f.insert("function".into(), json!(rng.pick(FUNCTION_NAMES)));
            for _ in 0..rng.below(5) {
                let value = match rng.below(3) {
                    0 => json!(rng.pick(TEXTS)),
                    1 => json!(rng.next() as i64 % 40 - 5),
                    _ => random_json(rng, 2),
                };
                f.insert(rng.pick(PARAMETERS).into(), value);
            }
            Value::Object(f)
        })
        .collect();
    m.insert("functions".into(), Value::Array(functions));
    Value::Object(m)
}

/// Conventions: no transformation and no entity make the engine panic. Random documents built
/// from documented pieces and hostile ones are checked; those that compile run for every
/// operation on random entities, and every kind of outcome shows up.
#[test]
fn no_transformation_or_entity_makes_the_engine_panic() {
    let mut rng = Rng(0x0005_EED0_F1B5);
    let mut compiled = 0;
    let mut outcomes = std::collections::BTreeMap::<&str, usize>::new();
    let ids = ids();
    for round in 0..3000 {
        let mappings: Vec<Value> = (0..1 + rng.below(5))
            .map(|_| random_mapping(&mut rng))
            .collect();
        let mut entity = serde_json::Map::new();
        entity.insert("mappings".into(), Value::Array(mappings));
        if rng.one_in(3) {
            entity.insert("condition".into(), json!(rng.pick(CONDITIONS)));
        }
        if rng.one_in(5) {
            entity.insert(
                "skipOperations".into(),
                json!([rng.pick(&["create", "update", "delete"])]),
            );
        }
        let document = json!({"user": entity});
        let Ok(parsed) = Transformation::from_value(&document) else {
            continue;
        };
        let properties: BTreeMap<String, String> = if rng.one_in(2) {
            BTreeMap::from([(
                "p".to_string(),
                rng.pick(&["a", "b c", "%p%", "'", "yyyy"]).to_string(),
            )])
        } else {
            BTreeMap::new()
        };
        let Ok(engine) = Engine::new(&parsed.transformation, properties) else {
            continue;
        };
        compiled += 1;
        for action in Action::ALL {
            for _ in 0..2 {
                let input = random_json(&mut rng, 0);
                let mut context = Context::new(action);
                context.ids = &ids;
                context.seed = round;
                context.variables = [("v", random_json(&mut rng, 2))].into_iter().collect();
                let outcome = engine.apply("user", &input, &context);
                *outcomes.entry(outcome.name()).or_default() += 1;
            }
        }
    }
    assert!(compiled > 500, "only {compiled} documents compiled");
    for kind in ["written", "skipped", "delete", "failed"] {
        assert!(
            outcomes.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} outcome: {outcomes:?}"
        );
    }
}

#[test]
fn constants_and_defaults_keep_their_one_element_arrays() {
    // §1.3 preserveArrayWithSingleElement concerns what a path reads; a constant array of one
    // schema stays an array (proposed).
    let e = user(json!([
        {"constant": ["urn:ietf:params:scim:schemas:core:2.0:User"], "targetPath": "$.schemas"},
        {"sourcePath": "$.missing", "optional": true, "defaultValue": ["x"], "targetPath": "$.d"}
    ]));
    assert_eq!(
        create(&e, json!({})),
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "d": ["x"]})
    );
}

fn template(name: &str) -> Engine {
    let parsed = Transformation::parse(sapland_transform::templates::get(name).unwrap()).unwrap();
    Engine::new(&parsed.transformation, BTreeMap::new()).unwrap()
}

#[test]
fn the_ias_source_default_reads_a_user_into_the_intermediate_json() {
    // §1.12 IAS source, SCIM API v2: $.id → entityIdSourceSystem and the custom userId; $.company
    // overrides the enterprise organization; an empty displayName is removed.
    let e = template("ias-source-v2");
    let ias_user = json!({
        "id": "8c2b6f0e-5a61-4e0b-9d1e-3f7a2c9b4d11",
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "jane.doe",
        "displayName": "",
        "company": "ACME",
        "emails": [{"value": "jane.doe@example.com", "primary": true}, {"value": "jd@example.org"}],
        "active": true,
        "meta": {"created": "2026-11-22T09:00:00Z"},
        "urn:ietf:params:scim:schemas:extension:sap:2.0:User": {"userId": "P000001", "userUuid": "8c2b6f0e-5a61-4e0b-9d1e-3f7a2c9b4d11"},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"organization": "Old Org", "department": "Sales"}
    });
    match e.apply("user", &ias_user, &Context::new(Action::Create)) {
        Outcome::Written { entity, variables } => {
            assert_eq!(
                variables.get("entityIdSourceSystem"),
                Some(&json!("8c2b6f0e-5a61-4e0b-9d1e-3f7a2c9b4d11"))
            );
            assert_eq!(
                entity["urn:sap:cloud:scim:schemas:extension:custom:2.0:User"]["userId"],
                json!("8c2b6f0e-5a61-4e0b-9d1e-3f7a2c9b4d11")
            );
            assert_eq!(
                entity["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                json!({"organization": "ACME", "department": "Sales"})
            );
            assert_eq!(
                entity["emails"],
                json!([{"value": "jane.doe@example.com"}, {"value": "jd@example.org"}])
            );
            assert_eq!(
                entity["schemas"],
                json!(["urn:ietf:params:scim:schemas:core:2.0:User"])
            );
            assert_eq!(entity.get("displayName"), None);
            assert_eq!(entity.get("meta"), None);
        }
        other => panic!("{other:?}"),
    }
    // v2 reads groups (v1 ignores them).
    let group = json!({"id": "g-1", "displayName": "Sales", "members": [{"value": "u-1"}],
                       "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group": {"name": "SALES"}});
    assert!(matches!(
        e.apply("group", &group, &Context::new(Action::Create)),
        Outcome::Written { .. }
    ));
}

#[test]
fn the_documented_ldap_example_flows_through_read_and_write() {
    // §1.13: MS AD source JSON → read mappings (excerpt) → IAS v1 default write transformation.
    let read = engine_with(
        json!({"user": {"mappings": [
            {"sourcePath": "$.%ldap.attribute.user.id%[0]", "targetVariable": "entityIdSourceSystem", "correlationAttribute": true},
            {"sourcePath": "$.sAMAccountName[0]", "targetPath": "$.userName"},
            {"constant": "urn:ietf:params:scim:schemas:core:2.0:User", "targetPath": "$.schemas[0]"},
            {"sourcePath": "$.mail[0]", "targetPath": "$.emails[0].value"},
            {"sourcePath": "$.givenName[0]", "targetPath": "$.name.givenName"},
            {"sourcePath": "$.sn[0]", "targetPath": "$.name.familyName"},
            {"sourcePath": "$.memberOf", "targetPath": "$.groups[?(@.value)]", "preserveArrayWithSingleElement": true}
        ]}}),
        &[("ldap.attribute.user.id", "sAMAccountName")],
    );
    let ad = json!({"sAMAccountName": ["jsmith"], "mail": ["john.smith@company.com"], "givenName": ["John"],
                    "sn": ["Smith"], "memberOf": ["group1"]});
    let Outcome::Written {
        entity: intermediate,
        variables,
    } = read.apply("user", &ad, &Context::new(Action::Create))
    else {
        panic!("the read transformation writes");
    };
    assert_eq!(
        variables.get("entityIdSourceSystem"),
        Some(&json!("jsmith"))
    );
    let write = template("ias-target-v1");
    let context = context_with(
        Action::Update,
        &[("entityIdTargetSystem", json!("P000100"))],
    );
    let out = written(write.apply("user", &intermediate, &context));
    // The documented result: id, userName, name, emails and the group as corporateGroups.
    assert_eq!(out["id"], json!("P000100"));
    assert_eq!(out["userName"], json!("jsmith"));
    assert_eq!(
        out["name"],
        json!({"givenName": "John", "familyName": "Smith"})
    );
    assert_eq!(out["emails"], json!([{"value": "john.smith@company.com"}]));
    assert_eq!(out["corporateGroups"], json!([{"value": "group1"}]));
    assert_eq!(
        out["schemas"],
        json!([
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ])
    );
}

#[test]
fn the_engine_tells_ignored_types_and_skipped_operations() {
    let e = engine(json!({
        "user": {"skipOperations": ["create"], "mappings": [{"sourcePath": "$.userName", "targetPath": "$.userName"}]},
        "group": {"ignore": true, "mappings": [{"sourcePath": "$.displayName", "targetPath": "$.displayName"}]}
    }));
    use sapland_transform::document::Operation;
    assert!(!e.ignores("user"));
    assert!(e.ignores("group"));
    assert!(e.ignores("role"));
    assert!(e.skips("user", Operation::Create));
    assert!(!e.skips("user", Operation::Delete));
    assert!(!e.skips("role", Operation::Create));
}
