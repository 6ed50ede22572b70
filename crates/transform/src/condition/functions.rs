//! The IPS condition functions (`reference/ips-ias.md` §1.8, "Conditional functions") and the
//! system properties some of them consult.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::sync::LazyLock;

use serde_json::Value;

use super::evaluate::{Ctx, Val, value};
use super::regex::JavaRegex;
use super::syntax::Call;

/// The system properties a condition may consult: `isApplicationSpecificGroup()` reads
/// `ips.application.id`, the `isAttributeWith…Prefix` functions read the property they name.
pub trait Properties {
    /// The value of property `key`, if the system defines it.
    fn property(&self, key: &str) -> Option<&str>;
}

impl Properties for () {
    fn property(&self, _key: &str) -> Option<&str> {
        None
    }
}

impl<S: BuildHasher> Properties for HashMap<String, String, S> {
    fn property(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl Properties for BTreeMap<String, String> {
    fn property(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

/// The e-mail regex of `isValidEmail` in Java syntax, as SAP documents it (§1.8).
pub const EMAIL_REGEX: &str = "[a-zA-Z0-9!#$%&‘'*+/=?^_`{|}~-]+(?>\\.[a-zA-Z0-9!#$%&‘'*+/=?^_`{|}~-]+)*@(?>[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]?\\.)+[a-zA-Z0-9](?>[a-zA-Z0-9-]*[a-zA-Z0-9])?";

static EMAIL: LazyLock<JavaRegex> = LazyLock::new(|| {
    JavaRegex::new(EMAIL_REGEX).expect("the documented e-mail regex compiles (unit-tested)")
});

/// The SAP group extension whose members `isRegularGroup()` and `isApplicationSpecificGroup()`
/// consult.
const SAP_GROUP: &str = "urn:ietf:params:scim:schemas:extension:sap:2.0:Group";

/// Evaluates an IPS condition function.
pub(crate) fn call<'v>(call: &'v Call, ctx: &Ctx<'v>, current: &'v Value) -> bool {
    match call {
        Call::IsValidEmail(arg) => valid_email(&value(arg, ctx, current), ctx),
        Call::IsRegularGroup => {
            let group = ctx.root.get(SAP_GROUP);
            let member = |key: &str| group.and_then(|g| g.get(key));
            missing(member("supportedOperations")) || missing(member("applicationId"))
        }
        Call::IsApplicationSpecificGroup => {
            let application_id = ctx
                .root
                .get(SAP_GROUP)
                .and_then(|g| g.get("applicationId"))
                .and_then(Value::as_str);
            property(ctx, "ips.application.id").is_some_and(|id| application_id == Some(id))
        }
        Call::OptionalPrefix(arg, key) => {
            let attribute = value(arg, ctx, current);
            match (texts(&attribute), property(ctx, key)) {
                (None, _) | (_, None) => true,
                (Some(texts), Some(prefix)) => all_start_with(&texts, prefix),
            }
        }
        Call::MandatoryPrefix(arg, key) => {
            let attribute = value(arg, ctx, current);
            match (texts(&attribute), property(ctx, key)) {
                (Some(texts), Some(prefix)) => all_start_with(&texts, prefix),
                _ => false,
            }
        }
    }
}

/// A property counts as set when it has a non-empty value (**proposed**).
fn property<'v>(ctx: &Ctx<'v>, key: &str) -> Option<&'v str> {
    ctx.properties.property(key).filter(|v| !v.is_empty())
}

/// Missing in the sense of the IPS functions (**proposed**, as `EMPTY true`): absent, null, the
/// empty string or an empty array.
fn missing(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// The texts of an attribute value (each element of an array), or `None` when it is missing.
/// Strings are themselves, numbers and booleans their JSON text, anything else no text.
fn texts<'a>(attribute: &'a Val<'_>) -> Option<Vec<Option<Cow<'a, str>>>> {
    let value = attribute.json();
    if missing(value) {
        return None;
    }
    let items: Vec<&Value> = match value? {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    Some(
        items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Some(Cow::Borrowed(s.as_str())),
                Value::Number(n) => Some(Cow::Owned(n.to_string())),
                Value::Bool(b) => Some(Cow::Owned(b.to_string())),
                _ => None,
            })
            .collect(),
    )
}

fn all_start_with(texts: &[Option<Cow<'_, str>>], prefix: &str) -> bool {
    texts
        .iter()
        .all(|t| t.as_deref().is_some_and(|t| t.starts_with(prefix)))
}

/// `isValidEmail`: a string matching the documented regex as a whole; for an array (such as the
/// value of `$.emails[*].value`) every element, and at least one.
fn valid_email(value: &Val<'_>, ctx: &Ctx<'_>) -> bool {
    let check = |v: &Value| match v {
        Value::String(s) => EMAIL.matches(s).unwrap_or_else(|err| {
            ctx.fail(0, err.message);
            false
        }),
        _ => false,
    };
    match value.json() {
        Some(Value::Array(items)) => !items.is_empty() && items.iter().all(check),
        Some(v) => check(v),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_email_regex_compiles_and_matches_whole_addresses() {
        for ok in [
            "john.smith@company.com",
            "a@b.co",
            "o'neil@x-y.example.org",
            "user+tag@sub.domain.de",
        ] {
            assert!(EMAIL.matches(ok).unwrap(), "{ok}");
        }
        for bad in [
            "john",
            "john@",
            "@company.com",
            "john smith@company.com",
            "john@company.com ",
            "john@-company.com",
            "john..smith@company.com",
        ] {
            assert!(!EMAIL.matches(bad).unwrap(), "{bad}");
        }
    }

    #[test]
    fn properties_from_maps() {
        let mut map = HashMap::new();
        map.insert("a".to_string(), "1".to_string());
        assert_eq!(map.property("a"), Some("1"));
        assert_eq!(BTreeMap::new().property("a"), None);
        assert_eq!(().property("a"), None);
    }
}
