//! Authentication as IPS does it ([DOC] `reference/ips-ias.md` §3.2, §2.8): Basic with the
//! technical user's client id and secret, OAuth client credentials from `/oauth2/token`
//! (cached until shortly before `expires_in`, refreshed once on a 401), and client
//! certificates — and no secret in any error or `Debug`.

use std::time::Duration;

use jiff::SignedDuration;
use sapland_scim::{
    Auth, Client, Dialect, ErrorKind, OAuth, OAuthCredential, ResourceType, Secret,
    TokenRequestStyle,
};

use crate::support::{Env, user};

fn oauth(env: &Env, style: TokenRequestStyle) -> Auth {
    let tenant = env.target();
    Auth::OAuthClientCredentials(OAuth {
        token_url: tenant.token_url.clone(),
        client_id: tenant.technical_user.client_id.clone(),
        credential: OAuthCredential::Secret(Secret::new(
            tenant.technical_user.client_secret.clone(),
        )),
        style,
        scope: None,
    })
}

/// [DOC] §3.2: `Authorization: Basic base64(clientId:clientSecret)`.
#[tokio::test]
async fn basic_with_the_technical_user() {
    let env = Env::unthrottled().await;
    let (client, _) = env.client(env.config(Dialect::IasV2, env.basic()));
    client
        .create(ResourceType::User, &user("amy"))
        .await
        .unwrap();
    let entry = &env.requests_to("/scim/Users").await[0];
    let authorization = crate::support::header(entry, "authorization").unwrap();
    assert!(authorization.starts_with("Basic"), "{authorization}");
}

#[tokio::test]
async fn a_wrong_secret_is_a_401_that_shows_no_secret() {
    let env = Env::unthrottled().await;
    let wrong = Auth::Basic {
        user: env.target().technical_user.client_id.clone(),
        password: Secret::new("wrong-secret-value"),
    };
    let config = env.config(Dialect::IasV2, wrong);
    assert!(!format!("{config:?}").contains("wrong-secret-value"));
    let (client, _) = env.client(config);
    let error = client.get(ResourceType::User, "x").await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.attempts, 1, "401 is not retried");
    let shown = format!("{error} {error:?} {client:?}");
    assert!(!shown.contains("wrong-secret-value"), "{shown}");
    assert!(
        !shown.contains(&env.target().technical_user.client_secret),
        "{shown}"
    );
}

/// [DOC] §3.2 (`AuthType=Basic`): one token for many requests, counted in the journal; a new
/// one when the landscape clock passes its `expires_in` (3600 s) less the refresh margin.
#[tokio::test]
async fn the_token_is_cached_until_shortly_before_it_expires() {
    let env = Env::unthrottled().await;
    let config = env.config(Dialect::IasV2, oauth(&env, TokenRequestStyle::BasicHeader));
    let (client, clock) = env.client_on_landscape_clock(config).await;
    for name in ["amy", "bob", "cid"] {
        client
            .create(ResourceType::User, &user(name))
            .await
            .unwrap();
    }
    assert_eq!(env.requests_to("/oauth2/token").await.len(), 1);
    clock.sleep(Duration::from_secs(3500)).await;
    client.get(ResourceType::User, "none").await.unwrap_err();
    assert_eq!(
        env.requests_to("/oauth2/token").await.len(),
        1,
        "still valid 3500 s later"
    );
    clock.sleep(Duration::from_secs(60)).await;
    client
        .create(ResourceType::User, &user("dan"))
        .await
        .unwrap();
    let tokens = env.requests_to("/oauth2/token").await;
    assert_eq!(tokens.len(), 2, "renewed a minute before expiry");
    let authorization = crate::support::header(&tokens[0], "authorization").unwrap();
    assert!(authorization.starts_with("Basic"), "{authorization}");
    let scim = env.requests_to("/scim/Users").await;
    assert!(scim.iter().all(|e| e["status"].as_u64().unwrap() != 401));
}

/// [DOC] §2.8 `AuthType=Form`: `client_id` and `client_secret` as form fields (as SAP's
/// Terraform provider sends them, §3.2).
#[tokio::test]
async fn form_fields_style_token_requests() {
    let env = Env::unthrottled().await;
    let config = env.config(Dialect::IasV2, oauth(&env, TokenRequestStyle::FormFields));
    let (client, _) = env.client(config);
    client
        .create(ResourceType::User, &user("amy"))
        .await
        .unwrap();
    let token = &env.requests_to("/oauth2/token").await[0];
    assert_eq!(crate::support::header(token, "authorization"), None);
    assert_eq!(token["status"], 200);
    let scim = &env.requests_to("/scim/Users").await[0];
    assert!(
        crate::support::header(scim, "authorization")
            .unwrap()
            .starts_with("Bearer")
    );
}

/// A 401 drops the token and the request is sent once more with a fresh one. The client's
/// clock stands still while the landscape's moves past the token's expiry, so the client
/// still holds the token the service refuses.
#[tokio::test]
async fn a_401_refreshes_the_token_once() {
    let env = Env::unthrottled().await;
    let config = env.config(Dialect::IasV2, oauth(&env, TokenRequestStyle::BasicHeader));
    let (client, _) = env.client(config);
    client
        .create(ResourceType::User, &user("amy"))
        .await
        .unwrap();
    env.landscape
        .clock
        .advance(SignedDuration::from_secs(7200))
        .unwrap();
    client
        .create(ResourceType::User, &user("bob"))
        .await
        .unwrap();
    assert_eq!(env.requests_to("/oauth2/token").await.len(), 2);
    let statuses: Vec<u64> = env
        .requests_to("/scim/Users")
        .await
        .iter()
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [201, 401, 201]);
}

/// [DOC] §2.6: a refused token request reads `OAuth request failed with status: 401 …`,
/// without the secret.
#[tokio::test]
async fn a_refused_token_request_reads_like_the_ips_log() {
    let env = Env::unthrottled().await;
    let tenant = env.target();
    let auth = Auth::OAuthClientCredentials(OAuth {
        token_url: tenant.token_url.clone(),
        client_id: tenant.technical_user.client_id.clone(),
        credential: OAuthCredential::Secret(Secret::new("not-the-secret-xyz")),
        style: TokenRequestStyle::FormFields,
        scope: None,
    });
    let (client, _) = env.client(env.config(Dialect::IasV2, auth));
    let error = client.get(ResourceType::User, "x").await.unwrap_err();
    assert!(matches!(*error.kind, ErrorKind::Token { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.starts_with("OAuth request failed with status: 401, invalid_client"),
        "{text}"
    );
    assert!(!format!("{text} {error:?}").contains("not-the-secret-xyz"));
    assert!(
        env.requests_to("/scim").await.is_empty(),
        "no SCIM request without a token"
    );
}

/// [DOC] §3.2, §5: `ClientCertificateAuthentication` — mTLS with the technical user's
/// certificate, no `Authorization` header; and OAuth with the certificate at the token
/// endpoint.
#[tokio::test]
async fn client_certificates_directly_and_for_tokens() {
    let env = Env::unthrottled().await;
    let mut config = env.config(Dialect::IasV2, Auth::ClientCertificate);
    config.https.identity = Some(env.identity());
    let (client, _) = env.client(config);
    client
        .create(ResourceType::User, &user("amy"))
        .await
        .unwrap();
    let entry = &env.requests_to("/scim/Users").await[0];
    assert_eq!(entry["status"], 201);
    assert_eq!(crate::support::header(entry, "authorization"), None);

    let tenant = env.target();
    let mut config = env.config(
        Dialect::IasV2,
        Auth::OAuthClientCredentials(OAuth {
            token_url: tenant.token_url.clone(),
            client_id: tenant.technical_user.client_id.clone(),
            credential: OAuthCredential::ClientCertificate,
            style: TokenRequestStyle::BasicHeader,
            scope: None,
        }),
    );
    config.https.identity = Some(env.identity());
    let (client, _) = env.client(config);
    client
        .create(ResourceType::User, &user("bob"))
        .await
        .unwrap();
    assert_eq!(env.requests_to("/oauth2/token").await[0]["status"], 200);
}

#[tokio::test]
async fn certificate_authentication_without_a_certificate_is_a_configuration_error() {
    let env = Env::unthrottled().await;
    let config = env.config(Dialect::IasV2, Auth::ClientCertificate);
    let clock = std::sync::Arc::new(sapland_outbound::clock::ManualClock::new(
        crate::support::START.parse().unwrap(),
    ));
    let error = Client::new(config, clock).unwrap_err();
    assert!(error.to_string().contains("client certificate"), "{error}");
}
