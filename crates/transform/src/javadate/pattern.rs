//! Reading a pattern into tokens.

/// A Java date pattern that could not be read, or text that does not fit a pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {position}: {message}")]
pub struct DatePatternError {
    /// 0-based character offset into the pattern (or into the text being parsed).
    pub position: usize,
    /// What was wrong and what was expected.
    pub message: String,
}

impl DatePatternError {
    pub(super) fn new(position: usize, message: impl Into<String>) -> Self {
        Self {
            position,
            message: message.into(),
        }
    }
}

/// What a pattern letter stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    /// `y`.
    YearOfEra,
    /// `u`.
    Year,
    /// `M`, `L`.
    Month,
    /// `d`.
    DayOfMonth,
    /// `D`.
    DayOfYear,
    /// `H`: 0–23.
    Hour,
    /// `k`: 1–24.
    ClockHour,
    /// `h`: 1–12.
    ClockHourOfAmPm,
    /// `K`: 0–11.
    HourOfAmPm,
    /// `m`.
    Minute,
    /// `s`.
    Second,
    /// `S`: the first digits of the fraction of a second.
    Fraction,
    /// `n`.
    Nano,
    /// `a`.
    AmPm,
    /// `E`.
    DayName,
    /// `G`.
    Era,
    /// `X`: `Z` for zero.
    OffsetX,
    /// `x`: digits even for zero.
    Offsetx,
    /// `Z`.
    OffsetZ,
}

impl Field {
    /// The field of a pattern letter and the largest count it takes.
    fn of(letter: char) -> Option<(Field, usize)> {
        Some(match letter {
            'y' => (Field::YearOfEra, 19),
            'u' => (Field::Year, 19),
            'M' | 'L' => (Field::Month, 4),
            'd' => (Field::DayOfMonth, 2),
            'D' => (Field::DayOfYear, 3),
            'H' => (Field::Hour, 2),
            'k' => (Field::ClockHour, 2),
            'h' => (Field::ClockHourOfAmPm, 2),
            'K' => (Field::HourOfAmPm, 2),
            'm' => (Field::Minute, 2),
            's' => (Field::Second, 2),
            'S' => (Field::Fraction, 9),
            'n' => (Field::Nano, 9),
            'a' => (Field::AmPm, 1),
            'E' => (Field::DayName, 4),
            'G' => (Field::Era, 4),
            'X' => (Field::OffsetX, 5),
            'x' => (Field::Offsetx, 5),
            'Z' => (Field::OffsetZ, 5),
            _ => return None,
        })
    }

    /// Whether the field is written with digits (months depend on the count; see [`Token`]).
    fn is_numeric(self) -> bool {
        !matches!(
            self,
            Field::AmPm
                | Field::DayName
                | Field::Era
                | Field::OffsetX
                | Field::Offsetx
                | Field::OffsetZ
        )
    }
}

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// Text written and expected as is.
    Literal(String),
    /// A field and how many times its letter was repeated.
    Field(Field, usize),
}

impl Token {
    /// Whether the token is a field written with digits (months with `M`/`MM` included).
    pub(super) fn is_numeric(&self) -> bool {
        match self {
            Token::Literal(_) => false,
            Token::Field(Field::Month, count) => *count <= 2,
            Token::Field(field, _) => field.is_numeric(),
        }
    }
}

/// A compiled Java date pattern, such as `yyyy-MM-dd HH:mm:ss.SSS`. See the
/// [module documentation](super) for the letters it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatePattern {
    text: String,
    pub(super) tokens: Vec<Token>,
}

impl DatePattern {
    /// Reads a pattern. Unknown letters, too many repetitions of a letter, an unclosed quote and
    /// optional sections are errors that name the character.
    pub fn parse(pattern: &str) -> Result<DatePattern, DatePatternError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut tokens = Vec::new();
        let mut literal = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\'' {
                i = quoted(&chars, i, &mut literal)?;
                continue;
            }
            if c.is_ascii_alphabetic() {
                let Some((field, max)) = Field::of(c) else {
                    return Err(DatePatternError::new(
                        i,
                        format!(
                            "unknown pattern letter '{c}'; known: y u M L d D H k h K m s S n a E G X x Z (quote text with '…')"
                        ),
                    ));
                };
                let start = i;
                while i < chars.len() && chars[i] == c {
                    i += 1;
                }
                let count = i - start;
                if count > max {
                    return Err(DatePatternError::new(
                        start,
                        format!("too many '{c}': at most {max}, found {count}"),
                    ));
                }
                if !literal.is_empty() {
                    tokens.push(Token::Literal(std::mem::take(&mut literal)));
                }
                tokens.push(Token::Field(field, count));
                continue;
            }
            if matches!(c, '[' | ']' | '{' | '}' | '#') {
                return Err(DatePatternError::new(
                    i,
                    format!(
                        "'{c}' is reserved (optional sections are not supported); quote it as '{c}'"
                    ),
                ));
            }
            literal.push(c);
            i += 1;
        }
        if !literal.is_empty() {
            tokens.push(Token::Literal(literal));
        }
        Ok(DatePattern {
            text: pattern.to_string(),
            tokens,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Reads a quoted literal starting at the quote `chars[start]` into `literal`; returns the index
/// after it. `''` is one quote, inside or outside quoted text.
fn quoted(chars: &[char], start: usize, literal: &mut String) -> Result<usize, DatePatternError> {
    let mut i = start + 1;
    if chars.get(i) == Some(&'\'') {
        literal.push('\'');
        return Ok(i + 1);
    }
    loop {
        match chars.get(i) {
            None => {
                return Err(DatePatternError::new(
                    start,
                    "quote not closed: text quoted with ' needs a closing '",
                ));
            }
            Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                literal.push('\'');
                i += 2;
            }
            Some('\'') => return Ok(i + 1),
            Some(&c) => {
                literal.push(c);
                i += 1;
            }
        }
    }
}
