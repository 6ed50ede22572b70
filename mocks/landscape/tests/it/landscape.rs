//! The landscape as its mocks declare it: the top-level keys of `landscape.json` with the one
//! clock URL, the `--ports FROM` numbering, and the files the IAS entry names.

use std::path::Path;

use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig, LandscapeError, Ports};
use serde_json::Value;

fn config(dir: &Path, plain_http: bool) -> LandscapeConfig {
    let mut config = LandscapeConfig::new(dir.join("state"));
    config.clock = ClockChoice::Manual("2026-11-22T09:00:00Z".parse().unwrap());
    config.seed = Some(7);
    config.plain_http = plain_http;
    config
}

fn client(landscape: &Landscape) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder().no_proxy();
    if let Some(ca) = &landscape.description.ca_cert {
        let pem = std::fs::read(ca).unwrap();
        builder = builder.tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()]);
    }
    builder.build().unwrap()
}

fn port(url: &str) -> u16 {
    url.rsplit(':').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn landscape_json_has_the_landscape_keys_then_one_object_per_mock() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = Landscape::start(config(dir.path(), false)).await.unwrap();
    let file: Value = serde_json::from_slice(&std::fs::read(&landscape.file).unwrap()).unwrap();
    let keys: Vec<&String> = file.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["ca_cert", "admin_token", "clock_url", "ias", "calm"]);
    assert_eq!(
        file["ias"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["url", "admin_url", "tenants"]
    );
    assert_eq!(file["clock_url"], file["ias"]["admin_url"]);
    assert_eq!(
        serde_json::to_value(&landscape.description).unwrap(),
        file,
        "the typed description says what the file says"
    );

    for tenant in &landscape.description.ias.tenants {
        let user = &tenant.technical_user;
        let certificate = user.certificate.as_ref().unwrap();
        assert_eq!(
            certificate,
            &dir.path()
                .join("state")
                .join(format!("ias-{}-client.pem", tenant.name))
        );
        let pem = std::fs::read_to_string(certificate).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        let key = std::fs::read_to_string(user.key.as_ref().unwrap()).unwrap();
        assert!(key.contains("PRIVATE KEY"));
        assert_eq!(tenant.token_url, format!("{}/oauth2/token", tenant.url));
    }
    landscape.shutdown().await;
    assert!(!dir.path().join("state").join("landscape.json").exists());
}

#[tokio::test]
async fn advancing_the_clock_at_clock_url_moves_every_mock() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = Landscape::start(config(dir.path(), false)).await.unwrap();
    let description = &landscape.description;
    let http = client(&landscape);
    let advanced = http
        .post(format!("{}/_admin/clock/advance", description.clock_url))
        .bearer_auth(&description.admin_token)
        .json(&serde_json::json!({"by": "2h"}))
        .send()
        .await
        .unwrap();
    assert_eq!(advanced.status(), 200);
    assert_eq!(landscape.clock.now().to_string(), "2026-11-22T11:00:00Z");
    let calm: Value = http
        .get(format!("{}/_admin/clock", description.calm.admin_url))
        .bearer_auth(&description.admin_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calm["now"], "2026-11-22T11:00:00Z");
    landscape.shutdown().await;
}

#[tokio::test]
async fn with_plain_http_there_is_no_ca_and_no_client_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let landscape = Landscape::start(config(dir.path(), true)).await.unwrap();
    let file: Value = serde_json::from_slice(&std::fs::read(&landscape.file).unwrap()).unwrap();
    assert!(file.get("ca_cert").is_none());
    assert!(file["clock_url"].as_str().unwrap().starts_with("http://"));
    for tenant in file["ias"]["tenants"].as_array().unwrap() {
        let user = tenant["technical_user"].as_object().unwrap();
        assert_eq!(
            user.keys().collect::<Vec<_>>(),
            ["client_id", "client_secret"]
        );
    }
    let health = client(&landscape)
        .get(format!("{}/_admin/health", landscape.description.clock_url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    landscape.shutdown().await;
}

/// A first port with the 7 ports of the default landscape free just now.
fn free_range() -> u16 {
    let start = 20_000 + (std::process::id() % 2_000) as u16 * 16;
    (0..200)
        .map(|i| start.wrapping_add(i * 16))
        .filter(|first| (20_000..60_000).contains(first))
        .find(|&first| {
            (first..first + 7).all(|port| std::net::TcpListener::bind(("127.0.0.1", port)).is_ok())
        })
        .expect("a free range of 7 ports")
}

#[tokio::test]
async fn ports_from_number_the_listeners_in_the_documented_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut attempt = 0;
    let (first, landscape) = loop {
        let first = free_range();
        let mut config = config(dir.path(), false);
        config.ports = Ports::From(first);
        match Landscape::start(config).await {
            Ok(landscape) => break (first, landscape),
            // Another process took one of the ports in between.
            Err(LandscapeError::Bind { .. }) if attempt < 5 => attempt += 1,
            Err(error) => panic!("{error}"),
        }
    };
    let description = &landscape.description;
    let key: Value = serde_json::from_slice(
        &std::fs::read(description.calm.service_key_x509.as_ref().unwrap()).unwrap(),
    )
    .unwrap();
    let ports = [
        port(&description.ias.admin_url),
        port(&description.ias.tenants[0].url),
        port(&description.ias.tenants[1].url),
        port(&description.calm.admin_url),
        port(&description.calm.url),
        port(key["uaa"]["url"].as_str().unwrap()),
        port(key["uaa"]["certurl"].as_str().unwrap()),
    ];
    let expected: Vec<u16> = (first..first + 7).collect();
    assert_eq!(ports.to_vec(), expected);
    assert_eq!(description.ias.tenants[0].name, "source");
    assert_eq!(port(&description.clock_url), first);
    landscape.shutdown().await;
}

#[tokio::test]
async fn ports_that_run_past_65535_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), true);
    config.ports = Ports::From(65_534);
    let error = Landscape::start(config).await.unwrap_err();
    assert!(error.to_string().contains("65535"), "{error}");
    assert!(!dir.path().join("state").join("landscape.json").exists());
}
