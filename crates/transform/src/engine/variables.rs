//! Transformation variables (`reference/ips-ias.md` §1.6) and `${name}` interpolation.

use std::borrow::Cow;

use serde_json::Value;

/// `entityIdSourceSystem`: the entity's id in the source system (set by read transformations).
pub const ENTITY_ID_SOURCE_SYSTEM: &str = "entityIdSourceSystem";
/// `entityIdTargetSystem`: the entity's id in the target system (known on update and delete).
pub const ENTITY_ID_TARGET_SYSTEM: &str = "entityIdTargetSystem";
/// `currentDate`: now, formatted with `ips.date.variable.format`.
pub const CURRENT_DATE: &str = "currentDate";
/// `assignGroup`: groups (`[{"id": …}]`) a target user is assigned to.
pub const ASSIGN_GROUP: &str = "assignGroup";
/// `unassignGroup`: groups a target user is removed from.
pub const UNASSIGN_GROUP: &str = "unassignGroup";

/// Named values that live for one entity's transformation and never appear in the output.
/// Names keep the order in which they were first set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Variables {
    entries: Vec<(String, Value)>,
}

impl Variables {
    /// No variables.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of `name`, if it is set.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    }

    /// Sets `name`, replacing an earlier value (a later mapping wins, §1.11 item 4).
    pub fn set(&mut self, name: impl Into<String>, value: Value) {
        let name = name.into();
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((name, value)),
        }
    }

    /// Whether no variable is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every variable, in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries
            .iter()
            .map(|(name, value)| (name.as_str(), value))
    }

    /// The variables as a JSON object.
    pub fn to_value(&self) -> Value {
        Value::Object(
            self.entries
                .iter()
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
        )
    }

    /// Replaces every `${name}` in `text` with the variable's value: strings as they are, other
    /// values as JSON text, and an unset variable as the empty string (**proposed**: IPS examples
    /// test `'${nestedPathVariable}' != ''`). A `${` without a closing `}` stays as written.
    pub fn interpolate<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !text.contains("${") {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let Some(length) = rest[start + 2..].find('}') else {
                break;
            };
            out.push_str(&rest[..start]);
            let name = &rest[start + 2..start + 2 + length];
            match self.get(name) {
                Some(Value::String(text)) => out.push_str(text),
                Some(Value::Null) | None => {}
                Some(other) => out.push_str(&other.to_string()),
            }
            rest = &rest[start + 3 + length..];
        }
        out.push_str(rest);
        Cow::Owned(out)
    }
}

impl<N: Into<String>> FromIterator<(N, Value)> for Variables {
    fn from_iter<I: IntoIterator<Item = (N, Value)>>(iter: I) -> Self {
        let mut variables = Variables::new();
        for (name, value) in iter {
            variables.set(name, value);
        }
        variables
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn interpolation_replaces_set_and_unset_variables() {
        let vars: Variables = [
            ("a", json!("x")),
            ("n", json!(3)),
            ("list", json!([{"id": 1}])),
        ]
        .into_iter()
        .collect();
        assert_eq!(vars.interpolate("'${a}' == 'x'"), "'x' == 'x'");
        assert_eq!(vars.interpolate("${n}${missing}!"), "3!");
        assert_eq!(vars.interpolate("${list}"), "[{\"id\":1}]");
        assert_eq!(vars.interpolate("no ${ end"), "no ${ end");
        assert!(matches!(vars.interpolate("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_later_set_replaces_the_value_and_keeps_the_order() {
        let mut vars = Variables::new();
        vars.set("b", json!(1));
        vars.set("a", json!(2));
        vars.set("b", json!(3));
        assert_eq!(vars.to_value(), json!({"b": 3, "a": 2}));
    }
}
