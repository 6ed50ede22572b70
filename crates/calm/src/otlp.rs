//! A small model of OTLP JSON (the OpenTelemetry protocol's JSON encoding of
//! `ExportMetricsServiceRequest` and `ExportLogsServiceRequest`), as Cloud ALM's raw data
//! metrics and logs APIs send and take it with `format=protobuf-json`
//! (`reference/cloud-alm.md` §2.7, §2.8).
//!
//! Member names are lowerCamelCase; 64-bit integers (`timeUnixNano`, `asInt`, `intValue`) are
//! written as strings of digits, as the protobuf JSON mapping does, and read from strings or
//! numbers. Only what sapland sends or reads is modelled; unknown members are ignored when
//! reading.

mod common;
mod logs;
mod metrics;

pub use common::{
    AnyValue, ArrayValue, InstrumentationScope, KeyValue, KeyValueList, Resource, SERVICE_ID,
    SERVICE_NAME, unix_nanos,
};
pub use logs::{ExportLogsServiceRequest, LogRecord, ResourceLogs, ScopeLogs};
pub use metrics::{
    ExportMetricsServiceRequest, Gauge, Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics, Sum,
};
