//! `sapland calm check|jobs|csa|landscape`: a Cloud ALM connection from a service key — tested
//! the way a connector's "Save and test" does — and read views of job monitoring, Configuration
//! & Security Analysis and the landscape through Cloud ALM's public APIs.
//!
//! Their grammar lives in `calm/args.rs` rather than the crate's `args.rs`, which holds only the
//! one variant that adds `calm` to the command line; one module per subcommand.

mod args;
mod check;
mod connect;
mod csa;
mod jobs;
mod landscape;
mod text;

use std::io::Write;

pub(crate) use args::{CalmCommand, EXAMPLES};

use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};

/// Runs a `calm` command.
pub(crate) fn run(
    command: &CalmCommand,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let runtime = crate::runtime::current_thread()?;
    runtime.block_on(async {
        match command {
            CalmCommand::Check(args) => check::run(args, env, stdout, stderr).await,
            CalmCommand::Jobs(args) => jobs::run(args, env, stdout).await,
            CalmCommand::Csa(args) => csa::run(args, env, stdout).await,
            CalmCommand::Landscape(args) => landscape::run(args, env, stdout).await,
        }
    })
}
