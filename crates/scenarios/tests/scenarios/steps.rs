//! Step definitions, one module per area.

mod cli;
mod faults;
mod ias;
mod landscape;
mod systems;
