//! Faults: declarative rules that make a mock misbehave on purpose, with the same format on
//! every mock (`GET|POST|DELETE /_admin/faults`). Contract: **proposed**.
//!
//! ```json
//! {"match": {"method": "POST", "path": "/scim/Users**", "header": {"name": "X-Test", "value": "1"}},
//!  "action": {"type": "status", "status": 429, "retryAfter": 60},
//!  "probability": 0.5, "seed": 7, "limit": {"count": 3}}
//! ```
//!
//! Actions: `status` (with optional `retryAfter` seconds), `latency` (`ms`, then the normal
//! answer), `drop` (close the connection without an answer), `malformedBody` (the normal status
//! with a body that is not valid JSON). Limits: `count` (fire at most N times) and `until` (a
//! landscape-clock time after which the rule no longer fires). Paths match as globs: `*` within
//! one segment, `**` across segments, `?` one character.

use jiff::Timestamp;
use sapland_core::json::{self, JsonError};
use serde::{Deserialize, Serialize};

use crate::ids::IdGenerator;

/// One fault rule as people write it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// Which requests the rule applies to.
    #[serde(rename = "match")]
    pub matcher: Matcher,
    /// What happens to them.
    pub action: Action,
    /// The chance that a matching request is hit, from 0 to 1 (default 1).
    #[serde(default = "always")]
    pub probability: f64,
    /// The seed of the rule's own random sequence, so runs are repeatable (default 0).
    #[serde(default)]
    pub seed: u64,
    /// When the rule stops firing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Limit>,
}

fn always() -> f64 {
    1.0
}

/// Which requests a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matcher {
    /// The HTTP method (any when absent), matched case-insensitively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// A glob over the request path, such as `/scim/Users/*`.
    pub path: String,
    /// A header that must be present with this exact value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<HeaderMatch>,
}

/// A header a request must carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderMatch {
    /// The header name, matched case-insensitively.
    pub name: String,
    /// The exact value.
    pub value: String,
}

/// What a rule does to a request it hits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Action {
    /// Answer with this status (and a `Retry-After` header when given).
    Status {
        /// The HTTP status, 100–599.
        status: u16,
        /// Seconds for `Retry-After`.
        #[serde(
            default,
            rename = "retryAfter",
            skip_serializing_if = "Option::is_none"
        )]
        retry_after: Option<u32>,
    },
    /// Wait this long, then answer normally.
    Latency {
        /// Milliseconds.
        ms: u64,
    },
    /// Close the connection without answering.
    Drop,
    /// Answer normally but with a body that is not valid JSON.
    MalformedBody,
}

/// When a rule stops firing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Limit {
    /// Fire at most this many times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Do not fire after this landscape-clock time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Timestamp>,
}

/// A fault rule that could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultRuleError {
    /// Not JSON of the rule's shape.
    #[error("{0}")]
    Json(#[from] JsonError),
    /// Parsed, but a value is out of range.
    #[error("{field}: {message}")]
    Invalid {
        /// The JSON path of the field.
        field: &'static str,
        /// What was expected.
        message: String,
    },
}

impl FaultRule {
    /// Parses and checks a rule from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, FaultRuleError> {
        let rule: Self = json::from_str(text)?;
        rule.validate()?;
        Ok(rule)
    }

    /// Checks the ranges the JSON shape cannot express.
    pub fn validate(&self) -> Result<(), FaultRuleError> {
        let invalid = |field, message: &str| {
            Err(FaultRuleError::Invalid {
                field,
                message: message.to_string(),
            })
        };
        if !self.matcher.path.starts_with('/') {
            return invalid("$.match.path", "expected a path glob starting with /");
        }
        if !(0.0..=1.0).contains(&self.probability) {
            return invalid("$.probability", "expected a number from 0 to 1");
        }
        if let Action::Status { status, .. } = self.action
            && !(100..=599).contains(&status)
        {
            return invalid("$.action.status", "expected an HTTP status from 100 to 599");
        }
        if let Some(limit) = &self.limit {
            if limit.count == Some(0) {
                return invalid("$.limit.count", "expected at least 1");
            }
            if limit.count.is_none() && limit.until.is_none() {
                return invalid("$.limit", "expected count, until or both");
            }
        }
        Ok(())
    }

    fn matches(&self, request: &RequestInfo<'_>) -> bool {
        let method_ok = self
            .matcher
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(request.method));
        let header_ok = self.matcher.header.as_ref().is_none_or(|wanted| {
            request.headers.iter().any(|(name, value)| {
                name.eq_ignore_ascii_case(&wanted.name) && *value == wanted.value
            })
        });
        method_ok && header_ok && glob_matches(&self.matcher.path, request.path)
    }
}

/// The parts of a request that rules look at.
#[derive(Debug, Clone, Copy)]
pub struct RequestInfo<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// The headers.
    pub headers: &'a [(&'a str, &'a str)],
}

/// A rule in force, with its id and how often it fired.
#[derive(Debug, Clone, Serialize)]
pub struct ActiveRule {
    /// The id given when it was added.
    pub id: u64,
    /// The rule.
    #[serde(flatten)]
    pub rule: FaultRule,
    /// How many requests it hit.
    pub fired: u64,
    #[serde(skip)]
    rng: IdGenerator,
}

/// The rules in force on one mock. The first rule that matches and fires decides.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    rules: Vec<ActiveRule>,
    next_id: u64,
}

impl Faults {
    /// Adds a rule and returns its id.
    pub fn add(&mut self, rule: FaultRule) -> u64 {
        self.next_id += 1;
        let rng = IdGenerator::seeded(rule.seed);
        self.rules.push(ActiveRule {
            id: self.next_id,
            rule,
            fired: 0,
            rng,
        });
        self.next_id
    }

    /// Removes a rule; `false` when there was none with that id.
    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        self.rules.len() != before
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The rules in force, in the order they are tried.
    pub fn rules(&self) -> &[ActiveRule] {
        &self.rules
    }

    /// The action for a request at landscape time `now`, if a rule hits it, with the rule's id.
    pub fn decide(&mut self, request: &RequestInfo<'_>, now: Timestamp) -> Option<(u64, Action)> {
        for active in &mut self.rules {
            let rule = &active.rule;
            if let Some(limit) = &rule.limit {
                let spent = limit.count.is_some_and(|count| active.fired >= count);
                let expired = limit.until.is_some_and(|until| now > until);
                if spent || expired {
                    continue;
                }
            }
            if !rule.matches(request) {
                continue;
            }
            let roll = (active.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            if roll >= rule.probability {
                continue;
            }
            active.fired += 1;
            return Some((active.id, rule.action.clone()));
        }
        None
    }
}

/// Whether `path` matches the glob: `*` within a segment, `**` across segments, `?` one char.
///
/// ```
/// use sapland_mock_kit::faults::glob_matches;
///
/// assert!(glob_matches("/scim/Users/*", "/scim/Users/42"));
/// assert!(!glob_matches("/scim/Users/*", "/scim/Users/42/x"));
/// assert!(glob_matches("/scim/**", "/scim/Users/42/x"));
/// ```
pub fn glob_matches(glob: &str, path: &str) -> bool {
    fn go(g: &[u8], p: &[u8]) -> bool {
        match g {
            [] => p.is_empty(),
            [b'*', b'*', rest @ ..] => (0..=p.len()).any(|i| go(rest, &p[i..])),
            [b'*', rest @ ..] => {
                let segment = p.iter().position(|&c| c == b'/').unwrap_or(p.len());
                (0..=segment).any(|i| go(rest, &p[i..]))
            }
            [b'?', rest @ ..] => !p.is_empty() && p[0] != b'/' && go(rest, &p[1..]),
            [c, rest @ ..] => p.first() == Some(c) && go(rest, &p[1..]),
        }
    }
    go(glob.as_bytes(), path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_matches("/scim/Users", "/scim/Users"));
        assert!(glob_matches("/scim/Users*", "/scim/Users"));
        assert!(
            !glob_matches("/scim/Users*", "/scim/Users/abc"),
            "* stays in its segment"
        );
        assert!(glob_matches("/scim/Users**", "/scim/Users/abc"));
        assert!(glob_matches("/scim/Users**", "/scim/Users"));
        assert!(glob_matches("/scim/Users/*", "/scim/Users/abc"));
        assert!(!glob_matches("/scim/Users/*", "/scim/Users/abc/x"));
        assert!(glob_matches("/scim/**", "/scim/Users/abc/x"));
        assert!(glob_matches("/**/Users", "/service/scim/Users"));
        assert!(glob_matches("/scim/Users/?", "/scim/Users/a"));
        assert!(!glob_matches("/scim/Users/?", "/scim/Users/ab"));
        assert!(!glob_matches("/scim", "/scim/Users"));
    }
}
