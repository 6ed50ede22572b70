//! Files in the state directory, written whole: through a temporary file beside the target and a
//! rename, so readers see the old file or the new one, never half of one.

use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A file that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    /// The file (the temporary file when writing it failed).
    pub path: PathBuf,
    /// The operating system's error.
    pub source: io::Error,
}

/// Writes `contents` to `path` through a temporary file and a rename. `private` files get mode
/// 0600 on unix from the moment they exist.
pub fn write_atomically(path: &Path, contents: &[u8], private: bool) -> Result<(), WriteError> {
    write(path, contents, private, false)
}

/// As [`write_atomically`], and the contents reach the disk before the rename (for files whose
/// loss would break what clients already trust, such as the CA's).
pub(crate) fn write_durably(path: &Path, contents: &[u8], private: bool) -> Result<(), WriteError> {
    write(path, contents, private, true)
}

fn write(path: &Path, contents: &[u8], private: bool, sync: bool) -> Result<(), WriteError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(
        ".{file_name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(contents)?;
        if sync { file.sync_all() } else { Ok(()) }
    });
    if let Err(source) = written {
        let _ = fs::remove_file(&temporary);
        return Err(WriteError {
            path: temporary,
            source,
        });
    }
    if let Err(source) = fs::rename(&temporary, path) {
        let _ = fs::remove_file(&temporary);
        return Err(WriteError {
            path: path.to_owned(),
            source,
        });
    }
    Ok(())
}
