//! `%property.key%` substitution (`reference/ips-ias.md` §1.7): system properties referenced in
//! the strings of a transformation are replaced textually before it is evaluated.

use std::borrow::Cow;

use serde_json::Value;

use crate::condition::Properties;

/// Replaces every `%key%` in `text` with the value of property `key`, or the text `null` when
/// the system has no such property (§1.7). The replacement is not recursive. As in IPS, any text
/// between two `%` counts as a key, so a literal with two `%` signs is replaced too — SAP's
/// documented pitfall; put such a literal into a property instead.
///
/// ```
/// use std::collections::BTreeMap;
/// use sapland_transform::engine::substitute_properties;
///
/// let properties = BTreeMap::from([("sac.group.prefix".to_string(), "SAC_".to_string())]);
/// assert_eq!(
///     substitute_properties("'%sac.group.prefix%' !== 'null'", &properties),
///     "'SAC_' !== 'null'"
/// );
/// assert_eq!(substitute_properties("'%no.such%' !== 'null'", &properties), "'null' !== 'null'");
/// assert_eq!(substitute_properties("100%", &properties), "100%");
/// ```
pub fn substitute_properties<'t>(text: &'t str, properties: &dyn Properties) -> Cow<'t, str> {
    let Some(first) = text.find('%') else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    while let Some(start) = rest.find('%') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('%') {
            Some(length) if length > 0 => {
                let key = &after[..length];
                out.push_str(properties.property(key).unwrap_or("null"));
                rest = &after[length + 1..];
            }
            Some(_) => {
                out.push('%');
                rest = after;
            }
            None => {
                out.push('%');
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// Substitutes properties in every string of a JSON value (object keys stay as written).
pub(crate) fn substitute_in_value(value: &mut Value, properties: &dyn Properties) {
    rewrite_strings(value, &|text| substitute_properties(text, properties));
}

/// Replaces every string of a JSON value (not object keys) with what `rewrite` makes of it;
/// strings it borrows back stay untouched.
pub(super) fn rewrite_strings(value: &mut Value, rewrite: &dyn Fn(&str) -> Cow<'_, str>) {
    match value {
        Value::String(text) => {
            if let Cow::Owned(replaced) = rewrite(text) {
                *text = replaced;
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_strings(item, rewrite)),
        Value::Object(members) => members
            .values_mut()
            .for_each(|member| rewrite_strings(member, rewrite)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn props() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("ldap.attribute.user.id".into(), "uid".into()),
            ("self".into(), "%self%".into()),
        ])
    }

    #[test]
    fn properties_in_paths_and_unquoted_booleans() {
        // ips-ias.md §1.7: "$.%ldap.attribute.user.id%[0]" → "$.uid[0]"; a missing property is null.
        assert_eq!(
            substitute_properties("$.%ldap.attribute.user.id%[0]", &props()),
            "$.uid[0]"
        );
        assert_eq!(
            substitute_properties("%s4.switch% != null && %s4.switch% == true", &props()),
            "null != null && null == true"
        );
    }

    #[test]
    fn substitution_is_not_recursive_and_keeps_odd_percent_signs() {
        assert_eq!(substitute_properties("%self%", &props()), "%self%");
        assert_eq!(substitute_properties("50%% of it", &props()), "50%% of it");
        assert_eq!(substitute_properties("50%% and 7%", &props()), "50%null");
        assert_eq!(substitute_properties("%", &props()), "%");
    }

    #[test]
    fn two_percent_signs_in_a_literal_are_read_as_a_key() {
        // ips-ias.md §1.7: a literal with two % is mis-parsed by IPS; we behave the same.
        assert_eq!(
            substitute_properties("[a-z%-]+@[a-z%]+", &props()),
            "[a-znull]+"
        );
    }

    #[test]
    fn every_string_of_a_value_is_substituted() {
        let mut value =
            json!({"suffix": "@%ldap.attribute.user.id%", "n": [1, "%x%"], "%k%": true});
        substitute_in_value(&mut value, &props());
        assert_eq!(
            value,
            json!({"suffix": "@uid", "n": [1, "null"], "%k%": true})
        );
    }
}
