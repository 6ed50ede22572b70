//! OTLP logs: reading a pushed `ExportLogsServiceRequest` into log records, and writing records
//! back as one.

use sapland_core::json::JsonPath;
use serde_json::{Map, Value, json};

use super::value::{
    AnyValue, KeyValue, OtlpError, array_field, attributes_json, nanos_field, nanos_json, object,
    parse_attributes, string_field,
};

/// One log record with the resource and scope it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRecord {
    /// The resource's attributes.
    pub resource: Vec<KeyValue>,
    /// The instrumentation scope's name, if given.
    pub scope: Option<String>,
    /// `timeUnixNano`, if set.
    pub time_unix_nano: Option<u64>,
    /// `observedTimeUnixNano`, if set.
    pub observed_time_unix_nano: Option<u64>,
    /// `severityNumber` (1–24), if set.
    pub severity_number: Option<i64>,
    /// `severityText`, if set.
    pub severity_text: Option<String>,
    /// `body`, if set.
    pub body: Option<AnyValue>,
    /// The record's attributes.
    pub attributes: Vec<KeyValue>,
}

impl LogRecord {
    /// When the record happened: `timeUnixNano`, else `observedTimeUnixNano`.
    pub fn time(&self) -> Option<u64> {
        self.time_unix_nano.or(self.observed_time_unix_nano)
    }
}

/// Reads an `ExportLogsServiceRequest`. Each record comes with its JSON path, for checks that
/// look further into it.
pub fn parse_request(document: &Value) -> Result<Vec<(JsonPath, LogRecord)>, OtlpError> {
    let root = JsonPath::root();
    let top = object(document, &root)?;
    let mut records = Vec::new();
    for (i, resource_logs) in array_field(top, "resourceLogs", &root)?.iter().enumerate() {
        let path = root.clone().key("resourceLogs").index(i);
        let resource_logs = object(resource_logs, &path)?;
        let resource = resource_attributes(resource_logs, &path)?;
        for (j, scope_logs) in array_field(resource_logs, "scopeLogs", &path)?
            .iter()
            .enumerate()
        {
            let path = path.clone().key("scopeLogs").index(j);
            let scope_logs = object(scope_logs, &path)?;
            let scope = scope_name(scope_logs, &path)?;
            for (k, record) in array_field(scope_logs, "logRecords", &path)?
                .iter()
                .enumerate()
            {
                let path = path.clone().key("logRecords").index(k);
                let record = parse_record(record, &path, &resource, &scope)?;
                records.push((path, record));
            }
        }
    }
    Ok(records)
}

/// The attributes of `map.resource` (absent: none).
pub fn resource_attributes(
    map: &Map<String, Value>,
    path: &JsonPath,
) -> Result<Vec<KeyValue>, OtlpError> {
    match map.get("resource") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(resource) => {
            let path = path.clone().key("resource");
            parse_attributes(object(resource, &path)?, "attributes", &path)
        }
    }
}

/// The name of `map.scope` (absent: none).
pub fn scope_name(map: &Map<String, Value>, path: &JsonPath) -> Result<Option<String>, OtlpError> {
    match map.get("scope") {
        None | Some(Value::Null) => Ok(None),
        Some(scope) => {
            let path = path.clone().key("scope");
            string_field(object(scope, &path)?, "name", &path)
        }
    }
}

fn parse_record(
    value: &Value,
    path: &JsonPath,
    resource: &[KeyValue],
    scope: &Option<String>,
) -> Result<LogRecord, OtlpError> {
    let map = object(value, path)?;
    let severity_number = match map.get("severityNumber") {
        None | Some(Value::Null) => None,
        Some(number) => Some(severity(number, &path.clone().key("severityNumber"))?),
    };
    let body = match map.get("body") {
        None | Some(Value::Null) => None,
        Some(body) => Some(AnyValue::parse(body, &path.clone().key("body"))?),
    };
    Ok(LogRecord {
        resource: resource.to_vec(),
        scope: scope.clone(),
        time_unix_nano: nanos_field(map, "timeUnixNano", path)?,
        observed_time_unix_nano: nanos_field(map, "observedTimeUnixNano", path)?,
        severity_number,
        severity_text: string_field(map, "severityText", path)?,
        body,
        attributes: parse_attributes(map, "attributes", path)?,
    })
}

/// `severityNumber`: 0–24, or its enum name (`SEVERITY_NUMBER_INFO`).
fn severity(value: &Value, path: &JsonPath) -> Result<i64, OtlpError> {
    const NAMES: [&str; 6] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
    let expected = "a severity number from 0 to 24 or a name such as SEVERITY_NUMBER_INFO";
    let number = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(name) => match name.strip_prefix("SEVERITY_NUMBER_") {
            Some("UNSPECIFIED") => Some(0),
            Some(rest) => {
                let (level, step) = match rest.char_indices().find(|(_, c)| c.is_ascii_digit()) {
                    Some((i, _)) => (&rest[..i], rest[i..].parse::<i64>().ok()),
                    None => (rest, Some(1)),
                };
                let base = NAMES.iter().position(|n| *n == level);
                match (base, step) {
                    (Some(base), Some(step @ 1..=4)) => Some(base as i64 * 4 + step),
                    _ => None,
                }
            }
            None => None,
        },
        _ => None,
    };
    number
        .filter(|n| (0..=24).contains(n))
        .ok_or_else(|| OtlpError::at(path, expected, Some(value)))
}

/// Records as an `ExportLogsServiceRequest` in OTLP JSON, consecutive records of the same
/// resource and scope sharing one `resourceLogs`/`scopeLogs` entry.
pub fn request_json<'a>(records: impl IntoIterator<Item = &'a LogRecord>) -> Value {
    type Scopes<'a> = Vec<(&'a Option<String>, Vec<Value>)>;
    let mut resources: Vec<(&'a [KeyValue], Scopes<'a>)> = Vec::new();
    for record in records {
        let same_resource = resources
            .last()
            .is_some_and(|(attributes, _)| *attributes == record.resource.as_slice());
        if !same_resource {
            resources.push((&record.resource, Vec::new()));
        }
        let Some((_, scopes)) = resources.last_mut() else {
            continue;
        };
        if scopes
            .last()
            .is_none_or(|(scope, _)| **scope != record.scope)
        {
            scopes.push((&record.scope, Vec::new()));
        }
        if let Some((_, items)) = scopes.last_mut() {
            items.push(record_json(record));
        }
    }
    let resource_logs: Vec<Value> = resources
        .into_iter()
        .map(|(attributes, scopes)| {
            let scope_logs: Vec<Value> = scopes
                .into_iter()
                .map(|(scope, records)| {
                    let mut entry = Map::new();
                    if let Some(name) = scope {
                        entry.insert("scope".into(), json!({ "name": name }));
                    }
                    entry.insert("logRecords".into(), Value::Array(records));
                    Value::Object(entry)
                })
                .collect();
            json!({
                "resource": { "attributes": attributes_json(attributes) },
                "scopeLogs": scope_logs,
            })
        })
        .collect();
    json!({ "resourceLogs": resource_logs })
}

fn record_json(record: &LogRecord) -> Value {
    let mut map = Map::new();
    if let Some(time) = record.time_unix_nano {
        map.insert("timeUnixNano".into(), nanos_json(time));
    }
    if let Some(time) = record.observed_time_unix_nano {
        map.insert("observedTimeUnixNano".into(), nanos_json(time));
    }
    if let Some(number) = record.severity_number {
        map.insert("severityNumber".into(), json!(number));
    }
    if let Some(text) = &record.severity_text {
        map.insert("severityText".into(), json!(text));
    }
    if let Some(body) = &record.body {
        map.insert("body".into(), body.to_json());
    }
    map.insert(
        "attributes".into(),
        Value::Array(attributes_json(&record.attributes)),
    );
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reads_and_writes_back() {
        let document = json!({"resourceLogs": [{
            "resource": {"attributes": [{"key": "sap.cloudalm.serviceId", "value": {"stringValue": "s1"}}]},
            "scopeLogs": [{"scope": {"name": "ips"}, "logRecords": [
                {"timeUnixNano": "1", "observedTimeUnixNano": "2", "severityNumber": 9, "severityText": "INFO",
                 "body": {"stringValue": "job execution"},
                 "attributes": [{"key": "jobId", "value": {"stringValue": "j"}}]},
                {"timeUnixNano": "3", "attributes": []}
            ]}]
        }]});
        let records = parse_request(&document).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(
            records[1].0.to_string(),
            "$.resourceLogs[0].scopeLogs[0].logRecords[1]"
        );
        let written = request_json(records.iter().map(|(_, r)| r));
        assert_eq!(written, document);
    }

    #[test]
    fn severity_names_and_numbers() {
        let path = JsonPath::root();
        assert_eq!(severity(&json!("SEVERITY_NUMBER_INFO"), &path).unwrap(), 9);
        assert_eq!(
            severity(&json!("SEVERITY_NUMBER_ERROR3"), &path).unwrap(),
            19
        );
        assert_eq!(severity(&json!(24), &path).unwrap(), 24);
        assert!(severity(&json!(25), &path).is_err());
        assert!(severity(&json!("LOUD"), &path).is_err());
    }

    #[test]
    fn malformed_requests_name_the_path() {
        let err = parse_request(&json!({"resourceLogs": [{"scopeLogs": [{"logRecords": [
            {"timeUnixNano": 1.5}
        ]}]}]}))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "$.resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano: expected nanoseconds since the epoch as a string of digits (fixed64)"
        );
        let err = parse_request(&json!({"resourceLogs": {}})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "$.resourceLogs: expected an array, found an object"
        );
    }
}
