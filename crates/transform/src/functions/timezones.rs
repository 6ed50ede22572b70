//! `convertTimezoneCode` (`reference/ips-ias.md` §1.8): SAP time zone codes (`CET`, `MSTNO`) ↔
//! IANA time zones (`Europe/Berlin`, `America/Phoenix`), from SAP's documented table in
//! `data/timezones.csv`.
//!
//! As SAP documents: `sap` writes the code of the first row that names the value; `iana`
//! writes the *first* IANA zone listed for that code (its default), so `AST` becomes
//! `America/Halifax` and — SAP warns — an IANA zone may be replaced by its code's default
//! (`Europe/Paris` → `Europe/Berlin`). A value not in the table, or no value (null), gives the
//! default `Europe/Berlin` (iana) or `CET` (sap). **Proposed**: values match without regard to
//! case; numbers and booleans are not in the table.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;

use super::fault::Outcome;
use super::params::Params;
use super::table::rows;
use super::values::not_text;

/// SAP's pairs, in documented order, indexed.
struct Zones {
    pairs: Vec<(String, String)>,
    /// Upper-case SAP code → its first row.
    by_code: HashMap<String, usize>,
    /// Upper-case IANA zone → the first row naming it.
    by_zone: HashMap<String, usize>,
}

static ZONES: LazyLock<Zones> = LazyLock::new(|| {
    let pairs: Vec<(String, String)> = rows(include_str!("../../data/timezones.csv"))
        .filter_map(|row| match row.as_slice() {
            [sap, iana] => Some((sap.clone(), iana.clone())),
            _ => None,
        })
        .collect();
    let mut by_code = HashMap::new();
    let mut by_zone = HashMap::new();
    for (at, (sap, iana)) in pairs.iter().enumerate() {
        by_code.entry(sap.to_uppercase()).or_insert(at);
        by_zone.entry(iana.to_uppercase()).or_insert(at);
    }
    Zones {
        pairs,
        by_code,
        by_zone,
    }
});

/// The first row of the SAP code a value names: the value itself as a code, else the code of
/// the first row listing it as an IANA zone.
fn row_of(value: &str) -> Option<&'static (String, String)> {
    let zones = &*ZONES;
    let key = value.trim().to_uppercase();
    let at = zones
        .by_code
        .get(&key)
        .or_else(|| zones.by_zone.get(&key))?;
    let code = zones.pairs[*at].0.to_uppercase();
    zones.by_code.get(&code).map(|first| &zones.pairs[*first])
}

/// `convertTimezoneCode`.
#[derive(Debug, Clone)]
pub(crate) struct ConvertTimezone {
    iana: bool,
}

impl ConvertTimezone {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        Ok(Self {
            iana: params.choice("outputFormat", &["iana", "sap"])? == "iana",
        })
    }

    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let row = match value {
            Value::String(text) => row_of(text),
            Value::Null | Value::Number(_) | Value::Bool(_) => None,
            other => return Err(not_text(other)),
        };
        let converted = match (self.iana, row) {
            (true, Some((_, zone))) => zone.as_str(),
            (true, None) => "Europe/Berlin",
            (false, Some((code, _))) => code.as_str(),
            (false, None) => "CET",
        };
        Ok(Some(Value::String(converted.to_string())))
    }
}
