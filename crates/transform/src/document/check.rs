//! Reading a transformation document into the model, checking every member on the way and
//! reporting every problem with its location (`reference/ips-ias.md` §1.2–§1.8).

use sapland_core::json::{self, JsonPath};
use serde_json::{Map, Value};

use super::ExpressionKind;
use super::catalogue::{COMMON_PARAMETERS, FUNCTIONS, ParameterKind, Requirement, function_spec};
use super::locate::locate_all;
use super::model::{
    EntitySpec, Flag, Function, Mapping, MappingType, NamedBy, Operation, Scope, Transformation,
    ValueMapping,
};
use super::problem::{Problem, TransformError};
use crate::condition::Condition;
use crate::functions::CompiledFunction;
use crate::path::Path;

/// A transformation that parsed and passed every check, with the warnings found on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The transformation.
    pub transformation: Transformation,
    /// Things worth knowing that do not stop the transformation from being used, such as
    /// members sapland does not know (they are kept).
    pub warnings: Vec<Problem>,
}

impl Transformation {
    /// Reads and checks a transformation document, reporting every problem at once with its
    /// location (`user.mappings[12].functions[0].regex`), line and column.
    ///
    /// ```
    /// use sapland_transform::document::{MappingType, Transformation, TransformError};
    ///
    /// let parsed = Transformation::parse(r#"{"user": {"mappings": [
    ///     {"sourcePath": "$.userName", "targetPath": "$.userName"},
    ///     {"targetPath": "$.groups", "type": "remove"}]}}"#)?;
    /// let user = parsed.transformation.entity("user").unwrap();
    /// assert_eq!(user.mappings[1].kind, MappingType::Remove);
    ///
    /// let err = Transformation::parse(r#"{"user": {"mappings": [{"targetPath": "$.x"}]}}"#)
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("at user.mappings[0]: the mapping reads nothing"));
    /// # Ok::<(), TransformError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Parsed, TransformError> {
        let value: Value = json::from_str(text)?;
        check(&value, Some(text))
    }

    /// Checks a transformation given as a JSON value, such as the `transformation` member of a
    /// system export. Problems carry no line or column.
    pub fn from_value(value: &Value) -> Result<Parsed, TransformError> {
        check(value, None)
    }
}

fn check(value: &Value, text: Option<&str>) -> Result<Parsed, TransformError> {
    let mut checker = Checker {
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let transformation = checker.document(value);
    checker.expressions(&transformation);
    let Checker {
        mut errors,
        mut warnings,
    } = checker;
    if let Some(text) = text {
        let paths: Vec<JsonPath> = errors
            .iter()
            .chain(&warnings)
            .map(|p| p.path.clone())
            .collect();
        let mut positions = locate_all(text, &paths).into_iter();
        for problem in errors.iter_mut().chain(warnings.iter_mut()) {
            if let Some(Some((line, column))) = positions.next() {
                problem.line = line;
                problem.column = column;
            }
        }
    }
    // Stable: problems without a position keep the order in which the walk found them.
    errors.sort_by_key(|p| (p.line, p.column));
    warnings.sort_by_key(|p| (p.line, p.column));
    if errors.is_empty() {
        Ok(Parsed {
            transformation,
            warnings,
        })
    } else {
        Err(TransformError::Invalid { errors, warnings })
    }
}

const ENTITY_MEMBERS: &[&str] = &[
    "condition",
    "ignore",
    "skipOperations",
    "scimEntityEndpoint",
    "mappings",
];

const MAPPING_MEMBERS: &[&str] = &[
    "sourcePath",
    "sourcePaths",
    "targetPath",
    "sourceVariable",
    "targetVariable",
    "variablePath",
    "constant",
    "type",
    "optional",
    "defaultValue",
    "preserveArrayWithSingleElement",
    "condition",
    "scope",
    "ignore",
    "functions",
    "correlationAttribute",
    "valueMappings",
];

const VALUE_MAPPING_MEMBERS: &[&str] = &["key", "mappedValue"];

/// Functions that only work inside condition strings (§1.8).
const CONDITIONAL_FUNCTIONS: &[&str] = &[
    "isValidEmail",
    "isApplicationSpecificGroup",
    "isRegularGroup",
    "isAttributeWithOptionalPrefix",
    "isAttributeWithMandatoryPrefix",
];

/// The document index of a `valueMappings` entry whose `key` is an array, and that array's length.
type KeyLength = (usize, usize);

struct Checker {
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Checker {
    fn error(&mut self, path: &JsonPath, message: impl Into<String>) {
        self.errors.push(Problem::at(None, path.clone(), message));
    }

    fn warn(&mut self, path: &JsonPath, message: impl Into<String>) {
        self.warnings.push(Problem::at(None, path.clone(), message));
    }

    /// Parses every path and condition that has no placeholder left to replace (those are
    /// checked once the engine has substituted them).
    fn expressions(&mut self, transformation: &Transformation) {
        for expression in transformation.expressions() {
            if has_placeholder(expression.text) {
                continue;
            }
            let problem = match expression.kind {
                ExpressionKind::EntityCondition
                | ExpressionKind::MappingCondition
                | ExpressionKind::FunctionCondition => Condition::parse(expression.text)
                    .err()
                    .map(|err| format!("invalid condition {:?} {err}", expression.text)),
                ExpressionKind::SourcePath | ExpressionKind::VariablePath => {
                    Path::parse(expression.text)
                        .err()
                        .map(|err| format!("invalid JSONPath {:?} {err}", expression.text))
                }
                ExpressionKind::TargetPath => match Path::parse(expression.text) {
                    Err(err) => Some(format!("invalid JSONPath {:?} {err}", expression.text)),
                    Ok(path) if !path.is_writable() => Some(format!(
                        "{:?} ends in a function, which can be read but not written: a targetPath names where a value goes",
                        expression.text
                    )),
                    Ok(_) => None,
                },
            };
            if let Some(message) = problem {
                self.error(&expression.path, message);
            }
        }
        for (name, spec) in &transformation.entities {
            for (i, mapping) in spec.mappings.iter().enumerate() {
                for (j, function) in mapping.functions.iter().enumerate() {
                    if function.parameters.values().any(holds_placeholder) {
                        continue;
                    }
                    let at = JsonPath::root()
                        .key(name)
                        .key("mappings")
                        .index(i)
                        .key("functions")
                        .index(j);
                    let reported = |e: &Problem| e.path.segments().starts_with(at.segments());
                    if self.errors.iter().any(reported) {
                        continue;
                    }
                    if let Err(err) = CompiledFunction::compile(function) {
                        let at = match &err.parameter {
                            Some(parameter) => at.key(parameter),
                            None => at,
                        };
                        self.error(&at, err.message);
                    }
                }
            }
        }
    }

    fn document(&mut self, value: &Value) -> Transformation {
        let root = JsonPath::root();
        let Value::Object(members) = value else {
            self.error(
                &root,
                format!(
                    "expected a JSON object of entity types, such as {{\"user\": {{\"mappings\": [...]}}}}, found {}",
                    json::kind(value)
                ),
            );
            return Transformation::default();
        };
        if members.is_empty() {
            self.warn(
                &root,
                "the transformation has no entity types (such as user or group): it does nothing",
            );
        }
        let entities = members
            .iter()
            .map(|(name, value)| (name.clone(), self.entity(name, value)))
            .collect();
        Transformation { entities }
    }

    fn entity(&mut self, name: &str, value: &Value) -> EntitySpec {
        let path = JsonPath::root().key(name);
        let mut spec = EntitySpec::default();
        let Value::Object(members) = value else {
            self.error(
                &path,
                format!(
                    "expected the {name} entity type as an object with mappings, such as {{\"mappings\": [...]}}, found {}",
                    json::kind(value)
                ),
            );
            return spec;
        };
        for (key, value) in members {
            spec.member_order.push(key.clone());
            let at = path.clone().key(key);
            match key.as_str() {
                "condition" => spec.condition = self.string(&at, value, "a condition"),
                "ignore" => spec.ignore = self.flag(&at, value),
                "scimEntityEndpoint" => {
                    spec.scim_entity_endpoint =
                        self.string(&at, value, "an endpoint name such as \"Users\"");
                }
                "skipOperations" => spec.skip_operations = self.operations(&at, value),
                "mappings" => {
                    let Value::Array(items) = value else {
                        self.error(
                            &at,
                            format!("expected an array of mappings, found {}", json::kind(value)),
                        );
                        continue;
                    };
                    spec.mappings = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.mapping(at.clone().index(i), item))
                        .collect();
                }
                _ => {
                    self.unknown_member(&at, key, "an entity type", ENTITY_MEMBERS);
                    spec.extra.insert(key.clone(), value.clone());
                }
            }
        }
        if !members.contains_key("mappings") && !spec.is_ignored() {
            self.warn(
                &path,
                format!("{name} has no mappings: entities of this type produce empty JSON"),
            );
        }
        spec
    }

    fn operations(&mut self, path: &JsonPath, value: &Value) -> Vec<Operation> {
        let allowed = || join(Operation::ALL.map(Operation::as_str));
        let Value::Array(items) = value else {
            self.error(
                path,
                format!(
                    "expected an array of operations ({}), found {}",
                    allowed(),
                    json::kind(value)
                ),
            );
            return Vec::new();
        };
        let mut operations = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = path.clone().index(i);
            match item.as_str().map(|s| (s, Operation::from_name(s))) {
                Some((_, Some(op))) => operations.push(op),
                Some((name, None)) => self.error(
                    &at,
                    format!(
                        "unknown operation {name:?}: expected one of {}{}",
                        allowed(),
                        suggestion(name, &Operation::ALL.map(Operation::as_str))
                    ),
                ),
                None => self.error(
                    &at,
                    format!(
                        "expected an operation name ({}), found {}",
                        allowed(),
                        json::kind(item)
                    ),
                ),
            }
        }
        operations
    }

    fn mapping(&mut self, path: JsonPath, value: &Value) -> Mapping {
        let mut mapping = Mapping::default();
        let Value::Object(members) = value else {
            self.error(
                &path,
                format!(
                    "expected a mapping object such as {{\"sourcePath\": \"$.userName\", \"targetPath\": \"$.userName\"}}, found {}",
                    json::kind(value)
                ),
            );
            return mapping;
        };
        let mut kind_known = true;
        let mut value_mappings_at = None;
        let mut checkable_keys = Vec::new();
        for (key, value) in members {
            mapping.member_order.push(key.clone());
            let at = path.clone().key(key);
            match key.as_str() {
                "sourcePath" => mapping.source_path = self.string(&at, value, "a JSONPath"),
                "targetPath" => mapping.target_path = self.string(&at, value, "a JSONPath"),
                "variablePath" => mapping.variable_path = self.string(&at, value, "a JSONPath"),
                "sourceVariable" => {
                    mapping.source_variable = self.string(&at, value, "a variable name");
                }
                "targetVariable" => {
                    mapping.target_variable = self.string(&at, value, "a variable name");
                }
                "condition" => mapping.condition = self.string(&at, value, "a condition"),
                "sourcePaths" => mapping.source_paths = self.strings(&at, value),
                "constant" => mapping.constant = Some(value.clone()),
                "defaultValue" => mapping.default_value = Some(value.clone()),
                "optional" => mapping.optional = self.boolean(&at, value),
                "preserveArrayWithSingleElement" => {
                    mapping.preserve_array_with_single_element = self.boolean(&at, value);
                }
                "correlationAttribute" => {
                    mapping.correlation_attribute = self.boolean(&at, value);
                }
                "ignore" => mapping.ignore = self.flag(&at, value),
                "type" => match self.mapping_type(&at, value) {
                    Some(kind) => mapping.kind = kind,
                    None => kind_known = false,
                },
                "scope" => mapping.scope = self.scope(&at, value),
                "functions" => mapping.functions = self.functions(&at, value),
                "valueMappings" => {
                    if let Some((entries, checkable)) = self.value_mappings(&at, value) {
                        mapping.value_mappings = Some(entries);
                        checkable_keys = checkable;
                    }
                    value_mappings_at = Some(at);
                }
                _ => {
                    self.unknown_member(&at, key, "a mapping", MAPPING_MEMBERS);
                    mapping.extra.insert(key.clone(), value.clone());
                }
            }
        }
        if kind_known {
            let value_mappings = value_mappings_at.map(|at| (at, checkable_keys));
            self.mapping_rules(&path, members, &mapping, value_mappings);
        }
        mapping
    }

    /// The rules that tie a mapping's members together (§1.3, §1.4).
    fn mapping_rules(
        &mut self,
        path: &JsonPath,
        members: &Map<String, Value>,
        mapping: &Mapping,
        value_mappings: Option<(JsonPath, Vec<KeyLength>)>,
    ) {
        let has = |key: &str| members.contains_key(key);
        let sources: Vec<&str> = ["sourcePath", "sourceVariable", "constant"]
            .into_iter()
            .filter(|key| has(key))
            .collect();
        let needs_no_source = mapping
            .functions
            .iter()
            .any(|f| function_spec(&f.name).is_some_and(|spec| spec.needs_no_source));
        let writes = has("targetPath") || has("targetVariable");
        let correlation_only = mapping.correlation_attribute && !writes;

        if mapping.kind != MappingType::ValueMapping {
            for key in ["sourcePaths", "valueMappings"] {
                if has(key) {
                    self.warn(
                        &path.clone().key(key),
                        format!(
                            "{key} is only used by \"type\": \"valueMapping\"; this mapping is {}",
                            mapping.kind.as_str()
                        ),
                    );
                }
            }
        }
        if has("variablePath") && !has("sourceVariable") {
            self.warn(
                &path.clone().key("variablePath"),
                "variablePath selects inside the value of sourceVariable, which this mapping does not set",
            );
        }

        match mapping.kind {
            MappingType::Remove => {
                if !has("targetPath") {
                    self.error(
                        path,
                        "a remove mapping needs targetPath, the path to delete from the output",
                    );
                }
                for key in sources {
                    self.warn(
                        &path.clone().key(key),
                        format!("a remove mapping only uses targetPath: {key} has no effect"),
                    );
                }
            }
            MappingType::Rename => {
                if !has("targetPath") {
                    self.error(
                        path,
                        "a rename mapping needs targetPath, whose last element it renames",
                    );
                }
                match &mapping.constant {
                    Some(Value::String(_)) => {}
                    Some(other) => self.error(
                        &path.clone().key("constant"),
                        format!(
                            "a rename mapping needs the new name as a string constant, such as \"constant\": \"familyName\"; found {}",
                            json::kind(other)
                        ),
                    ),
                    None => self.error(
                        path,
                        "a rename mapping needs the new name of the last element of targetPath as a string constant, such as \"constant\": \"familyName\"",
                    ),
                }
            }
            MappingType::ValueMapping => {
                self.value_mapping_rules(path, mapping, value_mappings);
                if !writes {
                    self.error(
                        path,
                        "the valueMapping writes nowhere: set targetPath or targetVariable",
                    );
                }
            }
            MappingType::Set => {
                if sources.len() > 1 {
                    self.warn(
                        path,
                        format!(
                            "the mapping reads from {}: IPS documents one source per mapping, and which one wins is not documented",
                            sources.join(" and ")
                        ),
                    );
                }
                if sources.is_empty() && !needs_no_source {
                    let hint = if has("sourcePaths") {
                        " (sourcePaths is only read by \"type\": \"valueMapping\")"
                    } else {
                        ""
                    };
                    self.error(
                        path,
                        format!(
                            "the mapping reads nothing: set sourcePath, sourceVariable or constant{hint} \
                             (only remove mappings and randomPassword functions need no source)"
                        ),
                    );
                }
                if !writes && !correlation_only {
                    self.error(
                        path,
                        "the mapping writes nowhere: set targetPath or targetVariable \
                         (only a correlationAttribute mapping may have no target)",
                    );
                }
            }
        }
    }

    fn value_mapping_rules(
        &mut self,
        path: &JsonPath,
        mapping: &Mapping,
        value_mappings: Option<(JsonPath, Vec<KeyLength>)>,
    ) {
        let source_count = match &mapping.source_paths {
            Some(paths) if paths.is_empty() => {
                self.error(
                    &path.clone().key("sourcePaths"),
                    "a valueMapping needs at least one path in sourcePaths",
                );
                None
            }
            Some(paths) => Some(paths.len()),
            None if mapping.member_order.iter().any(|k| k == "sourcePaths") => None,
            None => {
                self.error(
                    path,
                    "a valueMapping needs sourcePaths, the paths whose values are looked up, \
                     such as \"sourcePaths\": [\"$.country\", \"$.city\"]",
                );
                None
            }
        };
        let Some((at, checkable)) = value_mappings else {
            self.error(
                path,
                "a valueMapping needs valueMappings, such as \"valueMappings\": [{\"key\": [\"US\"], \"mappedValue\": \"EST\"}]",
            );
            return;
        };
        let Some(count) = source_count else {
            return;
        };
        for (i, length) in checkable {
            if length != count {
                self.error(
                    &at.clone().index(i).key("key"),
                    format!(
                        "key has {length} value(s) but sourcePaths has {count} path(s): each key needs one value per source path, in the same order"
                    ),
                );
            }
        }
    }

    /// The entries of `valueMappings`, and the document index and `key` length of each entry
    /// whose `key` is an array.
    fn value_mappings(
        &mut self,
        path: &JsonPath,
        value: &Value,
    ) -> Option<(Vec<ValueMapping>, Vec<KeyLength>)> {
        let Value::Array(items) = value else {
            self.error(
                path,
                format!(
                    "expected an array of {{\"key\": [...], \"mappedValue\": ...}} objects, found {}",
                    json::kind(value)
                ),
            );
            return None;
        };
        let mut entries = Vec::with_capacity(items.len());
        let mut checkable = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = path.clone().index(i);
            let Value::Object(members) = item else {
                self.error(
                    &at,
                    format!(
                        "expected an object such as {{\"key\": [\"US\"], \"mappedValue\": \"EST\"}}, found {}",
                        json::kind(item)
                    ),
                );
                continue;
            };
            let mut entry = ValueMapping::default();
            let mut key_ok = false;
            for (key, value) in members {
                entry.member_order.push(key.clone());
                let member_at = at.clone().key(key);
                match (key.as_str(), value) {
                    ("key", Value::Array(values)) => {
                        entry.key = values.clone();
                        key_ok = true;
                    }
                    ("key", other) => self.error(
                        &member_at,
                        format!(
                            "expected an array with one value per source path, such as [\"US\", \"Dallas\"], found {}",
                            json::kind(other)
                        ),
                    ),
                    ("mappedValue", value) => entry.mapped_value = value.clone(),
                    _ => {
                        self.unknown_member(
                            &member_at,
                            key,
                            "a valueMappings entry",
                            VALUE_MAPPING_MEMBERS,
                        );
                        entry.extra.insert(key.clone(), value.clone());
                    }
                }
            }
            if !members.contains_key("key") {
                self.error(
                    &at,
                    "a valueMappings entry needs key, an array with one value per source path",
                );
            }
            if !members.contains_key("mappedValue") {
                self.error(
                    &at,
                    "a valueMappings entry needs mappedValue, the value written when key matches",
                );
            }
            if key_ok {
                checkable.push((i, entry.key.len()));
            }
            entries.push(entry);
        }
        Some((entries, checkable))
    }

    fn functions(&mut self, path: &JsonPath, value: &Value) -> Vec<Function> {
        let Value::Array(items) = value else {
            self.error(
                path,
                format!(
                    "expected an array of functions such as [{{\"function\": \"toLowerCaseString\"}}], found {}",
                    json::kind(value)
                ),
            );
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.function(path.clone().index(i), item))
            .collect()
    }

    fn function(&mut self, path: JsonPath, value: &Value) -> Option<Function> {
        let Value::Object(members) = value else {
            self.error(
                &path,
                format!(
                    "expected a function object such as {{\"function\": \"putIfAbsent\", \"key\": \"type\", \"defaultValue\": \"work\"}}, found {}",
                    json::kind(value)
                ),
            );
            return None;
        };
        let mut function = Function {
            member_order: members.keys().cloned().collect(),
            ..Function::default()
        };
        let by_function = members.get("function");
        let by_type = members.get("type");
        let (named_by, name_value) = match (by_function, by_type) {
            (Some(f), Some(t)) if f == t => {
                self.warn(
                    &path,
                    "both function and type name the function: one of them is enough",
                );
                (NamedBy::Function, f)
            }
            (Some(f), Some(t)) => {
                self.error(
                    &path,
                    format!(
                        "function and type name different functions ({f} and {t}): name the function once, in function or type"
                    ),
                );
                return None;
            }
            (Some(f), None) => (NamedBy::Function, f),
            (None, Some(t)) => (NamedBy::Type, t),
            (None, None) => {
                self.error(
                    &path,
                    format!(
                        "the function has no name: set \"function\" (or \"type\") to one of {}",
                        join(FUNCTIONS.iter().map(|f| f.name))
                    ),
                );
                return None;
            }
        };
        let name_at = path.clone().key(named_by.as_str());
        let Value::String(name) = name_value else {
            self.error(
                &name_at,
                format!(
                    "expected a function name (a string), found {}",
                    json::kind(name_value)
                ),
            );
            return None;
        };
        function.name = name.clone();
        function.named_by = named_by;
        for (key, value) in members {
            if key != named_by.as_str() {
                function.parameters.insert(key.clone(), value.clone());
            }
        }
        let Some(spec) = function_spec(name) else {
            let message = if CONDITIONAL_FUNCTIONS.contains(&name.as_str()) {
                format!(
                    "{name} is a conditional function: it works only inside a condition string, such as \"condition\": \"{name}($.emails[0].value)\""
                )
            } else {
                let names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
                format!(
                    "unknown function {name:?}{}: expected one of {}",
                    suggestion(name, &names),
                    join(names.iter().copied())
                )
            };
            self.error(&name_at, message);
            return Some(function);
        };
        for (key, value) in &function.parameters {
            let at = path.clone().key(key);
            if key == "function" || key == "type" {
                continue;
            }
            let Some(parameter) = spec.parameter(key) else {
                let documented: Vec<&str> = spec
                    .parameters
                    .iter()
                    .chain(COMMON_PARAMETERS.iter())
                    .map(|p| p.name)
                    .collect();
                self.warn(
                    &at,
                    format!(
                        "{key} is not a parameter of {name}{} (kept; documented: {})",
                        suggestion(key, &documented),
                        join(documented.iter().copied())
                    ),
                );
                continue;
            };
            if key == "applyOnJsonAttribute" {
                self.warn(
                    &at,
                    "applyOnJsonAttribute is the deprecated name of applyOnAttribute",
                );
            }
            if let Some(expected) = parameter_mismatch(parameter.kind, value) {
                self.error(
                    &at,
                    format!(
                        "{name}'s {key} must be {expected}, found {}",
                        json::kind(value)
                    ),
                );
                continue;
            }
            if let Value::String(text) = value
                && !parameter.choices.is_empty()
                && !parameter.choices.contains(&text.as_str())
                && !has_placeholder(text)
            {
                self.error(
                    &at,
                    format!(
                        "unknown {key} {text:?} for {name}{}: expected one of {}",
                        suggestion(text, parameter.choices),
                        join(parameter.choices.iter().copied())
                    ),
                );
            }
        }
        let missing: Vec<&str> = spec
            .parameters
            .iter()
            .filter(|p| {
                p.requirement == Requirement::Mandatory && !function.parameters.contains_key(p.name)
            })
            .map(|p| p.name)
            .collect();
        if !missing.is_empty() {
            self.error(
                &path,
                format!(
                    "{name} is missing its mandatory parameter{} {}",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", ")
                ),
            );
        }
        Some(function)
    }

    fn mapping_type(&mut self, path: &JsonPath, value: &Value) -> Option<MappingType> {
        let names = MappingType::ALL.map(MappingType::as_str);
        match value {
            Value::String(name) => {
                let kind = MappingType::from_name(name);
                if kind.is_none() {
                    self.error(
                        path,
                        format!(
                            "unknown mapping type {name:?}{}: expected one of {}",
                            suggestion(name, &names),
                            join(names)
                        ),
                    );
                }
                kind
            }
            other => {
                self.error(
                    path,
                    format!(
                        "expected a mapping type ({}), found {}",
                        join(names),
                        json::kind(other)
                    ),
                );
                None
            }
        }
    }

    fn scope(&mut self, path: &JsonPath, value: &Value) -> Option<Scope> {
        let names = Scope::ALL.map(Scope::as_str);
        match value {
            Value::String(name) => {
                let scope = Scope::from_name(name);
                if scope.is_none() {
                    let note = if name == "updateEntity" {
                        " (IPS has no updateEntity scope: mappings without a scope apply on create and update)"
                            .to_string()
                    } else {
                        suggestion(name, &names)
                    };
                    self.error(
                        path,
                        format!(
                            "unknown scope {name:?}{note}: expected one of {}",
                            join(names)
                        ),
                    );
                }
                scope
            }
            other => {
                self.error(
                    path,
                    format!(
                        "expected a scope ({}), found {}",
                        join(names),
                        json::kind(other)
                    ),
                );
                None
            }
        }
    }

    fn string(&mut self, path: &JsonPath, value: &Value, what: &str) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            other => {
                self.error(
                    path,
                    format!("expected {what} (a string), found {}", json::kind(other)),
                );
                None
            }
        }
    }

    fn strings(&mut self, path: &JsonPath, value: &Value) -> Option<Vec<String>> {
        let Value::Array(items) = value else {
            self.error(
                path,
                format!(
                    "expected an array of JSONPaths such as [\"$.country\", \"$.city\"], found {}",
                    json::kind(value)
                ),
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) => out.push(s.clone()),
                other => {
                    ok = false;
                    self.error(
                        &path.clone().index(i),
                        format!(
                            "expected a JSONPath (a string), found {}",
                            json::kind(other)
                        ),
                    );
                }
            }
        }
        ok.then_some(out)
    }

    fn boolean(&mut self, path: &JsonPath, value: &Value) -> bool {
        match value {
            Value::Bool(b) => *b,
            other => {
                self.error(
                    path,
                    format!("expected true or false, found {}", json::kind(other)),
                );
                false
            }
        }
    }

    fn flag(&mut self, path: &JsonPath, value: &Value) -> Flag {
        match value {
            Value::Bool(b) => Flag::Bool(*b),
            Value::String(s)
                if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
            {
                Flag::Text(s.clone())
            }
            other => {
                self.error(
                    path,
                    format!(
                        "expected true or false (or the string \"true\" or \"false\"), found {}",
                        describe(other)
                    ),
                );
                Flag::default()
            }
        }
    }

    fn unknown_member(&mut self, path: &JsonPath, key: &str, what: &str, known: &[&str]) {
        self.warn(
            path,
            format!(
                "{key} is not a member of {what} that IPS documents{} (kept as written; known: {})",
                suggestion(key, known),
                join(known.iter().copied())
            ),
        );
    }
}

/// What a parameter of `kind` must be, when `value` is not that.
fn parameter_mismatch(kind: ParameterKind, value: &Value) -> Option<&'static str> {
    let ok = match kind {
        ParameterKind::Any => true,
        ParameterKind::Text => value.is_string(),
        ParameterKind::TextOrNumber => value.is_string() || value.is_number(),
        ParameterKind::Scalar => value.is_string() || value.is_number() || value.is_boolean(),
        ParameterKind::Integer => value.is_i64() || value.is_u64() || value.is_string(),
        ParameterKind::Boolean => match value {
            Value::Bool(_) => true,
            Value::String(s) => {
                s.eq_ignore_ascii_case("true")
                    || s.eq_ignore_ascii_case("false")
                    || has_placeholder(s)
            }
            _ => false,
        },
        ParameterKind::TextOrList => match value {
            Value::String(_) => true,
            Value::Array(items) => items.iter().all(Value::is_string),
            _ => false,
        },
    };
    (!ok).then_some(match kind {
        ParameterKind::Any => "any value",
        ParameterKind::Text => "a string",
        ParameterKind::TextOrNumber => "a string or a number",
        ParameterKind::Scalar => "a string, a number or a boolean",
        ParameterKind::Integer => "an integer",
        ParameterKind::Boolean => "true or false",
        ParameterKind::TextOrList => "a string or an array of strings",
    })
}

/// Whether a value holds a `%property%` or `${variable}` placeholder that IPS replaces before it
/// evaluates the transformation (§1.6, §1.7), so its final value cannot be checked here.
fn has_placeholder(text: &str) -> bool {
    text.contains("${") || text.matches('%').count() >= 2
}

/// Whether a parameter value holds a placeholder anywhere (checked after substitution).
fn holds_placeholder(value: &Value) -> bool {
    match value {
        Value::String(text) => has_placeholder(text),
        Value::Array(items) => items.iter().any(holds_placeholder),
        Value::Object(members) => members.values().any(holds_placeholder),
        _ => false,
    }
}

/// The kind of a value, quoting short strings.
fn describe(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() <= 40 => format!("the string {s:?}"),
        other => json::kind(other).to_string(),
    }
}

fn join<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().collect::<Vec<_>>().join(", ")
}

/// `" (did you mean X?)"` when `name` is close to one of `known`, else empty.
fn suggestion(name: &str, known: &[&str]) -> String {
    if name.len() > 64 {
        return String::new();
    }
    let folded = name.to_ascii_lowercase();
    let best = known
        .iter()
        .map(|k| (edit_distance(&folded, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 5))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, k)) if k != name => format!(" (did you mean {k}?)"),
        _ => String::new(),
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_case_and_typos() {
        assert_eq!(
            suggestion("targetpath", MAPPING_MEMBERS),
            " (did you mean targetPath?)"
        );
        assert_eq!(
            suggestion("sourcPath", MAPPING_MEMBERS),
            " (did you mean sourcePath?)"
        );
        assert_eq!(suggestion("zzzzzz", MAPPING_MEMBERS), "");
    }

    #[test]
    fn placeholders_are_recognised() {
        assert!(has_placeholder("%my.format%"));
        assert!(has_placeholder("${nestedPathRegex}"));
        assert!(!has_placeholder("100%"));
    }
}
