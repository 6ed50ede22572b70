//! The environment a command runs in, passed explicitly rather than read from globals.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Environment variables and the working directory of one invocation.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
    cwd: PathBuf,
    interactive: bool,
}

impl Environment {
    /// The current process's environment and working directory.
    pub fn from_process() -> Self {
        use std::io::IsTerminal;
        Self {
            vars: std::env::vars().collect(),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            interactive: std::io::stderr().is_terminal(),
        }
    }

    /// An environment with no variables, working in `cwd`.
    pub fn new(cwd: impl Into<PathBuf>) -> Self {
        Self {
            vars: BTreeMap::new(),
            cwd: cwd.into(),
            interactive: false,
        }
    }

    /// This environment with one more variable.
    pub fn with_var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// Whether standard error is a terminal (progress bars are drawn only then).
    pub fn interactive(&self) -> bool {
        self.interactive
    }

    /// The value of a variable.
    pub fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    /// A path given on the command line, resolved against the working directory.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.join(path)
        }
    }
}
