//! Landscape Management: the landscape objects the public read API lists (reference §2.4), the
//! SAP-managed Identity Provisioning service SAP registers from SLIS (§4), and the registration,
//! unregistration and heartbeat of managed systems (§2.4, §6.2: only the registration path is
//! real; bodies, the unregister and heartbeat endpoints are **proposed**).

use jiff::Timestamp;
use sapland_core::json::JsonPath;
use sapland_mock_kit::ids::IdGenerator;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::config::CloudServiceConfig;
use crate::period;

/// A landscape object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LandscapeObject {
    /// The LMS id.
    pub lms_id: String,
    /// The name.
    pub name: String,
    /// `CloudService`, `TechnicalSystem` or `BusinessService`.
    pub object_type: String,
    /// The service type.
    pub service_type: Option<String>,
    /// The system number.
    pub system_number: Option<String>,
    /// The role (`Production`, `Test`, `Development`).
    pub role: Option<String>,
    /// How it got there: `SLIS` or `REGISTRATION`.
    pub source: String,
    /// An external id.
    pub external_id: Option<String>,
    /// The deployment model.
    pub deployment_model: Option<String>,
    /// A description.
    pub description: Option<String>,
    /// The registration of a managed system (not part of the public read API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
}

/// Whether a managed system is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationStatus {
    /// Registered and sending.
    Registered,
    /// Unregistered; its landscape object stays.
    Unregistered,
}

/// A managed system's registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Registration {
    /// The status.
    pub status: RegistrationStatus,
    /// When it (last) registered, on the landscape clock.
    pub registered_at: Timestamp,
    /// When it unregistered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unregistered_at: Option<Timestamp>,
    /// When the last heartbeat arrived, on the landscape clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_heartbeat: Option<Timestamp>,
    /// The `timestamp` the last heartbeat carried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_heartbeat_sent: Option<String>,
    /// What the system sent when it registered.
    pub details: Map<String, Value>,
}

/// Why a landscape request is refused; the messages are the mock's (**proposed**).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LandscapeError {
    /// The body is not what the endpoint takes (400).
    #[error("{0}")]
    Invalid(String),
    /// No such registered system (404).
    #[error("{0}")]
    NotFound(String),
    /// The object exists but the request does not apply to it (409).
    #[error("{0}")]
    Conflict(String),
}

/// The members of the registration body (reference §6.2).
const REGISTRATION_FIELDS: [&str; 15] = [
    "systemId",
    "client",
    "systemNumber",
    "installationNumber",
    "dbHost",
    "hostName",
    "sapSystemType",
    "productVersion",
    "basisRelease",
    "basisSp",
    "stPiRelease",
    "stPiSp",
    "description",
    "backgroundUser",
    "timeZone",
];

/// The landscape objects of the tenant.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Landscape {
    objects: Vec<LandscapeObject>,
}

impl Landscape {
    /// The landscape a fresh tenant has: the SAP-managed cloud service, if configured.
    pub fn new(seed: u64, service: Option<&CloudServiceConfig>) -> Self {
        let objects = service
            .map(|service| {
                let mut ids = IdGenerator::derived(seed, "calm.lms.identity-provisioning");
                LandscapeObject {
                    lms_id: ids.uuid(),
                    name: service.name.clone(),
                    object_type: "CloudService".into(),
                    service_type: Some(service.service_type.clone()),
                    system_number: None,
                    role: None,
                    source: "SLIS".into(),
                    external_id: Some(ids.uuid()),
                    deployment_model: None,
                    description: Some("SAP Cloud Identity Services - Identity Provisioning".into()),
                    registration: None,
                }
            })
            .into_iter()
            .collect();
        Self { objects }
    }

    /// Every object.
    pub fn objects(&self) -> &[LandscapeObject] {
        &self.objects
    }

    /// A landscape of these objects (state import); LMS ids must be unique.
    pub fn from_objects(objects: Vec<LandscapeObject>) -> Result<Self, String> {
        for (i, object) in objects.iter().enumerate() {
            if objects[..i].iter().any(|o| o.lms_id == object.lms_id) {
                return Err(format!(
                    "[{i}].lmsId: {:?} appears twice; LMS ids are unique",
                    object.lms_id
                ));
            }
        }
        Ok(Self { objects })
    }

    /// The object with this LMS id.
    pub fn get(&self, lms_id: &str) -> Option<&LandscapeObject> {
        self.objects.iter().find(|o| o.lms_id == lms_id)
    }

    /// The object data can be pushed for: a cloud service, or a system that is registered.
    pub fn active(&self, lms_id: &str) -> Option<&LandscapeObject> {
        self.get(lms_id).filter(|o| {
            o.registration
                .as_ref()
                .is_none_or(|r| r.status == RegistrationStatus::Registered)
        })
    }

    /// Registers a managed system from the body of `POST …/Registration`; answers its LMS id. A
    /// system registered before (same system number and client) gets its LMS id back.
    pub fn register(
        &mut self,
        body: &Value,
        seed: u64,
        now: Timestamp,
    ) -> Result<String, LandscapeError> {
        let details = registration_body(body)?;
        let text = |name: &str| {
            details
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let system_id = text("systemId").unwrap_or_default();
        let client = text("client").unwrap_or_default();
        let system_number = text("systemNumber").unwrap_or_default();
        let registration = Registration {
            status: RegistrationStatus::Registered,
            registered_at: now,
            unregistered_at: None,
            last_heartbeat: None,
            last_heartbeat_sent: None,
            details: details.clone(),
        };
        let existing = self.objects.iter_mut().find(|o| {
            o.source == "REGISTRATION"
                && o.system_number.as_deref() == Some(&system_number)
                && o.registration
                    .as_ref()
                    .and_then(|r| r.details.get("client"))
                    .and_then(Value::as_str)
                    == Some(&client)
        });
        if let Some(object) = existing {
            object.registration = Some(registration);
            return Ok(object.lms_id.clone());
        }
        let lms_id =
            IdGenerator::derived(seed, &format!("calm.lms.{system_number}.{client}")).uuid();
        self.objects.push(LandscapeObject {
            lms_id: lms_id.clone(),
            name: format!("{system_id}:{client}"),
            object_type: "TechnicalSystem".into(),
            service_type: text("sapSystemType"),
            system_number: Some(system_number),
            role: None,
            source: "REGISTRATION".into(),
            external_id: None,
            deployment_model: None,
            description: Some(
                text("description")
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| format!("{system_id} ({system_id}{client})")),
            ),
            registration: Some(registration),
        });
        Ok(lms_id)
    }

    /// Unregisters a managed system (`DELETE …/Registration/{lmsId}`).
    pub fn unregister(&mut self, lms_id: &str, now: Timestamp) -> Result<(), LandscapeError> {
        let object = self
            .objects
            .iter_mut()
            .find(|o| o.lms_id == lms_id)
            .ok_or_else(|| not_registered(lms_id))?;
        let Some(registration) = object.registration.as_mut() else {
            return Err(LandscapeError::Conflict(format!(
                "{lms_id} is an SAP-managed {}; only registered systems can be unregistered",
                object.object_type
            )));
        };
        if registration.status == RegistrationStatus::Unregistered {
            return Err(not_registered(lms_id));
        }
        registration.status = RegistrationStatus::Unregistered;
        registration.unregistered_at = Some(now);
        Ok(())
    }

    /// Records a heartbeat (`POST …/Heartbeat` with `{lmsId, timestamp}`).
    pub fn heartbeat(&mut self, body: &Value, now: Timestamp) -> Result<String, LandscapeError> {
        let map = body.as_object().ok_or_else(|| {
            LandscapeError::Invalid(format!(
                "$: expected an object {{\"lmsId\", \"timestamp\"}}, found {}",
                sapland_core::json::kind(body)
            ))
        })?;
        let lms_id = match map.get("lmsId") {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            _ => {
                return Err(LandscapeError::Invalid(
                    "$.lmsId: expected the LMS id of a registered system".into(),
                ));
            }
        };
        let sent = match map.get("timestamp") {
            None | Some(Value::Null) => None,
            Some(Value::String(text))
                if text.parse::<Timestamp>().is_ok() || period::compact(text).is_some() =>
            {
                Some(text.clone())
            }
            Some(_) => {
                return Err(LandscapeError::Invalid(
                    "$.timestamp: expected an RFC 3339 time or YYYYMMDDHHmmss (UTC)".into(),
                ));
            }
        };
        let registration = self
            .objects
            .iter_mut()
            .find(|o| o.lms_id == lms_id)
            .and_then(|o| o.registration.as_mut())
            .filter(|r| r.status == RegistrationStatus::Registered)
            .ok_or_else(|| not_registered(&lms_id))?;
        registration.last_heartbeat = Some(now);
        registration.last_heartbeat_sent = sent;
        Ok(lms_id)
    }

    /// The objects that match every filter given (`name`, `systemNumber`, `objectType`, `source`,
    /// `lmsId`, `serviceType`, `role`, `externalId`, `deploymentModel`; exact values).
    pub fn filtered<'a>(&'a self, filters: &[(&str, &str)]) -> Vec<&'a LandscapeObject> {
        self.objects
            .iter()
            .filter(|object| {
                filters.iter().all(|(name, wanted)| {
                    let value = match *name {
                        "name" => Some(object.name.as_str()),
                        "systemNumber" => object.system_number.as_deref(),
                        "objectType" => Some(object.object_type.as_str()),
                        "source" => Some(object.source.as_str()),
                        "lmsId" => Some(object.lms_id.as_str()),
                        "serviceType" => object.service_type.as_deref(),
                        "role" => object.role.as_deref(),
                        "externalId" => object.external_id.as_deref(),
                        "deploymentModel" => object.deployment_model.as_deref(),
                        _ => return true,
                    };
                    value == Some(*wanted)
                })
            })
            .collect()
    }
}

impl LandscapeObject {
    /// The object as `GET /calm-landscape/v1/landscapeObjects` lists it.
    pub fn wire_json(&self) -> Value {
        json!({
            "lmsId": self.lms_id,
            "name": self.name,
            "objectType": self.object_type,
            "serviceType": self.service_type,
            "systemNumber": self.system_number,
            "role": self.role,
            "source": self.source,
            "externalId": self.external_id,
            "deploymentModel": self.deployment_model,
            "description": self.description,
        })
    }
}

fn not_registered(lms_id: &str) -> LandscapeError {
    LandscapeError::NotFound(format!("No system is registered with LMS ID {lms_id}"))
}

/// Checks the registration body: an object whose known members are strings, with `systemId`
/// (three characters), `client` (three digits), `systemNumber` (up to 18 digits, not all zero:
/// the SLICENSE system number) and `dbHost` (the SAPDBHOST profile parameter). Reference §2.4
/// and §3.11: the real service answers 400 when SAPDBHOST is undefined or SLICENSE has no valid
/// system number; the other checks and all messages are **proposed**.
fn registration_body(body: &Value) -> Result<Map<String, Value>, LandscapeError> {
    let map = body.as_object().ok_or_else(|| {
        LandscapeError::Invalid(format!(
            "$: expected the registration object, found {}",
            sapland_core::json::kind(body)
        ))
    })?;
    for name in REGISTRATION_FIELDS {
        if let Some(value) = map.get(name)
            && !value.is_string()
            && !value.is_null()
        {
            return Err(LandscapeError::Invalid(format!(
                "{}: expected a string, found {}",
                JsonPath::root().key(name),
                sapland_core::json::kind(value)
            )));
        }
    }
    let text = |name: &str| map.get(name).and_then(Value::as_str).unwrap_or("").trim();
    let system_id = text("systemId");
    let valid_sid = system_id.len() == 3
        && system_id.starts_with(|c: char| c.is_ascii_uppercase())
        && system_id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !valid_sid {
        return Err(LandscapeError::Invalid(format!(
            "$.systemId: expected a system ID of three characters (a letter, then letters or digits), got {system_id:?}"
        )));
    }
    let client = text("client");
    if client.len() != 3 || !client.chars().all(|c| c.is_ascii_digit()) {
        return Err(LandscapeError::Invalid(format!(
            "$.client: expected a client of three digits, got {client:?}"
        )));
    }
    let number = text("systemNumber");
    let valid_number = !number.is_empty()
        && number.len() <= 18
        && number.chars().all(|c| c.is_ascii_digit())
        && number.chars().any(|c| c != '0');
    if !valid_number {
        return Err(LandscapeError::Invalid(format!(
            "$.systemNumber: no valid system number (SLICENSE): expected up to 18 digits, not all zero, got {number:?}"
        )));
    }
    let db_host = text("dbHost");
    if db_host.is_empty() || db_host.contains(char::is_whitespace) {
        return Err(LandscapeError::Invalid(format!(
            "$.dbHost: the database host is not defined (profile parameter SAPDBHOST), got {db_host:?}"
        )));
    }
    Ok(map.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Value {
        json!({"systemId":"S4H","client":"000","systemNumber":"000000000312345678","installationNumber":"0020123456",
               "dbHost":"s4hdb01","hostName":"s4happ01","sapSystemType":"ABAP","productVersion":"SAP S/4HANA 2023",
               "basisRelease":"758","basisSp":"2","stPiRelease":"740","stPiSp":"34","description":"CALM",
               "backgroundUser":"CALMBATCH","timeZone":"UTC"})
    }

    fn now() -> Timestamp {
        "2026-11-22T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn registering_twice_gives_the_same_lms_id() {
        let mut landscape = Landscape::new(7, None);
        let first = landscape.register(&body(), 7, now()).unwrap();
        landscape.unregister(&first, now()).unwrap();
        assert!(landscape.active(&first).is_none());
        let second = landscape.register(&body(), 7, now()).unwrap();
        assert_eq!(first, second);
        assert_eq!(landscape.objects().len(), 1);
        assert!(landscape.active(&first).is_some());
    }

    #[test]
    fn missing_db_host_and_system_number_are_refused() {
        let mut landscape = Landscape::new(7, None);
        for (field, value) in [
            ("dbHost", json!("")),
            ("systemNumber", json!("000000000000000000")),
            ("systemNumber", json!(null)),
            ("client", json!("1")),
        ] {
            let mut body = body();
            body[field] = value;
            let err = landscape.register(&body, 7, now()).unwrap_err();
            assert!(
                matches!(&err, LandscapeError::Invalid(m) if m.starts_with(&format!("$.{field}"))),
                "{err}"
            );
        }
        assert!(landscape.objects().is_empty());
    }

    #[test]
    fn heartbeats_need_a_registered_system() {
        let mut landscape = Landscape::new(7, None);
        let id = landscape.register(&body(), 7, now()).unwrap();
        landscape
            .heartbeat(&json!({"lmsId": id, "timestamp": "20261122090500"}), now())
            .unwrap();
        let err = landscape
            .heartbeat(&json!({"lmsId": "nope"}), now())
            .unwrap_err();
        assert!(matches!(err, LandscapeError::NotFound(_)));
        let err = landscape
            .heartbeat(&json!({"lmsId": id, "timestamp": "yesterday"}), now())
            .unwrap_err();
        assert!(matches!(err, LandscapeError::Invalid(_)));
    }
}
