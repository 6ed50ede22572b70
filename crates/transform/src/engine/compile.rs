//! Turning a checked transformation into an [`Engine`]: properties substituted, every path,
//! condition and function compiled once, ignored and correlation-only mappings dropped.

use std::collections::BTreeMap;

use sapland_core::json::JsonPath;
use serde_json::Value;

use super::properties::substitute_in_value;
use super::variables::CURRENT_DATE;
use crate::condition::Condition;
use crate::document::{
    Function, Mapping, MappingType, Operation, Problem, Scope, TransformError, Transformation,
    ValueMapping,
};
use crate::functions::CompiledFunction;
use crate::javadate::{DatePattern, IPS_DATE_VARIABLE_FORMAT};
use crate::path::Path;

/// The property that sets the format of `currentDate` (§1.6).
pub const DATE_FORMAT_PROPERTY: &str = "ips.date.variable.format";

/// A transformation ready to run: build it once with [`Engine::new`], then
/// [`Engine::apply`] it to any number of entities.
#[derive(Debug)]
pub struct Engine {
    pub(super) entities: Vec<(String, Entity)>,
    pub(super) properties: BTreeMap<String, String>,
    pub(super) date_format: Option<DatePattern>,
}

#[derive(Debug)]
pub(super) struct Entity {
    pub(super) ignored: bool,
    pub(super) condition: Option<Cond>,
    pub(super) skip: Vec<Operation>,
    pub(super) steps: Vec<Step>,
    pub(super) has_delete_steps: bool,
}

/// A condition, compiled unless it holds `${variable}` placeholders (then it is compiled after
/// they are replaced, for each entity).
#[derive(Debug)]
pub(super) struct Cond {
    pub(super) text: String,
    pub(super) compiled: Option<Condition>,
}

/// One mapping that can run.
#[derive(Debug)]
pub(super) struct Step {
    /// Where it is, as IPS users read it: `user.mappings[3]`.
    pub(super) at: String,
    pub(super) scope: Option<Scope>,
    pub(super) condition: Option<Cond>,
    pub(super) kind: Kind,
    pub(super) optional: bool,
    pub(super) default: Option<Value>,
    pub(super) preserve_array: bool,
    pub(super) target: Option<Path>,
    pub(super) target_variable: Option<String>,
}

#[derive(Debug)]
pub(super) enum Kind {
    Set {
        source: Source,
        functions: Vec<Func>,
    },
    Remove,
    Rename(String),
    Lookup {
        paths: Vec<Path>,
        table: Vec<ValueMapping>,
    },
}

#[derive(Debug)]
pub(super) enum Source {
    Constant(Value),
    Path(Path),
    Variable {
        name: String,
        path: Option<Path>,
    },
    /// No source: the functions produce the value (`randomPassword`).
    Nothing,
}

#[derive(Debug)]
pub(super) enum Func {
    Ready(Box<CompiledFunction>),
    /// Parameters hold `${variable}` placeholders: interpolated and compiled for each entity.
    Template(Function),
}

impl Engine {
    /// Prepares `transformation` for a system with `properties`: replaces `%property%`
    /// placeholders (§1.7), checks the result again, and compiles every path, condition and
    /// function. Problems are reported with their location, as [`Transformation::parse`] does.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use sapland_transform::document::Transformation;
    /// use sapland_transform::engine::{Action, Context, Engine, Outcome};
    /// use serde_json::json;
    ///
    /// let parsed = Transformation::parse(r#"{"user": {"mappings": [
    ///     {"sourcePath": "$.userName", "targetPath": "$.userName",
    ///      "functions": [{"function": "concatString", "prefix": "%prefix%"}]}]}}"#)?;
    /// let properties = BTreeMap::from([("prefix".to_string(), "ips_".to_string())]);
    /// let engine = Engine::new(&parsed.transformation, properties)?;
    /// let outcome = engine.apply("user", &json!({"userName": "jdoe"}), &Context::new(Action::Create));
    /// assert_eq!(outcome.to_envelope(), json!({"outcome": "written", "entity": {"userName": "ips_jdoe"}}));
    /// # Ok::<(), sapland_transform::document::TransformError>(())
    /// ```
    pub fn new(
        transformation: &Transformation,
        properties: BTreeMap<String, String>,
    ) -> Result<Engine, TransformError> {
        let mut document = transformation.to_value();
        let uses_current_date = document.to_string().contains(CURRENT_DATE);
        let substituted;
        let transformation = if document.to_string().contains('%') {
            substitute_in_value(&mut document, &properties);
            substituted = Transformation::from_value(&document)?.transformation;
            &substituted
        } else {
            transformation
        };
        let mut problems = Vec::new();
        let date_format = if uses_current_date {
            let pattern = properties
                .get(DATE_FORMAT_PROPERTY)
                .map_or(IPS_DATE_VARIABLE_FORMAT, String::as_str);
            match DatePattern::parse(pattern) {
                Ok(pattern) => Some(pattern),
                Err(err) => {
                    problems.push(Problem::at(
                        None,
                        JsonPath::root(),
                        format!("property {DATE_FORMAT_PROPERTY} {pattern:?} is not a date format: {err}"),
                    ));
                    None
                }
            }
        } else {
            None
        };
        let entities = transformation
            .entities
            .iter()
            .map(|(name, spec)| {
                let at = JsonPath::root().key(name);
                let condition = spec
                    .condition
                    .as_deref()
                    .and_then(|text| cond(text, at.clone().key("condition"), &mut problems));
                let steps: Vec<Step> = spec
                    .mappings
                    .iter()
                    .enumerate()
                    .filter(|(_, mapping)| !mapping.is_ignored() && !mapping.is_correlation_only())
                    .filter_map(|(i, mapping)| {
                        step(mapping, at.clone().key("mappings").index(i), &mut problems)
                    })
                    .collect();
                let entity = Entity {
                    ignored: spec.is_ignored(),
                    condition,
                    skip: spec.skip_operations.clone(),
                    has_delete_steps: steps
                        .iter()
                        .any(|step| step.scope == Some(Scope::DeleteEntity)),
                    steps,
                };
                (name.clone(), entity)
            })
            .collect();
        if problems.is_empty() {
            Ok(Engine {
                entities,
                properties,
                date_format,
            })
        } else {
            Err(TransformError::Invalid {
                errors: problems,
                warnings: Vec::new(),
            })
        }
    }

    /// The entity types the transformation has a section for, in document order.
    pub fn entity_types(&self) -> impl Iterator<Item = &str> {
        self.entities.iter().map(|(name, _)| name.as_str())
    }

    /// Whether entities of `entity_type` are not processed: the type is `"ignore": true` or has
    /// no section (§1.2; no statistics are kept for it).
    pub fn ignores(&self, entity_type: &str) -> bool {
        self.entity(entity_type).is_none_or(|entity| entity.ignored)
    }

    /// Whether `skipOperations` of `entity_type` lists `operation`.
    pub fn skips(&self, entity_type: &str, operation: Operation) -> bool {
        self.entity(entity_type)
            .is_some_and(|entity| entity.skip.contains(&operation))
    }

    pub(super) fn entity(&self, name: &str) -> Option<&Entity> {
        self.entities
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, entity)| entity)
    }
}

fn cond(text: &str, at: JsonPath, problems: &mut Vec<Problem>) -> Option<Cond> {
    if text.contains("${") {
        return Some(Cond {
            text: text.to_string(),
            compiled: None,
        });
    }
    match Condition::parse(text) {
        Ok(condition) => Some(Cond {
            text: text.to_string(),
            compiled: Some(condition),
        }),
        Err(err) => {
            problems.push(Problem::at(
                None,
                at,
                format!("invalid condition {text:?} {err}"),
            ));
            None
        }
    }
}

fn path(text: &str, at: JsonPath, problems: &mut Vec<Problem>) -> Option<Path> {
    match Path::parse(text) {
        Ok(path) => Some(path),
        Err(err) => {
            problems.push(Problem::at(
                None,
                at,
                format!("invalid JSONPath {text:?} {err}"),
            ));
            None
        }
    }
}

fn step(mapping: &Mapping, at: JsonPath, problems: &mut Vec<Problem>) -> Option<Step> {
    let before = problems.len();
    let condition = mapping
        .condition
        .as_deref()
        .and_then(|text| cond(text, at.clone().key("condition"), problems));
    let target = mapping
        .target_path
        .as_deref()
        .and_then(|text| path(text, at.clone().key("targetPath"), problems));
    let kind = match mapping.kind {
        MappingType::Remove => Kind::Remove,
        MappingType::Rename => Kind::Rename(
            mapping
                .constant
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        ),
        MappingType::ValueMapping => Kind::Lookup {
            paths: mapping
                .source_paths
                .iter()
                .flatten()
                .enumerate()
                .filter_map(|(i, text)| {
                    path(text, at.clone().key("sourcePaths").index(i), problems)
                })
                .collect(),
            table: mapping.value_mappings.clone().unwrap_or_default(),
        },
        MappingType::Set => Kind::Set {
            source: source(mapping, &at, problems),
            functions: mapping
                .functions
                .iter()
                .enumerate()
                .filter_map(|(i, function)| {
                    func(function, at.clone().key("functions").index(i), problems)
                })
                .collect(),
        },
    };
    let step = Step {
        at: crate::document::display_path(&at),
        scope: mapping.scope,
        condition,
        kind,
        optional: mapping.optional,
        default: mapping.default_value.clone(),
        preserve_array: mapping.preserve_array_with_single_element,
        target,
        target_variable: mapping.target_variable.clone(),
    };
    (problems.len() == before).then_some(step)
}

fn source(mapping: &Mapping, at: &JsonPath, problems: &mut Vec<Problem>) -> Source {
    if let Some(constant) = &mapping.constant {
        return Source::Constant(constant.clone());
    }
    if let Some(name) = &mapping.source_variable {
        return Source::Variable {
            name: name.clone(),
            path: mapping
                .variable_path
                .as_deref()
                .and_then(|text| path(text, at.clone().key("variablePath"), problems)),
        };
    }
    match &mapping.source_path {
        Some(text) => {
            path(text, at.clone().key("sourcePath"), problems).map_or(Source::Nothing, Source::Path)
        }
        None => Source::Nothing,
    }
}

fn func(function: &Function, at: JsonPath, problems: &mut Vec<Problem>) -> Option<Func> {
    if function.parameters.values().any(has_variable) {
        return Some(Func::Template(function.clone()));
    }
    match CompiledFunction::compile(function) {
        Ok(compiled) => Some(Func::Ready(Box::new(compiled))),
        Err(err) => {
            let at = match &err.parameter {
                Some(parameter) => at.key(parameter),
                None => at,
            };
            problems.push(Problem::at(None, at, err.to_string()));
            None
        }
    }
}

/// Whether a JSON value holds a `${variable}` placeholder somewhere.
pub(super) fn has_variable(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains("${"),
        Value::Array(items) => items.iter().any(has_variable),
        Value::Object(members) => members.values().any(has_variable),
        _ => false,
    }
}
