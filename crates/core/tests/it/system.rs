//! System exports, the property catalogue and credentials
//! (reference/ips-ias.md §1.14 [TUT] export format, §2.8 [DOC] properties).

use std::collections::BTreeMap;

use sapland_core::scim::Secret;
use sapland_core::system::resolve as resolve_system;
use sapland_core::system::{
    AccessMode, Authentication, IasApiVersion, Location, Origin, ResolvedSystem, Role, Secrets,
    SystemExport, resolve,
};

const SOURCE: &str = include_str!("../../../../examples/systems/ias-source.json");
const TARGET: &str = include_str!("../../../../examples/systems/ias-target.json");

fn secrets() -> Secrets {
    let mut secrets = Secrets::default();
    secrets.insert("IAS Source", "Password", Secret::new("source-secret"));
    secrets.insert("IAS Target", "Password", Secret::new("target-secret"));
    secrets
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn resolved(text: &str) -> ResolvedSystem {
    resolve(text, &secrets(), no_env).unwrap()
}

fn problems(text: &str, secrets: &Secrets) -> Vec<sapland_core::system::Problem> {
    match resolve_system(text, secrets, no_env) {
        Err(sapland_core::system::ResolveError::Invalid(problems)) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

fn with_property(text: &str, key: &str, value: &str) -> String {
    let mut export: serde_json::Value = serde_json::from_str(text).unwrap();
    export["properties"][key] = value.into();
    serde_json::to_string_pretty(&export).unwrap()
}

#[test]
fn a_real_format_export_keeps_every_member() {
    let export = SystemExport::from_json(SOURCE).unwrap();
    assert_eq!(export.access_mode, AccessMode::Read);
    assert_eq!(export.connector_type.as_str(), "SAP_CLOUD_IDENTITY");
    assert_eq!(export.extra["tenantId"], "sapland-demo");
    assert_eq!(export.extra["systemManagementType"], "CUSTOMER_MANAGED");
    let round_trip = serde_json::to_value(&export).unwrap();
    let original: serde_json::Value = serde_json::from_str(SOURCE).unwrap();
    assert_eq!(round_trip, original);
}

#[test]
fn target_export_lists_its_related_source_and_transformation_sections() {
    let export = SystemExport::from_json(TARGET).unwrap();
    assert_eq!(export.role(), Role::Target);
    assert_eq!(
        export.related_systems,
        ["5d3b7c1e-2f4a-4e8b-9c61-0a7f3e2d1b94"]
    );
    assert_eq!(
        export.transformation_sections(),
        [("user".to_string(), 6), ("group".to_string(), 3)]
    );
}

/// [DOC] `ias.api.version` absent ⇒ 1.
#[test]
fn api_version_defaults_to_1_when_absent() {
    let mut export: serde_json::Value = serde_json::from_str(TARGET).unwrap();
    export["properties"]
        .as_object_mut()
        .unwrap()
        .remove("ias.api.version");
    let system = resolved(&export.to_string());
    assert_eq!(system.ias_api_version(), Some(IasApiVersion::V1));
    let property = system
        .properties
        .iter()
        .find(|p| p.name == "ias.api.version")
        .unwrap();
    assert_eq!(property.origin, Origin::Default);
    assert_eq!(resolved(TARGET).ias_api_version(), Some(IasApiVersion::V2));
}

/// [DOC] target defaults: unique attribute userName, conflict resolution on, PUT not PATCH,
/// retries 2 every 30 s.
#[test]
fn documented_defaults_fill_in_for_a_target() {
    let mut export: serde_json::Value = serde_json::from_str(TARGET).unwrap();
    export["properties"]
        .as_object_mut()
        .unwrap()
        .remove("ias.user.unique.attribute");
    let system = resolved(&export.to_string());
    assert_eq!(system.user_unique_attributes(), ["userName"]);
    assert!(system.flag("ias.user.automatic.conflict.resolution"));
    assert!(!system.flag("ias.support.patch.operation"));
    assert_eq!(system.retry_attempts(), 2);
    assert_eq!(system.retry_interval().as_secs(), 30);
    assert_eq!(
        system.value("ias.patch.group.members.above.threshold"),
        Some("20000")
    );
    assert_eq!(system.value("ias.bulk.operations.max.count"), Some("20"));
}

#[test]
fn source_only_defaults_do_not_show_on_targets_and_the_reverse() {
    let target = resolved(TARGET);
    assert_eq!(target.value("ips.trace.failed.entity.content"), None);
    let source = resolved(SOURCE);
    assert_eq!(source.value("ias.user.unique.attribute"), None);
    assert_eq!(
        source.value("ips.trace.skipped.entity.content"),
        Some("false")
    );
}

/// [DOC] a comma list of unique attributes means all must match.
#[test]
fn a_comma_list_of_unique_attributes_splits() {
    assert_eq!(
        resolved(TARGET).user_unique_attributes(),
        ["userName", "emails[0].value"]
    );
    assert_eq!(resolved(TARGET).delete_threshold("users"), Some(100));
}

#[test]
fn custom_properties_are_kept_and_marked_unknown() {
    let system = resolved(TARGET);
    let custom = system
        .properties
        .iter()
        .find(|p| p.name == "company.prefix")
        .unwrap();
    assert!(!custom.known);
    assert_eq!(custom.origin, Origin::Export);
}

/// [DOC] `ips.failed.request.retry.attempts` max 3.
#[test]
fn five_retry_attempts_is_an_error_that_names_the_property_and_its_line() {
    let text = with_property(TARGET, "ips.failed.request.retry.attempts", "5");
    let problems = problems(&text, &secrets());
    assert_eq!(problems.len(), 1, "{problems:?}");
    let problem = &problems[0];
    assert!(
        problem
            .message
            .starts_with("ips.failed.request.retry.attempts: 5 is above the maximum 3"),
        "{}",
        problem.message
    );
    let Location::Export { path, line, .. } = &problem.location else {
        panic!()
    };
    assert_eq!(
        path.to_string(),
        "$.properties['ips.failed.request.retry.attempts']"
    );
    let expected_line = text
        .lines()
        .position(|l| l.contains("ips.failed.request.retry.attempts\""))
        .unwrap()
        + 1;
    assert_eq!(*line, expected_line);
}

/// [DOC] retry interval max 60 s.
#[test]
fn interval_above_sixty_seconds_is_an_error() {
    let text = with_property(TARGET, "ips.failed.request.retry.attempts.interval", "90");
    assert!(
        problems(&text, &secrets())[0]
            .message
            .contains("above the maximum 60")
    );
}

/// [DOC] `Authentication` values are case-sensitive.
#[test]
fn authentication_in_the_wrong_case_is_an_error_that_suggests_the_right_one() {
    let text = with_property(TARGET, "Authentication", "basicauthentication");
    let message = &problems(&text, &secrets())[0].message;
    assert!(message.contains("case-sensitive"), "{message}");
    assert!(message.contains("\"BasicAuthentication\""), "{message}");
}

#[test]
fn an_unknown_authentication_lists_the_allowed_values() {
    let text = with_property(TARGET, "Authentication", "OAuth2ClientCredentials");
    let message = &problems(&text, &secrets())[0].message;
    assert!(
        message.contains("NoAuthentication, BasicAuthentication, ClientCertificateAuthentication"),
        "{message}"
    );
}

/// [DOC] delete thresholds are positive integers.
#[test]
fn a_zero_or_non_numeric_delete_threshold_is_an_error() {
    let zero = with_property(TARGET, "ips.delete.threshold.groups", "0");
    assert!(
        problems(&zero, &secrets())[0]
            .message
            .contains("below the minimum 1")
    );
    let text = with_property(TARGET, "ips.delete.threshold.users", "ten");
    assert!(
        problems(&text, &secrets())[0]
            .message
            .contains("expected a whole number")
    );
}

/// [DOC] `ias.bulk.operations.max.count` above 100 is replaced by 20.
#[test]
fn bulk_count_above_100_becomes_20_with_a_warning() {
    let text = with_property(TARGET, "ias.bulk.operations.max.count", "500");
    let system = resolve(&text, &secrets(), no_env).unwrap();
    assert_eq!(system.value("ias.bulk.operations.max.count"), Some("20"));
    assert!(
        system
            .warnings
            .iter()
            .any(|w| w.message.contains("IPS uses 20"))
    );
}

#[test]
fn a_missing_password_names_the_system_the_file_table_and_the_variable() {
    let problems = problems(TARGET, &Secrets::default());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        problems[0].location,
        Location::Secrets {
            system: "IAS Target".into(),
            property: "Password".into()
        }
    );
    assert!(problems[0].message.contains("[\"IAS Target\"]"));
    assert!(
        problems[0]
            .message
            .contains("SAPLAND_SECRET__IAS_TARGET__PASSWORD")
    );
}

#[test]
fn environment_variables_override_the_secrets_file_and_are_never_shown() {
    let env = |name: &str| {
        (name == "SAPLAND_SECRET__IAS_TARGET__PASSWORD").then(|| "from-env".to_string())
    };
    let system = resolve(TARGET, &secrets(), env).unwrap();
    assert_eq!(
        system.authentication(),
        Some(Authentication::BasicAuthentication)
    );
    assert_eq!(system.credential("Password").unwrap().expose(), "from-env");
    let shown = system
        .properties
        .iter()
        .find(|p| p.name == "Password")
        .unwrap();
    assert_eq!(
        (shown.value.as_str(), shown.origin),
        ("****", Origin::Environment)
    );
    let everything = format!(
        "{system:?} {}",
        serde_json::to_string(&system.properties).unwrap()
    );
    assert!(
        !everything.contains("from-env") && !everything.contains("target-secret"),
        "{everything}"
    );
}

/// [DOC] credential properties are excluded from exports; one found there is refused, unshown.
#[test]
fn a_credential_inside_the_export_is_refused_without_echoing_it() {
    let text = with_property(TARGET, "Password", "leaked-secret");
    let problems = problems(&text, &secrets());
    assert!(problems[0].message.contains("must not be in the export"));
    assert!(!format!("{problems:?}").contains("leaked-secret"));
}

#[test]
fn client_certificate_authentication_needs_certificate_and_key() {
    let text = with_property(TARGET, "Authentication", "ClientCertificateAuthentication");
    let missing: Vec<_> = problems(&text, &Secrets::default())
        .into_iter()
        .map(|p| match p.location {
            Location::Secrets { property, .. } => property,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(missing, ["ClientCertificate", "ClientCertificateKey"]);
}

#[test]
fn an_ias_system_without_authentication_is_an_error() {
    let mut export: serde_json::Value = serde_json::from_str(TARGET).unwrap();
    export["properties"]
        .as_object_mut()
        .unwrap()
        .remove("Authentication");
    let problems = problems(&export.to_string(), &secrets());
    assert!(problems[0].message.contains("Authentication is required"));
}

#[test]
fn an_empty_url_and_trust_all_are_warnings() {
    let text = with_property(&with_property(TARGET, "URL", ""), "TrustAll", "true");
    let system = resolve(&text, &secrets(), no_env).unwrap();
    let warnings: Vec<_> = system.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        warnings.iter().any(|w| w.starts_with("URL is empty")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("BTP-IPS-0007")),
        "{warnings:?}"
    );
}

#[test]
fn a_property_for_the_other_role_is_kept_with_a_warning() {
    let text = with_property(SOURCE, "ias.user.unique.attribute", "userName");
    let system = resolve(&text, &secrets(), no_env).unwrap();
    assert!(
        system
            .warnings
            .iter()
            .any(|w| w.message == "ias.user.unique.attribute is not used by source systems")
    );
}

#[test]
fn local_file_systems_need_path_and_format() {
    let text = r#"{"connectorTypeString":"LOCAL_FILE","accessMode":"READ","name":"HR File","properties":{"file.format":"xml"}}"#;
    let messages: Vec<_> = problems(text, &Secrets::default())
        .into_iter()
        .map(|p| p.message)
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("file.format: expected one of ndjson, json, csv")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m == "file.path is required for a LOCAL_FILE system"),
        "{messages:?}"
    );
}

#[test]
fn malformed_json_reports_line_and_column() {
    let broken = &TARGET[..TARGET.find("\"properties\"").unwrap()];
    let err = SystemExport::from_json(broken).unwrap_err();
    assert!(err.line > 1);
    assert!(err.message.contains("EOF"), "{}", err.message);
}

#[test]
fn a_non_string_property_value_names_its_path() {
    let text = TARGET.replace(
        "\"ips.delete.threshold.users\": \"100\"",
        "\"ips.delete.threshold.users\": 100",
    );
    let err = SystemExport::from_json(&text).unwrap_err();
    assert_eq!(
        err.path.to_string(),
        "$.properties['ips.delete.threshold.users']"
    );
    assert!(err.message.contains("expected a string"), "{}", err.message);
}

#[test]
fn an_unknown_access_mode_is_rejected_with_the_allowed_ones() {
    let text = TARGET.replace("\"WRITE\"", "\"READWRITE\"");
    let err = SystemExport::from_json(&text).unwrap_err();
    assert_eq!(err.path.to_string(), "$.accessMode");
    assert!(
        err.message.contains("READ") && err.message.contains("WRITE"),
        "{}",
        err.message
    );
}

#[test]
fn secrets_files_read_per_system() {
    let secrets = Secrets::from_toml(include_str!(
        "../../../../examples/systems/secrets.example.toml"
    ))
    .unwrap();
    assert_eq!(
        secrets.system_names().collect::<Vec<_>>(),
        ["IAS Source", "IAS Target"]
    );
    let _: BTreeMap<_, _> = secrets.for_system("IAS Target").unwrap().clone();
}

#[test]
fn the_systems_doc_lists_every_catalogued_property() {
    let doc = include_str!("../../../../docs/systems.md");
    for spec in sapland_core::system::catalogue() {
        let row = format!("| `{}` |", spec.key);
        assert!(
            doc.contains(&row),
            "docs/systems.md lacks a row for {}",
            spec.key
        );
        if let Some(default) = spec.default {
            let line = doc.lines().find(|l| l.starts_with(&row)).unwrap();
            assert!(
                line.contains(&format!("`{default}`")),
                "docs/systems.md: default of {} is not {default}",
                spec.key
            );
        }
    }
}
