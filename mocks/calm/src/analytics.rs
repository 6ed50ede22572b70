//! The analytics OData `DataSet` (reference §2.6): generic rows of `date`, dimension pairs
//! `dNk`/`dNv` and measure pairs `mNk`/`mNv`, chosen by `$filter=provider eq '…' and resolution
//! eq '…' and period eq '…' and query eq '…'`. The mock serves `DP_JOB_MONITORING`,
//! `CCDB_STORE_DATA` and `PROVIDERS_LIST`.
//!
//! **Proposed** where the reference is silent: `date` is the bucket's start in RFC 3339 (UTC);
//! `resolution` defaults to `D` and `period` to `L7D`; `query` holds `key=value` filters on the
//! provider's dimensions, several values separated by `,` and several keys by `;`, an unknown key
//! answering 400 `Unknown filter`; `CCDB_STORE_DATA` is a snapshot (the current items, whatever
//! the period); `$filter` members other than the four are ignored, as the real service ignores
//! filters on non-filterable fields (3P).

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::config::RatingRules;
use crate::jam::aggregate::{self, DIMENSIONS as JOB_DIMENSIONS, MEASURES as JOB_MEASURES};
use crate::period;
use crate::tenant::Tenant;

/// The providers the mock serves, with a description.
pub const PROVIDERS: [(&str, &str); 3] = [
    ("DP_JOB_MONITORING", "Job & Automation Monitoring"),
    (
        "CCDB_STORE_DATA",
        "Configuration & Security Analysis store data",
    ),
    ("PROVIDERS_LIST", "The providers of this API"),
];

/// The dimensions of `CCDB_STORE_DATA` (reference §2.10, `itemKey` and `itemValue` **proposed**).
pub const CCDB_DIMENSIONS: [&str; 10] = [
    "serviceId",
    "serviceName",
    "storeName",
    "storeType",
    "sciId",
    "elementDate",
    "elementStatus",
    "elementModification",
    "itemKey",
    "itemValue",
];

/// The measures of `CCDB_STORE_DATA` the mock computes.
pub const CCDB_MEASURES: [&str; 2] = ["numChanges", "numItems"];

/// Reads `$filter`: `<name> eq '<value>'` conditions joined by `and` (a quote inside a value is
/// doubled, as OData writes it).
pub fn parse_filter(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut conditions = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if name_len == 0 {
            return Err(invalid(text, rest, "a property name"));
        }
        let name = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        rest = rest
            .strip_prefix("eq ")
            .ok_or_else(|| invalid(text, rest, "eq (the only operator the DataSet takes)"))?
            .trim_start();
        let mut chars = rest.char_indices();
        if !matches!(chars.next(), Some((_, '\''))) {
            return Err(invalid(text, rest, "a quoted value such as 'L7D'"));
        }
        let mut value = String::new();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c != '\'' {
                value.push(c);
                continue;
            }
            if rest[i + 1..].starts_with('\'') {
                value.push('\'');
                chars.next();
            } else {
                end = Some(i + 1);
                break;
            }
        }
        let end = end.ok_or_else(|| invalid(text, rest, "a closing quote"))?;
        conditions.push((name.to_string(), value));
        rest = rest[end..].trim_start();
        if rest.is_empty() {
            return Ok(conditions);
        }
        rest = rest
            .strip_prefix("and ")
            .ok_or_else(|| invalid(text, rest, "and, or the end of the filter"))?
            .trim_start();
    }
}

fn invalid(text: &str, rest: &str, expected: &str) -> String {
    let position = text.len() - rest.len();
    format!("Invalid $filter at position {position}: expected {expected}")
}

/// The `dNk/dNv/mNk/mNv` row of a date, dimensions and measures.
fn row(
    date: Option<Timestamp>,
    dimensions: &[(&str, String)],
    measures: &[(&str, Value)],
) -> Value {
    let mut map = Map::new();
    if let Some(date) = date {
        map.insert("date".into(), json!(date));
    }
    for (i, (key, value)) in dimensions.iter().enumerate() {
        map.insert(format!("d{}k", i + 1), json!(key));
        map.insert(format!("d{}v", i + 1), json!(value));
    }
    for (i, (key, value)) in measures.iter().enumerate() {
        map.insert(format!("m{}k", i + 1), json!(key));
        map.insert(format!("m{}v", i + 1), value.clone());
    }
    Value::Object(map)
}

/// Reads `query`: `key=value[,value…][;key=…]`.
fn parse_query(text: &str, dimensions: &[&str]) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut filters = Vec::new();
    for part in text.split([';', '&']).filter(|p| !p.trim().is_empty()) {
        let (key, values) = part
            .split_once('=')
            .ok_or_else(|| format!("Invalid query {part:?}: expected key=value"))?;
        let key = key.trim();
        if !dimensions.contains(&key) {
            return Err(format!("Unknown filter {key}"));
        }
        let values = values.split(',').map(|v| v.trim().to_string()).collect();
        filters.push((key.to_string(), values));
    }
    Ok(filters)
}

fn matches(filters: &[(String, Vec<String>)], dimensions: &[(&str, String)]) -> bool {
    filters.iter().all(|(key, values)| {
        dimensions
            .iter()
            .find(|(name, _)| name == key)
            .is_some_and(|(_, value)| values.contains(value))
    })
}

/// The rows of `DataSet` for a `$filter`, at landscape time `now`.
pub fn dataset(
    tenant: &Tenant,
    rules: &RatingRules,
    filter: &str,
    now: Timestamp,
) -> Result<Vec<Value>, String> {
    let conditions = parse_filter(filter)?;
    let get = |name: &str| {
        conditions
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let provider =
        get("provider").ok_or("The $filter must name a provider: provider eq '<name>'")?;
    match provider {
        "DP_JOB_MONITORING" => {
            let filters = parse_query(get("query").unwrap_or(""), &JOB_DIMENSIONS)?;
            let resolution_text = get("resolution").unwrap_or("D");
            let resolution = period::resolution(resolution_text).ok_or_else(|| {
                format!("Invalid resolution {resolution_text:?}: expected 5Mi, 15Mi, H, D, W or M")
            })?;
            let period_text = get("period").unwrap_or("L7D");
            let window = period::semantic(period_text, now).ok_or_else(|| {
                format!("Invalid period {period_text:?}: expected a time semantic such as L7D, L1M or C1D")
            })?;
            let rows = aggregate::aggregate(&tenant.executions, rules, window, resolution)
                .into_iter()
                .filter_map(|bucket| {
                    let dimensions: Vec<(&str, String)> = JOB_DIMENSIONS
                        .iter()
                        .copied()
                        .zip(bucket.dimensions.iter().cloned())
                        .collect();
                    if !matches(&filters, &dimensions) {
                        return None;
                    }
                    let measures: Vec<(&str, Value)> = JOB_MEASURES
                        .iter()
                        .filter_map(|m| bucket.measures.value(m).map(|v| (*m, v)))
                        .collect();
                    Some(row(Some(bucket.bucket), &dimensions, &measures))
                })
                .collect();
            Ok(rows)
        }
        "CCDB_STORE_DATA" => {
            let filters = parse_query(get("query").unwrap_or(""), &CCDB_DIMENSIONS)?;
            let rows = tenant
                .csa
                .current_items()
                .into_iter()
                .filter_map(|current| {
                    let snapshot = current.snapshot;
                    let modification = serde_json::to_value(current.modification)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    let values = [
                        current.store.service_id.clone(),
                        tenant.service_name(&current.store.service_id),
                        current.store.store_name.clone(),
                        snapshot.store_type.clone(),
                        snapshot.sci_id.clone(),
                        snapshot.element_date.clone(),
                        "CURRENT".to_string(),
                        modification,
                        current.item.key.clone(),
                        current.item.value.clone(),
                    ];
                    let dimensions: Vec<(&str, String)> =
                        CCDB_DIMENSIONS.iter().copied().zip(values).collect();
                    if !matches(&filters, &dimensions) {
                        return None;
                    }
                    let measures = [
                        ("numChanges", json!(current.changes)),
                        ("numItems", json!(1)),
                    ];
                    Some(row(
                        period::compact(&snapshot.element_date),
                        &dimensions,
                        &measures,
                    ))
                })
                .collect();
            Ok(rows)
        }
        "PROVIDERS_LIST" => Ok(PROVIDERS
            .iter()
            .map(|(name, description)| {
                row(
                    None,
                    &[
                        ("provider", (*name).to_string()),
                        ("description", (*description).to_string()),
                    ],
                    &[],
                )
            })
            .collect()),
        other => Err(format!(
            "Unknown provider {other}; the mock serves {}",
            PROVIDERS.map(|(name, _)| name).join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_conditions_joined_by_and() {
        assert_eq!(
            parse_filter(
                "provider eq 'DP_JOB_MONITORING' and period eq 'L7D' and query eq 'serviceId=a''b'"
            )
            .unwrap(),
            [
                ("provider".to_string(), "DP_JOB_MONITORING".to_string()),
                ("period".to_string(), "L7D".to_string()),
                ("query".to_string(), "serviceId=a'b".to_string()),
            ]
        );
        assert_eq!(
            parse_filter("provider ne 'x'").unwrap_err(),
            "Invalid $filter at position 9: expected eq (the only operator the DataSet takes)"
        );
        assert!(parse_filter("provider eq 'x").is_err());
        assert!(parse_filter("provider eq 'x' or period eq 'L7D'").is_err());
        assert!(parse_filter("").is_err());
    }

    #[test]
    fn queries_filter_on_dimensions() {
        let filters = parse_query("serviceId=a,b;jobType=T", &JOB_DIMENSIONS).unwrap();
        assert!(matches(
            &filters,
            &[("serviceId", "b".into()), ("jobType", "T".into())]
        ));
        assert!(!matches(
            &filters,
            &[("serviceId", "c".into()), ("jobType", "T".into())]
        ));
        assert_eq!(
            parse_query("colour=red", &JOB_DIMENSIONS).unwrap_err(),
            "Unknown filter colour"
        );
    }
}
