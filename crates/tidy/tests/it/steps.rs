//! `docs/steps.md` lists every step the scenarios define, and no other.
//!
//! The step attributes of `crates/scenarios/tests/scenarios/steps/*.rs` (`#[given(…)]`,
//! `#[when(…)]`, `#[then(…)]` with a literal, `expr = "…"` or `regex = "…"`) are read as text
//! and written in the catalogue's notation; the catalogue's steps are the code spans in the
//! `Step` column of its tables. Both sides are compared after one normalisation.
//!
//! The catalogue's notation: `"NAME"` is a quoted parameter, named as the reader needs;
//! `<name>` any other parameter (a number, a word, a list); `[text]` optional text; `(a|b)` one
//! of the alternatives (`\|` inside a table).

use std::collections::BTreeMap;

use crate::{read, repository};

/// Where the step definitions live, from the repository's root.
const STEPS: &str = "crates/scenarios/tests/scenarios/steps";
/// The step catalogue, from the repository's root.
const CATALOGUE: &str = "docs/steps.md";

/// A step as written in one place.
#[derive(Debug, Clone)]
struct Step {
    /// `file:line`.
    place: String,
    /// The step in the catalogue's notation, keyword first.
    shown: String,
}

#[test]
fn the_step_catalogue_lists_every_step_definition_and_no_other() {
    let (documented, mut problems) = catalogue();
    let defined = definitions();
    for (key, steps) in &defined {
        if !documented.contains_key(key) {
            for step in steps {
                problems.push(format!(
                    "{}: `{}` is defined but not in {CATALOGUE}",
                    step.place, step.shown
                ));
            }
        }
    }
    for (key, steps) in &documented {
        if !defined.contains_key(key) {
            for step in steps {
                problems.push(format!(
                    "{}: `{}` has no definition in {STEPS}",
                    step.place, step.shown
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{CATALOGUE} and the step definitions differ ({} problems; the catalogue writes \
         \"NAME\" for a quoted parameter, <name> for another, [text] for optional text and \
         (a\\|b) for alternatives):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Every step definition, by its normalised form.
fn definitions() -> BTreeMap<String, Vec<Step>> {
    let dir = repository().join(STEPS);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{STEPS}: {err}"))
        .map(|entry| entry.expect("a directory entry").file_name())
        .filter_map(|name| name.into_string().ok())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{STEPS} holds no step definitions");
    let mut defined: BTreeMap<String, Vec<Step>> = BTreeMap::new();
    for file in files {
        let path = format!("{STEPS}/{file}");
        for (line, keyword, pattern) in attributes(&path, &read(&path)) {
            let shown = format!("{keyword} {}", pattern.render()).replace('|', "\\|");
            defined.entry(normalise(&shown)).or_default().push(Step {
                place: format!("{path}:{line}"),
                shown,
            });
        }
    }
    defined
}

/// Every step of the catalogue by its normalised form, and what in it is not a step.
fn catalogue() -> (BTreeMap<String, Vec<Step>>, Vec<String>) {
    let text = read(CATALOGUE);
    let mut documented: BTreeMap<String, Vec<Step>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut in_step_table = false;
    for (index, line) in text.lines().enumerate() {
        let place = format!("{CATALOGUE}:{}", index + 1);
        let Some(row) = line.trim().strip_prefix('|') else {
            in_step_table = false;
            continue;
        };
        let first = first_cell(row).trim();
        if first == "Step" {
            in_step_table = true;
            continue;
        }
        if !in_step_table || first.chars().all(|c| matches!(c, '-' | ':' | ' ')) {
            continue;
        }
        let parts: Vec<&str> = first.split('`').collect();
        if parts.len().is_multiple_of(2) {
            problems.push(format!("{place}: a backtick without its pair"));
            continue;
        }
        if parts.len() == 1 {
            problems.push(format!(
                "{place}: a row of no step (write steps in backticks)"
            ));
        }
        // After a `+` come the table or doc string the step takes (+ table `a`, `b`), up to
        // the `/` before the next step.
        let mut attachment = false;
        for pair in parts.chunks(2).filter(|pair| pair.len() == 2) {
            let (text, step) = (pair[0], pair[1]);
            match (text.rfind('+'), text.rfind('/')) {
                (Some(plus), slash) => attachment = slash.is_none_or(|slash| plus > slash),
                (None, Some(_)) => attachment = false,
                (None, None) => {}
            }
            if attachment {
                continue;
            }
            if ["Given ", "When ", "Then "]
                .iter()
                .any(|keyword| step.starts_with(keyword))
            {
                documented.entry(normalise(step)).or_default().push(Step {
                    place: place.clone(),
                    shown: step.to_string(),
                });
            } else {
                problems.push(format!(
                    "{place}: `{step}` in the Step column is not a step (Given, When or Then \
                     and the whole step)"
                ));
            }
        }
    }
    (documented, problems)
}

/// The first cell of a table row (after its leading `|`): up to the first `|` that is not
/// written `\|`.
fn first_cell(row: &str) -> &str {
    let mut escaped = false;
    for (at, c) in row.char_indices() {
        match c {
            '|' if !escaped => return &row[..at],
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
    }
    row
}

/// The form both sides are compared in: `\|` is `|`, every quoted text `"_"`, every `<…>`
/// `<_>`, whitespace runs one space.
fn normalise(step: &str) -> String {
    let step = step.replace("\\|", "|");
    let mut out = String::with_capacity(step.len());
    let mut chars = step.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                chars.by_ref().find(|&c| c == '"');
                out.push_str("\"_\"");
            }
            '<' => {
                chars.by_ref().find(|&c| c == '>');
                out.push_str("<_>");
            }
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a step attribute matches.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    /// `#[given("…")]`: exactly this text.
    Literal(String),
    /// `expr = "…"`: a cucumber expression.
    Expression(String),
    /// `regex = "…"`.
    Regex(String),
}

impl Pattern {
    /// The step in the catalogue's notation, without its keyword.
    fn render(&self) -> String {
        match self {
            Self::Literal(text) => text.clone(),
            Self::Expression(text) => expression(text),
            Self::Regex(text) => {
                let mut parser = RegexParser {
                    chars: text.chars().collect(),
                    at: 0,
                };
                let alternatives = parser.alternatives();
                assert!(
                    parser.at == parser.chars.len(),
                    "an unbalanced ) in the regex {text:?}"
                );
                render_node(&Node::Group {
                    capture: false,
                    alternatives,
                })
                .replace("\"<…>\"", "\"…\"")
            }
        }
    }
}

/// The step attributes of a file: line, keyword and pattern.
fn attributes(path: &str, text: &str) -> Vec<(usize, &'static str, Pattern)> {
    let mut found = Vec::new();
    for (keyword, opening) in [
        ("Given", "#[given("),
        ("When", "#[when("),
        ("Then", "#[then("),
    ] {
        for (at, _) in text.match_indices(opening) {
            let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
            if !text[line_start..at].trim().is_empty() {
                continue;
            }
            let line = text[..at].matches('\n').count() + 1;
            let mut cursor = Cursor {
                text,
                at: at + opening.len(),
            };
            let pattern = cursor.attribute().unwrap_or_else(|| {
                panic!("{path}:{line}: a step attribute this check cannot read")
            });
            found.push((line, keyword, pattern));
        }
    }
    found.sort_by_key(|(line, _, _)| *line);
    found
}

/// Reads Rust source text from a position.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn skip_whitespace(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_whitespace();
        let found = self.rest().starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    /// The arguments of a step attribute, after its `(`, through its `)]`.
    fn attribute(&mut self) -> Option<Pattern> {
        let pattern = if self.eat("expr") {
            self.eat("=").then_some(())?;
            Pattern::Expression(self.string()?)
        } else if self.eat("regex") {
            self.eat("=").then_some(())?;
            Pattern::Regex(self.string()?)
        } else {
            Pattern::Literal(self.string()?)
        };
        self.eat(",");
        (self.eat(")") && self.eat("]")).then_some(pattern)
    }

    /// A string literal: `"…"` with escapes, or raw `r"…"`, `r#"…"#`.
    fn string(&mut self) -> Option<String> {
        self.skip_whitespace();
        let rest = self.rest();
        if let Some(raw) = rest.strip_prefix('r') {
            let hashes = raw.len() - raw.trim_start_matches('#').len();
            let body = raw[hashes..].strip_prefix('"')?;
            let end = body.find(&format!("\"{}", "#".repeat(hashes)))?;
            self.at += 1 + hashes + 1 + end + 1 + hashes;
            return Some(body[..end].to_string());
        }
        let body = rest.strip_prefix('"')?;
        let mut value = String::new();
        let mut chars = body.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += 1 + at + 1;
                    return Some(value);
                }
                '\\' => match chars.next()?.1 {
                    'n' => value.push('\n'),
                    't' => value.push('\t'),
                    '\\' => value.push('\\'),
                    '"' => value.push('"'),
                    '\'' => value.push('\''),
                    '\n' => {
                        while chars.clone().next().is_some_and(|(_, c)| c.is_whitespace()) {
                            chars.next();
                        }
                    }
                    _ => return None,
                },
                c => value.push(c),
            }
        }
        None
    }
}

/// A cucumber expression in the catalogue's notation: `{string}` is `"…"`, other parameters
/// `<…>`, `(text)` is `[text]`, `a/b` is `(a|b)`.
fn expression(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let alternatives = split_unescaped(word, '/');
            if alternatives.len() == 1 {
                expression_word(word)
            } else {
                let shown: Vec<String> = alternatives.iter().map(|a| expression_word(a)).collect();
                format!("({})", shown.join("|"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn split_unescaped(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (at, c) in text.char_indices() {
        match c {
            '\\' => escaped = !escaped,
            c if c == separator && !escaped => {
                parts.push(&text[start..at]);
                start = at + c.len_utf8();
            }
            _ => escaped = false,
        }
    }
    parts.push(&text[start..]);
    parts
}

fn expression_word(word: &str) -> String {
    let mut out = String::new();
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '{' => {
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                out.push_str(if name == "string" { "\"…\"" } else { "<…>" });
            }
            '(' => out.push('['),
            ')' => out.push(']'),
            c => out.push(c),
        }
    }
    out
}

/// The parts of the regexes step definitions use.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    /// A literal character.
    Char(char),
    /// A character class: `\d`, `[^"]`.
    Class,
    /// `.`: any character in a parameter, written as a dot elsewhere (step regexes use it so).
    Dot,
    /// `(…)` or `(?:…)`, with its alternatives.
    Group {
        capture: bool,
        alternatives: Vec<Vec<Node>>,
    },
    /// `x?`.
    Optional(Box<Node>),
    /// `x*`, `x+`, `x{n,m}`.
    Repeated,
}

struct RegexParser {
    chars: Vec<char>,
    at: usize,
}

impl RegexParser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        self.at += 1;
        c
    }

    fn eat(&mut self, text: &str) -> bool {
        let found = text
            .chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.at + i) == Some(&c));
        if found {
            self.at += text.chars().count();
        }
        found
    }

    /// Alternatives up to a `)` (not consumed) or the end.
    fn alternatives(&mut self) -> Vec<Vec<Node>> {
        let mut alternatives = vec![self.sequence()];
        while self.eat("|") {
            alternatives.push(self.sequence());
        }
        alternatives
    }

    fn sequence(&mut self) -> Vec<Node> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            if let Some(atom) = self.atom() {
                nodes.push(self.quantified(atom));
            }
        }
        nodes
    }

    fn atom(&mut self) -> Option<Node> {
        Some(match self.next()? {
            '^' | '$' => return None,
            '\\' => match self.next()? {
                'd' | 'D' | 'w' | 'W' | 's' | 'S' => Node::Class,
                'b' | 'B' => return None,
                c => Node::Char(c),
            },
            '.' => Node::Dot,
            '[' => {
                self.eat("^");
                self.eat("]");
                while let Some(c) = self.next() {
                    match c {
                        '\\' => {
                            self.next();
                        }
                        ']' => break,
                        _ => {}
                    }
                }
                Node::Class
            }
            '(' => {
                let capture = if self.eat("?:") {
                    false
                } else if self.eat("?P<") || self.eat("?<") {
                    while self.next().is_some_and(|c| c != '>') {}
                    true
                } else {
                    true
                };
                let alternatives = self.alternatives();
                assert!(self.eat(")"), "an unclosed ( in a step regex");
                Node::Group {
                    capture,
                    alternatives,
                }
            }
            c => Node::Char(c),
        })
    }

    fn quantified(&mut self, atom: Node) -> Node {
        let node = match self.peek() {
            Some('?') => {
                self.at += 1;
                Node::Optional(Box::new(atom))
            }
            Some('*' | '+') => {
                self.at += 1;
                Node::Repeated
            }
            Some('{') => {
                while self.next().is_some_and(|c| c != '}') {}
                Node::Repeated
            }
            _ => return atom,
        };
        self.eat("?");
        node
    }
}

/// Whether a sequence matches only its own text (and optional or alternative text).
fn literal(nodes: &[Node]) -> bool {
    nodes.iter().all(|node| match node {
        Node::Char(_) => true,
        Node::Optional(inner) => literal(std::slice::from_ref(&**inner)),
        Node::Group { alternatives, .. } => alternatives.iter().all(|a| literal(a)),
        Node::Class | Node::Dot | Node::Repeated => false,
    })
}

fn render_sequence(nodes: &[Node]) -> String {
    nodes.iter().map(render_node).collect()
}

/// A capture group of one alternative that is not literal text is a parameter, `<…>`.
fn render_node(node: &Node) -> String {
    match node {
        Node::Char(c) => c.to_string(),
        Node::Dot => ".".into(),
        Node::Class | Node::Repeated => "<…>".into(),
        Node::Optional(inner) => format!("[{}]", render_node(inner)),
        Node::Group {
            capture,
            alternatives,
        } => match alternatives.as_slice() {
            [only] if *capture && !literal(only) => "<…>".into(),
            [only] => render_sequence(only),
            several => {
                let shown: Vec<String> = several.iter().map(|a| render_sequence(a)).collect();
                format!("({})", shown.join("|"))
            }
        },
    }
}

#[test]
fn regexes_are_written_in_the_notation_of_the_catalogue() {
    let cases = [
        (
            r#"^a target system "([^"]+)" for tenant "([^"]+)"(?: on SCIM API version (1|2))?(?: fed by "([^"]+)")? using the default transformation$"#,
            r#"a target system "…" for tenant "…"[ on SCIM API version (1|2)][ fed by "…"] using the default transformation"#,
        ),
        (
            r"^the landscape clock advances (\d+) (seconds?|minutes?|hours?)$",
            "the landscape clock advances <…> (second[s]|minute[s]|hour[s])",
        ),
        (
            r#"^the version 1 user has (\S+) (".*"|true|false|\d+)$"#,
            r#"the version 1 user has <…> ("…"|true|false|<…>)"#,
        ),
        (
            r"^the environment variable (SAPLAND_SECRET__\w+) holds another Password$",
            "the environment variable <…> holds another Password",
        ),
        (
            r"^a client asks for a token with the (secret) key$",
            "a client asks for a token with the secret key",
        ),
        (
            r#"^the real-time log of "([^"]+)" shows (\d+) deliver(?:y|ies)$"#,
            r#"the real-time log of "…" shows <…> deliver(y|ies)"#,
        ),
        (
            r"^the X\.509 key and its meta.location$",
            "the X.509 key and its meta.location",
        ),
        (r"^(.+) and (.)$", "<…> and <…>"),
    ];
    for (regex, shown) in cases {
        assert_eq!(Pattern::Regex(regex.into()).render(), shown, "{regex}");
    }
}

#[test]
fn cucumber_expressions_are_written_in_the_notation_of_the_catalogue() {
    let pattern =
        Pattern::Expression("tenant {string} holds {int} user(s) in a/an \\(list\\)".into());
    assert_eq!(
        pattern.render(),
        r#"tenant "…" holds <…> user[s] in (a|an) (list)"#
    );
    let literal = Pattern::Literal("the answer (as text)".into());
    assert_eq!(literal.render(), "the answer (as text)");
}

#[test]
fn the_names_of_parameters_and_escaped_bars_do_not_count() {
    assert_eq!(
        normalise(r#"Given tenant "T" holds <n>  user[s] (a\|b)"#),
        normalise(r#"Given tenant "…" holds <…> user[s] (a|b)"#)
    );
    assert_ne!(
        normalise(r#"Given tenant "T" holds <n> user[s]"#),
        normalise(r#"Given tenant "T" holds <n> users"#)
    );
}

#[test]
fn step_attributes_are_read_from_rust_source() {
    let source = concat!(
        "#[given(\"a literal \\\"quoted\\\" step\")]\n",
        "    #[when(expr = \"an {int} expression\")]\n",
        "#[then(\n    regex = r#\"^a \"(\\d+)\" regex$\"#\n)]\n",
        "/// #[then(\"not an attribute\")]\n",
    );
    assert_eq!(
        attributes("test.rs", source),
        vec![
            (
                1,
                "Given",
                Pattern::Literal("a literal \"quoted\" step".into())
            ),
            (2, "When", Pattern::Expression("an {int} expression".into())),
            (3, "Then", Pattern::Regex("^a \"(\\d+)\" regex$".into())),
        ]
    );
}
