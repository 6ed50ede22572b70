//! `sapland transform`: apply an Identity Provisioning transformation to one entity, or to NDJSON
//! line by line, and print the outcome envelope; or print one of SAP's default transformations.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use sapland_core::json::{self, JsonPath};
use sapland_core::system::{Location, ResolveError, resolve_properties};
use sapland_systems::substitution_properties;
use sapland_transform::document::{Problem, TransformError, Transformation};
use sapland_transform::engine::{Action, Context, Engine, Outcome, Variables};
use sapland_transform::functions::{IdRequest, IdResolver};
use sapland_transform::templates;
use serde_json::Value;

use crate::args::{TransformArgs, TransformOperation};
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};
use crate::output;

/// Runs the command.
pub(crate) fn run(
    args: &TransformArgs,
    env: &Environment,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let document = Document::load(args, env)?;
    for warning in &document.warnings {
        let _ = writeln!(stderr, "warning: {}: {warning}", document.shown);
    }
    let (Some(entity), Some(input)) = (&args.entity, &args.input) else {
        return print_document(&document, stdout);
    };
    let mut properties = document.properties.clone();
    for entry in &args.properties {
        let (key, value) = split_assignment(entry, "--property", "KEY=VALUE")?;
        properties.insert(key.to_string(), value.to_string());
    }
    let engine = Engine::new(&document.transformation, properties)
        .map_err(|err| invalid_transformation(&document.shown, &err))?;
    let ids = match &args.id_map {
        Some(file) => IdMap::load(&read(env, file, "id map")?, &file.display().to_string())?,
        None => IdMap::default(),
    };
    let context = Context {
        action: action(args.operation),
        variables: variables(&args.vars)?,
        ids: &ids,
        now: match &args.now {
            Some(text) => text.parse().map_err(|err| {
                UserError::bad_input(format!(
                    "--now {text:?} is not an RFC 3339 timestamp such as 2026-11-22T09:00:00Z: {err}"
                ))
            })?,
            None => jiff::Timestamp::now(),
        },
        seed: args.seed.unwrap_or_else(fresh_seed),
    };
    let from_stdin = input.as_os_str() == "-";
    let shown_input = if from_stdin {
        "standard input".to_string()
    } else {
        input.display().to_string()
    };
    let mut reader: Box<dyn BufRead + '_> = if from_stdin {
        Box::new(stdin)
    } else {
        let path = env.resolve(input);
        let file = std::fs::File::open(&path).map_err(|err| {
            UserError::bad_input(format!("cannot read the input {shown_input}: {err}"))
        })?;
        Box::new(std::io::BufReader::with_capacity(1 << 16, file))
    };
    if args.batch {
        batch(&engine, entity, &context, &mut reader, &shown_input, stdout)
    } else {
        let mut text = String::new();
        reader.read_to_string(&mut text).map_err(|err| {
            UserError::bad_input(format!("cannot read the input {shown_input}: {err}"))
        })?;
        let value = parse_entity(&text).map_err(|err| {
            UserError::bad_input(format!(
                "{shown_input}:{}:{}: {}",
                err.line, err.column, err.message
            ))
        })?;
        let outcome = engine.apply(entity, &value, &context);
        let mut text = serde_json::to_string_pretty(&outcome.into_envelope())
            .expect("a JSON value serializes");
        text.push('\n');
        write_out(stdout, text.as_bytes())?;
        Ok(ExitCode::SUCCESS)
    }
}

/// The transformation to run: from a file (a document or a system export) or a template.
struct Document {
    transformation: Transformation,
    /// The export's properties, when the file is a system export.
    properties: BTreeMap<String, String>,
    warnings: Vec<String>,
    /// How to name it in messages.
    shown: String,
    /// The text to print when no input is given.
    text: String,
}

impl Document {
    fn load(args: &TransformArgs, env: &Environment) -> Result<Document, UserError> {
        if let Some(name) = &args.template {
            let text = templates::get(name).ok_or_else(|| {
                UserError::bad_input(format!(
                    "there is no template {name:?}; the templates are {}",
                    templates::names().collect::<Vec<_>>().join(", ")
                ))
            })?;
            let parsed = Transformation::parse(text).expect("shipped templates parse (tested)");
            return Ok(Document {
                transformation: parsed.transformation,
                properties: BTreeMap::new(),
                warnings: Vec::new(),
                shown: format!("template {name}"),
                text: text.to_string(),
            });
        }
        let file = args
            .transformation
            .as_ref()
            .expect("clap requires --transformation or --template");
        let shown = file.display().to_string();
        let text = read(env, file, "transformation")?;
        let value: Value = json::from_str(&text).map_err(|err| {
            UserError::bad_input(format!(
                "{shown}:{}:{}: not valid JSON: {}",
                err.line, err.column, err.message
            ))
        })?;
        let (parsed, properties, prefix) = match export_transformation(&value) {
            Some(transformation) => (
                Transformation::from_value(transformation),
                export_properties(&text, &shown)?,
                Some(JsonPath::root().key("transformation")),
            ),
            None => (Transformation::parse(&text), BTreeMap::new(), None),
        };
        let locate = |problem: &Problem| located(problem, &text, prefix.as_ref());
        match parsed {
            Ok(parsed) => Ok(Document {
                transformation: parsed.transformation,
                properties,
                warnings: parsed.warnings.iter().map(locate).collect(),
                shown,
                text,
            }),
            Err(err) => Err(UserError::bad_input(problems_message(
                &shown,
                &err.problems().iter().map(locate).collect::<Vec<_>>(),
            ))),
        }
    }
}

/// The `transformation` object of an IPS system export (§1.14), when `value` is one.
fn export_transformation(value: &Value) -> Option<&Value> {
    let object = value.as_object()?;
    let transformation = object.get("transformation").filter(|t| t.is_object())?;
    if !object.contains_key("connectorTypeString") && !object.contains_key("properties") {
        return None;
    }
    Some(transformation)
}

/// The properties `%property%` is filled from, exactly as a job fills them: the export's
/// effective properties with the catalogue's defaults for its connector and role. An export
/// whose properties are wrong is refused with each problem's line, column and JSON path.
fn export_properties(text: &str, shown: &str) -> Result<BTreeMap<String, String>, UserError> {
    match resolve_properties(text) {
        Ok(resolved) => Ok(substitution_properties(&resolved)),
        Err(ResolveError::Json(err)) => Err(UserError::bad_input(format!(
            "{shown}:{}:{}: not a valid IPS system export: {} (at {})",
            err.line, err.column, err.message, err.path
        ))),
        Err(ResolveError::Invalid(problems)) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|problem| match &problem.location {
                    Location::Export { path, line, column } => {
                        format!("{line}:{column}: {} (at {path})", problem.message)
                    }
                    Location::Secrets { .. } => problem.message.clone(),
                })
                .collect();
            Err(UserError::bad_input(format!(
                "{shown}: the system export has {} problem{}:\n  {}",
                lines.len(),
                if lines.len() == 1 { "" } else { "s" },
                lines.join("\n  ")
            )))
        }
    }
}

/// A problem with its line and column in the file, also for a transformation inside an export.
fn located(problem: &Problem, text: &str, prefix: Option<&JsonPath>) -> String {
    match prefix {
        Some(prefix) => problem.within(prefix, text).to_string(),
        None => problem.to_string(),
    }
}

fn problems_message(shown: &str, problems: &[String]) -> String {
    let mut message = format!(
        "{shown}: the transformation has {} problem{}:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        message.push_str("\n  ");
        message.push_str(problem);
    }
    message
}

fn invalid_transformation(shown: &str, err: &TransformError) -> UserError {
    let problems: Vec<String> = err.problems().iter().map(Problem::to_string).collect();
    UserError::bad_input(problems_message(
        &format!("{shown} (after %property% substitution)"),
        &problems,
    ))
}

fn print_document(document: &Document, stdout: &mut dyn Write) -> Result<ExitCode, UserError> {
    let mut text = document.text.clone();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    write_out(stdout, text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Transforms NDJSON line by line. A line that is not a JSON object gets a `failed` envelope
/// naming its line and column, so output lines stay aligned with input lines; the exit code is
/// then 2.
fn batch(
    engine: &Engine,
    entity: &str,
    context: &Context<'_>,
    reader: &mut dyn BufRead,
    shown: &str,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
    let mut line = String::new();
    let mut number = 0usize;
    let mut invalid = 0usize;
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .map_err(|err| UserError::bad_input(format!("cannot read the input {shown}: {err}")))?;
        if read == 0 {
            break;
        }
        number += 1;
        if line.trim().is_empty() {
            continue;
        }
        let envelope = match parse_entity_fast(&line) {
            Ok(value) => engine.apply(entity, &value, context).into_envelope(),
            Err(err) => {
                invalid += 1;
                Outcome::Failed {
                    error: format!("{shown}:{number}:{}: {}", err.column, err.message),
                }
                .into_envelope()
            }
        };
        serde_json::to_writer(&mut out, &envelope).map_err(output::json_write_failed)?;
        write_out(&mut out, b"\n")?;
    }
    out.flush().map_err(output::write_failed)?;
    if invalid > 0 {
        return Err(UserError::bad_input(format!(
            "{shown}: {invalid} line{} not a JSON object (see the failed results)",
            if invalid == 1 { " is" } else { "s are" }
        )));
    }
    Ok(ExitCode::SUCCESS)
}

/// Why a text is not one entity: where (line and column within the text) and what.
struct NotAnEntity {
    line: usize,
    column: usize,
    message: String,
}

/// [`parse_entity`] for batches: plain `serde_json` first, which gives the same value without
/// tracking the JSON path of every member (that tracking cost a batch of SAP's IAS v2 default
/// about 9 % of its instructions); only a line it refuses is parsed again for the located
/// message.
fn parse_entity_fast(text: &str) -> Result<Value, NotAnEntity> {
    match serde_json::from_str::<Value>(text) {
        Ok(value) if value.is_object() => Ok(value),
        _ => parse_entity(text),
    }
}

/// One entity: a JSON object.
fn parse_entity(text: &str) -> Result<Value, NotAnEntity> {
    let value: Value = json::from_str(text).map_err(|err| NotAnEntity {
        line: err.line,
        column: err.column,
        message: format!("not valid JSON: {}", err.message),
    })?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(NotAnEntity {
            line: 1,
            column: 1,
            message: format!(
                "expected one entity as a JSON object, found {}; for many entities use --batch with one object per line",
                json::kind(&value)
            ),
        })
    }
}

fn action(operation: TransformOperation) -> Action {
    match operation {
        TransformOperation::Create => Action::Create,
        TransformOperation::Update => Action::Update,
        TransformOperation::Patch => Action::Patch,
        TransformOperation::Delete => Action::Delete,
    }
}

/// `NAME=TEXT` sets a string, `NAME:=JSON` any JSON value.
fn variables(entries: &[String]) -> Result<Variables, UserError> {
    let mut variables = Variables::new();
    for entry in entries {
        let (name, value) = split_assignment(entry, "--var", "NAME=VALUE or NAME:=JSON")?;
        match name.strip_suffix(':') {
            Some(name) => {
                let json: Value = serde_json::from_str(value).map_err(|err| {
                    UserError::bad_input(format!(
                        "--var {name}:= takes JSON, and {value:?} is not: {err}"
                    ))
                })?;
                variables.set(name, json);
            }
            None => variables.set(name, Value::String(value.to_string())),
        }
    }
    Ok(variables)
}

fn split_assignment<'e>(
    entry: &'e str,
    option: &str,
    expected: &str,
) -> Result<(&'e str, &'e str), UserError> {
    match entry.split_once('=') {
        Some((name, value)) if !name.is_empty() && name != ":" => Ok((name, value)),
        _ => Err(UserError::bad_input(format!(
            "{option} {entry:?}: expected {expected}"
        ))),
    }
}

/// The relations of `--id-map`: entity type → source id → target id.
#[derive(Debug, Default)]
struct IdMap(BTreeMap<String, BTreeMap<String, String>>);

impl IdMap {
    fn load(text: &str, shown: &str) -> Result<IdMap, UserError> {
        json::from_str::<BTreeMap<String, BTreeMap<String, String>>>(text)
            .map(IdMap)
            .map_err(|err| {
                let mut error = UserError::not_json(shown, "an id map", &err);
                error.message.push_str(
                    "; expected {\"user\": {\"<source id>\": \"<target id>\"}, \"group\": {…}}",
                );
                error
            })
    }
}

impl IdResolver for IdMap {
    fn resolve(&self, request: &IdRequest<'_>) -> Option<String> {
        self.0
            .get(request.entity_type)?
            .get(request.source_id)
            .cloned()
    }
}

fn read(env: &Environment, file: &std::path::Path, what: &str) -> Result<String, UserError> {
    std::fs::read_to_string(env.resolve(file)).map_err(|err| {
        UserError::bad_input(format!("cannot read the {what} {}: {err}", file.display()))
    })
}

fn write_out(out: &mut dyn Write, bytes: &[u8]) -> Result<(), UserError> {
    output::write(out, bytes)
}

/// A seed that differs from run to run, without a dependency: the standard library's randomly
/// keyed hasher.
fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(jiff::Timestamp::now().as_nanosecond())
}
