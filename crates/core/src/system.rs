//! IPS systems: the system export JSON, the catalogue of known properties with their documented
//! defaults and limits, credentials kept outside the export, and the resolved view of a system.

mod catalogue;
mod export;
mod problem;
mod resolve;
mod secrets;

pub use catalogue::{Connectors, PropertyKind, PropertySpec, Role, catalogue, spec_for};
pub use export::{AccessMode, ConnectorType, SystemExport, SystemState};
pub use problem::{Location, Problem};
pub use resolve::{
    Authentication, EffectiveProperty, IasApiVersion, Origin, ResolveError, ResolvedSystem,
    resolve, resolve_properties,
};
pub use secrets::{ENV_PREFIX, Secrets, SecretsError, env_var_name, is_credential_name};
