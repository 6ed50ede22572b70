//! CSV user import: the administration console's *Users & Authorizations → Import Users*,
//! which SAP lists among the ways users reach real-time provisioning ([DOC] reference/ips-ias.md
//! §4: "via CSV file upload").
//!
//! SAP's console format is not what the mock offers; everything here is **proposed**:
//! - `POST /_admin/ias/tenants/{tenant}/users/import` with `Content-Type: text/csv` (UTF-8, an
//!   optional byte-order mark), behind the admin token.
//! - RFC 4180 CSV: comma-separated, fields with commas, quotes or line breaks in double quotes,
//!   a quote inside a quoted field doubled; CRLF or LF line ends; blank lines are skipped.
//! - The first row names the columns by SCIM attribute path (case-insensitive, surrounding
//!   spaces ignored): `userName` (required), `email` or `emails[0].value`, `displayName`,
//!   `nickName`, `title`, `userType`, `preferredLanguage`, `locale`, `timezone`,
//!   `name.givenName`, `name.familyName`, `name.middleName`, `name.honorificPrefix`,
//!   `name.honorificSuffix`, `active` (`true`/`false`) and the enterprise extension's
//!   `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:` + `employeeNumber`,
//!   `costCenter`, `organization`, `division`, `department`.
//! - A row whose userName a user of the tenant has (case-insensitive) updates that user: the
//!   non-empty cells replace those attributes, everything else stays (empty cells change
//!   nothing). Other rows create users; a created user is active unless `active` says `false`.
//!   An email becomes the first email (`type` work, primary) of a user that has none. Both go
//!   through the tenant's SCIM v2 rules (uniqueness, required identifiers, forbidden
//!   characters), so one row can fail while the others are imported.
//! - The answer (200) lists every row: its number (the header is row 1), userName, and
//!   `created` or `updated` with the user's id, or `failed` with the status and the error.
//! - A malformed file (an unknown or repeated column, no userName column, an unterminated or
//!   stray quote, a row with another number of columns than the header) is refused with 400
//!   naming the row, its first line and the column, and nothing is imported.
//! - Imported users are pushed to the tenant's real-time targets like SCIM writes.

use std::fmt;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use jiff::Timestamp;
use sapland_core::scim::ScimError;
use sapland_core::scim::schemas::{CORE_USER, ENTERPRISE_USER, SAP_USER};
use serde_json::{Map, Value, json};

use crate::directory::Directory;
use crate::mock::IasMock;
use crate::realtime::{self, Origin};

/// The media type an import must be sent as.
pub const TEXT_CSV: &str = "text/csv";

/// What a column sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attribute {
    /// `userName`, which rows are matched by.
    UserName,
    /// The first email's value.
    PrimaryEmail,
    /// `active`, a boolean.
    Active,
    /// A text attribute of the core schema, by its path.
    Core(&'static [&'static str]),
    /// A text attribute of the enterprise extension.
    Enterprise(&'static str),
}

/// Every accepted column, by the name the header gives it (compared case-insensitively).
const COLUMNS: &[(&str, Attribute)] = &[
    ("userName", Attribute::UserName),
    ("email", Attribute::PrimaryEmail),
    ("emails[0].value", Attribute::PrimaryEmail),
    ("displayName", Attribute::Core(&["displayName"])),
    ("nickName", Attribute::Core(&["nickName"])),
    ("title", Attribute::Core(&["title"])),
    ("userType", Attribute::Core(&["userType"])),
    ("preferredLanguage", Attribute::Core(&["preferredLanguage"])),
    ("locale", Attribute::Core(&["locale"])),
    ("timezone", Attribute::Core(&["timezone"])),
    ("name.givenName", Attribute::Core(&["name", "givenName"])),
    ("name.familyName", Attribute::Core(&["name", "familyName"])),
    ("name.middleName", Attribute::Core(&["name", "middleName"])),
    (
        "name.honorificPrefix",
        Attribute::Core(&["name", "honorificPrefix"]),
    ),
    (
        "name.honorificSuffix",
        Attribute::Core(&["name", "honorificSuffix"]),
    ),
    ("active", Attribute::Active),
    (
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        Attribute::Enterprise("employeeNumber"),
    ),
    (
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter",
        Attribute::Enterprise("costCenter"),
    ),
    (
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization",
        Attribute::Enterprise("organization"),
    ),
    (
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division",
        Attribute::Enterprise("division"),
    ),
    (
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        Attribute::Enterprise("department"),
    ),
];

/// The accepted column names, for messages and docs.
pub fn accepted_columns() -> Vec<&'static str> {
    COLUMNS.iter().map(|(name, _)| *name).collect()
}

/// Why a file was refused: where (row, the line it starts on, column) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// The row, counting the header as row 1 and not counting blank lines.
    pub row: usize,
    /// The line of the file where the problem is.
    pub line: usize,
    /// The column, from 1, when the problem is in one.
    pub column: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {} (line {})", self.row, self.line)?;
        if let Some(column) = self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// One row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    row: usize,
    line: usize,
    fields: Vec<String>,
}

/// A well-formed import file: its columns and rows.
#[derive(Debug, Clone)]
pub struct CsvFile {
    columns: Vec<Attribute>,
    rows: Vec<Record>,
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowResult {
    /// The row number (the header is row 1).
    pub row: usize,
    /// The row's userName.
    pub user_name: String,
    /// What happened.
    pub outcome: Outcome,
}

/// What happened to a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A user was created with this id.
    Created(String),
    /// The user with this id was updated.
    Updated(String),
    /// Nothing changed: the HTTP status SCIM would have answered, and why.
    Failed(u16, String),
}

impl RowResult {
    /// The row as the answer shows it.
    pub fn view(&self) -> Value {
        let (result, id, status, error) = match &self.outcome {
            Outcome::Created(id) => ("created", Some(id), None, None),
            Outcome::Updated(id) => ("updated", Some(id), None, None),
            Outcome::Failed(status, error) => ("failed", None, Some(status), Some(error)),
        };
        let mut view = json!({ "row": self.row, "userName": self.user_name, "result": result });
        if let Some(id) = id {
            view["id"] = json!(id);
        }
        if let (Some(status), Some(error)) = (status, error) {
            view["status"] = json!(status);
            view["error"] = json!(error);
        }
        view
    }
}

impl CsvFile {
    /// Reads a whole file; the first problem found refuses it.
    pub fn parse(text: &str) -> Result<Self, Malformed> {
        let mut records = records(text)?.into_iter();
        let header = records.next().ok_or_else(|| Malformed {
            row: 1,
            line: 1,
            column: None,
            message: "the file is empty; expected a header row of SCIM attribute paths such as \
                      userName,email,name.givenName,name.familyName,displayName"
                .into(),
        })?;
        let mut columns: Vec<Attribute> = Vec::new();
        for (index, name) in header.fields.iter().enumerate() {
            let name = name.trim();
            let attribute = COLUMNS
                .iter()
                .find(|(known, _)| known.eq_ignore_ascii_case(name))
                .map(|(_, attribute)| *attribute)
                .ok_or_else(|| Malformed {
                    row: header.row,
                    line: header.line,
                    column: Some(index + 1),
                    message: format!(
                        "unknown column {name:?}; the accepted columns are {}",
                        accepted_columns().join(", ")
                    ),
                })?;
            if let Some(first) = columns.iter().position(|a| *a == attribute) {
                return Err(Malformed {
                    row: header.row,
                    line: header.line,
                    column: Some(index + 1),
                    message: format!(
                        "column {name:?} sets the same attribute as column {}",
                        first + 1
                    ),
                });
            }
            columns.push(attribute);
        }
        if !columns.contains(&Attribute::UserName) {
            return Err(Malformed {
                row: header.row,
                line: header.line,
                column: None,
                message: "the header has no userName column; rows are matched to users by userName"
                    .into(),
            });
        }
        let rows: Vec<Record> = records.collect();
        for record in &rows {
            if record.fields.len() != columns.len() {
                return Err(Malformed {
                    row: record.row,
                    line: record.line,
                    column: Some(record.fields.len().min(columns.len()) + 1),
                    message: format!(
                        "the row has {} columns, the header {}",
                        record.fields.len(),
                        columns.len()
                    ),
                });
            }
        }
        Ok(Self { columns, rows })
    }

    /// How many rows (besides the header) the file has.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the file has no rows besides the header.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Creates or updates a user per row, in order, through the directory's SCIM v2 rules.
    pub fn import(&self, directory: &mut Directory, now: Timestamp) -> Vec<RowResult> {
        self.rows
            .iter()
            .map(|record| self.import_row(directory, record, now))
            .collect()
    }

    fn import_row(&self, directory: &mut Directory, record: &Record, now: Timestamp) -> RowResult {
        let cells: Vec<(Attribute, &str)> = self
            .columns
            .iter()
            .copied()
            .zip(record.fields.iter().map(String::as_str))
            .filter(|(_, value)| !value.trim().is_empty())
            .collect();
        let user_name = cells
            .iter()
            .find(|(attribute, _)| *attribute == Attribute::UserName)
            .map(|(_, value)| value.trim().to_string())
            .unwrap_or_default();
        let outcome = if user_name.is_empty() {
            Outcome::Failed(400, "userName is empty; every row needs one".into())
        } else {
            let existing = directory
                .user_id_by_user_name(&user_name)
                .map(str::to_string);
            match existing {
                Some(id) => update(directory, &id, &cells, now),
                None => create(directory, &cells, now),
            }
        };
        RowResult {
            row: record.row,
            user_name,
            outcome,
        }
    }
}

fn create(directory: &mut Directory, cells: &[(Attribute, &str)], now: Timestamp) -> Outcome {
    let mut user = Map::new();
    user.insert("schemas".into(), json!([CORE_USER]));
    if let Err(message) = apply(&mut user, cells) {
        return Outcome::Failed(400, message);
    }
    user.entry("active").or_insert(Value::Bool(true));
    match directory.create_user(Value::Object(user), now) {
        Ok(created) => Outcome::Created(
            created
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        ),
        Err(error) => failed(&error),
    }
}

fn update(
    directory: &mut Directory,
    id: &str,
    cells: &[(Attribute, &str)],
    now: Timestamp,
) -> Outcome {
    let Ok(Value::Object(mut user)) = directory.user(id) else {
        return Outcome::Failed(404, format!("User {id} not found"));
    };
    user.remove("groups");
    user.remove("meta");
    if let Err(message) = apply(&mut user, cells) {
        return Outcome::Failed(400, message);
    }
    match directory.replace_user(id, Value::Object(user), now) {
        Ok(_) => Outcome::Updated(id.to_string()),
        Err(error) => failed(&error),
    }
}

fn failed(error: &ScimError) -> Outcome {
    Outcome::Failed(
        error.status_code().unwrap_or(500),
        error
            .detail
            .clone()
            .unwrap_or_else(|| "the tenant refused the user".into()),
    )
}

/// Sets the cells' values on a user body.
fn apply(user: &mut Map<String, Value>, cells: &[(Attribute, &str)]) -> Result<(), String> {
    for (attribute, value) in cells {
        let value = value.trim();
        match attribute {
            Attribute::UserName => {
                user.insert("userName".into(), value.into());
            }
            Attribute::PrimaryEmail => {
                let emails = user.entry("emails").or_insert_with(|| json!([]));
                match emails.as_array_mut().and_then(|list| list.first_mut()) {
                    Some(Value::Object(first)) => {
                        first.insert("value".into(), value.into());
                    }
                    _ => *emails = json!([{ "value": value, "type": "work", "primary": true }]),
                }
            }
            Attribute::Active => {
                let active = match value.to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(format!("active must be true or false, not {value:?}")),
                };
                user.insert("active".into(), active.into());
                // SAP's status follows active (IAS couples them), so an old status cannot
                // contradict the new value.
                if let Some(Value::Object(sap)) = user.get_mut(SAP_USER) {
                    sap.remove("status");
                }
            }
            Attribute::Core(path) => set(user, path, value),
            Attribute::Enterprise(name) => {
                let schemas = user.entry("schemas").or_insert_with(|| json!([CORE_USER]));
                if let Some(list) = schemas.as_array_mut()
                    && !list.iter().any(|s| s.as_str() == Some(ENTERPRISE_USER))
                {
                    list.push(ENTERPRISE_USER.into());
                }
                set(user, &[ENTERPRISE_USER, name], value);
            }
        }
    }
    Ok(())
}

/// Sets a text value at a path of nested objects, creating the objects.
fn set(object: &mut Map<String, Value>, path: &[&str], value: &str) {
    let (last, parents) = path.split_last().expect("paths are not empty");
    let mut current = object;
    for parent in parents {
        let entry = current
            .entry(parent.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        current = entry.as_object_mut().expect("made an object above");
    }
    current.insert(last.to_string(), value.into());
}

/// Where the parser is within a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// Before the first character of a field.
    FieldStart,
    /// In a field that did not start with a quote.
    Unquoted,
    /// Inside quotes.
    Quoted,
    /// After the closing quote of a field.
    AfterQuote,
}

/// Splits CSV text into records (RFC 4180), skipping blank lines.
fn records(text: &str) -> Result<Vec<Record>, Malformed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records: Vec<Record> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut state = Scan::FieldStart;
    let mut line = 1;
    let mut record_line = 1;
    let mut quote_line = 1;
    let mut content = false;
    let mut chars = text.chars().peekable();
    let malformed =
        |records: &Vec<Record>, line: usize, fields: &Vec<String>, message: &str| Malformed {
            row: records.len() + 1,
            line,
            column: Some(fields.len() + 1),
            message: message.to_string(),
        };
    while let Some(c) = chars.next() {
        let newline = c == '\n' || c == '\r';
        if c == '\r' && chars.peek() == Some(&'\n') {
            chars.next();
        }
        if newline && state != Scan::Quoted {
            if content {
                fields.push(std::mem::take(&mut field));
                records.push(Record {
                    row: records.len() + 1,
                    line: record_line,
                    fields: std::mem::take(&mut fields),
                });
            }
            line += 1;
            record_line = line;
            content = false;
            state = Scan::FieldStart;
            continue;
        }
        content = true;
        match (state, c) {
            (Scan::Quoted, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (Scan::Quoted, '"') => state = Scan::AfterQuote,
            (Scan::Quoted, _) if newline => {
                line += 1;
                field.push('\n');
            }
            (Scan::Quoted, _) => field.push(c),
            (_, ',') => {
                fields.push(std::mem::take(&mut field));
                state = Scan::FieldStart;
            }
            (Scan::FieldStart, '"') => {
                state = Scan::Quoted;
                quote_line = line;
            }
            (Scan::Unquoted, '"') => {
                return Err(malformed(
                    &records,
                    line,
                    &fields,
                    "a quote inside an unquoted field; put the whole field in quotes and double \
                     the quotes in it",
                ));
            }
            (Scan::AfterQuote, _) => {
                return Err(malformed(
                    &records,
                    line,
                    &fields,
                    "text after the closing quote of a quoted field; a quote inside quotes is \
                     written twice",
                ));
            }
            (Scan::FieldStart | Scan::Unquoted, _) => {
                field.push(c);
                state = Scan::Unquoted;
            }
        }
    }
    if state == Scan::Quoted {
        return Err(malformed(
            &records,
            quote_line,
            &fields,
            "unterminated quote: the quoted field has no closing quote before the end of the file",
        ));
    }
    if content {
        fields.push(field);
        records.push(Record {
            row: records.len() + 1,
            line: record_line,
            fields,
        });
    }
    Ok(records)
}

/// The route of the CSV import on the admin surface (**proposed**).
pub(crate) fn admin_routes() -> Router<Arc<IasMock>> {
    Router::new().route(
        "/_admin/ias/tenants/{tenant}/users/import",
        post(import_users),
    )
}

fn admin_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// `POST /_admin/ias/tenants/{tenant}/users/import`.
async fn import_users(
    State(mock): State<Arc<IasMock>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(tenant) = mock.tenant(&name) else {
        return admin_error(StatusCode::NOT_FOUND, format!("no tenant {name:?}"));
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case(TEXT_CSV) {
        return admin_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("send the users as {TEXT_CSV}, not {content_type:?}"),
        );
    }
    let text = match std::str::from_utf8(&body) {
        Ok(text) => text,
        Err(err) => {
            let line = body[..err.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return admin_error(
                StatusCode::BAD_REQUEST,
                format!("line {line}: the file is not UTF-8 text; nothing was imported"),
            );
        }
    };
    let file = match CsvFile::parse(text) {
        Ok(file) => file,
        Err(malformed) => {
            let answer = json!({
                "error": format!("{malformed}; nothing was imported"),
                "row": malformed.row,
                "line": malformed.line,
                "column": malformed.column,
            });
            return (StatusCode::BAD_REQUEST, Json(answer)).into_response();
        }
    };
    let clock = tenant.clock();
    let importing = {
        let tenant = tenant.clone();
        let clock = clock.clone();
        // A large file takes a while: off the async workers, under one write lock.
        tokio::task::spawn_blocking(move || {
            let now = clock.now();
            let run = || file.import(&mut tenant.directory_mut(), now);
            if tenant.realtime().has_targets() {
                realtime::capture_sync(Origin::CsvImport, run)
            } else {
                (run(), Vec::new())
            }
        })
        .await
    };
    let (rows, changes) = match importing {
        Ok(done) => done,
        Err(join) => match join.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => {
                return admin_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the mock is shutting down; the import did not finish",
                );
            }
        },
    };
    tenant
        .realtime()
        .dispatch(changes, &Origin::CsvImport, &clock);
    let count = |kind: fn(&Outcome) -> bool| rows.iter().filter(|r| kind(&r.outcome)).count();
    let answer = json!({
        "created": count(|o| matches!(o, Outcome::Created(_))),
        "updated": count(|o| matches!(o, Outcome::Updated(_))),
        "failed": count(|o| matches!(o, Outcome::Failed(..))),
        "rows": rows.iter().map(RowResult::view).collect::<Vec<_>>(),
    });
    (StatusCode::OK, Json(answer)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Uniqueness;

    fn now() -> Timestamp {
        "2026-11-22T09:00:00Z".parse().unwrap()
    }

    fn directory() -> Directory {
        Directory::new("https://ias", Uniqueness::default(), 3)
    }

    fn refused(text: &str) -> Malformed {
        CsvFile::parse(text).expect_err("malformed")
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        let file = CsvFile::parse(
            "\u{feff}userName,displayName\r\namy,\"Doe, Amy \"\"A\"\"\"\r\n\r\nben,\"two\nlines\"\n",
        )
        .unwrap();
        assert_eq!(file.len(), 2);
        assert_eq!(file.rows[0].fields, ["amy", "Doe, Amy \"A\""]);
        assert_eq!(file.rows[0].row, 2);
        assert_eq!(file.rows[1].fields, ["ben", "two\nlines"]);
        assert_eq!((file.rows[1].row, file.rows[1].line), (3, 4));
    }

    #[test]
    fn a_malformed_file_names_row_line_and_column() {
        let error = refused("userName,email\namy,amy@example.com\nben,\"ben@example.com\n");
        assert_eq!((error.row, error.line, error.column), (3, 3, Some(2)));
        assert!(error.message.starts_with("unterminated quote"), "{error}");
        assert_eq!(
            error.to_string(),
            "row 3 (line 3), column 2: unterminated quote: the quoted field has no closing quote before the end of the file"
        );

        let error = refused("userName,colour\n");
        assert_eq!((error.row, error.column), (1, Some(2)));
        assert!(
            error
                .message
                .starts_with("unknown column \"colour\"; the accepted columns are userName, email"),
            "{error}"
        );

        let error = refused("userName,email\namy,a@example.com,extra\n");
        assert_eq!((error.row, error.column), (2, Some(3)));
        assert_eq!(error.message, "the row has 3 columns, the header 2");

        let error = refused("userName,email\namy\n");
        assert_eq!((error.row, error.column), (2, Some(2)));

        let error = refused("userName,email,emails[0].value\n");
        assert_eq!(error.column, Some(3));
        assert!(
            error.message.contains("same attribute as column 2"),
            "{error}"
        );

        let error = refused("email\na@example.com\n");
        assert!(error.message.contains("no userName column"), "{error}");

        let error = refused("userName\nam\"y\n");
        assert_eq!((error.row, error.column), (2, Some(1)));
        let error = refused("userName\n\"amy\"x\n");
        assert!(
            error.message.starts_with("text after the closing quote"),
            "{error}"
        );
        assert_eq!(refused("").row, 1);
    }

    #[test]
    fn rows_create_or_update_users_by_user_name() {
        let mut directory = directory();
        let file = CsvFile::parse(
            "userName,email,name.givenName,name.familyName,displayName\n\
             amy,amy@example.com,Amy,Doe,Amy Doe\n\
             ben,ben@example.com,Ben,Roe,\n",
        )
        .unwrap();
        let rows = file.import(&mut directory, now());
        assert!(matches!(rows[0].outcome, Outcome::Created(_)), "{rows:?}");
        assert!(matches!(rows[1].outcome, Outcome::Created(_)), "{rows:?}");
        let Outcome::Created(amy) = &rows[0].outcome else {
            unreachable!()
        };
        let user = directory.user(amy).unwrap();
        assert_eq!(user["name"]["givenName"], "Amy");
        assert_eq!(user["emails"][0]["value"], "amy@example.com");
        assert_eq!(user["active"], true);

        let update = CsvFile::parse(
            "USERNAME,name.familyName,active,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department\n\
             AMY,Smith,false,Sales\n",
        )
        .unwrap();
        let rows = update.import(&mut directory, now());
        assert_eq!(rows[0].outcome, Outcome::Updated(amy.clone()));
        let user = directory.user(amy).unwrap();
        assert_eq!(user["name"]["familyName"], "Smith");
        assert_eq!(
            user["name"]["givenName"], "Amy",
            "an absent column changes nothing"
        );
        assert_eq!(user["emails"][0]["value"], "amy@example.com");
        assert_eq!(user["active"], false);
        assert_eq!(user[ENTERPRISE_USER]["department"], "Sales");
        assert_eq!(user[SAP_USER]["status"], "inactive");
    }

    #[test]
    fn a_failing_row_does_not_stop_the_others() {
        let mut directory = directory();
        let file = CsvFile::parse(
            "userName,email,active\n\
             amy,team@example.com,\n\
             ben,team@example.com,\n\
             ,cy@example.com,\n\
             dan,dan@example.com,maybe\n\
             eve,eve@example.com,TRUE\n",
        )
        .unwrap();
        let rows = file.import(&mut directory, now());
        let results: Vec<Value> = rows.iter().map(RowResult::view).collect();
        assert_eq!(results[0]["result"], "created");
        assert_eq!(results[1]["result"], "failed");
        assert_eq!(results[1]["status"], 409);
        assert_eq!(
            results[2]["error"],
            "userName is empty; every row needs one"
        );
        assert_eq!(
            results[3]["error"],
            "active must be true or false, not \"maybe\""
        );
        assert_eq!(results[4]["result"], "created");
        assert_eq!(results[4]["row"], 6);
        assert_eq!(directory.user_count(), 2);
    }

    #[test]
    fn imported_users_are_captured_for_real_time_pushes() {
        let mut directory = directory();
        let file =
            CsvFile::parse("userName,email\namy,amy@example.com\nben,ben@example.com\n").unwrap();
        let (_, changes) =
            realtime::capture_sync(Origin::CsvImport, || file.import(&mut directory, now()));
        let names: Vec<_> = changes.iter().filter_map(|c| c.user_name.clone()).collect();
        assert_eq!(names, ["amy", "ben"]);
    }
}
