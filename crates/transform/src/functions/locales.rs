//! `convertLocaleCode` (`reference/ips-ias.md` §1.8): Identity Authentication's language codes
//! (ISO 639, `EN`, `DE`, `zh_TW`) ↔ BCP 47 tags (`en-US`, `de-DE`, `zh-TW`), from the table in
//! `data/locales.csv`. Languages without a mapping (EO, IA, IE, …) and unknown ones become
//! English, as SAP documents.
//!
//! **Proposed** where SAP is silent: input may be either form, `-` or `_` separated, any case;
//! a tag with a region keeps it for `bcp47` (`en_GB` → `en-GB`); scripts are dropped.

use std::sync::LazyLock;

use serde_json::Value;

use super::fault::Outcome;
use super::params::Params;
use super::table::rows;
use super::values::text;

/// One row of the language table.
#[derive(Debug)]
struct Language {
    /// Identity Authentication's code: `EN`, or a regional `zh_TW`.
    ias: String,
    /// The BCP 47 tag, if the language has a mapping.
    tag: Option<String>,
    /// The tag's language subtag, lower case.
    language: Option<String>,
    /// The tag's region, for the regional codes only.
    region: Option<String>,
    /// Other ISO 639 codes of the same language.
    others: Vec<String>,
}

static LANGUAGES: LazyLock<Vec<Language>> = LazyLock::new(|| {
    rows(include_str!("../../data/locales.csv"))
        .filter_map(|row| {
            let [ias, tag, others] = row.as_slice() else {
                return None;
            };
            let tag = (!tag.is_empty()).then(|| tag.clone());
            let language = tag
                .as_deref()
                .map(|t| t.split('-').next().unwrap_or_default().to_string());
            let region = ias
                .contains('_')
                .then(|| ias.split('_').nth(1).unwrap_or_default().to_string());
            Some(Language {
                ias: ias.clone(),
                tag,
                language,
                region,
                others: others
                    .split('|')
                    .filter(|o| !o.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
        })
        .collect()
});

/// A locale read from text: its language (lower case) and region (upper case), if any.
fn split(text: &str) -> (String, Option<String>) {
    let mut parts = text.trim().split(['-', '_']);
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    let region = parts
        .find(|p| {
            (p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
                || (p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
        })
        .map(str::to_ascii_uppercase);
    (language, region)
}

/// The table row for a language and region: the regional code if there is one, else the
/// language's row.
fn find(language: &str, region: Option<&str>) -> Option<&'static Language> {
    let table = &*LANGUAGES;
    let regional = region.and_then(|region| {
        table.iter().find(|l| {
            l.region.as_deref() == Some(region) && l.language.as_deref() == Some(language)
        })
    });
    regional
        .or_else(|| {
            table
                .iter()
                .find(|l| l.region.is_none() && l.ias.eq_ignore_ascii_case(language))
        })
        .or_else(|| {
            table.iter().find(|l| {
                l.region.is_none()
                    && (l.language.as_deref() == Some(language)
                        || l.others.iter().any(|o| o == language))
            })
        })
}

/// `convertLocaleCode`.
#[derive(Debug, Clone)]
pub(crate) struct ConvertLocale {
    bcp47: bool,
}

impl ConvertLocale {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        Ok(Self {
            bcp47: params.choice("outputFormat", &["bcp47", "iso639"])? == "bcp47",
        })
    }

    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let text = text(value)?;
        let (language, region) = split(&text);
        let found = find(&language, region.as_deref()).filter(|l| l.tag.is_some());
        let converted = match (self.bcp47, found) {
            (true, Some(l)) => match (&l.region, &region, &l.language) {
                (None, Some(region), Some(language)) => format!("{language}-{region}"),
                _ => l.tag.clone().unwrap_or_default(),
            },
            (true, None) => "en-US".to_string(),
            (false, Some(l)) => l.ias.clone(),
            (false, None) => "EN".to_string(),
        };
        Ok(Some(Value::String(converted)))
    }
}
