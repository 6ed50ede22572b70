//! The mock SAP landscape in one process: the landscape clock and CA, every mock on the
//! listeners it declares (`sapland_mock_kit::declare`), and `landscape.json`, which tools read
//! instead of the human summary. The file's types are `sapland_core::landscape`, re-exported
//! here because [`Landscape::description`] is one.
//!
//! **Invariant:** `landscape.json` appears only when every mock is serving, and is written
//! whole (temporary file, then rename).

mod config;
mod roster;
mod start;

pub use config::{ClockChoice, LandscapeConfig, Ports};
pub use sapland_core::landscape::{
    CalmDescription, IasDescription, LandscapeFile, TechnicalUserDescription, TenantDescription,
};
/// The mock IAS's SCIM throttling, as [`LandscapeConfig::ias_throttling`] takes it.
pub use sapland_mock_ias::throttle::ThrottleMode;
pub use start::{Landscape, LandscapeError};
