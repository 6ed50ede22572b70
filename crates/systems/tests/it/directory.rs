//! Loading a systems directory: exports resolved, transformations parsed or defaulted, targets
//! found by `relatedSystems`, and every problem reported with its file and position.

use std::path::Path;

use sapland_systems::{Connector, Systems, SystemsError, TransformationOrigin};
use serde_json::{Value, json};

const SOURCE_ID: &str = "5d3b7c1e-2f4a-4e8b-9c61-0a7f3e2d1b94";

fn source() -> Value {
    json!({"id": SOURCE_ID, "connectorTypeString": "LOCAL_FILE", "accessMode": "READ", "name": "HR File",
           "state": "ENABLED", "properties": {"file.path": "users.ndjson", "file.format": "ndjson"}})
}

fn target(name: &str, version: &str, state: &str) -> Value {
    json!({"id": format!("id-{name}"), "connectorTypeString": "SAP_CLOUD_IDENTITY", "accessMode": "WRITE",
           "name": name, "state": state, "relatedSystems": [SOURCE_ID],
           "properties": {"URL": "https://t.example.com", "Authentication": "BasicAuthentication",
                          "User": "client", "ias.api.version": version}})
}

fn write(dir: &Path, file: &str, value: &Value) {
    std::fs::write(dir.join(file), serde_json::to_string_pretty(value).unwrap()).unwrap();
}

fn secrets(dir: &Path, names: &[&str]) {
    let text: String = names
        .iter()
        .map(|n| format!("[\"{n}\"]\nPassword = \"s3cret-{n}\"\n"))
        .collect();
    std::fs::write(dir.join("secrets.toml"), text).unwrap();
}

#[test]
fn a_source_feeds_its_enabled_related_targets_with_sap_s_defaults() {
    // §2.1: a job provisions to all enabled connected targets; §1.12 defaults by API version.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-source.json", &source());
    write(dir.path(), "b-v2.json", &target("IAS v2", "2", "ENABLED"));
    write(dir.path(), "c-v1.json", &target("IAS v1", "1", "ENABLED"));
    write(
        dir.path(),
        "d-off.json",
        &target("IAS off", "2", "DISABLED"),
    );
    secrets(dir.path(), &["IAS v2", "IAS v1", "IAS off"]);
    let systems = Systems::load(dir.path(), |_| None).unwrap();
    let source = systems.source("HR File").unwrap();
    assert_eq!(source.connector(), Connector::LocalFile);
    assert_eq!(
        source.transformation_origin,
        TransformationOrigin::Template("local-file-source")
    );
    let targets: Vec<(&str, &TransformationOrigin)> = systems
        .targets_of(source)
        .into_iter()
        .map(|t| (t.name(), &t.transformation_origin))
        .collect();
    assert_eq!(
        targets,
        [
            ("IAS v2", &TransformationOrigin::Template("ias-target-v2")),
            ("IAS v1", &TransformationOrigin::Template("ias-target-v1")),
        ]
    );
}

#[test]
fn every_problem_of_every_file_is_reported_with_file_line_and_path() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-source.json", &source());
    let mut bad = target("Bad", "2", "ENABLED");
    bad["transformation"] = json!({"user": {"mappings": [{"sourcePath": "$.userName", "targetPath": "$.x", "scope": "updateEntity"}]}});
    write(dir.path(), "b-bad.json", &bad);
    write(
        dir.path(),
        "c-no-secret.json",
        &target("No Secret", "2", "ENABLED"),
    );
    std::fs::write(dir.path().join("d-broken.json"), "{\"id\": ").unwrap();
    secrets(dir.path(), &["Bad"]);
    let err = Systems::load(dir.path(), |_| None).unwrap_err();
    let SystemsError::Invalid { problems, .. } = err else {
        panic!("{err}");
    };
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].starts_with("b-bad.json:"), "{}", problems[0]);
    assert!(
        problems[0].contains("at transformation.user.mappings[0].scope"),
        "{}",
        problems[0]
    );
    assert!(
        problems[1].starts_with("c-no-secret.json:"),
        "{}",
        problems[1]
    );
    assert!(
        problems[1].contains("SAPLAND_SECRET__NO_SECRET__PASSWORD"),
        "{}",
        problems[1]
    );
    assert!(
        problems[2].starts_with("d-broken.json:1:"),
        "{}",
        problems[2]
    );
    assert!(!format!("{problems:?}").contains("s3cret"));
}

#[test]
fn unknown_targets_disabled_and_duplicate_systems_are_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-source.json", &source());
    write(dir.path(), "b-target.json", &target("IAS", "2", "ENABLED"));
    secrets(dir.path(), &["IAS"]);
    let systems = Systems::load(dir.path(), |_| None).unwrap();
    let unknown = systems.source("Nope").unwrap_err().to_string();
    assert!(
        unknown.contains("no system is called \"Nope\"")
            && unknown.contains("\"HR File\", \"IAS\""),
        "{unknown}"
    );
    let target_as_source = systems.source("IAS").unwrap_err().to_string();
    assert!(
        target_as_source.contains("is a target system"),
        "{target_as_source}"
    );

    write(dir.path(), "c-copy.json", &target("IAS", "2", "ENABLED"));
    let err = Systems::load(dir.path(), |_| None).unwrap_err().to_string();
    assert!(
        err.contains("c-copy.json: the system name \"IAS\" is also used by b-target.json"),
        "{err}"
    );
}

#[test]
fn a_missing_directory_is_a_read_error_naming_it() {
    let err = Systems::load(Path::new("/no/such/systems"), |_| None).unwrap_err();
    assert!(
        matches!(&err, SystemsError::Read { path, .. } if path == Path::new("/no/such/systems")),
        "{err}"
    );
}
