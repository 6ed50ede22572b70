//! SCIM filter text (RFC 7644 §3.4.2.2) built with correct quoting, and IPS's unique
//! attributes (`ias.user.unique.attribute`, `scim.group.unique.attribute`, [DOC]
//! `reference/ips-ias.md` §2.4) turned into the filter that finds an existing entity.

use std::fmt;

use serde_json::Value;

/// A SCIM filter. Built from `eq` terms joined with `and`/`or`, or taken as written (an IPS
/// `ias.user.filter`). Values are written as JSON literals, so quotes and backslashes in them
/// are escaped and cannot change the filter's meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    text: String,
    /// The filter as `path eq value` terms joined by `and`, when it is one.
    terms: Option<Vec<(String, Value)>>,
}

/// A filter that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// The attribute path holds characters a SCIM attribute path cannot.
    #[error("{path:?} is not a SCIM attribute path")]
    InvalidPath {
        /// The path as given.
        path: String,
    },
    /// An IPS unique attribute could not be read.
    #[error("unique attribute {text:?}: {problem}")]
    InvalidUniqueAttribute {
        /// The attribute as written.
        text: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// The entity has no value for a unique attribute.
    #[error("the entity has no value for the unique attribute {attribute}")]
    MissingValue {
        /// The attribute as written.
        attribute: String,
    },
}

impl Filter {
    /// `path eq value`; a string value is quoted and escaped as a JSON string.
    pub fn eq(path: &str, value: impl Into<Value>) -> Result<Self, FilterError> {
        check_path(path)?;
        let value = value.into();
        Ok(Self {
            text: format!("{path} eq {}", literal(&value)),
            terms: Some(vec![(path.to_string(), value)]),
        })
    }

    /// A filter as written, such as IPS's `ias.user.filter`; sent unchanged.
    pub fn raw(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            terms: None,
        }
    }

    /// Both filters must match.
    pub fn and(self, other: Filter) -> Self {
        let terms = match (self.terms, other.terms) {
            (Some(mut left), Some(right)) => {
                left.extend(right);
                Some(left)
            }
            _ => None,
        };
        Self {
            text: format!("{} and {}", group(&self.text), group(&other.text)),
            terms,
        }
    }

    /// Either filter matches.
    pub fn or(self, other: Filter) -> Self {
        Self {
            text: format!("({}) or ({})", self.text, other.text),
            terms: None,
        }
    }

    /// The filter text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `resource` matches, for services that cannot filter (IAS v1 groups): `None`
    /// when the filter is not a conjunction of `eq` terms. Strings compare case-insensitively,
    /// as IAS compares them; a multi-valued attribute matches when one value does.
    pub fn matches(&self, resource: &Value) -> Option<bool> {
        let terms = self.terms.as_ref()?;
        Some(terms.iter().all(|(path, wanted)| {
            values_at(resource, path)
                .iter()
                .any(|found| same_value(found, wanted))
        }))
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A value as a SCIM filter literal: JSON (`"a \"b\""`, `true`, `42`, `null`).
pub fn literal(value: &Value) -> String {
    value.to_string()
}

fn group(text: &str) -> String {
    if text.contains(" or ") || text.contains(" and ") {
        format!("({text})")
    } else {
        text.to_string()
    }
}

/// SCIM attribute paths: names, dots, and URN prefixes (`urn:…:User:employeeNumber`).
fn check_path(path: &str) -> Result<(), FilterError> {
    let valid = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '_' | '-' | '$'));
    if valid {
        Ok(())
    } else {
        Err(FilterError::InvalidPath {
            path: path.to_string(),
        })
    }
}

fn same_value(found: &Value, wanted: &Value) -> bool {
    match (found, wanted) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        _ => found == wanted,
    }
}

/// Every value at a filter path (`emails.value`, `urn:…:Group:name`), looking into arrays.
fn values_at<'a>(resource: &'a Value, path: &str) -> Vec<&'a Value> {
    let (mut current, rest): (Vec<&Value>, &str) = match path.rfind(':') {
        Some(colon) if path.starts_with("urn:") => (
            resource.get(&path[..colon]).into_iter().collect(),
            &path[colon + 1..],
        ),
        _ => (vec![resource], path),
    };
    for name in rest.split('.') {
        current = current
            .into_iter()
            .flat_map(|value| match value {
                Value::Array(items) => items.iter().filter_map(|i| get_ci(i, name)).collect(),
                other => get_ci(other, name).into_iter().collect::<Vec<_>>(),
            })
            .collect();
    }
    current
        .into_iter()
        .flat_map(|value| match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        })
        .collect()
}

/// A member by name, case-insensitively (SCIM attribute names are case-insensitive).
fn get_ci<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    let object = value.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// One of IPS's unique attributes, as written in `ias.user.unique.attribute` and friends:
/// `userName`, `emails[0].value`, `phoneNumbers[0].value`, `externalId`,
/// `['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']` ([DOC] §2.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueAttribute {
    text: String,
    /// `(member name, array index)` steps into the entity.
    steps: Vec<(String, Option<usize>)>,
}

impl UniqueAttribute {
    /// Reads one attribute.
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        let trimmed = text.trim();
        let invalid = |problem| FilterError::InvalidUniqueAttribute {
            text: text.to_string(),
            problem,
        };
        let mut rest = trimmed.strip_prefix("$.").unwrap_or(trimmed);
        let mut steps: Vec<(String, Option<usize>)> = Vec::new();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("['") {
                let end = after
                    .find("']")
                    .ok_or_else(|| invalid("a ['…'] is not closed"))?;
                steps.push((after[..end].to_string(), None));
                rest = &after[end + 2..];
            } else if let Some(after) = rest.strip_prefix('[') {
                let end = after
                    .find(']')
                    .ok_or_else(|| invalid("a [ is not closed"))?;
                let index = after[..end]
                    .parse()
                    .map_err(|_| invalid("an array index must be a number"))?;
                let last = steps
                    .last_mut()
                    .ok_or_else(|| invalid("an index needs an attribute before it"))?;
                last.1 = Some(index);
                rest = &after[end + 1..];
            } else {
                let rest_trimmed = rest.strip_prefix('.').unwrap_or(rest);
                if rest_trimmed.starts_with("urn:") && steps.is_empty() {
                    let bracket = rest_trimmed.find('[').unwrap_or(rest_trimmed.len());
                    let colon = rest_trimmed[..bracket]
                        .rfind(':')
                        .ok_or_else(|| invalid("a URN needs an attribute after its last colon"))?;
                    let after = &rest_trimmed[colon + 1..];
                    let end = after.find(['[', '.']).unwrap_or(after.len());
                    if end == 0 {
                        return Err(invalid("a URN needs an attribute after its last colon"));
                    }
                    steps.push((rest_trimmed[..colon].to_string(), None));
                    steps.push((after[..end].to_string(), None));
                    rest = &after[end..];
                } else {
                    let end = rest_trimmed.find(['[', '.']).unwrap_or(rest_trimmed.len());
                    if end == 0 {
                        return Err(invalid("an attribute name is empty"));
                    }
                    steps.push((rest_trimmed[..end].to_string(), None));
                    rest = &rest_trimmed[end..];
                }
            }
        }
        if steps.is_empty() {
            return Err(invalid("no attribute given"));
        }
        let attribute = Self {
            text: trimmed.to_string(),
            steps,
        };
        check_path(&attribute.filter_path()).map_err(|_| invalid("not a SCIM attribute path"))?;
        Ok(attribute)
    }

    /// Reads a comma list (a conjunction: every attribute must match, [DOC] §2.4).
    pub fn parse_list(text: &str) -> Result<Vec<Self>, FilterError> {
        let mut parts = Vec::new();
        let mut depth = 0usize;
        let mut start = 0;
        for (i, c) in text.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    parts.push(&text[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&text[start..]);
        parts
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .map(Self::parse)
            .collect()
    }

    /// The attribute as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The path in a SCIM filter: `emails[0].value` → `emails.value`,
    /// `['urn:…:Group']['name']` → `urn:…:Group:name`.
    pub fn filter_path(&self) -> String {
        let mut path = String::new();
        for (i, (name, _)) in self.steps.iter().enumerate() {
            if i > 0 {
                path.push(if self.steps[i - 1].0.starts_with("urn:") {
                    ':'
                } else {
                    '.'
                });
            }
            path.push_str(name);
        }
        path
    }

    /// The entity's value for this attribute.
    pub fn value_in<'a>(&self, entity: &'a Value) -> Option<&'a Value> {
        let mut current = entity;
        for (name, index) in &self.steps {
            current = get_ci(current, name)?;
            if let Some(index) = index {
                current = current.as_array()?.get(*index)?;
            }
        }
        (!current.is_null()).then_some(current)
    }

    /// The filter that finds the entity that holds the same values for all `attributes`.
    pub fn filter_for(attributes: &[Self], entity: &Value) -> Result<Filter, FilterError> {
        let mut filter: Option<Filter> = None;
        for attribute in attributes {
            let value = attribute
                .value_in(entity)
                .ok_or_else(|| FilterError::MissingValue {
                    attribute: attribute.text.clone(),
                })?;
            let term = Filter::eq(&attribute.filter_path(), value.clone())?;
            filter = Some(match filter {
                None => term,
                Some(previous) => previous.and(term),
            });
        }
        filter.ok_or(FilterError::InvalidUniqueAttribute {
            text: String::new(),
            problem: "no unique attribute given",
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_are_quoted_and_escaped_as_json_strings() {
        let filter = Filter::eq("userName", r#"o"brien\ or userName pr"#).unwrap();
        assert_eq!(
            filter.as_str(),
            r#"userName eq "o\"brien\\ or userName pr""#
        );
        assert_eq!(
            Filter::eq("active", true).unwrap().as_str(),
            "active eq true"
        );
        assert_eq!(
            Filter::eq("userName", "tab\there").unwrap().as_str(),
            r#"userName eq "tab\there""#
        );
        assert!(Filter::eq("userName eq \"x\" or id", "y").is_err());
    }

    /// [DOC] §2.4: `userName,emails[0].value` is a conjunction.
    #[test]
    fn unique_attributes_become_an_and_filter() {
        let attributes = UniqueAttribute::parse_list("userName, emails[0].value").unwrap();
        let entity = json!({"userName": "jdoe", "emails": [{"value": "joe.doe@test.com"}]});
        let filter = UniqueAttribute::filter_for(&attributes, &entity).unwrap();
        assert_eq!(
            filter.as_str(),
            r#"userName eq "jdoe" and emails.value eq "joe.doe@test.com""#
        );
        assert_eq!(filter.matches(&entity), Some(true));
        let other = json!({"userName": "JDOE", "emails": [{"value": "x@test.com"}]});
        assert_eq!(filter.matches(&other), Some(false));
    }

    /// [DOC] §2.4: the default group unique attribute of IAS v2 targets.
    #[test]
    fn the_custom_group_name_attribute_in_bracket_notation() {
        let attribute = UniqueAttribute::parse(
            "['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']",
        )
        .unwrap();
        assert_eq!(
            attribute.filter_path(),
            "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group:name"
        );
        let group =
            json!({"urn:sap:cloud:scim:schemas:extension:custom:2.0:Group": {"name": "Admins"}});
        assert_eq!(attribute.value_in(&group), Some(&json!("Admins")));
        let filter = UniqueAttribute::filter_for(&[attribute], &group).unwrap();
        assert_eq!(filter.matches(&group), Some(true));
    }

    #[test]
    fn urn_dotted_and_indexed_attributes() {
        let employee = UniqueAttribute::parse(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        )
        .unwrap();
        let user = json!({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "42"}});
        assert_eq!(employee.value_in(&user), Some(&json!("42")));
        let phone = UniqueAttribute::parse("phoneNumbers[1].value").unwrap();
        assert_eq!(phone.filter_path(), "phoneNumbers.value");
        let user = json!({"phoneNumbers": [{"value": "1"}, {"value": "2"}]});
        assert_eq!(phone.value_in(&user), Some(&json!("2")));
        let missing = UniqueAttribute::filter_for(&[phone], &json!({})).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "the entity has no value for the unique attribute phoneNumbers[1].value"
        );
        assert!(UniqueAttribute::parse("emails[x].value").is_err());
        assert!(UniqueAttribute::parse("['urn:x").is_err());
    }

    #[test]
    fn raw_filters_are_grouped_when_joined() {
        let filter = Filter::raw(r#"userName eq "a" or userName eq "b""#)
            .and(Filter::eq("active", true).unwrap());
        assert_eq!(
            filter.as_str(),
            r#"(userName eq "a" or userName eq "b") and active eq true"#
        );
        assert_eq!(filter.matches(&json!({})), None);
    }
}
