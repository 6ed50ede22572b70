//! The IPS system export: the JSON file the IPS admin console writes with *Export*.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::json::{self, JsonError};

/// One system as exported from Identity Provisioning. Every member of the file is kept, the
/// ones not modelled here in `extra`; credential properties are never part of an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemExport {
    /// The system id; empty in exports meant for import elsewhere.
    #[serde(default)]
    pub id: String,
    /// The connector type, such as `SAP_CLOUD_IDENTITY`.
    #[serde(rename = "connectorTypeString")]
    pub connector_type: ConnectorType,
    /// `READ` for a source system, `WRITE` for a target system.
    pub access_mode: AccessMode,
    /// The system's name, unique within the IPS tenant.
    pub name: String,
    /// The system's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// For a target system: the ids of the source systems that feed it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_systems: Vec<String>,
    /// `ENABLED` or `DISABLED`.
    #[serde(default)]
    pub state: SystemState,
    /// The system properties; every value is a string.
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    /// The transformation document (`user`, `group`, … sections), kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformation: Option<Value>,
    /// Members of the export not modelled above (`tenantId`, `destinationName`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SystemExport {
    /// Parses an export from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, JsonError> {
        json::from_str(text)
    }

    /// The role the access mode gives the system.
    pub fn role(&self) -> super::Role {
        match self.access_mode {
            AccessMode::Read => super::Role::Source,
            AccessMode::Write => super::Role::Target,
        }
    }

    /// The entity sections of the transformation (`user`, `group`, …) with their mapping
    /// counts, in document order.
    pub fn transformation_sections(&self) -> Vec<(String, usize)> {
        let Some(Value::Object(sections)) = &self.transformation else {
            return Vec::new();
        };
        sections
            .iter()
            .map(|(name, section)| {
                let mappings = section
                    .get("mappings")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                (name.clone(), mappings)
            })
            .collect()
    }
}

/// The `connectorTypeString` of a system. Any value is kept; the ones sapland can run are
/// named by the constants.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConnectorType(pub String);

impl ConnectorType {
    /// SAP Cloud Identity Services – Identity Authentication (IAS), SCIM v1 or v2.
    pub const IAS: &'static str = "SAP_CLOUD_IDENTITY";
    /// A local NDJSON, JSON or CSV file (sapland's own connector; `proposed`).
    pub const LOCAL_FILE: &'static str = "LOCAL_FILE";

    /// Whether this is the IAS connector.
    pub fn is_ias(&self) -> bool {
        self.0 == Self::IAS
    }

    /// Whether this is sapland's local file connector.
    pub fn is_local_file(&self) -> bool {
        self.0 == Self::LOCAL_FILE
    }

    /// The connector type as written in the export.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ConnectorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether the system is read from or written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AccessMode {
    /// A source system.
    Read,
    /// A target system.
    Write,
}

impl fmt::Display for AccessMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Read => "READ",
            Self::Write => "WRITE",
        })
    }
}

/// Whether jobs run for the system.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SystemState {
    /// Jobs run.
    #[default]
    Enabled,
    /// The system is skipped.
    Disabled,
}

impl fmt::Display for SystemState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        })
    }
}
