//! The mapping functions IPS documents, with their parameters (`reference/ips-ias.md` §1.8;
//! SAP's *Transformation Functions* page marks each parameter "Required: Yes" or "No").

/// What JSON a function parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterKind {
    /// A string.
    Text,
    /// A string or a number (`regex`, `replacement`, `target`).
    TextOrNumber,
    /// A string, number or boolean (`concatString`'s `suffix`).
    Scalar,
    /// An integer, or a string that holds one (SAP's examples write `"days": "3"`, `"hours": "+2"`).
    Integer,
    /// A boolean, or the string `"true"`/`"false"`.
    Boolean,
    /// A string or an array of strings (`inputAttributes`).
    TextOrList,
    /// Any JSON value (`defaultValue`).
    Any,
}

/// Whether a parameter must be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Documented "Required: Yes": leaving it out is an error.
    Mandatory,
    /// Optional.
    Optional,
}

/// One parameter of a mapping function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParameterSpec {
    /// The member name.
    pub name: &'static str,
    /// What JSON it takes.
    pub kind: ParameterKind,
    /// Whether it must be given.
    pub requirement: Requirement,
    /// The documented values, when they are an enumeration (empty otherwise).
    pub choices: &'static [&'static str],
}

/// A mapping function IPS documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionSpec {
    /// The name, as in `"function": "putIfAbsent"`.
    pub name: &'static str,
    /// Its own parameters (the common ones are in [`COMMON_PARAMETERS`]).
    pub parameters: &'static [ParameterSpec],
    /// Whether the function produces a value without any source (`randomPassword`: "does not
    /// require `sourcePath`, `sourceVariable`, or `constant`").
    pub needs_no_source: bool,
}

impl FunctionSpec {
    /// The spec of one of this function's parameters, common ones included.
    pub fn parameter(&self, name: &str) -> Option<&'static ParameterSpec> {
        self.parameters
            .iter()
            .chain(COMMON_PARAMETERS.iter())
            .find(|p| p.name == name)
    }

    /// The parameters documented as mandatory.
    pub fn mandatory(&self) -> impl Iterator<Item = &'static str> + use<> {
        let parameters: &'static [ParameterSpec] = self.parameters;
        parameters
            .iter()
            .filter(|p| p.requirement == Requirement::Mandatory)
            .map(|p| p.name)
    }
}

const fn param(name: &'static str, kind: ParameterKind, requirement: Requirement) -> ParameterSpec {
    ParameterSpec {
        name,
        kind,
        requirement,
        choices: &[],
    }
}

const fn choice(
    name: &'static str,
    requirement: Requirement,
    choices: &'static [&'static str],
) -> ParameterSpec {
    ParameterSpec {
        name,
        kind: ParameterKind::Text,
        requirement,
        choices,
    }
}

use ParameterKind::{Any, Boolean, Integer, Scalar, Text, TextOrList, TextOrNumber};
use Requirement::{Mandatory, Optional};

/// Parameters every mapping function takes (§1.8): `condition`, `applyOnElements`,
/// `applyOnAttribute` (and its deprecated name `applyOnJsonAttribute`), `assignToAttribute`.
pub const COMMON_PARAMETERS: &[ParameterSpec] = &[
    param("condition", Text, Optional),
    param("applyOnElements", Boolean, Optional),
    param("applyOnAttribute", Text, Optional),
    param("applyOnJsonAttribute", Text, Optional),
    param("assignToAttribute", Text, Optional),
];

const REGEX_REPLACE: &[ParameterSpec] = &[
    param("regex", TextOrNumber, Mandatory),
    param("replacement", TextOrNumber, Mandatory),
];

const MAP_ENTRY: &[ParameterSpec] = &[
    param("sourceKey", Text, Mandatory),
    param("targetKey", Text, Mandatory),
];

const PUT: &[ParameterSpec] = &[
    param("key", Text, Mandatory),
    param("defaultValue", Any, Mandatory),
];

const CODEC: &[ParameterSpec] = &[
    choice("algorithm", Mandatory, &["base32", "base64"]),
    param("skipPadding", Boolean, Optional),
];

const CASE: &[ParameterSpec] = &[param("locale", Text, Optional)];

const fn function(name: &'static str, parameters: &'static [ParameterSpec]) -> FunctionSpec {
    FunctionSpec {
        name,
        parameters,
        needs_no_source: false,
    }
}

/// Every documented mapping function, alphabetically.
pub const FUNCTIONS: &[FunctionSpec] = &[
    function(
        "compositeId",
        &[
            param("separator", Text, Mandatory),
            param("subId", Text, Mandatory),
        ],
    ),
    function(
        "concatString",
        &[
            param("prefix", Text, Optional),
            param("suffix", Scalar, Optional),
        ],
    ),
    function(
        "convertCountryCode",
        &[
            choice(
                "outputFormat",
                Mandatory,
                &["fullName", "alpha2", "alpha3", "numeric"],
            ),
            param("inputAttributes", TextOrList, Mandatory),
            param("outputAttribute", Text, Mandatory),
        ],
    ),
    function(
        "convertCountryRegion",
        &[
            choice("outputFormat", Mandatory, &["fullName", "alpha2"]),
            param("inputAttributes", TextOrList, Mandatory),
            param("outputAttribute", Text, Mandatory),
        ],
    ),
    function(
        "convertLocaleCode",
        &[choice("outputFormat", Mandatory, &["bcp47", "iso639"])],
    ),
    function(
        "convertTimezoneCode",
        &[choice("outputFormat", Mandatory, &["iana", "sap"])],
    ),
    function("copyMapEntry", MAP_ENTRY),
    function("decode", CODEC),
    function("elementAt", &[param("index", Integer, Mandatory)]),
    function("encode", CODEC),
    function(
        "getMatchedRegexGroup",
        &[
            param("regex", TextOrNumber, Mandatory),
            param("groupIndex", Integer, Mandatory),
        ],
    ),
    function(
        "manipulateDate",
        &[
            param("sourceDateFormat", Text, Optional),
            param("targetDateFormat", Text, Optional),
            param("years", Integer, Optional),
            param("months", Integer, Optional),
            param("days", Integer, Optional),
            param("hours", Integer, Optional),
            param("minutes", Integer, Optional),
            param("seconds", Integer, Optional),
        ],
    ),
    function("matchRegex", &[param("regex", TextOrNumber, Mandatory)]),
    function("putIfAbsent", PUT),
    function("putIfPresent", PUT),
    FunctionSpec {
        name: "randomPassword",
        parameters: &[
            param("passwordLength", Integer, Mandatory),
            param("minimumNumberOfLowercaseLetters", Integer, Mandatory),
            param("minimumNumberOfUppercaseLetters", Integer, Mandatory),
            param("minimumNumberOfDigits", Integer, Mandatory),
            param("minimumNumberOfSpecialSymbols", Integer, Mandatory),
            param("specialSymbols", Text, Optional),
        ],
        needs_no_source: true,
    },
    function("renameMapEntry", MAP_ENTRY),
    function("replaceAllString", REGEX_REPLACE),
    function("replaceFirstString", REGEX_REPLACE),
    function("replaceLastString", REGEX_REPLACE),
    function(
        "replaceString",
        &[
            param("target", TextOrNumber, Mandatory),
            param("replacement", TextOrNumber, Mandatory),
        ],
    ),
    function(
        "resolveEntityIds",
        &[
            choice("entityType", Optional, &["user", "group"]),
            param("sourceSystemName", Text, Optional),
            param("targetSystemName", Text, Optional),
        ],
    ),
    function("splitStringToArray", &[param("separator", Text, Mandatory)]),
    function(
        "substring",
        &[
            param("beginIndex", Integer, Mandatory),
            param("endIndex", Integer, Optional),
        ],
    ),
    function("toLowerCaseString", CASE),
    function("toString", &[]),
    function("toUpperCaseString", CASE),
];

/// The documented function named `name` (case-sensitive), if any.
pub fn function_spec(name: &str) -> Option<&'static FunctionSpec> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_sorted_and_unique() {
        let names: Vec<_> = FUNCTIONS.iter().map(|f| f.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn random_password_needs_all_five_numbers() {
        let spec = function_spec("randomPassword").unwrap();
        assert_eq!(spec.mandatory().count(), 5);
        assert!(spec.needs_no_source);
        assert!(spec.parameter("condition").is_some());
    }
}
