//! The work of each function, chosen by name, without the common parameters (those are the
//! driver's, in `compiled.rs`).

use serde_json::Value;

use super::Env;
use super::arrays::ElementAt;
use super::case::{Case, Direction};
use super::codec::Codec;
use super::countries::{ConvertCountry, ConvertRegion};
use super::dates::ManipulateDate;
use super::fault::{Fault, Outcome};
use super::ids::ResolveIds;
use super::locales::ConvertLocale;
use super::maps::{MoveEntry, Put};
use super::params::Params;
use super::password::Password;
use super::regex::{MatchRegex, MatchedGroup, ReplaceRegex, Which};
use super::text::{CompositeId, Concat, ReplaceText, Split, Substring, to_string};
use super::timezones::ConvertTimezone;
use super::values::kind;
use crate::document::FUNCTIONS;

/// How a function takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One value (text, mostly); an array only with `applyOnElements` (or where the function
    /// itself takes arrays: byte arrays, `decode`'s list of texts). Null passes through.
    Value,
    /// An object; an array is taken object by object, the condition tested per object. Null
    /// passes through.
    Map,
    /// The whole value, arrays included.
    Whole,
}

/// One function's work.
#[derive(Debug, Clone)]
pub(crate) enum Kernel {
    Concat(Concat),
    CompositeId(CompositeId),
    ReplaceText(ReplaceText),
    Split(Split),
    Substring(Substring),
    ToString,
    Case(Case),
    MatchRegex(MatchRegex),
    MatchedGroup(MatchedGroup),
    ReplaceRegex(ReplaceRegex),
    Encode(Codec),
    Decode(Codec),
    ManipulateDate(ManipulateDate),
    ConvertLocale(ConvertLocale),
    ConvertTimezone(ConvertTimezone),
    ConvertCountry(ConvertCountry),
    ConvertRegion(ConvertRegion),
    Put(Put),
    MoveEntry(MoveEntry),
    ResolveIds(ResolveIds),
    ElementAt(ElementAt),
    Password(Password),
}

impl Kernel {
    /// The kernel of the function named `name`, its parameters checked.
    pub(crate) fn compile(name: &str, params: &Params<'_>) -> Outcome<Self> {
        Ok(match name {
            "compositeId" => Kernel::CompositeId(CompositeId::compile(params)?),
            "concatString" => Kernel::Concat(Concat::compile(params)?),
            "convertCountryCode" => Kernel::ConvertCountry(ConvertCountry::compile(params)?),
            "convertCountryRegion" => Kernel::ConvertRegion(ConvertRegion::compile(params)?),
            "convertLocaleCode" => Kernel::ConvertLocale(ConvertLocale::compile(params)?),
            "convertTimezoneCode" => Kernel::ConvertTimezone(ConvertTimezone::compile(params)?),
            "copyMapEntry" => Kernel::MoveEntry(MoveEntry::compile(params, true)?),
            "decode" => Kernel::Decode(Codec::compile(params)?),
            "elementAt" => Kernel::ElementAt(ElementAt::compile(params)?),
            "encode" => Kernel::Encode(Codec::compile(params)?),
            "getMatchedRegexGroup" => Kernel::MatchedGroup(MatchedGroup::compile(params)?),
            "manipulateDate" => Kernel::ManipulateDate(ManipulateDate::compile(params)?),
            "matchRegex" => Kernel::MatchRegex(MatchRegex::compile(params)?),
            "putIfAbsent" => Kernel::Put(Put::compile(params, false)?),
            "putIfPresent" => Kernel::Put(Put::compile(params, true)?),
            "randomPassword" => Kernel::Password(Password::compile(params)?),
            "renameMapEntry" => Kernel::MoveEntry(MoveEntry::compile(params, false)?),
            "replaceAllString" => Kernel::ReplaceRegex(ReplaceRegex::compile(params, Which::All)?),
            "replaceFirstString" => {
                Kernel::ReplaceRegex(ReplaceRegex::compile(params, Which::First)?)
            }
            "replaceLastString" => {
                Kernel::ReplaceRegex(ReplaceRegex::compile(params, Which::Last)?)
            }
            "replaceString" => Kernel::ReplaceText(ReplaceText::compile(params)?),
            "resolveEntityIds" => Kernel::ResolveIds(ResolveIds::compile(params)?),
            "splitStringToArray" => Kernel::Split(Split::compile(params)?),
            "substring" => Kernel::Substring(Substring::compile(params)?),
            "toLowerCaseString" => Kernel::Case(Case::compile(params, Direction::Lower)?),
            "toString" => Kernel::ToString,
            "toUpperCaseString" => Kernel::Case(Case::compile(params, Direction::Upper)?),
            other => {
                let known: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
                return Err(Fault::value(format!(
                    "unknown function {other:?}; IPS documents {}",
                    known.join(", ")
                )));
            }
        })
    }

    /// How the kernel takes its value.
    pub(crate) fn shape(&self) -> Shape {
        match self {
            Kernel::ConvertCountry(_)
            | Kernel::ConvertRegion(_)
            | Kernel::Put(_)
            | Kernel::MoveEntry(_) => Shape::Map,
            Kernel::ResolveIds(_)
            | Kernel::ElementAt(_)
            | Kernel::Password(_)
            | Kernel::ConvertTimezone(_) => Shape::Whole,
            _ => Shape::Value,
        }
    }

    /// Applies the kernel to one value (one element, one attribute…).
    pub(crate) fn run(&self, value: Value, env: &mut Env<'_>) -> Outcome<Option<Value>> {
        if value.is_null() && self.shape() != Shape::Whole {
            return Ok(Some(value));
        }
        match self {
            Kernel::Concat(k) => k.run(&value),
            Kernel::CompositeId(k) => k.run(&value, env),
            Kernel::ReplaceText(k) => k.run(&value),
            Kernel::Split(k) => k.run(&value),
            Kernel::Substring(k) => k.run(&value),
            Kernel::ToString => to_string(&value),
            Kernel::Case(k) => k.run(&value),
            Kernel::MatchRegex(k) => k.run(&value),
            Kernel::MatchedGroup(k) => k.run(&value),
            Kernel::ReplaceRegex(k) => k.run(&value),
            Kernel::Encode(k) => k.encode(&value),
            Kernel::Decode(k) => k.decode(&value),
            Kernel::ManipulateDate(k) => k.run(&value),
            Kernel::ConvertLocale(k) => k.run(&value),
            Kernel::ConvertTimezone(k) => k.run(&value),
            Kernel::ConvertCountry(k) => match value {
                Value::Object(mut map) => {
                    k.run_map(&mut map)?;
                    Ok(Some(Value::Object(map)))
                }
                scalar => k.run_scalar(scalar),
            },
            Kernel::ConvertRegion(k) => match value {
                Value::Object(mut map) => {
                    k.run_map(&mut map)?;
                    Ok(Some(Value::Object(map)))
                }
                scalar => k.run_scalar(scalar),
            },
            Kernel::Put(k) => with_map(value, |map| k.run(map)),
            Kernel::MoveEntry(k) => with_map(value, |map| k.run(map)),
            Kernel::ResolveIds(k) => k.run(value, env.ids),
            Kernel::ElementAt(k) => Ok(k.run(value)),
            Kernel::Password(k) => Ok(Some(k.run(env.random))),
        }
    }
}

/// Runs a map kernel on an object; anything else is an error.
fn with_map(
    value: Value,
    run: impl FnOnce(&mut serde_json::Map<String, Value>) -> Outcome<()>,
) -> Outcome<Option<Value>> {
    match value {
        Value::Object(mut map) => {
            run(&mut map)?;
            Ok(Some(Value::Object(map)))
        }
        other => Err(Fault::value(format!(
            "expects an object or an array of objects, got {}",
            kind(&other)
        ))),
    }
}
