//! Plain aligned columns.

use std::fmt::Write;

/// Renders rows as left-aligned columns separated by two spaces; trailing blanks trimmed.
pub(crate) fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate().take(columns) {
            let _ = write!(line, "{cell:<width$}  ", width = widths[i]);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn aligns_columns_by_the_widest_cell() {
        let rows = vec![
            vec!["a".to_string(), "long value".to_string(), "x".to_string()],
            vec!["bbb".to_string(), "v".to_string(), String::new()],
        ];
        assert_eq!(
            super::render(&["K", "VALUE", "O"], &rows),
            "K    VALUE       O\na    long value  x\nbbb  v\n"
        );
    }
}
