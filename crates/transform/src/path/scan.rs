//! The character scanner shared by the path and condition parsers: one text, one byte position,
//! and the syntax error both parsers report before it is turned into a public error type.

/// How deeply filters, parentheses, negations and JSON literals may nest before a parser gives up
/// (a guard against stack exhaustion on hostile input).
pub(crate) const MAX_DEPTH: usize = 64;

/// A parse failure at a byte position of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// Byte offset into the scanned text.
    pub(crate) pos: usize,
    /// What was wrong and what was expected.
    pub(crate) message: String,
}

impl SyntaxError {
    pub(crate) fn new(pos: usize, message: impl Into<String>) -> Self {
        Self {
            pos,
            message: message.into(),
        }
    }
}

/// Converts a byte offset of `text` into a character offset (what error messages report).
pub(crate) fn char_offset(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.char_indices().take_while(|(i, _)| *i < byte).count()
}

/// Describes the character at the scanner position for an error message.
pub(crate) fn describe(c: Option<char>) -> String {
    match c {
        None => "the end of the text".to_string(),
        Some(c) => format!("'{c}'"),
    }
}

/// A cursor over a text.
#[derive(Debug, Clone)]
pub(crate) struct Scanner<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Scanner<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Self { text, pos: 0 }
    }

    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// The character `n` characters after the current one (`peek_nth(0) == peek()`).
    pub(crate) fn peek_nth(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(crate) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    pub(crate) fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    pub(crate) fn eat_str(&mut self, s: &str) -> bool {
        if self.starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    pub(crate) fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    /// Consumes characters while `f` holds and returns them.
    pub(crate) fn take_while(&mut self, f: impl Fn(char) -> bool) -> &'t str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if f(c) {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        &self.text[start..self.pos]
    }

    /// Consumes `c` or fails with "expected `what`".
    pub(crate) fn expect(&mut self, c: char, what: &str) -> Result<(), SyntaxError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(format!("expected {what}, found {}", describe(self.peek()))))
        }
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError::new(self.pos, message)
    }

    /// Reads a string literal whose opening quote is the current character. Escapes follow
    /// Jayway (`\'`, `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`); any other escaped
    /// character is kept with its backslash.
    pub(crate) fn quoted(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        let Some(quote) = self.bump() else {
            return Err(self.error("expected a quoted string"));
        };
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(SyntaxError::new(
                        start,
                        format!("unterminated string; expected a closing {quote}"),
                    ));
                }
                Some(c) if c == quote => return Ok(out),
                Some('\\') => {
                    let escape_pos = self.pos - 1;
                    match self.bump() {
                        None => {
                            return Err(SyntaxError::new(
                                start,
                                format!("unterminated string; expected a closing {quote}"),
                            ));
                        }
                        Some('b') => out.push('\u{8}'),
                        Some('f') => out.push('\u{c}'),
                        Some('n') => out.push('\n'),
                        Some('r') => out.push('\r'),
                        Some('t') => out.push('\t'),
                        Some('u') => out.push(self.unicode_escape(escape_pos)?),
                        Some(c @ ('\'' | '"' | '\\' | '/')) => out.push(c),
                        Some(c) => {
                            out.push('\\');
                            out.push(c);
                        }
                    }
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn unicode_escape(&mut self, escape_pos: usize) -> Result<char, SyntaxError> {
        let first = self.hex4(escape_pos)?;
        let code = if (0xD800..0xDC00).contains(&first) && self.starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4(escape_pos)?;
            if (0xDC00..0xE000).contains(&second) {
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            } else {
                self.pos = save;
                first
            }
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| {
            SyntaxError::new(
                escape_pos,
                "invalid \\u escape; expected a unicode scalar value",
            )
        })
    }

    fn hex4(&mut self, escape_pos: usize) -> Result<u32, SyntaxError> {
        let digits = self.rest().get(..4).unwrap_or("");
        if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_hexdigit()) {
            self.pos += 4;
            u32::from_str_radix(digits, 16)
                .map_err(|_| SyntaxError::new(escape_pos, "invalid \\u escape"))
        } else {
            Err(SyntaxError::new(
                escape_pos,
                "invalid \\u escape; expected four hexadecimal digits",
            ))
        }
    }

    /// Reads an optionally negative decimal integer.
    pub(crate) fn integer(&mut self) -> Result<i64, SyntaxError> {
        let start = self.pos;
        self.eat('-');
        let digits = self.take_while(|c| c.is_ascii_digit());
        if digits.is_empty() {
            self.pos = start;
            return Err(self.error(format!(
                "expected an integer, found {}",
                describe(self.peek())
            )));
        }
        let text = &self.text[start..self.pos];
        text.parse::<i64>()
            .map_err(|_| SyntaxError::new(start, format!("integer {text} is out of range")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_unescape_like_jayway() {
        let mut s = Scanner::new(r#"'it\'s a \"b\" \u00e9 \q'"#);
        assert_eq!(s.quoted().unwrap(), "it's a \"b\" é \\q");
        assert!(s.at_end());
    }

    #[test]
    fn surrogate_pairs_combine() {
        let mut s = Scanner::new(r"'\ud83d\ude00'");
        assert_eq!(s.quoted().unwrap(), "😀");
    }

    #[test]
    fn unterminated_string_points_at_the_opening_quote() {
        let mut s = Scanner::new("x 'abc");
        s.bump();
        s.skip_ws();
        let err = s.quoted().unwrap_err();
        assert_eq!(err.pos, 2);
        assert!(err.message.contains("unterminated"));
    }

    #[test]
    fn bad_unicode_escape_is_an_error_not_a_panic() {
        for text in [r"'\u12'", r"'\uzzzz'", r"'\ud800'", "'\\u"] {
            assert!(Scanner::new(text).quoted().is_err(), "{text}");
        }
    }

    #[test]
    fn integers_reject_overflow() {
        assert_eq!(Scanner::new("-12]").integer().unwrap(), -12);
        assert!(Scanner::new("99999999999999999999").integer().is_err());
        assert!(Scanner::new("-x").integer().is_err());
    }

    #[test]
    fn char_offsets_count_characters() {
        assert_eq!(char_offset("é$x", 3), 2);
        assert_eq!(char_offset("abc", 99), 3);
    }
}
