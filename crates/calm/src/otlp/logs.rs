//! `ExportLogsServiceRequest`: resources, scopes, log records.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::common::{
    AnyValue, InstrumentationScope, KeyValue, Resource, attribute, is_zero, nanos, unix_nanos,
};

/// Log records of one or more resources: the body of a logs push and of a logs read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportLogsServiceRequest {
    /// Per resource.
    #[serde(default)]
    pub resource_logs: Vec<ResourceLogs>,
}

/// The log records of one resource.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceLogs {
    /// The resource.
    #[serde(default)]
    pub resource: Resource,
    /// Per instrumentation scope.
    #[serde(default)]
    pub scope_logs: Vec<ScopeLogs>,
}

/// The log records of one scope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeLogs {
    /// The scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<InstrumentationScope>,
    /// The records.
    #[serde(default)]
    pub log_records: Vec<LogRecord>,
}

/// One log record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogRecord {
    /// When the event happened, in nanoseconds since 1970 (0: unknown).
    #[serde(default, with = "nanos")]
    pub time_unix_nano: u64,
    /// When it was observed.
    #[serde(default, with = "nanos", skip_serializing_if = "is_zero")]
    pub observed_time_unix_nano: u64,
    /// OTLP severity number (9 INFO, 13 WARN, 17 ERROR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_number: Option<u8>,
    /// Severity text (`INFO`, `WARN`, `ERROR`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub severity_text: String,
    /// The message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<AnyValue>,
    /// Attributes.
    #[serde(default)]
    pub attributes: Vec<KeyValue>,
}

impl ExportLogsServiceRequest {
    /// One resource with `attributes` and `records` in one scope named `scope`.
    pub fn for_resource(attributes: Vec<KeyValue>, scope: &str, records: Vec<LogRecord>) -> Self {
        Self {
            resource_logs: vec![ResourceLogs {
                resource: Resource { attributes },
                scope_logs: vec![ScopeLogs {
                    scope: Some(InstrumentationScope {
                        name: scope.to_string(),
                        version: None,
                    }),
                    log_records: records,
                }],
            }],
        }
    }

    /// Every record with its resource.
    pub fn records(&self) -> impl Iterator<Item = (&Resource, &LogRecord)> {
        self.resource_logs.iter().flat_map(|resource| {
            resource.scope_logs.iter().flat_map(move |scope| {
                scope
                    .log_records
                    .iter()
                    .map(move |record| (&resource.resource, record))
            })
        })
    }

    /// How many records there are.
    pub fn record_count(&self) -> usize {
        self.resource_logs
            .iter()
            .flat_map(|resource| &resource.scope_logs)
            .map(|scope| scope.log_records.len())
            .sum()
    }
}

impl LogRecord {
    /// A record at `at` with a text body.
    pub fn new(at: Timestamp, severity: &str, body: impl Into<String>) -> Self {
        Self {
            time_unix_nano: unix_nanos(at),
            severity_number: severity_number(severity),
            severity_text: severity.to_string(),
            body: Some(AnyValue::StringValue(body.into())),
            ..Self::default()
        }
    }

    /// The value of an attribute.
    pub fn attribute(&self, key: &str) -> Option<&AnyValue> {
        attribute(&self.attributes, key)
    }

    /// The time of the record.
    pub fn time(&self) -> Option<Timestamp> {
        Timestamp::from_nanosecond(i128::from(self.time_unix_nano)).ok()
    }
}

/// OTLP's severity number for a severity text.
fn severity_number(text: &str) -> Option<u8> {
    match text {
        "TRACE" => Some(1),
        "DEBUG" => Some(5),
        "INFO" => Some(9),
        "WARN" => Some(13),
        "ERROR" => Some(17),
        "FATAL" => Some(21),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_record_has_the_contract_shape() {
        let at: Timestamp = "2024-06-10T06:13:20Z".parse().unwrap();
        let mut record = LogRecord::new(at, "INFO", "job execution");
        record.observed_time_unix_nano = unix_nanos(at);
        record
            .attributes
            .push(KeyValue::string("jobType", "SAP_ABAP_JOB"));
        let request = ExportLogsServiceRequest::for_resource(
            vec![KeyValue::string("sap.cloudalm.serviceId", "S")],
            "sapland",
            vec![record],
        );
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"resourceLogs":[{"resource":{"attributes":[{"key":"sap.cloudalm.serviceId","value":{"stringValue":"S"}}]},
              "scopeLogs":[{"scope":{"name":"sapland"},"logRecords":[{"timeUnixNano":"1718000000000000000",
                "observedTimeUnixNano":"1718000000000000000","severityNumber":9,"severityText":"INFO",
                "body":{"stringValue":"job execution"},
                "attributes":[{"key":"jobType","value":{"stringValue":"SAP_ABAP_JOB"}}]}]}]}]})
        );
    }

    #[test]
    fn an_empty_window_reads_as_no_records() {
        let read: ExportLogsServiceRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(read.record_count(), 0);
    }
}
