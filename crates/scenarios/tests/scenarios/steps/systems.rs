//! Steps that set up IPS system exports and their credentials.

use cucumber::given;
use serde_json::{Value, json};

use crate::world::{Export, World};

/// A system export in the format IPS writes (reference/ips-ias.md §1.14).
fn ias_export(name: &str, access_mode: &str, api_version: Option<&str>) -> Value {
    let mut properties = json!({
        "Type": "HTTP",
        "URL": format!("https://{}.localhost:8443", slug(name)),
        "ProxyType": "Internet",
        "Authentication": "BasicAuthentication",
        "User": "0f3c9a52-6d1e-4b7a-8c24-9e5d1f0a7b63",
    });
    if let Some(version) = api_version {
        properties["ias.api.version"] = version.into();
    }
    json!({
        "id": "",
        "connectorTypeString": "SAP_CLOUD_IDENTITY",
        "accessMode": access_mode,
        "destinationName": "",
        "alias": format!("{name}, exported for a sapland scenario"),
        "relatedSystems": if access_mode == "WRITE" { json!([""]) } else { json!([]) },
        "gitAllowedExpressions": [],
        "gitDisallowedExpressions": [],
        "emailSubscribers": [],
        "name": name,
        "tenantId": "scenario",
        "state": "ENABLED",
        "systemManagementType": "CUSTOMER_MANAGED",
        "transformation": {"user": {"mappings": [{"sourcePath": "$.userName", "targetPath": "$.userName"}]}},
        "properties": properties,
        "encryptedProperties": {},
        "transformationChanged": false,
        "readTransformationChanged": false,
        "writeTransformationChanged": false,
        "fromImport": false,
        "gitFetchAllowed": false
    })
}

/// The file name a system's export is written to.
pub(crate) fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn only_export(world: &mut World) -> &mut Export {
    assert_eq!(
        world.exports.len(),
        1,
        "the step refers to the one export of the scenario"
    );
    world.exports.values_mut().next().expect("one export")
}

#[given("a systems directory")]
fn a_systems_directory(world: &mut World) {
    assert!(world.path().is_dir());
}

#[given(
    regex = r#"^an exported (source|target) system "([^"]+)" for an IAS tenant with SCIM API version (\d)$"#
)]
fn an_exported_ias_system(world: &mut World, role: String, name: String, version: String) {
    let mode = if role == "source" { "READ" } else { "WRITE" };
    let json = ias_export(&name, mode, Some(&version));
    world.exports.insert(name, Export { json, cut_at: None });
}

#[given(
    regex = r#"^an exported (source|target) system "([^"]+)" for an IAS tenant without an API version$"#
)]
fn an_exported_ias_system_without_version(world: &mut World, role: String, name: String) {
    let mode = if role == "source" { "READ" } else { "WRITE" };
    let json = ias_export(&name, mode, None);
    world.exports.insert(name, Export { json, cut_at: None });
}

#[given(expr = "its property {string} is {string}")]
fn its_property_is(world: &mut World, key: String, value: String) {
    if key == "Password" {
        world.secret_values.push(value.clone());
    }
    only_export(world).json["properties"][key] = value.into();
}

#[given("its export file is cut off in the middle of its properties")]
fn its_export_is_cut_off(world: &mut World) {
    let export = only_export(world);
    let pretty = serde_json::to_string_pretty(&export.json).expect("JSON serializes");
    let cut = pretty
        .find("\"ProxyType\"")
        .expect("the export has ProxyType");
    export.cut_at = Some(pretty[..cut + "\"Proxy".len()].to_string());
}

#[given(expr = "the secrets file holds the Password of {string}")]
fn the_secrets_file_holds_the_password(world: &mut World, system: String) {
    let secret = format!("client-secret-of-{}", slug(&system));
    world.secret_values.push(secret.clone());
    world
        .secrets
        .entry(system)
        .or_default()
        .insert("Password".into(), secret);
}

#[given(regex = r"^the environment variable (SAPLAND_SECRET__\w+) holds another Password$")]
fn an_environment_password(world: &mut World, variable: String) {
    let secret = format!("environment-secret-{}", variable.len());
    world.secret_values.push(secret.clone());
    world.env.insert(variable, secret);
}
