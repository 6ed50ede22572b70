//! The operational data: relations between source and target entities, job history and logs.
