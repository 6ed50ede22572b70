//! ARCHITECTURE.md's dependency rules are the workspace's: the table under *Dependency rules*
//! lists, for every crate, exactly its `[dependencies]` on workspace crates, and the *Never*
//! rules hold for `[dependencies]` and `[dev-dependencies]` alike.
//!
//! Manifests are read as text: the sections `[dependencies]` and `[dev-dependencies]`, one
//! `name…` entry a line, `optional = true` marking an optional one.

use std::collections::{BTreeMap, BTreeSet};

use crate::{read, repository};

/// A crate's workspace dependencies: name → optional.
type Dependencies = BTreeMap<String, bool>;

/// What a manifest says.
#[derive(Debug)]
struct Manifest {
    path: String,
    name: String,
    dependencies: Dependencies,
    dev_dependencies: Dependencies,
}

/// The mocks: what the client crates' tests use, and what must never use a client crate.
const MOCKS: [&str; 4] = [
    "sapland-mock-kit",
    "sapland-mock-ias",
    "sapland-mock-calm",
    "sapland-landscape",
];
/// What the mocks exist to test.
const CLIENTS: [&str; 6] = [
    "sapland-scim",
    "sapland-calm",
    "sapland-outbound",
    "sapland-systems",
    "sapland-provision",
    "sapland",
];

#[test]
fn every_crate_depends_on_exactly_what_architecture_md_lists() {
    let table = rules();
    let manifests = manifests();
    let mut problems = Vec::new();
    for manifest in &manifests {
        let Some(listed) = table.get(&manifest.name) else {
            problems.push(format!(
                "{}: {} is not in ARCHITECTURE.md's dependency table",
                manifest.path, manifest.name
            ));
            continue;
        };
        if *listed != manifest.dependencies {
            problems.push(format!(
                "{}: {} depends on {} but ARCHITECTURE.md lists {}",
                manifest.path,
                manifest.name,
                shown(&manifest.dependencies),
                shown(listed)
            ));
        }
    }
    let names: BTreeSet<&str> = manifests.iter().map(|m| m.name.as_str()).collect();
    for listed in table.keys() {
        if !names.contains(listed.as_str()) {
            problems.push(format!(
                "ARCHITECTURE.md lists {listed}, which is no workspace crate"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn no_mock_uses_a_client_crate_and_inbound_knows_only_core() {
    let mut problems = Vec::new();
    for manifest in manifests() {
        let all = manifest
            .dependencies
            .keys()
            .chain(manifest.dev_dependencies.keys());
        for dependency in all {
            let mock_on_client =
                MOCKS.contains(&manifest.name.as_str()) && CLIENTS.contains(&dependency.as_str());
            let inbound_on_other =
                manifest.name == "sapland-inbound" && dependency != "sapland-core";
            if mock_on_client || inbound_on_other {
                problems.push(format!(
                    "{}: {} must not depend on {dependency}",
                    manifest.path, manifest.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// The table of ARCHITECTURE.md's *Dependency rules*.
fn rules() -> BTreeMap<String, Dependencies> {
    let text = read("ARCHITECTURE.md");
    let section = text
        .split("### Dependency rules")
        .nth(1)
        .expect("ARCHITECTURE.md has a section `### Dependency rules`");
    let mut table = BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [name, depends] = cells[..] else {
            panic!("ARCHITECTURE.md: a dependency row has two cells: {line}");
        };
        let mut dependencies = Dependencies::new();
        for entry in depends.split(", ").filter(|e| *e != "—") {
            let optional = entry.starts_with('[');
            let name = entry
                .trim_start_matches('[')
                .split(':')
                .next()
                .unwrap_or_default()
                .trim_matches(|c| c == '`' || c == ']');
            dependencies.insert(name.to_string(), optional);
        }
        table.insert(name.trim_matches('`').to_string(), dependencies);
    }
    assert!(
        !table.is_empty(),
        "ARCHITECTURE.md's dependency table has no rows"
    );
    table
}

/// Every workspace crate's manifest (`crates/*`, `mocks/*`).
fn manifests() -> Vec<Manifest> {
    let mut found = Vec::new();
    for folder in ["crates", "mocks"] {
        let entries = std::fs::read_dir(repository().join(folder)).expect("the folder is readable");
        for entry in entries {
            let dir = entry.expect("a folder entry").path();
            let file = dir.join("Cargo.toml");
            if !file.is_file() {
                continue;
            }
            let relative = format!(
                "{folder}/{}/Cargo.toml",
                dir.file_name().unwrap_or_default().to_string_lossy()
            );
            found.push(parse(&relative, &read(&relative)));
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(found.len() > 10, "the workspace's crates were not found");
    found
}

fn parse(path: &str, text: &str) -> Manifest {
    let mut name = None;
    let mut dependencies = Dependencies::new();
    let mut dev_dependencies = Dependencies::new();
    let mut section = String::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        if section == "[package]" && line.starts_with("name") {
            name = line.split('"').nth(1).map(str::to_string);
        }
        let entry = line.split(['=', '.', ' ']).next().unwrap_or_default();
        if !entry.starts_with("sapland") {
            continue;
        }
        let optional = line.contains("optional = true");
        match section.as_str() {
            "[dependencies]" => dependencies.insert(entry.to_string(), optional),
            "[dev-dependencies]" => dev_dependencies.insert(entry.to_string(), optional),
            _ => None,
        };
    }
    Manifest {
        path: path.to_string(),
        name: name.unwrap_or_else(|| panic!("{path}: no package name")),
        dependencies,
        dev_dependencies,
    }
}

fn shown(dependencies: &Dependencies) -> String {
    if dependencies.is_empty() {
        return "nothing".into();
    }
    dependencies
        .iter()
        .map(|(name, optional)| {
            if *optional {
                format!("[{name}]")
            } else {
                name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
