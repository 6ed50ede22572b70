//! Rendering data for people.

pub(crate) mod table;
