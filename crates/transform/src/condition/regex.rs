//! Java regular expressions (`java.util.regex.Pattern`, what IPS and Jayway use) on top of
//! `fancy-regex`: the pattern is translated where the two syntaxes differ, then compiled.
//!
//! Translated (Java meaning kept):
//! - `\d \w \s` and their negations are ASCII-only in Java: they become explicit ASCII classes
//!   (unless the `U` flag, `UNICODE_CHARACTER_CLASS`, is set anywhere in the pattern).
//! - POSIX classes `\p{Lower} \p{Upper} \p{ASCII} \p{Alpha} \p{Digit} \p{Alnum} \p{Punct}
//!   \p{Graph} \p{Print} \p{Blank} \p{Cntrl} \p{XDigit} \p{Space}` (and `\P{…}`) become ASCII
//!   classes; `\p{IsX}` becomes `\p{X}`; `\p{javaLowerCase}`, `\p{javaUpperCase}`,
//!   `\p{javaWhitespace}` map to the Unicode properties.
//! - `\h \H \v \V \R \Z`, `\e \a \cX`, octal `\0nnn`, `\uXXXX` (surrogate pairs too), `\xhh`,
//!   `\x{h…}` and `\Q…\E` quoting.
//! - Any escaped non-alphanumeric character is a literal (in Rust syntax `\<` would be a word
//!   boundary).
//! - Inline flags `(?idmsuxU-idmsuxU)` / `(?…:X)`: `i m s x` are kept, `d u U` dropped (`U` switches
//!   the Unicode classes on).
//! - In character classes `~` and a second `-` are literal (Rust would read `~~`/`--` as set
//!   operations) and `[:` opens a nested class, not a POSIX class.
//!
//! Kept as is because both engines agree: atomic groups `(?>…)`, possessive quantifiers, look-around,
//! named groups and back-references, class intersection `&&`, nested classes.
//!
//! Rejected with an error: escapes Java does not know (`\K`, `\X`, `\N{…}`, …), Unicode blocks
//! `\p{InX}`, and anything `fancy-regex` cannot compile. Known approximation (**proposed**): `.`
//! excludes only `\n` (Java also excludes `\r`, `\u0085`, `\u2028`, `\u2029`), and `(?i)` folds
//! Unicode case (Java folds ASCII only unless `u` is set).

use std::fmt;

/// A regular expression in Java syntax that could not be translated or compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {position} of the regex: {message}")]
pub struct RegexError {
    /// 0-based character offset into the Java pattern.
    pub position: usize,
    /// What was wrong.
    pub message: String,
}

/// A compiled Java regular expression.
#[derive(Clone)]
pub struct JavaRegex {
    source: String,
    flags: String,
    translated: String,
    whole: fancy_regex::Regex,
}

impl fmt::Debug for JavaRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}/{}", self.source, self.flags)
    }
}

impl JavaRegex {
    /// Compiles a Java pattern without flags.
    pub fn new(pattern: &str) -> Result<Self, RegexError> {
        Self::with_flags(pattern, "")
    }

    /// Compiles a Java pattern with Jayway's pattern flags (`/…/flags`): `i` case-insensitive,
    /// `m` multi-line, `s` dot-all, `x` comments, `d`, `u`, `U` (accepted; see the module docs).
    pub fn with_flags(pattern: &str, flags: &str) -> Result<Self, RegexError> {
        let mut inline = String::new();
        let mut unicode_classes = false;
        for (i, flag) in flags.chars().enumerate() {
            match flag {
                'i' | 'm' | 's' | 'x' => {
                    if !inline.contains(flag) {
                        inline.push(flag);
                    }
                }
                'd' | 'u' => {}
                'U' => unicode_classes = true,
                other => {
                    return Err(RegexError {
                        position: pattern.chars().count() + 1 + i,
                        message: format!(
                            "unknown regex flag '{other}'; expected one of i, m, s, x, d, u, U"
                        ),
                    });
                }
            }
        }
        let translated = translate(pattern, unicode_classes)?;
        let prefix = if inline.is_empty() {
            String::new()
        } else {
            format!("(?{inline})")
        };
        let whole =
            fancy_regex::Regex::new(&format!("{prefix}\\A(?:{translated})\\z")).map_err(|err| {
                RegexError {
                    position: 0,
                    message: format!("invalid regex /{pattern}/: {err}"),
                }
            })?;
        Ok(Self {
            source: pattern.to_string(),
            flags: flags.to_string(),
            translated: format!("{prefix}{translated}"),
            whole,
        })
    }

    /// The Java pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The pattern in `fancy-regex` syntax, unanchored and with the flags inlined — for callers
    /// that search or replace (`replaceAllString` and friends).
    pub fn translated(&self) -> &str {
        &self.translated
    }

    /// Java's `Matcher.matches()`: true when the **whole** text matches. Fails only when the
    /// backtracking limit is exceeded.
    pub fn matches(&self, text: &str) -> Result<bool, RegexError> {
        self.whole.is_match(text).map_err(|err| RegexError {
            position: 0,
            message: format!("regex /{}/ could not be evaluated: {err}", self.source),
        })
    }
}

const DIGIT: &str = "0-9";
const WORD: &str = "a-zA-Z_0-9";
const SPACE: &str = " \\t\\n\\x0B\\f\\r";
const HSPACE: &str = " \\t\\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}";
const VSPACE: &str = "\\n\\x0B\\f\\r\\x{85}\\x{2028}\\x{2029}";

fn posix_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => "\\x00-\\x7F",
        "Alpha" => "a-zA-Z",
        "Digit" => "0-9",
        "Alnum" => "a-zA-Z0-9",
        "Punct" => "!-/:-@\\[-`{-~",
        "Graph" => "!-~",
        "Print" => " -~",
        "Blank" => " \\t",
        "Cntrl" => "\\x00-\\x1F\\x7F",
        "XDigit" => "0-9a-fA-F",
        "Space" => SPACE,
        _ => return None,
    })
}

fn class(negated: bool, items: &str) -> String {
    if negated {
        format!("[^{items}]")
    } else {
        format!("[{items}]")
    }
}

fn literal(c: char) -> String {
    format!("\\x{{{:X}}}", c as u32)
}

struct Translator {
    chars: Vec<char>,
    i: usize,
    out: String,
    class_depth: usize,
    unicode_classes: bool,
}

/// Translates a Java pattern into `fancy-regex` syntax.
fn translate(pattern: &str, unicode_flag: bool) -> Result<String, RegexError> {
    let chars: Vec<char> = pattern.chars().collect();
    let unicode_classes = unicode_flag || has_inline_u(&chars);
    let mut t = Translator {
        chars,
        i: 0,
        out: String::with_capacity(pattern.len() + 16),
        class_depth: 0,
        unicode_classes,
    };
    t.run()?;
    Ok(t.out)
}

/// True when an inline flag group such as `(?iU)` or `(?U:` switches on UNICODE_CHARACTER_CLASS.
fn has_inline_u(chars: &[char]) -> bool {
    let mut i = 0;
    while i + 2 < chars.len() {
        if chars[i] == '(' && chars[i + 1] == '?' {
            let mut j = i + 2;
            while j < chars.len() && matches!(chars[j], 'i' | 'd' | 'm' | 's' | 'u' | 'x' | 'U') {
                if chars[j] == 'U' {
                    return true;
                }
                j += 1;
            }
        }
        i += 1;
    }
    false
}

impl Translator {
    fn err(&self, position: usize, message: impl Into<String>) -> RegexError {
        RegexError {
            position,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn run(&mut self) -> Result<(), RegexError> {
        while let Some(c) = self.peek() {
            let at = self.i;
            self.i += 1;
            match c {
                '\\' => self.escape(at)?,
                '[' => {
                    self.out.push('[');
                    self.class_depth += 1;
                    if self.peek() == Some('^') {
                        self.i += 1;
                        self.out.push('^');
                    }
                    if let Some(first @ (':' | ']')) = self.peek() {
                        // `[:` is a nested class in Java, not POSIX; a leading `]` is literal.
                        self.i += 1;
                        self.out.push_str(&literal(first));
                    }
                }
                ']' if self.class_depth > 0 => {
                    self.class_depth -= 1;
                    self.out.push(']');
                }
                '~' if self.class_depth > 0 => self.out.push_str(&literal('~')),
                '-' if self.class_depth > 0 && self.out.ends_with('-') => {
                    self.out.push_str(&literal('-'));
                }
                '(' if self.class_depth == 0 && self.peek() == Some('?') => self.group(at)?,
                '{' if self.class_depth == 0 => self.repetition(at)?,
                other => self.out.push(other),
            }
        }
        if self.class_depth > 0 {
            return Err(self.err(self.chars.len(), "unclosed character class; expected ']'"));
        }
        Ok(())
    }

    /// `(?` at `at`: look-around, atomic, named and non-capturing groups pass; flag groups are
    /// translated.
    fn group(&mut self, at: usize) -> Result<(), RegexError> {
        // self.i points at '?'
        let rest: String = self.chars[self.i..].iter().take(3).collect();
        for passthrough in ["?:", "?=", "?!", "?>", "?<=", "?<!"] {
            if rest.starts_with(passthrough) {
                self.out.push('(');
                return Ok(());
            }
        }
        if rest.starts_with("?<") {
            self.out.push('(');
            return Ok(());
        }
        let mut j = self.i + 1;
        let mut on = String::new();
        let mut off = String::new();
        let mut negative = false;
        while let Some(&f) = self.chars.get(j) {
            match f {
                'i' | 'm' | 's' | 'x' => {
                    if negative {
                        off.push(f);
                    } else {
                        on.push(f);
                    }
                }
                'd' | 'u' | 'U' => {}
                '-' if !negative => negative = true,
                ')' | ':' => break,
                other => {
                    return Err(self.err(j, format!("unsupported group construct '(?{other}'")));
                }
            }
            j += 1;
        }
        let Some(&end) = self.chars.get(j) else {
            return Err(self.err(at, "unterminated group; expected ')'"));
        };
        self.i = j + 1;
        let flags = if off.is_empty() {
            on
        } else {
            format!("{on}-{off}")
        };
        match (flags.is_empty(), end) {
            (true, ')') => {}
            (true, _) => self.out.push_str("(?:"),
            (false, ')') => self.out.push_str(&format!("(?{flags})")),
            (false, _) => self.out.push_str(&format!("(?{flags}:")),
        }
        Ok(())
    }

    /// `{n}`, `{n,}` or `{n,m}` with `n <= m`; Java rejects any other `{` outside a class.
    fn repetition(&mut self, at: usize) -> Result<(), RegexError> {
        let close = self.chars[self.i..].iter().position(|&c| c == '}');
        let body: Option<String> =
            close.map(|close| self.chars[self.i..self.i + close].iter().collect());
        let valid = body.as_deref().and_then(|body| {
            let (low, high) = match body.split_once(',') {
                Some((low, high)) => (low, Some(high)),
                None => (body, None),
            };
            let low: u32 = low.parse().ok()?;
            match high {
                Some("") | None => Some(()),
                Some(high) => high.parse::<u32>().ok().filter(|&h| h >= low).map(|_| ()),
            }
        });
        match (valid, close) {
            (Some(()), Some(close)) => {
                self.out.push('{');
                self.out.extend(&self.chars[self.i..=self.i + close]);
                self.i += close + 1;
                Ok(())
            }
            _ => Err(self.err(
                at,
                "illegal repetition; expected {n}, {n,} or {n,m} with n <= m",
            )),
        }
    }

    fn escape(&mut self, at: usize) -> Result<(), RegexError> {
        let Some(c) = self.peek() else {
            return Err(self.err(at, "the pattern ends with a lone backslash"));
        };
        self.i += 1;
        let in_class = self.class_depth > 0;
        let u = self.unicode_classes;
        match c {
            'd' | 'D' | 'w' | 'W' | 's' | 'S' if u => {
                self.out.push('\\');
                self.out.push(c);
            }
            'd' => self.out.push_str(&class(false, DIGIT)),
            'D' => self.out.push_str(&class(true, DIGIT)),
            'w' => self.out.push_str(&class(false, WORD)),
            'W' => self.out.push_str(&class(true, WORD)),
            's' => self.out.push_str(&class(false, SPACE)),
            'S' => self.out.push_str(&class(true, SPACE)),
            'h' => self.out.push_str(&class(false, HSPACE)),
            'H' => self.out.push_str(&class(true, HSPACE)),
            'v' => self.out.push_str(&class(false, VSPACE)),
            'V' => self.out.push_str(&class(true, VSPACE)),
            'R' if !in_class => self.out.push_str(&format!("(?:\\r\\n|[{VSPACE}])")),
            'Z' if !in_class => self.out.push_str(&format!("(?=(?:\\r\\n|[{VSPACE}])?\\z)")),
            'b' | 'B' | 'A' | 'z' | 'G' if !in_class => {
                self.out.push('\\');
                self.out.push(c);
            }
            't' | 'n' | 'r' | 'f' => {
                self.out.push('\\');
                self.out.push(c);
            }
            'e' => self.out.push_str(&literal('\u{1B}')),
            'a' => self.out.push_str(&literal('\u{7}')),
            'c' => {
                let Some(x) = self.peek() else {
                    return Err(self.err(at, "\\c needs a control character letter"));
                };
                self.i += 1;
                let code = (x as u32) ^ 64;
                let ch = char::from_u32(code)
                    .ok_or_else(|| self.err(at, "invalid control character escape"))?;
                self.out.push_str(&literal(ch));
            }
            '0' => {
                let mut value = 0u32;
                let mut digits = 0;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(8)) {
                    if digits == 3 || (digits == 2 && value > 0o37) {
                        break;
                    }
                    value = value * 8 + d;
                    digits += 1;
                    self.i += 1;
                }
                if digits == 0 {
                    return Err(self.err(at, "illegal octal escape; expected \\0 and octal digits"));
                }
                self.out
                    .push_str(&literal(char::from_u32(value).unwrap_or('\u{0}')));
            }
            'x' => {
                let code = if self.peek() == Some('{') {
                    let close = self.chars[self.i..]
                        .iter()
                        .position(|&c| c == '}')
                        .ok_or_else(|| self.err(at, "unterminated \\x{…} escape"))?;
                    let hex: String = self.chars[self.i + 1..self.i + close].iter().collect();
                    self.i += close + 1;
                    u32::from_str_radix(&hex, 16).ok()
                } else {
                    let hex: String = self.chars[self.i..].iter().take(2).collect();
                    self.i += hex.chars().count();
                    if hex.len() == 2 {
                        u32::from_str_radix(&hex, 16).ok()
                    } else {
                        None
                    }
                };
                let ch = code
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.err(at, "illegal hexadecimal escape"))?;
                self.out.push_str(&literal(ch));
            }
            'u' => {
                let first = self.hex4(at)?;
                let code = if (0xD800..0xDC00).contains(&first)
                    && self.chars.get(self.i) == Some(&'\\')
                    && self.chars.get(self.i + 1) == Some(&'u')
                {
                    let save = self.i;
                    self.i += 2;
                    let second = self.hex4(at)?;
                    if (0xDC00..0xE000).contains(&second) {
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    } else {
                        self.i = save;
                        first
                    }
                } else {
                    first
                };
                let ch = char::from_u32(code)
                    .ok_or_else(|| self.err(at, "unpaired surrogate in \\u escape"))?;
                self.out.push_str(&literal(ch));
            }
            'p' | 'P' => self.property(at, c == 'P')?,
            'Q' => {
                while let Some(q) = self.peek() {
                    if q == '\\' && self.chars.get(self.i + 1) == Some(&'E') {
                        self.i += 2;
                        return Ok(());
                    }
                    self.i += 1;
                    self.out.push_str(&literal(q));
                }
            }
            'E' => {}
            'k' if !in_class => self.out.push_str("\\k"),
            '1'..='9' if !in_class => {
                self.out.push('\\');
                self.out.push(c);
            }
            c if c.is_ascii_alphanumeric() => {
                return Err(self.err(at, format!("unsupported escape \\{c}")));
            }
            other => self.out.push_str(&literal(other)),
        }
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> Result<u32, RegexError> {
        let hex: String = self.chars[self.i..].iter().take(4).collect();
        if hex.chars().count() == 4 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            self.i += 4;
            u32::from_str_radix(&hex, 16).map_err(|_| self.err(at, "illegal unicode escape"))
        } else {
            Err(self.err(
                at,
                "illegal unicode escape; expected four hexadecimal digits",
            ))
        }
    }

    fn property(&mut self, at: usize, negated: bool) -> Result<(), RegexError> {
        let name: String = if self.peek() == Some('{') {
            let close = self.chars[self.i..]
                .iter()
                .position(|&c| c == '}')
                .ok_or_else(|| self.err(at, "unterminated \\p{…}; expected '}'"))?;
            let name = self.chars[self.i + 1..self.i + close].iter().collect();
            self.i += close + 1;
            name
        } else if let Some(c) = self.peek() {
            self.i += 1;
            c.to_string()
        } else {
            return Err(self.err(at, "\\p needs a property name"));
        };
        if let Some(items) = posix_class(&name) {
            self.out.push_str(&class(negated, items));
            return Ok(());
        }
        let mapped = match name.as_str() {
            "javaLowerCase" => "Lowercase".to_string(),
            "javaUpperCase" => "Uppercase".to_string(),
            "javaWhitespace" => "White_Space".to_string(),
            "javaMirrored" => "Bidi_Mirrored".to_string(),
            n if n.starts_with("In") && n.len() > 2 => {
                return Err(self.err(at, format!("unicode blocks (\\p{{{n}}}) are not supported")));
            }
            n if n.starts_with("Is") && n.len() > 2 => n[2..].to_string(),
            n => n.to_string(),
        };
        self.out.push_str(&format!(
            "\\{}{{{mapped}}}",
            if negated { 'P' } else { 'p' }
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(pattern: &str, text: &str) -> bool {
        JavaRegex::new(pattern).unwrap().matches(text).unwrap()
    }

    #[test]
    fn matches_is_a_whole_string_match() {
        assert!(whole("abc", "abc"));
        assert!(!whole("abc", "xabcx"));
        assert!(whole(".*@example.com", "john@example.com"));
        assert!(!whole("a|b", "ab"));
    }

    #[test]
    fn flags() {
        assert!(
            JavaRegex::with_flags("abc", "i")
                .unwrap()
                .matches("ABC")
                .unwrap()
        );
        assert!(whole("(?i)abc", "aBc"));
        assert!(whole("(?iu)abc", "aBc"));
        assert!(whole("(?-u:a)b", "ab"));
        assert!(JavaRegex::with_flags("a", "g").is_err());
    }

    #[test]
    fn ascii_classes_stay_ascii() {
        assert!(!whole("\\d", "٣"));
        assert!(whole("\\d+", "123"));
        assert!(!whole("\\w", "é"));
        assert!(whole("(?U)\\w", "é"));
        assert!(whole("[\\s\\p{Punct}]+", " .,!-_"));
        assert!(!whole("\\p{Punct}", "a"));
        assert!(whole("\\P{Punct}", "a"));
        assert!(whole("\\p{IsLatin}+", "abé"));
        assert!(whole("\\p{Lu}", "É"));
    }

    #[test]
    fn escaped_punctuation_is_literal() {
        assert!(whole("a\\/b", "a/b"));
        assert!(whole("\\<x\\>", "<x>"));
        assert!(whole("\\Qa.b*\\E", "a.b*"));
        assert!(!whole("\\Qa.b\\E", "axb"));
    }

    #[test]
    fn java_escapes() {
        assert!(whole("\\u00e9", "é"));
        assert!(whole("\\x41\\x{42}", "AB"));
        assert!(whole("\\0101", "A"));
        assert!(whole("\\cA", "\u{1}"));
        assert!(whole("\\h", "\u{A0}"));
        assert!(whole("a\\Rb", "a\r\nb"));
        assert!(whole("a\\Z\\n", "a\n"));
        assert!(whole("a\\Z", "a"));
    }

    #[test]
    fn repetitions() {
        assert!(whole("a{2}", "aa"));
        assert!(whole("a{2,}", "aaa"));
        assert!(whole("a{1,2}+b", "aab"));
        assert!(whole("[{]", "{"));
    }

    #[test]
    fn atomic_groups_and_possessive_quantifiers() {
        assert!(!whole("(?>ab|a)b", "ab"));
        assert!(!whole("a*+a", "aaa"));
        assert!(whole("a*+b", "aaab"));
    }

    #[test]
    fn class_quirks() {
        assert!(whole("[a~]", "~"));
        assert!(whole("[[:a]]+", ":a"));
        assert!(whole("[]a]+\\d", "]a1"));
        assert!(whole("[^]a]", "b"));
        assert!(whole("[a-z&&[^aeiou]]", "b"));
        assert!(!whole("[a-z&&[^aeiou]]", "a"));
    }

    #[test]
    fn errors_name_the_problem_and_never_panic() {
        for bad in [
            "\\",
            "[abc",
            "(?<",
            "(?",
            "\\K",
            "\\p{InGreek}",
            "\\p{Nope}",
            "\\x{zz}",
            "\\u12",
            "\\ud800",
            "(",
            "*",
            "\\c",
            "\\0",
            "\\x{110000}",
            "a{2,1}",
            "(?#c)",
            "a{",
            "a{x}",
        ] {
            assert!(JavaRegex::new(bad).is_err(), "{bad}");
        }
    }
}
