//! The state one scenario builds up: a fresh directory, the files in it, the last command run.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

/// One scenario's world. Each scenario gets its own, with its own temporary directory.
#[derive(Debug, cucumber::World)]
#[world(init = Self::new)]
pub(crate) struct World {
    /// The scenario's working directory; removed when the world is dropped.
    pub(crate) dir: tempfile::TempDir,
    /// System exports by system name, written when a command runs.
    pub(crate) exports: BTreeMap<String, Export>,
    /// Credentials for the secrets file, by system name then property.
    pub(crate) secrets: BTreeMap<String, BTreeMap<String, String>>,
    /// Environment variables for the commands.
    pub(crate) env: BTreeMap<String, String>,
    /// Every secret value this scenario used, to check none is ever printed.
    pub(crate) secret_values: Vec<String>,
    /// The last command's result.
    pub(crate) last: Option<CommandResult>,
    /// The scenario's mock landscape, once started; dropping it stops its servers.
    pub(crate) landscape: Option<sapland_landscape::Landscape>,
    /// An HTTPS client that trusts the landscape CA.
    pub(crate) http: Option<reqwest::Client>,
    /// The last answer of a mock.
    pub(crate) answer: Option<Answer>,
    /// Named values remembered between steps: user ids by userName, tokens, fault ids.
    pub(crate) remembered: BTreeMap<String, String>,
    /// What `sapland transform` is given.
    pub(crate) transform: TransformCase,
    /// The provisioning setup: systems, the file source's users, the last job.
    pub(crate) provisioning: Provisioning,
}

/// A provisioning setup built up by the steps: system exports written into `systems/` of the
/// scenario's directory, the users of the file source, and what the last job did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Provisioning {
    /// System name → its export (written before every job).
    pub(crate) systems: BTreeMap<String, Value>,
    /// System name → its client secret for `secrets.toml`.
    pub(crate) secrets: BTreeMap<String, String>,
    /// The file source's users, in order: userName → the record.
    pub(crate) users: Vec<(String, Value)>,
    /// The last job as `provision run --format json` printed it.
    pub(crate) job: Option<Value>,
    /// The landscape clock when the last job started.
    pub(crate) clock_before_job: Option<jiff::Timestamp>,
    /// The journal position after the first job: writes after it are "since the first job".
    pub(crate) journal_mark: Option<u64>,
    /// The journal position when the last job started.
    pub(crate) journal_before_job: Option<u64>,
    /// `--request-timeout` for the jobs.
    pub(crate) request_timeout: Option<String>,
    /// `--calm-service-key` for the jobs: the Cloud ALM service key they report with.
    pub(crate) calm_service_key: Option<std::path::PathBuf>,
}

/// The arguments of a `sapland transform` run, built up by the steps.
#[derive(Debug, Clone, Default)]
pub(crate) struct TransformCase {
    /// `--template NAME`, or the text of the `--transformation` file.
    pub(crate) template: Option<String>,
    /// The transformation document's text.
    pub(crate) document: Option<String>,
    /// `--property KEY=VALUE`.
    pub(crate) properties: Vec<(String, String)>,
    /// `--var NAME=VALUE`.
    pub(crate) variables: Vec<(String, String)>,
    /// The `--id-map` relations: entity type → source id → target id.
    pub(crate) relations: BTreeMap<String, BTreeMap<String, String>>,
    /// `--entity` and the input text.
    pub(crate) input: Option<(String, String)>,
}

/// A mock's answer.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    /// The HTTP status.
    pub(crate) status: u16,
    /// The headers, names lower-case.
    pub(crate) headers: BTreeMap<String, String>,
    /// The body as text (invalid UTF-8 replaced).
    pub(crate) text: String,
    /// The body as JSON (Null when empty or not JSON).
    pub(crate) body: Value,
}

/// A system export and how its file is written.
#[derive(Debug, Clone)]
pub(crate) struct Export {
    /// The export's JSON.
    pub(crate) json: Value,
    /// When set, the file holds only this prefix of the pretty JSON (to make it malformed).
    pub(crate) cut_at: Option<String>,
}

/// What a command printed and returned.
#[derive(Debug, Clone)]
pub(crate) struct CommandResult {
    /// The exit code.
    pub(crate) code: u8,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
    /// The export file the command read, as named on the command line.
    pub(crate) file: String,
    /// That file's content.
    pub(crate) file_text: String,
}

impl World {
    async fn new() -> Result<Self, std::io::Error> {
        Ok(Self {
            dir: tempfile::tempdir()?,
            exports: BTreeMap::new(),
            secrets: BTreeMap::new(),
            env: BTreeMap::new(),
            secret_values: Vec::new(),
            last: None,
            landscape: None,
            http: None,
            answer: None,
            remembered: BTreeMap::new(),
            transform: TransformCase::default(),
            provisioning: Provisioning::default(),
        })
    }

    /// The directory's path.
    pub(crate) fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// The running landscape; a step that needs one before `Given a mock landscape` is a
    /// scenario bug.
    pub(crate) fn landscape(&self) -> &sapland_landscape::Landscape {
        self.landscape
            .as_ref()
            .expect("the scenario starts with: Given a mock landscape")
    }

    /// The last answer of a mock.
    pub(crate) fn answer(&self) -> &Answer {
        self.answer
            .as_ref()
            .expect("a request was made in an earlier step")
    }

    /// The last command's result; a step that needs one before any ran is a scenario bug.
    pub(crate) fn last(&self) -> &CommandResult {
        self.last
            .as_ref()
            .expect("a command ran in an earlier step")
    }
}
