//! A systems directory: IPS system exports (`*.json`) and an optional `secrets.toml` beside
//! them. Each export is resolved and its transformation parsed; a system exported without a
//! transformation gets SAP's default for its connector and role.

use std::path::{Path, PathBuf};

use sapland_core::json::JsonPath;
use sapland_core::system::{
    IasApiVersion, Location, ResolveError, ResolvedSystem, Role, Secrets, resolve,
};
use sapland_transform::document::{Problem as TransformProblem, Transformation};
use sapland_transform::templates;

use crate::system::{System, TransformationOrigin};

/// The name of the secrets file in a systems directory.
pub const SECRETS_FILE: &str = "secrets.toml";

/// Every system of a directory.
#[derive(Debug, Clone)]
pub struct Systems {
    /// The directory.
    pub dir: PathBuf,
    systems: Vec<System>,
}

/// A systems directory that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SystemsError {
    /// The directory or a file in it cannot be read.
    #[error("cannot read {path}: {message}")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// Exports or the secrets file have problems; each line names the file, line, column and
    /// JSON path.
    #[error("the systems in {} have problems:\n  {}", dir.display(), problems.join("\n  "))]
    Invalid {
        /// The directory.
        dir: PathBuf,
        /// `file:line:column: message (at path)`, one per problem.
        problems: Vec<String>,
    },
    /// No system has that name (or it is not a source / is disabled).
    #[error("{0}")]
    Unknown(String),
}

impl Systems {
    /// Reads every `*.json` export of `dir` and `secrets.toml` when present; `env` looks up
    /// `SAPLAND_SECRET__…` variables. Every problem of every file is reported at once.
    pub fn load(dir: &Path, env: impl Fn(&str) -> Option<String>) -> Result<Systems, SystemsError> {
        let read_error = |path: &Path, err: std::io::Error| SystemsError::Read {
            path: path.to_path_buf(),
            message: err.to_string(),
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|err| read_error(dir, err))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json") && path.is_file())
            .collect();
        files.sort();
        let secrets_path = dir.join(SECRETS_FILE);
        let mut problems = Vec::new();
        let secrets = if secrets_path.exists() {
            let text = std::fs::read_to_string(&secrets_path)
                .map_err(|err| read_error(&secrets_path, err))?;
            Secrets::from_toml(&text).unwrap_or_else(|err| {
                problems.push(format!(
                    "{SECRETS_FILE}:{}:{}: {}",
                    err.line, err.column, err.message
                ));
                Secrets::default()
            })
        } else {
            Secrets::default()
        };
        let mut systems: Vec<System> = Vec::new();
        for file in files {
            let shown = file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let text = std::fs::read_to_string(&file).map_err(|err| read_error(&file, err))?;
            match load_one(&text, &secrets, &env) {
                Ok((resolved, transformation, origin)) => {
                    if let Some(other) = systems.iter().find(|s| s.name() == resolved.name()) {
                        problems.push(format!(
                            "{shown}: the system name {:?} is also used by {}; system names must be unique",
                            resolved.name(),
                            other.file.display()
                        ));
                        continue;
                    }
                    systems.push(System {
                        file: PathBuf::from(&shown),
                        resolved,
                        transformation,
                        transformation_origin: origin,
                    });
                }
                Err(found) => problems.extend(found.into_iter().map(|p| format!("{shown}:{p}"))),
            }
        }
        if problems.is_empty() {
            Ok(Systems {
                dir: dir.to_path_buf(),
                systems,
            })
        } else {
            Err(SystemsError::Invalid {
                dir: dir.to_path_buf(),
                problems,
            })
        }
    }

    /// Every system, in file name order.
    pub fn all(&self) -> &[System] {
        &self.systems
    }

    /// The system called `name`.
    pub fn get(&self, name: &str) -> Result<&System, SystemsError> {
        self.systems
            .iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                SystemsError::Unknown(format!(
                    "no system is called {name:?} in {}; the systems are {}",
                    self.dir.display(),
                    self.names()
                ))
            })
    }

    /// The enabled source system called `name`.
    pub fn source(&self, name: &str) -> Result<&System, SystemsError> {
        let system = self.get(name)?;
        if system.role() != Role::Source {
            return Err(SystemsError::Unknown(format!(
                "{name:?} is a target system (accessMode WRITE); jobs start from a source system"
            )));
        }
        if !system.is_enabled() {
            return Err(SystemsError::Unknown(format!(
                "the source system {name:?} is disabled (state DISABLED in {})",
                system.file.display()
            )));
        }
        Ok(system)
    }

    /// The enabled target systems that name `source` in their `relatedSystems` (§2.1: a job
    /// provisions to all enabled connected targets), in file name order.
    pub fn targets_of(&self, source: &System) -> Vec<&System> {
        self.systems
            .iter()
            .filter(|s| {
                s.role() == Role::Target
                    && s.is_enabled()
                    && s.resolved
                        .export
                        .related_systems
                        .iter()
                        .any(|id| id == source.id())
            })
            .collect()
    }

    fn names(&self) -> String {
        if self.systems.is_empty() {
            return "none (no *.json exports)".into();
        }
        self.systems
            .iter()
            .map(|s| format!("{:?}", s.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Resolves one export and parses its transformation; problems as `line:column: message (at path)`.
fn load_one(
    text: &str,
    secrets: &Secrets,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<(ResolvedSystem, Transformation, TransformationOrigin), Vec<String>> {
    let resolved = match resolve(text, secrets, env) {
        Ok(resolved) => resolved,
        Err(ResolveError::Json(err)) => {
            return Err(vec![format!(
                "{}:{}: not a valid IPS system export: {} (at {})",
                err.line, err.column, err.message, err.path
            )]);
        }
        Err(ResolveError::Invalid(problems)) => {
            return Err(problems
                .iter()
                .map(|problem| match &problem.location {
                    Location::Export { path, line, column } => {
                        format!("{line}:{column}: {} (at {path})", problem.message)
                    }
                    Location::Secrets { .. } => format!(" {}", problem.message),
                })
                .collect());
        }
    };
    let (transformation, origin) = match &resolved.export.transformation {
        Some(value) => match Transformation::from_value(value) {
            Ok(parsed) => (parsed.transformation, TransformationOrigin::Export),
            Err(err) => {
                return Err(err
                    .problems()
                    .iter()
                    .map(|problem| located(problem, text))
                    .collect());
            }
        },
        None => {
            let name = default_template(&resolved).ok_or_else(|| {
                vec![format!(
                    "1:1: the export has no transformation and sapland has no default for connector {} as a {:?} system; export the system with its transformation",
                    resolved.export.connector_type.as_str(),
                    resolved.role()
                )]
            })?;
            let parsed = Transformation::parse(templates::get(name).expect("the template exists"))
                .expect("shipped templates parse (tested)");
            (parsed.transformation, TransformationOrigin::Template(name))
        }
    };
    Ok((resolved, transformation, origin))
}

/// SAP's default transformation for a system exported without one.
fn default_template(system: &ResolvedSystem) -> Option<&'static str> {
    let connector = &system.export.connector_type;
    match (system.role(), connector) {
        (Role::Source, c) if c.is_local_file() => Some("local-file-source"),
        (Role::Source, c) if c.is_ias() => match system.ias_api_version() {
            Some(IasApiVersion::V2) => Some("ias-source-v2"),
            _ => None,
        },
        (Role::Target, c) if c.is_ias() => match system.ias_api_version() {
            Some(IasApiVersion::V2) => Some("ias-target-v2"),
            _ => Some("ias-target-v1"),
        },
        _ => None,
    }
}

/// A transformation problem with its line and column in the export (under `transformation`).
fn located(problem: &TransformProblem, text: &str) -> String {
    let outer = problem.within(&JsonPath::root().key("transformation"), text);
    format!(
        "{}:{}: {} (at {})",
        outer.line,
        outer.column,
        outer.message,
        outer.location()
    )
}
