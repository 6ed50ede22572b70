//! Every good and bad key, with the exact message.

use serde_json::{Value, json};

use super::*;

/// §1.2's canonical example.
fn secret_key() -> Value {
    json!({
      "endpoints": { "Api": "https://mock-tenant.eu10.alm.cloud.sap/api" },
      "uaa": {
        "clientid": "sb-7c3f0d5e-1111-2222-3333-444455556666!b12345|calm!b2716",
        "clientsecret": "c1a2b3-SECRET-VALUE=",
        "url": "https://mock-tenant.authentication.eu10.hana.ondemand.com",
        "identityzone": "mock-tenant",
        "identityzoneid": "0f1e2d3c-aaaa-bbbb-cccc-ddddeeeeffff",
        "tenantid": "0f1e2d3c-aaaa-bbbb-cccc-ddddeeeeffff",
        "tenantmode": "shared",
        "sburl": "https://internal-xsuaa.authentication.eu10.hana.ondemand.com",
        "apiurl": "https://api.authentication.eu10.hana.ondemand.com",
        "verificationkey": "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----",
        "xsappname": "7c3f0d5e-1111-2222-3333-444455556666!b12345|calm!b2716",
        "uaadomain": "authentication.eu10.hana.ondemand.com",
        "credential-type": "binding-secret",
        "subaccountid": "0f1e2d3c-aaaa-bbbb-cccc-ddddeeeeffff",
        "zoneid": "0f1e2d3c-aaaa-bbbb-cccc-ddddeeeeffff"
      }
    })
}

const CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";
const PRIVATE_KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nMIGHAgEAKEYMATERIAL\n-----END PRIVATE KEY-----\n";

/// The X.509 variant (§1.2): no clientsecret; certurl, certificate and key.
fn x509_key() -> Value {
    let mut key = secret_key();
    let uaa = key["uaa"].as_object_mut().unwrap();
    uaa.remove("clientsecret");
    uaa.insert("credential-type".into(), json!("x509"));
    uaa.insert(
        "certurl".into(),
        json!("https://mock-tenant.authentication.cert.eu10.hana.ondemand.com"),
    );
    uaa.insert("certificate".into(), json!(CERTIFICATE));
    uaa.insert("key".into(), json!(PRIVATE_KEY));
    key
}

fn text(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

fn parse(value: &Value) -> Result<ServiceKey, ServiceKeyError> {
    ServiceKey::from_json(&text(value))
}

/// The error text of a key changed by `change`.
fn problem(change: impl FnOnce(&mut Value)) -> String {
    let mut key = secret_key();
    change(&mut key);
    problem_of(&key)
}

fn problem_of(key: &Value) -> String {
    let error = parse(key).expect_err("the key is refused");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(!shown.contains("KEYMATERIAL"), "{shown}");
    error.to_string()
}

fn uaa(key: &mut Value) -> &mut serde_json::Map<String, Value> {
    key["uaa"].as_object_mut().unwrap()
}

/// [DOC] §1.3: API root = endpoints.Api without /api; token URL = uaa.url + /oauth/token.
#[test]
fn the_canonical_secret_key_gives_root_and_token_url() {
    let key = parse(&secret_key()).unwrap();
    assert_eq!(key.api_url(), "https://mock-tenant.eu10.alm.cloud.sap/api");
    assert_eq!(key.api_root(), "https://mock-tenant.eu10.alm.cloud.sap");
    assert_eq!(
        key.token_url(),
        "https://mock-tenant.authentication.eu10.hana.ondemand.com/oauth/token"
    );
    assert_eq!(key.credential_type(), CredentialType::BindingSecret);
    assert_eq!(
        key.client_id(),
        "sb-7c3f0d5e-1111-2222-3333-444455556666!b12345|calm!b2716"
    );
    assert_eq!(key.uaa().identity_zone.as_deref(), Some("mock-tenant"));
    assert_eq!(key.uaa().tenant_mode.as_deref(), Some("shared"));
    assert!(key.client_identity().is_none());
    assert!(
        matches!(&key.uaa().credential, Credential::Secret(s) if s.expose() == "c1a2b3-SECRET-VALUE=")
    );
}

/// [DOC] §1.3: the mTLS token URL is uaa.certurl + /oauth/token.
#[test]
fn the_x509_key_gets_its_token_from_the_cert_url() {
    let key = parse(&x509_key()).unwrap();
    assert_eq!(key.credential_type(), CredentialType::X509);
    assert_eq!(
        key.token_url(),
        "https://mock-tenant.authentication.cert.eu10.hana.ondemand.com/oauth/token"
    );
    let identity = key.client_identity().unwrap();
    assert_eq!(identity.certificate.pem, CERTIFICATE.as_bytes());
    assert_eq!(identity.private_key.expose(), PRIVATE_KEY.as_bytes());
}

#[test]
fn secrets_never_show_in_debug() {
    let shown = format!(
        "{:?} {:?}",
        parse(&secret_key()).unwrap(),
        parse(&x509_key()).unwrap()
    );
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(!shown.contains("KEYMATERIAL"), "{shown}");
    assert!(shown.contains("****"), "{shown}");
}

#[test]
fn unknown_members_are_kept_and_show_only_their_names() {
    let mut key = secret_key();
    key["plan"] = json!("standard");
    key["endpoints"]["Other"] = json!("https://x");
    uaa(&mut key).insert("password".into(), json!("SECRET-too"));
    let key = parse(&key).unwrap();
    assert_eq!(key.extra().0["plan"], "standard");
    assert_eq!(key.endpoints_extra().0["Other"], "https://x");
    assert_eq!(key.uaa().extra.0["password"], "SECRET-too");
    let shown = format!("{key:?}");
    assert!(
        shown.contains("\"password\"") && !shown.contains("SECRET"),
        "{shown}"
    );
}

#[test]
fn variants_that_are_fine() {
    let mut instance = secret_key();
    uaa(&mut instance).insert("credential-type".into(), json!("instance-secret"));
    assert_eq!(
        parse(&instance).unwrap().credential_type(),
        CredentialType::InstanceSecret
    );
    let mut untyped = secret_key();
    uaa(&mut untyped).remove("credential-type");
    assert_eq!(
        parse(&untyped).unwrap().credential_type(),
        CredentialType::BindingSecret,
        "a key without credential-type and with a secret is a secret key"
    );
    let mut untyped_x509 = x509_key();
    uaa(&mut untyped_x509).remove("credential-type");
    assert_eq!(
        parse(&untyped_x509).unwrap().credential_type(),
        CredentialType::X509
    );
    let mut slashes = secret_key();
    slashes["endpoints"]["Api"] = json!("https://eu10.alm.cloud.sap/api/");
    uaa(&mut slashes).insert(
        "url".into(),
        json!("https://t.authentication.eu10.hana.ondemand.com/"),
    );
    let key = parse(&slashes).unwrap();
    assert_eq!(key.api_root(), "https://eu10.alm.cloud.sap");
    assert_eq!(
        key.token_url(),
        "https://t.authentication.eu10.hana.ondemand.com/oauth/token"
    );
    let mut plain_http = secret_key();
    plain_http["endpoints"]["Api"] = json!("http://127.0.0.1:8443/api");
    assert_eq!(
        parse(&plain_http).unwrap().api_root(),
        "http://127.0.0.1:8443"
    );
    let mut no_url = x509_key();
    uaa(&mut no_url).remove("url");
    assert!(
        parse(&no_url).is_ok(),
        "an X.509 key needs certurl, not url"
    );
}

#[test]
fn text_that_is_not_a_key() {
    assert_eq!(
        ServiceKey::from_json("  \n").unwrap_err().to_string(),
        "at $: is empty: expected the service key JSON as the SAP BTP cockpit shows it"
    );
    assert_eq!(
        ServiceKey::from_json("{\n  \"endpoints\": {,\n}")
            .unwrap_err()
            .to_string(),
        "line 2, column 17, at $: not JSON: key must be a string"
    );
    assert_eq!(
        ServiceKey::from_json("[1]").unwrap_err().to_string(),
        "line 1, column 1, at $: expected a JSON object with endpoints and uaa, found an array"
    );
    assert_eq!(
        ServiceKey::from_json("{}").unwrap_err().to_string(),
        "line 1, column 1, at $.endpoints: is missing: a Cloud ALM service key has \"endpoints\": \
         {\"Api\": \"https://eu10.alm.cloud.sap/api\"}\n\
         line 1, column 1, at $.uaa: is missing: the OAuth client of the key (clientid, \
         clientsecret, url)"
    );
}

#[test]
fn the_file_name_starts_every_line() {
    let error = ServiceKey::from_json("{}")
        .unwrap_err()
        .in_file("calm.json");
    let text = error.to_string();
    assert_eq!(text.lines().count(), 2);
    assert!(
        text.lines()
            .all(|line| line.starts_with("calm.json: line 1, column 1, at $."))
    );
}

#[test]
fn endpoints_api_problems() {
    assert_eq!(
        problem(|key| {
            key["endpoints"].as_object_mut().unwrap().remove("Api");
        }),
        "line 2, column 16, at $.endpoints.Api: is missing: the Cloud ALM API URL, such as \
         https://eu10.alm.cloud.sap/api"
    );
    assert_eq!(
        problem(|key| key["endpoints"]["Api"] = json!("https://eu10.alm.cloud.sap")),
        "line 3, column 12, at $.endpoints.Api: must end in /api, such as \
         https://eu10.alm.cloud.sap/api (the API root is this URL without /api); found \
         \"https://eu10.alm.cloud.sap\""
    );
    assert_eq!(
        problem(|key| key["endpoints"]["Api"] = json!("eu10.alm.cloud.sap/api")),
        "line 3, column 12, at $.endpoints.Api: is not an http(s) URL: \"eu10.alm.cloud.sap/api\""
    );
    assert_eq!(
        problem(|key| key["endpoints"] = json!("https://eu10.alm.cloud.sap/api")),
        "line 2, column 16, at $.endpoints: expected an object, found a string"
    );
}

/// The seed's connector guide: "Do NOT add /oauth/token at the end".
#[test]
fn a_url_that_already_ends_in_oauth_token_says_what_to_write() {
    assert_eq!(
        problem(|key| {
            uaa(key).insert(
                "url".into(),
                json!("https://t.authentication.eu10.hana.ondemand.com/oauth/token?grant_type=client_credentials"),
            );
        }),
        "line 8, column 12, at $.uaa.url: must not end in /oauth/token: it is the XSUAA base URL \
         and sapland appends /oauth/token itself; write \
         \"https://t.authentication.eu10.hana.ondemand.com\""
    );
    let mut key = x509_key();
    uaa(&mut key).insert(
        "certurl".into(),
        json!("https://t.authentication.cert.eu10.hana.ondemand.com/oauth/token/"),
    );
    assert!(
        problem_of(&key).contains("at $.uaa.certurl: must not end in /oauth/token"),
        "{}",
        problem_of(&key)
    );
}

#[test]
fn uaa_member_problems() {
    assert_eq!(
        problem(|key| {
            uaa(key).remove("clientid");
        }),
        "line 5, column 10, at $.uaa.clientid: is missing: the OAuth client id (sb-…)"
    );
    assert_eq!(
        problem(|key| {
            uaa(key).remove("url");
        }),
        "line 5, column 10, at $.uaa.url: is missing: the XSUAA URL, such as \
         https://<subdomain>.authentication.eu10.hana.ondemand.com; the token URL is uaa.url + \
         /oauth/token"
    );
    assert_eq!(
        problem(|key| {
            uaa(key).insert("clientid".into(), json!(""));
        }),
        "line 6, column 17, at $.uaa.clientid: is empty: the OAuth client id (sb-…)"
    );
    assert_eq!(
        problem(|key| {
            uaa(key).insert("clientsecret".into(), json!(12345));
        }),
        "line 7, column 21, at $.uaa.clientsecret: expected a string, found a number"
    );
    assert_eq!(
        problem(|key| {
            uaa(key).insert("tenantmode".into(), json!(["shared"]));
        }),
        "line 12, column 19, at $.uaa.tenantmode: expected a string, found an array"
    );
    assert_eq!(
        problem(|key| key["uaa"] = json!(null)),
        "line 1, column 1, at $.uaa: is missing: the OAuth client of the key (clientid, \
         clientsecret, url)"
    );
}

#[test]
fn an_unknown_credential_type_lists_the_known_ones() {
    assert_eq!(
        problem(|key| {
            uaa(key).insert("credential-type".into(), json!("password"));
        }),
        "line 18, column 24, at $.uaa['credential-type']: unknown credential type \"password\": \
         expected binding-secret, instance-secret or x509"
    );
}

#[test]
fn a_secret_key_without_its_secret() {
    assert_eq!(
        problem(|key| {
            uaa(key).remove("clientsecret");
        }),
        "line 5, column 10, at $.uaa.clientsecret: is missing: a key whose credential-type is \
         binding-secret or instance-secret authenticates with its client secret; copy the whole \
         key from the SAP BTP cockpit, or use an X.509 key (credential-type x509 with certurl, \
         certificate and key)"
    );
    assert_eq!(
        problem(|key| {
            uaa(key).remove("clientsecret");
            uaa(key).remove("credential-type");
        }),
        "line 5, column 10, at $.uaa.clientsecret: is missing: the key holds no credential, \
         neither uaa.clientsecret nor uaa.certificate and uaa.key; copy the whole key from the \
         SAP BTP cockpit"
    );
}

#[test]
fn an_x509_key_without_its_key_certificate_or_cert_url() {
    let mut key = x509_key();
    uaa(&mut key).remove("key");
    assert_eq!(
        problem_of(&key),
        "line 5, column 10, at $.uaa.key: is missing: an X.509 key (credential-type x509) needs \
         the private key (PEM) of uaa.certificate"
    );
    let mut key = x509_key();
    uaa(&mut key).remove("certificate");
    uaa(&mut key).remove("certurl");
    assert_eq!(
        problem_of(&key),
        "line 5, column 10, at $.uaa.certurl: is missing: an X.509 key (credential-type x509) \
         gets its token from uaa.certurl + /oauth/token over mTLS\n\
         line 5, column 10, at $.uaa.certificate: is missing: an X.509 key (credential-type \
         x509) needs the client certificate (PEM) it presents"
    );
    let mut key = x509_key();
    uaa(&mut key).insert("key".into(), json!("MIGHAgEAKEYMATERIAL"));
    uaa(&mut key).insert("certificate".into(), json!("MIIBcert"));
    let text = problem_of(&key);
    assert!(
        text.contains(
            "at $.uaa.certificate: is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)"
        ),
        "{text}"
    );
    assert!(
        text.contains("at $.uaa.key: is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)"),
        "{text}"
    );
}

/// No input panics; every refusal names at least one problem.
#[test]
fn odd_inputs_are_refused_without_panicking() {
    for text in [
        "null",
        "\"x\"",
        "1",
        "{\"endpoints\": null, \"uaa\": 7}",
        "{\"endpoints\": {\"Api\": []}}",
        "{\"uaa\": {\"credential-type\": 5}}",
        "\u{feff}{}",
        "{\"a\":\"\\ud800\"}",
    ] {
        let error = ServiceKey::from_json(text).unwrap_err();
        assert!(!error.problems.is_empty(), "{text}");
    }
}
