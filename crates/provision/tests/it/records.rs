//! Entity records from files: NDJSON, JSON arrays, CSV with JSONPath headers.
