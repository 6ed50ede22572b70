//! Reading a whole list page by page, so that 100 000 users are never held at once.
//!
//! IAS (v1 and v2) pages by cursor: `startId=initial`, then `startId=<nextId>` until `nextId`
//! is `end` ([DOC] §3.3, [GH] §3.4). Generic SCIM pages by index: `startIndex=1`, then the
//! next index until `totalResults` ([RFC 7644 §3.4.2.4]). The page size is the client's
//! (default 100, IAS's own default [REC]; at most 100 on IAS v1 [DOC]).

use reqwest::Method;
use sapland_core::scim::ListResponse;
use serde_json::Value;

use crate::client::{ClassifyCategory, Client, ResourceType, segments};
use crate::dialect::Paging;
use crate::error::{Error, ErrorKind};
use crate::filter::Filter;
use crate::send::Call;

/// What to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListQuery {
    /// Only resources that match.
    pub filter: Option<Filter>,
    /// Only these attributes (`attributes`; extension attributes as `urn:…:name`).
    pub attributes: Vec<String>,
    /// Not these attributes (`excludedAttributes`).
    pub excluded_attributes: Vec<String>,
    /// The page size; the client's when absent.
    pub page_size: Option<u32>,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The resources on the page.
    pub resources: Vec<Value>,
    /// How many resources match in all, as the service counts them.
    pub total_results: u64,
}

/// Walks a list page by page: call [`Pager::next_page`] until it gives `None`.
#[derive(Debug)]
pub struct Pager {
    client: Client,
    kind: ResourceType,
    query: ListQuery,
    /// A filter the service cannot apply (IAS v1 groups), applied here instead.
    local_filter: Option<Filter>,
    position: Position,
    total: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    Cursor(String),
    Index(u64),
    Done,
}

impl Pager {
    pub(crate) fn new(client: Client, kind: ResourceType, mut query: ListQuery) -> Self {
        let dialect = client.inner.dialect;
        let local_filter = if kind == ResourceType::Group && !dialect.filters_groups() {
            query.filter.take()
        } else {
            None
        };
        let position = match dialect.paging() {
            Paging::Cursor => Position::Cursor("initial".into()),
            Paging::Index => Position::Index(1),
        };
        Self {
            client,
            kind,
            query,
            local_filter,
            position,
            total: None,
        }
    }

    /// How many resources match in all, once the first page is read.
    pub fn total_results(&self) -> Option<u64> {
        self.total
    }

    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Page>, Error> {
        let inner = &self.client.inner;
        let page_size = self.query.page_size.unwrap_or(inner.page_size).max(1);
        let page_size = inner
            .dialect
            .max_page_size()
            .map_or(page_size, |max| page_size.min(max));
        let mut query: Vec<(&'static str, String)> = Vec::new();
        match &self.position {
            Position::Done => return Ok(None),
            Position::Cursor(cursor) => query.push(("startId", cursor.clone())),
            Position::Index(index) => query.push(("startIndex", index.to_string())),
        }
        query.push(("count", page_size.to_string()));
        if let Some(filter) = self
            .query
            .filter
            .as_ref()
            .filter(|f| !f.as_str().is_empty())
        {
            query.push(("filter", filter.as_str().to_string()));
        }
        if !self.query.attributes.is_empty() {
            query.push(("attributes", self.query.attributes.join(",")));
        }
        if !self.query.excluded_attributes.is_empty() {
            query.push((
                "excludedAttributes",
                self.query.excluded_attributes.join(","),
            ));
        }
        let segments = segments(self.kind, None);
        if let Some(filter) = &self.local_filter
            && filter.matches(&Value::Null).is_none()
        {
            return Err(inner.refuse(
                Method::GET,
                &segments,
                format!(
                    "{} cannot filter groups and the filter {filter} is not a conjunction of eq terms the client can apply",
                    inner.dialect
                ),
            ));
        }
        let answer = inner
            .send(Call {
                method: Method::GET,
                segments: segments.clone(),
                query,
                body: None,
            })
            .await?;
        let invalid = |reason: String| Error {
            kind: Box::new(ErrorKind::InvalidResponse {
                status: answer.status,
                reason,
            }),
            method: "GET".into(),
            path: inner.url(&segments).path().to_string(),
            attempts: 1,
        };
        let list: ListResponse<Value> = serde_json::from_slice(&answer.body).map_err(|err| {
            invalid(format!(
                "the body is not a list response ({})",
                err.classify_category()
            ))
        })?;
        self.total = Some(list.total_results);
        let received = list.resources.len() as u64;
        self.position = match &self.position {
            Position::Cursor(cursor) => match list.next_id.as_deref() {
                None | Some(ListResponse::<Value>::END) => {
                    if list.next_id.is_none()
                        && received < list.total_results
                        && cursor == "initial"
                    {
                        return Err(invalid(
                            "the service pages without nextId; use the generic SCIM 2.0 dialect"
                                .into(),
                        ));
                    }
                    Position::Done
                }
                Some(next) if next == cursor => {
                    return Err(invalid(format!("the cursor {next:?} does not advance")));
                }
                Some(next) => Position::Cursor(next.to_string()),
            },
            Position::Index(index) => {
                let next = index + received;
                if received == 0 || next > list.total_results {
                    Position::Done
                } else {
                    Position::Index(next)
                }
            }
            Position::Done => Position::Done,
        };
        let resources = match &self.local_filter {
            Some(filter) => list
                .resources
                .into_iter()
                .filter(|r| filter.matches(r) == Some(true))
                .collect(),
            None => list.resources,
        };
        Ok(Some(Page {
            resources,
            total_results: list.total_results,
        }))
    }

    /// Every remaining resource in one vector (for small results such as lookups).
    pub async fn collect_all(mut self) -> Result<Vec<Value>, Error> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page.resources);
        }
        Ok(all)
    }
}
