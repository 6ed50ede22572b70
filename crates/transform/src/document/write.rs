//! Writing the model back as JSON: members in the order the document wrote them, then any set
//! in code, then unknown members — so an unchanged document comes back as it was.

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::model::{EntitySpec, Function, Mapping, MappingType, Transformation, ValueMapping};

impl Transformation {
    /// The transformation as a JSON document.
    pub fn to_value(&self) -> Value {
        Value::Object(
            self.entities
                .iter()
                .map(|(name, spec)| (name.clone(), spec.to_value()))
                .collect(),
        )
    }
}

impl EntitySpec {
    /// The entity specification as JSON.
    pub fn to_value(&self) -> Value {
        let written = |key: &str| self.member_order.iter().any(|k| k == key);
        let known = vec![
            ("condition", self.condition.clone().map(Value::String)),
            (
                "ignore",
                (self.is_ignored() || written("ignore")).then(|| self.ignore.to_value()),
            ),
            (
                "skipOperations",
                (!self.skip_operations.is_empty() || written("skipOperations")).then(|| {
                    Value::Array(
                        self.skip_operations
                            .iter()
                            .map(|op| Value::String(op.as_str().into()))
                            .collect(),
                    )
                }),
            ),
            (
                "scimEntityEndpoint",
                self.scim_entity_endpoint.clone().map(Value::String),
            ),
            (
                "mappings",
                (!self.mappings.is_empty() || written("mappings"))
                    .then(|| Value::Array(self.mappings.iter().map(Mapping::to_value).collect())),
            ),
        ];
        Value::Object(assemble(&self.member_order, known, &self.extra))
    }
}

impl Mapping {
    /// The mapping as JSON.
    pub fn to_value(&self) -> Value {
        let written = |key: &str| self.member_order.iter().any(|k| k == key);
        let flag = |key: &str, value: bool| (value || written(key)).then_some(Value::Bool(value));
        let text = |value: &Option<String>| value.clone().map(Value::String);
        let known = vec![
            ("sourcePath", text(&self.source_path)),
            (
                "sourcePaths",
                self.source_paths
                    .as_ref()
                    .map(|paths| Value::Array(paths.iter().cloned().map(Value::String).collect())),
            ),
            ("sourceVariable", text(&self.source_variable)),
            ("variablePath", text(&self.variable_path)),
            ("constant", self.constant.clone()),
            ("targetPath", text(&self.target_path)),
            ("targetVariable", text(&self.target_variable)),
            (
                "type",
                (self.kind != MappingType::Set || written("type"))
                    .then(|| Value::String(self.kind.as_str().into())),
            ),
            ("optional", flag("optional", self.optional)),
            ("defaultValue", self.default_value.clone()),
            (
                "preserveArrayWithSingleElement",
                flag(
                    "preserveArrayWithSingleElement",
                    self.preserve_array_with_single_element,
                ),
            ),
            ("condition", text(&self.condition)),
            (
                "scope",
                self.scope.map(|scope| Value::String(scope.as_str().into())),
            ),
            (
                "ignore",
                (self.is_ignored() || written("ignore")).then(|| self.ignore.to_value()),
            ),
            (
                "functions",
                (!self.functions.is_empty() || written("functions"))
                    .then(|| Value::Array(self.functions.iter().map(Function::to_value).collect())),
            ),
            (
                "correlationAttribute",
                flag("correlationAttribute", self.correlation_attribute),
            ),
            (
                "valueMappings",
                self.value_mappings.as_ref().map(|entries| {
                    Value::Array(entries.iter().map(ValueMapping::to_value).collect())
                }),
            ),
        ];
        Value::Object(assemble(&self.member_order, known, &self.extra))
    }
}

impl ValueMapping {
    /// The entry as JSON.
    pub fn to_value(&self) -> Value {
        let known = vec![
            ("key", Some(Value::Array(self.key.clone()))),
            ("mappedValue", Some(self.mapped_value.clone())),
        ];
        Value::Object(assemble(&self.member_order, known, &self.extra))
    }
}

impl Function {
    /// The function as JSON, named by `function` or `type` as it was written.
    pub fn to_value(&self) -> Value {
        let known = vec![(
            self.named_by.as_str(),
            Some(Value::String(self.name.clone())),
        )];
        Value::Object(assemble(&self.member_order, known, &self.parameters))
    }
}

/// Members in `order` first (known ones from `known`, others from `extra`), then the remaining
/// known members that are set, then the remaining `extra` members.
fn assemble(
    order: &[String],
    known: Vec<(&'static str, Option<Value>)>,
    extra: &Map<String, Value>,
) -> Map<String, Value> {
    let mut known: Vec<(&'static str, Option<Value>)> = known;
    let mut out = Map::new();
    for key in order {
        if out.contains_key(key) {
            continue;
        }
        if let Some((_, slot)) = known.iter_mut().find(|(k, _)| k == key) {
            if let Some(value) = slot.take() {
                out.insert(key.clone(), value);
            }
        } else if let Some(value) = extra.get(key) {
            out.insert(key.clone(), value.clone());
        }
    }
    for (key, value) in known {
        if let Some(value) = value
            && !out.contains_key(key)
        {
            out.insert(key.to_string(), value);
        }
    }
    for (key, value) in extra {
        if !out.contains_key(key) {
            out.insert(key.clone(), value.clone());
        }
    }
    out
}

macro_rules! serialize_via_value {
    ($($ty:ty),*) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.to_value().serialize(serializer)
            }
        }
    )*};
}

serialize_via_value!(Transformation, EntitySpec, Mapping, ValueMapping, Function);
