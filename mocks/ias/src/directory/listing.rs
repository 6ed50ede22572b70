//! Queries: filter, index paging (`startIndex`/`count`), cursor paging (`startId`/`nextId`,
//! `"end"` on the last page) and `attributes`/`excludedAttributes` ([REC]/[GH] §3.4).

use sapland_core::scim::schemas::{CORE_GROUP, CORE_USER, LIST_RESPONSE};
use sapland_core::scim::{ScimError, ScimType};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Directory, scim_error};
use crate::scim::filter::Filter;
use crate::scim::path::AttrPath;

/// The page size IAS uses when `count` is absent ([REC]).
pub const DEFAULT_COUNT: usize = 100;

/// The largest page the mock serves; a larger `count` gets this many (`proposed`: the v2
/// maximum is not public, v1's is 100).
pub const MAX_COUNT: usize = 1000;

/// The query parameters of a list request, as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    /// A SCIM filter.
    pub filter: Option<String>,
    /// 1-based index of the first result (index paging).
    pub start_index: Option<String>,
    /// Page size.
    pub count: Option<String>,
    /// `initial` or a cursor from `nextId` (cursor paging).
    pub start_id: Option<String>,
    /// Comma-separated attributes to return.
    pub attributes: Option<String>,
    /// Comma-separated attributes to leave out.
    pub excluded_attributes: Option<String>,
}

/// What a list page holds before it is rendered.
struct Page {
    total: usize,
    resources: Vec<Value>,
    start_index: Option<usize>,
    cursor: Option<(String, String)>,
}

impl Directory {
    /// `GET /Users`.
    pub fn list_users(&self, query: &ListQuery) -> Result<Value, ScimError> {
        let filter = parse_filter(query.filter.as_deref())?;
        let ids: Vec<&String> = match filter.as_ref().and_then(Filter::as_simple_eq) {
            Some((path, value))
                if path.urn.is_none()
                    && path.attr.eq_ignore_ascii_case("userName")
                    && path.sub_attr.is_none() =>
            {
                self.user_id_by_user_name(value)
                    .and_then(|id| self.users.get_key_value(id))
                    .map(|(k, _)| k)
                    .into_iter()
                    .collect()
            }
            _ => {
                let needs_groups = query
                    .filter
                    .as_deref()
                    .is_some_and(|f| f.to_ascii_lowercase().contains("groups"));
                self.users
                    .iter()
                    .filter(|(id, user)| match &filter {
                        None => true,
                        Some(filter) if needs_groups => {
                            self.served_user(id).is_some_and(|u| filter.matches(&u))
                        }
                        Some(filter) => filter.matches(&user.value()),
                    })
                    .map(|(id, _)| id)
                    .collect()
            }
        };
        let page = paginate(&ids, query)?;
        let resources = page.iter().filter_map(|id| self.listed_user(id)).collect();
        render(
            Page {
                resources,
                ..page.into_page(ids.len())
            },
            query,
            CORE_USER,
        )
    }

    /// `GET /Groups`.
    pub fn list_groups(&self, query: &ListQuery) -> Result<Value, ScimError> {
        let filter = parse_filter(query.filter.as_deref())?;
        let ids: Vec<&String> = self
            .groups
            .iter()
            .filter(|(_, group)| filter.as_ref().is_none_or(|f| f.matches(group)))
            .map(|(id, _)| id)
            .collect();
        let page = paginate(&ids, query)?;
        let resources = page
            .iter()
            .filter_map(|id| self.groups.get(*id).cloned())
            .collect();
        render(
            Page {
                resources,
                ..page.into_page(ids.len())
            },
            query,
            CORE_GROUP,
        )
    }
}

fn parse_filter(text: Option<&str>) -> Result<Option<Filter>, ScimError> {
    text.filter(|t| !t.trim().is_empty())
        .map(|t| {
            Filter::parse(t)
                .map_err(|err| scim_error(400, Some(ScimType::InvalidFilter), err.to_string()))
        })
        .transpose()
}

/// The ids on the requested page and how it was addressed.
struct Selection<'a> {
    ids: Vec<&'a String>,
    start_index: Option<usize>,
    cursor: Option<(String, String)>,
}

impl<'a> Selection<'a> {
    fn iter(&self) -> impl Iterator<Item = &&'a String> {
        self.ids.iter()
    }

    fn into_page(self, total: usize) -> Page {
        Page {
            total,
            resources: Vec::new(),
            start_index: self.start_index,
            cursor: self.cursor,
        }
    }
}

fn number(name: &str, text: Option<&str>) -> Result<Option<i64>, ScimError> {
    text.map(|t| {
        t.trim().parse::<i64>().map_err(|_| {
            scim_error(
                400,
                Some(ScimType::InvalidValue),
                format!("{name} must be an integer, got {t:?}"),
            )
        })
    })
    .transpose()
}

fn paginate<'a>(ids: &[&'a String], query: &ListQuery) -> Result<Selection<'a>, ScimError> {
    let count = number("count", query.count.as_deref())?
        .map_or(DEFAULT_COUNT, |c| (c.max(0) as usize).min(MAX_COUNT));
    if let Some(start_id) = query.start_id.as_deref() {
        let from = if start_id == "initial" {
            0
        } else {
            ids.iter()
                .position(|id| id.as_str() >= start_id)
                .unwrap_or(ids.len())
        };
        let end = (from + count).min(ids.len());
        let next = ids
            .get(end)
            .map_or_else(|| "end".to_string(), |id| (*id).clone());
        return Ok(Selection {
            ids: ids[from..end].to_vec(),
            start_index: None,
            cursor: Some((start_id.to_string(), next)),
        });
    }
    let start =
        number("startIndex", query.start_index.as_deref())?.map_or(1, |s| s.max(1) as usize);
    let from = (start - 1).min(ids.len());
    let end = (from + count).min(ids.len());
    Ok(Selection {
        ids: ids[from..end].to_vec(),
        start_index: Some(start),
        cursor: None,
    })
}

fn render(page: Page, query: &ListQuery, core_schema: &'static str) -> Result<Value, ScimError> {
    let projection = Projection::parse(query, core_schema)?;
    let resources: Vec<Value> = page
        .resources
        .into_iter()
        .map(|r| projection.apply(r))
        .collect();
    let mut list = json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": page.total,
        "itemsPerPage": resources.len(),
    });
    let object = list.as_object_mut().expect("a JSON object literal");
    if let Some(start) = page.start_index {
        object.insert("startIndex".into(), start.into());
    }
    if let Some((start_id, next_id)) = page.cursor {
        object.insert("startId".into(), start_id.into());
        object.insert("nextId".into(), next_id.into());
    }
    object.insert("Resources".into(), Value::Array(resources));
    Ok(list)
}

/// `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5): `id` and `schemas` always stay.
/// Extension attributes are named with their schema, `urn:…:User:userUuid` (IAS since
/// 2025-01-14); a bare extension URN names the whole extension.
#[derive(Debug, Default)]
pub struct Projection {
    only: Vec<AttrPath>,
    without: Vec<AttrPath>,
    core_schema: &'static str,
}

/// What a list of paths says about one attribute.
enum Named<'a> {
    Not,
    Whole,
    Subs(Vec<&'a str>),
}

impl Projection {
    /// Reads the two query parameters.
    pub fn parse(query: &ListQuery, core_schema: &'static str) -> Result<Self, ScimError> {
        let list = |name: &str, text: Option<&str>| -> Result<Vec<AttrPath>, ScimError> {
            text.into_iter()
                .flat_map(|t| t.split(','))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| {
                    AttrPath::parse(t).map_err(|err| {
                        scim_error(400, Some(ScimType::InvalidValue), format!("{name}: {err}"))
                    })
                })
                .collect()
        };
        Ok(Self {
            only: list("attributes", query.attributes.as_deref())?,
            without: list("excludedAttributes", query.excluded_attributes.as_deref())?,
            core_schema,
        })
    }

    /// Whether the projection leaves resources as they are (no `attributes` were asked for).
    pub fn is_identity(&self) -> bool {
        self.only.is_empty() && self.without.is_empty()
    }

    /// The resource as the projection shows it.
    pub fn apply(&self, resource: Value) -> Value {
        if self.only.is_empty() && self.without.is_empty() {
            return resource;
        }
        let Value::Object(object) = resource else {
            return resource;
        };
        let mut out = Map::new();
        for (key, value) in object {
            let always = key.eq_ignore_ascii_case("id") || key.eq_ignore_ascii_case("schemas");
            let kept = if always {
                Some(value)
            } else if key.to_ascii_lowercase().starts_with("urn:") {
                self.extension(&key, value)
            } else {
                self.attribute(None, &key, value)
            };
            if let Some(value) = kept {
                out.insert(key, value);
            }
        }
        Value::Object(out)
    }

    fn extension(&self, urn: &str, value: Value) -> Option<Value> {
        let whole = |paths: &[AttrPath]| paths.iter().any(|p| names_extension(p, urn));
        if whole(&self.without) {
            return None;
        }
        let Value::Object(members) = value else {
            return Some(value);
        };
        let keep_all = self.only.is_empty() || whole(&self.only);
        let mut out = Map::new();
        for (key, member_value) in members {
            let kept = if keep_all {
                self.excluded(Some(urn), &key, member_value)
            } else {
                self.attribute(Some(urn), &key, member_value)
            };
            if let Some(v) = kept {
                out.insert(key, v);
            }
        }
        (keep_all || !out.is_empty()).then_some(Value::Object(out))
    }

    fn attribute(&self, urn: Option<&str>, key: &str, value: Value) -> Option<Value> {
        let value = if self.only.is_empty() {
            value
        } else {
            match self.named(&self.only, urn, key) {
                Named::Not => return None,
                Named::Whole => value,
                Named::Subs(subs) => strip_subs(value, &subs, true),
            }
        };
        self.excluded(urn, key, value)
    }

    fn excluded(&self, urn: Option<&str>, key: &str, value: Value) -> Option<Value> {
        match self.named(&self.without, urn, key) {
            Named::Not => Some(value),
            Named::Whole => None,
            Named::Subs(subs) => Some(strip_subs(value, &subs, false)),
        }
    }

    /// Whether `paths` name attribute `key` of schema `urn` (None = core), whole or in parts.
    fn named<'p>(&self, paths: &'p [AttrPath], urn: Option<&str>, key: &str) -> Named<'p> {
        let matching: Vec<&AttrPath> = paths
            .iter()
            .filter(|p| p.attr.eq_ignore_ascii_case(key))
            .filter(|p| match (p.urn.as_deref(), urn) {
                (None, None) => true,
                (Some(u), None) => u.eq_ignore_ascii_case(self.core_schema),
                (Some(u), Some(wanted)) => u.eq_ignore_ascii_case(wanted),
                (None, Some(_)) => false,
            })
            .collect();
        if matching.is_empty() {
            Named::Not
        } else if matching.iter().any(|p| p.sub_attr.is_none()) {
            Named::Whole
        } else {
            Named::Subs(
                matching
                    .iter()
                    .filter_map(|p| p.sub_attr.as_deref())
                    .collect(),
            )
        }
    }
}

/// Whether a parsed path is a bare extension URN (the parser reads its last segment as the
/// attribute).
fn names_extension(path: &AttrPath, urn: &str) -> bool {
    path.sub_attr.is_none()
        && path
            .urn
            .as_deref()
            .is_some_and(|u| format!("{u}:{}", path.attr).eq_ignore_ascii_case(urn))
}

/// Keeps (`keep = true`) or drops the named sub-attributes of a complex or multi-valued value.
fn strip_subs(value: Value, subs: &[&str], keep: bool) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter(|(k, _)| subs.iter().any(|s| s.eq_ignore_ascii_case(k)) == keep)
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| strip_subs(item, subs, keep))
                .collect(),
        ),
        other => other,
    }
}
