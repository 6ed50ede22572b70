//! `sapland systems show`: a system export, its effective properties and where each comes from.

use std::io::Write;
use std::path::{Path, PathBuf};

use sapland_core::system::{
    EffectiveProperty, Location, Origin, Problem, ResolveError, ResolvedSystem, Secrets, resolve,
};
use serde_json::json;

use crate::args::{Format, ShowArgs};
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};
use crate::output::table;

/// Runs the command.
pub(crate) fn run(
    args: &ShowArgs,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let export_path = env.resolve(&args.export);
    let shown_export = args.export.display().to_string();
    let text = read_file(&export_path, &shown_export, "system export")?;
    let secrets = SecretsSource::locate(args, env, &export_path)?;

    let system = match resolve(&text, &secrets.secrets, |name| env.var(name)) {
        Ok(system) => system,
        Err(ResolveError::Json(err)) => {
            return Err(UserError::not_json(
                &shown_export,
                "a valid IPS system export",
                &err,
            ));
        }
        Err(ResolveError::Invalid(problems)) => {
            let mut message = format!(
                "{shown_export}: the system has {} problem{}:",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            );
            for problem in &problems {
                message.push_str("\n  ");
                message.push_str(&describe(problem, &shown_export, &secrets));
            }
            return Err(UserError::bad_input(message));
        }
    };

    for warning in &system.warnings {
        let _ = writeln!(
            stderr,
            "warning: {}",
            describe(warning, &shown_export, &secrets)
        );
    }
    let rendered = match args.format {
        Format::Table => render_table(&system, &secrets),
        Format::Json => render_json(&system, &shown_export, &secrets),
    };
    crate::output::write(stdout, rendered.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn read_file(path: &Path, shown: &str, what: &str) -> Result<String, UserError> {
    std::fs::read_to_string(path)
        .map_err(|e| UserError::bad_input(format!("cannot read the {what} {shown}: {e}")))
}

/// The credentials and the file they came from, if any.
struct SecretsSource {
    secrets: Secrets,
    shown: Option<String>,
    looked_for: PathBuf,
}

impl SecretsSource {
    /// `--secrets FILE` must exist; without it, `secrets.toml` next to the export is used
    /// when present.
    fn locate(args: &ShowArgs, env: &Environment, export: &Path) -> Result<Self, UserError> {
        let (path, shown, required) = match &args.secrets {
            Some(given) => (env.resolve(given), given.display().to_string(), true),
            None => {
                let beside = export.with_file_name("secrets.toml");
                let shown = match args.export.parent() {
                    Some(dir) if !dir.as_os_str().is_empty() => {
                        dir.join("secrets.toml").display().to_string()
                    }
                    _ => "secrets.toml".to_string(),
                };
                (beside, shown, false)
            }
        };
        if !required && !path.exists() {
            return Ok(Self {
                secrets: Secrets::default(),
                shown: None,
                looked_for: PathBuf::from(shown),
            });
        }
        let text = read_file(&path, &shown, "secrets file")?;
        let secrets = Secrets::from_toml(&text).map_err(|err| {
            UserError::bad_input(match err.line {
                0 => format!("{shown}: {err}"),
                line => format!(
                    "{shown}:{line}:{}: {}",
                    err.column,
                    err.to_string()
                        .split_once(": ")
                        .map_or(err.to_string(), |(_, rest)| rest.to_string())
                ),
            })
        })?;
        Ok(Self {
            secrets,
            shown: Some(shown.clone()),
            looked_for: PathBuf::from(shown),
        })
    }

    fn describe(&self) -> String {
        match &self.shown {
            Some(file) => format!("secrets file {file}"),
            None => format!(
                "no secrets file given and none at {}",
                self.looked_for.display()
            ),
        }
    }
}

/// A problem as `file:line:column: message`, or with the secrets file it concerns.
fn describe(problem: &Problem, export: &str, secrets: &SecretsSource) -> String {
    match &problem.location {
        Location::Export { path, line, column } if *line > 0 => {
            format!("{export}:{line}:{column}: {} (at {path})", problem.message)
        }
        Location::Export { path, .. } => format!("{export}: {} (at {path})", problem.message),
        Location::Secrets { .. } => format!("{} ({})", problem.message, secrets.describe()),
    }
}

fn origin_text(property: &EffectiveProperty) -> String {
    let origin = match property.origin {
        Origin::Export if !property.known => "export (custom)",
        Origin::Export => "export",
        Origin::Default => "default",
        Origin::Secrets => "secrets",
        Origin::Environment => "environment",
    };
    origin.to_string()
}

fn render_table(system: &ResolvedSystem, secrets: &SecretsSource) -> String {
    let export = &system.export;
    let role = match system.role() {
        sapland_core::system::Role::Source => "source",
        sapland_core::system::Role::Target => "target",
    };
    let mut summary = vec![
        vec!["system".to_string(), export.name.clone()],
        vec!["connector".to_string(), export.connector_type.to_string()],
        vec![
            "access mode".to_string(),
            format!("{} ({role})", export.access_mode),
        ],
        vec!["state".to_string(), export.state.to_string()],
    ];
    if !export.id.is_empty() {
        summary.push(vec!["id".to_string(), export.id.clone()]);
    }
    if let Some(alias) = export.alias.as_ref().filter(|a| !a.is_empty()) {
        summary.push(vec!["description".to_string(), alias.clone()]);
    }
    let related: Vec<&str> = export
        .related_systems
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    if !related.is_empty() {
        summary.push(vec!["related systems".to_string(), related.join(", ")]);
    }
    let sections = export.transformation_sections();
    let transformation = if sections.is_empty() {
        "none".to_string()
    } else {
        sections
            .iter()
            .map(|(name, n)| format!("{name} ({n} mapping{})", if *n == 1 { "" } else { "s" }))
            .collect::<Vec<_>>()
            .join(", ")
    };
    summary.push(vec!["transformation".to_string(), transformation]);
    summary.push(vec!["credentials".to_string(), secrets.describe()]);

    let rows: Vec<Vec<String>> = system
        .properties
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.value.clone(),
                origin_text(p),
                p.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let summary = table::render(&["", ""], &summary);
    let summary = summary.split_once('\n').map_or("", |(_, rest)| rest);
    format!(
        "{summary}\n{}",
        table::render(&["PROPERTY", "VALUE", "ORIGIN", "NOTE"], &rows)
    )
}

fn render_json(system: &ResolvedSystem, file: &str, secrets: &SecretsSource) -> String {
    let export = &system.export;
    let transformation: serde_json::Map<String, serde_json::Value> = export
        .transformation_sections()
        .into_iter()
        .map(|(name, mappings)| (name, json!({ "mappings": mappings })))
        .collect();
    let document = json!({
        "file": file,
        "name": export.name,
        "id": export.id,
        "connectorType": export.connector_type,
        "accessMode": export.access_mode,
        "role": system.role(),
        "state": export.state,
        "description": export.alias,
        "relatedSystems": export.related_systems,
        "transformation": transformation,
        "secretsFile": secrets.shown,
        "properties": system.properties,
        "warnings": system.warnings,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values always serialize");
    text.push('\n');
    text
}
