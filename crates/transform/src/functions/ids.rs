//! `resolveEntityIds` (`reference/ips-ias.md` §1.8, §2.3): source ids → the target ids IPS
//! stored for the entities it provisioned, through [`super::IdResolver`].
//!
//! A single id gives its target id, or no value when it was not provisioned (the engine then
//! treats the source as missing); an array keeps the ids that resolve, in order, and drops the
//! others. Ids may be strings or numbers, or objects whose `value` is the id (group members,
//! `{"value": id, "type": "User"}`): such an object keeps its other members and gets the
//! target id as `value`. **Proposed** where SAP is silent: null gives no value; an object
//! without `value` is an error.

use serde_json::{Map, Value};

use super::fault::{Fault, Outcome};
use super::params::Params;
use super::values::kind;
use super::{IdRequest, IdResolver};

/// `resolveEntityIds`, compiled.
#[derive(Debug, Clone)]
pub(crate) struct ResolveIds {
    entity_type: String,
    source_system: Option<String>,
    target_system: Option<String>,
}

impl ResolveIds {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        let entity_type = match params.text("entityType")? {
            None => "user".to_string(),
            Some(kind) if kind == "user" || kind == "group" => kind,
            Some(other) => {
                return Err(Fault::parameter(
                    "entityType",
                    format!("unknown entityType {other:?}; expected one of user, group"),
                ));
            }
        };
        Ok(Self {
            entity_type,
            source_system: params.text("sourceSystemName")?,
            target_system: params.text("targetSystemName")?,
        })
    }

    pub(crate) fn run(&self, value: Value, ids: &dyn IdResolver) -> Outcome<Option<Value>> {
        match value {
            Value::Array(items) => {
                let mut resolved = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(id) = self.one(item, ids)? {
                        resolved.push(id);
                    }
                }
                Ok(Some(Value::Array(resolved)))
            }
            other => self.one(other, ids),
        }
    }

    fn one(&self, value: Value, ids: &dyn IdResolver) -> Outcome<Option<Value>> {
        match value {
            Value::Null => Ok(None),
            Value::String(id) => Ok(self.resolve(&id, ids).map(Value::String)),
            Value::Number(id) => Ok(self.resolve(&id.to_string(), ids).map(Value::String)),
            Value::Object(member) => self.member(member, ids),
            other => Err(Fault::value(format!(
                "expects an id, an array of ids or objects with a \"value\" id, got {}",
                kind(&other)
            ))),
        }
    }

    fn member(
        &self,
        mut member: Map<String, Value>,
        ids: &dyn IdResolver,
    ) -> Outcome<Option<Value>> {
        let id = match member.get("value") {
            Some(Value::String(id)) => id.clone(),
            Some(Value::Number(id)) => id.to_string(),
            Some(Value::Null) => return Ok(None),
            Some(other) => {
                return Err(Fault::value(format!(
                    "expects the member's \"value\" to be an id, got {}",
                    kind(other)
                )));
            }
            None => {
                return Err(Fault::value(
                    "expects an object with a \"value\" id, got an object without \"value\"",
                ));
            }
        };
        Ok(self.resolve(&id, ids).map(|target| {
            member.insert("value".to_string(), Value::String(target));
            Value::Object(member)
        }))
    }

    fn resolve(&self, id: &str, ids: &dyn IdResolver) -> Option<String> {
        ids.resolve(&IdRequest {
            entity_type: &self.entity_type,
            source_id: id,
            source_system: self.source_system.as_deref(),
            target_system: self.target_system.as_deref(),
        })
    }
}
