//! The properties Identity Provisioning documents, with roles, defaults and limits.
//!
//! Source: SAP's *List of Properties* and the IAS connector page (`reference/ips-ias.md` §2.8);
//! entries for sapland's own `LOCAL_FILE` connector and for client certificates are `proposed`.

/// The role a system plays in a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Read from (`accessMode` READ).
    Source,
    /// Written to (`accessMode` WRITE).
    Target,
}

/// Which connector types a property belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connectors {
    /// Every connector.
    All,
    /// Every connector that talks HTTP (all but `LOCAL_FILE`).
    Http,
    /// Only `SAP_CLOUD_IDENTITY`.
    Ias,
    /// SCIM-based connectors other than IAS (`scim.*`; IAS v1 reads them as fallbacks).
    GenericScim,
    /// Only sapland's `LOCAL_FILE` (`proposed`).
    LocalFile,
}

/// The value a property takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyKind {
    /// Free text.
    Text,
    /// `true` or `false` (any letter case).
    Bool,
    /// One of the listed values; `case_sensitive` as documented for `Authentication`.
    OneOf {
        /// The allowed values.
        values: &'static [&'static str],
        /// Whether letter case must match.
        case_sensitive: bool,
    },
    /// A whole number in `min..=max`.
    Integer {
        /// Smallest allowed value.
        min: u64,
        /// Largest allowed value.
        max: u64,
        /// IPS replaces values above `max` with this one instead of failing.
        above_max_becomes: Option<u64>,
    },
    /// An `http(s)` URL.
    Url,
    /// A credential: never in exports, never shown.
    Credential,
}

/// One documented property.
#[derive(Debug, Clone, Copy)]
pub struct PropertySpec {
    /// The property name, case-sensitive.
    pub key: &'static str,
    /// The connectors it applies to.
    pub connectors: Connectors,
    /// The roles it applies to.
    pub roles: &'static [Role],
    /// The kind of value.
    pub kind: PropertyKind,
    /// The value IPS uses when the property is absent.
    pub default: Option<&'static str>,
    /// One line on what it does.
    pub summary: &'static str,
}

impl PropertySpec {
    /// Whether the property belongs to a system of this connector type and role.
    pub fn applies_to(&self, connector: &super::ConnectorType, role: Role) -> bool {
        let connector_matches = match self.connectors {
            Connectors::All => true,
            Connectors::Http => !connector.is_local_file(),
            Connectors::Ias => connector.is_ias(),
            Connectors::GenericScim => !connector.is_ias() && !connector.is_local_file(),
            Connectors::LocalFile => connector.is_local_file(),
        };
        connector_matches && self.roles.contains(&role)
    }
}

const S: &[Role] = &[Role::Source];
const T: &[Role] = &[Role::Target];
const ST: &[Role] = &[Role::Source, Role::Target];
const BOOL: PropertyKind = PropertyKind::Bool;
const TEXT: PropertyKind = PropertyKind::Text;
const POSITIVE: PropertyKind = PropertyKind::Integer {
    min: 1,
    max: u32::MAX as u64,
    above_max_becomes: None,
};

const fn spec(
    key: &'static str,
    connectors: Connectors,
    roles: &'static [Role],
    kind: PropertyKind,
    default: Option<&'static str>,
    summary: &'static str,
) -> PropertySpec {
    PropertySpec {
        key,
        connectors,
        roles,
        kind,
        default,
        summary,
    }
}

use Connectors::{All, GenericScim, Http, Ias, LocalFile};

#[rustfmt::skip]
static CATALOGUE: &[PropertySpec] = &[
    // Connection properties of HTTP systems.
    spec("Type", Http, ST, PropertyKind::OneOf { values: &["HTTP", "LDAP", "RFC"], case_sensitive: true }, None, "connection type"),
    spec("URL", Http, ST, PropertyKind::Url, None, "base URL of the system, such as https://<tenant>.accounts.ondemand.com"),
    spec("ProxyType", Http, ST, PropertyKind::OneOf { values: &["Internet", "OnPremise"], case_sensitive: true }, None, "Internet or OnPremise (through the Cloud Connector)"),
    spec("Authentication", Http, ST, PropertyKind::OneOf { values: &["NoAuthentication", "BasicAuthentication", "ClientCertificateAuthentication"], case_sensitive: true }, None, "how sapland authenticates to the system (case-sensitive)"),
    spec("User", Http, ST, TEXT, None, "client ID of the technical user (BasicAuthentication)"),
    spec("Password", Http, ST, PropertyKind::Credential, None, "client secret of the technical user (credential)"),
    spec("ClientCertificate", Http, ST, PropertyKind::Credential, None, "PEM file of the client certificate (ClientCertificateAuthentication; proposed)"),
    spec("ClientCertificateKey", Http, ST, PropertyKind::Credential, None, "PEM file of the client certificate's private key (proposed)"),
    spec("client_id", Http, ST, TEXT, None, "OAuth client ID for certificate-based token retrieval"),
    spec("OAuth2TokenServiceURL", Http, ST, PropertyKind::Url, None, "OAuth token endpoint"),
    spec("OAuth2TokenScope", Http, ST, TEXT, None, "OAuth scope to request"),
    spec("AuthType", Http, ST, PropertyKind::OneOf { values: &["Basic", "Form"], case_sensitive: true }, Some("Basic"), "how client credentials are sent to the token endpoint"),
    spec("TrustAll", Http, ST, BOOL, Some("false"), "skip TLS server certificate verification (insecure)"),
    // Identity Authentication.
    spec("ias.api.version", Ias, ST, PropertyKind::OneOf { values: &["1", "2"], case_sensitive: true }, Some("1"), "1 = IAS SCIM API (/service/scim), 2 = Identity Directory SCIM API (/scim); absent means 1"),
    spec("ias.user.filter", Ias, S, TEXT, None, "SCIM filter for the users to read"),
    spec("ias.group.filter", Ias, S, TEXT, None, "SCIM filter for the groups to read"),
    spec("ias.user.groups.paging.enabled", Ias, S, BOOL, Some("false"), "page through more than 1000 groups per user"),
    spec("ias.group.members.paging.enabled", Ias, S, BOOL, Some("false"), "page through more than 20000 members per group"),
    spec("ias.support.patch.operation", Ias, T, BOOL, Some("false"), "update with PATCH instead of PUT"),
    spec("ias.include.if.match.wildcard.header", Ias, T, BOOL, Some("false"), "send If-Match: * on every request"),
    spec("ias.content.type", Ias, T, TEXT, Some("application/scim+json"), "Content-Type of requests"),
    spec("ias.user.unique.attribute", Ias, T, TEXT, Some("userName"), "attribute(s) that find an existing user on conflict; a comma list must all match"),
    spec("ias.group.unique.attribute", Ias, T, TEXT, Some("['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']"), "attribute(s) that find an existing group on conflict"),
    spec("ias.user.automatic.conflict.resolution", Ias, T, BOOL, Some("true"), "on a 409, overwrite the existing user found by the unique attribute"),
    spec("ias.patch.group.members.above.threshold", Ias, T, PropertyKind::Integer { min: 1, max: 20_000, above_max_becomes: None }, Some("20000"), "member count above which members are sent in PATCH batches"),
    spec("ias.user.update.instead.delete", Ias, T, BOOL, Some("false"), "send deleteEntity mappings as an update instead of a DELETE"),
    spec("ias.support.bulk.operation", Ias, T, BOOL, Some("false"), "write through /Bulk"),
    spec("ias.bulk.operations.max.count", Ias, T, PropertyKind::Integer { min: 1, max: 100, above_max_becomes: Some(20) }, Some("20"), "operations per /Bulk request"),
    // Generic SCIM systems (and IAS SCIM API version 1 as a fallback).
    spec("scim.user.filter", GenericScim, S, TEXT, None, "SCIM filter for the users to read"),
    spec("scim.group.filter", GenericScim, S, TEXT, None, "SCIM filter for the groups to read"),
    spec("scim.user.unique.attribute", GenericScim, T, TEXT, Some("userName"), "attribute that finds an existing user on conflict"),
    spec("scim.group.unique.attribute", GenericScim, T, TEXT, Some("displayName"), "attribute that finds an existing group on conflict"),
    spec("scim.support.patch.operation", GenericScim, T, BOOL, Some("false"), "update with PATCH instead of PUT"),
    spec("scim.include.if.match.wildcard.header", GenericScim, T, BOOL, Some("false"), "send If-Match: * on every request"),
    spec("scim.content.type", GenericScim, T, TEXT, Some("application/scim+json"), "Content-Type of requests"),
    spec("scim.group.members.additional.attributes", GenericScim, S, TEXT, None, "member attributes to read with groups (IAS v1)"),
    // Every system.
    spec("ips.failed.request.retry.attempts", All, ST, PropertyKind::Integer { min: 0, max: 3, above_max_becomes: None }, Some("2"), "retries of a request that failed with 429, 502 or a timeout"),
    spec("ips.failed.request.retry.attempts.interval", All, ST, PropertyKind::Integer { min: 1, max: 60, above_max_becomes: None }, Some("30"), "seconds between retries"),
    spec("ips.delta.read", All, S, PropertyKind::OneOf { values: &["enabled", "disabled"], case_sensitive: false }, Some("disabled"), "read only what changed since the last successful job"),
    spec("ips.full.read.force.count", All, S, POSITIVE, None, "after this many scheduled delta reads, one full read"),
    spec("ips.delete.existedbefore.entities", All, T, BOOL, Some("false"), "allow deleting entities that existed before the first job"),
    spec("ips.delete.threshold.users", All, T, POSITIVE, None, "most users one job may delete"),
    spec("ips.delete.threshold.groups", All, T, POSITIVE, None, "most groups (or group assignments) one job may delete"),
    spec("ips.delete.threshold.roles", All, T, POSITIVE, None, "most roles one job may delete"),
    spec("ips.date.variable.format", All, ST, TEXT, Some("yyyy-MM-dd HH:mm:ss.SSS"), "format of the currentDate variable"),
    spec("ips.application.id", All, ST, TEXT, None, "application ID given to groups"),
    spec("ips.trace.failed.entity.content", All, S, BOOL, Some("false"), "log the content of failed entities (resets after the next job)"),
    spec("ips.trace.skipped.entity.content", All, S, BOOL, Some("false"), "log the content of skipped entities (resets after the next job)"),
    spec("ips.trace.created.entity.content", All, S, BOOL, Some("false"), "log the content of created entities (resets after the next job)"),
    spec("ips.trace.updated.entity.content", All, S, BOOL, Some("false"), "log the content of updated entities (resets after the next job)"),
    spec("ips.trace.skipped.entity", All, S, BOOL, Some("false"), "log skipped entities"),
    spec("ips.trace.created.entity", All, S, BOOL, Some("false"), "log created entities"),
    spec("ips.trace.updated.entity", All, S, BOOL, Some("false"), "log updated entities"),
    spec("ips.trace.deleted.entity", All, S, BOOL, Some("false"), "log deleted entities"),
    spec("ips.trace.entity.content.unlimited", All, S, BOOL, Some("false"), "log entity content beyond 150000 characters"),
    spec("ips.job.notification.repeat.on.failure", All, S, BOOL, Some("false"), "mail on every failed job, not only the first"),
    spec("ips.job.notification.ignored.consecutive.failures", All, S, PropertyKind::Integer { min: 0, max: u32::MAX as u64, above_max_becomes: None }, Some("0"), "failed jobs to pass over before mailing again"),
    spec("ips.job.notification.skip.intermediate.notifications", All, S, BOOL, Some("false"), "no 'Running with Error' mail"),
    // sapland's own properties for HTTP systems (proposed).
    spec("sapland.requests.per.minute", Http, ST, PropertyKind::Integer { min: 0, max: u32::MAX as u64, above_max_becomes: None }, None, "requests a minute sent to the system, 0 for no limit; unset: 195 for IAS, none otherwise (proposed)"),
    spec("sapland.requests.in.flight", Http, T, PropertyKind::Integer { min: 1, max: 50, above_max_becomes: None }, Some("32"), "requests a job keeps in flight to the target, at most IAS's 50 concurrent requests (proposed)"),
    // sapland's local file connector (proposed).
    spec("file.path", LocalFile, ST, TEXT, None, "the file, relative to the systems directory (proposed)"),
    spec("file.groups.path", LocalFile, ST, TEXT, None, "the file of groups, relative to the systems directory (proposed)"),
    spec("file.format", LocalFile, ST, PropertyKind::OneOf { values: &["ndjson", "json", "csv"], case_sensitive: false }, None, "ndjson, json (an array) or csv (proposed)"),
];

/// Every documented property, in catalogue order.
pub fn catalogue() -> &'static [PropertySpec] {
    CATALOGUE
}

/// The documented property with this exact (case-sensitive) name.
pub fn spec_for(key: &str) -> Option<&'static PropertySpec> {
    CATALOGUE.iter().find(|spec| spec.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = CATALOGUE.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }

    #[test]
    fn every_default_is_a_valid_value_of_its_kind() {
        for spec in CATALOGUE {
            if let Some(default) = spec.default {
                let checked = super::super::resolve::check_value(spec, default);
                assert!(checked.is_ok(), "{}: {checked:?}", spec.key);
            }
        }
    }
}
