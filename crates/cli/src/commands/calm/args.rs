//! The grammar of `sapland calm`: its subcommands and their options.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use crate::args::Format;

/// Examples shown with `sapland calm --help`.
pub(crate) const EXAMPLES: &str = "\
Examples:
  sapland calm check --service-key calm-service-key.json
  sapland calm check --service-key key-x509.json --landscape .sapland/landscape.json
  sapland calm jobs --service-key key.json --period L7D
  sapland calm jobs --service-key key.json --job \"HR File|READ\" --since 24h
  sapland calm csa --service-key key.json --format json
  sapland calm landscape --service-key key.json --object-type TechnicalSystem

The service key is the binding of the SAP Cloud ALM API service as the SAP BTP cockpit shows or
downloads it (secret or X.509). Nothing prints the client secret, the private key or a token.
Exit code 2 for a bad key or argument, 3 when Cloud ALM refuses (a wrong secret, a missing scope)
or cannot be reached.";

/// The `calm` commands.
#[derive(Debug, Subcommand)]
pub(crate) enum CalmCommand {
    /// Test a service key as a connector's "Save and test" does: check the key, get a token,
    /// call the landscape API, and report the API root, token URL, credential type, the scopes
    /// granted and the call's status.
    #[command(after_help = EXAMPLES)]
    Check(CheckArgs),
    /// Job & Automation Monitoring: jobs grouped by service and job type with executions, run
    /// time, successes and errors (analytics DP_JOB_MONITORING); --job shows one job's
    /// executions (logs provider jam.run).
    #[command(after_help = EXAMPLES)]
    Jobs(JobsArgs),
    /// Configuration & Security Analysis: configuration items per system and store, current and
    /// changed (analytics CCDB_STORE_DATA).
    #[command(after_help = EXAMPLES)]
    Csa(CsaArgs),
    /// Landscape objects (services, systems, clients) with their LMS IDs.
    #[command(after_help = EXAMPLES)]
    Landscape(LandscapeArgs),
}

/// How to reach Cloud ALM: the key, trust, the clock.
#[derive(Debug, Args)]
pub(crate) struct Connection {
    /// The service key JSON of the SAP Cloud ALM API service.
    #[arg(long, value_name = "FILE")]
    pub(super) service_key: PathBuf,
    /// PEM bundle of CA certificates to trust besides the system roots (default:
    /// SSL_CERT_FILE).
    #[arg(long, value_name = "FILE")]
    pub(super) ca_cert: Option<PathBuf>,
    /// Run against a mock landscape: trust its CA and follow its clock.
    #[arg(long, value_name = "landscape.json")]
    pub(super) landscape: Option<PathBuf>,
    /// How a client secret travels to the token endpoint.
    #[arg(long, value_enum, default_value_t = TokenAuth::Basic)]
    pub(super) token_auth: TokenAuth,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(super) format: Format,
}

/// How a client secret travels to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TokenAuth {
    /// An Authorization: Basic header (XSUAA's usual way).
    Basic,
    /// Form fields client_id and client_secret.
    Form,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(super) connection: Connection,
}

#[derive(Debug, Args)]
pub(crate) struct JobsArgs {
    #[command(flatten)]
    pub(super) connection: Connection,
    /// The analytics period: L7D, L24H, L1D, C1D, ….
    #[arg(long, default_value = "L7D")]
    pub(super) period: String,
    /// Only the jobs of this service (LMS ID).
    #[arg(long, value_name = "LMS_ID")]
    pub(super) service_id: Option<String>,
    /// Show the executions of this job (its job id, such as "HR File|READ").
    #[arg(long, value_name = "JOB_ID")]
    pub(super) job: Option<String>,
    /// With --job: how far back to read executions (read in windows of at most 60 minutes).
    #[arg(long, value_name = "DURATION", default_value = "24h", requires = "job")]
    pub(super) since: String,
}

#[derive(Debug, Args)]
pub(crate) struct CsaArgs {
    #[command(flatten)]
    pub(super) connection: Connection,
    /// The analytics period: L7D, L24H, L1D, C1D, ….
    #[arg(long, default_value = "L7D")]
    pub(super) period: String,
    /// Only the items of this service (LMS ID).
    #[arg(long, value_name = "LMS_ID")]
    pub(super) service_id: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct LandscapeArgs {
    #[command(flatten)]
    pub(super) connection: Connection,
    /// Only objects of this type: BusinessService, CloudService, TechnicalSystem.
    #[arg(long, value_name = "TYPE")]
    pub(super) object_type: Option<String>,
    /// Only objects with this name.
    #[arg(long)]
    pub(super) name: Option<String>,
    /// Only objects from this source: SLIS, REGISTRATION, ….
    #[arg(long)]
    pub(super) source: Option<String>,
    /// Only objects of this service type.
    #[arg(long, value_name = "TYPE")]
    pub(super) service_type: Option<String>,
    /// Only the object with this LMS ID.
    #[arg(long, value_name = "LMS_ID")]
    pub(super) lms_id: Option<String>,
}
