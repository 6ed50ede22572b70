//! One module per command.

pub(crate) mod calm;
pub(crate) mod provision;
pub(crate) mod seed;
pub(crate) mod systems_show;
pub(crate) mod transform;
pub(crate) mod up;
