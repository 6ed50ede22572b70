//! The list response of a SCIM query.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A page of query results (RFC 7644 §3.4.2), with IAS's cursor paging (`startId`, `nextId`,
/// where `nextId` is `"end"` on the last page).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse<T> {
    /// `urn:ietf:params:scim:api:messages:2.0:ListResponse`.
    #[serde(default)]
    pub schemas: Vec<String>,
    /// How many resources match the query in all.
    pub total_results: u64,
    /// How many resources this page holds.
    pub items_per_page: Option<u64>,
    /// The 1-based index of the first resource on this page (index paging).
    pub start_index: Option<u64>,
    /// The cursor this page started at (cursor paging).
    pub start_id: Option<String>,
    /// The cursor of the next page, or `"end"`.
    pub next_id: Option<String>,
    /// The resources on this page.
    #[serde(rename = "Resources", default)]
    pub resources: Vec<T>,
    /// Members not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<T> ListResponse<T> {
    /// The cursor value IAS uses to say there is no next page.
    pub const END: &'static str = "end";

    /// A list response holding `resources` with the given total, as a server builds it.
    pub fn new(resources: Vec<T>, total_results: u64) -> Self {
        Self {
            schemas: vec![super::schemas::LIST_RESPONSE.to_string()],
            total_results,
            items_per_page: Some(resources.len() as u64),
            start_index: None,
            start_id: None,
            next_id: None,
            resources,
            extra: Map::new(),
        }
    }

    /// Whether a cursor-paged read has more pages to fetch.
    pub fn has_next_page(&self) -> bool {
        self.next_id.as_deref().is_some_and(|id| id != Self::END)
    }
}
