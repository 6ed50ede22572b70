//! The mock SAP landscape in one process: the landscape clock and CA, every mock on its own
//! listeners, and `landscape.json`, which tools read instead of the human summary.
//!
//! **Invariant:** `landscape.json` appears only when every mock is serving, and is written
//! whole (temporary file, then rename).

mod description;
mod start;

pub use description::{
    CalmDescription, IasDescription, LandscapeFile, TechnicalUserDescription, TenantDescription,
};
pub use start::{
    CALM_SERVICE_KEY_FILE, CALM_SERVICE_KEY_X509_FILE, ClockChoice, Landscape, LandscapeConfig,
    LandscapeError, Ports,
};
