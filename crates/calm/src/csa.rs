//! Configuration & Security Analysis: pushing store snapshots (**proposed**,
//! `reference/cloud-alm.md` §2.10: no push API is public) and reading them back through the
//! analytics provider `CCDB_STORE_DATA` ([SAMPLE] §2.10), where Cloud ALM marks each item
//! `elementStatus` `CURRENT` and `elementModification` `INITIAL`, `ADDED` or `UPDATED`.

use jiff::Timestamp;
use reqwest::Method;
use serde::{Serialize, Serializer};

use crate::analytics::{AnalyticsQuery, AnalyticsRow, CCDB_STORE_DATA};
use crate::client::Client;
use crate::error::Error;
use crate::query::Query;
use crate::scope;
use crate::send::Call;
use crate::window;

const STORES: &str = "/api/calm-csa/v1/stores";

/// The `storeType` of key/value stores.
pub const PROPERTY_STORE: &str = "PROPERTY";

/// The stores of one service at one moment: the body of a CSA push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsaSnapshot {
    /// The LMS ID of the service.
    pub service_id: String,
    /// Its stores.
    pub stores: Vec<CsaStore>,
}

/// One configuration store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsaStore {
    /// Its name, such as `ABAP_PROFILE_PARAMETERS`.
    pub store_name: String,
    /// [`PROPERTY_STORE`].
    pub store_type: String,
    /// The configuration item type, such as `ABAP`.
    pub sci_id: String,
    /// When the snapshot was taken (`YYYYMMDDHHmmss` UTC on the wire).
    #[serde(serialize_with = "compact_time")]
    pub element_date: Timestamp,
    /// The items.
    pub items: Vec<CsaItem>,
}

/// One configuration item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CsaItem {
    /// Its key, such as `login/min_password_lng`.
    pub key: String,
    /// Its value.
    pub value: String,
}

fn compact_time<S: Serializer>(at: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&window::format_time(*at))
}

/// One item as `CCDB_STORE_DATA` reports it (dimensions by name; `itemKey`/`itemValue`
/// **proposed**).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsaItemRow {
    /// `serviceId`.
    pub service_id: Option<String>,
    /// `serviceName`.
    pub service_name: Option<String>,
    /// `storeName`.
    pub store_name: Option<String>,
    /// `storeType`.
    pub store_type: Option<String>,
    /// `sciId`.
    pub sci_id: Option<String>,
    /// `elementDate`.
    pub element_date: Option<String>,
    /// `elementStatus` (`CURRENT`).
    pub element_status: Option<String>,
    /// `elementModification` (`INITIAL`, `ADDED`, `UPDATED`).
    pub element_modification: Option<String>,
    /// `itemKey`.
    pub item_key: Option<String>,
    /// `itemValue`.
    pub item_value: Option<String>,
    /// The measure `numChanges`.
    pub num_changes: f64,
    /// The measure `numItems`.
    pub num_items: f64,
}

impl CsaItemRow {
    /// Reads an analytics row of `CCDB_STORE_DATA`.
    pub fn from_row(row: &AnalyticsRow) -> Self {
        let dimension = |name: &str| row.dimension(name).map(str::to_string);
        Self {
            service_id: dimension("serviceId"),
            service_name: dimension("serviceName"),
            store_name: dimension("storeName"),
            store_type: dimension("storeType"),
            sci_id: dimension("sciId"),
            element_date: dimension("elementDate"),
            element_status: dimension("elementStatus"),
            element_modification: dimension("elementModification"),
            item_key: dimension("itemKey"),
            item_value: dimension("itemValue"),
            num_changes: row.measure("numChanges"),
            num_items: row.measure("numItems"),
        }
    }
}

impl Client {
    /// Pushes a snapshot: `POST /api/calm-csa/v1/stores?serviceId=…` (scope
    /// [`scope::CSA_WRITE`], **proposed**).
    pub async fn push_csa(&self, snapshot: &CsaSnapshot) -> Result<(), Error> {
        let mut query = Query::new();
        query.push("serviceId", snapshot.service_id.as_str());
        let call = Call::new(Method::POST, STORES, scope::CSA_WRITE)
            .query(query)
            .json(snapshot);
        self.send(&call).await.map(drop)
    }

    /// The CSA items of `CCDB_STORE_DATA` over `period` (such as `L7D`), of one service or
    /// all, sorted by service name, store, key and date.
    pub async fn csa_items(
        &self,
        service_id: Option<&str>,
        period: &str,
    ) -> Result<Vec<CsaItemRow>, Error> {
        let mut query = AnalyticsQuery::new(CCDB_STORE_DATA);
        query.period = period.to_string();
        query.query = service_id.map(|id| format!("serviceId={id}"));
        let mut items: Vec<CsaItemRow> = self
            .analytics(&query)
            .await?
            .iter()
            .map(CsaItemRow::from_row)
            .collect();
        items.sort_by(|a, b| {
            (&a.service_name, &a.store_name, &a.item_key, &a.element_date).cmp(&(
                &b.service_name,
                &b.store_name,
                &b.item_key,
                &b.element_date,
            ))
        });
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// §2.10's proposed push body, literally.
    #[test]
    fn a_snapshot_has_the_contract_shape() {
        let snapshot = CsaSnapshot {
            service_id: "L".into(),
            stores: vec![CsaStore {
                store_name: "ABAP_PROFILE_PARAMETERS".into(),
                store_type: PROPERTY_STORE.into(),
                sci_id: "ABAP".into(),
                element_date: "2026-06-10T02:00:00Z".parse().unwrap(),
                items: vec![CsaItem {
                    key: "login/min_password_lng".into(),
                    value: "8".into(),
                }],
            }],
        };
        assert_eq!(
            serde_json::to_value(&snapshot).unwrap(),
            json!({"serviceId":"L","stores":[{"storeName":"ABAP_PROFILE_PARAMETERS","storeType":"PROPERTY","sciId":"ABAP","elementDate":"20260610020000",
              "items":[{"key":"login/min_password_lng","value":"8"}]}]})
        );
    }

    #[test]
    fn a_ccdb_row_reads_by_dimension_name() {
        let row = AnalyticsRow::from_generic(&json!({
            "d1k": "serviceName", "d1v": "IAS Target", "d2k": "storeName", "d2v": "TENANT",
            "d3k": "itemKey", "d3v": "ias.api.version", "d4k": "itemValue", "d4v": "2",
            "d5k": "elementModification", "d5v": "UPDATED", "m1k": "numChanges", "m1v": 1
        }))
        .unwrap();
        let item = CsaItemRow::from_row(&row);
        assert_eq!(item.service_name.as_deref(), Some("IAS Target"));
        assert_eq!(item.item_key.as_deref(), Some("ias.api.version"));
        assert_eq!(item.element_modification.as_deref(), Some("UPDATED"));
        assert_eq!(item.num_changes, 1.0);
        assert_eq!(item.sci_id, None);
    }
}
