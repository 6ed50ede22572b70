//! Step definitions, one module per area.

mod calm;
mod calm_keys;
mod calm_logs;
mod calm_oauth;
mod cli;
mod faults;
mod ias;
mod ias_bulk;
mod ias_realtime;
mod ias_seed;
mod ias_v1;
mod landscape;
mod provision;
mod systems;
mod transform;
