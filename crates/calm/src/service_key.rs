//! The binding (service key) of the SAP Cloud ALM API service, read exactly in the JSON format
//! BTP shows and downloads (`reference/cloud-alm.md` §1.2), in its two variants: a client
//! secret (`credential-type` `binding-secret` or `instance-secret`) and X.509 (`x509`, with
//! `certurl`, `certificate` and `key`). From it come the API root and the token URL (§1.3).
//!
//! Every problem of a key is reported at once, each with its JSON path and, as the key is read
//! from text, its line and column. Secrets (`clientsecret`, `key`) never appear in `Debug`,
//! `Display` or an error; members the model does not know are kept (`extra`).

mod error;
mod model;
mod parse;

pub use error::{Problem, ServiceKeyError};
pub use model::{Credential, CredentialType, Extra, ServiceKey, TOKEN_PATH, Uaa};

#[cfg(test)]
mod tests;
