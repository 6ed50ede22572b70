//! JSONPath in the IPS (Jayway) dialect (`reference/ips-ias.md` §1.9): reading source paths,
//! writing target paths, and the `remove` and `rename` mapping types (§1.4).
//!
//! Not to be confused with `sapland_core::json::JsonPath`, which only *displays* the location of
//! an error.
//!
//! # Syntax
//!
//! - `$` the document; `@` the current value (only inside conditions and filters).
//! - `.name` — any characters up to whitespace or one of `. [ ] ( ) ' " = ! < > ~ & | ,`, so
//!   `$.user-name` and a `%property%` substituted into a path work; `['name']` / `["name"]` for
//!   anything else, such as URN keys (`$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']`).
//! - `[n]`, `[-n]` (from the end), `[n,m]`, `[start:end]` (bounds optional, negative from the
//!   end; no step), `[*]` and `.*`, `..` deep scan (`$..value`, `$..[0]`).
//! - `['a','b']`: as the last step of a read, Jayway's projection — one object per match holding
//!   just those members (`$.emails[*].['value','display','primary']`, the IAS default). `.[` is
//!   accepted for `[`.
//! - `[?(condition)]` filters (see [`crate::condition`]); on an array they keep the elements for
//!   which the condition holds with `@` = the element; on an object they keep the object itself
//!   when it matches (Jayway).
//! - A tail function `length()`: the size of an array or the member count of an object (strings
//!   and other values have none, as in Jayway). After an indefinite path it applies to the list
//!   of matches.
//!
//! # Reading
//!
//! [`Path::read`] returns every match in document order; a path that matches nothing returns an
//! empty list (Jayway's "undefined"). [`Path::is_definite`] tells whether at most one value can
//! match; callers decide how to unwrap (`preserveArrayWithSingleElement`).
//!
//! # Writing
//!
//! [`write()`] creates what is missing and knows IPS's array-of-objects target
//! (`$.members[?(@.value)]`); [`remove`] and [`rename`] act on every match. Their rules are
//! documented on each function; where SAP documents them only by example they are **proposed**.

mod error;
pub(crate) mod read;
pub(crate) mod scan;
pub(crate) mod syntax;
mod write;

pub use error::PathError;
pub use syntax::Path;
pub use write::{remove, rename, write};
