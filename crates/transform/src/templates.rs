//! SAP's default transformations, shipped as built-in templates with their exact published
//! content (`reference/ips-ias.md` §1.12).
//!
//! The target templates are the JSON of a code block of SAP's help page, byte for byte except for
//! the page's block indentation (seed 001). The IAS source template is **reconstructed**: §1.12
//! lists the mappings of SAP's source default attribute by attribute, but its verbatim text is
//! not among the project's sources, so sapland writes those mappings out itself (see
//! [`Template::verbatim`]). `local-file-source` is sapland's own, for its `LOCAL_FILE` connector.

/// A default transformation SAP publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// The name sapland uses, such as `ias-target-v2`.
    pub name: &'static str,
    /// What the transformation is for.
    pub description: &'static str,
    /// Where its text comes from.
    pub source: &'static str,
    /// The JSON text.
    pub text: &'static str,
    /// Whether `text` is SAP's published text itself; false for a reconstruction from the
    /// documented list of mappings.
    pub verbatim: bool,
}

const SEED_001: &str = "SAP Help Portal, Identity Provisioning, \"Identity Authentication\" \
    (target system, docs/identity-authentication-f217bd3.md), as recorded in \
    seeds/001-ias-as-ips-target-system.txt";

/// Every template, by name.
pub const TEMPLATES: &[Template] = &[
    Template {
        name: "ias-target-v2",
        description: "Identity Authentication as a target system, SCIM API version 2 \
            (Identity Directory, ias.api.version=2): the default write transformation",
        source: SEED_001,
        text: include_str!("../templates/ias-target-v2.json"),
        verbatim: true,
    },
    Template {
        name: "ias-target-v1",
        description: "Identity Authentication as a target system, SCIM API version 1 \
            (ias.api.version=1 or unset): the default write transformation",
        source: SEED_001,
        text: include_str!("../templates/ias-target-v1.json"),
        verbatim: true,
    },
    Template {
        name: "ias-source-v2",
        description: "Identity Authentication as a source system, SCIM API version 2: the default \
            read transformation, reconstructed by sapland from SAP's documented list of its \
            mappings (not SAP's verbatim text)",
        source: "reference/ips-ias.md §1.12 \"IAS source, SCIM API v2\", which summarises SAP Help \
            Portal, Identity Provisioning, \"Identity Authentication\" (source system, \
            docs/identity-authentication-e4e25f1.md)",
        text: include_str!("../templates/ias-source-v2.json"),
        verbatim: false,
    },
    Template {
        name: "local-file-source",
        description: "sapland's local file source (LOCAL_FILE, proposed): the records as they are, \
            with entityIdSourceSystem from id, or else userName (users) / displayName (groups)",
        source: "sapland (proposed): DESIGN.md, Configuration formats — the local file source's read \
            transformation sees each record as the source JSON",
        text: include_str!("../templates/local-file-source.json"),
        verbatim: false,
    },
];

/// The JSON text of the template called `name`.
///
/// ```
/// use sapland_transform::templates;
///
/// let text = templates::get("ias-target-v2").unwrap();
/// assert!(text.contains("\"ignore\": \"true\""));
/// assert!(templates::get("no-such-template").is_none());
/// ```
pub fn get(name: &str) -> Option<&'static str> {
    find(name).map(|template| template.text)
}

/// The template called `name`, with its description and source.
pub fn find(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|template| template.name == name)
}

/// The names of all templates.
pub fn names() -> impl Iterator<Item = &'static str> {
    TEMPLATES.iter().map(|template| template.name)
}
