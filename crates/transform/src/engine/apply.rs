//! Running a compiled transformation on one entity (`reference/ips-ias.md` §1.11).

use std::borrow::Cow;
use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use super::compile::{Cond, Engine, Func, Kind, Source, Step};
use super::context::{Action, Context};
use super::outcome::Outcome;
use super::properties::rewrite_strings;
use super::variables::{CURRENT_DATE, ENTITY_ID_TARGET_SYSTEM, Variables};
use crate::condition::Condition;
use crate::document::{Function, ValueMapping};
use crate::functions::{CompiledFunction, Env, IdResolver, Random};
use crate::path::{self, Path};

impl Engine {
    /// Transforms one entity of type `entity_type` (`user`, `group`, …) for `context.action`:
    ///
    /// 1. An entity type without a section, or with `"ignore": true`, is [`Outcome::Ignored`].
    /// 2. Create and update: the entity-level `condition` must hold, else the entity is skipped
    ///    with IPS's reason text; then an operation listed in `skipOperations` is skipped.
    /// 3. Delete: `skipOperations: ["delete"]` skips; without `deleteEntity` mappings the outcome
    ///    is [`Outcome::Delete`]; with them, only they run and the entity condition is ignored.
    /// 4. The mappings whose scope fits the action run in order; a later write to the same
    ///    target replaces an earlier one.
    pub fn apply(&self, entity_type: &str, input: &Value, context: &Context<'_>) -> Outcome {
        let Some(entity) = self.entity(entity_type) else {
            return Outcome::Ignored;
        };
        if entity.ignored {
            return Outcome::Ignored;
        }
        let mut run = Run {
            input,
            properties: &self.properties,
            ids: context.ids,
            variables: context.variables.clone(),
            written: Variables::new(),
            random: Random::new(context.seed),
        };
        if let Some(pattern) = &self.date_format
            && run.variables.get(CURRENT_DATE).is_none()
        {
            let now = context.now.to_zoned(TimeZone::UTC).datetime();
            run.variables
                .set(CURRENT_DATE, Value::String(pattern.format(now)));
        }
        let action = context.action;
        let operation = action.operation();
        if action == Action::Delete {
            if entity.skip.contains(&operation) {
                return Outcome::operation_skipped(operation.as_str());
            }
            if !entity.has_delete_steps {
                return Outcome::Delete;
            }
        } else {
            if let Some(condition) = &entity.condition {
                match run.test(condition) {
                    Ok(true) => {}
                    Ok(false) => return Outcome::condition_not_fulfilled(&condition.text),
                    Err(error) => {
                        return Outcome::Failed {
                            error: format!("{entity_type}.condition: {error}"),
                        };
                    }
                }
            }
            if entity.skip.contains(&operation) {
                return Outcome::operation_skipped(operation.as_str());
            }
        }
        let mut output = Value::Object(Map::new());
        for step in entity.steps.iter().filter(|step| action.runs(step.scope)) {
            if let Err(error) = run.step(step, &mut output) {
                return Outcome::Failed { error };
            }
        }
        Outcome::Written {
            entity: output,
            variables: run.written,
        }
    }
}

/// Why a mapping has no value.
enum Missing<'s> {
    Path(&'s Path),
    Variable(&'s str),
    Function(&'s str),
    NoMatch,
}

/// The state of one entity's transformation.
struct Run<'a> {
    input: &'a Value,
    properties: &'a BTreeMap<String, String>,
    ids: &'a dyn IdResolver,
    variables: Variables,
    /// The variables the mappings set, reported in the outcome.
    written: Variables,
    random: Random,
}

impl Run<'_> {
    fn test(&self, condition: &Cond) -> Result<bool, String> {
        let result = match &condition.compiled {
            Some(compiled) => compiled.evaluate_with(self.input, None, self.properties),
            None => {
                let text = self.variables.interpolate(&condition.text);
                Condition::parse(&text)
                    .and_then(|parsed| parsed.evaluate_with(self.input, None, self.properties))
                    .map_err(|err| crate::condition::ConditionError {
                        position: err.position,
                        message: format!("in {text:?} (variables replaced): {}", err.message),
                    })
            }
        };
        result.map_err(|err| format!("condition {:?}: {err}", condition.text))
    }

    fn step(&mut self, step: &Step, output: &mut Value) -> Result<(), String> {
        if let Some(condition) = &step.condition
            && !self
                .test(condition)
                .map_err(|err| format!("{}: {err}", step.at))?
        {
            return Ok(());
        }
        match &step.kind {
            Kind::Remove => {
                if let Some(target) = &step.target {
                    path::remove(output, target);
                }
                Ok(())
            }
            Kind::Rename(new_key) => {
                let Some(target) = &step.target else {
                    return Ok(());
                };
                if path::rename(output, target, new_key) == 0 && !step.optional {
                    return Err(format!(
                        "{}: there is nothing at {target} to rename to {new_key:?} (set \"optional\": true if that is expected)",
                        step.at
                    ));
                }
                Ok(())
            }
            Kind::Set { source, functions } => {
                let value = match source {
                    Source::Constant(constant) => Ok(constant.clone()),
                    Source::Path(path) => read(path, self.input).ok_or(Missing::Path(path)),
                    Source::Variable { name, path } => self
                        .variables
                        .get(name)
                        .filter(|value| !value.is_null())
                        .and_then(|value| match path {
                            Some(path) => read(path, value),
                            None => Some(value.clone()),
                        })
                        .ok_or(Missing::Variable(name)),
                    Source::Nothing => Ok(Value::Null),
                };
                let value = match value {
                    Ok(value) => self.functions(step, functions, value)?,
                    Err(missing) => Err(missing),
                };
                let read = matches!(source, Source::Path(_) | Source::Variable { .. });
                self.finish(step, value, read, output)
            }
            Kind::Lookup { paths, table } => {
                let value = lookup(paths, table, self.input).ok_or(Missing::NoMatch);
                self.finish(step, value, false, output)
            }
        }
    }

    fn functions<'s>(
        &mut self,
        step: &'s Step,
        functions: &'s [Func],
        mut value: Value,
    ) -> Result<Result<Value, Missing<'s>>, String> {
        for (i, function) in functions.iter().enumerate() {
            let mut env = Env {
                document: self.input,
                properties: self.properties,
                ids: self.ids,
                random: &mut self.random,
            };
            let (name, result) = match function {
                Func::Ready(compiled) => (compiled.name(), compiled.apply(value, &mut env)),
                Func::Template(template) => (
                    template.name.as_str(),
                    CompiledFunction::compile(&interpolate(template, &self.variables))
                        .and_then(|compiled| compiled.apply(value, &mut env)),
                ),
            };
            match result.map_err(|err| format!("{}.functions[{i}]: {err}", step.at))? {
                Some(next) => value = next,
                None => return Ok(Err(Missing::Function(name))),
            }
        }
        Ok(Ok(value))
    }

    /// Writes a mapping's value, its default, or nothing; or fails for a missing mandatory value.
    /// A value `read` from a path or variable has a one-element array unwrapped unless
    /// `preserveArrayWithSingleElement` is set; constants and defaults are written as written.
    fn finish(
        &mut self,
        step: &Step,
        value: Result<Value, Missing<'_>>,
        read: bool,
        output: &mut Value,
    ) -> Result<(), String> {
        let value = match (value, &step.default) {
            (Ok(value), _) if read && !step.preserve_array => unwrap_single(value),
            (Ok(value), _) => value,
            (Err(_), Some(default)) => default.clone(),
            (Err(_), None) if step.optional => return Ok(()),
            // SAP's default write transformations map entityIdTargetSystem to $.id without
            // "optional"; on create IPS has no target id yet and sends no id (proposed).
            (Err(Missing::Variable(ENTITY_ID_TARGET_SYSTEM)), None) => return Ok(()),
            (Err(missing), None) => return Err(missing_message(step, &missing)),
        };
        match (&step.target, &step.target_variable) {
            (Some(target), Some(variable)) => {
                self.set_variable(variable, value.clone());
                write(step, output, target, value)
            }
            (Some(target), None) => write(step, output, target, value),
            (None, Some(variable)) => {
                self.set_variable(variable, value);
                Ok(())
            }
            (None, None) => Ok(()),
        }
    }

    fn set_variable(&mut self, name: &str, value: Value) {
        self.written.set(name, value.clone());
        self.variables.set(name, value);
    }
}

fn missing_message(step: &Step, missing: &Missing<'_>) -> String {
    let what = match missing {
        Missing::Path(path) => format!("the mandatory attribute {path} is missing in the entity"),
        Missing::Variable(name) => format!("the variable {name} is not set"),
        Missing::Function(name) => format!("the function {name} returned no value"),
        Missing::NoMatch => {
            "no valueMappings entry matches the values of sourcePaths and there is no defaultValue"
                .to_string()
        }
    };
    format!(
        "{}: {what} (the mapping is not optional: set \"optional\": true or a defaultValue to allow it)",
        step.at
    )
}

fn write(step: &Step, output: &mut Value, target: &Path, value: Value) -> Result<(), String> {
    path::write(output, target, value)
        .map_err(|err| format!("{}: cannot write to {target}: {}", step.at, err.message))
}

/// The value a source path reads: a definite path its match (`null` counts as missing), an
/// indefinite one the array of its matches (none counts as missing).
fn read(path: &Path, root: &Value) -> Option<Value> {
    let found = path.read(root);
    if path.is_definite() {
        found
            .into_iter()
            .next()
            .filter(|value| !value.is_null())
            .map(|value| value.into_owned())
    } else if found.is_empty() {
        None
    } else {
        Some(Value::Array(
            found.into_iter().map(|value| value.into_owned()).collect(),
        ))
    }
}

/// Unwraps a one-element array unless `preserveArrayWithSingleElement` is set (§1.3).
fn unwrap_single(value: Value) -> Value {
    match value {
        Value::Array(mut items) if items.len() == 1 => items.pop().unwrap_or(Value::Null),
        other => other,
    }
}

/// The `mappedValue` of the first `valueMappings` entry whose `key` matches the values of the
/// source paths; `None` when a path has no value or no entry matches (§1.4).
fn lookup(paths: &[Path], table: &[ValueMapping], input: &Value) -> Option<Value> {
    let values: Vec<Value> = paths
        .iter()
        .map(|path| read(path, input).map(unwrap_single))
        .collect::<Option<_>>()?;
    table
        .iter()
        .find(|entry| {
            entry.key.len() == values.len()
                && entry
                    .key
                    .iter()
                    .zip(&values)
                    .all(|(key, value)| same(key, value))
        })
        .map(|entry| entry.mapped_value.clone())
}

/// Key equality for value mappings: equal JSON, or scalars that spell the same text
/// (`"840"` matches `840`) — **proposed**.
fn same(key: &Value, value: &Value) -> bool {
    key == value || matches!((scalar_text(key), scalar_text(value)), (Some(a), Some(b)) if a == b)
}

fn scalar_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Number(number) => Some(Cow::Owned(number.to_string())),
        Value::Bool(flag) => Some(Cow::Owned(flag.to_string())),
        _ => None,
    }
}

/// A copy of a function with `${variable}` placeholders in its parameters replaced.
fn interpolate(function: &Function, variables: &Variables) -> Function {
    let mut function = function.clone();
    for value in function.parameters.values_mut() {
        rewrite_strings(value, &|text| variables.interpolate(text));
    }
    function
}
