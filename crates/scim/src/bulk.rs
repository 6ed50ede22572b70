//! `POST /Bulk` (RFC 7644 §3.7) as IAS v2 offers it ([DOC] `reference/ips-ias.md` §3.4): at
//! most 100 operations a request, `failOnErrors` not supported, no `bulkId` references between
//! operations. Larger batches are split (into IPS's `ias.bulk.operations.max.count`, default 20,
//! at most 100, [DOC] §2.4); every operation gets its own result, in input order.

use reqwest::{Method, StatusCode};
use sapland_core::scim::schemas::BULK_REQUEST;
use sapland_core::scim::{BulkMethod, BulkOperation, BulkRequest, BulkResponse};
use serde_json::Value;

use crate::client::{ClassifyCategory, Client};
use crate::error::{Error, ErrorKind};
use crate::send::{Call, status_error};

/// IPS's default batch size (`ias.bulk.operations.max.count`, [DOC] §2.4).
pub const DEFAULT_MAX_OPERATIONS: usize = 20;

/// IPS's rule for `ias.bulk.operations.max.count`: 1 to 100 is taken; anything else (0, or
/// above 100) is replaced by the default 20 ([DOC] §2.4: "values >100 replaced by 20").
pub fn max_operations_from_property(value: u64) -> usize {
    match value {
        1..=100 => value as usize,
        _ => DEFAULT_MAX_OPERATIONS,
    }
}

/// The result of one operation of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkResult {
    /// The operation's position in the batch given to [`Client::bulk`].
    pub index: usize,
    /// Its method.
    pub method: BulkMethod,
    /// Its path, such as `/Users/<id>`.
    pub path: String,
    /// What the service answered for it.
    pub outcome: Result<BulkDone, Error>,
}

/// A successful operation.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkDone {
    /// The operation's HTTP status (201 for a create, 200 or 204 otherwise).
    pub status: u16,
    /// The resource's URI.
    pub location: Option<String>,
    /// The resource version after the operation.
    pub version: Option<String>,
    /// The resource, when the service sent it.
    pub response: Option<Value>,
}

impl BulkDone {
    /// The resource id: the response's `id`, else the last segment of `location`.
    pub fn id(&self) -> Option<String> {
        self.response
            .as_ref()
            .and_then(|r| r.get("id"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| {
                self.location
                    .as_deref()
                    .and_then(|l| l.trim_end_matches('/').rsplit('/').next())
                    .filter(|id| !id.is_empty())
                    .map(str::to_string)
            })
    }
}

impl Client {
    /// Runs `operations` through `/Bulk` in batches of the client's size, and gives one result
    /// per operation in input order. An operation that refers to another (`bulkId:`) is
    /// refused without being sent; when a whole batch fails (a transport error, 413), each of
    /// its operations carries that error. Operations of earlier batches stay done.
    pub async fn bulk(&self, operations: Vec<BulkOperation>) -> Result<Vec<BulkResult>, Error> {
        let inner = &self.inner;
        let bulk_segments = vec!["Bulk".to_string()];
        if !inner.dialect.supports_bulk() {
            return Err(inner.refuse(
                Method::POST,
                &bulk_segments,
                format!("{} has no /Bulk", inner.dialect),
            ));
        }
        let size = inner
            .bulk_max_operations
            .clamp(1, inner.dialect.max_bulk_operations());
        let mut results: Vec<BulkResult> = Vec::with_capacity(operations.len());
        let mut batch: Vec<(usize, BulkOperation)> = Vec::new();
        for (index, mut operation) in operations.into_iter().enumerate() {
            let path = self.operation_path(&operation.path);
            if operation.data.as_ref().is_some_and(mentions_bulk_id) {
                results.push(BulkResult {
                    index,
                    method: operation.method,
                    path: operation.path.clone(),
                    outcome: Err(inner
                        .refuse(
                            bulk_method(operation.method),
                            &[],
                            "IAS does not support references between bulk operations (bulkId:…)"
                                .into(),
                        )
                        .with_path(path)),
                });
                continue;
            }
            if operation.method == BulkMethod::Post && operation.bulk_id.is_none() {
                operation.bulk_id = Some(format!("op{index}"));
            }
            batch.push((index, operation));
            if batch.len() == size {
                results.extend(self.bulk_batch(std::mem::take(&mut batch)).await);
            }
        }
        if !batch.is_empty() {
            results.extend(self.bulk_batch(batch).await);
        }
        results.sort_by_key(|r| r.index);
        Ok(results)
    }

    async fn bulk_batch(&self, batch: Vec<(usize, BulkOperation)>) -> Vec<BulkResult> {
        let inner = &self.inner;
        let request = BulkRequest {
            schemas: vec![BULK_REQUEST.to_string()],
            fail_on_errors: None,
            operations: batch.iter().map(|(_, op)| op.clone()).collect(),
        };
        let body = serde_json::to_vec(&request).unwrap_or_default();
        let answer = inner
            .send(Call {
                method: Method::POST,
                segments: vec!["Bulk".into()],
                query: Vec::new(),
                body: Some(body.into()),
            })
            .await;
        let whole_batch_failed = |error: Error| -> Vec<BulkResult> {
            batch
                .iter()
                .map(|(index, op)| BulkResult {
                    index: *index,
                    method: op.method,
                    path: op.path.clone(),
                    outcome: Err(error.clone()),
                })
                .collect()
        };
        let answer = match answer {
            Ok(answer) => answer,
            Err(error) => return whole_batch_failed(error),
        };
        let invalid = |reason: String| Error {
            kind: Box::new(ErrorKind::InvalidResponse {
                status: answer.status,
                reason,
            }),
            method: "POST".into(),
            path: inner.url(&["Bulk".to_string()]).path().to_string(),
            attempts: 1,
        };
        let response: BulkResponse = match serde_json::from_slice(&answer.body) {
            Ok(response) => response,
            Err(err) => {
                return whole_batch_failed(invalid(format!(
                    "the body is not a bulk response ({})",
                    err.classify_category()
                )));
            }
        };
        if response.operations.len() != batch.len() {
            return whole_batch_failed(invalid(format!(
                "{} results for {} operations",
                response.operations.len(),
                batch.len()
            )));
        }
        batch
            .into_iter()
            .zip(response.operations)
            .map(|((index, operation), result)| {
                let status = result.status.trim().parse::<u16>().unwrap_or(0);
                let outcome = if (200..300).contains(&status) {
                    Ok(BulkDone {
                        status,
                        location: result.location,
                        version: result.version,
                        response: result.response,
                    })
                } else {
                    let code =
                        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    let body = result
                        .response
                        .as_ref()
                        .map(|r| r.to_string().into_bytes())
                        .unwrap_or_default();
                    Err(Error {
                        kind: Box::new(status_error(
                            code,
                            &reqwest::header::HeaderMap::new(),
                            &body,
                        )),
                        method: bulk_method(operation.method).to_string(),
                        path: self.operation_path(&operation.path),
                        attempts: 1,
                    })
                };
                BulkResult {
                    index,
                    method: operation.method,
                    path: operation.path,
                    outcome,
                }
            })
            .collect()
    }

    /// The full URL path of an operation path (`/Users/<id>` → `/scim/Users/<id>`).
    fn operation_path(&self, path: &str) -> String {
        let root = self.inner.root.path().trim_end_matches('/');
        format!("{root}/{}", path.trim_start_matches('/'))
    }
}

impl Error {
    fn with_path(mut self, path: String) -> Self {
        self.path = path;
        self
    }
}

fn bulk_method(method: BulkMethod) -> Method {
    match method {
        BulkMethod::Post => Method::POST,
        BulkMethod::Put => Method::PUT,
        BulkMethod::Patch => Method::PATCH,
        BulkMethod::Delete => Method::DELETE,
    }
}

fn mentions_bulk_id(value: &Value) -> bool {
    match value {
        Value::String(text) => text.starts_with("bulkId:"),
        Value::Array(items) => items.iter().any(mentions_bulk_id),
        Value::Object(members) => members.values().any(mentions_bulk_id),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [DOC] §2.4: default 20, at most 100, values above 100 replaced by 20.
    #[test]
    fn the_batch_size_property() {
        assert_eq!(max_operations_from_property(50), 50);
        assert_eq!(max_operations_from_property(100), 100);
        assert_eq!(max_operations_from_property(101), 20);
        assert_eq!(max_operations_from_property(0), 20);
    }

    #[test]
    fn ids_from_the_response_or_the_location() {
        let done = BulkDone {
            status: 201,
            location: Some("https://t/scim/Users/abc".into()),
            version: None,
            response: None,
        };
        assert_eq!(done.id().as_deref(), Some("abc"));
        let with_body = BulkDone {
            response: Some(serde_json::json!({"id": "xyz"})),
            ..done
        };
        assert_eq!(with_body.id().as_deref(), Some("xyz"));
    }
}
