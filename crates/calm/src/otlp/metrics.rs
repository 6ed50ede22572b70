//! `ExportMetricsServiceRequest`: resources, scopes, metrics, number data points.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::common::{
    InstrumentationScope, KeyValue, Resource, SERVICE_ID, attribute, is_zero, nanos, opt_int64,
    unix_nanos,
};
use crate::otlp::AnyValue;

/// Metrics of one or more resources: the body of a metrics push and of a metrics read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportMetricsServiceRequest {
    /// Per resource.
    #[serde(default)]
    pub resource_metrics: Vec<ResourceMetrics>,
}

/// The metrics of one resource.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceMetrics {
    /// The resource.
    #[serde(default)]
    pub resource: Resource,
    /// Per instrumentation scope.
    #[serde(default)]
    pub scope_metrics: Vec<ScopeMetrics>,
}

/// The metrics of one scope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeMetrics {
    /// The scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<InstrumentationScope>,
    /// The metrics.
    #[serde(default)]
    pub metrics: Vec<Metric>,
}

/// One metric: a gauge or a sum of number data points.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metric {
    /// Its name, such as `scc.connection.status`.
    pub name: String,
    /// A description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Its unit (may be empty).
    #[serde(default)]
    pub unit: String,
    /// A gauge's data points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gauge: Option<Gauge>,
    /// A sum's data points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sum: Option<Sum>,
}

/// Gauge data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gauge {
    /// The points.
    #[serde(default)]
    pub data_points: Vec<NumberDataPoint>,
}

/// Sum data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sum {
    /// The points.
    #[serde(default)]
    pub data_points: Vec<NumberDataPoint>,
    /// 1 delta, 2 cumulative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation_temporality: Option<u8>,
    /// Whether the sum only grows.
    #[serde(default)]
    pub is_monotonic: bool,
}

/// One number: `asInt` (a string of digits) or `asDouble`, at `timeUnixNano`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberDataPoint {
    /// Attributes (dimensions) of the point.
    #[serde(default)]
    pub attributes: Vec<KeyValue>,
    /// Start of the aggregation interval (sums); 0 when unset.
    #[serde(default, with = "nanos", skip_serializing_if = "is_zero")]
    pub start_time_unix_nano: u64,
    /// When the value was observed, in nanoseconds since 1970.
    #[serde(default, with = "nanos")]
    pub time_unix_nano: u64,
    /// An integer value.
    #[serde(default, with = "opt_int64", skip_serializing_if = "Option::is_none")]
    pub as_int: Option<i64>,
    /// A floating-point value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_double: Option<f64>,
}

impl ExportMetricsServiceRequest {
    /// One resource tagged `sap.cloudalm.serviceId` (the contract's resource attribute) with
    /// `metrics` in one scope named `scope`.
    pub fn for_service(service_id: &str, scope: &str, metrics: Vec<Metric>) -> Self {
        Self {
            resource_metrics: vec![ResourceMetrics {
                resource: Resource {
                    attributes: vec![KeyValue::string(SERVICE_ID, service_id)],
                },
                scope_metrics: vec![ScopeMetrics {
                    scope: Some(InstrumentationScope {
                        name: scope.to_string(),
                        version: None,
                    }),
                    metrics,
                }],
            }],
        }
    }

    /// Every data point with its metric and resource.
    pub fn points(&self) -> impl Iterator<Item = (&Resource, &Metric, &NumberDataPoint)> {
        self.resource_metrics.iter().flat_map(|resource| {
            resource.scope_metrics.iter().flat_map(move |scope| {
                scope.metrics.iter().flat_map(move |metric| {
                    metric
                        .data_points()
                        .iter()
                        .map(move |point| (&resource.resource, metric, point))
                })
            })
        })
    }

    /// How many data points there are.
    pub fn point_count(&self) -> usize {
        self.points().count()
    }
}

impl Metric {
    /// A gauge.
    pub fn gauge(
        name: impl Into<String>,
        unit: impl Into<String>,
        points: Vec<NumberDataPoint>,
    ) -> Self {
        Self {
            name: name.into(),
            unit: unit.into(),
            gauge: Some(Gauge {
                data_points: points,
            }),
            ..Self::default()
        }
    }

    /// A cumulative, monotonic sum (a counter).
    pub fn counter(
        name: impl Into<String>,
        unit: impl Into<String>,
        points: Vec<NumberDataPoint>,
    ) -> Self {
        Self {
            name: name.into(),
            unit: unit.into(),
            sum: Some(Sum {
                data_points: points,
                aggregation_temporality: Some(2),
                is_monotonic: true,
            }),
            ..Self::default()
        }
    }

    /// The data points of the gauge or the sum.
    pub fn data_points(&self) -> &[NumberDataPoint] {
        match (&self.gauge, &self.sum) {
            (Some(gauge), _) => &gauge.data_points,
            (None, Some(sum)) => &sum.data_points,
            (None, None) => &[],
        }
    }
}

impl NumberDataPoint {
    /// An integer value at `at`.
    pub fn int(at: Timestamp, value: i64) -> Self {
        Self {
            time_unix_nano: unix_nanos(at),
            as_int: Some(value),
            ..Self::default()
        }
    }

    /// A floating-point value at `at`.
    pub fn double(at: Timestamp, value: f64) -> Self {
        Self {
            time_unix_nano: unix_nanos(at),
            as_double: Some(value),
            ..Self::default()
        }
    }

    /// This point with one more attribute.
    pub fn with(mut self, attribute: KeyValue) -> Self {
        self.attributes.push(attribute);
        self
    }

    /// The value as a number.
    pub fn value(&self) -> Option<f64> {
        self.as_double.or(self.as_int.map(|n| n as f64))
    }

    /// The value of an attribute.
    pub fn attribute(&self, key: &str) -> Option<&AnyValue> {
        attribute(&self.attributes, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The contract's (and §2.7's proposed) metrics push body, literally.
    #[test]
    fn a_gauge_push_has_the_contract_shape() {
        let at: Timestamp = "2024-06-10T06:13:20Z".parse().unwrap();
        let request = ExportMetricsServiceRequest::for_service(
            "710b9573-5f47-4de6-b761-070626300000",
            "custom",
            vec![Metric::gauge(
                "scc.connection.status",
                "",
                vec![
                    NumberDataPoint::int(at, 1)
                        .with(KeyValue::string("severity", "critical"))
                        .with(KeyValue::string("message", "Error: …")),
                ],
            )],
        );
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"resourceMetrics":[{"resource":{"attributes":[{"key":"sap.cloudalm.serviceId","value":{"stringValue":"710b9573-5f47-4de6-b761-070626300000"}}]},
             "scopeMetrics":[{"scope":{"name":"custom"},"metrics":[{"name":"scc.connection.status","unit":"",
              "gauge":{"dataPoints":[{"attributes":[{"key":"severity","value":{"stringValue":"critical"}},{"key":"message","value":{"stringValue":"Error: …"}}],
                "timeUnixNano":"1718000000000000000","asInt":"1"}]}}]}]}]})
        );
    }

    #[test]
    fn sums_and_doubles_read_back() {
        let text = r#"{"resourceMetrics":[{"resource":{"attributes":[]},"scopeMetrics":[{"metrics":[
            {"name":"jam.executions","unit":"1","sum":{"dataPoints":[{"timeUnixNano":1718000000000000000,"asDouble":3.0,
              "attributes":[{"key":"jobId","value":{"stringValue":"J"}}]}],"aggregationTemporality":2,"isMonotonic":true}},
            {"name":"jam.runTime","histogram":{"dataPoints":[]}}]}]}]}"#;
        let read: ExportMetricsServiceRequest = serde_json::from_str(text).unwrap();
        let points: Vec<_> = read.points().collect();
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].1.name, "jam.executions");
        assert_eq!(points[0].2.value(), Some(3.0));
        assert_eq!(
            points[0].2.attribute("jobId").and_then(AnyValue::as_str),
            Some("J")
        );
        let empty: ExportMetricsServiceRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(empty.point_count(), 0);
    }
}
