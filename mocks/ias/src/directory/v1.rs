//! SCIM v1, the deprecated *Identity Authentication SCIM REST API* (reference/ips-ias.md §3.3
//! [DOC]), on the same users and groups as v2, as in a real tenant: a v1 write is seen in v2
//! and a v2 write in v1.
//!
//! v1 resources are views computed from the stored v2 resources by SAP's v1→v2 attribute
//! mapping (§3.4 [DOC]): the v1 user id is the SAP extension's `userId` (`P` + 6 digits),
//! `userUuid` is the v2 id, the v1 group id is the custom extension's `additionalId` (24 hex
//! characters) and the group's custom `groupId` its v2 id. v1 writes are turned into the v2
//! shape and go through the v2 rules (uniqueness, required identifiers, forbidden characters,
//! the status/active coupling), so both versions keep one store consistent.
//!
//! Choices where SAP's documentation is silent (**proposed**):
//! - Users are listed in the order of their user ids, so `startId` is a cursor: a `startId`
//!   that names no user (one deleted between two pages) starts at the next user id after it.
//!   Groups are listed in the order of their v1 ids and page the same way.
//! - A filter literal that is not a string matches nothing; `groups eq "x"` matches a group by
//!   its v1 id, its `displayName` or its custom `name`. Filter attribute names are
//!   case-insensitive, values compare case-insensitively except `id` and `userUuid`.
//! - Request bodies: attribute names are case-sensitive (SAP: "only the exact case must be
//!   used"); an attribute v1 does not know is refused with 400 rather than dropped. Read-only
//!   attributes (`meta`, `userUuid`, `groups`, login times, `socialIdentities`, a manager's
//!   `displayName`, a group's `groupId`) are ignored. `schemas` may be left out, as in SAP's
//!   own examples.
//! - `sendMail`, `mailVerified` and `telephoneVerified` take `"true"`/`"false"` as documented,
//!   and JSON booleans too. Numbers such as `sourceSystem` may come as strings (IPS sends
//!   `"39"`).
//! - In a PUT, `null` means "no new value" (kept), `""` removes an optional attribute; lists
//!   (`emails`, `addresses`, `phoneNumbers`) are replaced whole; `name` and the enterprise
//!   extension are merged member by member; a group's custom `name` and `description` are
//!   kept when not sent. `passwordStatus` `enabled`/`initial` needs `password` in a create too.
//! - Attributes v2 has no place for (`newsletters`, `termsOfUse`, `privacyPolicy`,
//!   `otpFailedLoginAttempts`, `telephoneVerificationAttempts`) are checked and not stored;
//!   `password` is never stored.
//! - A v1 user's `emails` shows every stored email's `value`; a group member's `display` is
//!   the user's `displayName`, else given and family name, else `userName`. Group members may
//!   be users (by user id) or groups (by v1 group id), as nested groups exist in v2.
//! - The limits SAP documents for v1 groups are enforced: 10 000 groups per tenant, 20 000
//!   members at creation, 500 groups per user (400 each).

mod errors;
mod filter;
#[cfg(test)]
mod fixtures;
mod group_write;
mod ids;
mod operations;
mod paging;
mod paths;
mod user_attributes;
mod user_write;
mod values;
mod views;
