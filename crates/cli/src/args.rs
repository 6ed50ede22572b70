//! The command-line grammar.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Inspect Identity Provisioning systems from their export files.
    #[command(
        subcommand,
        after_help = "Examples:\n  cd examples/systems\n  sapland systems show ias-source.json --secrets secrets.example.toml"
    )]
    Systems(SystemsCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum SystemsCommand {
    /// Show a system, its properties with their effective values, and where each value comes
    /// from (export, IPS default, secrets file or environment). Credentials show as ****.
    #[command(after_help = SHOW_EXAMPLES)]
    Show(ShowArgs),
}

const SHOW_EXAMPLES: &str = "\
Examples:
  cd examples/systems
  sapland systems show ias-target.json --secrets secrets.example.toml
  SAPLAND_SECRET__IAS_TARGET__PASSWORD=… sapland systems show ias-target.json --format json

Credentials never travel in IPS exports. They come from the secrets file (default: secrets.toml
next to the export; one table per system name) or from SAPLAND_SECRET__<SYSTEM>__<PROPERTY>
variables, which win over the file. Exit code 2 when the export or a credential is wrong.";

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

/// How a command prints its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON document for tools.
    Json,
}
