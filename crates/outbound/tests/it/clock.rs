//! The landscape clock seen from the agent: reading it, and waiting by advancing it.

use std::time::Duration;

use jiff::Timestamp;
use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig};
use sapland_outbound::clock::{Clock, LandscapeClock};
use sapland_outbound::https::{HttpsOptions, PemSource};

async fn landscape(dir: &std::path::Path) -> (Landscape, reqwest::Client) {
    let mut config = LandscapeConfig::new(dir.join("state"));
    config.clock = ClockChoice::Manual("2026-11-22T09:00:00Z".parse::<Timestamp>().unwrap());
    config.seed = Some(7);
    let landscape = Landscape::start(config).await.unwrap();
    let ca = std::fs::read(landscape.description.ca_cert.as_ref().unwrap()).unwrap();
    let client = sapland_outbound::https::build(&HttpsOptions {
        extra_roots: vec![PemSource::new("landscape CA", ca)],
        ..HttpsOptions::default()
    })
    .unwrap();
    (landscape, client)
}

#[tokio::test]
async fn waiting_on_the_landscape_clock_advances_it_for_every_mock() {
    let dir = tempfile::tempdir().unwrap();
    let (landscape, client) = landscape(dir.path()).await;
    let clock = LandscapeClock::connect(
        client,
        landscape.description.ias.admin_url.clone(),
        landscape.description.admin_token.clone(),
    )
    .await
    .unwrap();
    assert_eq!(clock.now().to_string(), "2026-11-22T09:00:00Z");
    clock.sleep(Duration::from_secs(30)).await;
    clock.sleep(Duration::from_millis(300)).await;
    assert_eq!(clock.now().to_string(), "2026-11-22T09:00:30.3Z");
    assert_eq!(landscape.clock.now().to_string(), "2026-11-22T09:00:30.3Z");
    assert!(!format!("{clock:?}").contains(&landscape.description.admin_token));
}

#[tokio::test]
async fn a_wrong_admin_token_is_refused_when_connecting() {
    let dir = tempfile::tempdir().unwrap();
    let (landscape, client) = landscape(dir.path()).await;
    let err = LandscapeClock::connect(client, landscape.description.ias.admin_url.clone(), "wrong")
        .await
        .unwrap_err();
    assert!(err.message.contains("401"), "{err}");
}
