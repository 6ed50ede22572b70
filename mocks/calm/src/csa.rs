//! Configuration & Security Analysis (reference §2.10): stores of configuration items pushed as
//! snapshots (the push shape is **proposed**), kept per service and store, and diffed against the
//! previous snapshot of the same store to give `elementModification` (`INITIAL`, `ADDED`,
//! `UPDATED`) for the `CCDB_STORE_DATA` provider.

use jiff::Timestamp;
use sapland_core::json::{JsonPath, kind};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::period;

/// The store types the mock takes (**proposed**: only property stores, key and value).
pub const STORE_TYPES: [&str; 1] = ["PROPERTY"];

/// One configuration item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The key.
    pub key: String,
    /// The value, as text.
    pub value: String,
}

/// One snapshot of a store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Snapshot {
    /// `storeType`.
    pub store_type: String,
    /// `sciId`.
    pub sci_id: String,
    /// `elementDate`, `YYYYMMDDHHmmss`.
    pub element_date: String,
    /// The items.
    pub items: Vec<Item>,
    /// When it arrived, on the landscape clock.
    pub received_at: Timestamp,
}

/// A store of one service, with every snapshot pushed, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Store {
    /// The service's LMS id.
    pub service_id: String,
    /// `storeName`.
    pub store_name: String,
    /// The snapshots.
    pub snapshots: Vec<Snapshot>,
}

/// How an item's current value came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Modification {
    /// In the store's first snapshot, unchanged since.
    Initial,
    /// Added after the first snapshot, unchanged since.
    Added,
    /// Its value changed.
    Updated,
}

/// An item of a store's current snapshot, with its history.
#[derive(Debug, Clone)]
pub struct CurrentItem<'a> {
    /// The store.
    pub store: &'a Store,
    /// The current snapshot.
    pub snapshot: &'a Snapshot,
    /// The item.
    pub item: &'a Item,
    /// How its value came about.
    pub modification: Modification,
    /// How often it was added, changed or removed after the first snapshot.
    pub changes: u64,
}

/// Every store the tenant holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Csa {
    stores: Vec<Store>,
}

/// A checked push: the stores it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Push {
    service_id: String,
    stores: Vec<(String, Snapshot)>,
}

impl Push {
    /// Checks a push body `{serviceId, stores: [{storeName, storeType, sciId, elementDate,
    /// items: [{key, value}]}]}` for the service named in the query; the error names the JSON
    /// path and what was expected.
    pub fn parse(body: &Value, service_id: &str, now: Timestamp) -> Result<Self, String> {
        let root = JsonPath::root();
        let at = |path: &JsonPath, expected: &str, found: Option<&Value>| match found {
            Some(found) => format!("{path}: expected {expected}, found {}", kind(found)),
            None => format!("{path}: expected {expected}"),
        };
        let map = body
            .as_object()
            .ok_or_else(|| at(&root, "an object {serviceId, stores}", Some(body)))?;
        match map.get("serviceId") {
            Some(Value::String(id)) if id == service_id => {}
            _ => {
                return Err(at(
                    &root.clone().key("serviceId"),
                    &format!("{service_id:?}, the serviceId of the query"),
                    None,
                ));
            }
        }
        let stores_path = root.clone().key("stores");
        let stores = match map.get("stores") {
            Some(Value::Array(stores)) if !stores.is_empty() => stores,
            found => {
                return Err(at(
                    &stores_path,
                    "a non-empty array of stores",
                    found.filter(|v| !v.is_array()),
                ));
            }
        };
        let mut parsed: Vec<(String, Snapshot)> = Vec::new();
        for (i, store) in stores.iter().enumerate() {
            let path = stores_path.clone().index(i);
            let store = store
                .as_object()
                .ok_or_else(|| at(&path, "a store object", Some(store)))?;
            let text = |name: &str| -> Result<String, String> {
                match store.get(name) {
                    Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
                    found => Err(at(
                        &path.clone().key(name),
                        "a non-empty string",
                        found.filter(|v| !v.is_string()),
                    )),
                }
            };
            let store_name = text("storeName")?;
            if parsed.iter().any(|(name, _)| *name == store_name) {
                return Err(format!(
                    "{}: the store {store_name:?} appears twice in one push",
                    path.clone().key("storeName")
                ));
            }
            let store_type = text("storeType")?;
            if !STORE_TYPES.contains(&store_type.as_str()) {
                return Err(at(&path.clone().key("storeType"), "\"PROPERTY\"", None));
            }
            let sci_id = text("sciId")?;
            let element_date = text("elementDate")?;
            if period::compact(&element_date).is_none() {
                return Err(at(
                    &path.clone().key("elementDate"),
                    "a date YYYYMMDDHHmmss (UTC)",
                    None,
                ));
            }
            let items = items(store, &path, &at)?;
            parsed.push((
                store_name,
                Snapshot {
                    store_type,
                    sci_id,
                    element_date,
                    items,
                    received_at: now,
                },
            ));
        }
        Ok(Self {
            service_id: service_id.to_string(),
            stores: parsed,
        })
    }
}

fn items(
    store: &Map<String, Value>,
    path: &JsonPath,
    at: &dyn Fn(&JsonPath, &str, Option<&Value>) -> String,
) -> Result<Vec<Item>, String> {
    let items_path = path.clone().key("items");
    let list = match store.get("items") {
        Some(Value::Array(items)) => items,
        found => return Err(at(&items_path, "an array of items {key, value}", found)),
    };
    let mut items: Vec<Item> = Vec::new();
    for (j, item) in list.iter().enumerate() {
        let path = items_path.clone().index(j);
        let item = item
            .as_object()
            .ok_or_else(|| at(&path, "an item object {key, value}", Some(item)))?;
        let key = match item.get("key") {
            Some(Value::String(k)) if !k.is_empty() => k.clone(),
            found => {
                return Err(at(
                    &path.clone().key("key"),
                    "a non-empty string",
                    found.filter(|v| !v.is_string()),
                ));
            }
        };
        if items.iter().any(|i| i.key == key) {
            return Err(format!(
                "{}: the key {key:?} appears twice in the store",
                path.clone().key("key")
            ));
        }
        let value = match item.get("value") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            found => {
                return Err(at(
                    &path.clone().key("value"),
                    "a string (or a number or boolean)",
                    found,
                ));
            }
        };
        items.push(Item { key, value });
    }
    Ok(items)
}

impl Csa {
    /// Stores a checked push; answers, per store, how many items it has and how many changed
    /// against the previous snapshot.
    pub fn apply(&mut self, push: Push) -> Vec<Value> {
        let mut summary = Vec::new();
        for (store_name, snapshot) in push.stores {
            let index = match self
                .stores
                .iter()
                .position(|s| s.service_id == push.service_id && s.store_name == store_name)
            {
                Some(index) => index,
                None => {
                    self.stores.push(Store {
                        service_id: push.service_id.clone(),
                        store_name: store_name.clone(),
                        snapshots: Vec::new(),
                    });
                    self.stores.len() - 1
                }
            };
            let store = &mut self.stores[index];
            let changes = store
                .snapshots
                .last()
                .map_or(0, |previous| diff(previous, &snapshot).len());
            summary.push(json!({
                "storeName": store_name,
                "numItems": snapshot.items.len(),
                "numChanges": changes,
                "snapshots": store.snapshots.len() + 1,
            }));
            store.snapshots.push(snapshot);
        }
        summary
    }

    /// Every store.
    pub fn stores(&self) -> &[Store] {
        &self.stores
    }

    /// The items of every store's current snapshot (`elementStatus` `CURRENT`), with how each
    /// came about.
    pub fn current_items(&self) -> Vec<CurrentItem<'_>> {
        let mut rows = Vec::new();
        for store in &self.stores {
            let Some(snapshot) = store.snapshots.last() else {
                continue;
            };
            for item in &snapshot.items {
                let (modification, changes) = history(store, &item.key);
                rows.push(CurrentItem {
                    store,
                    snapshot,
                    item,
                    modification,
                    changes,
                });
            }
        }
        rows
    }
}

/// How a key's current value came about, and how many changes it saw after the first snapshot.
fn history(store: &Store, key: &str) -> (Modification, u64) {
    let mut state: Option<(&str, Modification)> = None;
    let mut changes = 0;
    for (n, snapshot) in store.snapshots.iter().enumerate() {
        let value = snapshot
            .items
            .iter()
            .find(|i| i.key == key)
            .map(|i| i.value.as_str());
        state = match (state, value) {
            (None, None) => None,
            (None, Some(v)) if n == 0 => Some((v, Modification::Initial)),
            (None, Some(v)) => {
                changes += 1;
                Some((v, Modification::Added))
            }
            (Some(_), None) => {
                changes += 1;
                None
            }
            (Some((old, m)), Some(v)) if old == v => Some((v, m)),
            (Some(_), Some(v)) => {
                changes += 1;
                Some((v, Modification::Updated))
            }
        };
    }
    (state.map_or(Modification::Initial, |(_, m)| m), changes)
}

/// The changes from one snapshot to the next: `{key, change: ADDED|UPDATED|REMOVED, from, to}`.
pub fn diff(previous: &Snapshot, current: &Snapshot) -> Vec<Value> {
    let mut changes = Vec::new();
    for item in &current.items {
        match previous.items.iter().find(|i| i.key == item.key) {
            None => changes.push(json!({"key": item.key, "change": "ADDED", "to": item.value})),
            Some(old) if old.value != item.value => changes.push(
                json!({"key": item.key, "change": "UPDATED", "from": old.value, "to": item.value}),
            ),
            Some(_) => {}
        }
    }
    for old in &previous.items {
        if !current.items.iter().any(|i| i.key == old.key) {
            changes.push(json!({"key": old.key, "change": "REMOVED", "from": old.value}));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-22T09:00:00Z".parse().unwrap()
    }

    fn push(items: Value) -> Push {
        let body = json!({"serviceId": "s", "stores": [{"storeName": "IPS_TENANT", "storeType": "PROPERTY",
            "sciId": "IPS", "elementDate": "20261122020000", "items": items}]});
        Push::parse(&body, "s", now()).unwrap()
    }

    #[test]
    fn snapshots_diff_into_initial_added_and_updated() {
        let mut csa = Csa::default();
        csa.apply(push(
            json!([{"key": "a", "value": "1"}, {"key": "b", "value": "2"}, {"key": "c", "value": "3"}]),
        ));
        let summary = csa.apply(push(
            json!([{"key": "a", "value": "1"}, {"key": "b", "value": "20"},
            {"key": "d", "value": true}]),
        ));
        assert_eq!(summary[0]["numChanges"], 3, "b updated, d added, c removed");
        let rows: Vec<(String, Modification, u64)> = csa
            .current_items()
            .iter()
            .map(|r| (r.item.key.clone(), r.modification, r.changes))
            .collect();
        assert_eq!(
            rows,
            [
                ("a".into(), Modification::Initial, 0),
                ("b".into(), Modification::Updated, 1),
                ("d".into(), Modification::Added, 1),
            ]
        );
    }

    #[test]
    fn bad_pushes_name_the_path() {
        let bad = json!({"serviceId": "s", "stores": [{"storeName": "X", "storeType": "PROPERTY",
            "sciId": "IPS", "elementDate": "2026-11-22", "items": []}]});
        assert_eq!(
            Push::parse(&bad, "s", now()).unwrap_err(),
            "$.stores[0].elementDate: expected a date YYYYMMDDHHmmss (UTC)"
        );
        let other = json!({"serviceId": "t", "stores": []});
        assert!(
            Push::parse(&other, "s", now())
                .unwrap_err()
                .starts_with("$.serviceId")
        );
        let dup = json!({"serviceId": "s", "stores": [{"storeName": "X", "storeType": "PROPERTY",
            "sciId": "IPS", "elementDate": "20261122000000", "items": [{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]}]});
        assert_eq!(
            Push::parse(&dup, "s", now()).unwrap_err(),
            "$.stores[0].items[1].key: the key \"k\" appears twice in the store"
        );
    }
}
