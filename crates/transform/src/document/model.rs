//! The transformation document as typed values (`reference/ips-ias.md` §1.2–§1.5, §1.8).
//!
//! Every object keeps the members it does not model in `extra` and the order its members were
//! written in `member_order`, so parse → serialize gives the document back as it was written.

use serde_json::{Map, Value};

/// A transformation: entity type (`user`, `group`, `role`, …) → what to do with entities of that
/// type, in the order the document lists them (§1.2).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transformation {
    /// Entity type name → specification, in document order (names are unique).
    pub entities: Vec<(String, EntitySpec)>,
}

impl Transformation {
    /// The specification of an entity type, such as `user`.
    pub fn entity(&self, name: &str) -> Option<&EntitySpec> {
        self.entities
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, spec)| spec)
    }

    /// The specification of an entity type, to change it.
    pub fn entity_mut(&mut self, name: &str) -> Option<&mut EntitySpec> {
        self.entities
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, spec)| spec)
    }

    /// The entity type names in document order.
    pub fn entity_names(&self) -> impl Iterator<Item = &str> {
        self.entities.iter().map(|(name, _)| name.as_str())
    }
}

/// Booleans that IPS also accepts as the strings `"true"` and `"false"`: SAP's own IAS v2 default
/// target transformation writes `"ignore": "true"` (§1.3). The spelling is kept for round trips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    /// A JSON boolean.
    Bool(bool),
    /// A string, `"true"` or `"false"` (any letter case), exactly as written.
    Text(String),
}

impl Flag {
    /// The boolean the flag stands for.
    pub fn value(&self) -> bool {
        match self {
            Flag::Bool(value) => *value,
            Flag::Text(text) => text.eq_ignore_ascii_case("true"),
        }
    }

    /// The flag as JSON, spelled as it was written.
    pub fn to_value(&self) -> Value {
        match self {
            Flag::Bool(value) => Value::Bool(*value),
            Flag::Text(text) => Value::String(text.clone()),
        }
    }
}

impl Default for Flag {
    fn default() -> Self {
        Flag::Bool(false)
    }
}

/// What a transformation does with one entity type (§1.2).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntitySpec {
    /// `condition`: entities for which it is false are skipped.
    pub condition: Option<String>,
    /// `ignore`: the whole entity type is not processed.
    pub ignore: Flag,
    /// `skipOperations` (target transformations only): operations not performed.
    pub skip_operations: Vec<Operation>,
    /// `scimEntityEndpoint`: the SCIM endpoint (`Users`, `Groups`) of proxy and SCIM connectors.
    pub scim_entity_endpoint: Option<String>,
    /// `mappings`, executed in order.
    pub mappings: Vec<Mapping>,
    /// Members sapland does not model, kept as written.
    pub extra: Map<String, Value>,
    /// The member names in the order the document wrote them (empty for values built in code).
    pub member_order: Vec<String>,
}

impl EntitySpec {
    /// Whether the entity type is ignored.
    pub fn is_ignored(&self) -> bool {
        self.ignore.value()
    }
}

/// An operation a target transformation can skip (`skipOperations`, §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `create`.
    Create,
    /// `update`.
    Update,
    /// `delete`.
    Delete,
}

impl Operation {
    /// Every operation, in documented order.
    pub const ALL: [Operation; 3] = [Operation::Create, Operation::Update, Operation::Delete];

    /// The name IPS uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }

    /// The operation IPS names `name` (case-sensitive), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.as_str() == name)
    }
}

/// A mapping's `type` (§1.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum MappingType {
    /// `set` (the default): source → target.
    #[default]
    Set,
    /// `remove`: delete `targetPath` from the output.
    Remove,
    /// `rename`: rename the last element of `targetPath` to the `constant`.
    Rename,
    /// `valueMapping`: a lookup table from the values of `sourcePaths`.
    ValueMapping,
}

impl MappingType {
    /// Every mapping type, in documented order.
    pub const ALL: [MappingType; 4] = [
        MappingType::Set,
        MappingType::Remove,
        MappingType::Rename,
        MappingType::ValueMapping,
    ];

    /// The name IPS uses.
    pub fn as_str(self) -> &'static str {
        match self {
            MappingType::Set => "set",
            MappingType::Remove => "remove",
            MappingType::Rename => "rename",
            MappingType::ValueMapping => "valueMapping",
        }
    }

    /// The type IPS names `name` (case-sensitive), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// A mapping's lifecycle `scope` (§1.5). There is no `updateEntity` scope: mappings without a
/// scope apply on create and update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `createEntity`: only when the entity is created (write and proxy write).
    CreateEntity,
    /// `patchEntity`: only for PATCH requests to a proxy (proxy write).
    PatchEntity,
    /// `deleteEntity`: only when a deleted entity is kept in the target.
    DeleteEntity,
}

impl Scope {
    /// Every scope, in documented order.
    pub const ALL: [Scope; 3] = [Scope::CreateEntity, Scope::PatchEntity, Scope::DeleteEntity];

    /// The name IPS uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::CreateEntity => "createEntity",
            Scope::PatchEntity => "patchEntity",
            Scope::DeleteEntity => "deleteEntity",
        }
    }

    /// The scope IPS names `name` (case-sensitive), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == name)
    }
}

/// One mapping of an entity's `mappings` (§1.3).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    /// `sourcePath`: a JSONPath into the input.
    pub source_path: Option<String>,
    /// `sourcePaths`: the JSONPaths whose values a `valueMapping` looks up.
    pub source_paths: Option<Vec<String>>,
    /// `targetPath`: where to write in the output.
    pub target_path: Option<String>,
    /// `sourceVariable`: read from a transformation variable (§1.6).
    pub source_variable: Option<String>,
    /// `targetVariable`: write into a transformation variable.
    pub target_variable: Option<String>,
    /// `variablePath`: a JSONPath into the value of `sourceVariable`.
    pub variable_path: Option<String>,
    /// `constant`: a literal of any JSON type.
    pub constant: Option<Value>,
    /// `type` (`set` when absent).
    pub kind: MappingType,
    /// `optional`: a missing source does not fail the entity.
    pub optional: bool,
    /// `defaultValue`: `Some(Value::Null)` is a real default of `null`, distinct from `None`.
    pub default_value: Option<Value>,
    /// `preserveArrayWithSingleElement`: keep one-element arrays as arrays.
    pub preserve_array_with_single_element: bool,
    /// `condition`: the mapping runs only when it holds.
    pub condition: Option<String>,
    /// `scope`: the lifecycle operations the mapping belongs to.
    pub scope: Option<Scope>,
    /// `ignore`: the mapping is skipped (a boolean or the string `"true"`/`"false"`).
    pub ignore: Flag,
    /// `functions`, applied in order.
    pub functions: Vec<Function>,
    /// `correlationAttribute`: identifies a person across source systems (licence counting).
    pub correlation_attribute: bool,
    /// `valueMappings`: the lookup table of a `valueMapping`.
    pub value_mappings: Option<Vec<ValueMapping>>,
    /// Members sapland does not model, kept as written.
    pub extra: Map<String, Value>,
    /// The member names in the order the document wrote them (empty for values built in code).
    pub member_order: Vec<String>,
}

impl Mapping {
    /// Whether the mapping is ignored.
    pub fn is_ignored(&self) -> bool {
        self.ignore.value()
    }

    /// Whether the mapping only marks a correlation attribute and writes nothing.
    pub fn is_correlation_only(&self) -> bool {
        self.correlation_attribute && self.target_path.is_none() && self.target_variable.is_none()
    }
}

/// One entry of a `valueMapping`'s `valueMappings`: the values of `sourcePaths` to match, in order,
/// and the value written when they match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueMapping {
    /// `key`: one value per source path.
    pub key: Vec<Value>,
    /// `mappedValue`: written to `targetPath` on a match.
    pub mapped_value: Value,
    /// Members sapland does not model, kept as written.
    pub extra: Map<String, Value>,
    /// The member names in the order the document wrote them (empty for values built in code).
    pub member_order: Vec<String>,
}

/// Which member names a function: SAP's defaults use `function` and `type` interchangeably (§1.8).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NamedBy {
    /// `"function": "<name>"`.
    #[default]
    Function,
    /// `"type": "<name>"`.
    Type,
}

impl NamedBy {
    /// The member name.
    pub fn as_str(self) -> &'static str {
        match self {
            NamedBy::Function => "function",
            NamedBy::Type => "type",
        }
    }
}

/// One element of a mapping's `functions` (§1.8).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Function {
    /// The function's name, such as `putIfAbsent`.
    pub name: String,
    /// Whether `function` or `type` named it.
    pub named_by: NamedBy,
    /// Every other member (`key`, `regex`, `condition`, `applyOnElements`, …) as written.
    pub parameters: Map<String, Value>,
    /// The member names in the order the document wrote them (empty for values built in code).
    pub member_order: Vec<String>,
}

impl Function {
    /// A parameter's value.
    pub fn parameter(&self, name: &str) -> Option<&Value> {
        self.parameters.get(name)
    }

    /// A string parameter's value.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.parameters.get(name).and_then(Value::as_str)
    }

    /// `condition`: the function applies only when it holds (`@` is the current value).
    pub fn condition(&self) -> Option<&str> {
        self.text("condition")
    }

    /// `applyOnElements`: apply the function to each element of an array.
    pub fn apply_on_elements(&self) -> bool {
        self.parameters
            .get("applyOnElements")
            .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"))
    }

    /// `applyOnAttribute` (or its deprecated name `applyOnJsonAttribute`): the member of a map
    /// value the function works on.
    pub fn apply_on_attribute(&self) -> Option<&str> {
        self.text("applyOnAttribute")
            .or_else(|| self.text("applyOnJsonAttribute"))
    }

    /// `assignToAttribute`: the member of a map value that receives the result.
    pub fn assign_to_attribute(&self) -> Option<&str> {
        self.text("assignToAttribute")
    }
}
