//! The async runtimes commands run on, and the signals that stop them.

use crate::exit::{ExitCode, UserError};

/// A runtime on this thread: a command's clients and jobs (see `sapland_provision::job::Runner`
/// for why a job runs on one thread).
pub(crate) fn current_thread() -> Result<tokio::runtime::Runtime, UserError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(cannot_start)
}

/// A runtime with a worker per core: the mock landscape's servers.
#[cfg(feature = "mocks")]
pub(crate) fn multi_thread() -> Result<tokio::runtime::Runtime, UserError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(cannot_start)
}

fn cannot_start(err: std::io::Error) -> UserError {
    UserError {
        code: ExitCode::FAILED,
        message: format!("cannot start the async runtime: {err}"),
    }
}

/// Resolves at the first Ctrl-C (SIGINT) or SIGTERM; never when neither can be listened for.
pub(crate) async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                if tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
