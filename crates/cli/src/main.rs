//! The `sapland` binary: hands the process's arguments and environment to [`sapland::run`].

use std::io::Write;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the agent's work is many small JSON values
/// (transformations, SCIM bodies), where glibc's `malloc` and `free` take a tenth of its CPU
/// (`docs/benchmarks.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let env = sapland::Environment::from_process();
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let code = sapland::run(
        std::env::args_os(),
        &env,
        &mut stdin,
        &mut stdout,
        &mut stderr,
    );
    let _ = stdout.flush();
    ExitCode::from(code.as_u8())
}
