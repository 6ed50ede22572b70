//! SAP's default transformations shipped as templates: they parse cleanly, round-trip, and hold
//! the content SAP publishes (`reference/ips-ias.md` §1.12, seed 001).

use sapland_transform::document::{Flag, MappingType, NamedBy, Scope, Transformation};
use sapland_transform::templates;
use serde_json::{Value, json};

fn parsed(name: &str) -> Transformation {
    let text = templates::get(name).unwrap_or_else(|| panic!("no template {name}"));
    let parsed = Transformation::parse(text).unwrap_or_else(|err| panic!("{name}: {err}"));
    assert!(
        parsed.warnings.is_empty(),
        "{name} warns: {:?}",
        parsed.warnings
    );
    parsed.transformation
}

#[test]
fn names_list_every_template_and_get_finds_each() {
    let names: Vec<&str> = templates::names().collect();
    assert_eq!(
        names,
        [
            "ias-target-v2",
            "ias-target-v1",
            "ias-source-v2",
            "local-file-source"
        ]
    );
    for name in names {
        let template = templates::find(name).unwrap();
        assert!(templates::get(name).is_some());
        // Target defaults come verbatim from identity-authentication-f217bd3.md (seed 001); the
        // source default is reconstructed from §1.12's list and says so.
        if name.starts_with("ias-target") {
            assert!(
                template.verbatim && template.source.contains("f217bd3"),
                "{name}"
            );
        } else if name == "ias-source-v2" {
            assert!(!template.verbatim && template.description.contains("reconstructed"));
            assert!(template.source.contains("e4e25f1"));
        } else {
            assert!(!template.verbatim && template.description.contains("proposed"));
        }
    }
    assert_eq!(templates::get("no-such-template"), None);
}

#[test]
fn every_template_parses_without_errors_or_warnings() {
    for name in templates::names() {
        parsed(name);
    }
}

#[test]
fn every_template_round_trips_with_member_order() {
    for name in templates::names() {
        let text = templates::get(name).unwrap();
        let original: Value = serde_json::from_str(text).unwrap();
        let written = parsed(name).to_value();
        assert_eq!(written, original, "{name}");
        assert_eq!(
            serde_json::to_string(&written).unwrap(),
            serde_json::to_string(&original).unwrap(),
            "{name}: member order"
        );
    }
}

#[test]
fn ias_target_v2_user_condition_is_sap_s() {
    // [DOC] identity-authentication-f217bd3.md: the v2 user condition.
    let t = parsed("ias-target-v2");
    let user = t.entity("user").unwrap();
    assert_eq!(
        user.condition.as_deref(),
        Some(
            "($.emails EMPTY false) && ($.userName EMPTY false) && isValidEmail($.emails[0].value)"
        )
    );
    assert!(!user.is_ignored());
    assert_eq!(user.mappings.len(), 33);
    assert_eq!(t.entity_names().collect::<Vec<_>>(), ["user", "group"]);
}

#[test]
fn ias_target_v2_copies_emails_into_the_sap_extension_on_create_only() {
    // [DOC] v2: emails go to the SAP extension with verified=true on create, without `type`,
    // and the core emails keep only their values.
    let t = parsed("ias-target-v2");
    let m = &t.entity("user").unwrap().mappings;

    assert_eq!(m[3].source_path.as_deref(), Some("$.emails"));
    assert_eq!(
        m[3].target_path.as_deref(),
        Some("$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['emails']")
    );
    assert_eq!(m[3].scope, Some(Scope::CreateEntity));
    assert!(m[3].preserve_array_with_single_element);
    assert_eq!(m[3].functions.len(), 1);
    let put = &m[3].functions[0];
    assert_eq!(
        (put.name.as_str(), put.named_by),
        ("putIfAbsent", NamedBy::Function)
    );
    assert_eq!(put.parameter("key"), Some(&json!("verified")));
    assert_eq!(put.parameter("defaultValue"), Some(&json!(true)));

    assert_eq!(m[4].kind, MappingType::Remove);
    assert_eq!(
        m[4].target_path.as_deref(),
        Some("$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['emails'][*]['type']")
    );
    assert_eq!(m[4].source_path, None);

    assert_eq!(m[5].source_path.as_deref(), Some("$.emails[*].value"));
    assert_eq!(m[5].target_path.as_deref(), Some("$.emails[?(@.value)]"));
    assert!(!m[5].optional);
}

#[test]
fn ias_target_v2_initial_password_is_ignored_by_the_string_true() {
    // [DOC] the v2 default writes "ignore": "true" (a string) on the initial-password mapping and
    // the boolean true on the source-system mappings.
    let t = parsed("ias-target-v2");
    let m = &t.entity("user").unwrap().mappings;
    let password = m
        .iter()
        .find(|m| m.target_path.as_deref() == Some("$.password"))
        .unwrap();
    assert_eq!(password.ignore, Flag::Text("true".into()));
    assert!(password.is_ignored());
    assert_eq!(password.constant, Some(json!("<your-initial-password>")));
    assert_eq!(password.scope, Some(Scope::CreateEntity));
    let ignored: Vec<_> = m.iter().filter(|m| m.is_ignored()).collect();
    assert_eq!(ignored.len(), 3);
    assert_eq!(ignored[1].ignore, Flag::Bool(true));
}

#[test]
fn ias_target_v2_sets_sap_flags_on_create_and_defaults() {
    let t = parsed("ias-target-v2");
    let m = &t.entity("user").unwrap().mappings;
    let by_target = |target: &str| {
        m.iter()
            .find(|m| m.target_path.as_deref() == Some(target))
            .unwrap_or_else(|| panic!("no mapping to {target}"))
    };
    let send_mail =
        by_target("$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['sendMail']");
    assert_eq!(send_mail.constant, Some(json!(false)));
    assert_eq!(send_mail.scope, Some(Scope::CreateEntity));
    let user_type = by_target("$.userType");
    assert_eq!(user_type.default_value, Some(json!("employee")));
    assert!(user_type.optional);
    let addresses = by_target("$.addresses");
    assert_eq!(addresses.default_value, Some(json!([])));
    assert_eq!(
        addresses.functions[1].condition(),
        Some("(@.type NIN ['work', 'home'])")
    );
    assert_eq!(
        m[0].source_variable.as_deref(),
        Some("entityIdTargetSystem")
    );
    assert_eq!(m[0].target_path.as_deref(), Some("$.id"));
}

#[test]
fn ias_target_v2_group_resolves_user_and_group_members() {
    let t = parsed("ias-target-v2");
    let group = t.entity("group").unwrap();
    assert!(!group.is_ignored(), "v2 groups are not ignored");
    let members: Vec<_> = group
        .mappings
        .iter()
        .filter(|m| m.target_path.as_deref() == Some("$.members[?(@.value)]"))
        .collect();
    assert_eq!(members.len(), 2);
    for (mapping, entity_type) in members.iter().zip(["user", "group"]) {
        let f = &mapping.functions[0];
        assert_eq!(
            (f.name.as_str(), f.named_by),
            ("resolveEntityIds", NamedBy::Type)
        );
        assert_eq!(f.text("entityType"), Some(entity_type));
    }
}

#[test]
fn ias_target_v1_uses_string_flags_and_ignores_groups() {
    // [DOC] v1: sendMail/mailVerified/sourceSystem are strings; the group section is ignored.
    let t = parsed("ias-target-v1");
    let user = t.entity("user").unwrap();
    assert_eq!(
        user.condition.as_deref(),
        Some(
            "($.emails.length() > 0) && ($.name.familyName EMPTY false) && isValidEmail($.emails[0].value)"
        )
    );
    assert_eq!(user.mappings.len(), 28);
    assert_eq!(
        user.mappings[0].target_path.as_deref(),
        Some("$.corporateGroups")
    );
    let constants: Vec<_> = user
        .mappings
        .iter()
        .filter(|m| m.scope == Some(Scope::CreateEntity))
        .map(|m| m.constant.clone().unwrap())
        .collect();
    assert_eq!(
        constants,
        [
            json!("false"),
            json!("true"),
            json!("disabled"),
            json!("39")
        ]
    );
    let last = user.mappings.last().unwrap();
    assert_eq!(
        (last.source_path.as_deref(), last.target_path.as_deref()),
        (Some("$.timezone"), Some("$.timeZone"))
    );

    let group = t.entity("group").unwrap();
    assert_eq!(group.ignore, Flag::Bool(true));
    let name = &group.mappings[2];
    let replace = &name.functions[0];
    assert_eq!(replace.name, "replaceAllString");
    assert_eq!(replace.text("regex"), Some(r"[\s\p{Punct}]"));
    assert_eq!(replace.text("replacement"), Some("_"));
}

#[test]
fn template_expressions_are_all_found() {
    let t = parsed("ias-target-v2");
    let expressions = t.expressions();
    assert_eq!(
        expressions[0].text,
        "($.emails EMPTY false) && ($.userName EMPTY false) && isValidEmail($.emails[0].value)"
    );
    assert!(
        expressions
            .iter()
            .any(|e| e.path.to_string() == "$.user.mappings[10].functions[1].condition")
    );
}
