//! Query strings and path segments, percent-encoded by hand: spaces as `%20` (OData
//! `$filter` text must not rely on `+` meaning a space, as form encoding has it), `$`, `,`,
//! `:`, `(`, `)` and `*` left as they are (RFC 3986 allows them in a query, and OData
//! expressions read better). The URL parser then encodes `'` as `%27`, as WHATWG URLs do for
//! http(s); servers decode both alike.

/// Query parameters in the order they were added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    /// An empty query.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds a parameter.
    pub(crate) fn push(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.0.push((name.into(), value.into()));
        self
    }

    /// Adds a parameter when there is a value.
    pub(crate) fn push_opt(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.push(name, value);
        }
        self
    }

    /// Adds a raw-data API's window: `from`/`to` as `YYYYMMDDHHmmss` UTC.
    pub(crate) fn push_between(&mut self, from: jiff::Timestamp, to: jiff::Timestamp) -> &mut Self {
        self.push("from", crate::window::format_time(from))
            .push("to", crate::window::format_time(to))
    }

    /// Adds a raw-data API's page — `limit`, `offset` and `onLimit=truncate`, without which a
    /// read with more records than a page is refused ([OBS] `reference/cloud-alm.md` §2.8) —
    /// then the caller's extra parameters.
    pub(crate) fn push_page(
        &mut self,
        limit: u32,
        offset: u64,
        extra: &[(String, String)],
    ) -> &mut Self {
        self.push("limit", limit.to_string())
            .push("offset", offset.to_string())
            .push("onLimit", "truncate");
        for (name, value) in extra {
            self.push(name.as_str(), value.as_str());
        }
        self
    }

    /// The encoded query, without `?`; `None` when empty.
    pub(crate) fn encode(&self) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let pairs: Vec<String> = self
            .0
            .iter()
            .map(|(name, value)| format!("{}={}", component(name), component(value)))
            .collect();
        Some(pairs.join("&"))
    }
}

/// Percent-encodes one query name or value.
pub(crate) fn component(text: &str) -> String {
    encode(text, |byte| {
        byte.is_ascii_alphanumeric() || b"-._~$',:()*".contains(&byte)
    })
}

/// Percent-encodes one path segment (an LMS ID, say): only unreserved characters stay.
pub(crate) fn segment(text: &str) -> String {
    encode(text, |byte| {
        byte.is_ascii_alphanumeric() || b"-._~".contains(&byte)
    })
}

fn encode(text: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if keep(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odata_filters_keep_quotes_and_encode_spaces_and_equals() {
        let mut query = Query::new();
        query
            .push(
                "$filter",
                "provider eq 'DP_JOB_MONITORING' and query eq 'serviceId=a&b'",
            )
            .push("$top", "10");
        assert_eq!(
            query.encode().unwrap(),
            "$filter=provider%20eq%20'DP_JOB_MONITORING'%20and%20query%20eq%20'serviceId%3Da%26b'&$top=10"
        );
        assert_eq!(Query::new().encode(), None);
    }

    #[test]
    fn segments_encode_everything_but_unreserved_characters() {
        assert_eq!(segment("a/b c?é"), "a%2Fb%20c%3F%C3%A9");
    }
}
