//! Testing a service key the way a connector's *Save and test* does: a token from the UAA,
//! then one harmless API call, each step's outcome kept in a typed report that the CLI, the
//! coming agent service and the explorer serialize alike.

use jiff::Timestamp;
use serde::Serialize;

use crate::client::Client;
use crate::error::Error;
use crate::landscape::LandscapeQuery;

/// The API call of the check.
pub const CHECK_CALL: &str = "GET /api/calm-landscape/v1/landscapeObjects?limit=1";

/// What a check of one service key found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    /// `binding-secret` or `x509`.
    pub credential_type: &'static str,
    /// The key's client id.
    pub client_id: String,
    /// The API root the key names.
    pub api_root: String,
    /// The token URL derived from the key.
    pub token_url: String,
    /// The token request.
    pub token: TokenCheck,
    /// The API call, when a token was obtained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_call: Option<ApiCallCheck>,
    /// Whether every step worked.
    pub ok: bool,
}

/// The token request of a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum TokenCheck {
    /// A token was issued.
    #[serde(rename_all = "camelCase")]
    Obtained {
        /// When it expires (RFC 3339).
        expires_at: Timestamp,
        /// The scopes the token answer lists.
        scopes: Option<Vec<String>>,
    },
    /// The request failed.
    #[serde(rename_all = "camelCase")]
    Failed {
        /// The HTTP status, when there was an answer.
        http_status: Option<u16>,
        /// What happened.
        error: String,
    },
}

/// The API call of a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiCallCheck {
    /// The call, [`CHECK_CALL`].
    pub call: &'static str,
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// How many landscape objects Cloud ALM counts, when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub landscape_objects: Option<u64>,
    /// What went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Client {
    /// Checks the connection: a token, then [`CHECK_CALL`]. Returns the report and the error
    /// of the step that failed, if one did.
    pub async fn check(&self) -> (ConnectionCheck, Option<Error>) {
        let mut failure = None;
        let (token, api_call) = match self.token().await {
            Ok(token) => {
                let token_check = TokenCheck::Obtained {
                    expires_at: token.expires_at(),
                    scopes: token.scopes().map(<[String]>::to_vec),
                };
                let query = LandscapeQuery {
                    limit: Some(1),
                    ..LandscapeQuery::default()
                };
                let call = match self.landscape_objects(&query).await {
                    Ok(page) => ApiCallCheck {
                        call: CHECK_CALL,
                        status: Some(200),
                        landscape_objects: page.total,
                        error: None,
                    },
                    Err(error) => {
                        let call = ApiCallCheck {
                            call: CHECK_CALL,
                            status: error.status(),
                            landscape_objects: None,
                            error: Some(error.to_string()),
                        };
                        failure = Some(error);
                        call
                    }
                };
                (token_check, Some(call))
            }
            Err(error) => {
                let token_check = TokenCheck::Failed {
                    http_status: error.status(),
                    error: error.to_string(),
                };
                failure = Some(error);
                (token_check, None)
            }
        };
        let check = ConnectionCheck {
            credential_type: self.credential_type().as_str(),
            client_id: self.client_id().to_string(),
            api_root: self.api_root().to_string(),
            token_url: self.token_url().to_string(),
            token,
            api_call,
            ok: failure.is_none(),
        };
        (check, failure)
    }
}
