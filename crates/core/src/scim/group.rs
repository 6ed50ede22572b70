//! The SCIM group with SAP's custom and SAP extensions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Meta;

/// A SCIM 2.0 group (RFC 7643 §4.2) as IAS serves it.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// The schema URNs the resource uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    /// The server-assigned id (a UUID in IAS v2).
    pub id: Option<String>,
    /// The id the provisioning client knows the group by.
    pub external_id: Option<String>,
    /// Server metadata.
    pub meta: Option<Meta>,
    /// The group's name as shown to people; required.
    pub display_name: Option<String>,
    /// Users and groups in this group (nested groups are allowed in IAS v2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
    /// SAP's custom group extension; its `name` is IPS's default unique key for groups.
    #[serde(rename = "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group")]
    pub custom: Option<CustomGroup>,
    /// SAP's group extension (application-specific groups).
    #[serde(rename = "urn:ietf:params:scim:schemas:extension:sap:2.0:Group")]
    pub sap: Option<SapGroup>,
    /// Attributes and extensions not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A member of a group.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The member's id.
    pub value: Option<String>,
    /// The member's display name.
    pub display: Option<String>,
    /// `User` or `Group`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The member's URI.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `urn:sap:cloud:scim:schemas:extension:custom:2.0:Group`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomGroup {
    /// The group name, unique in the tenant (defaults to `displayName`).
    pub name: Option<String>,
    /// A description.
    pub description: Option<String>,
    /// The legacy 24-hex-character group id.
    pub additional_id: Option<String>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `urn:ietf:params:scim:schemas:extension:sap:2.0:Group`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SapGroup {
    /// The application an application-specific group belongs to.
    pub application_id: Option<String>,
    /// `userGroup` (default), `authorization` or `deepLinkActivationPermission`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `readWrite` (default), `readOnly`, `userOnlyMembership` or `membership`.
    pub supported_operations: Option<String>,
    /// The name in the application; unique per application and immutable.
    pub external_name: Option<String>,
    /// Where the group lives in the application; immutable.
    pub external_location: Option<String>,
    /// Sub-attributes not modelled above (`children` on a single-group GET).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
