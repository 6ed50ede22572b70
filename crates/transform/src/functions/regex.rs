//! The regex functions (`reference/ips-ias.md` §1.8): `matchRegex`, `getMatchedRegexGroup`,
//! `replaceFirstString`, `replaceLastString` and `replaceAllString`, with Java's syntax for
//! patterns ([`JavaRegex`]) and for replacements (`$1`, `${name}`, `\$`).

use fancy_regex::{Captures, Regex};
use serde_json::Value;

use super::fault::{Fault, Outcome};
use super::params::Params;
use super::values::text;
use crate::condition::JavaRegex;

/// A Java pattern compiled twice: whole-text matching ([`JavaRegex::matches`]) and searching.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    java: JavaRegex,
    search: Regex,
}

impl Pattern {
    fn compile(params: &Params<'_>) -> Outcome<Self> {
        let source = params.required_text("regex")?;
        let java = JavaRegex::new(&source)
            .map_err(|err| Fault::parameter("regex", format!("invalid regex {source:?}: {err}")))?;
        let search = Regex::new(java.translated())
            .map_err(|err| Fault::parameter("regex", format!("invalid regex {source:?}: {err}")))?;
        Ok(Self { java, search })
    }

    /// Java's `Matcher.groupCount()`.
    fn group_count(&self) -> usize {
        self.search.captures_len() - 1
    }

    fn failed(&self, err: impl std::fmt::Display) -> Fault {
        Fault::value(format!(
            "regex /{}/ could not be evaluated: {err}",
            self.java.as_str()
        ))
    }

    /// Every match, left to right, as Java's `Matcher.find()` loop sees them.
    fn captures<'t>(&self, text: &'t str) -> Outcome<Vec<Captures<'t, str>>> {
        self.search
            .captures_iter(text)
            .map(|c| c.map_err(|err| self.failed(err)))
            .collect()
    }
}

/// `matchRegex`: whether the whole text matches (`Matcher.matches()`), as a boolean.
#[derive(Debug, Clone)]
pub(crate) struct MatchRegex {
    pattern: Pattern,
}

impl MatchRegex {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        Ok(Self {
            pattern: Pattern::compile(params)?,
        })
    }

    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let text = text(value)?;
        let matched = self
            .pattern
            .java
            .matches(&text)
            .map_err(|err| Fault::value(err.message))?;
        Ok(Some(Value::Bool(matched)))
    }
}

/// `getMatchedRegexGroup`: the first match found anywhere in the text (`Matcher.find()`), then
/// its group `groupIndex` (0 is the whole match). No match, or a group that took no part in the
/// match, gives no value.
#[derive(Debug, Clone)]
pub(crate) struct MatchedGroup {
    pattern: Pattern,
    group: usize,
}

impl MatchedGroup {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        let pattern = Pattern::compile(params)?;
        let index = params.required_integer("groupIndex")?;
        let group = usize::try_from(index)
            .ok()
            .filter(|g| *g <= pattern.group_count())
            .ok_or_else(|| {
                Fault::parameter(
                    "groupIndex",
                    format!(
                        "groupIndex {index} does not exist: the regex has {} group{} (0 is the whole match)",
                        pattern.group_count(),
                        if pattern.group_count() == 1 { "" } else { "s" }
                    ),
                )
            })?;
        Ok(Self { pattern, group })
    }

    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let text = text(value)?;
        let captures = self
            .pattern
            .search
            .captures(text.as_ref())
            .map_err(|err| self.pattern.failed(err))?;
        Ok(captures
            .and_then(|c| c.get(self.group))
            .map(|m| Value::String(m.as_str().to_string())))
    }
}

/// Which matches a regex replacement replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    /// `replaceFirstString`.
    First,
    /// `replaceLastString`: the last of the matches found left to right.
    Last,
    /// `replaceAllString`.
    All,
}

/// `replaceFirstString`, `replaceLastString`, `replaceAllString`.
#[derive(Debug, Clone)]
pub(crate) struct ReplaceRegex {
    pattern: Pattern,
    replacement: Vec<Piece>,
    which: Which,
}

/// A part of a Java replacement string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Group(usize),
}

impl ReplaceRegex {
    pub(crate) fn compile(params: &Params<'_>, which: Which) -> Outcome<Self> {
        let pattern = Pattern::compile(params)?;
        let replacement = params.required_text("replacement")?;
        let replacement = parse_replacement(&replacement, &pattern.search)
            .map_err(|message| Fault::parameter("replacement", message))?;
        Ok(Self {
            pattern,
            replacement,
            which,
        })
    }

    pub(crate) fn run(&self, value: &Value) -> Outcome<Option<Value>> {
        let text = text(value)?;
        let mut captures = self.pattern.captures(text.as_ref())?;
        match self.which {
            Which::First => captures.truncate(1),
            Which::Last => {
                let last = captures.pop();
                captures = last.into_iter().collect();
            }
            Which::All => {}
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for capture in &captures {
            let Some(whole) = capture.get(0) else {
                continue;
            };
            out.push_str(&text[at..whole.start()]);
            for piece in &self.replacement {
                match piece {
                    Piece::Literal(literal) => out.push_str(literal),
                    Piece::Group(group) => {
                        if let Some(m) = capture.get(*group) {
                            out.push_str(m.as_str());
                        }
                    }
                }
            }
            at = whole.end();
        }
        out.push_str(&text[at..]);
        Ok(Some(Value::String(out)))
    }
}

/// Reads a replacement the way Java's `Matcher.appendReplacement` does: `\x` is `x`, `$n` a
/// group (digits are taken while the number stays a group of the regex), `${name}` a named
/// group; anything else after `$` is an error, as in Java.
fn parse_replacement(text: &str, regex: &Regex) -> Result<Vec<Piece>, String> {
    let group_count = regex.captures_len() - 1;
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => literal.push(escaped),
                None => {
                    return Err("character to be escaped is missing after the final '\\'".into());
                }
            },
            '$' => {
                let group = match chars.peek().copied() {
                    None => {
                        return Err(
                            "illegal group reference: '$' at the end; write \\$ for a dollar sign"
                                .into(),
                        );
                    }
                    Some('{') => {
                        chars.next();
                        let mut name = String::new();
                        loop {
                            match chars.next() {
                                Some('}') => break,
                                Some(c) if c.is_ascii_alphanumeric() => name.push(c),
                                _ => return Err("named group reference ${…} is missing its closing '}' or holds other than letters and digits".into()),
                            }
                        }
                        regex
                            .capture_names()
                            .position(|n| n == Some(name.as_str()))
                            .ok_or_else(|| format!("no group named {name:?} in the regex"))?
                    }
                    Some(d) if d.is_ascii_digit() => {
                        chars.next();
                        let mut group = d.to_digit(10).map_or(0, |d| d as usize);
                        while let Some(next) = chars.peek().and_then(|c| c.to_digit(10)) {
                            let longer = group * 10 + next as usize;
                            if longer > group_count {
                                break;
                            }
                            group = longer;
                            chars.next();
                        }
                        if group > group_count {
                            return Err(format!(
                                "no group {group}: the regex has {group_count} group{}",
                                if group_count == 1 { "" } else { "s" }
                            ));
                        }
                        group
                    }
                    Some(other) => {
                        return Err(format!(
                            "illegal group reference '${other}': '$' must be followed by a group number or {{name}}; write \\$ for a dollar sign"
                        ));
                    }
                };
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Group(group));
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}
