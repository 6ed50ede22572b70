//! The `sapland` command line: argument parsing and output over the sapland crates.
//!
//! **Invariant:** this crate decides nothing about SAP behaviour. It parses arguments, reads the
//! files it is pointed at, calls a library, and prints; every rule lives in a library crate.
//!
//! [`run`] takes the arguments, the environment and the output streams explicitly, so that the
//! scenarios drive exactly what the binary drives, without touching process-wide state.

mod args;
mod commands;
mod environment;
mod exit;
mod outbound;
mod output;
mod runtime;

use std::ffi::OsString;
use std::io::{BufRead, Write};

use clap::Parser;

pub use environment::Environment;
pub use exit::{ExitCode, UserError};

/// Runs one `sapland` invocation and returns its exit code (see [`ExitCode`]). `stdin` is read
/// only by commands given `-` as a file.
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    env: &Environment,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> ExitCode {
    let cli = match args::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => return usage(&err, stdout, stderr),
    };
    let result = match cli.command {
        args::Command::Up(up) => commands::up::run(&up, env, stdout, stderr),
        args::Command::Systems(args::SystemsCommand::Show(show)) => {
            commands::systems_show::run(&show, env, stdout, stderr)
        }
        args::Command::Seed(args::SeedCommand::Ias(seed)) => {
            commands::seed::run(&seed, env, stdout, stderr)
        }
        args::Command::Provision(args::ProvisionCommand::Run(job)) => {
            commands::provision::run(&job, env, stdout, stderr)
        }
        args::Command::Provision(args::ProvisionCommand::Logs(logs)) => {
            commands::provision::logs(&logs, env, stdout)
        }
        args::Command::Provision(args::ProvisionCommand::Reset(reset)) => {
            commands::provision::reset(&reset, env, stdout)
        }
        args::Command::Provision(args::ProvisionCommand::Unlock(unlock)) => {
            commands::provision::unlock(&unlock, env, stdout)
        }
        args::Command::Transform(transform) => {
            commands::transform::run(&transform, env, stdin, stdout, stderr)
        }
        args::Command::Calm(calm) => commands::calm::run(&calm, env, stdout, stderr),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            if !error.message.is_empty() {
                let _ = writeln!(stderr, "error: {}", error.message);
            }
            error.code
        }
    }
}

/// Help and version go to stdout with exit 0; usage errors to stderr with exit 2.
fn usage(err: &clap::Error, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitCode {
    let text = err.render().to_string();
    if err.use_stderr() {
        let _ = write!(stderr, "{text}");
        ExitCode::BAD_INPUT
    } else {
        let _ = write!(stdout, "{text}");
        ExitCode::SUCCESS
    }
}
