//! The SCIM group with SAP's custom and SAP extensions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Meta;

/// A SCIM 2.0 group (RFC 7643 §4.2) as IAS serves it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// The schema URNs the resource uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    /// The server-assigned id (a UUID in IAS v2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The id the provisioning client knows the group by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Server metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// The group's name as shown to people; required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Users and groups in this group (nested groups are allowed in IAS v2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
    /// SAP's custom group extension; its `name` is IPS's default unique key for groups.
    #[serde(
        rename = "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub custom: Option<CustomGroup>,
    /// SAP's group extension (application-specific groups).
    #[serde(
        rename = "urn:ietf:params:scim:schemas:extension:sap:2.0:Group",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sap: Option<SapGroup>,
    /// Attributes and extensions not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A member of a group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The member's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The member's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// `User` or `Group`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The member's URI.
    #[serde(rename = "$ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `urn:sap:cloud:scim:schemas:extension:custom:2.0:Group`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomGroup {
    /// The group name, unique in the tenant (defaults to `displayName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The legacy 24-hex-character group id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_id: Option<String>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `urn:ietf:params:scim:schemas:extension:sap:2.0:Group`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SapGroup {
    /// The application an application-specific group belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    /// `userGroup` (default), `authorization` or `deepLinkActivationPermission`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `readWrite` (default), `readOnly`, `userOnlyMembership` or `membership`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_operations: Option<String>,
    /// The name in the application; unique per application and immutable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_name: Option<String>,
    /// Where the group lives in the application; immutable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_location: Option<String>,
    /// Sub-attributes not modelled above (`children` on a single-group GET).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
