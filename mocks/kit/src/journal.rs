//! The journal: a capped ring buffer of the requests a mock answered, for tests and people.
//!
//! **Invariant:** an entry is redacted when it is made; the journal never holds a secret.

use std::collections::VecDeque;

use axum::body::Bytes;
use jiff::Timestamp;
use serde::Serialize;

use crate::redact;

/// How many entries a journal keeps by default before dropping the oldest.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// One request and its answer, as the mock saw it, before redaction.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    /// When the request arrived (landscape clock).
    pub time: Timestamp,
    /// The HTTP method.
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// The raw query string, if any.
    pub query: Option<&'a str>,
    /// The request headers.
    pub request_headers: &'a [(&'a str, &'a str)],
    /// The request body.
    pub request_body: &'a Bytes,
    /// The response status.
    pub status: u16,
    /// The response's content type.
    pub response_content_type: Option<&'a str>,
    /// The response body.
    pub response_body: &'a Bytes,
    /// The fault rule that shaped the answer, if one did.
    pub fault: Option<u64>,
}

/// Body text in the journal, already redacted; shared with the exchange when nothing was masked.
/// Serialized as a string (invalid UTF-8 replaced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalText(Bytes);

impl JournalText {
    /// The text.
    pub fn as_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }
}

impl Serialize for JournalText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_str())
    }
}

/// A redacted journal entry. The only way to make one is [`JournalEntry::redacted`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// Position in the journal since the last clear, from 1.
    pub seq: u64,
    /// When the request arrived.
    pub time: Timestamp,
    /// The HTTP method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The query string, secrets masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The request headers, credentials masked.
    pub request_headers: Vec<(String, String)>,
    /// The request body, secrets masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<JournalText>,
    /// The response status.
    pub status: u16,
    /// The response body, secrets masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_body: Option<JournalText>,
    /// The fault rule that shaped the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<u64>,
}

impl JournalEntry {
    /// This entry with the answer: status, body (secrets masked) and the fault rule, if any.
    pub fn answered(
        mut self,
        status: u16,
        content_type: Option<&str>,
        body: &Bytes,
        fault: Option<u64>,
    ) -> Self {
        self.status = status;
        self.response_body =
            (!body.is_empty()).then(|| JournalText(redact::body_shared(content_type, body)));
        self.fault = fault;
        self
    }

    /// The exchange with every secret masked; `seq` is set when the entry is pushed.
    pub fn redacted(exchange: &Exchange<'_>) -> Self {
        let content_type = exchange
            .request_headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| *value);
        let non_empty = |bytes: &Bytes, content_type: Option<&str>| {
            (!bytes.is_empty()).then(|| JournalText(redact::body_shared(content_type, bytes)))
        };
        Self {
            seq: 0,
            time: exchange.time,
            method: exchange.method.to_string(),
            path: exchange.path.to_string(),
            query: exchange.query.map(redact::form),
            request_headers: exchange
                .request_headers
                .iter()
                .map(|(name, value)| (name.to_string(), redact::header(name, value)))
                .collect(),
            request_body: non_empty(exchange.request_body, content_type),
            status: exchange.status,
            response_body: non_empty(exchange.response_body, exchange.response_content_type),
            fault: exchange.fault,
        }
    }
}

/// A capped, redacted record of requests.
#[derive(Debug, Clone)]
pub struct Journal {
    capacity: usize,
    entries: VecDeque<JournalEntry>,
    next_seq: u64,
}

impl Default for Journal {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl Journal {
    /// A journal that keeps at most `capacity` entries (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            capacity,
            entries: VecDeque::new(),
            next_seq: 1,
        }
    }

    /// Records an exchange, redacting it first; drops the oldest entry when full.
    pub fn record(&mut self, exchange: &Exchange<'_>) -> u64 {
        self.push(JournalEntry::redacted(exchange))
    }

    /// Adds an entry made with [`JournalEntry::redacted`] (outside any lock, so redaction does
    /// not hold up other requests); numbers it and drops the oldest entry when full.
    pub fn push(&mut self, mut entry: JournalEntry) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        entry.seq = seq;
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
        seq
    }

    /// The newest `limit` entries (all when `None`), oldest first.
    pub fn latest(&self, limit: Option<usize>) -> Vec<JournalEntry> {
        let skip = limit.map_or(0, |n| self.entries.len().saturating_sub(n));
        self.entries.iter().skip(skip).cloned().collect()
    }

    /// How many entries the journal holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the journal is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forgets every entry; numbering starts again at 1.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.next_seq = 1;
    }
}
