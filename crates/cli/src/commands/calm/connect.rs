//! From a service key file to a Cloud ALM client.

use sapland_calm::{Client, Error, ServiceKey, TokenRequestStyle};

use super::args::{Connection, TokenAuth};
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};
use crate::outbound::reach;

/// Reads the key (exit 2 with every problem) and builds a client for it.
pub(super) async fn connect(
    connection: &Connection,
    env: &Environment,
) -> Result<Client, UserError> {
    let shown = connection.service_key.display().to_string();
    let text = std::fs::read_to_string(env.resolve(&connection.service_key)).map_err(|err| {
        UserError::bad_input(format!("cannot read the service key {shown}: {err}"))
    })?;
    let key = ServiceKey::from_json(&text)
        .map_err(|err| UserError::bad_input(err.in_file(shown.as_str()).to_string()))?;
    let reach = reach(
        connection.ca_cert.as_deref(),
        connection.landscape.as_deref(),
        env,
    )
    .await?;
    let style = match connection.token_auth {
        TokenAuth::Basic => TokenRequestStyle::BasicHeader,
        TokenAuth::Form => TokenRequestStyle::FormFields,
    };
    let client = Client::new(&key, &reach, style).map_err(|err| {
        UserError::bad_input(format!("{shown}: the key cannot be used for HTTPS: {err}"))
    })?;
    Ok(client)
}

/// A Cloud ALM error: Cloud ALM refused or could not be reached (exit 3), or sapland could
/// not make the request from the arguments (exit 2).
pub(super) fn outside(error: Error) -> UserError {
    let code = match *error.kind {
        sapland_calm::ErrorKind::InvalidRequest { .. } => ExitCode::BAD_INPUT,
        _ => ExitCode::OUTSIDE,
    };
    UserError {
        code,
        message: error.to_string(),
    }
}
