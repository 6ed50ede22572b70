//! One Cloud ALM tenant's data, without HTTP: the landscape, pushed metrics and log records, the
//! job executions read from JAM records, the CSA stores — and its JSON snapshot. Every push is
//! checked whole before anything is stored, so a refused push changes nothing.

use jiff::Timestamp;
use sapland_core::json::JsonPath;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::config::CalmConfig;
use crate::csa::{self, Csa};
use crate::jam::execution::{Execution, Executions, Service};
use crate::landscape::{Landscape, LandscapeObject};
use crate::otlp::logs::{self, LogRecord};
use crate::otlp::metrics::{self, DataPoint};
use crate::otlp::value::{AnyValue, attribute};
use crate::period;

/// The resource attribute that names the service (reference §2.7, §2.9).
pub const SERVICE_ID_ATTRIBUTE: &str = "sap.cloudalm.serviceId";
/// The resource attribute that names the service for people (**proposed**).
pub const SERVICE_NAME_ATTRIBUTE: &str = "sap.cloudalm.serviceName";

/// The `useCase` of a logs push (**proposed**: `JAM`, `EXM`, `IM`, `HM`, after the use-case ids
/// of reference §2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UseCase {
    /// Job & Automation Monitoring.
    #[serde(rename = "JAM")]
    Jam,
    /// Exception Monitoring.
    #[serde(rename = "EXM")]
    Exm,
    /// Integration Monitoring.
    #[serde(rename = "IM")]
    Im,
    /// Health Monitoring.
    #[serde(rename = "HM")]
    Hm,
}

impl UseCase {
    /// Reads a `useCase` parameter.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "JAM" => Some(Self::Jam),
            "EXM" => Some(Self::Exm),
            "IM" => Some(Self::Im),
            "HM" => Some(Self::Hm),
            _ => None,
        }
    }

    /// The use case whose records a logs read provider serves (reference §2.8 providers;
    /// the mapping is **proposed**): `jam.run` the JAM records, `exm.jam` and `exm.im` the EXM
    /// records, `im` the IM records, `hm` the HM records; every other provider has none.
    pub fn of_provider(provider: &str) -> Option<Self> {
        match provider {
            "jam.run" => Some(Self::Jam),
            "exm.jam" | "exm.im" => Some(Self::Exm),
            "im" => Some(Self::Im),
            "hm" => Some(Self::Hm),
            _ => None,
        }
    }
}

/// A stored log record.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    /// The service it was pushed for.
    pub service_id: String,
    /// The push's use case.
    pub use_case: UseCase,
    /// When it arrived.
    pub received_at: Timestamp,
    /// The record.
    pub record: LogRecord,
}

impl StoredRecord {
    /// The record's time (its own, else when it arrived).
    pub fn time(&self, observed: bool) -> Timestamp {
        let own = if observed {
            self.record.observed_time_unix_nano
        } else {
            self.record.time()
        };
        own.map_or(self.received_at, period::from_nanos)
    }
}

/// A stored metric data point.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPoint {
    /// The service it was pushed for.
    pub service_id: String,
    /// When it arrived.
    pub received_at: Timestamp,
    /// The point.
    pub point: DataPoint,
}

/// What kind of push a journal entry of the snapshot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum PushKind {
    Metrics,
    Logs,
}

/// One accepted push of metrics or logs, as a range of the stored points or records.
#[derive(Debug, Clone, PartialEq)]
struct Push {
    kind: PushKind,
    service_id: String,
    use_case: String,
    received_at: Timestamp,
    start: usize,
    len: usize,
}

/// Why a push is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// The body or a parameter is wrong (400).
    #[error("{0}")]
    Invalid(String),
    /// The service is not in the landscape, or not registered (404, **proposed**).
    #[error("{0}")]
    UnknownService(String),
}

/// One tenant's data.
#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    /// The landscape objects.
    pub landscape: Landscape,
    /// Pushed metric data points, in order of arrival.
    pub points: Vec<StoredPoint>,
    /// Pushed log records, in order of arrival.
    pub records: Vec<StoredRecord>,
    /// Job executions from the JAM records.
    pub executions: Executions,
    /// CSA stores.
    pub csa: Csa,
    pushes: Vec<Push>,
    /// Set while a snapshot is replayed: pushes for systems unregistered since are kept.
    replaying: bool,
}

impl Tenant {
    /// A fresh tenant: the configured cloud service in the landscape, nothing pushed.
    pub fn new(config: &CalmConfig) -> Self {
        Self {
            landscape: Landscape::new(config.seed, config.identity_provisioning.as_ref()),
            points: Vec::new(),
            records: Vec::new(),
            executions: Executions::default(),
            csa: Csa::default(),
            pushes: Vec::new(),
            replaying: false,
        }
    }

    fn service(&self, service_id: &str) -> Result<&LandscapeObject, PushError> {
        let object = if self.replaying {
            self.landscape.get(service_id)
        } else {
            self.landscape.active(service_id)
        };
        object.ok_or_else(|| {
            PushError::UnknownService(format!(
                "No registered service with serviceId {service_id} in Landscape Management"
            ))
        })
    }

    /// Stores an OTLP metrics push for `service_id`; answers how many data points it held.
    pub fn push_metrics(
        &mut self,
        service_id: &str,
        use_case: &str,
        document: &Value,
        now: Timestamp,
    ) -> Result<usize, PushError> {
        self.service(service_id)?;
        let points =
            metrics::parse_request(document).map_err(|err| PushError::Invalid(err.to_string()))?;
        check_resource_service(document, "resourceMetrics", service_id)?;
        let start = self.points.len();
        let count = points.len();
        self.points
            .extend(points.into_iter().map(|point| StoredPoint {
                service_id: service_id.to_string(),
                received_at: now,
                point,
            }));
        self.pushes.push(Push {
            kind: PushKind::Metrics,
            service_id: service_id.to_string(),
            use_case: use_case.to_string(),
            received_at: now,
            start,
            len: count,
        });
        Ok(count)
    }

    /// Stores an OTLP logs push for `service_id`; a JAM push also records its executions.
    /// Answers how many records it held.
    pub fn push_logs(
        &mut self,
        service_id: &str,
        use_case: UseCase,
        document: &Value,
        now: Timestamp,
    ) -> Result<usize, PushError> {
        let object = self.service(service_id)?;
        let records =
            logs::parse_request(document).map_err(|err| PushError::Invalid(err.to_string()))?;
        check_resource_service(document, "resourceLogs", service_id)?;
        let mut executions = Vec::new();
        if use_case == UseCase::Jam {
            for (path, record) in &records {
                let name = attribute(&record.resource, SERVICE_NAME_ATTRIBUTE)
                    .and_then(AnyValue::as_str)
                    .map_or_else(|| object.name.clone(), str::to_string);
                let service = Service {
                    id: service_id.to_string(),
                    name,
                    service_type: object.service_type.clone(),
                };
                executions.push(
                    Execution::from_record(record, path, service)
                        .map_err(|err| PushError::Invalid(err.to_string()))?,
                );
            }
        }
        for execution in executions {
            self.executions.upsert(execution);
        }
        let start = self.records.len();
        let count = records.len();
        self.records
            .extend(records.into_iter().map(|(_, record)| StoredRecord {
                service_id: service_id.to_string(),
                use_case,
                received_at: now,
                record,
            }));
        self.pushes.push(Push {
            kind: PushKind::Logs,
            service_id: service_id.to_string(),
            use_case: serde_json::to_value(use_case)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            received_at: now,
            start,
            len: count,
        });
        Ok(count)
    }

    /// Stores a CSA push for `service_id`; answers the summary per store.
    pub fn push_csa(
        &mut self,
        service_id: &str,
        body: &Value,
        now: Timestamp,
    ) -> Result<Vec<Value>, PushError> {
        self.service(service_id)?;
        let push = csa::Push::parse(body, service_id, now).map_err(PushError::Invalid)?;
        Ok(self.csa.apply(push))
    }

    /// The name of a service (its landscape object's), or the id when unknown.
    pub fn service_name(&self, service_id: &str) -> String {
        self.landscape
            .get(service_id)
            .map_or_else(|| service_id.to_string(), |o| o.name.clone())
    }

    /// The JSON snapshot: landscape objects, every metrics and logs push as OTLP JSON, the CSA
    /// stores.
    pub fn export(&self) -> Value {
        let pushes: Vec<Value> = self
            .pushes
            .iter()
            .map(|push| {
                let body = match push.kind {
                    PushKind::Metrics => metrics::request_json(
                        self.points
                            .iter()
                            .skip(push.start)
                            .take(push.len)
                            .map(|p| &p.point),
                    ),
                    PushKind::Logs => logs::request_json(
                        self.records
                            .iter()
                            .skip(push.start)
                            .take(push.len)
                            .map(|r| &r.record),
                    ),
                };
                json!({
                    "kind": push.kind,
                    "serviceId": push.service_id,
                    "useCase": push.use_case,
                    "receivedAt": push.received_at,
                    "body": body,
                })
            })
            .collect();
        json!({
            "landscapeObjects": self.landscape.objects(),
            "pushes": pushes,
            "csa": self.csa,
        })
    }

    /// A tenant from a snapshot made by [`Tenant::export`]: the pushes are replayed through the
    /// same checks as on the wire. The error names the part of the snapshot that is wrong.
    pub fn import(snapshot: &Value, config: &CalmConfig) -> Result<Self, String> {
        let map = snapshot
            .as_object()
            .ok_or("$: expected an object {landscapeObjects, pushes, csa}")?;
        let objects: Vec<LandscapeObject> =
            from_member(map.get("landscapeObjects"), "$.landscapeObjects")?;
        let mut tenant = Tenant::new(config);
        tenant.landscape = Landscape::from_objects(objects)
            .map_err(|message| format!("$.landscapeObjects{message}"))?;
        tenant.csa = from_member(map.get("csa"), "$.csa")?;
        let pushes: Vec<SnapshotPush> = from_member(map.get("pushes"), "$.pushes")?;
        tenant.replaying = true;
        for (i, push) in pushes.iter().enumerate() {
            let at = |err: PushError| format!("$.pushes[{i}]: {err}");
            match push.kind {
                PushKind::Metrics => tenant
                    .push_metrics(
                        &push.service_id,
                        &push.use_case,
                        &push.body,
                        push.received_at,
                    )
                    .map_err(at)?,
                PushKind::Logs => {
                    let use_case = UseCase::parse(&push.use_case).ok_or_else(|| {
                        format!("$.pushes[{i}].useCase: expected JAM, EXM, IM or HM")
                    })?;
                    tenant
                        .push_logs(&push.service_id, use_case, &push.body, push.received_at)
                        .map_err(at)?
                }
            };
        }
        tenant.replaying = false;
        Ok(tenant)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SnapshotPush {
    kind: PushKind,
    service_id: String,
    use_case: String,
    received_at: Timestamp,
    body: Value,
}

fn from_member<T: serde::de::DeserializeOwned>(
    value: Option<&Value>,
    path: &str,
) -> Result<T, String> {
    let text = value.unwrap_or(&Value::Null).to_string();
    sapland_core::json::from_str(&text).map_err(|err| {
        let inner = err.path.to_string();
        format!("{path}{}: {}", inner.trim_start_matches('$'), err.message)
    })
}

/// Refuses a push whose resources name another service in `sap.cloudalm.serviceId` than the
/// query's `serviceId` (**proposed**; a resource without the attribute belongs to the query's).
fn check_resource_service(
    document: &Value,
    resources: &str,
    service_id: &str,
) -> Result<(), PushError> {
    let empty = Vec::new();
    let list = document
        .get(resources)
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    for (i, resource) in list.iter().enumerate() {
        let attributes = resource
            .pointer("/resource/attributes")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        for (j, attribute) in attributes.iter().enumerate() {
            if attribute.get("key").and_then(Value::as_str) != Some(SERVICE_ID_ATTRIBUTE) {
                continue;
            }
            let named = attribute
                .pointer("/value/stringValue")
                .and_then(Value::as_str);
            if named != Some(service_id) {
                let path = JsonPath::root()
                    .key(resources)
                    .index(i)
                    .key("resource")
                    .key("attributes")
                    .index(j)
                    .key("value");
                return Err(PushError::Invalid(format!(
                    "{path}: expected {{\"stringValue\": {service_id:?}}}, the serviceId of the query"
                )));
            }
        }
    }
    Ok(())
}
