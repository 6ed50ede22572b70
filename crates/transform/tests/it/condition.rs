//! The condition language: every condition of SAP's default transformations and documentation
//! parses and decides as IPS does (`reference/ips-ias.md` §1.6, §1.7, §1.10, §1.11, §1.12, §7.4,
//! §7.5; seed 001).

use std::collections::BTreeMap;

use sapland_transform::condition::{Condition, ConditionError, JavaRegex};
use sapland_transform::templates;
use serde_json::{Value, json};

use crate::random::Rng;

fn c(text: &str) -> Condition {
    Condition::parse(text).unwrap_or_else(|err| panic!("{text}: {err}"))
}

fn eval(text: &str, doc: &Value) -> bool {
    c(text)
        .evaluate(doc, None)
        .unwrap_or_else(|err| panic!("{text}: {err}"))
}

fn eval_at(text: &str, doc: &Value, current: &Value) -> bool {
    c(text)
        .evaluate(doc, Some(current))
        .unwrap_or_else(|err| panic!("{text}: {err}"))
}

fn props(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn user() -> Value {
    json!({
        "userName": "jsmith",
        "name": {"givenName": "John", "familyName": "Smith", "honorificPrefix": "Dr."},
        "emails": [{"value": "john.smith@company.com", "primary": true, "type": "work"},
                   {"value": "john@home.example", "type": "home"}],
        "displayName": "John Smith",
        "active": true,
        "groups": [{"value": "g1", "display": "ABC"}],
        "validityPeriod": {"startDate": "2026-01-01 00:00:00.000",
                           "endDate": "2027-01-01 00:00:00.000"}
    })
}

const V2_USER: &str =
    "($.emails EMPTY false) && ($.userName EMPTY false) && isValidEmail($.emails[0].value)";
const V1_USER: &str =
    "($.emails.length() > 0) && ($.name.familyName EMPTY false) && isValidEmail($.emails[0].value)";
const ADDRESS_TYPE: &str = "(@.type NIN ['work', 'home'])";
const APPLICATION_ID: &str =
    "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['applicationId'] EMPTY false";

/// [DOC] §1.6, §1.7, §1.10, §1.12, seed 001: every condition the reference quotes, as written
/// (with `%property%` / `${variable}` still in quotes where SAP puts them) and after substitution.
const DOCUMENTED_CONDITIONS: &[&str] = &[
    V2_USER,
    V1_USER,
    ADDRESS_TYPE,
    APPLICATION_ID,
    "$.emails[?(@.primary == true)].value == []",
    "$.name.honorificPrefix IN ['Mr.', 'Mrs.', 'Ms.', 'Dr.']",
    "$.memberOf contains 'group1'",
    "($.validityPeriod.startDate <= '${currentDate}') && ($.validityPeriod.endDate > '${currentDate}')",
    "($.validityPeriod.startDate <= '2026-11-22 10:00:00.000') && ($.validityPeriod.endDate > '2026-11-22 10:00:00.000')",
    "$.groups EMPTY true || $.groups[?(@.display === 'XYZ' )] empty true",
    "$.emails[0].value =~ /.*@example.com/",
    "!($.email EMPTY false) || $.email == '' || $.email == ' '",
    "'%ips.application.id%' !== 'null'",
    "'null' !== 'null'",
    "'%sac.group.prefix%' !== 'null'",
    "$.displayName EMPTY true",
    "('${nestedPathVariable}' != '')",
    "$.active == false && '${operationTypeVariable}' == 'createEntity'",
    "'${operationTypeVariable}' == 'updateEntity'",
    "$.active == false && 'createEntity' == 'createEntity'",
    "$.emails[0].length() > 0",
    "@.type != 'Group'",
    "('%sac.group.prefix%' !== 'null') && (@ =~ /%sac.group.prefix%.*/)",
    "('SAC_' !== 'null') && (@ =~ /SAC_.*/)",
    "('null' === 'null') || ($.displayName =~ /prefix.*/)",
    "isAttributeWithMandatoryPrefix(@, sac.group.prefix)",
    "isAttributeWithMandatoryPrefix($.displayName, s4hana.afc.group.prefix)",
    "isAttributeWithOptionalPrefix($.displayName, s4hana.afc.group.prefix)",
    "%s4hana.cloud.hr.switch.active% != null && %s4hana.cloud.hr.switch.active% == true",
    "true != null && true == true",
    "null != null && null == true",
    "isRegularGroup()",
    "isApplicationSpecificGroup()",
    "isValidEmail($.emails[*].value)",
    "$.emails[?(@.value)]",
    "$.groups[?(@.display =~ /ABC.*/)] empty false",
];

/// [DOC] §1.10, §1.12, seed 001: every documented condition parses.
#[test]
fn every_documented_condition_parses() {
    for text in DOCUMENTED_CONDITIONS {
        let condition = c(text);
        assert_eq!(condition.as_str(), *text);
        assert_eq!(condition.to_string(), *text);
    }
}

fn collect_conditions(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, v) in object {
                match (key.as_str(), v) {
                    ("condition", Value::String(s)) => out.push(s.clone()),
                    _ => collect_conditions(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_conditions(v, out)),
        _ => {}
    }
}

/// [DOC] seed 001: every condition of the shipped default transformations parses and is one of
/// the documented ones.
#[test]
fn every_condition_of_the_shipped_templates_parses() {
    for name in templates::names() {
        let doc: Value = serde_json::from_str(templates::get(name).unwrap()).unwrap();
        let mut found = Vec::new();
        collect_conditions(&doc, &mut found);
        let verbatim = templates::find(name).unwrap().verbatim;
        assert!(!verbatim || found.len() >= 2, "{name}: {found:?}");
        for text in found {
            c(&text);
            // Templates that are not SAP's verbatim text are checked for syntax only.
            if !verbatim {
                continue;
            }
            assert!(
                DOCUMENTED_CONDITIONS.contains(&text.as_str()),
                "{name}: {text} missing from the documented list"
            );
        }
    }
}

/// [DOC] §7.5 (inferred wrapping): bare and `[?( … )]`-wrapped conditions decide alike.
#[test]
fn bare_and_wrapped_conditions_agree() {
    let docs = [
        user(),
        json!({}),
        json!({"emails": [], "userName": ""}),
        json!({"emails": null}),
    ];
    for text in DOCUMENTED_CONDITIONS {
        let wrapped = format!("[?({text})]");
        for doc in &docs {
            assert_eq!(
                c(text).evaluate(doc, None),
                c(&wrapped).evaluate(doc, None),
                "{text} on {doc}"
            );
        }
    }
    assert!(eval("[?($.emails EMPTY false)]", &user()));
    assert!(eval(" [? ( $.emails EMPTY false ) ] ", &user()));
}

/// [DOC] §1.12 (IAS v2 / Local Identity Directory target): the user condition.
#[test]
fn ias_v2_user_condition() {
    assert!(eval(V2_USER, &user()));
    let mut no_user_name = user();
    no_user_name.as_object_mut().unwrap().remove("userName");
    assert!(!eval(V2_USER, &no_user_name));
    assert!(!eval(V2_USER, &json!({"userName": "x", "emails": []})));
    assert!(!eval(V2_USER, &json!({"userName": "x", "emails": null})));
    assert!(!eval(
        V2_USER,
        &json!({"userName": "", "emails": [{"value": "a@b.com"}]})
    ));
    assert!(!eval(
        V2_USER,
        &json!({"userName": "x", "emails": [{"value": "not-an-email"}]})
    ));
    assert!(eval(
        V2_USER,
        &json!({"userName": "x", "emails": [{"value": "a@b.com"}]})
    ));
}

/// [DOC] §1.12, seed 001 (IAS v1 target): the user condition uses `length()`.
#[test]
fn ias_v1_user_condition() {
    assert!(eval(V1_USER, &user()));
    assert!(!eval(
        V1_USER,
        &json!({"emails": [], "name": {"familyName": "S"}})
    ));
    assert!(!eval(V1_USER, &json!({"name": {"familyName": "S"}})));
    assert!(!eval(
        V1_USER,
        &json!({"emails": [{"value": "a@b.com"}], "name": {}})
    ));
    assert!(eval(
        V1_USER,
        &json!({"emails": [{"value": "a@b.com"}], "name": {"familyName": "S"}})
    ));
}

/// [DOC] §1.10, §7.4: `EMPTY` counts missing and null as empty (IPS, unlike plain Jayway).
#[test]
fn empty_counts_missing_and_null_as_empty() {
    let doc = json!({"n": null, "s": "", "a": [], "o": {}, "full": "x", "list": [1]});
    for empty in ["$.missing", "$.n", "$.s", "$.a", "$.o", "$.nothing[?(@.x)]"] {
        assert!(eval(&format!("{empty} EMPTY true"), &doc), "{empty}");
        assert!(!eval(&format!("{empty} EMPTY false"), &doc), "{empty}");
    }
    for full in ["$.full", "$.list"] {
        assert!(eval(&format!("{full} empty false"), &doc), "{full}");
        assert!(!eval(&format!("{full} empty true"), &doc), "{full}");
    }
    assert!(eval(
        "$.displayName EMPTY true",
        &json!({"displayName": ""})
    ));
}

/// [DOC] §1.10: "no primary e-mail" — an indefinite path that matches nothing is `[]`.
#[test]
fn no_primary_email() {
    let text = "$.emails[?(@.primary == true)].value == []";
    assert!(!eval(text, &user()));
    assert!(eval(text, &json!({"emails": [{"value": "a@b.com"}]})));
    assert!(eval(text, &json!({})));
}

/// [DOC] §1.10: `IN` a list, `contains` on an array (the AD `memberOf` example, §1.13).
#[test]
fn in_and_contains() {
    let text = "$.name.honorificPrefix IN ['Mr.', 'Mrs.', 'Ms.', 'Dr.']";
    assert!(eval(text, &user()));
    assert!(!eval(text, &json!({"name": {"honorificPrefix": "Prof."}})));
    assert!(!eval(text, &json!({})));
    let ad = json!({"memberOf": ["group1"], "memberOf_2": ["group21", "group22"]});
    assert!(eval("$.memberOf contains 'group1'", &ad));
    assert!(!eval("$.memberOf_2 contains 'group1'", &ad));
    assert!(eval("$.memberOf_2[0] contains 'oup2'", &ad), "substring");
    assert!(eval("'group22' in $.memberOf_2", &ad));
    assert!(eval("$.memberOf subsetof ['group1', 'x']", &ad));
    assert!(eval("$.memberOf_2 anyof ['group22', 'x']", &ad));
    assert!(eval("$.memberOf_2 noneof ['x']", &ad));
    assert!(eval("$.memberOf_2 all ['group21']", &ad));
    assert!(eval("$.memberOf_2 size 2", &ad));
    assert!(eval("$.memberOf exists true && $.nope exists false", &ad));
}

/// [DOC] §1.12, seed 001: the address function condition, with `@` as each address.
#[test]
fn address_type_function_condition() {
    let doc = user();
    assert!(!eval_at(ADDRESS_TYPE, &doc, &json!({"type": "work"})));
    assert!(!eval_at(ADDRESS_TYPE, &doc, &json!({"type": "home"})));
    assert!(eval_at(ADDRESS_TYPE, &doc, &json!({"type": "other"})));
    assert!(eval_at(ADDRESS_TYPE, &doc, &json!({"region": "BW"})));
    assert!(eval_at("@.type != 'Group'", &doc, &json!({"type": "User"})));
    assert!(!eval_at(
        "@.type != 'Group'",
        &doc,
        &json!({"type": "Group"})
    ));
}

/// proposed: without a current value, `@` is the document (the implicit `$[?(…)]`, §7.5).
#[test]
fn at_without_a_current_value_is_the_document() {
    assert!(eval("@.userName == 'jsmith'", &user()));
    assert!(eval("@.userName == $.userName", &user()));
}

/// [DOC] §1.6: `'${currentDate}'` comparisons, after substitution, compare the date strings.
#[test]
fn current_date_window() {
    let window = |date: &str| {
        format!("($.validityPeriod.startDate <= '{date}') && ($.validityPeriod.endDate > '{date}')")
    };
    assert!(eval(&window("2026-11-22 10:00:00.000"), &user()));
    assert!(!eval(&window("2027-01-01 00:00:00.000"), &user()));
    assert!(!eval(&window("2025-12-31 23:59:59.999"), &user()));
}

/// [DOC] §1.10: `===` type-safe equality over `EMPTY` and a filter.
#[test]
fn groups_empty_or_without_xyz() {
    let text = "$.groups EMPTY true || $.groups[?(@.display === 'XYZ' )] empty true";
    assert!(eval(text, &user()));
    assert!(eval(text, &json!({})));
    assert!(!eval(text, &json!({"groups": [{"display": "XYZ"}]})));
}

/// [DOC] §1.10, [JP] RelationalOperator: `=~` is a whole-string Java regex match; `/…/i` flags.
#[test]
fn regex_is_a_whole_string_match() {
    let text = "$.emails[0].value =~ /.*@example.com/";
    assert!(eval(text, &json!({"emails": [{"value": "a@example.com"}]})));
    assert!(!eval(
        text,
        &json!({"emails": [{"value": "a@example.com.evil"}]})
    ));
    assert!(!eval(
        text,
        &json!({"emails": [{"value": "a@EXAMPLE.com"}]})
    ));
    assert!(eval(
        "$.emails[0].value =~ /.*@example.com/i",
        &json!({"emails": [{"value": "a@EXAMPLE.com"}]})
    ));
    assert!(
        eval("$.emails[*].value =~ /.*@home.*/", &user()),
        "any element of a list"
    );
    assert!(
        eval("/J.*/ =~ $.name.givenName", &user()),
        "pattern on the left"
    );
    assert!(eval("$.active =~ /true/", &user()));
    assert!(
        eval("$.missing =~ /.*/", &user()),
        "Jayway matches undefined as ''"
    );
    assert!(eval("$.displayName =~ /John\\sSmith/", &user()));
    assert!(eval("$.displayName =~ /[\\s\\p{Punct}\\w]+/", &user()));
    assert!(eval("$.path =~ /a\\/b/", &json!({"path": "a/b"})));
}

/// [DOC] §1.7 and the brief: `%property%` substitution leaves conditions like these, which must
/// parse and decide.
#[test]
fn substituted_property_conditions() {
    assert!(!eval("'null' !== 'null'", &user()));
    assert!(eval("'SAC_' !== 'null'", &user()));
    let text = "('null' === 'null') || ($.displayName =~ /prefix.*/)";
    assert!(eval(text, &user()));
    assert!(eval(
        "('x' === 'null') || ($.displayName =~ /John.*/)",
        &user()
    ));
    assert!(eval("true != null && true == true", &user()));
    assert!(!eval("null != null && null == true", &user()));
    let group = json!({"displayName": "SAC_Admins"});
    let prefixed = "('SAC_' !== 'null') && (@ =~ /SAC_.*/)";
    assert!(eval_at(prefixed, &group, &json!("SAC_Admins")));
    assert!(!eval_at(prefixed, &group, &json!("Other")));
}

/// [DOC] §1.6 (AS ABAP): variables substituted into quoted strings.
#[test]
fn substituted_variable_conditions() {
    let inactive = json!({"active": false});
    assert!(eval(
        "$.active == false && 'createEntity' == 'createEntity'",
        &inactive
    ));
    assert!(!eval(
        "$.active == false && 'updateEntity' == 'createEntity'",
        &inactive
    ));
    assert!(eval("('x' != '')", &inactive));
    assert!(!eval("('' != '')", &inactive));
}

/// [DOC] §1.10: `!( … )` negates; with `||` the "no e-mail" test.
#[test]
fn negation() {
    let text = "!($.email EMPTY false) || $.email == '' || $.email == ' '";
    assert!(eval(text, &json!({})));
    assert!(eval(text, &json!({"email": " "})));
    assert!(!eval(text, &json!({"email": "a@b.com"})));
    assert!(eval("!!($.email EMPTY true)", &json!({})));
    assert!(
        eval("!$.email", &json!({})),
        "Jayway's !path: does not exist"
    );
}

/// [DOC] §1.8: `isValidEmail` with the documented Java regex (atomic groups), on one value or a
/// list.
#[test]
fn is_valid_email() {
    let doc = json!({"emails": [{"value": "john.smith@company.com"}, {"value": "x@y.de"}],
                     "bad": [{"value": "john.smith@company.com"}, {"value": "nope"}]});
    assert!(eval("isValidEmail($.emails[0].value)", &doc));
    assert!(eval("isValidEmail($.emails[*].value)", &doc));
    assert!(!eval("isValidEmail($.bad[*].value)", &doc));
    assert!(!eval("isValidEmail($.missing[0].value)", &doc));
    assert!(!eval("isValidEmail($.nothing[*].value)", &doc));
    assert!(eval("isValidEmail('a.b@c-d.example')", &doc));
    assert!(!eval("isValidEmail('a b@c.example')", &doc));
}

/// [DOC] §1.8: `isRegularGroup()` is true when `supportedOperations` or `applicationId` is
/// missing; `isApplicationSpecificGroup()` compares `applicationId` with `ips.application.id`.
#[test]
fn group_functions() {
    let ext = "urn:ietf:params:scim:schemas:extension:sap:2.0:Group";
    let regular = json!({"displayName": "G"});
    let half = json!({"displayName": "G", ext: {"applicationId": "app-1"}});
    let app = json!({"displayName": "G",
                     ext: {"applicationId": "app-1", "supportedOperations": "readWrite"}});
    assert!(eval("isRegularGroup()", &regular));
    assert!(eval("isRegularGroup()", &half));
    assert!(!eval("isRegularGroup()", &app));
    assert!(eval(APPLICATION_ID, &app));
    assert!(!eval(APPLICATION_ID, &regular));

    let set = props(&[("ips.application.id", "app-1")]);
    let other = props(&[("ips.application.id", "app-2")]);
    let check = |doc: &Value, p: &BTreeMap<String, String>| {
        c("isApplicationSpecificGroup()")
            .evaluate_with(doc, None, p)
            .unwrap()
    };
    assert!(check(&app, &set));
    assert!(!check(&app, &other));
    assert!(!check(&regular, &set));
    assert!(!eval("isApplicationSpecificGroup()", &app), "no properties");
}

/// [DOC] §1.8: the prefix functions take a property **name** and read its value.
#[test]
fn prefix_functions() {
    let set = props(&[
        ("s4hana.afc.group.prefix", "AFC_"),
        ("sac.group.prefix", "SAC_"),
    ]);
    let none = props(&[]);
    let run = |text: &str, doc: &Value, current: Option<&Value>, p: &BTreeMap<String, String>| {
        c(text).evaluate_with(doc, current, p).unwrap()
    };
    let mandatory = "isAttributeWithMandatoryPrefix($.displayName, s4hana.afc.group.prefix)";
    let optional = "isAttributeWithOptionalPrefix($.displayName, s4hana.afc.group.prefix)";
    let good = json!({"displayName": "AFC_Admins"});
    let bad = json!({"displayName": "Admins"});
    let missing = json!({});
    assert!(run(mandatory, &good, None, &set));
    assert!(!run(mandatory, &bad, None, &set));
    assert!(!run(mandatory, &missing, None, &set));
    assert!(!run(mandatory, &good, None, &none));
    assert!(run(optional, &good, None, &set));
    assert!(!run(optional, &bad, None, &set));
    assert!(run(optional, &missing, None, &set));
    assert!(run(optional, &bad, None, &none));
    let at = "isAttributeWithMandatoryPrefix(@, sac.group.prefix)";
    assert!(run(at, &missing, Some(&json!("SAC_x")), &set));
    assert!(
        !run(at, &missing, Some(&json!("sac_x")), &set),
        "case-sensitive"
    );
    assert!(run(
        "isAttributeWithMandatoryPrefix(@, 'sac.group.prefix')",
        &missing,
        Some(&json!(["SAC_a", "SAC_b"])),
        &set
    ));
}

/// [JP] EvaluatorFactory: comparisons across types (decided and documented in the module).
#[test]
fn comparisons_across_types() {
    let doc =
        json!({"n": 5, "s": "5", "t": "abc", "b": true, "z": null, "a": [1, 2], "o": {"k": 1}});
    assert!(eval("$.n == '5'", &doc));
    assert!(eval("$.s == 5", &doc));
    assert!(!eval("$.n === '5'", &doc));
    assert!(eval("$.n !== '5'", &doc));
    assert!(!eval("$.b == 'true'", &doc));
    assert!(eval("$.b == true", &doc));
    assert!(eval("$.z == null", &doc));
    assert!(!eval("$.missing == null", &doc));
    assert!(eval("$.a == [1, 2.0]", &doc));
    assert!(eval("$.o == {'k': 1}", &doc));
    assert!(eval("$.t > 'abb'", &doc));
    assert!(eval("$.n < 6 && $.n <= 5 && $.n >= 5 && $.n > 4.5", &doc));
    assert!(!eval("$.b < 6", &doc));
    assert!(!eval("$.t < $.missing", &doc));
}

/// Every bare path or function is a test of its own; literals other than booleans are errors.
#[test]
fn tests_without_operators() {
    assert!(eval("$.userName", &user()));
    assert!(!eval("$.nope", &user()));
    assert!(eval("$.emails[?(@.primary)]", &user()));
    assert!(!eval("$.groups[?(@.display == 'none')]", &user()));
    assert!(eval("true", &user()));
    assert!(!eval("false || false", &user()));
    assert!(Condition::parse("'text'").is_err());
    assert!(Condition::parse("42").is_err());
}

/// A regex that exceeds the backtracking limit makes evaluation fail, naming the regex position.
#[test]
fn runaway_regex_is_an_evaluation_error() {
    let doc = json!({"s": format!("{}c", "a".repeat(40))});
    let err: ConditionError = c("$.s =~ /(a|aa)+(?=b)/").evaluate(&doc, None).unwrap_err();
    assert_eq!(err.position, 7);
    assert!(err.message.contains("could not be evaluated"), "{err}");
}

/// Java regex syntax is translated (§8: `(?i)`, atomic groups, `\p{Punct}`).
#[test]
fn java_regex_features() {
    let punct = JavaRegex::new("[\\s\\p{Punct}]").unwrap();
    assert!(punct.matches("_").unwrap());
    assert!(!punct.matches("a").unwrap());
    assert!(
        JavaRegex::new("(?i)cn=.*?,(.*?),OU=testUsers")
            .unwrap()
            .matches("CN=test10,OU=subUsers,OU=testUsers")
            .unwrap()
    );
    assert!(!JavaRegex::new("(?>ab|a)b").unwrap().matches("ab").unwrap());
    assert_eq!(JavaRegex::new("\\d").unwrap().translated(), "[0-9]");
}

/// Syntax errors give the position and what was expected.
#[test]
fn syntax_errors_are_precise() {
    for (text, position, fragment) in [
        ("", 0, "expected a condition"),
        ("$.a EMPTY", 9, "expected a path"),
        ("$.a EMPTY 'x'", 10, "true or false"),
        ("$.a IN 'x'", 7, "a list"),
        ("$.a == 'x", 7, "unterminated string"),
        ("$.a =~ /x", 7, "unterminated regex"),
        ("$.a =~ /[x/", 10, "invalid regex"),
        ("$.a =~ /x/g", 10, "unknown regex flag 'g'"),
        ("$.a =~ /\\K/", 8, "unsupported escape \\K"),
        ("$.a == 1 &&", 11, "expected a path"),
        ("$.a == 1 & $.b", 9, "expected '&&', '||' or the end"),
        ("($.a == 1", 9, "expected ')' to close the '('"),
        ("$.a == 1)", 8, "unbalanced ')'"),
        ("$.a LIKE 'x'", 4, "unknown operator 'LIKE'"),
        ("$.a <> 1", 4, "unknown operator '<>'"),
        ("isValid($.a)", 0, "unknown function 'isValid'"),
        ("isValidEmail($.a", 16, "to close isValidEmail("),
        ("$.a == undefined", 7, "unexpected word 'undefined'"),
        ("$.a == [1, 2", 12, "',' or ']'"),
        ("$.a == 1e999", 7, "out of range"),
        ("[?($.a)", 7, "']' to close '[?'"),
        ("$.a[?(@.b == 1] == 1", 14, "expected ')'"),
        ("$.é == 'x' &&& 1", 13, "expected a path"),
    ] {
        let err = Condition::parse(text).unwrap_err();
        assert!(err.message.contains(fragment), "{text}: {err}");
        assert_eq!(err.position, position, "{text}: {err}");
    }
}

/// Conventions: any input gets a value or an error, never a panic — deep nesting is refused with
/// an error, unterminated strings and regexes and stray characters are errors, and random token
/// soup evaluates (when it parses) without panicking.
#[test]
fn hostile_conditions_never_panic() {
    for deep in [
        "(".repeat(100_000),
        format!("{}$.a{}", "(".repeat(65), ")".repeat(65)),
        "!".repeat(100_000),
        format!("$.a[?({}", "@.b[?(".repeat(100)),
        format!("$.a == {}", "[".repeat(100_000)),
        format!("$.a == {}", "{'a':".repeat(1000)),
        format!("isValidEmail({}", "isValidEmail(".repeat(1000)),
    ] {
        let err = Condition::parse(&deep).unwrap_err();
        assert!(
            err.message.contains("too deeply") || err.message.contains("unknown word"),
            "{}: {err}",
            &deep[..20]
        );
    }
    let ok = format!("{}$.a{}", "(".repeat(60), ")".repeat(60));
    assert!(Condition::parse(&ok).is_ok());

    let mut inputs: Vec<String> = Vec::new();
    for text in DOCUMENTED_CONDITIONS {
        for (i, _) in text.char_indices() {
            inputs.push(text[..i].to_string());
            let mut without = text.to_string();
            without.remove(i);
            inputs.push(without);
        }
    }
    for stray in [
        "\u{0}", "é", "𝄞", "\\", "'", "\"", "/", "#", "$$", "@@", "]]", ";",
    ] {
        inputs.push(format!("$.a == 1 {stray}"));
        inputs.push(format!("{stray} $.a"));
    }
    let tokens = [
        "$",
        "@",
        ".a",
        "[0]",
        "[*]",
        "[?(",
        ")]",
        "(",
        ")",
        "'x'",
        "\"y\"",
        "1",
        "-2.5",
        "true",
        "null",
        "[1,'a']",
        "{'k':1}",
        "==",
        "!=",
        "===",
        "<",
        ">=",
        "=~",
        "/a.*/i",
        "/(/",
        " in ",
        " NIN ",
        " empty ",
        " size ",
        "&&",
        "||",
        "!",
        " ",
        "isValidEmail(",
        "isRegularGroup()",
        ",",
        "length()",
        "\\",
        "'",
    ];
    let mut rng = Rng(7);
    for _ in 0..30_000 {
        let len = rng.below(10) + 1;
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(rng.pick(&tokens));
        }
        inputs.push(text);
    }
    let doc = user();
    let mut parsed = 0;
    for text in &inputs {
        if let Ok(condition) = Condition::parse(text) {
            parsed += 1;
            let _ = condition.evaluate(&doc, None);
            let _ = condition.evaluate(&doc, Some(&json!("x")));
        }
    }
    assert!(parsed > 1000, "only {parsed} inputs parsed");
}
