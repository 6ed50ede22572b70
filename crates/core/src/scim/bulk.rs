//! The SCIM Bulk request and response (RFC 7644 §3.7).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A Bulk request body. IAS allows at most 100 operations and does not support `failOnErrors`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkRequest {
    /// `urn:ietf:params:scim:api:messages:2.0:BulkRequest`.
    #[serde(default)]
    pub schemas: Vec<String>,
    /// How many errors the server accepts before it stops (not supported by IAS).
    pub fail_on_errors: Option<u32>,
    /// The operations.
    #[serde(rename = "Operations")]
    pub operations: Vec<BulkOperation>,
}

/// One operation of a Bulk request.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkOperation {
    /// The HTTP method.
    pub method: BulkMethod,
    /// The client's id for a POST, echoed in the response.
    pub bulk_id: Option<String>,
    /// The expected resource version (`If-Match`).
    pub version: Option<String>,
    /// The resource path relative to the service root, such as `/Users/<id>`.
    pub path: String,
    /// The request body.
    pub data: Option<Value>,
}

/// The methods a Bulk operation may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum BulkMethod {
    /// Create.
    Post,
    /// Replace.
    Put,
    /// Modify.
    Patch,
    /// Delete.
    Delete,
}

/// A Bulk response body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkResponse {
    /// `urn:ietf:params:scim:api:messages:2.0:BulkResponse`.
    #[serde(default)]
    pub schemas: Vec<String>,
    /// One result per operation, in request order.
    #[serde(rename = "Operations")]
    pub operations: Vec<BulkOperationResponse>,
}

/// The result of one Bulk operation.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkOperationResponse {
    /// The operation's method.
    pub method: BulkMethod,
    /// The `bulkId` of the request operation.
    pub bulk_id: Option<String>,
    /// The resource version after the operation.
    pub version: Option<String>,
    /// The resource's URI.
    pub location: Option<String>,
    /// The HTTP status, as a string.
    pub status: String,
    /// The response body; an error message when the operation failed.
    pub response: Option<Value>,
}
