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

use std::sync::LazyLock;

use serde_json::Value;

use super::fault::Outcome;
use super::params::Params;
use super::table::rows;
use super::values::not_text;

/// SAP's pairs, in documented order.
static PAIRS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    rows(include_str!("../../data/timezones.csv"))
        .filter_map(|row| match row.as_slice() {
            [sap, iana] => Some((sap.clone(), iana.clone())),
            _ => None,
        })
        .collect()
});

/// The SAP code of a value: itself if it is a code, else the code of the first row naming it.
fn sap_code(value: &str) -> Option<&'static str> {
    let value = value.trim();
    PAIRS
        .iter()
        .find(|(sap, _)| sap.eq_ignore_ascii_case(value))
        .or_else(|| {
            PAIRS
                .iter()
                .find(|(_, iana)| iana.eq_ignore_ascii_case(value))
        })
        .map(|(sap, _)| sap.as_str())
}

/// The first IANA zone listed for a code.
fn default_zone(code: &str) -> Option<&'static str> {
    PAIRS
        .iter()
        .find(|(sap, _)| sap == code)
        .map(|(_, iana)| iana.as_str())
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
        let code = match value {
            Value::String(text) => sap_code(text),
            Value::Null | Value::Number(_) | Value::Bool(_) => None,
            other => return Err(not_text(other)),
        };
        let converted = match (self.iana, code) {
            (true, Some(code)) => default_zone(code).unwrap_or("Europe/Berlin"),
            (true, None) => "Europe/Berlin",
            (false, Some(code)) => code,
            (false, None) => "CET",
        };
        Ok(Some(Value::String(converted.to_string())))
    }
}
