//! CSV with a header row of JSONPaths (see [`super::parse`] for the rules).

use csv::StringRecord;
use serde_json::{Map, Value};

use super::error::RecordError;
use super::header::Column;
use super::limits::Limits;

pub(super) fn parse(text: &str, origin: &str, limits: Limits) -> Result<Vec<Value>, RecordError> {
    for line in limits.lines(text, origin) {
        line?;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = reader.records();
    let header_row = match rows.next() {
        Some(row) => row.map_err(|err| csv_error(origin, &err))?,
        None => {
            return Err(RecordError::file(
                origin,
                "the file is empty; expected a header row of JSONPaths such as \
                 userName,emails[0].value",
            ));
        }
    };
    let columns = columns(&header_row, origin)?;
    let mut records = Vec::new();
    for row in rows {
        let row = row.map_err(|err| csv_error(origin, &err))?;
        let line = line_of(&row);
        if row.iter().all(str::is_empty) {
            continue;
        }
        if row.len() != columns.len() {
            return Err(RecordError::at(
                origin,
                line,
                format!(
                    "expected {} cells as in the header row, found {}",
                    columns.len(),
                    row.len()
                ),
            ));
        }
        if records.len() == limits.records {
            return Err(limits.too_many(origin, line));
        }
        let mut record = Value::Object(Map::new());
        for (column, cell) in columns.iter().zip(row.iter()) {
            column
                .write(&mut record, cell)
                .map_err(|message| RecordError::at(origin, line, message).header(&column.header))?;
        }
        records.push(record);
    }
    Ok(records)
}

fn columns(row: &StringRecord, origin: &str) -> Result<Vec<Column>, RecordError> {
    let line = line_of(row);
    let mut columns: Vec<Column> = Vec::with_capacity(row.len());
    for (index, header) in row.iter().enumerate() {
        let column = Column::parse(header).map_err(|message| {
            let err = RecordError::at(origin, line, message);
            if header.trim().is_empty() {
                RecordError {
                    message: format!("column {}: {}", index + 1, err.message),
                    ..err
                }
            } else {
                err.header(header.trim())
            }
        })?;
        if let Some(first) = columns.iter().position(|c| c.header == column.header) {
            return Err(RecordError::at(
                origin,
                line,
                format!(
                    "the header appears twice (columns {} and {}); each column needs its own path",
                    first + 1,
                    index + 1
                ),
            )
            .header(&column.header));
        }
        columns.push(column);
    }
    Ok(columns)
}

fn line_of(row: &StringRecord) -> usize {
    row.position()
        .and_then(|p| usize::try_from(p.line()).ok())
        .unwrap_or(1)
}

fn csv_error(origin: &str, err: &csv::Error) -> RecordError {
    let line = err
        .position()
        .and_then(|p| usize::try_from(p.line()).ok())
        .unwrap_or(1);
    RecordError::at(origin, line, format!("not valid CSV: {err}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_quoted_cell_may_span_lines_and_rows_keep_their_first_line() {
        let text = "userName,title\nalice,\"a\nb\"\nbob,x,y\n";
        let err = parse(text, "u.csv", Limits::DEFAULT).unwrap_err();
        assert_eq!(
            err.to_string(),
            "u.csv:4: expected 2 cells as in the header row, found 3"
        );
        let records = parse(
            "userName,title\nalice,\"a, \"\"b\"\"\nc\"\n",
            "u.csv",
            Limits::DEFAULT,
        )
        .unwrap();
        assert_eq!(
            records,
            [json!({"userName": "alice", "title": "a, \"b\"\nc"})]
        );
    }

    #[test]
    fn empty_rows_are_skipped() {
        let records = parse("userName,title\n\n,\nalice,\n", "u.csv", Limits::DEFAULT).unwrap();
        assert_eq!(records, [json!({"userName": "alice"})]);
    }
}
