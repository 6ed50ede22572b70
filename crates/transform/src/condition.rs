//! The IPS condition language (`reference/ips-ias.md` §1.10–§1.11): Jayway's filter predicates
//! plus the IPS condition functions, used as entity conditions, mapping conditions, function
//! conditions and path filters.
//!
//! # Grammar
//!
//! ```text
//! condition := expr | "[?" expr "]"              (bare or wrapped, §7.5)
//! expr      := and ( "||" and )*
//! and       := unary ( "&&" unary )*               ("&&" binds tighter — proposed)
//! unary     := "!" unary | "(" expr ")" | relation
//! relation  := operand [ operator operand ]
//! operand   := path ($… or @…) | 'text' | "text" | number | true | false | null
//!            | [list] | {object} | /regex/flags | function "(" args ")"
//!            | %property.key%                     (unsubstituted: a missing property, null)
//! ```
//!
//! Operators: `== != === !== < <= > >= =~` and the case-insensitive words `in nin subsetof
//! anyof noneof size empty contains all exists` (`EMPTY`, `Nin`… all work). Jayway's `type` and
//! `matches` are rejected. A path alone tests that it matches something; `true`/`false` alone are
//! themselves; `!(…)` negates (Jayway's own compiler ignores `!` before a parenthesis; IPS
//! documents it as negation, which is what we do). Functions: `isValidEmail(path)`,
//! `isRegularGroup()`, `isApplicationSpecificGroup()`, `isAttributeWithOptionalPrefix(path,
//! property.key)`, `isAttributeWithMandatoryPrefix(path, property.key)`. Nesting of parentheses,
//! negations, filters and literals is limited to 64 levels; parsing never panics.
//!
//! # Values
//!
//! A definite path gives its value, or *undefined* when it matches nothing; an indefinite path
//! (wildcard, filter, deep scan…) gives the list of its matches, possibly empty — hence
//! `$.emails[?(@.primary == true)].value == []` for "no primary e-mail".
//!
//! # Operators (Jayway's `EvaluatorFactory`, except where marked)
//!
//! - `==`: numbers numerically; a number equals a string spelling the same number (`1 == '1'`;
//!   Jayway's string/number equality made symmetric — proposed); `true` never equals `'true'`;
//!   arrays and objects structurally. Undefined equals nothing, so `$.missing != null` is true.
//!   `!=` is its negation.
//! - `===` / `!==`: the same JSON type and `==`.
//! - `< <= > >=`: numbers numerically, strings by UTF-16 code units, a string and a number as
//!   strings (`10 < '9'`); anything else (undefined, booleans, null…) is false.
//! - `=~`: Java regex ([`JavaRegex`]) matching the **whole** text; the other side as text
//!   (numbers and booleans spelled out; missing, null and objects as `''`, so `/.*/` matches
//!   them); an array matches when any element does.
//! - `empty true|false`: IPS semantics — missing and null **are** empty (§7.4); strings, arrays
//!   and objects by their length; numbers and booleans are false either way (Jayway).
//! - `in` / `nin`: membership (by `==`) in a list literal or an array-valued path; `nin` is the
//!   negation, so a missing left side is `nin` everything.
//! - `subsetof`, `anyof`, `noneof`, `all`: both sides arrays, else false.
//! - `contains`: substring of a string, or an element of an array.
//! - `size n`: length of a string (UTF-16 units) or an array.
//! - `exists true|false`: whether the left side is defined.
//!
//! # IPS functions (§1.8; **proposed** where SAP's prose is silent)
//!
//! - `isValidEmail(x)`: the documented regex matches the whole string; for an array every element
//!   (and at least one).
//! - `isRegularGroup()`: `supportedOperations` or `applicationId` of the SAP group extension is
//!   missing (absent, null, `''` or `[]`).
//! - `isApplicationSpecificGroup()`: property `ips.application.id` is set and equals the SAP group
//!   extension's `applicationId`.
//! - `isAttributeWithOptionalPrefix(x, key)`: true when `x` is missing, the property is not set
//!   (or empty), or every value of `x` starts with the property value (case-sensitive).
//!   `isAttributeWithMandatoryPrefix(x, key)`: `x` present, the property set, and every value
//!   starts with it.

pub(crate) mod error;
pub(crate) mod evaluate;
mod functions;
mod regex;
pub(crate) mod syntax;

pub use error::ConditionError;
pub use functions::{EMAIL_REGEX, Properties};
pub use regex::{JavaRegex, RegexError};
pub use syntax::Condition;
