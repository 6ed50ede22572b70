//! `convertCountryCode` (ISO 3166-1) and `convertCountryRegion` (ISO 3166-2)
//! (`reference/ips-ias.md` §1.8), from the tables in `data/countries.csv` and
//! `data/regions.csv`.
//!
//! Both work on address objects: they read the `inputAttributes`, convert, and write the
//! `outputAttribute`. A value the tables do not know is left as it is. **Proposed** where SAP is
//! silent: names and codes match without regard to case; a numeric code may be a JSON number
//! and is written as a three-digit string (`"040"`); a plain string (not an object) is converted
//! directly.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::fault::{Fault, Outcome};
use super::params::Params;
use super::table::rows;

/// One country of ISO 3166-1.
#[derive(Debug)]
pub(crate) struct Country {
    pub(crate) alpha2: String,
    pub(crate) alpha3: String,
    pub(crate) numeric: String,
    pub(crate) name: String,
}

struct Countries {
    list: Vec<Country>,
    /// Every spelling (codes, names, other names) in upper case → index in `list`.
    index: HashMap<String, usize>,
}

static COUNTRIES: LazyLock<Countries> = LazyLock::new(|| {
    let mut list = Vec::new();
    let mut index = HashMap::new();
    for row in rows(include_str!("../../data/countries.csv")) {
        let [alpha2, alpha3, numeric, name, others] = row.as_slice() else {
            continue;
        };
        let at = list.len();
        let spellings = [alpha2, alpha3, numeric, name]
            .into_iter()
            .map(String::as_str)
            .chain(others.split('|').filter(|o| !o.is_empty()));
        for spelling in spellings {
            index.entry(spelling.to_uppercase()).or_insert(at);
        }
        list.push(Country {
            alpha2: alpha2.clone(),
            alpha3: alpha3.clone(),
            numeric: numeric.clone(),
            name: name.clone(),
        });
    }
    Countries { list, index }
});

/// The country a code or name stands for: alpha-2, alpha-3, numeric (`840`, `"040"`, `40`) or
/// an English name.
pub(crate) fn country(value: &Value) -> Option<&'static Country> {
    let key = match value {
        Value::String(text) => text.trim().to_uppercase(),
        Value::Number(number) => format!("{:03}", number.as_u64()?),
        _ => return None,
    };
    let key = match key.parse::<u16>() {
        Ok(number) => format!("{number:03}"),
        Err(_) => key,
    };
    let countries = &*COUNTRIES;
    countries.index.get(&key).map(|at| &countries.list[*at])
}

/// One subdivision of ISO 3166-2.
#[derive(Debug)]
struct Region {
    code: String,
    name: String,
}

struct Regions {
    list: Vec<Region>,
    /// Upper-case code (`US-AL`) → index.
    by_code: HashMap<String, usize>,
    /// Upper-case `COUNTRY|NAME` (`US|ALABAMA`) → index.
    by_name: HashMap<String, usize>,
}

static REGIONS: LazyLock<Regions> = LazyLock::new(|| {
    let mut list = Vec::new();
    let mut by_code = HashMap::new();
    let mut by_name = HashMap::new();
    for row in rows(include_str!("../../data/regions.csv")) {
        let [code, name] = row.as_slice() else {
            continue;
        };
        let country = code.split('-').next().unwrap_or_default();
        by_code.insert(code.to_uppercase(), list.len());
        by_name
            .entry(format!("{country}|{}", name.to_uppercase()))
            .or_insert(list.len());
        list.push(Region {
            code: code.clone(),
            name: name.clone(),
        });
    }
    Regions {
        list,
        by_code,
        by_name,
    }
});

/// The subdivision `region` names: a full code (`US-AL`), a code within `country` (`AL`), or a
/// name within `country` (`Alabama`).
fn region(region: &str, country: Option<&Country>) -> Option<&'static Region> {
    let regions = &*REGIONS;
    let key = region.trim().to_uppercase();
    let found = regions.by_code.get(&key).or_else(|| {
        let country = country?;
        regions
            .by_code
            .get(&format!("{}-{key}", country.alpha2))
            .or_else(|| regions.by_name.get(&format!("{}|{key}", country.alpha2)))
    });
    found.map(|at| &regions.list[*at])
}

/// The output formats of `convertCountryCode`.
const COUNTRY_FORMATS: &[&str] = &["fullName", "alpha2", "alpha3", "numeric"];

/// `convertCountryCode`.
#[derive(Debug, Clone)]
pub(crate) struct ConvertCountry {
    format: &'static str,
    inputs: Vec<String>,
    output: String,
}

impl ConvertCountry {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        Ok(Self {
            format: params.choice("outputFormat", COUNTRY_FORMATS)?,
            inputs: params.text_list("inputAttributes")?,
            output: params.required_text("outputAttribute")?,
        })
    }

    fn convert(&self, value: &Value) -> Option<Value> {
        let country = country(value)?;
        let text = match self.format {
            "fullName" => &country.name,
            "alpha2" => &country.alpha2,
            "alpha3" => &country.alpha3,
            _ => &country.numeric,
        };
        Some(Value::String(text.clone()))
    }

    /// Converts the first of `inputAttributes` the map has into `outputAttribute`.
    pub(crate) fn run_map(&self, map: &mut Map<String, Value>) -> Outcome<()> {
        let converted = self
            .inputs
            .iter()
            .find_map(|input| map.get(input).filter(|v| !v.is_null()))
            .and_then(|value| self.convert(value));
        if let Some(converted) = converted {
            map.insert(self.output.clone(), converted);
        }
        Ok(())
    }

    /// Converts a plain code or name.
    pub(crate) fn run_scalar(&self, value: Value) -> Outcome<Option<Value>> {
        Ok(Some(self.convert(&value).unwrap_or(value)))
    }
}

/// `convertCountryRegion`.
#[derive(Debug, Clone)]
pub(crate) struct ConvertRegion {
    full_name: bool,
    region_attribute: String,
    country_attribute: Option<String>,
    output: String,
}

impl ConvertRegion {
    /// `inputAttributes` names the region attribute and, as `country`, the country attribute
    /// (**proposed**: the first listed name other than `country` is the region).
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        let full_name = params.choice("outputFormat", &["fullName", "alpha2"])? == "fullName";
        let inputs = params.text_list("inputAttributes")?;
        let country_attribute = inputs.iter().find(|i| *i == "country").cloned();
        let region_attribute = inputs
            .iter()
            .find(|i| *i != "country")
            .cloned()
            .ok_or_else(|| {
                Fault::parameter(
                    "inputAttributes",
                    "inputAttributes must name the region attribute (such as [\"region\", \"country\"])",
                )
            })?;
        Ok(Self {
            full_name,
            region_attribute,
            country_attribute,
            output: params.required_text("outputAttribute")?,
        })
    }

    fn convert(&self, region_value: &Value, country_value: Option<&Value>) -> Option<Value> {
        let Value::String(text) = region_value else {
            return None;
        };
        let region = region(text, country_value.and_then(country))?;
        let text = if self.full_name {
            &region.name
        } else {
            &region.code
        };
        Some(Value::String(text.clone()))
    }

    pub(crate) fn run_map(&self, map: &mut Map<String, Value>) -> Outcome<()> {
        let Some(region_value) = map.get(&self.region_attribute) else {
            return Ok(());
        };
        let country_value = self.country_attribute.as_ref().and_then(|c| map.get(c));
        if let Some(converted) = self.convert(region_value, country_value) {
            map.insert(self.output.clone(), converted);
        }
        Ok(())
    }

    /// Converts a plain region; only a full code (`US-AL`) or a name of such a code can be
    /// found without a country.
    pub(crate) fn run_scalar(&self, value: Value) -> Outcome<Option<Value>> {
        Ok(Some(self.convert(&value, None).unwrap_or(value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        assert_eq!(COUNTRIES.list.len(), 249);
        assert!(REGIONS.list.len() > 5000);
    }
}
