//! Why a job's passes stopped before the end.

use crate::error::ProvisionError;
use crate::store::StoreError;

/// A job's passes stopped early.
pub(super) enum Stop {
    /// They cannot go on: the job ends with Finished with Error and this as its message.
    Failed(ProvisionError),
    /// The job was cancelled: it ends as Manually Terminated.
    Cancelled,
}

impl From<ProvisionError> for Stop {
    fn from(error: ProvisionError) -> Self {
        Stop::Failed(error)
    }
}

impl From<StoreError> for Stop {
    fn from(error: StoreError) -> Self {
        Stop::Failed(ProvisionError::Store(error))
    }
}
