//! The text functions (`reference/ips-ias.md` §1.8): `concatString`, `compositeId`,
//! `replaceString`, `splitStringToArray`, `substring` and `toString`.

use std::borrow::Cow;

use serde_json::Value;

use super::Env;
use super::fault::{Fault, Outcome};
use super::params::Params;
use super::values::kind;
use super::values::{bytes, not_text, text};
use crate::path::Path;

/// `concatString`: `prefix` + value + `suffix`.
#[derive(Debug, Clone)]
pub(crate) struct Concat {
    prefix: String,
    suffix: String,
}

impl Concat {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        Ok(Self {
            prefix: params.text("prefix")?.unwrap_or_default(),
            suffix: params.text("suffix")?.unwrap_or_default(),
        })
    }

    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let text = text(value)?;
        let mut out = String::with_capacity(self.prefix.len() + text.len() + self.suffix.len());
        out.push_str(&self.prefix);
        out.push_str(&text);
        out.push_str(&self.suffix);
        Ok(Some(Value::String(out)))
    }
}

/// Where `compositeId` takes its second part from.
#[derive(Debug, Clone)]
enum SubId {
    Text(String),
    /// A JSONPath (the text starts with `$`), read from the entity.
    Path(Path, String),
}

/// `compositeId`: value + `separator` + `subId`.
#[derive(Debug, Clone)]
pub(crate) struct CompositeId {
    separator: String,
    sub_id: SubId,
}

impl CompositeId {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        let separator = params.text("separator")?.unwrap_or_else(|| ":".to_string());
        let sub_id = params.required_text("subId")?;
        let sub_id = if sub_id.starts_with('$') {
            let path = Path::parse(&sub_id).map_err(|err| {
                Fault::parameter(
                    "subId",
                    format!("subId {sub_id:?} starts with '$' but is not a JSONPath: {err}"),
                )
            })?;
            SubId::Path(path, sub_id)
        } else {
            SubId::Text(sub_id)
        };
        Ok(Self { separator, sub_id })
    }

    pub(crate) fn run(&self, value: &Value, env: &Env<'_>) -> Outcome<Option<Value>> {
        let text = text(value)?;
        let sub_id: Cow<'_, str> = match &self.sub_id {
            SubId::Text(sub_id) => Cow::Borrowed(sub_id),
            SubId::Path(path, source) => {
                let found = path.read(env.document);
                match found.as_slice() {
                    [one] => Cow::Owned(
                        super::values::text(one)
                            .map_err(|fault| {
                                Fault::parameter(
                                    "subId",
                                    format!("subId {source}: {}", fault.message),
                                )
                            })?
                            .into_owned(),
                    ),
                    [] => {
                        return Err(Fault::parameter(
                            "subId",
                            format!("subId {source} matches nothing in the entity"),
                        ));
                    }
                    many => {
                        return Err(Fault::parameter(
                            "subId",
                            format!(
                                "subId {source} matches {} values; it must match one",
                                many.len()
                            ),
                        ));
                    }
                }
            }
        };
        Ok(Some(Value::String(format!(
            "{text}{}{sub_id}",
            self.separator
        ))))
    }
}

/// `replaceString`: every occurrence of the literal `target` replaced by `replacement`.
#[derive(Debug, Clone)]
pub(crate) struct ReplaceText {
    target: String,
    replacement: String,
}

impl ReplaceText {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        Ok(Self {
            target: params.required_text("target")?,
            replacement: params.required_text("replacement")?,
        })
    }

    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let text = text(value)?;
        // Java's String.replace with an empty target inserts the replacement between every
        // character and at both ends.
        let replaced = if self.target.is_empty() {
            let mut out = String::with_capacity(text.len() * (1 + self.replacement.len()));
            out.push_str(&self.replacement);
            for c in text.chars() {
                out.push(c);
                out.push_str(&self.replacement);
            }
            out
        } else {
            text.replace(&self.target, &self.replacement)
        };
        Ok(Some(Value::String(replaced)))
    }
}

/// `splitStringToArray`: the text split at every occurrence of the literal `separator`.
#[derive(Debug, Clone)]
pub(crate) struct Split {
    separator: String,
}

impl Split {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        let separator = params.required_text("separator")?;
        if separator.is_empty() {
            return Err(Fault::parameter("separator", "separator must not be empty"));
        }
        Ok(Self { separator })
    }

    /// Like Java's `String.split`: trailing empty pieces are dropped, and a text without the
    /// separator is one piece.
    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let text = text(value)?;
        let mut pieces: Vec<&str> = text.split(self.separator.as_str()).collect();
        if pieces.len() > 1 {
            while pieces.last().is_some_and(|p| p.is_empty()) {
                pieces.pop();
            }
        }
        Ok(Some(Value::Array(
            pieces
                .into_iter()
                .map(|p| Value::String(p.to_string()))
                .collect(),
        )))
    }
}

/// `substring`: Java's `String.substring(beginIndex[, endIndex])`, counting UTF-16 code units.
#[derive(Debug, Clone)]
pub(crate) struct Substring {
    begin: usize,
    end: Option<usize>,
}

impl Substring {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        let begin = params.required_integer("beginIndex")?;
        let begin = usize::try_from(begin).map_err(|_| {
            Fault::parameter(
                "beginIndex",
                format!("beginIndex {begin} must not be negative"),
            )
        })?;
        let end = match params.integer("endIndex")? {
            None => None,
            Some(end) => Some(
                usize::try_from(end)
                    .ok()
                    .filter(|e| *e >= begin)
                    .ok_or_else(|| {
                        Fault::parameter(
                            "endIndex",
                            format!("endIndex {end} must not be smaller than beginIndex {begin}"),
                        )
                    })?,
            ),
        };
        Ok(Self { begin, end })
    }

    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let text = text(value)?;
        let units: Vec<u16> = text.encode_utf16().collect();
        let end = self.end.unwrap_or(units.len());
        if self.begin > units.len() || end > units.len() {
            return Err(Fault::value(format!(
                "substring({}{}) is out of range for a text of length {} (UTF-16 code units)",
                self.begin,
                self.end.map(|e| format!(", {e}")).unwrap_or_default(),
                units.len()
            )));
        }
        Ok(Some(Value::String(String::from_utf16_lossy(
            &units[self.begin..end],
        ))))
    }
}

/// `toString`: a byte array (from `decode`) read as UTF-8; other scalars as their text.
pub(crate) fn to_string(value: &Value) -> Outcome<Option<Value>> {
    if let Some(bytes) = bytes(value) {
        return Ok(Some(Value::String(
            String::from_utf8_lossy(&bytes).into_owned(),
        )));
    }
    match value {
        Value::Array(_) => Err(Fault::value(format!(
            "expects text or a byte array (numbers 0 to 255), got {}; set \"applyOnElements\": true to apply it to each element",
            kind(value)
        ))),
        Value::Object(_) => Err(not_text(value)),
        other => Ok(Some(Value::String(text(other)?.into_owned()))),
    }
}
