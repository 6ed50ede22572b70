//! The file formats of `file.format`.

use std::fmt;

/// How a file holds its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One JSON object per line.
    Ndjson,
    /// A JSON array of objects.
    Json,
    /// CSV with a header row of JSONPaths.
    Csv,
}

impl Format {
    /// The names `file.format` accepts, in the order they are listed in messages.
    pub const NAMES: [&'static str; 3] = ["ndjson", "json", "csv"];

    /// The format named `name` (`ndjson`, `json`, `csv`; ASCII case and surrounding
    /// whitespace ignored), or none.
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.trim();
        [Self::Ndjson, Self::Json, Self::Csv]
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(name))
    }

    /// The format's name: `ndjson`, `json` or `csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ndjson => "ndjson",
            Self::Json => "json",
            Self::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_ignore_case() {
        for name in Format::NAMES {
            assert_eq!(Format::from_name(name).unwrap().as_str(), name);
        }
        assert_eq!(Format::from_name(" CSV "), Some(Format::Csv));
        assert_eq!(Format::from_name("xml"), None);
        assert_eq!(Format::from_name(""), None);
    }
}
