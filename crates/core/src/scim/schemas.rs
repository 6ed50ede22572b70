//! Schema URNs used by SCIM 2.0 and by SAP Cloud Identity Services.

/// Core user schema (RFC 7643 §4.1).
pub const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Core group schema (RFC 7643 §4.2).
pub const CORE_GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// Enterprise user extension (RFC 7643 §4.3).
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// SAP's user extension of the Identity Directory API (`userId`, `userUuid`, `status`, …).
pub const SAP_USER: &str = "urn:ietf:params:scim:schemas:extension:sap:2.0:User";
/// SAP's group extension (`applicationId`, `type`, `supportedOperations`, …).
pub const SAP_GROUP: &str = "urn:ietf:params:scim:schemas:extension:sap:2.0:Group";
/// SAP's custom user attributes (`customAttribute1` … `customAttribute10`).
pub const CUSTOM_USER: &str = "urn:sap:cloud:scim:schemas:extension:custom:2.0:User";
/// SAP's custom group extension (`name`, `description`, `additionalId`).
pub const CUSTOM_GROUP: &str = "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group";
/// List response message (RFC 7644 §3.4.2).
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// Error message (RFC 7644 §3.12).
pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// PATCH request message (RFC 7644 §3.5.2).
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// Bulk request message (RFC 7644 §3.7).
pub const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
/// Bulk response message (RFC 7644 §3.7).
pub const BULK_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
