//! OTLP metrics: reading a pushed `ExportMetricsServiceRequest` into data points (gauges and
//! sums; the mock takes no histograms or summaries), and writing data points back as one.

use sapland_core::json::JsonPath;
use serde_json::{Map, Value, json};

use super::logs::{resource_attributes, scope_name};
use super::value::{
    KeyValue, OtlpError, array_field, attributes_json, double, int64, nanos_field, nanos_json,
    object, parse_attributes, string_field,
};

/// A data point's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// `asInt`.
    Int(i64),
    /// `asDouble`.
    Double(f64),
}

impl Number {
    /// The value as a double.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Double(d) => d,
        }
    }

    /// The value as JSON: a number.
    pub fn to_json(self) -> Value {
        match self {
            Number::Int(i) => json!(i),
            Number::Double(d) => json!(d),
        }
    }
}

/// How a metric's points aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// `gauge`.
    Gauge,
    /// `sum`, with its temporality and monotonicity.
    Sum {
        /// `aggregationTemporality` (1 delta, 2 cumulative).
        temporality: i64,
        /// `isMonotonic`.
        monotonic: bool,
    },
}

/// The identity of a metric: name, unit, description, kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metric {
    /// `name`.
    pub name: String,
    /// `unit`.
    pub unit: String,
    /// `description`.
    pub description: String,
    /// Gauge or sum.
    pub kind: MetricKind,
}

/// One data point with its metric, resource and scope.
#[derive(Debug, Clone, PartialEq)]
pub struct DataPoint {
    /// The resource's attributes.
    pub resource: Vec<KeyValue>,
    /// The instrumentation scope's name.
    pub scope: Option<String>,
    /// The metric.
    pub metric: Metric,
    /// `startTimeUnixNano`, if set.
    pub start_time_unix_nano: Option<u64>,
    /// `timeUnixNano`.
    pub time_unix_nano: u64,
    /// `asInt` or `asDouble`.
    pub value: Number,
    /// The point's attributes.
    pub attributes: Vec<KeyValue>,
}

/// Reads an `ExportMetricsServiceRequest`.
pub fn parse_request(document: &Value) -> Result<Vec<DataPoint>, OtlpError> {
    let root = JsonPath::root();
    let top = object(document, &root)?;
    let mut points = Vec::new();
    for (i, resource_metrics) in array_field(top, "resourceMetrics", &root)?
        .iter()
        .enumerate()
    {
        let path = root.clone().key("resourceMetrics").index(i);
        let resource_metrics = object(resource_metrics, &path)?;
        let resource = resource_attributes(resource_metrics, &path)?;
        for (j, scope_metrics) in array_field(resource_metrics, "scopeMetrics", &path)?
            .iter()
            .enumerate()
        {
            let path = path.clone().key("scopeMetrics").index(j);
            let scope_metrics = object(scope_metrics, &path)?;
            let scope = scope_name(scope_metrics, &path)?;
            for (k, metric) in array_field(scope_metrics, "metrics", &path)?
                .iter()
                .enumerate()
            {
                let path = path.clone().key("metrics").index(k);
                parse_metric(metric, &path, &resource, &scope, &mut points)?;
            }
        }
    }
    Ok(points)
}

fn parse_metric(
    value: &Value,
    path: &JsonPath,
    resource: &[KeyValue],
    scope: &Option<String>,
    points: &mut Vec<DataPoint>,
) -> Result<(), OtlpError> {
    let map = object(value, path)?;
    let name = string_field(map, "name", path)?
        .filter(|name| !name.is_empty())
        .ok_or_else(|| OtlpError::at(&path.clone().key("name"), "a non-empty string", None))?;
    let data: Vec<&str> = [
        "gauge",
        "sum",
        "histogram",
        "exponentialHistogram",
        "summary",
    ]
    .into_iter()
    .filter(|field| map.get(*field).is_some_and(|v| !v.is_null()))
    .collect();
    let expected = "exactly one of gauge and sum (the mock takes no histograms or summaries)";
    let (field, kind) = match data.as_slice() {
        ["gauge"] => ("gauge", MetricKind::Gauge),
        ["sum"] => {
            let sum_path = path.clone().key("sum");
            let sum = object(&map["sum"], &sum_path)?;
            let temporality = match sum.get("aggregationTemporality") {
                None | Some(Value::Null) => 0,
                Some(t) => temporality(t, &sum_path.clone().key("aggregationTemporality"))?,
            };
            let monotonic = match sum.get("isMonotonic") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(other) => {
                    return Err(OtlpError::at(
                        &sum_path.key("isMonotonic"),
                        "a boolean",
                        Some(other),
                    ));
                }
            };
            (
                "sum",
                MetricKind::Sum {
                    temporality,
                    monotonic,
                },
            )
        }
        _ => return Err(OtlpError::at(path, expected, None)),
    };
    let metric = Metric {
        name,
        unit: string_field(map, "unit", path)?.unwrap_or_default(),
        description: string_field(map, "description", path)?.unwrap_or_default(),
        kind,
    };
    let data_path = path.clone().key(field);
    let data = object(&map[field], &data_path)?;
    for (i, point) in array_field(data, "dataPoints", &data_path)?
        .iter()
        .enumerate()
    {
        let path = data_path.clone().key("dataPoints").index(i);
        let point = object(point, &path)?;
        let time_unix_nano = nanos_field(point, "timeUnixNano", &path)?.ok_or_else(|| {
            OtlpError::at(
                &path.clone().key("timeUnixNano"),
                "nanoseconds since the epoch as a string of digits (required for a data point)",
                None,
            )
        })?;
        let value = match (
            point.get("asInt").filter(|v| !v.is_null()),
            point.get("asDouble").filter(|v| !v.is_null()),
        ) {
            (Some(int), None) => Number::Int(int64(int, &path.clone().key("asInt"))?),
            (None, Some(d)) => Number::Double(double(d, &path.clone().key("asDouble"))?),
            _ => {
                return Err(OtlpError::at(
                    &path,
                    "exactly one of asInt and asDouble",
                    None,
                ));
            }
        };
        points.push(DataPoint {
            resource: resource.to_vec(),
            scope: scope.clone(),
            metric: metric.clone(),
            start_time_unix_nano: nanos_field(point, "startTimeUnixNano", &path)?,
            time_unix_nano,
            value,
            attributes: parse_attributes(point, "attributes", &path)?,
        });
    }
    Ok(())
}

fn temporality(value: &Value, path: &JsonPath) -> Result<i64, OtlpError> {
    let number = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(name) => match name.as_str() {
            "AGGREGATION_TEMPORALITY_UNSPECIFIED" => Some(0),
            "AGGREGATION_TEMPORALITY_DELTA" => Some(1),
            "AGGREGATION_TEMPORALITY_CUMULATIVE" => Some(2),
            _ => None,
        },
        _ => None,
    };
    number.filter(|n| (0..=2).contains(n)).ok_or_else(|| {
        OtlpError::at(
            path,
            "0, 1 or 2 (or AGGREGATION_TEMPORALITY_DELTA, …_CUMULATIVE)",
            Some(value),
        )
    })
}

/// Data points as an `ExportMetricsServiceRequest` in OTLP JSON; consecutive points of the same
/// resource, scope and metric share their entries.
pub fn request_json<'a>(points: impl IntoIterator<Item = &'a DataPoint>) -> Value {
    type Metrics<'a> = Vec<(&'a Metric, Vec<Value>)>;
    type Scopes<'a> = Vec<(&'a Option<String>, Metrics<'a>)>;
    let mut resources: Vec<(&'a [KeyValue], Scopes<'a>)> = Vec::new();
    for point in points {
        if resources
            .last()
            .is_none_or(|(attributes, _)| *attributes != point.resource.as_slice())
        {
            resources.push((&point.resource, Vec::new()));
        }
        let Some((_, scopes)) = resources.last_mut() else {
            continue;
        };
        if scopes
            .last()
            .is_none_or(|(scope, _)| **scope != point.scope)
        {
            scopes.push((&point.scope, Vec::new()));
        }
        let Some((_, metrics)) = scopes.last_mut() else {
            continue;
        };
        if metrics
            .last()
            .is_none_or(|(metric, _)| **metric != point.metric)
        {
            metrics.push((&point.metric, Vec::new()));
        }
        if let Some((_, data_points)) = metrics.last_mut() {
            data_points.push(point_json(point));
        }
    }
    let resource_metrics: Vec<Value> = resources
        .into_iter()
        .map(|(attributes, scopes)| {
            let scope_metrics: Vec<Value> = scopes
                .into_iter()
                .map(|(scope, metrics)| {
                    let mut entry = Map::new();
                    if let Some(name) = scope {
                        entry.insert("scope".into(), json!({ "name": name }));
                    }
                    let metrics: Vec<Value> = metrics
                        .into_iter()
                        .map(|(metric, data_points)| metric_json(metric, data_points))
                        .collect();
                    entry.insert("metrics".into(), Value::Array(metrics));
                    Value::Object(entry)
                })
                .collect();
            json!({
                "resource": { "attributes": attributes_json(attributes) },
                "scopeMetrics": scope_metrics,
            })
        })
        .collect();
    json!({ "resourceMetrics": resource_metrics })
}

fn metric_json(metric: &Metric, data_points: Vec<Value>) -> Value {
    let mut map = Map::new();
    map.insert("name".into(), json!(metric.name));
    if !metric.description.is_empty() {
        map.insert("description".into(), json!(metric.description));
    }
    map.insert("unit".into(), json!(metric.unit));
    match metric.kind {
        MetricKind::Gauge => {
            map.insert("gauge".into(), json!({ "dataPoints": data_points }));
        }
        MetricKind::Sum {
            temporality,
            monotonic,
        } => {
            map.insert(
                "sum".into(),
                json!({
                    "dataPoints": data_points,
                    "aggregationTemporality": temporality,
                    "isMonotonic": monotonic,
                }),
            );
        }
    }
    Value::Object(map)
}

fn point_json(point: &DataPoint) -> Value {
    let mut map = Map::new();
    if let Some(start) = point.start_time_unix_nano {
        map.insert("startTimeUnixNano".into(), nanos_json(start));
    }
    map.insert("timeUnixNano".into(), nanos_json(point.time_unix_nano));
    match point.value {
        Number::Int(i) => map.insert("asInt".into(), json!(i.to_string())),
        Number::Double(d) => map.insert("asDouble".into(), json!(d)),
    };
    map.insert(
        "attributes".into(),
        Value::Array(attributes_json(&point.attributes)),
    );
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference_example() -> Value {
        json!({"resourceMetrics":[{"resource":{"attributes":[{"key":"sap.cloudalm.serviceId","value":{"stringValue":"<lmsId>"}}]},
         "scopeMetrics":[{"scope":{"name":"custom"},"metrics":[{"name":"scc.connection.status","unit":"",
          "gauge":{"dataPoints":[{"timeUnixNano":"1718000000000000000","asInt":"1",
           "attributes":[{"key":"severity","value":{"stringValue":"critical"}},{"key":"message","value":{"stringValue":"Error: …"}}]}]}}]}]}]})
    }

    #[test]
    fn the_reference_example_reads_and_writes_back() {
        let points = parse_request(&reference_example()).unwrap();
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].value, Number::Int(1));
        assert_eq!(request_json(&points), reference_example());
    }

    #[test]
    fn malformed_points_name_the_path() {
        let mut document = reference_example();
        document["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["gauge"]["dataPoints"][0]
            ["asDouble"] = json!(2.0);
        let err = parse_request(&document).unwrap_err();
        assert_eq!(
            err.to_string(),
            "$.resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0]: expected exactly one of asInt and asDouble"
        );
        let histogram = json!({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"h","histogram":{}}]}]}]});
        let err = parse_request(&histogram).unwrap_err();
        assert!(err.to_string().contains("gauge and sum"), "{err}");
    }

    #[test]
    fn sums_keep_temporality_and_monotonicity() {
        let document = json!({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"n","unit":"1",
            "sum":{"dataPoints":[{"timeUnixNano":"5","asDouble":2.5}],"aggregationTemporality":"AGGREGATION_TEMPORALITY_DELTA","isMonotonic":true}}]}]}]});
        let points = parse_request(&document).unwrap();
        assert_eq!(
            points[0].metric.kind,
            MetricKind::Sum {
                temporality: 1,
                monotonic: true
            }
        );
    }
}
