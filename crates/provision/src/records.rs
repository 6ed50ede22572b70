//! Entity records from files: what the `LOCAL_FILE` source reads (**proposed** connector type;
//! property `file.format` = `ndjson`, `json` or `csv`) and the CSV a Validate job is given
//! (`reference/ips-ias.md` §2.1). Each record is one JSON object, which the source's read
//! transformation sees as it would see an entity read from any other source.
//!
//! - `ndjson`: one JSON object per line; blank lines are skipped.
//! - `json`: one JSON array of objects.
//! - `csv`: RFC 4180, a header row of JSONPaths in the IPS dialect (`userName`, `$.userName`,
//!   `name.familyName`, `emails[0].value`,
//!   `$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['department']`,
//!   `groups[?(@.value)]`), one record per row. See [`parse`] for cells, types and lists.
//!
//! The parsers take text and do no IO; [`read_file`] reads a file and hands it to [`parse`];
//! [`open_file`] hands the records of a large NDJSON file out one at a time.
//! Every error names the origin (the file), the line, and the column (JSON) or CSV column
//! header, and says what was expected. No input makes them panic.

mod error;
mod file;
mod format;
mod header;
mod json_array;
mod limits;
mod ndjson;
mod parse;
mod table;

pub use error::RecordError;
pub use file::{Records, open_file, read_file};
pub use format::Format;
pub use limits::{MAX_LINE_BYTES, MAX_RECORDS};
pub use parse::parse;
