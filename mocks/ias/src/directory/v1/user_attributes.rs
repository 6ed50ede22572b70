//! The v1→v2 conversion of single user attributes that have rules of their own: `name`,
//! `emails`, `addresses` and `phoneNumbers`, `corporateGroups`, the custom attributes, and the
//! checked but unstored `newsletters`, `termsOfUse` and `privacyPolicy`.

use jiff::Timestamp;
use sapland_core::scim::ScimError;
use sapland_core::scim::schemas::{CUSTOM_USER, ENTERPRISE_USER, SAP_USER};
use serde_json::{Map, Value, json};

use super::errors::bad_value;
use super::paths::{at_map, set_at};
use super::user_write::Mode;
use super::values::{flag, set_text, text};
use super::views::NAME_PARTS;
use crate::directory::member;

/// The sub-attributes of a terms-of-use or privacy-policy acceptance ([DOC]).
const ACCEPTANCE_PARTS: &[&str] = &["timeOfAcceptance", "name", "id", "locale", "version"];

/// The most characters of a custom attribute's value ([DOC]).
const CUSTOM_VALUE_MAX: usize = 256;

/// `name`, merged part by part; `familyName` cannot be removed; `<`, `>`, `:` are refused in
/// `middleName` here and in the other names by the v2 rules ([DOC] create user).
pub(super) fn apply_name(user: &mut Map<String, Value>, value: &Value) -> Result<(), ScimError> {
    let name = match value {
        Value::Null => return Ok(()),
        Value::Object(name) => name,
        other => return Err(bad_value(format!("name must be an object, got {other}"))),
    };
    for (part, value) in name {
        if !NAME_PARTS.contains(&part.as_str()) {
            return Err(bad_value(format!(
                "Unknown attribute name.{part}: a name has {}",
                NAME_PARTS.join(", ")
            )));
        }
        let label = format!("name.{part}");
        let given = text(&label, value)?;
        if part == "familyName" && given.is_some_and(|f| f.trim().is_empty()) {
            return Err(bad_value(
                "name.familyName is mandatory and cannot be empty",
            ));
        }
        if part == "middleName" && given.is_some_and(|m| m.contains(['<', '>', ':'])) {
            return Err(bad_value("name.middleName must not contain <, > or :"));
        }
        set_text(user, &["name", part], &label, value)?;
    }
    Ok(())
}

/// `emails`: one email at most ([DOC]); it becomes the primary email; `[]` removes it.
pub(super) fn apply_emails(user: &mut Map<String, Value>, value: &Value) -> Result<(), ScimError> {
    let items = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        other => {
            return Err(bad_value(format!(
                "emails must be a list with one email, got {other}"
            )));
        }
    };
    if items.len() > 1 {
        return Err(bad_value(format!(
            "emails: the SCIM REST API (v1) supports only one email, got {}",
            items.len()
        )));
    }
    let Some(item) = items.first() else {
        set_at(user, &["emails"], None);
        set_at(user, &[SAP_USER, "emails"], None);
        return Ok(());
    };
    let Value::Object(fields) = item else {
        return Err(bad_value(format!(
            "emails[0] must be an object with the address as value, got {item}"
        )));
    };
    let mut email = Map::new();
    for (key, value) in fields {
        match key.as_str() {
            "value" => {
                let address = text("emails[0].value", value)?.unwrap_or_default();
                if !is_email(address) {
                    return Err(bad_value(format!(
                        "emails[0].value {address:?} is not an email address"
                    )));
                }
                email.insert("value".into(), address.into());
            }
            "type" | "display" => {
                if let Some(text) = text(&format!("emails[0].{key}"), value)? {
                    email.insert(key.clone(), text.into());
                }
            }
            "primary" => {
                flag("emails[0].primary", value)?;
            }
            other => {
                return Err(bad_value(format!(
                    "Unknown attribute emails[0].{other}: an email has value, type, primary, display"
                )));
            }
        }
    }
    if !email.contains_key("value") {
        return Err(bad_value("emails[0].value is required"));
    }
    email.insert("primary".into(), true.into());
    set_at(
        user,
        &["emails"],
        Some(Value::Array(vec![Value::Object(email)])),
    );
    Ok(())
}

/// Whether `address` looks like an email address: a local part, `@`, a domain.
fn is_email(address: &str) -> bool {
    address.rsplit_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains(char::is_whitespace)
    })
}

/// `addresses` or `phoneNumbers`: replaced whole, `[]` removes; `type` as documented.
pub(super) fn apply_list(
    user: &mut Map<String, Value>,
    attribute: &str,
    value: &Value,
    parts: &[&str],
    types: &[&str],
) -> Result<(), ScimError> {
    let items = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        other => {
            return Err(bad_value(format!(
                "{attribute} must be a list, got {other}"
            )));
        }
    };
    let mut entries = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::Object(fields) = item else {
            return Err(bad_value(format!(
                "{attribute}[{i}] must be an object, got {item}"
            )));
        };
        let mut entry = Map::new();
        for (key, value) in fields {
            let label = format!("{attribute}[{i}].{key}");
            if key == "primary" {
                if let Some(primary) = flag(&label, value)? {
                    entry.insert(key.clone(), primary.into());
                }
                continue;
            }
            if !parts.contains(&key.as_str()) {
                return Err(bad_value(format!(
                    "Unknown attribute {label}: {attribute} have {}",
                    parts.join(", ")
                )));
            }
            let Some(text) = text(&label, value)? else {
                continue;
            };
            if key == "type" && !types.iter().any(|t| t.eq_ignore_ascii_case(text)) {
                return Err(bad_value(format!(
                    "{label} must be one of {}; got {text:?}",
                    types.join(", ")
                )));
            }
            entry.insert(key.clone(), text.into());
        }
        if attribute == "phoneNumbers" && !entry.contains_key("value") {
            return Err(bad_value(format!("{attribute}[{i}].value is required")));
        }
        entries.push(Value::Object(entry));
    }
    let value = (!entries.is_empty()).then_some(Value::Array(entries));
    set_at(user, &[attribute], value);
    Ok(())
}

/// SAP's view of the phone numbers with their `verified` flag (v1 `telephoneVerified`).
pub(super) fn sync_phone_view(user: &mut Map<String, Value>, verified: Option<bool>) {
    let verified = verified.unwrap_or_else(|| {
        at_map(user, &[SAP_USER, "phoneNumbers"])
            .and_then(Value::as_array)
            .is_some_and(|phones| {
                phones
                    .iter()
                    .any(|p| member(p, "verified").and_then(Value::as_bool) == Some(true))
            })
    });
    let view: Vec<Value> = at_map(user, &["phoneNumbers"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|phone| {
            let mut entry = phone.clone();
            entry.insert("verified".into(), verified.into());
            Value::Object(entry)
        })
        .collect();
    let value = (!view.is_empty()).then_some(Value::Array(view));
    set_at(user, &[SAP_USER, "phoneNumbers"], value);
}

/// `corporateGroups`: a value overwrites, `[]` or `null` deletes ([DOC] update user).
pub(super) fn apply_corporate_groups(
    user: &mut Map<String, Value>,
    value: &Value,
) -> Result<(), ScimError> {
    let items = match value {
        Value::Null => {
            set_at(user, &[SAP_USER, "corporateGroups"], None);
            return Ok(());
        }
        Value::Array(items) => items,
        other => {
            return Err(bad_value(format!(
                "corporateGroups must be a list of {{\"value\": <group>}}, got {other}"
            )));
        }
    };
    let mut groups = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let fields = item.as_object().filter(|f| f.keys().all(|k| k == "value"));
        let Some(Value::String(name)) = fields.and_then(|f| f.get("value")) else {
            return Err(bad_value(format!(
                "corporateGroups[{i}] must be {{\"value\": <group name>}}, got {item}"
            )));
        };
        groups.push(json!({ "value": name }));
    }
    let value = (!groups.is_empty()).then_some(Value::Array(groups));
    set_at(user, &[SAP_USER, "corporateGroups"], value);
    Ok(())
}

/// The custom attributes: `customAttribute1` … `customAttribute10`, values up to 256
/// characters; in an update an empty value deletes one and an empty list all ([DOC]).
pub(super) fn apply_custom(
    user: &mut Map<String, Value>,
    value: &Value,
    mode: Mode,
) -> Result<(), ScimError> {
    let extension = match value {
        Value::Null => return Ok(()),
        Value::Object(extension) => extension,
        other => {
            return Err(bad_value(format!(
                "{CUSTOM_USER} must be an object, got {other}"
            )));
        }
    };
    if let Some(key) = extension.keys().find(|k| *k != "attributes") {
        return Err(bad_value(format!(
            "Unknown attribute {CUSTOM_USER}:{key}: the extension has attributes"
        )));
    }
    let items = match extension.get("attributes") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(bad_value(format!(
                "{CUSTOM_USER}:attributes must be a list, got {other}"
            )));
        }
    };
    let mut given: Vec<(String, String)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let label = format!("{CUSTOM_USER}:attributes[{i}]");
        let Value::Object(fields) = item else {
            return Err(bad_value(format!(
                "{label} must be an object with name and value, got {item}"
            )));
        };
        if let Some(key) = fields.keys().find(|k| *k != "name" && *k != "value") {
            return Err(bad_value(format!("Unknown attribute {label}.{key}")));
        }
        let name = text(
            &format!("{label}.name"),
            fields.get("name").unwrap_or(&Value::Null),
        )?
        .unwrap_or_default();
        let known = name
            .strip_prefix("customAttribute")
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=10).contains(&n) && name == format!("customAttribute{n}"));
        if !known {
            return Err(bad_value(format!(
                "{label}.name must be customAttribute1 … customAttribute10, got {name:?}"
            )));
        }
        let value = text(
            &format!("{label}.value"),
            fields.get("value").unwrap_or(&Value::Null),
        )?
        .unwrap_or_default();
        if value.chars().count() > CUSTOM_VALUE_MAX {
            return Err(bad_value(format!(
                "{label}.value has {} characters; at most {CUSTOM_VALUE_MAX} are allowed",
                value.chars().count()
            )));
        }
        if given.iter().any(|(n, _)| n == name) {
            return Err(bad_value(format!("{label}.name {name} is given twice")));
        }
        given.push((name.to_string(), value.to_string()));
    }
    let mut current: Vec<(String, String)> = match mode {
        Mode::Create => Vec::new(),
        Mode::Update => at_map(user, &[CUSTOM_USER, "attributes"])
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| {
                Some((
                    member(a, "name")?.as_str()?.to_string(),
                    member(a, "value")?.as_str()?.to_string(),
                ))
            })
            .collect(),
    };
    if given.is_empty() {
        current.clear();
    }
    for (name, value) in given {
        match current.iter().position(|(n, _)| *n == name) {
            Some(pos) if value.is_empty() => {
                current.remove(pos);
            }
            Some(pos) => current[pos].1 = value,
            None if value.is_empty() => {}
            None => current.push((name, value)),
        }
    }
    let attributes: Vec<Value> = current
        .into_iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    let value = (!attributes.is_empty()).then_some(Value::Array(attributes));
    set_at(user, &[CUSTOM_USER, "attributes"], value);
    Ok(())
}

/// `newsletters`: a list of names; checked, not stored.
pub(super) fn check_newsletters(value: &Value) -> Result<(), ScimError> {
    match value {
        Value::Null => Ok(()),
        Value::Array(items) if items.iter().all(Value::is_string) => Ok(()),
        other => Err(bad_value(format!(
            "newsletters must be a list of strings, got {other}"
        ))),
    }
}

/// `termsOfUse` / `privacyPolicy`: acceptances with `timeOfAcceptance` as
/// `yyyy-MM-dd'T'HH:mm:ss'Z'` ([DOC]).
pub(super) fn check_acceptances(name: &str, value: &Value) -> Result<(), ScimError> {
    let items = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        other => return Err(bad_value(format!("{name} must be a list, got {other}"))),
    };
    for (i, item) in items.iter().enumerate() {
        let Value::Object(fields) = item else {
            return Err(bad_value(format!(
                "{name}[{i}] must be an object, got {item}"
            )));
        };
        for (key, value) in fields {
            let label = format!("{name}[{i}].{key}");
            if !ACCEPTANCE_PARTS.contains(&key.as_str()) {
                return Err(bad_value(format!(
                    "Unknown attribute {label}: an acceptance has {}",
                    ACCEPTANCE_PARTS.join(", ")
                )));
            }
            let given = text(&label, value)?;
            if key == "timeOfAcceptance"
                && let Some(time) = given
                && !is_acceptance_time(time)
            {
                return Err(bad_value(format!(
                    "{label} must be yyyy-MM-ddTHH:mm:ssZ, got {time:?}"
                )));
            }
        }
    }
    Ok(())
}

/// Whether `time` is `yyyy-MM-dd'T'HH:mm:ss'Z'` and a valid instant.
fn is_acceptance_time(time: &str) -> bool {
    time.len() == 20
        && time.as_bytes().get(10) == Some(&b'T')
        && time.ends_with('Z')
        && time.parse::<Timestamp>().is_ok()
}

/// `company`/`department` are the enterprise extension's `organization`/`department`
/// ([DOC]); a body that gives both must give the same value.
pub(super) fn same_as_extension(
    body: &Map<String, Value>,
    core: &str,
    extension: &str,
) -> Result<(), ScimError> {
    let flat = body.get(core).and_then(Value::as_str);
    let nested = body
        .get(ENTERPRISE_USER)
        .and_then(|e| e.get(extension))
        .and_then(Value::as_str);
    match (flat, nested) {
        (Some(flat), Some(nested)) if flat != nested => Err(bad_value(format!(
            "{core} {flat:?} and {ENTERPRISE_USER}:{extension} {nested:?} differ; they are the same attribute"
        ))),
        _ => Ok(()),
    }
}
