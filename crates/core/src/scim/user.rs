//! The SCIM user with the enterprise, SAP and custom extensions that IAS serves.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Address, Meta, MultiValued, Secret};

/// A SCIM 2.0 user (RFC 7643 §4.1) as the Identity Directory API of IAS sends and accepts it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The schema URNs the resource uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    /// The server-assigned id (a UUID in IAS v2, `P` + 6 digits in v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The id the provisioning client knows the user by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Server metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// The login name; unique in an IAS tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// The person's name parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    /// The name shown to people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// A casual name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
    /// A profile page URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_url: Option<String>,
    /// A job title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `employee`, `customer`, `partner`, `public`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<String>,
    /// The preferred written or spoken language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<String>,
    /// The locale, such as `en_US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The Olson time zone, such as `Europe/Berlin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Whether the user may log on; IAS couples it to the SAP extension's `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// A password; write-only, never returned by a server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// Email addresses; IAS requires one and makes it unique by default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<MultiValued>,
    /// Phone numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phone_numbers: Vec<MultiValued>,
    /// Instant-messaging addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ims: Vec<MultiValued>,
    /// Photo URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<MultiValued>,
    /// Postal addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// The groups the user belongs to; read-only in IAS v2, derived from group members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<MultiValued>,
    /// Entitlements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entitlements: Vec<MultiValued>,
    /// Roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<MultiValued>,
    /// X.509 certificates (base64 DER values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub x509_certificates: Vec<MultiValued>,
    /// The enterprise extension.
    #[serde(
        rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub enterprise: Option<EnterpriseUser>,
    /// SAP's user extension.
    #[serde(
        rename = "urn:ietf:params:scim:schemas:extension:sap:2.0:User",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sap: Option<SapUser>,
    /// SAP's custom attributes.
    #[serde(
        rename = "urn:sap:cloud:scim:schemas:extension:custom:2.0:User",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub custom: Option<CustomUser>,
    /// Attributes and extensions not modelled above, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl User {
    /// The value of the primary email, or of the first email when none is marked primary.
    pub fn primary_email(&self) -> Option<&str> {
        self.emails
            .iter()
            .find(|e| e.primary == Some(true))
            .or_else(|| self.emails.first())
            .and_then(|e| e.value.as_deref())
    }
}

/// The components of a user's name (RFC 7643 §4.1.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Name {
    /// The full name, formatted for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted: Option<String>,
    /// The family (last) name; mandatory in IAS v1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// The given (first) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Middle names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// A prefix such as `Mr.`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific_prefix: Option<String>,
    /// A suffix such as `III`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific_suffix: Option<String>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The enterprise user extension (RFC 7643 §4.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseUser {
    /// The employee number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_number: Option<String>,
    /// The cost center.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_center: Option<String>,
    /// The organization (IAS v1's `company`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// The division.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<String>,
    /// The department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The user's manager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<Manager>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A reference to a user's manager.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manager {
    /// The manager's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The manager's URI.
    #[serde(rename = "$ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The manager's display name (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The lifecycle status in SAP's user extension; IAS keeps core `active` in step with it
/// (`new` and `inactive` mean `active: false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SapUserStatus {
    /// Created, not yet activated.
    New,
    /// Can log on.
    Active,
    /// Locked out.
    Inactive,
}

/// SAP's user extension, `urn:ietf:params:scim:schemas:extension:sap:2.0:User`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SapUser {
    /// The legacy user id, `P` + 6 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The global user UUID; equal to `id` in IAS v2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_uuid: Option<String>,
    /// `new`, `active` or `inactive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SapUserStatus>,
    /// Whether the email address is verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail_verified: Option<bool>,
    /// Whether IAS sends an activation mail on create (create only; never returned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_mail: Option<bool>,
    /// Where the activation mail leads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
    /// The application the user registered with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    /// The numeric source system code (39 = Corporate User Store, 100 = SuccessFactors, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_system: Option<i64>,
    /// The id of the user in its source system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_system_id: Option<String>,
    /// Start of validity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// End of validity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
    /// SAP's view of the emails, with `verified` flags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<MultiValued>,
    /// Sub-attributes not modelled above (`passwordDetails`, `loginTime`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// SAP's custom user attributes, `urn:sap:cloud:scim:schemas:extension:custom:2.0:User`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomUser {
    /// `customAttribute1` … `customAttribute10` with their values.
    #[serde(default)]
    pub attributes: Vec<CustomAttribute>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One custom attribute (`name` is `customAttribute1` … `customAttribute10`; values ≤ 256 chars).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomAttribute {
    /// The attribute name.
    pub name: String,
    /// The attribute value.
    #[serde(default)]
    pub value: String,
}
