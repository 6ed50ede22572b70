//! A mock SAP Cloud ALM: the UAA of each subaccount that holds a *SAP Cloud ALM API* service
//! instance, the landscape registration of managed systems, the OpenTelemetry raw-data APIs for
//! metrics and logs, Job & Automation Monitoring, Configuration & Security Analysis and the
//! analytics OData `DataSet`.
//!
//! **Invariant:** behaves like SAP Cloud ALM as far as `reference/cloud-alm.md` tells, labels
//! every choice beyond that `proposed`, and never depends on sapland's client crates.

pub mod admin;
pub mod analytics;
pub mod config;
pub mod csa;
pub mod instances;
pub mod jam;
pub mod landscape;
pub mod mock;
pub mod otlp;
pub mod period;
pub mod routes;
pub mod scopes;
pub mod tenant;
pub mod uaa;
