//! What differs between the SCIM services sapland writes to: paths, paging, update methods,
//! id shapes, limits and error bodies (`reference/ips-ias.md` §3.1, §3.3, §3.4).

use std::fmt;

/// The SCIM service behind a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// IAS Identity Directory SCIM API (`ias.api.version=2`): `<url>/scim`; UUID ids; PATCH
    /// answers 204; cursor paging with `startId`/`nextId`; `/Bulk` with at most 100 operations;
    /// errors in the SCIM error schema with `status` as a string ([REC] §3.4).
    IasV2,
    /// IAS SCIM REST API, deprecated (`ias.api.version=1` or absent): `<url>/service/scim`;
    /// user ids `P` + 6 digits, group ids 24 characters; no PATCH — an update is a PUT that
    /// changes only the attributes sent; cursor paging, at most 100 a page; filters only `eq`
    /// and `and`, none on groups; no `/Bulk`; error details in the `X-message-code` header
    /// ([DOC] §3.3).
    IasV1,
    /// A generic SCIM 2.0 service (RFC 7644) at the URL as given: index paging with
    /// `startIndex`/`count`, PATCH and `/Bulk` as the service offers them.
    Scim2,
}

/// How a dialect pages through a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// `startId=initial`, then `startId=<nextId>` until `nextId` is `end` (IAS).
    Cursor,
    /// `startIndex=1`, then `startIndex + itemsPerPage` until `totalResults` (RFC 7644 §3.4.2.4).
    Index,
}

impl Dialect {
    /// The path of the SCIM root below the configured URL.
    pub fn base_path(self) -> &'static str {
        match self {
            Self::IasV2 => "/scim",
            Self::IasV1 => "/service/scim",
            Self::Scim2 => "",
        }
    }

    /// How lists are paged.
    ///
    /// IAS v2 offers both; sapland uses the cursor (**proposed** choice, the reference leaves
    /// it open): SAP's own Go client does (§3.4 [GH]), a page is found without counting from
    /// the start, and users created or deleted while a job reads do not shift later pages the
    /// way they shift index pages.
    pub fn paging(self) -> Paging {
        match self {
            Self::IasV2 | Self::IasV1 => Paging::Cursor,
            Self::Scim2 => Paging::Index,
        }
    }

    /// The largest page the service serves, when it is documented: 100 for IAS v1 ([DOC]
    /// §3.3). IAS v2 does not publish one.
    pub fn max_page_size(self) -> Option<u32> {
        match self {
            Self::IasV1 => Some(100),
            Self::IasV2 | Self::Scim2 => None,
        }
    }

    /// Whether PATCH exists. IAS v1 has none ([DOC] §3.1): an update there is a PUT, which v1
    /// documents as changing only the attributes sent.
    pub fn supports_patch(self) -> bool {
        !matches!(self, Self::IasV1)
    }

    /// Whether `/Bulk` exists (IAS v2 [DOC] §3.4; generic SCIM when the service offers it).
    pub fn supports_bulk(self) -> bool {
        !matches!(self, Self::IasV1)
    }

    /// The most operations one `/Bulk` request may hold: 100 for IAS v2 ([DOC] §3.4), and the
    /// same for generic SCIM (**proposed**; its `ServiceProviderConfig` may say less).
    pub fn max_bulk_operations(self) -> usize {
        100
    }

    /// Whether a list of groups can be filtered by the server. IAS v1 documents no group
    /// filter ([DOC] §3.3), so the client matches groups itself.
    pub fn filters_groups(self) -> bool {
        !matches!(self, Self::IasV1)
    }

    /// Whether `id` has the shape this dialect's user ids have: a UUID in IAS v2, `P` + 6
    /// digits in IAS v1 ([DOC] §3.1), anything in generic SCIM. An id of the wrong shape is a
    /// sign of an entity id kept from before an `ias.api.version` change, after which IPS
    /// requires a reset.
    pub fn is_user_id(self, id: &str) -> bool {
        match self {
            Self::IasV2 => is_uuid(id),
            Self::IasV1 => {
                id.len() == 7
                    && id.starts_with(['P', 'p', 'T', 't'])
                    && id[1..].bytes().all(|b| b.is_ascii_digit())
            }
            Self::Scim2 => !id.is_empty(),
        }
    }

    /// The dialect of an IAS system by `ias.api.version` (`2` → v2, anything else or absent →
    /// v1, as IPS reads it, [DOC] §2.8).
    pub fn from_ias_api_version(version: Option<&str>) -> Self {
        match version.map(str::trim) {
            Some("2") => Self::IasV2,
            _ => Self::IasV1,
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::IasV2 => "IAS SCIM v2",
            Self::IasV1 => "IAS SCIM v1",
            Self::Scim2 => "SCIM 2.0",
        })
    }
}

fn is_uuid(id: &str) -> bool {
    let bytes = id.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [DOC] §3.1: v2 ids are UUIDs, v1 user ids `P` + 6 digits; v1 at `/service/scim`.
    #[test]
    fn paths_and_ids_per_dialect() {
        assert_eq!(Dialect::IasV2.base_path(), "/scim");
        assert_eq!(Dialect::IasV1.base_path(), "/service/scim");
        assert_eq!(Dialect::Scim2.base_path(), "");
        assert!(Dialect::IasV2.is_user_id("89e725b1-6a13-43c6-b56b-aaea633f697e"));
        assert!(!Dialect::IasV2.is_user_id("P000858"));
        assert!(Dialect::IasV1.is_user_id("P000858"));
        assert!(!Dialect::IasV1.is_user_id("89e725b1-6a13-43c6-b56b-aaea633f697e"));
        assert!(!Dialect::IasV1.supports_patch());
        assert_eq!(Dialect::IasV1.max_page_size(), Some(100));
    }

    /// [DOC] §2.8: `ias.api.version` 2 → v2; absent → v1.
    #[test]
    fn the_ias_api_version_property_picks_the_dialect() {
        assert_eq!(Dialect::from_ias_api_version(Some("2")), Dialect::IasV2);
        assert_eq!(Dialect::from_ias_api_version(Some("1")), Dialect::IasV1);
        assert_eq!(Dialect::from_ias_api_version(None), Dialect::IasV1);
    }
}
