//! SCIM PATCH (RFC 7644 §3.5.2) on JSON resources.
//!
//! [`apply`] runs the operations in order on a copy and stores the copy only when all of them
//! succeeded, so a failed request leaves the resource as it was.
//!
//! Choices where the RFC is silent (**proposed**):
//! - Whether an attribute is multi-valued is read from the resource (an array), else from the
//!   value (an array), else from the attribute names RFC 7643 and SAP define as multi-valued
//!   ([`MULTI_VALUED`]).
//! - `add` to a multi-valued attribute skips an item already present; an object item counts as
//!   present when an element has the same `value` sub-attribute, and its other sub-attributes
//!   are merged into that element.
//! - `replace` of a multi-valued attribute with `[]`, and a `null` member in an object value,
//!   unassign the attribute (RFC 7643 §2.5 makes both equivalent to absence).
//! - A sub-attribute path on a multi-valued attribute without filter (`emails.type`) applies to
//!   every element.
//! - `remove` of an absent attribute succeeds and changes nothing; `remove` with a `value`
//!   array of `{"value": …}` objects (Azure-style) ignores items that are not present.
//! - `add`/`replace` that names a read-only attribute with exactly its current value is
//!   accepted and changes nothing (clients echo `id` or `meta`); any other touch of a read-only
//!   attribute is `mutability`.
//! - The required attributes are `schemas` and, by the core schema, `userName` (User) or
//!   `displayName` (Group) (RFC 7643 §4.1, §4.2).
//! - When an operation creates an extension member, its URN is added to `schemas`; removing
//!   the whole extension removes it from `schemas` again.
//! - When an operation makes elements `"primary": true`, the last of them stays primary and
//!   every other element that was primary gets `"primary": false`; elements without
//!   `primary` are left without it.
//! - A path or value key naming a whole extension (`urn:…:enterprise:2.0:User`) is recognised
//!   when it is a known SCIM/SAP schema, a member of the resource or listed in its `schemas`,
//!   or, with an object value, when its last segment starts with a capital letter.

use sapland_core::scim::schemas;
use sapland_core::scim::{PatchOp, PatchOperation, ScimType};
use serde_json::{Map, Value};

use crate::scim::filter::Filter;
use crate::scim::path::{AttrPath, PatchPath, get_ci, is_core_schema};

/// Attributes treated as multi-valued when the resource does not have them yet and the value
/// is a single item: RFC 7643 §4.1.2, §4.2, §4.3 and SAP's extensions (reference §3.4).
pub const MULTI_VALUED: &[&str] = &[
    "emails",
    "phoneNumbers",
    "ims",
    "photos",
    "addresses",
    "groups",
    "entitlements",
    "roles",
    "x509Certificates",
    "members",
    "schemas",
    "corporateGroups",
    "socialIdentities",
    "attributes",
    "termsOfUse",
    "privacyPolicy",
];

/// The schemas whose URNs name a whole schema rather than `urn:attribute`.
const KNOWN_SCHEMAS: &[&str] = &[
    schemas::CORE_USER,
    schemas::CORE_GROUP,
    schemas::ENTERPRISE_USER,
    schemas::SAP_USER,
    schemas::SAP_GROUP,
    schemas::CUSTOM_USER,
    schemas::CUSTOM_GROUP,
];

/// Rules a resource type imposes on PATCH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchRules {
    /// The core schema of the resource type, e.g. [`schemas::CORE_USER`]; paths qualified
    /// with it address the top level, paths qualified with the other core schema are invalid.
    pub core_schema: &'static str,
    /// Attributes no operation may change, e.g. `id`, `meta`, `groups`.
    pub read_only: Vec<AttrPath>,
    /// Top-level attributes `remove` may not delete, such as `schemas`, `displayName` for
    /// groups, and `userName` where the tenant requires it.
    pub required: Vec<&'static str>,
}

impl PatchRules {
    /// The attributes RFC 7643 makes required for the core schema: `schemas`, and `userName`
    /// for users (§4.1) or `displayName` for groups (§4.2).
    pub fn rfc_required(core_schema: &str) -> Vec<&'static str> {
        if core_schema.eq_ignore_ascii_case(schemas::CORE_USER) {
            vec!["schemas", "userName"]
        } else if core_schema.eq_ignore_ascii_case(schemas::CORE_GROUP) {
            vec!["schemas", "displayName"]
        } else {
            vec!["schemas"]
        }
    }

    /// The top-level attributes `remove` may not delete.
    pub fn required(&self) -> &[&'static str] {
        &self.required
    }
}

/// Why a PATCH request cannot be applied; the server answers it with 400 and `scimType`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{scim_type}: {detail}")]
pub struct PatchError {
    /// `invalidPath`, `invalidValue`, `noTarget` or `mutability`.
    pub scim_type: ScimType,
    /// What is wrong, naming the operation (`Operations[1]: …`).
    pub detail: String,
}

impl PatchError {
    fn new(scim_type: ScimType, detail: impl Into<String>) -> PatchError {
        PatchError {
            scim_type,
            detail: detail.into(),
        }
    }
}

/// Applies the operations in order. On error `resource` is left exactly as it was (work on a copy).
pub fn apply(
    resource: &mut Value,
    operations: &[PatchOperation],
    rules: &PatchRules,
) -> Result<(), PatchError> {
    let Value::Object(original) = resource else {
        return Err(PatchError::new(
            ScimType::InvalidValue,
            "the resource is not a JSON object",
        ));
    };
    let mut work = original.clone();
    for (index, operation) in operations.iter().enumerate() {
        apply_one(&mut work, operation, rules).map_err(|error| PatchError {
            scim_type: error.scim_type,
            detail: format!("Operations[{index}]: {}", error.detail),
        })?;
    }
    *original = work;
    Ok(())
}

type Object = Map<String, Value>;

/// Where an operation writes.
struct Target {
    /// The path or value key, for messages.
    label: String,
    /// The extension URN, `None` for the top level.
    extension: Option<String>,
    /// The attribute; `None` for the whole extension.
    attr: Option<String>,
    /// The value filter.
    filter: Option<Filter>,
    /// The sub-attribute.
    sub: Option<String>,
}

fn apply_one(
    resource: &mut Object,
    operation: &PatchOperation,
    rules: &PatchRules,
) -> Result<(), PatchError> {
    let op = operation.op;
    let value = operation.value.as_ref();
    if op != PatchOp::Remove && value.is_none() {
        return Err(PatchError::new(
            ScimType::InvalidValue,
            format!("{op} needs a value"),
        ));
    }
    let targets = match &operation.path {
        None if op == PatchOp::Remove => {
            return Err(PatchError::new(ScimType::NoTarget, "remove needs a path"));
        }
        None => match value {
            Some(Value::Object(members)) => targets_of_object(members, resource, rules)?,
            _ => {
                return Err(PatchError::new(
                    ScimType::InvalidValue,
                    "without a path, the value must be an object of attributes",
                ));
            }
        },
        Some(text) => {
            let path = PatchPath::parse(text)
                .map_err(|error| PatchError::new(ScimType::InvalidPath, error.to_string()))?;
            targets_of_path(path, text, op, value, resource, rules)?
        }
    };
    for (target, value) in targets {
        run(resource, op, &target, value, rules)?;
    }
    Ok(())
}

/// The targets of a PATCH path.
fn targets_of_path<'v>(
    path: PatchPath,
    text: &str,
    op: PatchOp,
    value: Option<&'v Value>,
    resource: &Object,
    rules: &PatchRules,
) -> Result<Vec<(Target, Option<&'v Value>)>, PatchError> {
    let PatchPath {
        attr: AttrPath { urn, attr, .. },
        filter,
        sub_attr,
    } = path;
    let plain = filter.is_none() && sub_attr.is_none();
    if let Some(urn) = &urn
        && plain
    {
        let whole = format!("{urn}:{attr}");
        if names_schema(&whole, resource, value) {
            if is_core_schema(&whole) {
                check_core(&whole, rules)?;
                return match (op, value) {
                    (PatchOp::Remove, _) => Err(PatchError::new(
                        ScimType::Mutability,
                        format!("{text}: the core schema cannot be removed"),
                    )),
                    (_, Some(Value::Object(members))) => members
                        .iter()
                        .map(|(key, member)| Ok((member_target(key, None, rules)?, Some(member))))
                        .collect(),
                    _ => Err(PatchError::new(
                        ScimType::InvalidValue,
                        format!("{text}: the value must be an object of attributes"),
                    )),
                };
            }
            let target = Target {
                label: text.to_string(),
                extension: Some(whole),
                attr: None,
                filter: None,
                sub: None,
            };
            return Ok(vec![(target, value)]);
        }
    }
    let extension = match urn {
        Some(urn) if is_core_schema(&urn) => {
            check_core(&urn, rules)?;
            None
        }
        other => other,
    };
    let target = Target {
        label: text.to_string(),
        extension,
        attr: Some(attr),
        filter,
        sub: sub_attr,
    };
    Ok(vec![(target, value)])
}

/// The targets of an `add`/`replace` without path: one per member of the value.
fn targets_of_object<'v>(
    members: &'v Object,
    resource: &Object,
    rules: &PatchRules,
) -> Result<Vec<(Target, Option<&'v Value>)>, PatchError> {
    let mut targets = Vec::with_capacity(members.len());
    for (key, member) in members {
        let is_urn = key
            .get(..4)
            .is_some_and(|head| head.eq_ignore_ascii_case("urn:"));
        let whole_value = member.is_object() || member.is_null();
        if is_urn && whole_value && names_schema(key, resource, Some(member)) {
            if is_core_schema(key) {
                check_core(key, rules)?;
                if let Value::Object(inner) = member {
                    for (inner_key, inner_member) in inner {
                        targets.push((member_target(inner_key, None, rules)?, Some(inner_member)));
                    }
                }
            } else {
                let target = Target {
                    label: key.clone(),
                    extension: Some(key.clone()),
                    attr: None,
                    filter: None,
                    sub: None,
                };
                targets.push((target, Some(member)));
            }
        } else {
            targets.push((member_target(key, None, rules)?, Some(member)));
        }
    }
    Ok(targets)
}

/// The target a member key of an object value names (`userName`, `name.givenName`,
/// `urn:…:User:department`), inside `extension` when the object is an extension's.
fn member_target(
    key: &str,
    extension: Option<&str>,
    rules: &PatchRules,
) -> Result<Target, PatchError> {
    let path = AttrPath::parse(key).map_err(|error| {
        PatchError::new(
            ScimType::InvalidPath,
            format!("value member {key:?}: {error}"),
        )
    })?;
    let label = match extension {
        Some(urn) => format!("{urn}:{key}"),
        None => key.to_string(),
    };
    let extension = match (path.urn, extension) {
        (Some(_), Some(urn)) => {
            return Err(PatchError::new(
                ScimType::InvalidPath,
                format!("value member {key:?} of {urn} is schema-qualified"),
            ));
        }
        (Some(urn), None) if is_core_schema(&urn) => {
            check_core(&urn, rules)?;
            None
        }
        (Some(urn), None) => Some(urn),
        (None, extension) => extension.map(str::to_string),
    };
    Ok(Target {
        label,
        extension,
        attr: Some(path.attr),
        filter: None,
        sub: path.sub_attr,
    })
}

/// Refuses the core schema of another resource type.
fn check_core(urn: &str, rules: &PatchRules) -> Result<(), PatchError> {
    if urn.eq_ignore_ascii_case(rules.core_schema) {
        Ok(())
    } else {
        Err(PatchError::new(
            ScimType::InvalidPath,
            format!(
                "{urn} is not the schema of this resource ({})",
                rules.core_schema
            ),
        ))
    }
}

/// Whether `urn` names a whole schema (see the module documentation).
fn names_schema(urn: &str, resource: &Object, value: Option<&Value>) -> bool {
    let listed = |text: &str| text.eq_ignore_ascii_case(urn);
    KNOWN_SCHEMAS.iter().any(|known| listed(known))
        || get_ci(resource, urn).is_some()
        || get_ci(resource, "schemas")
            .and_then(Value::as_array)
            .is_some_and(|names| names.iter().filter_map(Value::as_str).any(listed))
        || (value.is_some_and(Value::is_object)
            && urn
                .rsplit(':')
                .next()
                .and_then(|last| last.bytes().next())
                .is_some_and(|first| first.is_ascii_uppercase()))
}

/// Runs one operation on one target.
fn run(
    resource: &mut Object,
    op: PatchOp,
    target: &Target,
    value: Option<&Value>,
    rules: &PatchRules,
) -> Result<(), PatchError> {
    let label = &target.label;
    let Some(attr) = &target.attr else {
        return run_whole_extension(resource, op, target, value, rules);
    };
    // A null value unassigns (RFC 7643 §2.5).
    let (op, value) = match (op, value) {
        (PatchOp::Add | PatchOp::Replace, Some(Value::Null)) => (PatchOp::Remove, None),
        other => other,
    };
    if touches_read_only(target, rules) {
        let unchanged = op != PatchOp::Remove
            && target.filter.is_none()
            && current(resource, target).is_some_and(|now| Some(now) == value);
        if unchanged {
            return Ok(());
        }
        return Err(PatchError::new(
            ScimType::Mutability,
            format!("{label} is read-only"),
        ));
    }
    let top_level_plain =
        target.extension.is_none() && target.filter.is_none() && target.sub.is_none();
    if top_level_plain
        && rules
            .required()
            .iter()
            .any(|r| r.eq_ignore_ascii_case(attr))
    {
        let existing_is_array = get_ci(resource, attr).is_some_and(Value::is_array);
        let unassigns = match op {
            PatchOp::Remove => !(value.is_some() && existing_is_array),
            PatchOp::Replace => value.is_some_and(|v| v.as_array().is_some_and(Vec::is_empty)),
            PatchOp::Add => false,
        };
        if unassigns {
            return Err(PatchError::new(
                ScimType::Mutability,
                format!("{label} is required and cannot be removed"),
            ));
        }
    }
    let Some(container) =
        container_mut(resource, target.extension.as_deref(), op != PatchOp::Remove)?
    else {
        // Removing from an extension the resource does not have.
        return match target.filter {
            Some(_) => Err(no_match(label)),
            None => Ok(()),
        };
    };
    let filter = target.filter.as_ref();
    let sub = target.sub.as_deref();
    match (op, value) {
        (PatchOp::Remove, value) => remove(container, attr, filter, sub, value, label),
        (PatchOp::Add, Some(value)) => write(container, attr, filter, sub, value, false, label),
        (PatchOp::Replace, Some(value)) => write(container, attr, filter, sub, value, true, label),
        (_, None) => Err(PatchError::new(
            ScimType::InvalidValue,
            format!("{op} needs a value"),
        )),
    }
}

/// `add`/`replace`/`remove` of a whole extension (`urn:…:enterprise:2.0:User`).
fn run_whole_extension(
    resource: &mut Object,
    op: PatchOp,
    target: &Target,
    value: Option<&Value>,
    rules: &PatchRules,
) -> Result<(), PatchError> {
    let label = &target.label;
    let Some(urn) = target.extension.as_deref() else {
        return Err(PatchError::new(
            ScimType::InvalidPath,
            format!("{label}: no attribute"),
        ));
    };
    match (op, value) {
        (PatchOp::Remove, _) | (_, Some(Value::Null)) => {
            if holds_read_only(resource, urn, rules) {
                return Err(PatchError::new(
                    ScimType::Mutability,
                    format!("{label} holds read-only attributes"),
                ));
            }
            if let Some(key) = existing_key(resource, urn) {
                resource.shift_remove(&key);
            }
            if let Some(Value::Array(names)) = get_ci_mut(resource, "schemas") {
                names.retain(|name| !name.as_str().is_some_and(|n| n.eq_ignore_ascii_case(urn)));
            }
            Ok(())
        }
        (_, Some(Value::Object(members))) => {
            container_mut(resource, Some(urn), true)?;
            for (key, member) in members {
                let inner = member_target(key, Some(urn), rules)?;
                run(resource, op, &inner, Some(member), rules)?;
            }
            Ok(())
        }
        _ => Err(PatchError::new(
            ScimType::InvalidValue,
            format!("{label}: the value of an extension must be an object of attributes"),
        )),
    }
}

/// Whether the target overlaps a read-only attribute.
/// Whether the extension `urn` currently holds a value of a read-only attribute, so removing
/// the whole extension would remove it.
fn holds_read_only(resource: &Object, urn: &str, rules: &PatchRules) -> bool {
    let Some(Value::Object(extension)) = get_ci(resource, urn) else {
        return false;
    };
    rules.read_only.iter().any(|read_only| {
        read_only
            .extension()
            .is_some_and(|u| u.eq_ignore_ascii_case(urn))
            && get_ci(extension, &read_only.attr).is_some_and(|v| !v.is_null())
    })
}

fn touches_read_only(target: &Target, rules: &PatchRules) -> bool {
    rules.read_only.iter().any(|read_only| {
        let same_schema = match (read_only.extension(), target.extension.as_deref()) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        same_schema
            && match &target.attr {
                None => true,
                Some(attr) => {
                    attr.eq_ignore_ascii_case(&read_only.attr)
                        && match (&read_only.sub_attr, &target.sub) {
                            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                            _ => true,
                        }
                }
            }
    })
}

/// The value a filter-less target currently holds.
fn current<'a>(resource: &'a Object, target: &Target) -> Option<&'a Value> {
    let container = match &target.extension {
        None => resource,
        Some(urn) => get_ci(resource, urn)?.as_object()?,
    };
    let value = get_ci(container, target.attr.as_deref()?)?;
    match &target.sub {
        None => Some(value),
        Some(sub) => get_ci(value.as_object()?, sub),
    }
}

/// The object attributes of `extension` live in (the resource itself for `None`); created
/// (and its URN added to `schemas`) when `create` is set.
fn container_mut<'a>(
    resource: &'a mut Object,
    extension: Option<&str>,
    create: bool,
) -> Result<Option<&'a mut Object>, PatchError> {
    let Some(urn) = extension else {
        return Ok(Some(resource));
    };
    let key = match existing_key(resource, urn) {
        Some(key) => key,
        None if create => {
            let key = KNOWN_SCHEMAS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(urn))
                .map_or_else(|| urn.to_string(), |known| (*known).to_string());
            if let Some(Value::Array(names)) = get_ci_mut(resource, "schemas")
                && !names
                    .iter()
                    .any(|name| name.as_str().is_some_and(|n| n.eq_ignore_ascii_case(&key)))
            {
                names.push(Value::String(key.clone()));
            }
            key
        }
        None => return Ok(None),
    };
    let slot = resource.entry(key).or_insert(Value::Null);
    if slot.is_null() {
        if !create {
            return Ok(None);
        }
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(container) => Ok(Some(container)),
        _ => Err(PatchError::new(
            ScimType::InvalidPath,
            format!("{urn} is not an object in the resource"),
        )),
    }
}

/// `add` (`replace` false) or `replace` (`replace` true) of `value` at `attr[filter].sub`.
fn write(
    map: &mut Object,
    attr: &str,
    filter: Option<&Filter>,
    sub: Option<&str>,
    value: &Value,
    replace: bool,
    label: &str,
) -> Result<(), PatchError> {
    match (filter, sub) {
        (None, None) => {
            if is_multi_valued(get_ci(map, attr), value, attr) {
                let items = match value {
                    Value::Array(items) => items.clone(),
                    single => vec![single.clone()],
                };
                if replace {
                    if items.is_empty() {
                        remove_ci(map, attr);
                        return Ok(());
                    }
                    let mut items = items;
                    let touched: Vec<usize> = (0..items.len()).collect();
                    settle_primary(&mut items, &touched);
                    set_ci(map, attr, Value::Array(items));
                } else {
                    if items.is_empty() {
                        return Ok(());
                    }
                    let key = existing_key(map, attr).unwrap_or_else(|| attr.to_string());
                    let mut slot = match map.get_mut(&key).map(Value::take) {
                        Some(Value::Array(existing)) => existing,
                        _ => Vec::new(),
                    };
                    let mut touched = Vec::with_capacity(items.len());
                    for item in items {
                        match slot.iter().position(|element| same_item(element, &item)) {
                            Some(index) => {
                                if let (Value::Object(element), Value::Object(new)) =
                                    (&mut slot[index], &item)
                                {
                                    merge(element, new);
                                }
                                touched.push(index);
                            }
                            None => {
                                slot.push(item);
                                touched.push(slot.len() - 1);
                            }
                        }
                    }
                    settle_primary(&mut slot, &touched);
                    map.insert(key, Value::Array(slot));
                }
            } else {
                match (get_ci_mut(map, attr), value) {
                    (Some(Value::Object(existing)), Value::Object(new)) => merge(existing, new),
                    _ => set_ci(map, attr, value.clone()),
                }
            }
            Ok(())
        }
        (None, Some(sub)) => match get_ci_mut(map, attr) {
            None | Some(Value::Null) => {
                let mut element = Map::new();
                element.insert(sub.to_string(), value.clone());
                let fresh = if is_known_multi_valued(attr) {
                    Value::Array(vec![Value::Object(element)])
                } else {
                    Value::Object(element)
                };
                set_ci(map, attr, fresh);
                Ok(())
            }
            Some(Value::Object(complex)) => {
                write_sub(complex, sub, value, replace);
                Ok(())
            }
            Some(Value::Array(items)) => {
                if items.is_empty() {
                    return Err(PatchError::new(
                        ScimType::NoTarget,
                        format!("{label}: {attr} has no element to set {sub} on"),
                    ));
                }
                for item in items.iter_mut() {
                    let Value::Object(element) = item else {
                        return Err(no_sub_attributes(label, attr));
                    };
                    write_sub(element, sub, value, replace);
                }
                let touched: Vec<usize> = (0..items.len()).collect();
                settle_primary(items, &touched);
                Ok(())
            }
            Some(_) => Err(no_sub_attributes(label, attr)),
        },
        (Some(filter), sub) => {
            let Some(Value::Array(items)) = get_ci_mut(map, attr) else {
                return Err(no_match(label));
            };
            let matched = matching(items, filter);
            if matched.is_empty() {
                return Err(no_match(label));
            }
            for &index in &matched {
                let item = &mut items[index];
                match (sub, item, value) {
                    (Some(sub), Value::Object(element), _) => {
                        write_sub(element, sub, value, replace)
                    }
                    (Some(_), _, _) => return Err(no_sub_attributes(label, attr)),
                    (None, Value::Object(element), Value::Object(new)) => merge(element, new),
                    (None, item, _) if replace => *item = value.clone(),
                    (None, _, _) => {
                        return Err(PatchError::new(
                            ScimType::InvalidValue,
                            format!(
                                "{label}: adding to selected elements needs an object of sub-attributes"
                            ),
                        ));
                    }
                }
            }
            settle_primary(items, &matched);
            Ok(())
        }
    }
}

/// Sets a sub-attribute of one element; `add` appends to an array and merges into an object.
fn write_sub(element: &mut Object, sub: &str, value: &Value, replace: bool) {
    if value.is_null() {
        remove_ci(element, sub);
        return;
    }
    if !replace {
        match (get_ci_mut(element, sub), value) {
            (Some(Value::Array(existing)), new) => {
                let items = match new {
                    Value::Array(items) => items.as_slice(),
                    single => std::slice::from_ref(single),
                };
                for item in items {
                    if !existing.iter().any(|e| same_item(e, item)) {
                        existing.push(item.clone());
                    }
                }
                return;
            }
            (Some(Value::Object(existing)), Value::Object(new)) => {
                merge(existing, new);
                return;
            }
            _ => {}
        }
    }
    set_ci(element, sub, value.clone());
}

/// `remove` at `attr[filter].sub`; `value` lists elements to remove (Azure-style).
fn remove(
    map: &mut Object,
    attr: &str,
    filter: Option<&Filter>,
    sub: Option<&str>,
    value: Option<&Value>,
    label: &str,
) -> Result<(), PatchError> {
    match (filter, sub) {
        (None, None) => {
            match (get_ci_mut(map, attr), value) {
                (Some(Value::Array(items)), Some(victims)) => {
                    let victims = match victims {
                        Value::Array(victims) => victims.as_slice(),
                        single => std::slice::from_ref(single),
                    };
                    items.retain(|item| !victims.iter().any(|victim| same_item(item, victim)));
                    if items.is_empty() {
                        remove_ci(map, attr);
                    }
                }
                _ => {
                    remove_ci(map, attr);
                }
            }
            Ok(())
        }
        (None, Some(sub)) => {
            match get_ci_mut(map, attr) {
                Some(Value::Object(complex)) => {
                    remove_ci(complex, sub);
                    if complex.is_empty() {
                        remove_ci(map, attr);
                    }
                }
                Some(Value::Array(items)) => {
                    for item in items.iter_mut() {
                        if let Value::Object(element) = item {
                            remove_ci(element, sub);
                        }
                    }
                }
                _ => {}
            }
            Ok(())
        }
        (Some(filter), sub) => {
            let Some(Value::Array(items)) = get_ci_mut(map, attr) else {
                return Err(no_match(label));
            };
            let matched = matching(items, filter);
            if matched.is_empty() {
                return Err(no_match(label));
            }
            match sub {
                None => {
                    let mut index = 0;
                    items.retain(|_| {
                        let keep = !matched.contains(&index);
                        index += 1;
                        keep
                    });
                    if items.is_empty() {
                        remove_ci(map, attr);
                    }
                }
                Some(sub) => {
                    for &index in &matched {
                        if let Value::Object(element) = &mut items[index] {
                            remove_ci(element, sub);
                        }
                    }
                }
            }
            Ok(())
        }
    }
}

fn no_match(label: &str) -> PatchError {
    PatchError::new(
        ScimType::NoTarget,
        format!("{label}: the filter matched no element"),
    )
}

fn no_sub_attributes(label: &str, attr: &str) -> PatchError {
    PatchError::new(
        ScimType::InvalidPath,
        format!("{label}: {attr} has no sub-attributes"),
    )
}

/// The indexes of the elements the filter matches.
fn matching(items: &[Value], filter: &Filter) -> Vec<usize> {
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| filter.matches(item))
        .map(|(index, _)| index)
        .collect()
}

fn is_known_multi_valued(attr: &str) -> bool {
    MULTI_VALUED
        .iter()
        .any(|name| name.eq_ignore_ascii_case(attr))
}

fn is_multi_valued(existing: Option<&Value>, value: &Value, attr: &str) -> bool {
    match existing {
        Some(Value::Array(_)) => true,
        Some(Value::Null) | None => value.is_array() || is_known_multi_valued(attr),
        Some(_) => false,
    }
}

/// Whether two elements of a multi-valued attribute are the same: equal, or objects with the
/// same `value`.
fn same_item(a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => match (get_ci(a, "value"), get_ci(b, "value")) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
        _ => false,
    }
}

fn is_primary(item: &Value) -> bool {
    item.as_object()
        .and_then(|element| get_ci(element, "primary"))
        .and_then(Value::as_bool)
        == Some(true)
}

/// RFC 7643 §2.4: `"primary": true` appears at most once; the last touched primary element wins.
fn settle_primary(items: &mut [Value], touched: &[usize]) {
    let Some(&winner) = touched
        .iter()
        .rev()
        .find(|&&index| items.get(index).is_some_and(is_primary))
    else {
        return;
    };
    for (index, item) in items.iter_mut().enumerate() {
        if index != winner
            && is_primary(item)
            && let Value::Object(element) = item
        {
            set_ci(element, "primary", Value::Bool(false));
        }
    }
}

/// Merges the members of `new` into `existing`, keeping existing key spellings; a `null`
/// member unassigns.
fn merge(existing: &mut Object, new: &Object) {
    for (key, value) in new {
        if value.is_null() {
            remove_ci(existing, key);
        } else {
            set_ci(existing, key, value.clone());
        }
    }
}

/// The existing key equal to `name` case-insensitively.
fn existing_key(map: &Object, name: &str) -> Option<String> {
    if map.contains_key(name) {
        return Some(name.to_string());
    }
    map.keys()
        .find(|key| key.eq_ignore_ascii_case(name))
        .cloned()
}

fn get_ci_mut<'a>(map: &'a mut Object, name: &str) -> Option<&'a mut Value> {
    let key = existing_key(map, name)?;
    map.get_mut(&key)
}

/// Sets a member, keeping the spelling of an existing key and its position.
fn set_ci(map: &mut Object, name: &str, value: Value) {
    let key = existing_key(map, name).unwrap_or_else(|| name.to_string());
    map.insert(key, value);
}

/// Removes a member, keeping the order of the others.
fn remove_ci(map: &mut Object, name: &str) -> Option<Value> {
    let key = existing_key(map, name)?;
    map.shift_remove(&key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user_rules() -> PatchRules {
        PatchRules {
            core_schema: schemas::CORE_USER,
            required: PatchRules::rfc_required(schemas::CORE_USER),
            read_only: vec![AttrPath::attribute("id"), AttrPath::attribute("meta")],
        }
    }

    fn operation(op: PatchOp, path: Option<&str>, value: Option<Value>) -> PatchOperation {
        PatchOperation {
            op,
            path: path.map(str::to_string),
            value,
        }
    }

    /// RFC 7643 §2.4: at most one element is primary; the last one written wins.
    #[test]
    fn settle_primary_keeps_the_last_touched() {
        let mut items = vec![
            json!({"value": "a", "primary": true}),
            json!({"value": "b"}),
            json!({"value": "c", "primary": true}),
        ];
        settle_primary(&mut items, &[1, 2]);
        assert_eq!(items[0]["primary"], json!(false));
        assert!(items[1].get("primary").is_none());
        assert_eq!(items[2]["primary"], json!(true));
        let mut untouched = vec![json!({"value": "a", "primary": true})];
        settle_primary(&mut untouched, &[]);
        assert_eq!(untouched[0]["primary"], json!(true));
    }

    /// RFC 7644 §3.5.2.1: an item counts as present when equal or with the same `value`.
    #[test]
    fn same_item_compares_values() {
        assert!(same_item(&json!("a"), &json!("a")));
        assert!(same_item(
            &json!({"value": "u1", "type": "User", "$ref": "https://x/Users/u1"}),
            &json!({"value": "u1"})
        ));
        assert!(!same_item(&json!({"value": "u1"}), &json!({"value": "u2"})));
        assert!(!same_item(
            &json!({"type": "work"}),
            &json!({"type": "home"})
        ));
    }

    /// RFC 7643 §2.1: attribute names are case-insensitive; existing spellings are kept.
    #[test]
    fn keys_keep_their_spelling_and_position() {
        let mut map = json!({"a": 1, "UserName": "x", "c": 3});
        let Value::Object(object) = &mut map else {
            panic!("object")
        };
        set_ci(object, "username", json!("y"));
        assert_eq!(object.keys().collect::<Vec<_>>(), ["a", "UserName", "c"]);
        remove_ci(object, "A");
        assert_eq!(object.keys().collect::<Vec<_>>(), ["UserName", "c"]);
    }

    /// RFC 7643 §4.1, §4.2: userName and displayName are required.
    #[test]
    fn required_attributes_follow_the_core_schema() {
        assert!(user_rules().required().contains(&"userName"));
        let group = PatchRules {
            core_schema: schemas::CORE_GROUP,
            required: PatchRules::rfc_required(schemas::CORE_GROUP),
            read_only: Vec::new(),
        };
        assert!(group.required().contains(&"displayName"));
    }

    /// RFC 7644 §3.5.2: the error names the operation and the SCIM error type.
    #[test]
    fn errors_name_the_operation() {
        let mut user = json!({"userName": "a"});
        let error = apply(
            &mut user,
            &[
                operation(PatchOp::Replace, Some("title"), Some(json!("x"))),
                operation(PatchOp::Remove, None, None),
            ],
            &user_rules(),
        )
        .expect_err("remove without path");
        assert_eq!(error.scim_type, ScimType::NoTarget);
        assert_eq!(error.detail, "Operations[1]: remove needs a path");
        assert_eq!(
            error.to_string(),
            "noTarget: Operations[1]: remove needs a path"
        );
        assert_eq!(user, json!({"userName": "a"}));
    }

    /// Robustness: a resource that is not an object is refused, not a panic.
    #[test]
    fn non_object_resource_is_refused() {
        let mut not_object = json!([1, 2]);
        let error = apply(
            &mut not_object,
            &[operation(PatchOp::Add, Some("a"), Some(json!(1)))],
            &user_rules(),
        )
        .expect_err("array resource");
        assert_eq!(error.scim_type, ScimType::InvalidValue);
    }
}
