//! Reading a source system page by page: an IAS tenant over SCIM (with its user and group
//! filters, and `meta.lastModified` for delta reads), or a local file.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use sapland_scim::{Client, Filter, ListQuery, Pager, ResourceType};
use serde_json::Value;

use sapland_core::job::EntityType;
use sapland_systems::{Connector, System};

use crate::error::ProvisionError;
use crate::records::{self, Format};

/// How many file records a page holds (IAS pages hold what the client asks, 100 by default).
/// A page is parsed and read-transformed in one go while requests wait in flight, so it stays
/// small enough for them to keep the target busy meanwhile.
const FILE_PAGE: usize = 50;

/// Where entities come from.
#[derive(Debug)]
pub enum Source {
    /// An IAS tenant (or SCIM service).
    Scim {
        /// The client.
        client: Client,
        /// `ias.user.filter` / `scim.user.filter`.
        user_filter: Option<String>,
        /// `ias.group.filter` / `scim.group.filter`.
        group_filter: Option<String>,
        /// Whether the service reads users in delta mode (IAS SCIM v2, [DOC] §2.2).
        delta_users: bool,
    },
    /// sapland's local file source (`LOCAL_FILE`, **proposed**): `file.path` holds users,
    /// `file.groups.path` groups.
    File {
        /// The users file.
        users: PathBuf,
        /// The groups file, when there is one.
        groups: Option<PathBuf>,
        /// The format of both.
        format: Format,
    },
}

/// One read of one entity type, page by page.
#[derive(Debug)]
pub enum Reading {
    /// Pages from the SCIM service.
    Scim(Box<Pager>),
    /// The records of a file, handed out in pages.
    File(records::Records),
    /// Nothing to read (no groups file).
    Empty,
}

impl Source {
    /// The source of `system`, whose files are relative to `dir`.
    pub fn of(
        system: &System,
        dir: &Path,
        client: Option<Client>,
    ) -> Result<Source, ProvisionError> {
        let resolved = &system.resolved;
        match (system.connector(), client) {
            (Connector::LocalFile, _) => {
                let format_name = resolved.value("file.format").unwrap_or("ndjson");
                let format = Format::from_name(format_name).ok_or_else(|| {
                    ProvisionError::source(format!(
                        "file.format {format_name:?}: expected ndjson, json or csv"
                    ))
                })?;
                let path = resolved
                    .value("file.path")
                    .ok_or_else(|| ProvisionError::source("a LOCAL_FILE system needs file.path"))?;
                Ok(Source::File {
                    users: dir.join(path),
                    groups: resolved.value("file.groups.path").map(|p| dir.join(p)),
                    format,
                })
            }
            (Connector::Ias(version), Some(client)) => {
                let prefix = match version {
                    sapland_core::system::IasApiVersion::V2 => "ias",
                    sapland_core::system::IasApiVersion::V1 => "scim",
                };
                let filter = |kind: &str| {
                    resolved
                        .value(&format!("{prefix}.{kind}.filter"))
                        .filter(|f| !f.trim().is_empty())
                        .map(str::to_string)
                };
                Ok(Source::Scim {
                    client,
                    user_filter: filter("user"),
                    group_filter: filter("group"),
                    delta_users: version == sapland_core::system::IasApiVersion::V2,
                })
            }
            (Connector::Ias(_), None) => {
                Err(ProvisionError::source("an IAS source needs a SCIM client"))
            }
            (Connector::Other, _) => Err(ProvisionError::source(format!(
                "sapland cannot read from connector type {}",
                resolved.export.connector_type.as_str()
            ))),
        }
    }

    /// Whether the source has entities of `entity_type` at all (a file source without
    /// `file.groups.path` has no groups).
    pub fn provides(&self, entity_type: EntityType) -> bool {
        !matches!(
            (self, entity_type),
            (Source::File { groups: None, .. }, EntityType::Group)
        )
    }

    /// Whether a delta read of `entity_type` is possible (IAS SCIM v2 users, [DOC] §2.2).
    pub fn reads_delta(&self, entity_type: EntityType) -> bool {
        matches!(
            self,
            Source::Scim {
                delta_users: true,
                ..
            }
        ) && entity_type == EntityType::User
    }

    /// Starts reading `entity_type`: everything, or with `since` only what changed after it
    /// (`meta.lastModified gt "<since>"`, combined with the source filter).
    pub fn read(
        &self,
        entity_type: EntityType,
        since: Option<Timestamp>,
    ) -> Result<Reading, ProvisionError> {
        match self {
            Source::Scim {
                client,
                user_filter,
                group_filter,
                ..
            } => {
                let (kind, filter) = match entity_type {
                    EntityType::User => (ResourceType::User, user_filter),
                    EntityType::Group => (ResourceType::Group, group_filter),
                };
                let mut combined = filter.as_ref().map(|f| Filter::raw(format!("({f})")));
                if let Some(since) = since.filter(|_| self.reads_delta(entity_type)) {
                    let delta = Filter::raw(format!("meta.lastModified gt \"{since}\""));
                    combined = Some(match combined {
                        Some(filter) => filter.and(delta),
                        None => delta,
                    });
                }
                Ok(Reading::Scim(Box::new(client.list(
                    kind,
                    ListQuery {
                        filter: combined,
                        ..ListQuery::default()
                    },
                ))))
            }
            Source::File {
                users,
                groups,
                format,
            } => {
                let path = match entity_type {
                    EntityType::User => users,
                    EntityType::Group => match groups {
                        Some(path) => path,
                        None => return Ok(Reading::Empty),
                    },
                };
                let records = records::open_file(path, *format)
                    .map_err(|err| ProvisionError::source(err.to_string()))?;
                Ok(Reading::File(records))
            }
        }
    }
}

impl Reading {
    /// The next page of entities, `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Value>>, ProvisionError> {
        match self {
            Reading::Scim(pager) => pager
                .next_page()
                .await
                .map(|page| page.map(|page| page.resources))
                .map_err(|err| {
                    ProvisionError::source(format!("the source could not be read: {err}"))
                }),
            Reading::File(records) => {
                let page = records
                    .by_ref()
                    .take(FILE_PAGE)
                    .collect::<Result<Vec<Value>, _>>()
                    .map_err(|err| {
                        ProvisionError::source(format!("the source could not be read: {err}"))
                    })?;
                Ok((!page.is_empty()).then_some(page))
            }
            Reading::Empty => Ok(None),
        }
    }
}
