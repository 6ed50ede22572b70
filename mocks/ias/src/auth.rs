//! Technical users (administrators of type System) and how requests authenticate as them:
//! HTTP Basic with client id and secret, a bearer token from `/oauth2/token`, or a client
//! certificate ([DOC] reference/ips-ias.md §3.2).

use std::fmt;

use sapland_core::scim::{ScimError, Secret};
use sapland_inbound::serve::PeerCertificate;
use serde::{Deserialize, Serialize};

use crate::directory::scim_error;

/// The administrator roles a technical user can hold ([DOC] add-administrators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Create, change and delete users; read them.
    #[serde(rename = "Manage Users")]
    ManageUsers,
    /// Read users through the SCIM API.
    #[serde(rename = "Read Users")]
    ReadUsers,
    /// Create, change, delete and read groups.
    #[serde(rename = "Manage Groups")]
    ManageGroups,
    /// Push to Identity Provisioning's real-time API.
    #[serde(rename = "Access Real-Time Provisioning API")]
    AccessRealTimeProvisioningApi,
    /// Call Identity Provisioning proxy systems.
    #[serde(rename = "Access Proxy System API")]
    AccessProxySystemApi,
    /// Change tenant settings.
    #[serde(rename = "Manage Tenant Configuration")]
    ManageTenantConfiguration,
    /// Configure applications.
    #[serde(rename = "Manage Applications")]
    ManageApplications,
    /// Configure corporate identity providers.
    #[serde(rename = "Manage Corporate Identity Providers")]
    ManageCorporateIdentityProviders,
    /// Start Identity Provisioning jobs and read their logs by API.
    #[serde(rename = "Access Identity Provisioning Tenant Admin API")]
    AccessIdentityProvisioningTenantAdminApi,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 9] = [
        Role::ManageUsers,
        Role::ReadUsers,
        Role::ManageGroups,
        Role::AccessRealTimeProvisioningApi,
        Role::AccessProxySystemApi,
        Role::ManageTenantConfiguration,
        Role::ManageApplications,
        Role::ManageCorporateIdentityProviders,
        Role::AccessIdentityProvisioningTenantAdminApi,
    ];
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        f.write_str(&text)
    }
}

/// An administrator of type System.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TechnicalUser {
    /// A name for people.
    pub name: String,
    /// The client id (a UUID in IAS).
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
    /// The subject of the uploaded certificate (`CN=…`), when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_subject: Option<String>,
    /// The roles it holds.
    pub roles: Vec<Role>,
}

/// Who a request acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The technical user's client id.
    pub client_id: String,
    /// Its roles.
    pub roles: Vec<Role>,
}

impl Principal {
    /// `Ok` when the principal holds one of `any_of`; otherwise 403 naming the roles.
    pub fn require(&self, any_of: &[Role]) -> Result<(), ScimError> {
        if any_of.iter().any(|role| self.roles.contains(role)) {
            return Ok(());
        }
        let names: Vec<String> = any_of.iter().map(Role::to_string).collect();
        Err(scim_error(
            403,
            None,
            format!(
                "Forbidden: the system administrator needs the role {}",
                names.join(" or ")
            ),
        ))
    }
}

/// The credentials a request carried.
#[derive(Debug, Clone, Copy, Default)]
pub struct Presented<'a> {
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// The verified client certificate of the connection.
    pub certificate: Option<&'a PeerCertificate>,
}

/// Finds the technical user a request authenticates as; 401 when none. `bearer` turns a token
/// into the client id it was issued to (asked only for bearer tokens).
pub fn authenticate(
    users: &[TechnicalUser],
    bearer: impl FnOnce(&str) -> Option<String>,
    presented: Presented<'_>,
) -> Result<Principal, ScimError> {
    let principal = |user: &TechnicalUser| Principal {
        client_id: user.client_id.clone(),
        roles: user.roles.clone(),
    };
    let unauthorized = || scim_error(401, None, "Unauthorized: unknown or missing credentials");
    match presented.authorization.and_then(|h| h.split_once(' ')) {
        Some((scheme, encoded)) if scheme.eq_ignore_ascii_case("basic") => {
            let (id, secret) =
                sapland_mock_kit::credentials::basic(encoded).ok_or_else(unauthorized)?;
            users
                .iter()
                .find(|u| {
                    u.client_id == id
                        && sapland_mock_kit::credentials::same_secret(
                            u.client_secret.expose(),
                            &secret,
                        )
                })
                .map(principal)
                .ok_or_else(unauthorized)
        }
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            let client_id = bearer(token.trim()).ok_or_else(|| {
                scim_error(401, None, "Unauthorized: the token is unknown or expired")
            })?;
            users
                .iter()
                .find(|u| u.client_id == client_id)
                .map(principal)
                .ok_or_else(unauthorized)
        }
        Some(_) => Err(unauthorized()),
        None => {
            let certificate = presented.certificate.ok_or_else(unauthorized)?;
            users
                .iter()
                .find(|u| u.certificate_subject.as_deref() == Some(certificate.subject.as_str()))
                .map(principal)
                .ok_or_else(unauthorized)
        }
    }
}
