//! How the agent talks to the outside world: HTTPS clients that trust the system roots plus a
//! CA bundle and present client certificates (`https`), and the clocks the agent waits on
//! (`clock`): wall time, a manual clock for tests, and the landscape clock of a running mock
//! landscape, which the agent advances instead of sleeping; and when a cached OAuth token is
//! replaced (`refresh`); [`Reach`] bundles trust and the clock for one command or service.
//!
//! **Invariant:** the only crate that builds outbound HTTP clients or decides how agent code
//! waits; every client crate (`scim`, `calm`, `provision`) takes what it needs from here.

pub mod clock;
pub mod https;
mod reach;
pub mod refresh;

pub use reach::Reach;
