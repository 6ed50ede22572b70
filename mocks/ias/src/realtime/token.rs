//! OAuth tokens of targets: a client-credentials token from the target's token endpoint, kept
//! until shortly before it expires on the landscape clock.

use jiff::{SignedDuration, Timestamp};
use sapland_core::scim::Secret;
use serde_json::Value;

use super::push::chain;
use super::queue::{Shared, lock};
use super::target::{Authentication, Target};

/// A token is renewed this long before it expires.
const TOKEN_MARGIN: SignedDuration = SignedDuration::from_secs(30);

impl Shared {
    /// A token for an OAuth target: the cached one while it is valid, else a fresh one.
    pub(super) async fn token(
        &self,
        client: &reqwest::Client,
        target: &Target,
        now: Timestamp,
    ) -> Result<Secret, String> {
        let Authentication::OAuth {
            token_url,
            client_id,
            client_secret,
        } = &target.authentication
        else {
            unreachable!("only OAuth targets ask for tokens");
        };
        if let Some((token, expires)) = lock(&self.tokens).get(&target.id)
            && now < *expires
        {
            return Ok(token.clone());
        }
        let response = client
            .post(token_url.clone())
            .basic_auth(client_id, Some(client_secret.expose()))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|err| {
                format!(
                    "the token endpoint could not be reached: {}",
                    target.scrub(&chain(&err))
                )
            })?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(format!("the token endpoint answered {}", status.as_u16()));
        }
        let answer: Value = serde_json::from_str(&body)
            .map_err(|_| "the token endpoint's answer is not JSON".to_string())?;
        let token = answer
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or("the token endpoint's answer has no access_token")?;
        let lifetime = answer
            .get("expires_in")
            .and_then(Value::as_i64)
            .unwrap_or(3600);
        let expires = now
            .checked_add(SignedDuration::from_secs(lifetime))
            .and_then(|t| t.checked_sub(TOKEN_MARGIN))
            .unwrap_or(now);
        let token = Secret::new(token);
        lock(&self.tokens).insert(target.id.clone(), (token.clone(), expires));
        Ok(token)
    }
}
