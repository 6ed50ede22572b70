//! The mock Cloud ALM in the landscape: `landscape.json`'s `calm` entries, both service key
//! files in the real format (reference §1.2), its health, and tokens by secret and by client
//! certificate over real TLS.

use std::path::Path;

use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig};
use serde_json::Value;

async fn start(dir: &Path, plain_http: bool) -> Landscape {
    let mut config = LandscapeConfig::new(dir.join("state"));
    config.clock = ClockChoice::Manual("2026-11-22T09:00:00Z".parse().unwrap());
    config.seed = Some(7);
    config.plain_http = plain_http;
    Landscape::start(config).await.unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn client(landscape: &Landscape, identity: Option<&str>) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ca = std::fs::read(landscape.description.ca_cert.as_ref().unwrap()).unwrap();
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([reqwest::Certificate::from_pem(&ca).unwrap()]);
    if let Some(pem) = identity {
        builder = builder.identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap());
    }
    builder.build().unwrap()
}

#[tokio::test]
async fn landscape_json_names_the_calm_mock_and_both_keys() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(dir.path(), false).await;
    let file = read_json(&landscape.file);
    let calm = file["calm"].as_object().unwrap();
    assert_eq!(
        calm.keys().collect::<Vec<_>>(),
        ["url", "admin_url", "service_key", "service_key_x509"]
    );
    assert!(file["ias"]["tenants"].is_array(), "the IAS keys stay");
    assert!(file["ca_cert"].is_string() && file["admin_token"].is_string());
    let url = calm["url"].as_str().unwrap();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");

    let secret = read_json(Path::new(calm["service_key"].as_str().unwrap()));
    assert_eq!(secret["endpoints"]["Api"], format!("{url}/api"));
    let uaa = secret["uaa"].as_object().unwrap();
    for field in [
        "clientid",
        "clientsecret",
        "url",
        "identityzone",
        "identityzoneid",
        "tenantid",
        "tenantmode",
        "sburl",
        "apiurl",
        "verificationkey",
        "xsappname",
        "uaadomain",
        "credential-type",
        "subaccountid",
        "zoneid",
    ] {
        assert!(uaa.contains_key(field), "uaa.{field} is missing");
    }
    assert_eq!(uaa["credential-type"], "binding-secret");
    assert_eq!(uaa["tenantmode"], "shared");
    let client_id = uaa["clientid"].as_str().unwrap();
    assert!(client_id.starts_with("sb-") && client_id.ends_with("|calm!b2716"));
    assert!(!uaa.contains_key("certurl"));

    let x509 = read_json(Path::new(calm["service_key_x509"].as_str().unwrap()));
    let cert_uaa = x509["uaa"].as_object().unwrap();
    assert_eq!(x509["endpoints"], secret["endpoints"]);
    assert_eq!(cert_uaa["credential-type"], "x509");
    assert_eq!(cert_uaa["clientid"], client_id, "one client per instance");
    assert!(!cert_uaa.contains_key("clientsecret"));
    assert_ne!(cert_uaa["certurl"], cert_uaa["url"]);
    assert!(
        cert_uaa["certificate"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    assert!(
        cert_uaa["key"]
            .as_str()
            .unwrap()
            .contains("PRIVATE KEY-----")
    );

    #[cfg(unix)]
    for key in ["service_key", "service_key_x509"] {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(calm[key].as_str().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{key} is readable by its owner only");
    }
    landscape.shutdown().await;
}

#[tokio::test]
async fn the_calm_mock_is_healthy_and_answers_tokens_by_secret_and_by_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(dir.path(), false).await;
    let calm = &landscape.description.calm;
    let http = client(&landscape, None);
    let health: Value = http
        .get(format!("{}/_admin/health", calm.admin_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health, serde_json::json!({"status": "UP", "mock": "calm"}));

    let secret = read_json(&calm.service_key);
    let uaa = &secret["uaa"];
    let token: Value = http
        .post(format!("{}/oauth/token", uaa["url"].as_str().unwrap()))
        .basic_auth(
            uaa["clientid"].as_str().unwrap(),
            uaa["clientsecret"].as_str(),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access_token = token["access_token"].as_str().unwrap();
    let objects: Value = http
        .get(format!(
            "{}/calm-landscape/v1/landscapeObjects",
            secret["endpoints"]["Api"].as_str().unwrap()
        ))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(objects[0]["name"], "Identity Provisioning");

    let x509 = read_json(calm.service_key_x509.as_ref().unwrap());
    let cert_uaa = &x509["uaa"];
    let certurl = format!("{}/oauth/token", cert_uaa["certurl"].as_str().unwrap());
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", cert_uaa["clientid"].as_str().unwrap()),
    ];
    let without = http.post(&certurl).form(&form).send().await.unwrap();
    assert_eq!(
        without.status(),
        401,
        "the certurl needs a client certificate"
    );

    let pem = format!(
        "{}{}",
        cert_uaa["certificate"].as_str().unwrap(),
        cert_uaa["key"].as_str().unwrap()
    );
    let mtls = client(&landscape, Some(&pem));
    let answer = mtls.post(&certurl).form(&form).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let token: Value = answer.json().await.unwrap();
    assert!(
        token["scope"]
            .as_str()
            .unwrap()
            .contains("calm-api.logs.write")
    );
    let listed = http
        .get(format!(
            "{}/calm-landscape/v1/landscapeObjects",
            x509["endpoints"]["Api"].as_str().unwrap()
        ))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    landscape.shutdown().await;
}

#[tokio::test]
async fn with_plain_http_there_is_no_x509_key() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(dir.path(), true).await;
    let file = read_json(&landscape.file);
    assert!(file["calm"]["service_key"].is_string());
    assert!(file["calm"].get("service_key_x509").is_none());
    assert!(!dir.path().join("state/calm-service-key-x509.json").exists());
    let key = read_json(&landscape.description.calm.service_key);
    assert!(
        key["uaa"]["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    landscape.shutdown().await;
}

#[tokio::test]
async fn an_x509_instance_created_on_the_admin_surface_gets_a_working_key() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = start(dir.path(), false).await;
    let http = client(&landscape, None);
    let answer = http
        .post(format!(
            "{}/_admin/calm/instances",
            landscape.description.calm.admin_url
        ))
        .bearer_auth(&landscape.description.admin_token)
        .json(&serde_json::json!({
            "name": "metrics-only",
            "authorities": ["$XSMASTERAPPNAME.calm-api.metrics.read"],
            "credentialType": "x509"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    let key: Value = answer.json().await.unwrap();
    let uaa = &key["uaa"];
    let pem = format!(
        "{}{}",
        uaa["certificate"].as_str().unwrap(),
        uaa["key"].as_str().unwrap()
    );
    let token: Value = client(&landscape, Some(&pem))
        .post(format!("{}/oauth/token", uaa["certurl"].as_str().unwrap()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", uaa["clientid"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let forbidden = http
        .get(format!(
            "{}/calm-landscape/v1/landscapeObjects",
            key["endpoints"]["Api"].as_str().unwrap()
        ))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403, "the key has only metrics.read");
    landscape.shutdown().await;
}
