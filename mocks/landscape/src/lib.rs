//! The mock SAP landscape in one process: the landscape clock and CA, every mock on its own
//! listeners, and `landscape.json`, which tools read instead of the human summary.
//!
//! **Invariant:** `landscape.json` appears only when every mock is serving, and is written
//! whole (temporary file, then rename).

mod description;
mod start;

pub use description::{IasDescription, LandscapeFile, TechnicalUserDescription, TenantDescription};
pub use start::{ClockChoice, Landscape, LandscapeConfig, LandscapeError, Ports};
