//! One system ready for use: its resolved export, its transformation and where that came from,
//! the connector sapland runs it with, and the properties its transformation's `%property%`
//! placeholders are filled from.

use std::collections::BTreeMap;
use std::path::PathBuf;

use sapland_core::system::{IasApiVersion, ResolvedSystem, Role, SystemState};
use sapland_transform::document::Transformation;

/// What a system is, as far as the agent is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// Identity Authentication with its SCIM API version.
    Ias(IasApiVersion),
    /// sapland's local file source (`LOCAL_FILE`, **proposed**).
    LocalFile,
    /// A connector sapland does not run.
    Other,
}

/// Where a system's transformation comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransformationOrigin {
    /// The export's `transformation` member.
    Export,
    /// The export has none: this built-in template (SAP's default for the connector).
    Template(&'static str),
}

/// One system, ready for jobs.
#[derive(Debug, Clone)]
pub struct System {
    /// The export file, as found in the directory.
    pub file: PathBuf,
    /// The export with its effective properties and credentials.
    pub resolved: ResolvedSystem,
    /// The read (source) or write (target) transformation.
    pub transformation: Transformation,
    /// Where the transformation comes from.
    pub transformation_origin: TransformationOrigin,
}

impl System {
    /// The system's name.
    pub fn name(&self) -> &str {
        self.resolved.name()
    }

    /// The system's id in its export (targets name their sources by it in `relatedSystems`).
    pub fn id(&self) -> &str {
        &self.resolved.export.id
    }

    /// Source or target.
    pub fn role(&self) -> Role {
        self.resolved.role()
    }

    /// Whether jobs run for it (`state` ENABLED).
    pub fn is_enabled(&self) -> bool {
        self.resolved.export.state == SystemState::Enabled
    }

    /// The properties its transformation's `%property%` placeholders are filled from.
    pub fn substitution_properties(&self) -> BTreeMap<String, String> {
        substitution_properties(&self.resolved)
    }

    /// The connector.
    pub fn connector(&self) -> Connector {
        let connector = &self.resolved.export.connector_type;
        if connector.is_ias() {
            Connector::Ias(self.resolved.ias_api_version().unwrap_or(IasApiVersion::V1))
        } else if connector.is_local_file() {
            Connector::LocalFile
        } else {
            Connector::Other
        }
    }
}

/// The properties `%property%` is filled from (§1.11): every effective non-credential property
/// of `system` — the export's own and the catalogue's defaults for its connector and role.
/// Jobs and `sapland transform` both use this, so a transformation sees the same values in
/// either.
pub fn substitution_properties(system: &ResolvedSystem) -> BTreeMap<String, String> {
    system
        .properties
        .iter()
        .filter(|p| !p.credential)
        .map(|p| (p.name.clone(), p.value.clone()))
        .collect()
}
