//! Steps that run `sapland` and check what it printed.

use std::fmt::Write as _;

use cucumber::{then, when};
use sapland_core::json::JsonPath;

use super::systems::slug;
use crate::world::{CommandResult, World};

/// Runs `sapland` with `args` (after the program name) in the scenario's directory, on a
/// blocking thread as the binary would run beside the landscape, and keeps the result as the
/// last command; `file` is the file the command reads, as named on the command line.
pub(crate) async fn run_sapland(world: &mut World, args: Vec<String>, file: String) {
    let env = sapland::Environment::new(world.path());
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let all = std::iter::once("sapland".to_string()).chain(args);
        let code = sapland::run(all, &env, &mut std::io::empty(), &mut stdout, &mut stderr);
        (code.as_u8(), stdout, stderr)
    })
    .await
    .expect("the command does not panic");
    world.last = Some(CommandResult {
        code,
        stdout: String::from_utf8(stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(stderr).expect("UTF-8 output"),
        file,
        file_text: String::new(),
    });
}

/// Writes the scenario's exports and secrets file, then runs `sapland systems show`.
#[when(expr = "I show the system {string}")]
fn i_show_the_system(world: &mut World, name: String) {
    let dir = world.path();
    let mut shown_text = String::new();
    let file = format!("{}.json", slug(&name));
    for (system, export) in &world.exports {
        let pretty = serde_json::to_string_pretty(&export.json).expect("JSON serializes");
        let text = export.cut_at.clone().unwrap_or(pretty);
        std::fs::write(dir.join(format!("{}.json", slug(system))), &text).expect("export written");
        if *system == name {
            shown_text = text;
        }
    }
    if !world.secrets.is_empty() {
        let mut toml = String::new();
        for (system, credentials) in &world.secrets {
            let _ = writeln!(toml, "[\"{system}\"]");
            for (key, value) in credentials {
                let _ = writeln!(toml, "{key} = \"{value}\"");
            }
        }
        std::fs::write(dir.join("secrets.toml"), toml).expect("secrets written");
    }
    let mut env = sapland::Environment::new(&dir);
    for (key, value) in &world.env {
        env = env.with_var(key.clone(), value.clone());
    }
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = sapland::run(
        ["sapland", "systems", "show", &file],
        &env,
        &mut std::io::empty(),
        &mut stdout,
        &mut stderr,
    );
    world.last = Some(CommandResult {
        code: code.as_u8(),
        stdout: String::from_utf8(stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(stderr).expect("UTF-8 output"),
        file,
        file_text: shown_text,
    });
}

#[then("the command succeeds")]
fn the_command_succeeds(world: &mut World) {
    let last = world.last();
    assert_eq!(last.code, 0, "stderr:\n{}", last.stderr);
}

#[then(expr = "the command fails with exit code {int}")]
fn the_command_fails_with(world: &mut World, code: u8) {
    let last = world.last();
    assert_eq!(
        last.code, code,
        "stdout:\n{}\nstderr:\n{}",
        last.stdout, last.stderr
    );
    assert!(
        last.stdout.is_empty(),
        "nothing on stdout when failing:\n{}",
        last.stdout
    );
}

#[then(regex = r"^the system is shown as a (source|target) system of connector type (\w+)$")]
fn shown_as(world: &mut World, role: String, connector: String) {
    let stdout = &world.last().stdout;
    let mode = if role == "source" { "READ" } else { "WRITE" };
    assert!(stdout.contains(&format!("{mode} ({role})")), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("connector") && l.ends_with(&connector)),
        "{stdout}"
    );
}

/// The table row of a property: its cells. The command must have succeeded and printed the
/// property table.
fn property_row(world: &World, key: &str) -> Option<Vec<String>> {
    let last = world.last();
    assert_eq!(last.code, 0, "stderr:\n{}", last.stderr);
    let stdout = &last.stdout;
    let table = stdout
        .split_once("\nPROPERTY")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("no PROPERTY table in:\n{stdout}"));
    table.lines().skip(1).find_map(|line| {
        let cells: Vec<String> = line
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        (cells.first().map(String::as_str) == Some(key)).then_some(cells)
    })
}

#[then(
    regex = r#"^property "([^"]+)" is "([^"]*)" (from the export|by default)(, as a custom property)?$"#
)]
fn property_is(world: &mut World, key: String, value: String, origin: String, custom: String) {
    let row = property_row(world, &key)
        .unwrap_or_else(|| panic!("no row for {key}:\n{}", world.last().stdout));
    let expected_origin = match (origin.as_str(), custom.is_empty()) {
        ("by default", _) => "default",
        (_, true) => "export",
        (_, false) => "export (custom)",
    };
    assert_eq!(row[1], value, "{row:?}");
    assert_eq!(row[2], expected_origin, "{row:?}");
}

#[then(regex = r#"^property "([^"]+)" is masked and comes from the (secrets file|environment)$"#)]
fn property_is_masked(world: &mut World, key: String, origin: String) {
    let row = property_row(world, &key).unwrap_or_else(|| panic!("no row for {key}"));
    assert_eq!(row[1], "****");
    assert_eq!(
        row[2],
        if origin == "environment" {
            "environment"
        } else {
            "secrets"
        }
    );
}

#[then(expr = "property {string} is not shown")]
fn property_not_shown(world: &mut World, key: String) {
    assert!(
        property_row(world, &key).is_none(),
        "{}",
        world.last().stdout
    );
}

#[then("no secret appears in the output")]
fn no_secret_appears(world: &mut World) {
    assert!(
        !world.secret_values.is_empty(),
        "the scenario used a secret"
    );
    let last = world.last();
    for secret in &world.secret_values {
        assert!(
            !last.stdout.contains(secret) && !last.stderr.contains(secret),
            "{secret} was printed"
        );
    }
}

#[then(expr = "the error says {string}")]
fn the_error_says(world: &mut World, text: String) {
    let text = text.replace("\\\"", "\"");
    let stderr = &world.last().stderr;
    assert!(stderr.contains(&text), "expected {text:?} in:\n{stderr}");
}

#[then(expr = "a warning says {string}")]
fn a_warning_says(world: &mut World, text: String) {
    let stderr = &world.last().stderr;
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("warning: ") && l.contains(&text)),
        "{stderr}"
    );
}

#[then(expr = "the error points at property {string} in the export")]
fn the_error_points_at(world: &mut World, key: String) {
    let last = world.last();
    let line = last
        .file_text
        .lines()
        .position(|l| l.trim_start().starts_with(&format!("\"{key}\":")))
        .expect("the property is in the export")
        + 1;
    let position = format!("{}:{line}:", last.file);
    let path = JsonPath::root().key("properties").key(key).to_string();
    assert!(
        last.stderr.contains(&position),
        "expected {position} in:\n{}",
        last.stderr
    );
    assert!(
        last.stderr.contains(&path),
        "expected {path} in:\n{}",
        last.stderr
    );
}

#[then("the error names the export file with the line and column where the JSON ends")]
fn the_error_names_the_end(world: &mut World) {
    let last = world.last();
    let lines = last.file_text.lines().count();
    let columns = last
        .file_text
        .lines()
        .last()
        .unwrap_or_else(|| panic!("the shown export {} is empty", last.file))
        .chars()
        .count();
    let position = format!("{}:{lines}:{columns}:", last.file);
    assert!(
        last.stderr.contains(&position),
        "expected {position} in:\n{}",
        last.stderr
    );
}
