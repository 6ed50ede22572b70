//! Outbound HTTP as ARCHITECTURE.md says: only `crates/outbound` builds the agent's HTTP
//! clients, the one other client in library code is the mock IAS's real-time push client, and
//! no library, binary or scenario installs a process-wide crypto provider (which would hide a
//! client that silently needs one).

use std::path::Path;

use crate::repository;

/// Where library code may build an HTTP client.
const CLIENT_BUILDERS: [&str; 2] = ["crates/outbound/src/", "mocks/ias/src/realtime/client.rs"];

/// What building a client or installing a provider looks like in the source.
const CLIENT: [&str; 3] = [
    "Client::builder(",
    "ClientBuilder::new(",
    "reqwest::Client::new(",
];
const PROVIDER: &str = "install_default(";

#[test]
fn only_the_outbound_crate_and_the_push_client_build_http_clients() {
    let mut problems = Vec::new();
    for (path, text) in sources(|path| path.contains("/src/")) {
        let allowed = CLIENT_BUILDERS.iter().any(|place| path.starts_with(place));
        for (number, line) in text.lines().enumerate() {
            if !allowed && CLIENT.iter().any(|needle| line.contains(needle)) {
                problems.push(format!(
                    "{path}:{}: builds an HTTP client: {}",
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn no_library_binary_or_scenario_installs_a_process_wide_crypto_provider() {
    let mut problems = Vec::new();
    let checked = |path: &str| {
        path.contains("/src/")
            || path.starts_with("crates/scenarios/")
            || path.starts_with("crates/cli/tests/")
            || path.starts_with("crates/provision/tests/")
    };
    for (path, text) in sources(checked) {
        for (number, line) in text.lines().enumerate() {
            if line.contains(PROVIDER) && !line.trim_start().starts_with("//") {
                problems.push(format!("{path}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// Every `.rs` file under `crates/` and `mocks/` (but this crate) whose relative path passes
/// `keep`, with its text.
fn sources(keep: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    let root = repository();
    let mut found = Vec::new();
    for folder in ["crates", "mocks"] {
        walk(&root, &root.join(folder), &keep, &mut found);
    }
    assert!(found.len() > 50, "the sources were not found");
    found
}

fn walk(root: &Path, dir: &Path, keep: &impl Fn(&str) -> bool, found: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    for entry in entries {
        let path = entry.expect("a folder entry").path();
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            if !relative.ends_with("/target") && relative != "crates/tidy" {
                walk(root, &path, keep, found);
            }
        } else if relative.ends_with(".rs") && keep(&relative) {
            let text =
                std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{relative}: {err}"));
            found.push((relative, text));
        }
    }
}
