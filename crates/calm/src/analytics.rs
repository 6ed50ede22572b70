//! The analytics OData API: `GET /api/calm-analytics/v1/odata/v4/analytics/DataSet`
//! ([SAMPLE] `reference/cloud-alm.md` §2.6).
//!
//! The request filters by `provider`, `resolution`, `period` and an optional `query` text in
//! `$filter`, may narrow the columns with `$select`, and is paged with `$top`/`$skip`
//! (`$count=true` gives `@odata.count`). Rows are generic — `date`, dimension pairs
//! `dNk`/`dNv` and measure pairs `mNk`/`mNv` — and are turned into named maps here.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::client::Client;
use crate::error::Error;
use crate::query::Query;
use crate::scope;
use crate::send::{Answer, Call};

const DATA_SET: &str = "/api/calm-analytics/v1/odata/v4/analytics/DataSet";

/// Job & Automation Monitoring: dimensions `serviceType, serviceId, serviceName, jobType,
/// jobName, jobId`; measures `runTime, averageRunTime, executions, success, warning, aborted,
/// applicationWarning, applicationError`.
pub const DP_JOB_MONITORING: &str = "DP_JOB_MONITORING";
/// Configuration & Security Analysis stores and items.
pub const CCDB_STORE_DATA: &str = "CCDB_STORE_DATA";
/// The providers there are.
pub const PROVIDERS_LIST: &str = "PROVIDERS_LIST";

/// Rows asked for per page (**proposed**).
pub const DEFAULT_PAGE_SIZE: u32 = 1000;

/// A DataSet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsQuery {
    /// `provider`, such as [`DP_JOB_MONITORING`].
    pub provider: String,
    /// `resolution`: `5Mi`, `15Mi`, `H`, `D`, `W`, `M`.
    pub resolution: String,
    /// `period`: `L7D`, `L24H`, `C1D`, ….
    pub period: String,
    /// `query` text, such as `serviceId=<id>` or `serviceType=SAP_S4HANA` ([SAMPLE] §2.6);
    /// how several filters combine is not public (the mock takes `;` between keys and `,`
    /// between values, **proposed**).
    pub query: Option<String>,
    /// `$select` columns (`date`, `d1k`, `d1v`, …, `m1k`, `m1v`, …); all when `None`.
    pub select: Option<Vec<String>>,
    /// Rows per page (`$top`).
    pub page_size: u32,
}

impl AnalyticsQuery {
    /// A read of `provider` by day over the last 7 days (the sample's defaults).
    pub fn new(provider: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            resolution: "D".into(),
            period: "L7D".into(),
            query: None,
            select: None,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }

    /// Selects `date` and the first `dimensions` dimension and `measures` measure pairs.
    pub fn select_generic(mut self, dimensions: usize, measures: usize) -> Self {
        let mut columns = vec!["date".to_string()];
        for n in 1..=dimensions {
            columns.push(format!("d{n}k"));
            columns.push(format!("d{n}v"));
        }
        for n in 1..=measures {
            columns.push(format!("m{n}k"));
            columns.push(format!("m{n}v"));
        }
        self.select = Some(columns);
        self
    }

    /// The `$filter` text: `provider eq '…' and resolution eq '…' and period eq '…'[ and
    /// query eq '…']`, quotes doubled inside values (OData).
    pub fn filter(&self) -> String {
        let mut filter = format!(
            "provider eq {} and resolution eq {} and period eq {}",
            literal(&self.provider),
            literal(&self.resolution),
            literal(&self.period)
        );
        if let Some(query) = &self.query {
            filter.push_str(&format!(" and query eq {}", literal(query)));
        }
        filter
    }
}

/// An OData string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// One row with its dimensions and measures by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AnalyticsRow {
    /// `date`, when the row has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `dNk` → `dNv`; values that are not strings as their JSON text.
    pub dimensions: BTreeMap<String, String>,
    /// `mNk` → `mNv`.
    pub measures: BTreeMap<String, f64>,
}

impl AnalyticsRow {
    /// A dimension's value.
    pub fn dimension(&self, name: &str) -> Option<&str> {
        self.dimensions.get(name).map(String::as_str)
    }

    /// A measure's value, 0 when absent.
    pub fn measure(&self, name: &str) -> f64 {
        self.measures.get(name).copied().unwrap_or(0.0)
    }

    /// Reads a generic row. Errors name the column and what was expected.
    pub fn from_generic(row: &Value) -> Result<Self, String> {
        let Some(object) = row.as_object() else {
            return Err("a row is not an object".into());
        };
        let mut out = Self {
            date: object.get("date").and_then(text),
            ..Self::default()
        };
        for (column, name) in object {
            let Some((kind, n)) = pair_key(column) else {
                continue;
            };
            let Some(name) = name.as_str() else {
                continue;
            };
            let value_column = format!("{kind}{n}v");
            let value = object.get(&value_column).unwrap_or(&Value::Null);
            if kind == 'd' {
                if let Some(value) = text(value) {
                    out.dimensions.insert(name.to_string(), value);
                }
            } else {
                match number(value) {
                    Ok(Some(value)) => {
                        out.measures.insert(name.to_string(), value);
                    }
                    Ok(None) => {}
                    Err(()) => {
                        return Err(format!("{value_column} (measure {name}) is not a number"));
                    }
                }
            }
        }
        Ok(out)
    }
}

/// `d3k` → `('d', 3)`, `m12k` → `('m', 12)`.
fn pair_key(column: &str) -> Option<(char, u32)> {
    let kind = column.chars().next().filter(|c| matches!(c, 'd' | 'm'))?;
    let digits = column.get(1..)?.strip_suffix('k')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((kind, digits.parse().ok()?))
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

fn number(value: &Value) -> Result<Option<f64>, ()> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_f64().map(Some).ok_or(()),
        Value::String(text) => text.trim().parse().map(Some).map_err(|_| ()),
        _ => Err(()),
    }
}

/// Reads one OData page: the rows and `@odata.count`.
fn page(answer: &Answer) -> Result<(Vec<AnalyticsRow>, Option<u64>), Error> {
    let body: Value = answer.json("the analytics DataSet (OData JSON)")?;
    let Some(rows) = body.get("value").and_then(Value::as_array) else {
        return Err(answer.invalid("the analytics answer has no value array".into()));
    };
    let rows = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            AnalyticsRow::from_generic(row)
                .map_err(|reason| answer.invalid(format!("value[{index}]: {reason}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rows, body.get("@odata.count").and_then(Value::as_u64)))
}

impl Client {
    /// Every row of a DataSet read, page by page (scope [`scope::ANALYTICS_READ`]).
    pub async fn analytics(&self, query: &AnalyticsQuery) -> Result<Vec<AnalyticsRow>, Error> {
        let top = query.page_size.max(1);
        let mut skip: u64 = 0;
        let mut all = Vec::new();
        loop {
            let mut params = Query::new();
            params.push("$filter", query.filter());
            if let Some(select) = &query.select {
                params.push("$select", select.join(","));
            }
            params
                .push("$count", "true")
                .push("$top", top.to_string())
                .push("$skip", skip.to_string());
            let call = Call::new(Method::GET, DATA_SET, scope::ANALYTICS_READ).query(params);
            let answer = self.send(&call).await?;
            let (rows, total) = page(&answer)?;
            let count = rows.len() as u64;
            all.extend(rows);
            skip += count;
            let complete = total.is_some_and(|total| skip >= total);
            if count != u64::from(top) || complete {
                return Ok(all);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The Postman sample's request (§2.6), `query eq 'serviceType=SAP_S4HANA'`.
    #[test]
    fn the_filter_reads_like_the_sample() {
        let mut query = AnalyticsQuery::new(DP_JOB_MONITORING);
        query.query = Some("serviceType=SAP_S4HANA".into());
        assert_eq!(
            query.filter(),
            "provider eq 'DP_JOB_MONITORING' and resolution eq 'D' and period eq 'L7D' and query eq 'serviceType=SAP_S4HANA'"
        );
        query.query = Some("name=O'Neil".into());
        assert!(query.filter().ends_with("query eq 'name=O''Neil'"));
        let select = AnalyticsQuery::new(CCDB_STORE_DATA)
            .select_generic(2, 1)
            .select;
        assert_eq!(select.unwrap().join(","), "date,d1k,d1v,d2k,d2v,m1k,m1v");
    }

    #[test]
    fn generic_rows_become_named_maps() {
        let row = AnalyticsRow::from_generic(&json!({
            "date": "2026-11-22", "d1k": "serviceId", "d1v": "abc", "d2k": "jobType",
            "d2v": "IPS_PROVISIONING_JOB", "d3k": "count", "d3v": 3, "d4k": "empty", "d4v": null,
            "m1k": "executions", "m1v": 4, "m2k": "runTime", "m2v": "12.5", "m3k": "aborted",
            "m3v": null, "extra": "x"
        }))
        .unwrap();
        assert_eq!(row.date.as_deref(), Some("2026-11-22"));
        assert_eq!(row.dimension("serviceId"), Some("abc"));
        assert_eq!(row.dimension("jobType"), Some("IPS_PROVISIONING_JOB"));
        assert_eq!(row.dimension("count"), Some("3"));
        assert_eq!(row.dimension("empty"), None);
        assert_eq!(row.measure("executions"), 4.0);
        assert_eq!(row.measure("runTime"), 12.5);
        assert_eq!(row.measure("aborted"), 0.0);
        let error = AnalyticsRow::from_generic(&json!({"m1k": "executions", "m1v": "many"}));
        assert_eq!(
            error.unwrap_err(),
            "m1v (measure executions) is not a number"
        );
        assert!(AnalyticsRow::from_generic(&json!([1])).is_err());
    }
}
