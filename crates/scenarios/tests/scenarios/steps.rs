//! Step definitions, one module per area.

mod cli;
mod systems;
