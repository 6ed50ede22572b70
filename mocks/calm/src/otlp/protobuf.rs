//! The protobuf encoding of the OTLP JSON the read APIs answer with, for clients that do not ask
//! for `format=protobuf-json` (reference §2.8: the default is `application/x-protobuf`).
//!
//! The encoder walks the OTLP JSON this crate writes (`logs::request_json`,
//! `metrics::request_json`) with the field numbers of `opentelemetry/proto` (`common/v1`,
//! `resource/v1`, `logs/v1`, `metrics/v1`); members it does not know are skipped.

use serde_json::Value;

/// An `ExportLogsServiceRequest` in OTLP JSON, encoded as protobuf.
pub fn logs_request(document: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    for resource_logs in items(document, "resourceLogs") {
        message(&mut out, 1, |w| {
            resource(w, resource_logs);
            for scope_logs in items(resource_logs, "scopeLogs") {
                message(w, 2, |w| {
                    scope(w, scope_logs);
                    for record in items(scope_logs, "logRecords") {
                        message(w, 2, |w| log_record(w, record));
                    }
                });
            }
        });
    }
    out
}

/// An `ExportMetricsServiceRequest` in OTLP JSON, encoded as protobuf.
pub fn metrics_request(document: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    for resource_metrics in items(document, "resourceMetrics") {
        message(&mut out, 1, |w| {
            resource(w, resource_metrics);
            for scope_metrics in items(resource_metrics, "scopeMetrics") {
                message(w, 2, |w| {
                    scope(w, scope_metrics);
                    for metric in items(scope_metrics, "metrics") {
                        message(w, 2, |w| metric_message(w, metric));
                    }
                });
            }
        });
    }
    out
}

fn items<'a>(value: &'a Value, field: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn resource(w: &mut Vec<u8>, parent: &Value) {
    if let Some(resource) = parent.get("resource") {
        message(w, 1, |w| {
            for attribute in items(resource, "attributes") {
                message(w, 1, |w| key_value(w, attribute));
            }
        });
    }
}

fn scope(w: &mut Vec<u8>, parent: &Value) {
    if let Some(scope) = parent.get("scope") {
        message(w, 1, |w| {
            if let Some(name) = scope.get("name").and_then(Value::as_str) {
                string(w, 1, name);
            }
        });
    }
}

fn log_record(w: &mut Vec<u8>, record: &Value) {
    if let Some(nanos) = nanos(record, "timeUnixNano") {
        fixed64(w, 1, nanos);
    }
    if let Some(number) = record.get("severityNumber").and_then(Value::as_u64) {
        varint_field(w, 2, number);
    }
    if let Some(text) = record.get("severityText").and_then(Value::as_str) {
        string(w, 3, text);
    }
    if let Some(body) = record.get("body") {
        message(w, 5, |w| any_value(w, body));
    }
    for attribute in items(record, "attributes") {
        message(w, 6, |w| key_value(w, attribute));
    }
    if let Some(nanos) = nanos(record, "observedTimeUnixNano") {
        fixed64(w, 11, nanos);
    }
}

fn metric_message(w: &mut Vec<u8>, metric: &Value) {
    if let Some(name) = metric.get("name").and_then(Value::as_str) {
        string(w, 1, name);
    }
    if let Some(description) = metric.get("description").and_then(Value::as_str) {
        string(w, 2, description);
    }
    if let Some(unit) = metric.get("unit").and_then(Value::as_str) {
        string(w, 3, unit);
    }
    if let Some(gauge) = metric.get("gauge") {
        message(w, 5, |w| {
            for point in items(gauge, "dataPoints") {
                message(w, 1, |w| number_data_point(w, point));
            }
        });
    }
    if let Some(sum) = metric.get("sum") {
        message(w, 7, |w| {
            for point in items(sum, "dataPoints") {
                message(w, 1, |w| number_data_point(w, point));
            }
            if let Some(temporality) = sum.get("aggregationTemporality").and_then(Value::as_u64) {
                varint_field(w, 2, temporality);
            }
            if sum.get("isMonotonic").and_then(Value::as_bool) == Some(true) {
                varint_field(w, 3, 1);
            }
        });
    }
}

fn number_data_point(w: &mut Vec<u8>, point: &Value) {
    if let Some(nanos) = nanos(point, "startTimeUnixNano") {
        fixed64(w, 2, nanos);
    }
    if let Some(nanos) = nanos(point, "timeUnixNano") {
        fixed64(w, 3, nanos);
    }
    if let Some(d) = point.get("asDouble").and_then(Value::as_f64) {
        fixed64(w, 4, d.to_bits());
    }
    if let Some(i) = point.get("asInt").and_then(int) {
        fixed64(w, 6, i as u64);
    }
    for attribute in items(point, "attributes") {
        message(w, 7, |w| key_value(w, attribute));
    }
}

fn key_value(w: &mut Vec<u8>, attribute: &Value) {
    if let Some(key) = attribute.get("key").and_then(Value::as_str) {
        string(w, 1, key);
    }
    if let Some(value) = attribute.get("value") {
        message(w, 2, |w| any_value(w, value));
    }
}

fn any_value(w: &mut Vec<u8>, value: &Value) {
    let Some(map) = value.as_object() else {
        return;
    };
    let member = |name: &str| map.get(name);
    if let Some(s) = member("stringValue").and_then(Value::as_str) {
        string(w, 1, s);
    } else if let Some(b) = member("boolValue").and_then(Value::as_bool) {
        varint_field(w, 2, u64::from(b));
    } else if let Some(i) = member("intValue").and_then(int) {
        varint_field(w, 3, i as u64);
    } else if let Some(d) = member("doubleValue").and_then(Value::as_f64) {
        fixed64(w, 4, d.to_bits());
    } else if let Some(array) = member("arrayValue") {
        message(w, 5, |w| {
            for item in items(array, "values") {
                message(w, 1, |w| any_value(w, item));
            }
        });
    } else if let Some(list) = member("kvlistValue") {
        message(w, 6, |w| {
            for item in items(list, "values") {
                message(w, 1, |w| key_value(w, item));
            }
        });
    } else if let Some(bytes) = member("bytesValue").and_then(Value::as_str) {
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(bytes)
            .unwrap_or_default();
        length_delimited(w, 7, &decoded);
    }
}

fn nanos(map: &Value, field: &str) -> Option<u64> {
    match map.get(field)? {
        Value::String(text) => text.parse().ok(),
        other => other.as_u64(),
    }
}

fn int(value: &Value) -> Option<i64> {
    match value {
        Value::String(text) => text.parse().ok(),
        other => other.as_i64(),
    }
}

fn varint(w: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        w.push((value as u8 & 0x7F) | 0x80);
        value >>= 7;
    }
    w.push(value as u8);
}

fn tag(w: &mut Vec<u8>, field: u32, wire_type: u8) {
    varint(w, (u64::from(field) << 3) | u64::from(wire_type));
}

fn varint_field(w: &mut Vec<u8>, field: u32, value: u64) {
    tag(w, field, 0);
    varint(w, value);
}

fn fixed64(w: &mut Vec<u8>, field: u32, value: u64) {
    tag(w, field, 1);
    w.extend_from_slice(&value.to_le_bytes());
}

fn length_delimited(w: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    tag(w, field, 2);
    varint(w, bytes.len() as u64);
    w.extend_from_slice(bytes);
}

fn string(w: &mut Vec<u8>, field: u32, text: &str) {
    length_delimited(w, field, text.as_bytes());
}

fn message(w: &mut Vec<u8>, field: u32, build: impl FnOnce(&mut Vec<u8>)) {
    let mut inner = Vec::new();
    build(&mut inner);
    length_delimited(w, field, &inner);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_log_record_encodes_with_the_otlp_field_numbers() {
        let document = json!({"resourceLogs": [{
            "resource": {"attributes": [{"key": "k", "value": {"stringValue": "v"}}]},
            "scopeLogs": [{"logRecords": [{"timeUnixNano": "1", "severityNumber": 9, "body": {"stringValue": "b"}}]}]
        }]});
        let bytes = logs_request(&document);
        let attribute = [0x0A, 1, b'k', 0x12, 3, 0x0A, 1, b'v'];
        let resource = [&[0x0A, attribute.len() as u8][..], &attribute].concat();
        let record = [
            &[0x09][..],
            &1u64.to_le_bytes(),
            &[0x10, 9],
            &[0x2A, 3, 0x0A, 1, b'b'],
        ]
        .concat();
        let scope_logs = [&[0x12, record.len() as u8][..], &record].concat();
        let resource_logs = [
            &[0x0A, resource.len() as u8][..],
            &resource,
            &[0x12, scope_logs.len() as u8],
            &scope_logs,
        ]
        .concat();
        let expected = [&[0x0A, resource_logs.len() as u8][..], &resource_logs].concat();
        assert_eq!(bytes, expected);
    }

    #[test]
    fn a_gauge_point_encodes_as_sfixed64() {
        let document = json!({"resourceMetrics": [{"scopeMetrics": [{"metrics": [
            {"name": "m", "gauge": {"dataPoints": [{"timeUnixNano": "2", "asInt": "-1"}]}}
        ]}]}]});
        let bytes = metrics_request(&document);
        let point = [
            &[0x19][..],
            &2u64.to_le_bytes(),
            &[0x31],
            &(-1i64 as u64).to_le_bytes(),
        ]
        .concat();
        let gauge = [&[0x0A, point.len() as u8][..], &point].concat();
        let metric = [&[0x0A, 1, b'm', 0x2A, gauge.len() as u8][..], &gauge].concat();
        let scope_metrics = [&[0x12, metric.len() as u8][..], &metric].concat();
        let resource_metrics = [&[0x12, scope_metrics.len() as u8][..], &scope_metrics].concat();
        let expected = [&[0x0A, resource_metrics.len() as u8][..], &resource_metrics].concat();
        assert_eq!(bytes, expected);
    }
}
