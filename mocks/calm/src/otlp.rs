//! OpenTelemetry (OTLP) in its JSON encoding, as the raw-data APIs take and give it
//! (reference §2.7, §2.8): strict parsing of pushed `ExportLogsServiceRequest` and
//! `ExportMetricsServiceRequest` documents with errors that name the JSON path, the JSON the read
//! APIs answer with, and the protobuf encoding of the same for clients that ask for it.

pub mod logs;
pub mod metrics;
pub mod protobuf;
pub mod value;
