//! The command-line grammar.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

/// sapland: an agent for SAP Cloud Identity Services and SAP Cloud ALM, and a mock landscape
/// to run it in.
#[derive(Debug, Parser)]
#[command(
    name = "sapland",
    version,
    after_help = "Examples:\n  cd examples/systems\n  sapland systems show ias-target.json --secrets secrets.example.toml\n\nExit codes: 0 success, 1 the operation failed, 2 bad input or usage, 3 an outside system refused or was unreachable."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Start the mock SAP landscape (mock IAS with tenants source and target, mock Cloud ALM) in
    /// this process, print a summary, write landscape.json into the state directory, and run
    /// until Ctrl-C.
    #[command(after_help = UP_EXAMPLES)]
    Up(UpArgs),
    /// Inspect Identity Provisioning systems from their export files.
    #[command(
        subcommand,
        after_help = "Examples:\n  cd examples/systems\n  sapland systems show ias-source.json --secrets secrets.example.toml"
    )]
    Systems(SystemsCommand),
    /// Fill a running mock landscape with realistic, deterministic fake data.
    #[command(subcommand, after_help = SEED_IAS_EXAMPLES)]
    Seed(SeedCommand),
    /// Run provisioning jobs (Read, Resync, Simulate, Validate), read their logs, reset the
    /// operational data of a system.
    #[command(subcommand, after_help = PROVISION_EXAMPLES)]
    Provision(ProvisionCommand),
    /// Apply an Identity Provisioning transformation to one entity (or NDJSON with --batch) and
    /// print what IPS would write, skip or fail; with only --template, print SAP's default.
    #[command(after_help = TRANSFORM_EXAMPLES)]
    Transform(TransformArgs),
    /// Connect to SAP Cloud ALM with a service key: test the connection, read job monitoring,
    /// Configuration & Security Analysis and the landscape.
    #[command(subcommand, after_help = crate::commands::calm::EXAMPLES)]
    Calm(crate::commands::calm::CalmCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum SeedCommand {
    /// Create fake users and groups in a tenant of the running mock IAS: users with names, a
    /// unique userName and email, SAP status active, some with department and cost center; groups
    /// with random members from those users. The same seed on an empty tenant gives the same data.
    #[command(after_help = SEED_IAS_EXAMPLES)]
    Ias(SeedIasArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum SystemsCommand {
    /// Show a system, its properties with their effective values, and where each value comes
    /// from (export, IPS default, secrets file or environment). Credentials show as ****.
    #[command(after_help = SHOW_EXAMPLES)]
    Show(ShowArgs),
}

const UP_EXAMPLES: &str = "\
Examples:
  sapland up
  sapland up --ports 8440 --ias-throttling off
  sapland up --plain-http --state-dir /tmp/landscape

Tools read <state-dir>/landscape.json (URLs, admin token, tenants and their technical users,
CA certificate) instead of this summary. Every /_admin call but health needs the admin token:
  curl --cacert .sapland/ca.pem -H \"Authorization: Bearer $TOKEN\" <admin_url>/_admin/journal";

const SHOW_EXAMPLES: &str = "\
Examples:
  cd examples/systems
  sapland systems show ias-target.json --secrets secrets.example.toml
  SAPLAND_SECRET__IAS_TARGET__PASSWORD=… sapland systems show ias-target.json --format json

Credentials never travel in IPS exports. They come from the secrets file (default: secrets.toml
next to the export; one table per system name) or from SAPLAND_SECRET__<SYSTEM>__<PROPERTY>
variables, which win over the file. Exit code 2 when the export or a credential is wrong.";

const SEED_IAS_EXAMPLES: &str = "\
Examples:
  sapland seed ias --tenant source --users 1000 --groups 20
  sapland seed ias --tenant target --users 25 --seed 42 --format json
  sapland seed ias --tenant source --users 100000 --landscape /tmp/landscape/landscape.json

Start the landscape first with `sapland up`; the command reads its landscape.json (admin URL,
admin token, CA certificate) and never prints the token. At most 200000 users per call and
10000 groups per tenant. Exit code 2 for a bad landscape.json or a refused request, 3 when the
landscape is not running.";

const PROVISION_EXAMPLES: &str = "\
Examples:
  sapland provision run --systems examples/provisioning --source \"HR File\" --job read
  sapland provision run --systems DIR --source \"IAS Source\" --job resync --landscape .sapland/landscape.json
  sapland provision run --systems DIR --source \"HR File\" --job validate --input users.csv
  sapland provision logs --last --log failed
  sapland provision reset --systems DIR --system \"IAS Target\"
  sapland provision unlock --source \"HR File\"

The systems directory holds IPS system exports (*.json) and secrets.toml. The operational data
(what was written where, job history and logs) lives in <state-dir>/operational.db. Ctrl-C stops
a running job after the requests in flight (Manually Terminated). Exit code 1 when a job finished
with errors or was terminated, 2 for bad input.";

/// The `provision` commands.
#[derive(Debug, Subcommand)]
pub(crate) enum ProvisionCommand {
    /// Run a job for a source system and all enabled target systems it feeds.
    #[command(after_help = PROVISION_EXAMPLES)]
    Run(ProvisionRunArgs),
    /// Show a job's log: its statistics and outcome, or the entities it created, updated,
    /// deleted, skipped or failed, in the layout of IPS's log downloads.
    #[command(after_help = PROVISION_EXAMPLES)]
    Logs(ProvisionLogsArgs),
    /// Delete the operational data of a system (IPS's Reset): the next job treats every entity
    /// as new and marks what it finds in the target as existing before.
    #[command(after_help = PROVISION_EXAMPLES)]
    Reset(ProvisionResetArgs),
    /// Break the job lock of a source system whose job stopped (its process is gone, or its
    /// lease ran out); a live job's lock is refused.
    #[command(after_help = PROVISION_EXAMPLES)]
    Unlock(ProvisionUnlockArgs),
}

/// The job types of `provision run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum JobKind {
    /// Provision new and changed entities; delete what left the source (full read).
    Read,
    /// Provision every entity again; delete what left the source.
    Resync,
    /// Count what a resync would do; write nothing.
    Simulate,
    /// Show what at most 10 users and 10 groups from CSV would become in each target.
    Validate,
}

#[derive(Debug, Args)]
pub(crate) struct ProvisionRunArgs {
    /// The directory of system exports (*.json) and secrets.toml.
    #[arg(long, value_name = "DIR")]
    pub(crate) systems: PathBuf,
    /// The source system to start from (its name in the export).
    #[arg(long, value_name = "NAME")]
    pub(crate) source: String,
    /// What the job does.
    #[arg(long, value_enum)]
    pub(crate) job: JobKind,
    /// Where the operational data lives.
    #[arg(long, value_name = "DIR", default_value = ".sapland")]
    pub(crate) state_dir: PathBuf,
    /// Validate: a CSV file of users (header cells are JSONPaths such as emails[0].value).
    #[arg(long, value_name = "FILE.csv")]
    pub(crate) input: Option<PathBuf>,
    /// Validate: a CSV file of groups.
    #[arg(long, value_name = "FILE.csv")]
    pub(crate) input_groups: Option<PathBuf>,
    /// Output format of the result.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// PEM bundle of CA certificates to trust besides the system roots (default: SSL_CERT_FILE).
    #[arg(long, value_name = "FILE")]
    pub(crate) ca_cert: Option<PathBuf>,
    /// Run against a mock landscape: trust its CA and wait on its clock (retries and pacing
    /// advance the landscape clock instead of sleeping).
    #[arg(long, value_name = "landscape.json")]
    pub(crate) landscape: Option<PathBuf>,
    /// How long one request may take before it counts as a timeout (retried as IPS does).
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub(crate) request_timeout: String,
    /// Progress on standard error: a bar on a terminal (auto), a line per page (plain, for
    /// logs), or nothing.
    #[arg(long, value_enum, default_value_t = ProgressChoice::Auto)]
    pub(crate) progress: ProgressChoice,
    /// Report the job to SAP Cloud ALM Job & Automation Monitoring with this service key (the
    /// binding of the SAP Cloud ALM API service; default: SAPLAND_CALM_SERVICE_KEY).
    #[arg(long, value_name = "FILE")]
    pub(crate) calm_service_key: Option<PathBuf>,
    /// The LMS ID of the Cloud ALM service to report to; default: the landscape's Identity
    /// Provisioning service.
    #[arg(long, value_name = "LMS_ID", requires = "calm_service_key")]
    pub(crate) calm_service_id: Option<String>,
    /// How long the job's lock holds without renewal (proposed): a running job renews it every
    /// half lease; a job whose agent stopped on another host is taken over after it.
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub(crate) job_lease: String,
}

/// How `provision run` shows progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProgressChoice {
    /// A bar when standard error is a terminal, else nothing.
    Auto,
    /// A line per page read: `progress: 400 users read and provisioned`.
    Plain,
    /// Nothing.
    None,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["job_id", "last"])))]
pub(crate) struct ProvisionLogsArgs {
    /// The job id.
    pub(crate) job_id: Option<String>,
    /// The most recent job (of --source, or of any source).
    #[arg(long)]
    pub(crate) last: bool,
    /// With --last: the most recent job of this source system.
    #[arg(long, value_name = "NAME", requires = "last")]
    pub(crate) source: Option<String>,
    /// Which log.
    #[arg(long, value_enum, default_value_t = LogChoice::Common)]
    pub(crate) log: LogChoice,
    /// Where the operational data lives.
    #[arg(long, value_name = "DIR", default_value = ".sapland")]
    pub(crate) state_dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

/// The logs of a job, as IPS names its downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LogChoice {
    /// The job: status, statistics, outcome.
    Common,
    /// Entities that failed.
    Failed,
    /// Entities that were skipped.
    Skipped,
    /// Entities that were created.
    Created,
    /// Entities that were updated.
    Updated,
    /// Entities that were deleted.
    Deleted,
}

#[derive(Debug, Args)]
pub(crate) struct ProvisionUnlockArgs {
    /// The source system whose job lock goes.
    #[arg(long, value_name = "NAME")]
    pub(crate) source: String,
    /// Where the operational data lives.
    #[arg(long, value_name = "DIR", default_value = ".sapland")]
    pub(crate) state_dir: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct ProvisionResetArgs {
    /// The directory of system exports.
    #[arg(long, value_name = "DIR")]
    pub(crate) systems: PathBuf,
    /// The system whose operational data goes.
    #[arg(long, value_name = "NAME")]
    pub(crate) system: String,
    /// Where the operational data lives.
    #[arg(long, value_name = "DIR", default_value = ".sapland")]
    pub(crate) state_dir: PathBuf,
}

const TRANSFORM_EXAMPLES: &str = "\
Examples:
  sapland transform --template ias-target-v2
  sapland transform --template ias-target-v2 --entity user --input user.json
  sapland transform --transformation write.json --entity user --input user.json \\
      --operation update --var entityIdTargetSystem=0b5e6a0c-3c1e-4c0e-9a3e-5d1f2a3b4c5d
  sapland transform --template ias-target-v2 --entity group --input group.json --id-map ids.json
  sapland transform --template ias-target-v2 --entity user --input users.ndjson --batch

Prints one JSON object: {\"outcome\":\"written\",\"entity\":{…}}, {\"outcome\":\"skipped\",
\"reason\":\"Entity condition [...] is not fulfilled\"}, {\"outcome\":\"ignored\"},
{\"outcome\":\"delete\"} or {\"outcome\":\"failed\",\"error\":\"…\"}, all with exit code 0; with
--batch one per input line. --var NAME=TEXT sets a variable to a string, --var NAME:=JSON to any
JSON value (assignGroup:='[{\"id\":\"…\"}]'). --id-map is {\"user\":{\"<source id>\":\"<target
id>\"},\"group\":{…}}. Exit code 2 for an invalid transformation, input or argument.";

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("transformation_source").required(true).args(["transformation", "template"])))]
pub(crate) struct TransformArgs {
    /// A transformation JSON file: a document with user/group sections, or a system export
    /// whose `transformation` member is used.
    #[arg(long, value_name = "FILE")]
    pub(crate) transformation: Option<PathBuf>,
    /// One of SAP's default transformations shipped with sapland (ias-target-v2, ias-target-v1,
    /// ias-source-v2).
    #[arg(long, value_name = "NAME")]
    pub(crate) template: Option<String>,
    /// The entity type to transform: user or group (any section name of the document works).
    #[arg(long, value_name = "TYPE", requires = "input")]
    pub(crate) entity: Option<String>,
    /// The entity as JSON, or NDJSON with --batch; `-` reads standard input.
    #[arg(long, value_name = "FILE|-", requires = "entity")]
    pub(crate) input: Option<PathBuf>,
    /// The operation the transformation runs for.
    #[arg(long, value_enum, default_value_t = TransformOperation::Create)]
    pub(crate) operation: TransformOperation,
    /// A variable: NAME=TEXT for a string, NAME:=JSON for any JSON value. Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub(crate) vars: Vec<String>,
    /// A system property for %key% placeholders and property-reading functions. Repeatable.
    #[arg(long = "property", value_name = "KEY=VALUE")]
    pub(crate) properties: Vec<String>,
    /// Source-to-target id relations for resolveEntityIds, as JSON.
    #[arg(long, value_name = "FILE")]
    pub(crate) id_map: Option<PathBuf>,
    /// The input is NDJSON (one entity per line); print one result per line.
    #[arg(long)]
    pub(crate) batch: bool,
    /// The time for currentDate (RFC 3339, such as 2026-11-22T09:00:00Z); default: now.
    #[arg(long, value_name = "TIMESTAMP")]
    pub(crate) now: Option<String>,
    /// Seed of randomPassword, for repeatable output; default: a fresh one.
    #[arg(long)]
    pub(crate) seed: Option<u64>,
}

/// The operation `sapland transform` runs the transformation for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TransformOperation {
    /// Create the entity: mappings without a scope and createEntity ones.
    Create,
    /// Update it: mappings without a scope.
    Update,
    /// A proxy PATCH: patchEntity mappings only.
    Patch,
    /// The entity left the source: deleteEntity mappings only, or a delete.
    Delete,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).multiple(true).args(["users", "groups"])))]
pub(crate) struct SeedIasArgs {
    /// The tenant to seed, as named in landscape.json (source, target).
    #[arg(long, value_name = "NAME")]
    pub(crate) tenant: String,
    /// How many users to create.
    #[arg(long, value_name = "N")]
    pub(crate) users: Option<u64>,
    /// How many groups to create, with members drawn from the new users.
    #[arg(long, value_name = "M")]
    pub(crate) groups: Option<u64>,
    /// Seed of the fake data; without it the mock derives one and the summary shows it.
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// The landscape.json of the running landscape.
    #[arg(long, value_name = "FILE", default_value = ".sapland/landscape.json")]
    pub(crate) landscape: PathBuf,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// A system export JSON file, as IPS writes it with Export.
    pub(crate) export: PathBuf,
    /// The secrets file (TOML, one table per system name). Default: secrets.toml next to the
    /// export, when there is one.
    #[arg(long, value_name = "FILE")]
    pub(crate) secrets: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct UpArgs {
    /// Where the CA, certificates and landscape.json live.
    #[arg(long, value_name = "DIR", default_value = ".sapland")]
    pub(crate) state_dir: PathBuf,
    /// `auto` for free ports, or the first of consecutive ports: IAS admin, each IAS tenant, then
    /// Cloud ALM admin, API, and per subaccount its UAA and UAA certificate listener (8440 gives
    /// 8440–8446).
    #[arg(long, value_name = "auto|PORT", default_value = "auto")]
    pub(crate) ports: String,
    /// Serve plain HTTP instead of HTTPS with the landscape CA.
    #[arg(long)]
    pub(crate) plain_http: bool,
    /// The mock IAS's SCIM rate limit: SAP's documented one, or none.
    #[arg(long, value_enum, default_value_t = Throttling::Sap)]
    pub(crate) ias_throttling: Throttling,
    /// Seed for ids, client secrets and tokens (repeatable landscapes).
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

/// The mock IAS's throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Throttling {
    /// 200 requests a minute served, 201–280 delayed 1 s, then 429 for 60 s.
    Sap,
    /// No limit.
    Off,
}

/// How a command prints its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON document for tools.
    Json,
}
