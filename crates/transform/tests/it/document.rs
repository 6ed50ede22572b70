//! The transformation document: every key of `reference/ips-ias.md` §1.2–§1.3 read into the
//! model, every problem reported with its location, and no panic on any input.

use sapland_transform::document::{
    EntitySpec, ExpressionKind, Flag, Mapping, MappingType, NamedBy, Operation, Problem, Scope,
    TransformError, Transformation,
};
use serde_json::{Value, json};

use crate::random::Rng;

fn parse_ok(text: &str) -> (Transformation, Vec<Problem>) {
    match Transformation::parse(text) {
        Ok(parsed) => (parsed.transformation, parsed.warnings),
        Err(err) => panic!("expected a valid transformation: {err}"),
    }
}

fn errors(text: &str) -> Vec<Problem> {
    match Transformation::parse(text) {
        Ok(parsed) => panic!("expected errors, got {:?}", parsed.transformation),
        Err(TransformError::Invalid { errors, .. }) => errors,
        Err(other) => panic!("expected validation errors, got {other}"),
    }
}

/// `(location, message)` of each problem, for compact assertions.
fn summary(problems: &[Problem]) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| (p.location(), p.message.clone()))
        .collect()
}

fn user(mappings: Value) -> String {
    json!({"user": {"mappings": mappings}}).to_string()
}

fn first_mapping(t: &Transformation) -> &Mapping {
    &t.entity("user").unwrap().mappings[0]
}

#[test]
fn reads_entity_level_keys() {
    // [DOC] §1.2: condition, ignore, skipOperations, scimEntityEndpoint, mappings.
    let (t, warnings) = parse_ok(
        r#"{"user": {"condition": "$.emails EMPTY false", "ignore": false,
             "skipOperations": ["update", "delete"], "scimEntityEndpoint": "Users",
             "mappings": [{"sourcePath": "$.userName", "targetPath": "$.userName"}]},
            "group": {"ignore": true}}"#,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let user = t.entity("user").unwrap();
    assert_eq!(user.condition.as_deref(), Some("$.emails EMPTY false"));
    assert!(!user.is_ignored());
    assert_eq!(user.skip_operations, [Operation::Update, Operation::Delete]);
    assert_eq!(user.scim_entity_endpoint.as_deref(), Some("Users"));
    assert_eq!(user.mappings.len(), 1);
    let group = t.entity("group").unwrap();
    assert!(group.is_ignored());
    assert!(group.mappings.is_empty());
}

#[test]
fn reads_every_mapping_key() {
    // [DOC] §1.3: every mapping key.
    let (t, warnings) = parse_ok(&user(json!([{
        "sourcePath": "$.a", "targetPath": "$.b", "sourceVariable": "v", "targetVariable": "w",
        "variablePath": "$[*].value", "optional": true, "defaultValue": {"x": 1},
        "preserveArrayWithSingleElement": true, "condition": "$.a EMPTY false",
        "scope": "deleteEntity", "ignore": false, "correlationAttribute": true,
        "functions": [{"function": "toLowerCaseString", "locale": "de_DE"}]
    }])));
    let m = first_mapping(&t);
    assert_eq!(m.source_path.as_deref(), Some("$.a"));
    assert_eq!(m.target_path.as_deref(), Some("$.b"));
    assert_eq!(m.source_variable.as_deref(), Some("v"));
    assert_eq!(m.target_variable.as_deref(), Some("w"));
    assert_eq!(m.variable_path.as_deref(), Some("$[*].value"));
    assert!(m.optional);
    assert_eq!(m.default_value, Some(json!({"x": 1})));
    assert!(m.preserve_array_with_single_element);
    assert_eq!(m.condition.as_deref(), Some("$.a EMPTY false"));
    assert_eq!(m.scope, Some(Scope::DeleteEntity));
    assert_eq!(m.ignore, Flag::Bool(false));
    assert!(m.correlation_attribute);
    assert_eq!(m.kind, MappingType::Set);
    assert_eq!(m.functions[0].name, "toLowerCaseString");
    assert_eq!(m.functions[0].text("locale"), Some("de_DE"));
    // Reading from both sourcePath and sourceVariable is worth a warning, nothing more.
    assert_eq!(
        summary(&warnings),
        [(
            "user.mappings[0]".to_string(),
            "the mapping reads from sourcePath and sourceVariable: IPS documents one source per mapping, and which one wins is not documented".to_string()
        )]
    );
}

#[test]
fn constants_take_every_json_type() {
    // [DOC] §1.3: String, Integer, Boolean, JSONObject and arrays of them.
    for constant in [
        json!("x"),
        json!(42),
        json!(false),
        json!({"a": [1]}),
        json!(["a", "b"]),
        json!([1, 2]),
        json!([true]),
        json!([{"id": "g1"}]),
        json!([]),
    ] {
        let (t, _) = parse_ok(&user(json!([{"constant": constant, "targetPath": "$.x"}])));
        assert_eq!(first_mapping(&t).constant, Some(constant));
    }
}

#[test]
fn default_value_null_is_distinct_from_absent() {
    let (t, _) = parse_ok(&user(json!([
        {"sourcePath": "$.a", "targetPath": "$.a", "optional": true, "defaultValue": null},
        {"sourcePath": "$.b", "targetPath": "$.b", "optional": true}
    ])));
    let m = &t.entity("user").unwrap().mappings;
    assert_eq!(m[0].default_value, Some(Value::Null));
    assert_eq!(m[1].default_value, None);
    assert_eq!(
        t.to_value()["user"]["mappings"][0]["defaultValue"],
        Value::Null
    );
    assert!(
        t.to_value()["user"]["mappings"][1]
            .as_object()
            .unwrap()
            .get("defaultValue")
            .is_none()
    );
}

#[test]
fn ignore_is_a_boolean_or_the_string_true_or_false() {
    // [DOC] §1.3: the IAS v2 default target writes "ignore": "true".
    let (t, _) = parse_ok(&user(json!([
        {"constant": "x", "targetPath": "$.a", "ignore": "true"},
        {"constant": "x", "targetPath": "$.b", "ignore": "false"},
        {"constant": "x", "targetPath": "$.c", "ignore": true}
    ])));
    let m = &t.entity("user").unwrap().mappings;
    assert!(m[0].is_ignored());
    assert_eq!(m[0].ignore, Flag::Text("true".into()));
    assert!(!m[1].is_ignored());
    assert!(m[2].is_ignored());
    assert_eq!(t.to_value()["user"]["mappings"][0]["ignore"], json!("true"));

    let found = errors(&user(
        json!([{"constant": "x", "targetPath": "$.a", "ignore": "yes"}]),
    ));
    assert_eq!(
        summary(&found),
        [(
            "user.mappings[0].ignore".to_string(),
            "expected true or false (or the string \"true\" or \"false\"), found the string \"yes\"".to_string()
        )]
    );
}

#[test]
fn functions_are_named_by_function_or_type() {
    // [DOC] §1.8: both spellings appear in SAP's defaults.
    let (t, warnings) = parse_ok(&user(json!([{
        "sourcePath": "$.members[*].value", "targetPath": "$.members[?(@.value)]",
        "functions": [
            {"entityType": "group", "type": "resolveEntityIds"},
            {"function": "concatString", "suffix": 123, "applyOnElements": true}
        ]
    }])));
    assert!(warnings.is_empty(), "{warnings:?}");
    let f = &first_mapping(&t).functions;
    assert_eq!(
        (f[0].name.as_str(), f[0].named_by),
        ("resolveEntityIds", NamedBy::Type)
    );
    assert_eq!(f[0].parameters.len(), 1);
    assert_eq!(f[0].text("entityType"), Some("group"));
    assert_eq!(
        (f[1].name.as_str(), f[1].named_by),
        ("concatString", NamedBy::Function)
    );
    assert_eq!(f[1].parameter("suffix"), Some(&json!(123)));
    assert!(f[1].apply_on_elements());
}

#[test]
fn value_mappings_are_read() {
    // [DOC] §1.4: the timezone lookup example.
    let (t, warnings) = parse_ok(&user(json!([{
        "sourcePaths": ["$.country", "$.city"], "defaultValue": "UTC", "targetPath": "$.timezone",
        "type": "valueMapping",
        "valueMappings": [
            {"key": ["US", "New York"], "mappedValue": "EST"},
            {"key": ["US", "Dallas"], "mappedValue": "CST"},
            {"key": ["Germany", "Berlin"], "mappedValue": "CET"}
        ]
    }])));
    assert!(warnings.is_empty(), "{warnings:?}");
    let m = first_mapping(&t);
    assert_eq!(m.kind, MappingType::ValueMapping);
    assert_eq!(
        m.source_paths.as_deref(),
        Some(&["$.country".to_string(), "$.city".to_string()][..])
    );
    let entries = m.value_mappings.as_ref().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[1].key, [json!("US"), json!("Dallas")]);
    assert_eq!(entries[1].mapped_value, json!("CST"));
}

#[test]
fn documented_exceptions_need_no_source_or_no_target() {
    // [DOC] §1.3/§1.4/§1.8: remove needs no source; a correlation mapping no target;
    // randomPassword no source; rename reads its constant.
    let (_, warnings) = parse_ok(&user(json!([
        {"type": "remove", "targetPath": "$.groups"},
        {"condition": "$.displayName EMPTY true", "type": "remove", "targetPath": "$.displayName"},
        {"sourcePath": "$.emails[?(@.primary== true)].value", "correlationAttribute": true},
        {"targetPath": "$.password", "functions": [{
            "function": "randomPassword", "passwordLength": 16,
            "minimumNumberOfLowercaseLetters": 4, "minimumNumberOfUppercaseLetters": 4,
            "minimumNumberOfDigits": 4, "minimumNumberOfSpecialSymbols": 4,
            "specialSymbols": ",.<>/?~`!@#"}]},
        {"targetPath": "$.name.lastName", "constant": "familyName", "type": "rename", "optional": true},
        {"sourceVariable": "membersVariable", "variablePath": "$[*].value", "targetPath": "$.member"}
    ])));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn unknown_members_are_kept_and_warned_with_position() {
    let text = "{\n  \"user\": {\n    \"mappings\": [\n      {\"sourcePath\": \"$.a\", \"targetpath\": \"$.a\", \"targetPath\": \"$.a\"}\n    ],\n    \"comment\": \"mine\"\n  }\n}";
    let (t, warnings) = parse_ok(text);
    let found = summary(&warnings);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "user.mappings[0].targetpath");
    assert!(
        found[0].1.starts_with("targetpath is not a member of a mapping that IPS documents (did you mean targetPath?) (kept as written; known: sourcePath, "),
        "{}",
        found[0].1
    );
    assert_eq!((warnings[0].line, warnings[0].column), (4, 43));
    assert_eq!(found[1].0, "user.comment");
    assert_eq!((warnings[1].line, warnings[1].column), (6, 16));
    let user: &EntitySpec = t.entity("user").unwrap();
    assert_eq!(user.extra.get("comment"), Some(&json!("mine")));
    assert_eq!(
        user.mappings[0].extra.get("targetpath"),
        Some(&json!("$.a"))
    );
    assert_eq!(
        serde_json::to_string(&t).unwrap(),
        serde_json::to_string(&serde_json::from_str::<Value>(text).unwrap()).unwrap()
    );
}

#[test]
fn round_trip_keeps_member_order_and_spelling() {
    let text = r#"{"group": {"mappings": [
        {"scope": "createEntity", "optional": false, "sourcePath": "$.displayName",
         "targetPath": "$.x", "functions": [{"regex": "[\\s]", "type": "replaceAllString", "replacement": "_"}]},
        {"type": "set", "constant": null, "targetPath": "$.y", "ignore": "TRUE"}],
      "ignore": false, "x-note": [1, 2]},
     "user": {"skipOperations": [], "mappings": []}}"#;
    let (t, _) = parse_ok(text);
    let original: Value = serde_json::from_str(text).unwrap();
    assert_eq!(t.to_value(), original);
    assert_eq!(
        serde_json::to_string(&t).unwrap(),
        serde_json::to_string(&original).unwrap()
    );
    assert_eq!(t.entity_names().collect::<Vec<_>>(), ["group", "user"]);
}

#[test]
fn a_mapping_built_in_code_serialises_in_sap_order() {
    let mapping = Mapping {
        source_path: Some("$.userName".into()),
        target_path: Some("$.userName".into()),
        optional: true,
        scope: Some(Scope::CreateEntity),
        ..Mapping::default()
    };
    assert_eq!(
        serde_json::to_string(&mapping).unwrap(),
        r#"{"sourcePath":"$.userName","targetPath":"$.userName","optional":true,"scope":"createEntity"}"#
    );
}

#[test]
fn malformed_json_reports_line_and_column() {
    let err = Transformation::parse("{\"user\": {\n  \"mappings\": [,]}}").unwrap_err();
    let TransformError::Json(json) = &err else {
        panic!("expected a JSON error, got {err}");
    };
    assert_eq!((json.line, json.column), (2, 16));
    assert_eq!(
        err.to_string(),
        "the transformation is not valid JSON: line 2, column 16, at user.mappings[0]: expected value"
    );
    assert_eq!(err.problems().len(), 1);
    for text in ["", "   ", "{", "[1,", "\"", "{\"user\": }", "{} x", "nul"] {
        assert!(matches!(
            Transformation::parse(text),
            Err(TransformError::Json(_))
        ));
    }
}

#[test]
fn the_document_and_entities_must_be_objects() {
    assert_eq!(
        summary(&errors("[]")),
        [(
            "the document".to_string(),
            "expected a JSON object of entity types, such as {\"user\": {\"mappings\": [...]}}, found an array".to_string()
        )]
    );
    let found = errors(r#"{"user": [], "group": {"mappings": {}}, "role": {"mappings": [1]}}"#);
    assert_eq!(
        summary(&found),
        [
            (
                "user".to_string(),
                "expected the user entity type as an object with mappings, such as {\"mappings\": [...]}, found an array".to_string()
            ),
            (
                "group.mappings".to_string(),
                "expected an array of mappings, found an object".to_string()
            ),
            (
                "role.mappings[0]".to_string(),
                "expected a mapping object such as {\"sourcePath\": \"$.userName\", \"targetPath\": \"$.userName\"}, found a number".to_string()
            ),
        ]
    );
}

#[test]
fn wrong_types_name_the_member_and_what_was_expected() {
    let found = errors(&user(json!([{
        "sourcePath": 7, "targetPath": "$.a", "optional": "yes",
        "preserveArrayWithSingleElement": 1, "condition": ["x"], "sourceVariable": null
    }])));
    assert_eq!(
        summary(&found),
        [
            (
                "user.mappings[0].sourcePath".into(),
                "expected a JSONPath (a string), found a number".into()
            ),
            (
                "user.mappings[0].optional".into(),
                "expected true or false, found a string".into()
            ),
            (
                "user.mappings[0].preserveArrayWithSingleElement".into(),
                "expected true or false, found a number".into()
            ),
            (
                "user.mappings[0].condition".into(),
                "expected a condition (a string), found an array".into()
            ),
            (
                "user.mappings[0].sourceVariable".into(),
                "expected a variable name (a string), found null".into()
            ),
        ] as [(String, String); 5]
    );
}

#[test]
fn unknown_type_scope_and_operation_list_the_allowed_values() {
    let found = errors(
        r#"{"user": {"skipOperations": ["create", "Delete", 3], "mappings": [
            {"sourcePath": "$.a", "targetPath": "$.a", "type": "copy"},
            {"sourcePath": "$.a", "targetPath": "$.a", "scope": "updateEntity"},
            {"sourcePath": "$.a", "targetPath": "$.a", "scope": "createentity"},
            {"sourcePath": "$.a", "targetPath": "$.a", "type": 1}]}}"#,
    );
    assert_eq!(
        summary(&found),
        [
            ("user.skipOperations[1]".into(), "unknown operation \"Delete\": expected one of create, update, delete (did you mean delete?)".into()),
            ("user.skipOperations[2]".into(), "expected an operation name (create, update, delete), found a number".into()),
            ("user.mappings[0].type".into(), "unknown mapping type \"copy\": expected one of set, remove, rename, valueMapping".into()),
            ("user.mappings[1].scope".into(), "unknown scope \"updateEntity\" (IPS has no updateEntity scope: mappings without a scope apply on create and update): expected one of createEntity, patchEntity, deleteEntity".into()),
            ("user.mappings[2].scope".into(), "unknown scope \"createentity\" (did you mean createEntity?): expected one of createEntity, patchEntity, deleteEntity".into()),
            ("user.mappings[3].type".into(), "expected a mapping type (set, remove, rename, valueMapping), found a number".into()),
        ] as [(String, String); 6]
    );
}

#[test]
fn value_mapping_needs_source_paths_entries_and_matching_keys() {
    let found = errors(&user(json!([
        {"type": "valueMapping", "targetPath": "$.tz", "valueMappings": [{"key": ["US"], "mappedValue": "EST"}]},
        {"type": "valueMapping", "sourcePaths": ["$.country"], "targetPath": "$.tz"},
        {"type": "valueMapping", "sourcePaths": ["$.country", "$.city"], "targetPath": "$.tz",
         "valueMappings": [
            {"key": ["US", "Dallas"], "mappedValue": "CST"},
            {"key": ["US"], "mappedValue": "EST"},
            {"key": "US", "mappedValue": "EST"},
            {"mappedValue": "EST", "note": 1}]},
        {"type": "valueMapping", "sourcePaths": [], "valueMappings": []}
    ])));
    assert_eq!(
        summary(&found),
        [
            ("user.mappings[0]".into(), "a valueMapping needs sourcePaths, the paths whose values are looked up, such as \"sourcePaths\": [\"$.country\", \"$.city\"]".into()),
            ("user.mappings[1]".into(), "a valueMapping needs valueMappings, such as \"valueMappings\": [{\"key\": [\"US\"], \"mappedValue\": \"EST\"}]".into()),
            ("user.mappings[2].valueMappings[1].key".into(), "key has 1 value(s) but sourcePaths has 2 path(s): each key needs one value per source path, in the same order".into()),
            ("user.mappings[2].valueMappings[2].key".into(), "expected an array with one value per source path, such as [\"US\", \"Dallas\"], found a string".into()),
            ("user.mappings[2].valueMappings[3]".into(), "a valueMappings entry needs key, an array with one value per source path".into()),
            ("user.mappings[3]".into(), "the valueMapping writes nowhere: set targetPath or targetVariable".into()),
            ("user.mappings[3].sourcePaths".into(), "a valueMapping needs at least one path in sourcePaths".into()),
        ] as [(String, String); 7]
    );
}

#[test]
fn mappings_that_read_nothing_or_write_nowhere_are_errors() {
    let found = errors(&user(json!([
        {"targetPath": "$.a"},
        {"sourcePath": "$.a"},
        {"optional": true},
        {"correlationAttribute": true},
        {"sourcePaths": ["$.a"], "targetPath": "$.a"},
        {"type": "remove"}
    ])));
    let reads = "the mapping reads nothing: set sourcePath, sourceVariable or constant (only remove mappings and randomPassword functions need no source)";
    let writes = "the mapping writes nowhere: set targetPath or targetVariable (only a correlationAttribute mapping may have no target)";
    assert_eq!(
        summary(&found),
        [
            ("user.mappings[0]".into(), reads.into()),
            ("user.mappings[1]".into(), writes.into()),
            ("user.mappings[2]".into(), reads.into()),
            ("user.mappings[2]".into(), writes.into()),
            ("user.mappings[3]".into(), reads.into()),
            ("user.mappings[4]".into(), "the mapping reads nothing: set sourcePath, sourceVariable or constant (sourcePaths is only read by \"type\": \"valueMapping\") (only remove mappings and randomPassword functions need no source)".into()),
            ("user.mappings[5]".into(), "a remove mapping needs targetPath, the path to delete from the output".into()),
        ] as [(String, String); 7]
    );
}

#[test]
fn rename_needs_a_string_constant() {
    let found = errors(&user(json!([
        {"targetPath": "$.name.lastName", "type": "rename"},
        {"targetPath": "$.name.lastName", "type": "rename", "constant": 5},
        {"constant": "familyName", "type": "rename"}
    ])));
    assert_eq!(
        summary(&found),
        [
            ("user.mappings[0]".into(), "a rename mapping needs the new name of the last element of targetPath as a string constant, such as \"constant\": \"familyName\"".into()),
            ("user.mappings[1].constant".into(), "a rename mapping needs the new name as a string constant, such as \"constant\": \"familyName\"; found a number".into()),
            ("user.mappings[2]".into(), "a rename mapping needs targetPath, whose last element it renames".into()),
        ] as [(String, String); 3]
    );
}

#[test]
fn functions_must_be_known_and_have_their_mandatory_parameters() {
    // [DOC] transformation-functions: "Required: Yes" parameters.
    let found = errors(&user(json!([{
        "sourcePath": "$.a", "targetPath": "$.a",
        "functions": [
            {"function": "concatstring", "prefix": "x"},
            {"function": "putIfAbsent", "key": "type"},
            {"type": "getMatchedRegexGroup"},
            {"function": "isValidEmail"},
            {"key": "type"},
            {"function": "encode", "algorithm": "base16"},
            {"function": "substring", "beginIndex": {"n": 1}},
            {"function": "toString", "type": "toUpperCaseString"},
            "toString",
            {"function": "elementAt"}
        ]
    }])));
    let found = summary(&found);
    let expected: [(&str, &str); 10] = [
        (
            "user.mappings[0].functions[0].function",
            "unknown function \"concatstring\" (did you mean concatString?): expected one of compositeId, concatString, ",
        ),
        (
            "user.mappings[0].functions[1]",
            "putIfAbsent is missing its mandatory parameter defaultValue",
        ),
        (
            "user.mappings[0].functions[2]",
            "getMatchedRegexGroup is missing its mandatory parameters regex, groupIndex",
        ),
        (
            "user.mappings[0].functions[3].function",
            "isValidEmail is a conditional function: it works only inside a condition string, such as \"condition\": \"isValidEmail($.emails[0].value)\"",
        ),
        (
            "user.mappings[0].functions[4]",
            "the function has no name: set \"function\" (or \"type\") to one of compositeId, ",
        ),
        (
            "user.mappings[0].functions[5].algorithm",
            "unknown algorithm \"base16\" for encode (did you mean base32?): expected one of base32, base64",
        ),
        (
            "user.mappings[0].functions[6].beginIndex",
            "substring's beginIndex must be an integer, found an object",
        ),
        (
            "user.mappings[0].functions[7]",
            "function and type name different functions (\"toString\" and \"toUpperCaseString\"): name the function once, in function or type",
        ),
        (
            "user.mappings[0].functions[8]",
            "expected a function object such as {\"function\": \"putIfAbsent\", \"key\": \"type\", \"defaultValue\": \"work\"}, found a string",
        ),
        (
            "user.mappings[0].functions[9]",
            "elementAt is missing its mandatory parameter index",
        ),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((location, message), (want_location, want_message)) in found.iter().zip(expected) {
        assert_eq!(location, want_location);
        assert!(
            message.starts_with(want_message),
            "{location}: {message}\n  wanted: {want_message}"
        );
    }
}

#[test]
fn function_parameters_are_checked_and_placeholders_left_alone() {
    let (_, warnings) = parse_ok(&user(json!([{
        "sourcePath": "$.a", "targetPath": "$.a",
        "functions": [
            {"function": "convertCountryCode", "outputFormat": "%country.format%",
             "inputAttributes": ["country"], "outputAttribute": "country"},
            {"function": "manipulateDate", "days": "3", "hours": "+2", "targetDateFormat": "MM/dd/yyyy"},
            {"function": "getMatchedRegexGroup", "regex": "${nestedPathRegex}", "groupIndex": 1},
            {"function": "matchRegex", "regex": ".*_COMP", "applyOnJsonAttribute": "X", "assignToAttribute": "c"},
            {"function": "concatString", "sufix": "x"}
        ]
    }])));
    assert_eq!(
        summary(&warnings),
        [
            ("user.mappings[0].functions[3].applyOnJsonAttribute".into(), "applyOnJsonAttribute is the deprecated name of applyOnAttribute".into()),
            ("user.mappings[0].functions[4].sufix".into(), "sufix is not a parameter of concatString (did you mean suffix?) (kept; documented: prefix, suffix, condition, applyOnElements, applyOnAttribute, applyOnJsonAttribute, assignToAttribute)".into()),
        ] as [(String, String); 2]
    );
}

#[test]
fn every_problem_is_reported_at_once_in_document_order_with_positions() {
    let text = "{\n  \"user\": {\n    \"mappings\": [\n      {\"targetPath\": \"$.a\"},\n      {\"sourcePath\": \"$.b\", \"targetPath\": \"$.b\", \"scope\": \"create\"}\n    ]\n  },\n  \"group\": {\"ignore\": 1}\n}";
    let err = Transformation::parse(text).unwrap_err();
    let problems = err.problems();
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.location(), p.line, p.column))
            .collect::<Vec<_>>(),
        [
            ("user.mappings[0]".to_string(), 4, 7),
            ("user.mappings[1].scope".to_string(), 5, 59),
            ("group.ignore".to_string(), 8, 23),
        ]
    );
    let rendered = err.to_string();
    assert!(
        rendered.starts_with("3 problem(s) in the transformation\n  line 4, column 7, at user.mappings[0]: the mapping reads nothing"),
        "{rendered}"
    );
}

#[test]
fn errors_carry_the_warnings_found_beside_them() {
    let err =
        Transformation::parse(&user(json!([{"targetPath": "$.a", "colour": 1}]))).unwrap_err();
    let TransformError::Invalid { errors, warnings } = err else {
        panic!("expected validation errors");
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(warnings[0].location(), "user.mappings[0].colour");
}

#[test]
fn from_value_checks_without_positions() {
    let value = json!({"user": {"mappings": [{"targetPath": "$.a"}]}});
    let err = Transformation::from_value(&value).unwrap_err();
    let problems = err.problems();
    assert_eq!((problems[0].line, problems[0].column), (0, 0));
    assert_eq!(
        problems[0].to_string(),
        "at user.mappings[0]: the mapping reads nothing: set sourcePath, sourceVariable or constant (only remove mappings and randomPassword functions need no source)"
    );
    let ok = json!({"user": {"mappings": [{"sourcePath": "$", "targetPath": "$"}]}});
    assert!(Transformation::from_value(&ok).is_ok());
}

#[test]
fn warnings_for_empty_documents_and_entities_without_mappings() {
    let (_, warnings) = parse_ok("{}");
    assert_eq!(warnings[0].location(), "the document");
    let (_, warnings) =
        parse_ok(r#"{"user": {"condition": "$.a EMPTY false"}, "group": {"ignore": true}}"#);
    assert_eq!(
        summary(&warnings),
        [(
            "user".to_string(),
            "user has no mappings: entities of this type produce empty JSON".to_string()
        )]
    );
}

#[test]
fn problems_serialise_with_the_readable_location() {
    let problems = errors(&user(json!([{"targetPath": "$.a"}])));
    let value = serde_json::to_value(&problems[0]).unwrap();
    assert_eq!(value["path"], "user.mappings[0]");
    assert_eq!(value["line"], 1);
}

#[test]
fn expressions_are_listed_with_their_locations() {
    let (t, _) = parse_ok(&user(json!([
        {"condition": "$.a EMPTY false", "sourcePath": "$.a", "targetPath": "$.b",
         "functions": [{"function": "putIfAbsent", "key": "k", "defaultValue": 1, "condition": "@.k == 1"}]},
        {"type": "valueMapping", "sourcePaths": ["$.x", "$.y"], "targetPath": "$.z",
         "valueMappings": [{"key": [1, 2], "mappedValue": 3}]},
        {"sourceVariable": "v", "variablePath": "$[*].value", "targetVariable": "w"}
    ])));
    let found: Vec<(ExpressionKind, &str, String)> = t
        .expressions()
        .into_iter()
        .map(|e| (e.kind, e.text, e.path.to_string()))
        .collect();
    assert_eq!(
        found,
        [
            (
                ExpressionKind::MappingCondition,
                "$.a EMPTY false",
                "$.user.mappings[0].condition".to_string()
            ),
            (
                ExpressionKind::SourcePath,
                "$.a",
                "$.user.mappings[0].sourcePath".to_string()
            ),
            (
                ExpressionKind::TargetPath,
                "$.b",
                "$.user.mappings[0].targetPath".to_string()
            ),
            (
                ExpressionKind::FunctionCondition,
                "@.k == 1",
                "$.user.mappings[0].functions[0].condition".to_string()
            ),
            (
                ExpressionKind::SourcePath,
                "$.x",
                "$.user.mappings[1].sourcePaths[0]".to_string()
            ),
            (
                ExpressionKind::SourcePath,
                "$.y",
                "$.user.mappings[1].sourcePaths[1]".to_string()
            ),
            (
                ExpressionKind::TargetPath,
                "$.z",
                "$.user.mappings[1].targetPath".to_string()
            ),
            (
                ExpressionKind::VariablePath,
                "$[*].value",
                "$.user.mappings[2].variablePath".to_string()
            ),
        ]
    );
}

const KEYS: &[&str] = &[
    "user",
    "group",
    "mappings",
    "condition",
    "ignore",
    "skipOperations",
    "scimEntityEndpoint",
    "sourcePath",
    "sourcePaths",
    "targetPath",
    "sourceVariable",
    "targetVariable",
    "variablePath",
    "constant",
    "type",
    "optional",
    "defaultValue",
    "preserveArrayWithSingleElement",
    "scope",
    "functions",
    "correlationAttribute",
    "valueMappings",
    "key",
    "mappedValue",
    "function",
    "regex",
    "passwordLength",
    "outputFormat",
    "entityType",
    "applyOnElements",
    "x",
    "",
];

const WORDS: &[&str] = &[
    "set",
    "remove",
    "rename",
    "valueMapping",
    "createEntity",
    "deleteEntity",
    "updateEntity",
    "create",
    "update",
    "putIfAbsent",
    "randomPassword",
    "resolveEntityIds",
    "convertCountryCode",
    "isValidEmail",
    "true",
    "false",
    "$.a",
    "$",
    "%p%",
    "${v}",
    "",
    "é\u{0}\"\\",
    "alpha2",
];

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    let leaf = depth > 5 || rng.below(3) == 0;
    match if leaf { rng.below(5) } else { 5 + rng.below(2) } {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => json!(rng.next() as i64 % 1000),
        3 => json!(rng.below(1000) as f64 / 7.0),
        4 => Value::String(rng.pick(WORDS).to_string()),
        5 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(6))
                .map(|_| (rng.pick(KEYS).to_string(), random_value(rng, depth + 1)))
                .collect(),
        ),
    }
}

#[test]
fn no_input_makes_the_parser_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut accepted = 0;
    for _ in 0..4000 {
        let value = random_value(&mut rng, 0);
        let text = if rng.below(2) == 0 {
            value.to_string()
        } else {
            serde_json::to_string_pretty(&value).unwrap()
        };
        if let Ok(parsed) = Transformation::parse(&text) {
            accepted += 1;
            // What is accepted writes back as it was read.
            let read: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(parsed.transformation.to_value(), read);
        }
        let _ = Transformation::from_value(&value);
    }
    assert!(accepted > 0);

    // Mutations of a real document: cut it, drop or duplicate a character, nest it deeply.
    let base = sapland_transform::templates::get("ias-target-v2").unwrap();
    let chars: Vec<char> = base.chars().collect();
    for _ in 0..600 {
        let mut mutated = chars.clone();
        let at = rng.below(mutated.len());
        match rng.below(4) {
            0 => mutated.truncate(at),
            1 => {
                mutated.remove(at);
            }
            2 => mutated.insert(at, mutated[at]),
            _ => {
                mutated[at] = rng
                    .pick(&["{", "}", "[", "]", ",", ":", "\"", "1", " "])
                    .chars()
                    .next()
                    .unwrap()
            }
        }
        let text: String = mutated.into_iter().collect();
        let _ = Transformation::parse(&text);
    }
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(Transformation::parse(&deep).is_err());
    let wide = format!(
        "{{\"user\": {{\"mappings\": [{}]}}}}",
        vec!["{}"; 5_000].join(",")
    );
    assert!(Transformation::parse(&wide).is_err());
}

#[test]
fn paths_conditions_and_functions_are_compiled_when_the_document_is_read() {
    // Every problem at once, with its position: a path, a condition, a target ending in a
    // function, a regex that does not compile; placeholders wait for substitution.
    let text = r#"{"user": {"condition": "$.emails EMPTY", "mappings": [
  {"sourcePath": "$.a[", "targetPath": "$.a"},
  {"sourcePath": "$.a", "targetPath": "$.emails.length()"},
  {"sourcePath": "$.dn", "targetPath": "$.x", "functions": [{"function": "getMatchedRegexGroup", "regex": "(?i)cn=(.*", "groupIndex": 1}]},
  {"sourcePath": "$.%attr%", "targetPath": "$.y", "functions": [{"function": "replaceAllString", "regex": "${pattern}", "replacement": "_"}]}
]}}"#;
    let problems = Transformation::parse(text).unwrap_err().problems();
    let found: Vec<(String, usize)> = problems.iter().map(|p| (p.location(), p.line)).collect();
    assert_eq!(
        found,
        [
            ("user.condition".to_string(), 1),
            ("user.mappings[0].sourcePath".to_string(), 2),
            ("user.mappings[1].targetPath".to_string(), 3),
            ("user.mappings[2].functions[0].regex".to_string(), 4),
        ]
    );
    assert!(
        problems[0]
            .message
            .starts_with("invalid condition \"$.emails EMPTY\""),
        "{}",
        problems[0].message
    );
    assert!(
        problems[2].message.contains("ends in a function"),
        "{}",
        problems[2].message
    );
}
