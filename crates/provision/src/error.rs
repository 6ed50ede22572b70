//! Why a job could not go on: each kind names the system it is about, and its text is the
//! job's error message as `sapland provision logs` shows it.

use sapland_systems::connect::ConnectError;

use crate::store::StoreError;

/// What ends a job with *Finished with Error* before it processed everything.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// A system's client cannot be built.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// A transformation does not compile once its `%property%` placeholders are filled in.
    #[error("the transformation of {system:?}: {reason}")]
    Transformation {
        /// The system.
        system: String,
        /// The problems.
        reason: String,
    },
    /// A target's properties cannot be used (a unique attribute that does not parse).
    #[error("the system {system:?}: {reason}")]
    Target {
        /// The system.
        system: String,
        /// What is wrong.
        reason: String,
    },
    /// The source cannot be set up or read.
    #[error("{reason}")]
    Source {
        /// What happened, such as `the source could not be read: …`.
        reason: String,
    },
    /// The operational data failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ProvisionError {
    /// A source problem.
    pub fn source(reason: impl Into<String>) -> Self {
        Self::Source {
            reason: reason.into(),
        }
    }
}
