//! Where a benchmark's server and client run: on CPUs of their own (`split`), the way a
//! target tenant and the agent run on different machines, or all on every CPU (`shared`).
//!
//! Affinity is set with `taskset` (util-linux) on thread ids from `/proc`, so the benchmark
//! needs no system calls of its own. Threads inherit the affinity of the thread that creates
//! them, and so do child processes: after [`Cores::split`], threads the server's runtime starts
//! stay on the server's CPU, and processes this thread spawns (the agent) on the client's.

use std::process::{Command, Stdio};

use anyhow::{Context as _, bail, ensure};

/// How CPUs are shared between the server and the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// The server's threads on CPU 0, the client (this thread and what it spawns) on CPU 1.
    Split,
    /// Everything may run anywhere.
    Shared,
}

impl Placement {
    /// Parses `split` or `shared`.
    pub(crate) fn parse(text: &str) -> anyhow::Result<Self> {
        match text {
            "split" => Ok(Self::Split),
            "shared" => Ok(Self::Shared),
            other => bail!("--cores is split or shared, not {other:?}"),
        }
    }

    /// The name used on the command line and in reports.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Split => "split",
            Self::Shared => "shared",
        }
    }
}

/// The CPU the server's threads run on when split.
pub(crate) const SERVER_CPU: usize = 0;
/// The CPU the client runs on when split.
pub(crate) const CLIENT_CPU: usize = 1;

/// An applied placement; dropping it lets every thread of the process run anywhere again.
pub(crate) struct Cores {
    applied: bool,
    cpus: usize,
}

impl Cores {
    /// Applies `placement`: for [`Placement::Split`], every thread of this process that exists
    /// now goes to [`SERVER_CPU`], then the calling thread to [`CLIENT_CPU`]. Call it after the
    /// server's runtime has started its threads and from the thread that runs the clients.
    pub(crate) fn apply(placement: Placement) -> anyhow::Result<Self> {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        if placement == Placement::Shared {
            return Ok(Self {
                applied: false,
                cpus,
            });
        }
        ensure!(
            cpus > CLIENT_CPU,
            "--cores split needs 2 CPUs, this machine offers {cpus}; use --cores shared"
        );
        taskset(&["-a", "-p", "-c", &SERVER_CPU.to_string(), &process_id()])?;
        taskset(&["-p", "-c", &CLIENT_CPU.to_string(), &this_thread_id()?])?;
        Ok(Self {
            applied: true,
            cpus,
        })
    }
}

impl Drop for Cores {
    fn drop(&mut self) {
        if self.applied {
            let all = format!("0-{}", self.cpus - 1);
            if let Err(err) = taskset(&["-a", "-p", "-c", &all, &process_id()]) {
                crate::note(&format!("could not undo the CPU placement: {err:#}"));
            }
        }
    }
}

fn process_id() -> String {
    std::process::id().to_string()
}

/// The kernel's id of the calling thread: `/proc/thread-self` links to `<pid>/task/<tid>`.
fn this_thread_id() -> anyhow::Result<String> {
    let link = std::fs::read_link("/proc/thread-self")
        .context("cannot read /proc/thread-self (Linux /proc is needed)")?;
    link.file_name()
        .and_then(|name| name.to_str())
        .map(str::to_string)
        .with_context(|| format!("unexpected /proc/thread-self link {}", link.display()))
}

/// Runs `taskset` with `args`; an error names what failed.
fn taskset(args: &[&str]) -> anyhow::Result<()> {
    let output = Command::new("taskset")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("cannot run taskset (util-linux); use --cores shared without it")?;
    ensure!(
        output.status.success(),
        "taskset {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placements_parse_by_name() {
        assert_eq!(Placement::parse("split").unwrap(), Placement::Split);
        assert_eq!(Placement::parse("shared").unwrap().name(), "shared");
        assert!(
            Placement::parse("both")
                .unwrap_err()
                .to_string()
                .contains("not \"both\"")
        );
    }

    #[test]
    fn the_calling_thread_has_an_id() {
        let id = this_thread_id().unwrap();
        assert!(id.parse::<u32>().is_ok(), "{id}");
    }
}
