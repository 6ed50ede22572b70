//! The transformation document (`reference/ips-ias.md` §1.2–§1.8): the model, reading it with
//! every problem reported at once (JSON path as IPS users read it, line, column, what was
//! expected), writing it back as it was written, and the catalogue of mapping functions.

mod catalogue;
mod check;
mod expressions;
mod locate;
mod model;
mod problem;
mod write;

pub use catalogue::{
    COMMON_PARAMETERS, FUNCTIONS, FunctionSpec, ParameterKind, ParameterSpec, Requirement,
    function_spec,
};
pub use check::Parsed;
pub use expressions::{Expression, ExpressionKind};
pub use model::{
    EntitySpec, Flag, Function, Mapping, MappingType, NamedBy, Operation, Scope, Transformation,
    ValueMapping,
};
pub(crate) use problem::display_path;
pub use problem::{Problem, TransformError};
