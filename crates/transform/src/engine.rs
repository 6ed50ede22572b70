//! Running a transformation (`reference/ips-ias.md` §1.6–§1.11): `%property%` substitution,
//! variables with `${name}` interpolation, mappings in order with their scopes, conditions,
//! functions and types, and the outcome IPS would log.
//!
//! ```
//! use std::collections::BTreeMap;
//! use sapland_transform::document::Transformation;
//! use sapland_transform::engine::{Action, Context, Engine, Outcome};
//! use sapland_transform::templates;
//! use serde_json::json;
//!
//! let parsed = Transformation::parse(templates::get("ias-target-v2").unwrap())?;
//! let engine = Engine::new(&parsed.transformation, BTreeMap::new())?;
//! let user = json!({"userName": "jdoe", "emails": [{"value": "jdoe@example.com", "primary": true}]});
//! let Outcome::Written { entity, .. } = engine.apply("user", &user, &Context::new(Action::Create)) else {
//!     panic!("SAP's default writes a user with a userName and a valid e-mail");
//! };
//! assert_eq!(entity["emails"], json!([{"value": "jdoe@example.com"}]));
//! assert_eq!(entity["active"], json!(true));
//!
//! let skipped = engine.apply("user", &json!({"userName": "nomail"}), &Context::new(Action::Create));
//! assert!(matches!(skipped, Outcome::Skipped { reason } if reason.to_string().starts_with("Entity condition [")));
//! # Ok::<(), sapland_transform::document::TransformError>(())
//! ```
//!
//! Where §1 is silent the engine decides; each decision is listed, labelled **proposed**, in
//! `docs/transformations.md` (for example: reading an unset `entityIdTargetSystem` on create
//! writes nothing rather than failing).

mod apply;
mod compile;
mod context;
mod outcome;
mod properties;
mod variables;

pub use compile::{DATE_FORMAT_PROPERTY, Engine};
pub use context::{Action, Context};
pub use outcome::Outcome;
pub use properties::substitute_properties;
pub use variables::{
    ASSIGN_GROUP, CURRENT_DATE, ENTITY_ID_SOURCE_SYSTEM, ENTITY_ID_TARGET_SYSTEM, UNASSIGN_GROUP,
    Variables,
};
