//! The tidy checks: each reads the repository as text and fails when a written rule of
//! ARCHITECTURE.md or docs/ stops being true.

mod graph;
mod outbound;
mod steps;

use std::path::{Path, PathBuf};

/// The repository's root.
fn repository() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).to_path_buf()
}

/// A file of the repository as text; `path` is relative to the root.
fn read(path: &str) -> String {
    let file = repository().join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|err| panic!("{path}: {err}"))
}
