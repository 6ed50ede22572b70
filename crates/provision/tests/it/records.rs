//! Entity records from files: NDJSON, JSON arrays, CSV with JSONPath headers.

use sapland_provision::records::{Format, RecordError, open_file, parse, read_file};
use serde_json::json;

use crate::random::Rng;

fn csv(text: &str) -> Result<Vec<serde_json::Value>, RecordError> {
    parse(text, Format::Csv, "users.csv")
}

fn csv_error(text: &str) -> String {
    csv(text).unwrap_err().to_string()
}

// DESIGN.md: LOCAL_FILE source, file.format = ndjson — one JSON object per line.
#[test]
fn ndjson_reads_one_object_per_line_and_names_the_line_of_a_non_object() {
    let text = "{\"userName\":\"alice\"}\n\n{\"userName\":\"bob\"}\n";
    let records = parse(text, Format::Ndjson, "users.ndjson").unwrap();
    assert_eq!(
        records,
        [json!({"userName": "alice"}), json!({"userName": "bob"})]
    );
    let text = "{}\n{}\n{}\n{}\n{}\n{}\n[\"not\", \"a user\"]\n";
    let err = parse(text, Format::Ndjson, "users.ndjson").unwrap_err();
    assert_eq!(
        err.to_string(),
        "users.ndjson:7: expected a JSON object, found an array"
    );
}

// DESIGN.md: file.format = json — a JSON array of objects.
#[test]
fn json_reads_an_array_of_objects() {
    let text = r#"[
  {"userName": "alice", "emails": [{"value": "alice@example.com"}]},
  {"userName": "bob"}
]"#;
    let records = parse(text, Format::Json, "users.json").unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["emails"][0]["value"], "alice@example.com");
    let err = parse("[\n  {},\n  \"bob\"\n]", Format::Json, "users.json").unwrap_err();
    assert_eq!(
        err.to_string(),
        "users.json:3:3: expected a JSON object as record 2 ($[1]), found a string"
    );
}

// ips-ias.md §2.1 Validate: CSV headers are JSONPaths in dot notation, e.g. emails[0].value,
// name.familyName, groups[0].value.
#[test]
fn csv_headers_in_the_validate_job_style() {
    let text = "userName,name.familyName,emails[0].value,groups[0].value\n\
                alice,Smith,alice@example.com,g1\n";
    assert_eq!(
        csv(text).unwrap(),
        [json!({
            "userName": "alice",
            "name": {"familyName": "Smith"},
            "emails": [{"value": "alice@example.com"}],
            "groups": [{"value": "g1"}]
        })]
    );
}

// ips-ias.md §1.9 JSONPath dialect in headers: `$.`, bracketed URN keys, the array-of-objects
// target; proposed type suffixes and `|` lists.
#[test]
fn csv_headers_take_every_path_form_types_and_lists() {
    let text = "\
$.userName,emails[0].value,emails[0].primary:boolean,\
$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['department'],\
$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['employeeNumber']:number,\
groups[?(@.value)],active:boolean,roles:json,nickName
alice,alice@example.com,true,Sales,42,g1|g2,FALSE,\"[{\"\"value\"\":\"\"admin\"\"}]\",
bob,,,,,,,,Bobby
";
    let records = csv(text).unwrap();
    assert_eq!(
        records[0],
        json!({
            "userName": "alice",
            "emails": [{"value": "alice@example.com", "primary": true}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "department": "Sales",
                "employeeNumber": 42
            },
            "groups": [{"value": "g1"}, {"value": "g2"}],
            "active": false,
            "roles": [{"value": "admin"}]
        })
    );
    assert_eq!(
        records[1],
        json!({"userName": "bob", "nickName": "Bobby"}),
        "empty cells are absent attributes"
    );
}

#[test]
fn csv_errors_name_the_line_and_column_header() {
    let header = "userName,active:boolean\n";
    assert_eq!(
        csv_error(&format!("{header}alice,true\nbob,yes\n")),
        r#"users.csv:3: column "active:boolean": "yes" is not true or false"#
    );
    assert_eq!(
        csv_error("userName,age:number\nalice,12a\n"),
        r#"users.csv:2: column "age:number": "12a" is not a number"#
    );
    assert_eq!(
        csv_error("userName,roles:json\nalice,\"[1,\"\n"),
        r#"users.csv:2: column "roles:json": "[1," is not JSON: EOF while parsing a value"#
    );
    assert_eq!(
        csv_error(&format!("{header}alice\n")),
        "users.csv:2: expected 2 cells as in the header row, found 1"
    );
    assert_eq!(
        csv_error("userName,name,name.familyName\nalice,Alice,Smith\n"),
        r#"users.csv:2: column "name.familyName": cannot write the value: cannot write member 'familyName' into a string"#
    );
    assert_eq!(
        csv_error("userName,,title\n"),
        "users.csv:1: column 2: the header is empty; expected a JSONPath such as userName or emails[0].value"
    );
    assert_eq!(
        csv_error("userName,title,userName\n"),
        r#"users.csv:1: column "userName": the header appears twice (columns 1 and 3); each column needs its own path"#
    );
    let err = csv_error("userName,emails[0.value\n");
    assert!(
        err.starts_with(r#"users.csv:1: column "emails[0.value": not a JSONPath: "#),
        "{err}"
    );
    assert_eq!(
        csv_error(""),
        "users.csv: the file is empty; expected a header row of JSONPaths such as userName,emails[0].value"
    );
}

#[test]
fn read_file_names_the_file_and_the_line_of_bytes_that_are_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.csv");
    std::fs::write(&path, b"userName\nalice\nj\xf6rg\n").unwrap();
    let err = read_file(&path, Format::Csv).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3:2: not UTF-8 text (byte 0xf6); save the file as UTF-8",
            path.display()
        )
    );
    std::fs::write(&path, "\u{feff}userName\nalice\n").unwrap();
    assert_eq!(
        read_file(&path, Format::Csv).unwrap(),
        [json!({"userName": "alice"})]
    );
    let missing = dir.path().join("missing.ndjson");
    let err = read_file(&missing, Format::Ndjson).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{}: cannot read the file: ", missing.display())),
        "{err}"
    );
}

#[test]
fn open_file_checks_ndjson_whole_first_then_hands_out_the_records_one_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.ndjson");
    let text =
        "\u{feff}{\"userName\":\"alice\"}\r\n\n  \n{\"userName\":\"bob\",\"n\":[1,{\"a\":null}]}\n";
    std::fs::write(&path, text).unwrap();
    let mut records = open_file(&path, Format::Ndjson).unwrap();
    assert_eq!(records.remaining(), 2);
    assert_eq!(
        records.next().unwrap().unwrap(),
        json!({"userName": "alice"})
    );
    assert_eq!(records.remaining(), 1);
    let rest: Vec<_> = records.map(Result::unwrap).collect();
    assert_eq!(rest, [json!({"userName": "bob", "n": [1, {"a": null}]})]);
    assert_eq!(
        read_file(&path, Format::Ndjson).unwrap(),
        parse(
            text.trim_start_matches('\u{feff}'),
            Format::Ndjson,
            "users.ndjson"
        )
        .unwrap()
    );

    // A bad last line fails the open, before any record is handed out, as parse fails.
    for (bad, expected) in [
        ("{\"a\":1}\n{\"a\":}\n", ":2:6: expected value"),
        (
            "{\"a\":1}\n[1]\n",
            ":2: expected a JSON object, found an array",
        ),
        (
            "{\"a\":1}\n  \"x\"\n",
            ":2: expected a JSON object, found a string",
        ),
    ] {
        std::fs::write(&path, bad).unwrap();
        let err = open_file(&path, Format::Ndjson).unwrap_err().to_string();
        assert_eq!(err, format!("{}{expected}", path.display()));
        let parsed = parse(bad, Format::Ndjson, "x").unwrap_err().to_string();
        assert_eq!(parsed, format!("x{expected}"));
    }
}

/// Pieces hostile inputs are made of: JSON and CSV syntax, paths, type suffixes, odd text.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    ",",
    ":",
    "\n",
    "\r\n",
    "\r",
    " ",
    "|",
    "$",
    ".",
    "@",
    "?",
    "(",
    ")",
    "*",
    "..",
    "[?(@.value)]",
    "[0]",
    "[-1]",
    "[999999]",
    ":boolean",
    ":number",
    ":json",
    ":string",
    "true",
    "yes",
    "1e999",
    "-0",
    "null",
    "userName",
    "emails",
    "\u{feff}",
    "é",
    "\u{0}",
    "\\",
    "\\u12",
    "\"\"",
    "['urn:a:b']",
    "[*]",
    "length()",
    "[1:2]",
    "[?(@.a ==",
    "{\"a\":",
    "[[[[[[[[",
    "]]]]",
    "\t",
];

fn hostile(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..rng.below(40) {
        if rng.one_in(50) {
            text.push_str(&"[".repeat(rng.below(300)));
        }
        text.push_str(rng.pick(PIECES));
    }
    text
}

// DESIGN.md "Bad input and errors": every parser answers bad input with a precise error, never
// a panic. Seeded, so a failure reproduces.
#[test]
fn no_input_makes_a_parser_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let headers = [
        "userName",
        "active:boolean",
        "groups[?(@.value)]",
        "roles:json",
        "n:number",
    ];
    // 1500 rounds: building a CSV reader costs about 0.3 ms in a debug build.
    for _ in 0..1500 {
        let text = hostile(&mut rng);
        for format in [Format::Ndjson, Format::Json, Format::Csv] {
            if let Err(err) = parse(&text, format, "x") {
                assert!(!err.message.is_empty());
            }
        }
        // A valid header over hostile rows, to reach the cell writers.
        let mut table = String::new();
        let columns = 1 + rng.below(headers.len());
        let header: Vec<&str> = (0..columns).map(|_| rng.pick(&headers)).collect();
        table.push_str(&header.join(","));
        table.push('\n');
        table.push_str(&text);
        let _ = parse(&table, Format::Csv, "x");
    }
}
