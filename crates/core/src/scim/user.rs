//! The SCIM user with the enterprise, SAP and custom extensions that IAS serves.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Address, Meta, MultiValued, Secret};

/// A SCIM 2.0 user (RFC 7643 §4.1) as the Identity Directory API of IAS sends and accepts it.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The schema URNs the resource uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    /// The server-assigned id (a UUID in IAS v2, `P` + 6 digits in v1).
    pub id: Option<String>,
    /// The id the provisioning client knows the user by.
    pub external_id: Option<String>,
    /// Server metadata.
    pub meta: Option<Meta>,
    /// The login name; unique in an IAS tenant.
    pub user_name: Option<String>,
    /// The person's name parts.
    pub name: Option<Name>,
    /// The name shown to people.
    pub display_name: Option<String>,
    /// A casual name.
    pub nick_name: Option<String>,
    /// A profile page URL.
    pub profile_url: Option<String>,
    /// A job title.
    pub title: Option<String>,
    /// `employee`, `customer`, `partner`, `public`, …
    pub user_type: Option<String>,
    /// The preferred written or spoken language.
    pub preferred_language: Option<String>,
    /// The locale, such as `en_US`.
    pub locale: Option<String>,
    /// The Olson time zone, such as `Europe/Berlin`.
    pub timezone: Option<String>,
    /// Whether the user may log on; IAS couples it to the SAP extension's `status`.
    pub active: Option<bool>,
    /// A password; write-only, never returned by a server.
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
    #[serde(rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")]
    pub enterprise: Option<EnterpriseUser>,
    /// SAP's user extension.
    #[serde(rename = "urn:ietf:params:scim:schemas:extension:sap:2.0:User")]
    pub sap: Option<SapUser>,
    /// SAP's custom attributes.
    #[serde(rename = "urn:sap:cloud:scim:schemas:extension:custom:2.0:User")]
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
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Name {
    /// The full name, formatted for display.
    pub formatted: Option<String>,
    /// The family (last) name; mandatory in IAS v1.
    pub family_name: Option<String>,
    /// The given (first) name.
    pub given_name: Option<String>,
    /// Middle names.
    pub middle_name: Option<String>,
    /// A prefix such as `Mr.`.
    pub honorific_prefix: Option<String>,
    /// A suffix such as `III`.
    pub honorific_suffix: Option<String>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The enterprise user extension (RFC 7643 §4.3).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseUser {
    /// The employee number.
    pub employee_number: Option<String>,
    /// The cost center.
    pub cost_center: Option<String>,
    /// The organization (IAS v1's `company`).
    pub organization: Option<String>,
    /// The division.
    pub division: Option<String>,
    /// The department.
    pub department: Option<String>,
    /// The user's manager.
    pub manager: Option<Manager>,
    /// Sub-attributes not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A reference to a user's manager.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manager {
    /// The manager's user id.
    pub value: Option<String>,
    /// The manager's URI.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// The manager's display name (read-only).
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
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SapUser {
    /// The legacy user id, `P` + 6 digits.
    pub user_id: Option<String>,
    /// The global user UUID; equal to `id` in IAS v2.
    pub user_uuid: Option<String>,
    /// `new`, `active` or `inactive`.
    pub status: Option<SapUserStatus>,
    /// Whether the email address is verified.
    pub mail_verified: Option<bool>,
    /// Whether IAS sends an activation mail on create (create only; never returned).
    pub send_mail: Option<bool>,
    /// Where the activation mail leads.
    pub target_url: Option<String>,
    /// The application the user registered with.
    pub application_id: Option<String>,
    /// The numeric source system code (39 = Corporate User Store, 100 = SuccessFactors, …).
    pub source_system: Option<i64>,
    /// The id of the user in its source system.
    pub source_system_id: Option<String>,
    /// Start of validity.
    pub valid_from: Option<String>,
    /// End of validity.
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
