//! An OAuth 2.0 client-credentials issuer (RFC 6749 §4.4), as IAS (`/oauth2/token`) and the Cloud
//! ALM UAA (`/oauth/token`) offer one. Tokens expire on the landscape clock.
//!
//! Clients authenticate with an HTTP Basic header, with `client_id`/`client_secret` form fields,
//! or with a client certificate bound to the client. Errors are RFC 6749 §5.2 error bodies.

use std::collections::{BTreeMap, HashMap};

use jiff::{SignedDuration, Timestamp};
use sapland_core::scim::Secret;
use serde::Serialize;

use crate::form;
use crate::ids::IdGenerator;

/// How long a token lives unless configured otherwise: 3600 s, as IAS answers ([DOC]).
pub const DEFAULT_LIFETIME: SignedDuration = SignedDuration::from_secs(3600);

/// A registered client.
#[derive(Debug, Clone)]
pub struct OAuthClient {
    /// The client id.
    pub client_id: String,
    /// The client secret, when the client may use one.
    pub secret: Option<Secret>,
    /// The subject of the client certificate bound to the client, when it may use one.
    pub certificate_subject: Option<String>,
    /// The scopes (authorities) the client may be granted.
    pub scopes: Vec<String>,
}

/// A token the issuer gave out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The client it was issued to.
    pub client_id: String,
    /// The scopes it carries.
    pub scopes: Vec<String>,
    /// When it stops being valid (landscape clock).
    pub expires_at: Timestamp,
}

/// A token request as it arrived.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenRequest<'a> {
    /// The `Authorization` header, if any.
    pub authorization: Option<&'a str>,
    /// The subject of the verified client certificate, if the connection had one.
    pub certificate_subject: Option<&'a str>,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The request body.
    pub body: &'a str,
}

/// A successful token response body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenResponse {
    /// The bearer token.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: i64,
    /// The granted scopes, space-separated.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub scope: String,
}

/// The RFC 6749 §5.2 error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorCode {
    /// A parameter is missing, repeated or malformed.
    InvalidRequest,
    /// Client authentication failed.
    InvalidClient,
    /// The grant is invalid.
    InvalidGrant,
    /// The grant type is not supported.
    UnsupportedGrantType,
    /// A requested scope is not the client's.
    InvalidScope,
}

/// An error answer of the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{error:?}: {error_description}")]
pub struct OAuthError {
    /// The error code.
    pub error: OAuthErrorCode,
    /// What was wrong. Never holds a secret.
    pub error_description: String,
    /// Whether the client tried HTTP Basic (the answer then carries `WWW-Authenticate`).
    #[serde(skip)]
    pub basic_attempted: bool,
}

impl OAuthError {
    fn new(error: OAuthErrorCode, description: impl Into<String>) -> Self {
        Self {
            error,
            error_description: description.into(),
            basic_attempted: false,
        }
    }

    /// The HTTP status: 401 for `invalid_client`, 400 otherwise.
    pub fn status(&self) -> u16 {
        if self.error == OAuthErrorCode::InvalidClient {
            401
        } else {
            400
        }
    }
}

/// Why a bearer token is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The issuer never gave out this token.
    #[error("the token is not known")]
    Unknown,
    /// The token was valid until the given time.
    #[error("the token expired at {0}")]
    Expired(Timestamp),
}

/// The issuer: registered clients and the tokens given out.
#[derive(Debug, Clone)]
pub struct Issuer {
    clients: BTreeMap<String, OAuthClient>,
    tokens: HashMap<String, IssuedToken>,
    ids: IdGenerator,
    lifetime: SignedDuration,
}

impl Issuer {
    /// An issuer whose tokens come from the seeded sequence and live `lifetime`.
    pub fn new(seed: u64, lifetime: SignedDuration) -> Self {
        Self {
            clients: BTreeMap::new(),
            tokens: HashMap::new(),
            ids: IdGenerator::seeded(seed),
            lifetime,
        }
    }

    /// Registers (or replaces) a client.
    pub fn register(&mut self, client: OAuthClient) {
        self.clients.insert(client.client_id.clone(), client);
    }

    /// Answers a token request at landscape time `now`.
    pub fn token(
        &mut self,
        request: &TokenRequest<'_>,
        now: Timestamp,
    ) -> Result<TokenResponse, OAuthError> {
        let basic_attempted = request
            .authorization
            .is_some_and(|h| h.get(..6).is_some_and(|s| s.eq_ignore_ascii_case("basic ")));
        self.issue(request, now).map_err(|mut err| {
            err.basic_attempted = basic_attempted;
            err
        })
    }

    fn issue(
        &mut self,
        request: &TokenRequest<'_>,
        now: Timestamp,
    ) -> Result<TokenResponse, OAuthError> {
        use OAuthErrorCode::*;
        let form_encoded = request.content_type.is_some_and(|c| {
            c.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
        if !form_encoded {
            return Err(OAuthError::new(
                InvalidRequest,
                "the body must be application/x-www-form-urlencoded",
            ));
        }
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in form::parse(request.body) {
            if fields.insert(name.clone(), value).is_some() {
                return Err(OAuthError::new(
                    InvalidRequest,
                    format!("the parameter {name} is repeated"),
                ));
            }
        }
        match fields.get("grant_type").map(String::as_str) {
            None => return Err(OAuthError::new(InvalidRequest, "grant_type is missing")),
            Some("client_credentials") => {}
            Some(other) => {
                return Err(OAuthError::new(
                    UnsupportedGrantType,
                    format!("grant_type {other} is not supported; use client_credentials"),
                ));
            }
        }
        let client = self.authenticate(request, &fields)?;
        let scopes = match fields.get("scope") {
            None => client.scopes.clone(),
            Some(requested) => {
                let requested: Vec<String> =
                    requested.split_whitespace().map(String::from).collect();
                if let Some(foreign) = requested.iter().find(|s| !client.scopes.contains(s)) {
                    return Err(OAuthError::new(
                        InvalidScope,
                        format!("scope {foreign} is not granted to this client"),
                    ));
                }
                requested
            }
        };
        let client_id = client.client_id.clone();
        self.tokens.retain(|_, token| token.expires_at > now);
        let access_token = self.ids.secret(40);
        let expires_at = now.checked_add(self.lifetime).unwrap_or(Timestamp::MAX);
        self.tokens.insert(
            access_token.clone(),
            IssuedToken {
                client_id,
                scopes: scopes.clone(),
                expires_at,
            },
        );
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: self.lifetime.as_secs(),
            scope: scopes.join(" "),
        })
    }

    fn authenticate(
        &self,
        request: &TokenRequest<'_>,
        fields: &BTreeMap<String, String>,
    ) -> Result<&OAuthClient, OAuthError> {
        use OAuthErrorCode::*;
        let invalid_client = || OAuthError::new(InvalidClient, "client authentication failed");
        let basic = request
            .authorization
            .and_then(|h| h.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
            .map(|(_, encoded)| decode_basic(encoded).ok_or_else(invalid_client))
            .transpose()?;
        let form_secret = fields.get("client_secret");
        if basic.is_some() && form_secret.is_some() {
            return Err(OAuthError::new(
                InvalidRequest,
                "use one client authentication method, not Basic and client_secret",
            ));
        }
        let (client_id, secret) = match (basic, form_secret) {
            (Some((id, secret)), None) => (Some(id), Some(secret)),
            (None, Some(secret)) => (
                fields.get("client_id").cloned(),
                Some(SentCredential::from_form(secret)),
            ),
            _ => (fields.get("client_id").cloned(), None),
        };
        if let (Some(id), Some(form_id)) = (&client_id, fields.get("client_id"))
            && id != form_id
        {
            return Err(OAuthError::new(
                InvalidRequest,
                "client_id does not match the authenticated client",
            ));
        }
        match (secret, request.certificate_subject) {
            (Some(secret), _) => {
                let id = client_id.ok_or_else(invalid_client)?;
                let client = self.clients.get(&id).ok_or_else(invalid_client)?;
                let matches = client.secret.as_ref().is_some_and(|s| secret.matches(s));
                matches.then_some(client).ok_or_else(invalid_client)
            }
            (None, Some(subject)) => {
                let client = self
                    .clients
                    .values()
                    .find(|c| c.certificate_subject.as_deref() == Some(subject))
                    .ok_or_else(invalid_client)?;
                match &client_id {
                    Some(id) if *id != client.client_id => Err(invalid_client()),
                    _ => Ok(client),
                }
            }
            (None, None) => Err(invalid_client()),
        }
    }

    /// The token behind a bearer value, if it is known and not expired at `now`.
    pub fn validate(&self, access_token: &str, now: Timestamp) -> Result<&IssuedToken, TokenError> {
        let token = self.tokens.get(access_token).ok_or(TokenError::Unknown)?;
        if now >= token.expires_at {
            return Err(TokenError::Expired(token.expires_at));
        }
        Ok(token)
    }
}

/// A credential as sent: RFC 6749 §2.3.1 asks clients to form-encode id and secret before
/// base64, but many send them raw, so both readings are tried.
#[derive(Debug)]
struct SentCredential {
    raw: String,
    decoded: String,
}

impl SentCredential {
    fn from_form(value: &str) -> Self {
        Self {
            raw: value.to_string(),
            decoded: value.to_string(),
        }
    }

    fn matches(&self, secret: &Secret) -> bool {
        crate::credentials::same_secret(secret.expose(), &self.raw)
            || crate::credentials::same_secret(secret.expose(), &self.decoded)
    }
}

/// `id:secret` from a Basic credential, both readings of the secret kept.
fn decode_basic(encoded: &str) -> Option<(String, SentCredential)> {
    let (id, secret) = crate::credentials::basic(encoded)?;
    let sent = SentCredential {
        decoded: form::decode(&secret),
        raw: secret,
    };
    Some((form::decode(&id), sent))
}
