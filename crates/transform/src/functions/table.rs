//! Reading the CSV data files under `crates/transform/data/`: lines starting with `#` are
//! comments, the first other line is the header, fields may be quoted with `"` (`""` inside a
//! quoted field is one quote).

/// The rows of a CSV text, header and comments left out.
pub(crate) fn rows(text: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .map(fields)
}

fn fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (other, _) => field.push(other),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::rows;

    #[test]
    fn reads_quoted_fields_and_skips_comments() {
        let text = "# a comment\nx,y\nUS,\"Korea, Republic of\"\n\"a\"\"b\",\n";
        let rows: Vec<_> = rows(text).collect();
        assert_eq!(
            rows,
            vec![vec!["US", "Korea, Republic of"], vec!["a\"b", ""]]
        );
    }
}
