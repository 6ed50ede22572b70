//! `elementAt` (`reference/ips-ias.md` §1.8): one element of an array, such as the first
//! primary e-mail of `$.emails[?(@.primary == true)].value`.
//!
//! **Proposed** where SAP is silent: a single value counts as an array of one (a one-element
//! match may already be unwrapped); an index past the end, or null, gives no value (the engine
//! then treats the source as missing); a negative index is an error.

use serde_json::Value;

use super::fault::{Fault, Outcome};
use super::params::Params;

/// `elementAt`: the element at `index` of an array (a single value counts as an array of one);
/// an index past the end gives no value.
#[derive(Debug, Clone)]
pub(crate) struct ElementAt {
    index: usize,
}

impl ElementAt {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        let index = params.required_integer("index")?;
        let index = usize::try_from(index).map_err(|_| {
            Fault::parameter("index", format!("index {index} must not be negative"))
        })?;
        Ok(Self { index })
    }

    pub(crate) fn run(&self, value: Value) -> Option<Value> {
        match value {
            Value::Array(mut items) if self.index < items.len() => {
                Some(items.swap_remove(self.index))
            }
            Value::Array(_) | Value::Null => None,
            single if self.index == 0 => Some(single),
            _ => None,
        }
    }
}
