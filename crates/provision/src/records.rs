//! Reading entity records from files: NDJSON, a JSON array, or CSV with JSONPath headers.
