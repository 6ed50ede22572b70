//! The `format` of the raw-data read APIs (reference §2.7, §2.8): `protobuf-json` answers OTLP
//! JSON (`{}` for an empty result), the default and `protobuf-binary` answer OTLP protobuf
//! (`application/x-protobuf`, an empty body for an empty result). `text` (OpenMetrics) is not
//! served by the mock (**proposed**: 400 naming the formats it serves).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::respond::{ApiError, json_response};

/// How to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `format=protobuf-json`.
    Json,
    /// No format, or `format=protobuf-binary`.
    Protobuf,
}

impl Format {
    /// Reads the `format` parameter.
    pub(crate) fn parse(text: Option<&str>) -> Result<Self, ApiError> {
        match text.map(str::trim) {
            None | Some("") | Some("protobuf-binary") => Ok(Format::Protobuf),
            Some("protobuf-json") => Ok(Format::Json),
            Some(other) => Err(ApiError::bad_request(format!(
                "Unsupported format {other}: the mock serves protobuf-json and protobuf-binary"
            ))),
        }
    }

    /// The answer for an OTLP document (`empty` when it holds nothing), with `x-total-count`.
    pub(crate) fn answer(
        self,
        document: &Value,
        empty: bool,
        encode: fn(&Value) -> Vec<u8>,
        total: usize,
    ) -> Response {
        let mut response = match (self, empty) {
            (Format::Json, true) => {
                json_response(StatusCode::OK, &Value::Object(Default::default()))
            }
            (Format::Json, false) => json_response(StatusCode::OK, document),
            (Format::Protobuf, _) => {
                let body = if empty { Vec::new() } else { encode(document) };
                (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/x-protobuf")],
                    body,
                )
                    .into_response()
            }
        };
        response
            .headers_mut()
            .insert("x-total-count", HeaderValue::from(total));
        response
    }
}
