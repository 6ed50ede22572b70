//! The Cloud ALM client: one service key, two HTTPS clients (the token endpoint's, which
//! presents the key's certificate for X.509 keys, and the APIs'), the token provider and the
//! clock. The API operations are in the modules named for them.

use std::sync::Arc;

use reqwest::Url;
use sapland_outbound::Reach;
use sapland_outbound::clock::Clock;
use sapland_outbound::https::{HttpsError, HttpsOptions};

use crate::error::Error;
use crate::service_key::{Credential, CredentialType, ServiceKey};
use crate::token::{Token, TokenCredential, TokenProvider, TokenRequestStyle};

/// Why a [`Client`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A CA bundle or the key's certificate or private key is unusable.
    #[error(transparent)]
    Https(#[from] HttpsError),
}

/// A client of one Cloud ALM tenant, as one service key allows. Cheap to clone; clones share
/// the token.
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// What every clone shares.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// The API root (`endpoints.Api` without `/api`), without a trailing slash.
    pub(crate) root: String,
    pub(crate) client_id: String,
    pub(crate) credential_type: CredentialType,
    pub(crate) tokens: TokenProvider,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Client {
    /// A client for `key` with the trust and clock of `reach`; a client secret is sent to the
    /// token endpoint as `style` says (ignored for X.509 keys).
    pub fn new(
        key: &ServiceKey,
        reach: &Reach,
        style: TokenRequestStyle,
    ) -> Result<Self, BuildError> {
        let http = sapland_outbound::https::build(&reach.https)?;
        let (token_http, credential) = match &key.uaa().credential {
            Credential::Secret(secret) => {
                (http.clone(), TokenCredential::Secret(secret.clone(), style))
            }
            Credential::Certificate { .. } => {
                let with_identity = HttpsOptions {
                    identity: key.client_identity(),
                    ..reach.https.clone()
                };
                (
                    sapland_outbound::https::build(&with_identity)?,
                    TokenCredential::Certificate,
                )
            }
        };
        let tokens = TokenProvider::new(
            token_http,
            key.token_url(),
            key.client_id().to_string(),
            credential,
            reach.clock.clone(),
        );
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                root: key.api_root().trim_end_matches('/').to_string(),
                client_id: key.client_id().to_string(),
                credential_type: key.credential_type(),
                tokens,
                clock: reach.clock.clone(),
            }),
        })
    }

    /// The API root: `endpoints.Api` without `/api`.
    pub fn api_root(&self) -> &str {
        &self.inner.root
    }

    /// The token URL.
    pub fn token_url(&self) -> &str {
        self.inner.tokens.token_url()
    }

    /// The key's client id.
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    /// The key's credential type.
    pub fn credential_type(&self) -> CredentialType {
        self.inner.credential_type
    }

    /// The clock of this client.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// A valid token (cached), e.g. to show the scopes it grants.
    pub async fn token(&self) -> Result<Token, Error> {
        self.inner.tokens.token().await
    }

    /// The full URL of an API path such as `/api/calm-landscape/v1/landscapeObjects`.
    pub(crate) fn url(&self, path: &str) -> Option<Url> {
        Url::parse(&format!("{}{path}", self.inner.root)).ok()
    }
}
