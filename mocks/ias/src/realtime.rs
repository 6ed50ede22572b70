//! Real-time provisioning: the tenant pushes every user it creates, changes or deletes to the
//! Identity Provisioning targets configured under *Users & Authorizations → Real-Time
//! Provisioning* ([DOC] reference/ips-ias.md §4, configure-identity-authentication-for-real-time-
//! provisioning).
//!
//! What SAP documents and the mock follows: a target has a display name, the type *Identity
//! Provisioning*, a SCIM URL `https://<host>/ipsproxy/service/api/v1/systems/<system-id>/
//! entities/user`, a SCIM version (1 or 2) and Basic, OAuth or certificate authentication;
//! users created or updated manually, through SCIM v1 or v2 or by CSV upload are pushed to
//! every target; users written by a provisioning job are not (loop prevention); the Real-Time
//! Logs say `Finished Successfully` or `Finished with Error` with the operations `CREATE`,
//! `UPDATE`, `DELETE` and per-target states such as `Entity Created` or `Entity Failed`.
//!
//! What SAP does not document (§4 gap) and is **proposed** here:
//! - **Method and body.** A creation or update is `POST <SCIM URL>` with the user as the tenant
//!   serves it in the target's SCIM version (`application/scim+json`): the v2 resource for
//!   version 2, the v1 resource (id = the `P` user id, with `userUuid`) for version 1. A
//!   deletion is `DELETE <SCIM URL>/<id>` with the v2 id, or the `P` user id for version 1.
//!   Any 2xx answer is success.
//! - **Authentication.** Basic sends the client id and secret; OAuth first asks `tokenUrl` for a
//!   client-credentials token (client authenticated by Basic, `grant_type=client_credentials`)
//!   and keeps it until it expires on the landscape clock; certificate authentication presents
//!   the configured certificate and key as TLS client certificate.
//! - **Loop guard.** A write request that carries the header `X-Sapland-Provisioning-Job: <job
//!   id>` is a provisioning job's write: the changes it makes are not pushed. The origin of a
//!   request is kept in a task-local value set around the handler by [`capture()`], a layer on
//!   the whole tenant router (SCIM v1, v2 and Bulk alike), and read where `Directory` records
//!   the change; concurrent requests cannot see each other's origin. Writes must therefore
//!   happen on the request's own task.
//! - **Delivery.** Pushes run on one background task per tenant, in the order the changes
//!   happened, after the SCIM answer is sent; the admin surface can wait until none is left
//!   (`POST …/realtime-deliveries/flush`). Each push is one delivery in the log, timed on the
//!   landscape clock. A target's outbound TLS trusts the landscape CA only (when the landscape
//!   runs with TLS); a push times out after 30 seconds.
//! - **Admin surface** (behind the admin token): `GET/POST /_admin/ias/tenants/{t}/realtime-
//!   targets`, `DELETE …/realtime-targets/{id}`, `GET …/realtime-deliveries`,
//!   `POST …/realtime-deliveries/flush`. Secrets are write-only: no answer, delivery or error
//!   shows them.

mod admin;
mod capture;
mod change;
mod client;
mod delivery;
#[cfg(test)]
mod fixtures;
mod push;
mod queue;
mod target;
mod token;

pub(crate) use admin::admin_routes;
pub use capture::{Origin, PROVISIONING_JOB_HEADER, capture};
pub(crate) use capture::{capture_sync, record};
pub use change::{Operation, UserChange};
pub use delivery::{DELIVERY_LOG_CAPACITY, Delivery, FINISHED_SUCCESSFULLY, FINISHED_WITH_ERROR};
pub use queue::Realtime;
pub use target::{Authentication, ScimVersion, TARGET_TYPE, Target};
