//! Attribute shapes shared by users and groups: multi-valued entries, addresses, `meta`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One entry of a multi-valued attribute such as `emails`, `phoneNumbers` or `groups`
/// (RFC 7643 §2.4). SAP adds sub-attributes like `verified`; they stay in `extra`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MultiValued {
    /// The value: an email address, phone number, group id, …
    pub value: Option<String>,
    /// A human-readable name.
    pub display: Option<String>,
    /// The label, such as `work` or `home`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Whether this is the preferred entry.
    pub primary: Option<bool>,
    /// The URI of the referenced resource.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A postal address (RFC 7643 §4.1.2).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// `work`, `home` or `other`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The full address, formatted for display.
    pub formatted: Option<String>,
    /// Street, house number and so on.
    pub street_address: Option<String>,
    /// City or locality.
    pub locality: Option<String>,
    /// State or region.
    pub region: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// Whether this is the preferred address.
    pub primary: Option<bool>,
    /// Sub-attributes not modelled above (SAP's `streetAddress2`, for instance).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Resource metadata (RFC 7643 §3.1). Timestamps are kept as the exact text the server sent,
/// so that a delta read can hand `lastModified` back unchanged.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    /// `User` or `Group`.
    pub resource_type: Option<String>,
    /// When the resource was created (RFC 3339).
    pub created: Option<String>,
    /// When the resource last changed (RFC 3339).
    pub last_modified: Option<String>,
    /// The resource's URI.
    pub location: Option<String>,
    /// The resource version, also sent as the `ETag` header.
    pub version: Option<String>,
    /// Members not modelled above, such as IAS's `groups.cnt`.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
