//! The benchmark's input: the users of a LOCAL_FILE source, the create bodies the agent will
//! send for them, and a copy of the file in which 1 % of the users changed.
//!
//! The users come from the `transform` benchmark's generator (the mock IAS's seeding, varied so
//! that every mapping of SAP's default IAS v2 write transformation does something), without
//! `id` and `meta`: a file source's read transformation (`local-file-source`) copies the record
//! and removes those two, so without them the write transformation sees the record as it is in
//! the file, and `entityIdSourceSystem` is the `userName`. Users that the write transformation's
//! entity condition would skip (no e-mail, an invalid one: ~2 %) are left out, so every user in
//! the file is created. The create bodies are what `sapland transform --template ias-target-v2
//! --batch` prints for the file: the same engine and template the agent runs.

use std::collections::HashSet;
use std::io::{BufRead as _, BufReader, BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail, ensure};
use hyper::body::Bytes;
use jiff::Timestamp;
use serde_json::Value;

use crate::transform::users;

/// The seed of the generated users.
const SEED: u64 = 1;

/// The landscape time of the generated users and of `sapland transform --now`.
const NOW: &str = "2026-11-22T09:00:00Z";

/// Every `CHANGE_EVERY`-th user (from position [`CHANGE_AT`]) is changed for the delta read.
const CHANGE_EVERY: usize = 100;
const CHANGE_AT: usize = 37;

/// What is appended to a changed user's `displayName`.
const CHANGE_SUFFIX: &str = " (changed)";

/// The prepared input.
#[derive(Debug)]
pub(crate) struct Input {
    /// The users as a LOCAL_FILE NDJSON source.
    pub(crate) file: PathBuf,
    /// The same users with [`Input::changed`] of them changed.
    pub(crate) changed_file: PathBuf,
    /// The create body of each user, in file order, compact JSON as the engine writes it.
    pub(crate) bodies: Vec<Bytes>,
    /// The `userName` of each user, in file order.
    pub(crate) names: Vec<String>,
    /// The `userName`s of the changed users.
    pub(crate) changed: HashSet<String>,
    /// Size of [`Input::file`] in bytes.
    pub(crate) file_bytes: u64,
}

impl Input {
    /// Mean size of a create body in bytes.
    pub(crate) fn mean_body(&self) -> f64 {
        let total: usize = self.bodies.iter().map(Bytes::len).sum();
        total as f64 / self.bodies.len().max(1) as f64
    }
}

/// Generates `count` users into `dir` and transforms them with `sapland`.
pub(crate) fn prepare(sapland: &Path, dir: &Path, count: usize) -> anyhow::Result<Input> {
    let now: Timestamp = NOW.parse()?;
    // ~2 % are skipped by the entity condition; generate enough to leave `count`.
    let generate = count + count / 20 + 50;
    let seeded = dir.join("seeded.ndjson");
    users::write(&seeded, generate, SEED, now)?;
    let candidates = dir.join("candidates.ndjson");
    let candidate_lines = strip(&seeded, &candidates)?;
    std::fs::remove_file(&seeded)?;

    let transformed = dir.join("candidates.transformed.ndjson");
    transform(sapland, &candidates, &transformed)?;
    let outcomes = std::fs::read_to_string(&transformed)
        .with_context(|| format!("cannot read {}", transformed.display()))?;
    let outcomes: Vec<&str> = outcomes.lines().collect();
    ensure!(
        outcomes.len() == candidate_lines.len(),
        "sapland transform printed {} outcomes for {} users",
        outcomes.len(),
        candidate_lines.len()
    );

    let file = dir.join("users.ndjson");
    let changed_file = dir.join("users-changed.ndjson");
    let mut out = BufWriter::new(std::fs::File::create(&file)?);
    let mut changed_out = BufWriter::new(std::fs::File::create(&changed_file)?);
    let mut input = Input {
        file: file.clone(),
        changed_file: changed_file.clone(),
        bodies: Vec::with_capacity(count),
        names: Vec::with_capacity(count),
        changed: HashSet::new(),
        file_bytes: 0,
    };
    for (record, outcome) in candidate_lines.iter().zip(outcomes) {
        if input.bodies.len() == count {
            break;
        }
        let outcome: Value = serde_json::from_str(outcome)
            .with_context(|| format!("sapland transform printed no JSON: {outcome}"))?;
        match outcome.get("outcome").and_then(Value::as_str) {
            Some("written") => {}
            Some("skipped") => continue,
            _ => bail!("sapland transform printed an unexpected outcome: {outcome}"),
        }
        let entity = outcome
            .get("entity")
            .context("a written outcome without an entity")?;
        let user: Value = serde_json::from_str(record)?;
        let name = user
            .get("userName")
            .and_then(Value::as_str)
            .context("a generated user without a userName")?
            .to_string();
        writeln!(out, "{record}")?;
        if is_changed(input.bodies.len()) {
            writeln!(changed_out, "{}", change(user)?)?;
            input.changed.insert(name.clone());
        } else {
            writeln!(changed_out, "{record}")?;
        }
        input.bodies.push(Bytes::from(serde_json::to_vec(entity)?));
        input.names.push(name);
    }
    out.flush()?;
    changed_out.flush()?;
    ensure!(
        input.bodies.len() == count,
        "only {} of {generate} generated users pass the entity condition; {count} were asked for",
        input.bodies.len()
    );
    std::fs::remove_file(&candidates)?;
    std::fs::remove_file(&transformed)?;
    input.file_bytes = std::fs::metadata(&file)?.len();
    Ok(input)
}

/// Whether the user at `position` of the file changes for the delta read (one in
/// [`CHANGE_EVERY`]).
fn is_changed(position: usize) -> bool {
    position % CHANGE_EVERY == CHANGE_AT
}

/// The user with [`CHANGE_SUFFIX`] appended to its `displayName`, which SAP's default IAS v2
/// write transformation maps, so the update it gives differs.
fn change(mut user: Value) -> anyhow::Result<Value> {
    match user.get_mut("displayName") {
        Some(Value::String(display)) => display.push_str(CHANGE_SUFFIX),
        _ => bail!("a generated user has no displayName to change: {user}"),
    }
    Ok(user)
}

/// Copies the NDJSON `from` to `to` without each user's `id` and `meta`; the lines written.
fn strip(from: &Path, to: &Path) -> anyhow::Result<Vec<String>> {
    let reader = BufReader::new(
        std::fs::File::open(from).with_context(|| format!("cannot read {}", from.display()))?,
    );
    let mut out = BufWriter::new(std::fs::File::create(to)?);
    let mut lines = Vec::new();
    for line in reader.lines() {
        let mut user: Value = serde_json::from_str(&line?)?;
        if let Value::Object(members) = &mut user {
            members.remove("id");
            members.remove("meta");
        }
        let text = user.to_string();
        writeln!(out, "{text}")?;
        lines.push(text);
    }
    out.flush()?;
    Ok(lines)
}

/// `sapland transform --template ias-target-v2 --entity user --input FROM --batch > TO`.
fn transform(sapland: &Path, from: &Path, to: &Path) -> anyhow::Result<()> {
    let output = std::fs::File::create(to)?;
    let finished = Command::new(sapland)
        .args([
            "transform",
            "--template",
            "ias-target-v2",
            "--entity",
            "user",
        ])
        .arg("--input")
        .arg(from)
        .args(["--batch", "--now", NOW, "--seed", &SEED.to_string()])
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run {}", sapland.display()))?;
    ensure!(
        finished.status.success(),
        "`sapland transform` exited {}: {}",
        finished.status,
        String::from_utf8_lossy(&finished.stderr).trim()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_user_in_a_hundred_changes_and_only_its_display_name() {
        let changed: Vec<usize> = (0..10_000).filter(|&p| is_changed(p)).collect();
        assert_eq!(changed.len(), 100);
        assert_eq!(changed[..2], [37, 137]);
        let user =
            serde_json::json!({"userName": "a", "displayName": "A", "name": {"familyName": "A"}});
        let mut expected = user.clone();
        expected["displayName"] = "A (changed)".into();
        assert_eq!(change(user).unwrap(), expected);
        assert!(change(serde_json::json!({"userName": "b"})).is_err());
    }
}
