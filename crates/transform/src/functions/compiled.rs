//! A function compiled once and applied to many values, with the parameters every function
//! takes (`reference/ips-ias.md` §1.8): `condition`, `applyOnElements`, `applyOnAttribute`
//! (`applyOnJsonAttribute`) and `assignToAttribute`.

use serde_json::{Map, Value};

use super::fault::{Fault, Outcome};
use super::kernel::{Kernel, Shape};
use super::params::Params;
use super::values::kind;
use super::{Env, FunctionError};
use crate::condition::Condition;
use crate::document::Function;

/// A mapping function ready to apply: parameters checked, regexes, date patterns and the
/// `condition` compiled.
///
/// How the common parameters combine (**proposed** where SAP documents only examples):
///
/// - `condition`: tested with `@` = the current value, `$` = the entity and the system
///   properties; when false the value passes through unchanged. With `applyOnElements`, with
///   the map functions on an array, and with `applyOnAttribute`/`assignToAttribute`, it is tested
///   per element, so `(@.type NIN ['work', 'home'])` sees each address.
/// - `applyOnElements: true` on an array: the function is applied to each element; an element for
///   which it gives no value (an unresolved id, `elementAt` past the end) is dropped.
/// - The map functions (`putIfAbsent`, `putIfPresent`, `copyMapEntry`, `renameMapEntry`,
///   `convertCountryCode`, `convertCountryRegion`) take an object or each object of an array.
/// - `applyOnAttribute: "A"`: the value is an object, or an array of objects; the function is
///   applied to member `A` of each, in place. An object without `A` is left as it is.
/// - `assignToAttribute: "B"`: the result is written to member `B` and the input is kept; with
///   `applyOnAttribute` the input is member `A`, without it the whole object. A function that
///   gives no value removes the member it would have written.
/// - Other functions given an array without `applyOnElements` fail with an error that says to
///   set it (`decode` takes a list of texts and `encode`/`toString` a byte array, as documented).
/// - Null passes through every function except `convertTimezoneCode` (its default zone),
///   `resolveEntityIds` and `elementAt` (no value) and `randomPassword` (which needs no input).
#[derive(Debug, Clone)]
pub struct CompiledFunction {
    name: String,
    kernel: Kernel,
    condition: Option<Condition>,
    on_elements: bool,
    attribute: Option<String>,
    assign_to: Option<String>,
}

impl CompiledFunction {
    /// Checks the parameters (types, documented choices, consistency such as `randomPassword`'s
    /// minima against its length) and compiles regexes, date patterns and the `condition`.
    /// An unknown function name is an error.
    pub fn compile(function: &Function) -> Result<Self, FunctionError> {
        let name = function.name.clone();
        Self::build(function).map_err(|fault| named(&name, fault))
    }

    fn build(function: &Function) -> Outcome<Self> {
        let params = Params::new(function);
        let kernel = Kernel::compile(&function.name, &params)?;
        let condition = params
            .text("condition")?
            .map(|text| {
                Condition::parse(&text).map_err(|err| {
                    Fault::parameter("condition", format!("invalid condition {text:?}: {err}"))
                })
            })
            .transpose()?;
        let attribute = match params.text("applyOnAttribute")? {
            Some(attribute) => Some(attribute),
            None => params.text("applyOnJsonAttribute")?,
        };
        Ok(Self {
            name: function.name.clone(),
            kernel,
            condition,
            on_elements: params.boolean("applyOnElements")?.unwrap_or(false),
            attribute,
            assign_to: params.text("assignToAttribute")?,
        })
    }

    /// The function's name, such as `putIfAbsent`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Applies the function to `value`. `Ok(None)` means "no value" (an id that does not
    /// resolve, `elementAt` past the end, a regex group that did not match): the engine then
    /// treats the mapping's source as missing. An error means the value cannot be transformed
    /// (text expected, index out of range, a date that does not fit its pattern); its message
    /// says what to change.
    pub fn apply(&self, value: Value, env: &mut Env<'_>) -> Result<Option<Value>, FunctionError> {
        self.dispatch(value, env)
            .map_err(|fault| named(&self.name, fault))
    }

    fn dispatch(&self, value: Value, env: &mut Env<'_>) -> Outcome<Option<Value>> {
        if self.attribute.is_some() || self.assign_to.is_some() {
            return self.on_objects(value, env).map(Some);
        }
        match value {
            Value::Array(items) if self.on_elements || self.kernel.shape() == Shape::Map => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if !self.holds(&item, env)? {
                        out.push(item);
                    } else if let Some(result) = self.kernel.run(item, env)? {
                        out.push(result);
                    }
                }
                Ok(Some(Value::Array(out)))
            }
            value if !self.holds(&value, env)? => Ok(Some(value)),
            value => self.kernel.run(value, env),
        }
    }

    /// Whether the `condition` holds for `current` (true without a condition).
    fn holds(&self, current: &Value, env: &Env<'_>) -> Outcome<bool> {
        let Some(condition) = &self.condition else {
            return Ok(true);
        };
        condition
            .evaluate_with(env.document, Some(current), env.properties)
            .map_err(|err| {
                Fault::parameter(
                    "condition",
                    format!(
                        "condition {:?} could not be evaluated: {err}",
                        condition.as_str()
                    ),
                )
            })
    }

    /// `applyOnAttribute` / `assignToAttribute`: an object, or each object of an array.
    fn on_objects(&self, value: Value, env: &mut Env<'_>) -> Outcome<Value> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .map(|item| self.on_object(item, env))
                .collect::<Outcome<Vec<_>>>()
                .map(Value::Array),
            Value::Null => Ok(Value::Null),
            other => self.on_object(other, env),
        }
    }

    /// One object: the condition is tested on it, then the function applied to its member.
    fn on_object(&self, item: Value, env: &mut Env<'_>) -> Outcome<Value> {
        if !item.is_object() {
            return Err(self.not_object(&item));
        }
        if !self.holds(&item, env)? {
            return Ok(item);
        }
        match item {
            Value::Object(map) => self.on_members(map, env).map(Value::Object),
            other => Err(self.not_object(&other)),
        }
    }

    fn not_object(&self, value: &Value) -> Fault {
        let parameter = if self.attribute.is_some() {
            "applyOnAttribute"
        } else {
            "assignToAttribute"
        };
        Fault::parameter(
            parameter,
            format!(
                "{parameter} needs an object or an array of objects, got {}",
                kind(value)
            ),
        )
    }

    fn on_members(
        &self,
        mut map: Map<String, Value>,
        env: &mut Env<'_>,
    ) -> Outcome<Map<String, Value>> {
        let input = match (&self.attribute, &self.assign_to) {
            (Some(attribute), Some(_)) => match map.get(attribute) {
                Some(input) => input.clone(),
                None => return Ok(map),
            },
            (Some(attribute), None) => match map.get_mut(attribute) {
                Some(slot) => std::mem::take(slot),
                None => return Ok(map),
            },
            (None, _) => Value::Object(map.clone()),
        };
        let result = self.kernel.run(input, env)?;
        let Some(target) = self.assign_to.as_ref().or(self.attribute.as_ref()) else {
            return Ok(map);
        };
        match result {
            Some(result) => match map.get_mut(target) {
                Some(slot) => *slot = result,
                None => {
                    map.insert(target.clone(), result);
                }
            },
            None => {
                map.shift_remove(target);
            }
        }
        Ok(map)
    }
}

fn named(function: &str, fault: Fault) -> FunctionError {
    FunctionError {
        function: function.to_string(),
        parameter: fault.parameter,
        message: fault.message,
    }
}
