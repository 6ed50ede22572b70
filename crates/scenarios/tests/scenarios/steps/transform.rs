//! Steps that run `sapland transform` on one entity or a batch and check the outcome.

use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use serde_json::{Map, Value};

use super::ias::{attribute, index_of};
use super::landscape::table_rows;
use crate::world::{CommandResult, World};

#[given(expr = "SAP's default transformation {string}")]
fn sap_s_default(world: &mut World, name: String) {
    world.transform.template = Some(name);
}

#[given("the transformation:")]
fn the_transformation(world: &mut World, step: &Step) {
    world.transform.document = Some(docstring(step));
}

/// An IPS system export: `sapland transform` runs its transformation with its effective
/// properties, as a job does.
#[given("the system export:")]
fn the_system_export(world: &mut World, step: &Step) {
    world.transform.document = Some(docstring(step));
}

#[given(expr = "the system property {string} is {string}")]
fn the_system_property(world: &mut World, key: String, value: String) {
    world.transform.properties.push((key, value));
}

#[given(expr = "the variable {string} is {string}")]
fn the_variable(world: &mut World, name: String, value: String) {
    world.transform.variables.push((name, value));
}

#[given("the relations:")]
fn the_relations(world: &mut World, step: &Step) {
    for row in table_rows(step) {
        world
            .transform
            .relations
            .entry(row["type"].clone())
            .or_default()
            .insert(row["source id"].clone(), row["target id"].clone());
    }
}

/// `Given the user:` / `Given the group:` with a table of attribute → value, or a JSON docstring.
#[given(regex = r"^the (user|group):$")]
fn the_entity(world: &mut World, entity: String, step: &Step) {
    let value = match &step.table {
        Some(_) => entity_from_table(step),
        None => serde_json::from_str(&docstring(step)).expect("the docstring is JSON"),
    };
    world.transform.input = Some((entity, value.to_string()));
}

#[given("the users, one per line:")]
fn the_users_one_per_line(world: &mut World, step: &Step) {
    world.transform.input = Some(("user".into(), docstring(step)));
}

#[when(regex = r"^I transform it for (create|update|patch|delete)$")]
fn i_transform_it(world: &mut World, operation: String) {
    transform(world, &operation, false);
}

#[when(regex = r"^I transform them in a batch for (create|update|patch|delete)$")]
fn i_transform_them(world: &mut World, operation: String) {
    transform(world, &operation, true);
}

#[then("the entity is written as:")]
fn written_as(world: &mut World, step: &Step) {
    let expected: Value = serde_json::from_str(&docstring(step)).expect("the docstring is JSON");
    assert_eq!(written(world), expected);
}

#[then("the written entity has:")]
fn written_has(world: &mut World, step: &Step) {
    let entity = written(world);
    for row in table_rows(step) {
        let path = &row["attribute"];
        let expected = cell(&row["value"]);
        assert_eq!(
            attribute(&entity, path),
            Some(&expected),
            "{path} in {entity:#}"
        );
    }
}

#[then(expr = "the written entity has no {string}")]
fn written_has_no(world: &mut World, path: String) {
    let entity = written(world);
    // A whole extension is a top-level member whose URN `attribute` would split.
    assert_eq!(entity.get(&path), None, "{path} in {entity:#}");
    assert_eq!(attribute(&entity, &path), None, "{path} in {entity:#}");
}

#[then(expr = "the entity is skipped with the reason {string}")]
fn skipped_with(world: &mut World, reason: String) {
    let envelope = envelope(world);
    assert_eq!(envelope["outcome"], "skipped", "{envelope:#}");
    assert_eq!(envelope["reason"], Value::String(reason));
}

#[then("the entity type is ignored")]
fn ignored(world: &mut World) {
    assert_eq!(envelope(world), serde_json::json!({"outcome": "ignored"}));
}

#[then("the entity is deleted in the target")]
fn deleted(world: &mut World) {
    assert_eq!(envelope(world), serde_json::json!({"outcome": "delete"}));
}

#[then(expr = "the transformation fails with {string}")]
fn fails_with(world: &mut World, text: String) {
    let envelope = envelope(world);
    assert_eq!(envelope["outcome"], "failed", "{envelope:#}");
    let error = envelope["error"].as_str().unwrap_or_default();
    assert!(error.contains(&text), "expected {text:?} in {error:?}");
}

#[then(regex = r"^the outcomes are, line by line: (.+)$")]
fn outcomes_line_by_line(world: &mut World, outcomes: String) {
    let last = world.last();
    assert_eq!(last.code, 0, "stderr:\n{}", last.stderr);
    let actual: Vec<String> = last
        .stdout
        .lines()
        .map(|line| {
            let envelope: Value = serde_json::from_str(line).expect("each line is JSON");
            envelope["outcome"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    let expected: Vec<&str> = outcomes.split(',').map(str::trim).collect();
    assert_eq!(actual, expected);
}

/// Writes the files and runs `sapland transform` in the scenario's directory.
fn transform(world: &mut World, operation: &str, batch: bool) {
    let dir = world.path();
    let case = world.transform.clone();
    let mut args: Vec<String> = vec!["sapland".into(), "transform".into()];
    match (&case.template, &case.document) {
        (Some(name), _) => args.extend(["--template".into(), name.clone()]),
        (None, Some(text)) => {
            std::fs::write(dir.join("transformation.json"), text).expect("file written");
            args.extend(["--transformation".into(), "transformation.json".into()]);
        }
        (None, None) => panic!("the scenario names a transformation first"),
    }
    let (entity, input) = case.input.expect("the scenario gives an entity first");
    let input_file = if batch { "input.ndjson" } else { "input.json" };
    std::fs::write(dir.join(input_file), input).expect("file written");
    args.extend([
        "--entity".into(),
        entity,
        "--input".into(),
        input_file.into(),
        "--operation".into(),
        operation.into(),
        "--now".into(),
        "2026-11-22T09:00:00Z".into(),
        "--seed".into(),
        "7".into(),
    ]);
    for (key, value) in &case.properties {
        args.extend(["--property".into(), format!("{key}={value}")]);
    }
    for (name, value) in &case.variables {
        args.extend(["--var".into(), format!("{name}={value}")]);
    }
    if !case.relations.is_empty() {
        let map = serde_json::to_string(&case.relations).expect("JSON");
        std::fs::write(dir.join("ids.json"), map).expect("file written");
        args.extend(["--id-map".into(), "ids.json".into()]);
    }
    if batch {
        args.push("--batch".into());
    }
    let env = sapland::Environment::new(&dir);
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = sapland::run(args, &env, &mut std::io::empty(), &mut stdout, &mut stderr);
    world.last = Some(CommandResult {
        code: code.as_u8(),
        stdout: String::from_utf8(stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(stderr).expect("UTF-8 output"),
        file: "transformation.json".into(),
        file_text: case.document.unwrap_or_default(),
    });
}

/// The printed envelope of a successful single run.
fn envelope(world: &World) -> Value {
    let last = world.last();
    assert_eq!(last.code, 0, "stderr:\n{}", last.stderr);
    serde_json::from_str(&last.stdout).expect("the output is one JSON object")
}

fn written(world: &World) -> Value {
    let envelope = envelope(world);
    assert_eq!(envelope["outcome"], "written", "{envelope:#}");
    envelope["entity"].clone()
}

fn docstring(step: &Step) -> String {
    step.docstring
        .as_ref()
        .expect("the step has a docstring")
        .trim()
        .to_string()
}

/// A table cell as JSON: `true`, `false`, `null`, numbers, arrays, objects and quoted strings
/// are JSON; anything else is a string.
fn cell(text: &str) -> Value {
    let text = text.trim();
    let json_like = matches!(text, "true" | "false" | "null")
        || text.starts_with(['[', '{', '"'])
        || text.parse::<f64>().is_ok();
    if json_like && let Ok(value) = serde_json::from_str(text) {
        return value;
    }
    Value::String(text.to_string())
}

/// An entity built from `attribute | value` rows: `name.familyName`, `emails[0].value`, and
/// extension attributes written `urn:…:User:department`.
fn entity_from_table(step: &Step) -> Value {
    let mut entity = Value::Object(Map::new());
    for row in table_rows(step) {
        set_attribute(&mut entity, &row["attribute"], cell(&row["value"]));
    }
    entity
}

fn set_attribute(entity: &mut Value, path: &str, value: Value) {
    let (mut current, rest) = match path.strip_prefix("urn:") {
        Some(_) => {
            let (urn, attr) = path.rsplit_once(':').expect("urn:…:attribute");
            (child(entity, urn, None), attr)
        }
        None => (entity, path),
    };
    let parts: Vec<&str> = rest.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let (name, index) = match part.split_once('[') {
            Some((name, index)) => (name, Some(index_of(path, index))),
            None => (*part, None),
        };
        if i + 1 == parts.len() && index.is_none() {
            current
                .as_object_mut()
                .expect("an object")
                .insert(name.to_string(), value);
            return;
        }
        current = child(current, name, index);
        if i + 1 == parts.len() {
            *current = value;
            return;
        }
    }
}

/// The member `name` (and its element `index`) of an object, created when missing.
fn child<'v>(parent: &'v mut Value, name: &str, index: Option<usize>) -> &'v mut Value {
    let object = parent.as_object_mut().expect("an object");
    let member = object
        .entry(name.to_string())
        .or_insert_with(|| match index {
            Some(_) => Value::Array(Vec::new()),
            None => Value::Object(Map::new()),
        });
    match index {
        Some(i) => {
            let items = member.as_array_mut().expect("an array");
            while items.len() <= i {
                items.push(Value::Object(Map::new()));
            }
            &mut items[i]
        }
        None => member,
    }
}
