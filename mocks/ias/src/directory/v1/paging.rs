//! v1 paging: index paging (`startIndex`, `count`) and id paging (`startId`, `nextId`,
//! `end`), at most 100 resources a page, and the list response a page is answered with.

use std::cmp::Ordering;

use sapland_core::scim::ScimError;
use sapland_core::scim::schemas::LIST_RESPONSE;
use serde_json::{Map, Value, json};

use super::errors::bad_value;
use super::ids::id_order;
use crate::directory::ListQuery;

/// The most resources a v1 page holds, and the page size when `count` is absent ([DOC]).
const MAX_COUNT: usize = 100;

/// Where a v1 page starts.
#[derive(Debug, Clone)]
enum Start {
    /// `startIndex`, 1-based.
    Index(usize),
    /// `startId`: `initial` or a resource id.
    Id(String),
}

/// The paging parameters of a v1 list request.
#[derive(Debug, Clone)]
pub(super) struct Paging {
    count: usize,
    start: Start,
}

impl Paging {
    /// Reads `count`, `startIndex` and `startId`: count 100 by default and at most 100, a
    /// negative count is 0, a start index below 1 is 1 ([DOC] users search).
    pub(super) fn parse(query: &ListQuery, kind: &str) -> Result<Self, ScimError> {
        let count = match query.count.as_deref() {
            None => MAX_COUNT,
            Some(text) => usize::try_from(parse_integer("count", text)?.max(0))
                .unwrap_or(MAX_COUNT)
                .min(MAX_COUNT),
        };
        let start = match query.start_id.as_deref().map(str::trim) {
            Some("") => {
                return Err(bad_value(format!(
                    "startId must be initial or the id of a {kind}, got an empty value"
                )));
            }
            Some(id) => Start::Id(id.to_string()),
            None => Start::Index(match query.start_index.as_deref() {
                None => 1,
                Some(text) => {
                    usize::try_from(parse_integer("startIndex", text)?.max(1)).unwrap_or(1)
                }
            }),
        };
        Ok(Self { count, start })
    }

    /// The list response for resources `found` as (v1 id, v2 id), sorted by v1 id.
    pub(super) fn render(
        &self,
        found: &[(&str, &str)],
        view: impl Fn(&str) -> Option<Value>,
    ) -> Value {
        let from = match &self.start {
            Start::Index(index) => (index - 1).min(found.len()),
            Start::Id(id) if id.eq_ignore_ascii_case("initial") => 0,
            Start::Id(id) => found.partition_point(|(v1, _)| id_order(v1, id) == Ordering::Less),
        };
        let to = from.saturating_add(self.count).min(found.len());
        let resources: Vec<Value> = found[from..to]
            .iter()
            .filter_map(|(_, uuid)| view(uuid))
            .collect();
        let mut list = Map::new();
        list.insert("schemas".into(), json!([LIST_RESPONSE]));
        list.insert("totalResults".into(), found.len().into());
        list.insert("itemsPerPage".into(), resources.len().into());
        match &self.start {
            Start::Index(index) => {
                list.insert("startIndex".into(), (*index).into());
            }
            Start::Id(id) => {
                list.insert("startId".into(), id.clone().into());
                let next = found.get(to).map_or("end", |(v1, _)| v1);
                list.insert("nextId".into(), next.into());
            }
        }
        list.insert("Resources".into(), Value::Array(resources));
        Value::Object(list)
    }
}

/// A query parameter that must be an integer.
fn parse_integer(name: &str, text: &str) -> Result<i64, ScimError> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| bad_value(format!("{name} must be an integer, got {text:?}")))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::directory::v1::fixtures::{create, directory, query, status_and_detail};

    #[test]
    fn cursor_paging_ends_with_end_and_index_paging_clamps_count() {
        let mut directory = directory();
        for i in 1..=5 {
            create(
                &mut directory,
                &format!("u{i}"),
                &format!("u{i}@example.com"),
            );
        }
        let page = directory
            .v1_list_users(&query(&[("startId", "initial"), ("count", "2")]))
            .expect("a page");
        assert_eq!(page["startId"], "initial");
        assert_eq!(page["nextId"], "P000003");
        assert_eq!(page["itemsPerPage"], 2);
        assert_eq!(page["totalResults"], 5);
        let page = directory
            .v1_list_users(&query(&[("startId", "P000005"), ("count", "2")]))
            .expect("a page");
        assert_eq!(page["Resources"][0]["id"], "P000005");
        assert_eq!(page["nextId"], "end");
        let page = directory
            .v1_list_users(&query(&[("count", "-3")]))
            .expect("a page");
        assert_eq!(
            (page["totalResults"].clone(), page["itemsPerPage"].clone()),
            (json!(5), json!(0))
        );
        let page = directory
            .v1_list_users(&query(&[("startIndex", "0"), ("count", "1000")]))
            .expect("a page");
        assert_eq!(page["startIndex"], 1);
        assert_eq!(page["itemsPerPage"], 5);
        let error = directory
            .v1_list_users(&query(&[("count", "ten")]))
            .expect_err("refused");
        assert_eq!(
            status_and_detail(&error),
            (400, "count must be an integer, got \"ten\"".into())
        );
    }

    #[test]
    fn count_is_at_most_one_hundred() {
        let mut directory = directory();
        for i in 0..101 {
            create(
                &mut directory,
                &format!("u{i}"),
                &format!("u{i}@example.com"),
            );
        }
        let page = directory
            .v1_list_users(&query(&[("startId", "initial"), ("count", "500")]))
            .expect("a page");
        assert_eq!(page["itemsPerPage"], 100);
        assert_eq!(page["nextId"], "P000101");
    }
}
