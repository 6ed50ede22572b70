//! The UAA of one subaccount: OAuth client credentials for the service instances (reference §1.4)
//! at `uaa.url` (secret: Basic header, form fields, or the GET variant) and at `uaa.certurl`
//! (mutual TLS with the `x509` binding's certificate). Tokens carry the instance's authorities as
//! scopes and expire on the landscape clock; the kit's issuer does the RFC 6749 work.

use std::sync::{Mutex, MutexGuard, PoisonError};

use jiff::{SignedDuration, Timestamp};
use sapland_mock_kit::ids::IdGenerator;
use sapland_mock_kit::oauth::{IssuedToken, Issuer, OAuthError, OAuthErrorCode, TokenError};
use serde_json::{Value, json};

use crate::instances::{Instance, Zone};

/// Which token endpoint a request reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `uaa.url`: client secrets only; a certificate on the connection is not looked at.
    Secret,
    /// `uaa.certurl`: a client certificate from the landscape CA is required.
    Certificate,
}

/// A token request as it arrived at either endpoint.
#[derive(Debug, Clone, Copy)]
pub struct TokenCall<'a> {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Whether it is the GET variant (reference §1.4 variant 3): parameters in the query.
    pub get: bool,
    /// The raw query string.
    pub query: Option<&'a str>,
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The body.
    pub body: &'a str,
    /// The subject of the verified client certificate of the connection.
    pub certificate_subject: Option<&'a str>,
}

/// One subaccount's UAA.
#[derive(Debug)]
pub struct Uaa {
    /// The zone as bindings show it.
    pub zone: Zone,
    seed: u64,
    lifetime: SignedDuration,
    issuer: Mutex<Issuer>,
    jti: Mutex<IdGenerator>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Uaa {
    /// The UAA of `zone`, with tokens that live `lifetime` and a client per instance.
    pub fn new<'a>(
        zone: Zone,
        seed: u64,
        lifetime: SignedDuration,
        instances: impl IntoIterator<Item = &'a Instance>,
    ) -> Self {
        let uaa = Self {
            issuer: Mutex::new(Self::fresh_issuer(seed, &zone, lifetime)),
            jti: Mutex::new(IdGenerator::derived(
                seed,
                &format!("calm.jti.{}", zone.subdomain),
            )),
            zone,
            seed,
            lifetime,
        };
        for instance in instances {
            uaa.register(instance);
        }
        uaa
    }

    fn fresh_issuer(seed: u64, zone: &Zone, lifetime: SignedDuration) -> Issuer {
        let token_seed =
            IdGenerator::derived(seed, &format!("calm.tokens.{}", zone.subdomain)).next_u64();
        Issuer::new(token_seed, lifetime)
    }

    /// Forgets every token and client, then registers these instances.
    pub fn reset<'a>(&self, instances: impl IntoIterator<Item = &'a Instance>) {
        *lock(&self.issuer) = Self::fresh_issuer(self.seed, &self.zone, self.lifetime);
        *lock(&self.jti) =
            IdGenerator::derived(self.seed, &format!("calm.jti.{}", self.zone.subdomain));
        for instance in instances {
            self.register(instance);
        }
    }

    /// Registers (or replaces) the client of an instance.
    pub fn register(&self, instance: &Instance) {
        lock(&self.issuer).register(instance.oauth_client());
    }

    /// Answers a token request at landscape time `now` with XSUAA's response body
    /// `{access_token, token_type: "bearer", expires_in, scope, jti}`.
    pub fn token(&self, call: &TokenCall<'_>, now: Timestamp) -> Result<Value, OAuthError> {
        let certificate_subject = match call.endpoint {
            Endpoint::Secret => None,
            Endpoint::Certificate => Some(call.certificate_subject.ok_or_else(|| OAuthError {
                error: OAuthErrorCode::InvalidClient,
                error_description: "the certificate endpoint (uaa.certurl) needs a client certificate: connect with the binding's certificate and key (mutual TLS)".into(),
                basic_attempted: false,
            })?),
        };
        let (content_type, body) = if call.get {
            (
                Some("application/x-www-form-urlencoded"),
                call.query.unwrap_or_default().to_string(),
            )
        } else {
            let content_type = match call.content_type {
                None if call.body.trim().is_empty() => Some("application/x-www-form-urlencoded"),
                other => other,
            };
            (content_type, merge_query(call.body, call.query))
        };
        let body = without_empty_scope(&body);
        let request = sapland_mock_kit::oauth::TokenRequest {
            authorization: call.authorization,
            certificate_subject,
            content_type,
            body: &body,
        };
        let issued = lock(&self.issuer).token(&request, now)?;
        let jti = {
            let mut ids = lock(&self.jti);
            format!("{:016x}{:016x}", ids.next_u64(), ids.next_u64())
        };
        Ok(json!({
            "access_token": issued.access_token,
            "token_type": "bearer",
            "expires_in": issued.expires_in,
            "scope": issued.scope,
            "jti": jti,
        }))
    }

    /// The token behind a bearer value, if this UAA issued it and it has not expired at `now`.
    pub fn validate(&self, access_token: &str, now: Timestamp) -> Result<IssuedToken, TokenError> {
        lock(&self.issuer).validate(access_token, now).cloned()
    }
}

/// The form body with the query's parameters added where the body does not name them: some SAP
/// documentation appends `?grant_type=client_credentials` to the token URL (reference §1.3).
fn merge_query(body: &str, query: Option<&str>) -> String {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return body.to_string();
    };
    let named: Vec<String> = sapland_mock_kit::form::parse(body)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut merged: Vec<&str> = body.split('&').filter(|p| !p.is_empty()).collect();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let name = sapland_mock_kit::form::decode(pair.split_once('=').map_or(pair, |(n, _)| n));
        if !named.contains(&name) {
            merged.push(pair);
        }
    }
    merged.join("&")
}

/// The form body without an empty `scope=`: SAP's Postman collection sends one (reference §1.4
/// variant 2), and it asks for the client's authorities, not for no scope at all.
fn without_empty_scope(body: &str) -> String {
    body.split('&')
        .filter(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            !(sapland_mock_kit::form::decode(name) == "scope"
                && sapland_mock_kit::form::decode(value).trim().is_empty())
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_fill_in_what_the_body_lacks() {
        assert_eq!(
            merge_query("client_id=a", Some("grant_type=client_credentials")),
            "client_id=a&grant_type=client_credentials"
        );
        assert_eq!(
            merge_query("grant_type=x", Some("grant_type=client_credentials")),
            "grant_type=x"
        );
        assert_eq!(merge_query("a=1", None), "a=1");
    }

    #[test]
    fn an_empty_scope_is_dropped() {
        assert_eq!(
            without_empty_scope("grant_type=client_credentials&scope=&client_id=x"),
            "grant_type=client_credentials&client_id=x"
        );
        assert_eq!(without_empty_scope("scope=a+b"), "scope=a+b");
    }
}
