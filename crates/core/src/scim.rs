//! SCIM 2.0 resources and protocol messages (RFC 7643, RFC 7644) with SAP's extensions.
//!
//! Every resource keeps the attributes it does not model in an `extra` map, so a parse →
//! serialize round trip loses nothing. Attributes whose value is `null` are treated as
//! unassigned (RFC 7643 §2.5) and are not written back.

mod bulk;
mod error;
mod group;
mod list;
mod multi_valued;
mod patch;
pub mod schemas;
mod secret;
mod user;

pub use bulk::{BulkMethod, BulkOperation, BulkOperationResponse, BulkRequest, BulkResponse};
pub use error::{ScimError, ScimType};
pub use group::{CustomGroup, Group, Member, SapGroup};
pub use list::ListResponse;
pub use multi_valued::{Address, Meta, MultiValued};
pub use patch::{PatchOp, PatchOperation, PatchRequest, PatchRequestError};
pub use secret::Secret;
pub use user::{
    CustomAttribute, CustomUser, EnterpriseUser, Manager, Name, SapUser, SapUserStatus, User,
};
