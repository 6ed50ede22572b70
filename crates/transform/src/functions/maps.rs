//! The map functions (`reference/ips-ias.md` §1.8): `putIfAbsent`, `putIfPresent`,
//! `copyMapEntry` and `renameMapEntry`. They work on an object, or on each object of an array
//! (the engine applies them per element and tests the function's `condition` per element).

use serde_json::{Map, Value};

use super::fault::Outcome;
use super::params::Params;

/// `putIfAbsent` or `putIfPresent`.
#[derive(Debug, Clone)]
pub(crate) struct Put {
    key: String,
    default: Value,
    if_present: bool,
}

impl Put {
    pub(crate) fn compile(params: &Params<'_>, if_present: bool) -> Outcome<Self> {
        Ok(Self {
            key: params.required_text("key")?,
            default: params.required_value("defaultValue")?,
            if_present,
        })
    }

    /// `putIfAbsent` sets `key` when it is missing or null (**proposed**: null counts as
    /// missing); `putIfPresent` sets it when it holds a value other than `defaultValue`.
    pub(crate) fn run(&self, map: &mut Map<String, Value>) -> Outcome<()> {
        let current = map.get(&self.key).filter(|v| !v.is_null());
        let set = match current {
            None => !self.if_present,
            Some(value) => self.if_present && *value != self.default,
        };
        if set {
            map.insert(self.key.clone(), self.default.clone());
        }
        Ok(())
    }
}

/// `copyMapEntry` or `renameMapEntry`.
#[derive(Debug, Clone)]
pub(crate) struct MoveEntry {
    source: String,
    target: String,
    keep_source: bool,
}

impl MoveEntry {
    pub(crate) fn compile(params: &Params<'_>, keep_source: bool) -> Outcome<Self> {
        Ok(Self {
            source: params.required_text("sourceKey")?,
            target: params.required_text("targetKey")?,
            keep_source,
        })
    }

    /// Copies (or moves) `sourceKey`'s value to `targetKey`, replacing what `targetKey` held; a
    /// map without `sourceKey` is left as it is.
    pub(crate) fn run(&self, map: &mut Map<String, Value>) -> Outcome<()> {
        if self.source == self.target {
            return Ok(());
        }
        let value = if self.keep_source {
            map.get(&self.source).cloned()
        } else {
            map.shift_remove(&self.source)
        };
        if let Some(value) = value {
            map.insert(self.target.clone(), value);
        }
        Ok(())
    }
}
