//! Trust and time for the commands that call SAP systems: which CA certificates to trust
//! (`--ca-cert` or `SSL_CERT_FILE`, and with `--landscape` the landscape's CA) and which clock to
//! wait on (the system's, or with `--landscape` the landscape clock, so retries and pacing
//! advance it instead of sleeping).

use std::path::Path;
use std::sync::Arc;

use sapland_core::landscape::LandscapeFile;
use sapland_outbound::Reach;
use sapland_outbound::clock::{LandscapeClock, SystemClock};
use sapland_outbound::https::{HttpsOptions, PemSource};

use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};

/// Builds trust and clock from `--ca-cert` (or `SSL_CERT_FILE`) and `--landscape`. With a
/// landscape it connects to the landscape clock, so the landscape must be running (exit 3 if
/// not).
pub(crate) async fn reach(
    ca_cert: Option<&Path>,
    landscape: Option<&Path>,
    env: &Environment,
) -> Result<Reach, UserError> {
    let mut https = HttpsOptions::default();
    let ca = match (ca_cert, env.var("SSL_CERT_FILE")) {
        (Some(file), _) => Some((format!("--ca-cert {}", file.display()), env.resolve(file))),
        (None, Some(file)) => Some((
            format!("SSL_CERT_FILE={file}"),
            env.resolve(Path::new(&file)),
        )),
        (None, None) => None,
    };
    if let Some((name, path)) = ca {
        let pem = std::fs::read(&path)
            .map_err(|err| UserError::bad_input(format!("cannot read {name}: {err}")))?;
        https.extra_roots.push(PemSource::new(name, pem));
    }
    let Some(file) = landscape else {
        return Ok(Reach::new(https, Arc::new(SystemClock)));
    };
    let shown = file.display().to_string();
    let landscape = read_landscape(&env.resolve(file), &shown)?;
    // The admin surface keeps the default timeout: a command's --request-timeout is about the
    // systems it talks to.
    let mut admin_https = HttpsOptions::default();
    if let Some(root) = landscape_ca(&landscape, &shown, env)? {
        https.extra_roots.push(root.clone());
        admin_https.extra_roots.push(root);
    }
    let client = sapland_outbound::https::build(&admin_https)
        .map_err(|err| UserError::bad_input(format!("{shown}: {err}")))?;
    let clock = LandscapeClock::connect(client, landscape.clock_url, landscape.admin_token)
        .await
        .map_err(|err| UserError {
            code: ExitCode::OUTSIDE,
            message: format!("{err}; is `sapland up` running?"),
        })?;
    Ok(Reach::new(https, Arc::new(clock)))
}

/// The landscape's CA certificate, to trust (none with plain HTTP); `shown` names
/// `landscape.json` in messages.
pub(crate) fn landscape_ca(
    landscape: &LandscapeFile,
    shown: &str,
    env: &Environment,
) -> Result<Option<PemSource>, UserError> {
    let Some(ca) = &landscape.ca_cert else {
        return Ok(None);
    };
    let pem = std::fs::read(env.resolve(ca)).map_err(|err| {
        UserError::bad_input(format!(
            "cannot read the landscape CA {} named in {shown}: {err}",
            ca.display()
        ))
    })?;
    Ok(Some(PemSource::new(
        format!("landscape CA {}", ca.display()),
        pem,
    )))
}

/// Reads `landscape.json`; a bad file is named with the line, column and JSON path.
pub(crate) fn read_landscape(path: &Path, shown: &str) -> Result<LandscapeFile, UserError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        UserError::bad_input(format!(
            "cannot read the landscape description {shown}: {e}; start the landscape with `sapland up` (it writes .sapland/landscape.json) or name the file with --landscape"
        ))
    })?;
    sapland_core::json::from_str(&text)
        .map_err(|err| UserError::not_json(shown, "a valid landscape.json", &err))
}
