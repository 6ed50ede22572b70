//! The landscape CA in the state directory, the identities it issues, and servers with them.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::get;
use axum::{Extension, Router};
use sapland_inbound::serve::{PeerCertificate, serve};
use sapland_inbound::tls::{ClientAuth, Identity, server_config};
use sapland_mock_kit::ca::{CA_CERT_FILE, CA_KEY_FILE, CaError, LandscapeCa};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A server on 127.0.0.1 that stops when the sender is dropped or sent to.
struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(router: Router, tls: Option<Arc<rustls::ServerConfig>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, router, tls, async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            stop: Some(stop),
            task,
        }
    }

    fn port(&self) -> u16 {
        self.addr.port()
    }

    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.await.unwrap().unwrap();
    }
}

/// Answers with the subject of the client certificate, or `anonymous`.
fn whoami() -> Router {
    Router::new().route(
        "/whoami",
        get(
            |certificate: Option<Extension<PeerCertificate>>| async move {
                match certificate {
                    Some(Extension(certificate)) => {
                        assert!(!certificate.der.is_empty());
                        certificate.subject
                    }
                    None => "anonymous".to_owned(),
                }
            },
        ),
    )
}

fn client(ca_pem: &str, identity: Option<&Identity>) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap()]);
    if let Some(identity) = identity {
        builder = builder.identity(
            reqwest::Identity::from_pem(identity.pem_bundle().expose().as_bytes()).unwrap(),
        );
    }
    builder.build().unwrap()
}

async fn get_text(client: &reqwest::Client, url: &str) -> reqwest::Result<String> {
    client
        .get(url)
        .send()
        .await?
        .error_for_status()?
        .text()
        .await
}

#[test]
fn a_reloaded_ca_is_the_same_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let created = LandscapeCa::load_or_create(dir.path()).unwrap();
    let reloaded = LandscapeCa::load_or_create(dir.path()).unwrap();
    assert_eq!(created.cert_pem(), reloaded.cert_pem());
    assert_eq!(created.cert_path(), dir.path().join(CA_CERT_FILE));
    assert_eq!(
        std::fs::read_to_string(created.cert_path()).unwrap(),
        created.cert_pem()
    );
    assert!(
        created
            .cert_pem()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
}

#[test]
fn a_missing_state_directory_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state").join("landscape");
    let ca = LandscapeCa::load_or_create(&state).unwrap();
    assert!(ca.cert_path().is_file());
    assert!(state.join(CA_KEY_FILE).is_file());
}

#[cfg(unix)]
#[test]
fn the_ca_key_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let ca = LandscapeCa::load_or_create(dir.path()).unwrap();
    let mode = std::fs::metadata(ca.key_path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // Only the two files remain: no temporary files left behind.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [CA_KEY_FILE, CA_CERT_FILE]);
}

#[test]
fn a_certificate_without_its_key_is_an_error_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    LandscapeCa::load_or_create(dir.path()).unwrap();
    std::fs::remove_file(dir.path().join(CA_KEY_FILE)).unwrap();
    let error = LandscapeCa::load_or_create(dir.path()).unwrap_err();
    assert!(matches!(error, CaError::MissingKey { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains(CA_KEY_FILE), "{message}");
    assert!(message.contains(CA_CERT_FILE), "{message}");
}

#[test]
fn a_key_of_another_ca_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    LandscapeCa::load_or_create(dir.path()).unwrap();
    LandscapeCa::load_or_create(other.path()).unwrap();
    std::fs::copy(other.path().join(CA_KEY_FILE), dir.path().join(CA_KEY_FILE)).unwrap();
    let error = LandscapeCa::load_or_create(dir.path()).unwrap_err();
    assert!(matches!(error, CaError::KeyMismatch { .. }), "{error:?}");
}

#[test]
fn a_broken_key_file_is_named_and_never_quoted() {
    let dir = tempfile::tempdir().unwrap();
    LandscapeCa::load_or_create(dir.path()).unwrap();
    let key_path = dir.path().join(CA_KEY_FILE);
    let key = std::fs::read_to_string(&key_path).unwrap();
    // Damage the base64 body so the parser fails in the middle of the key.
    let broken = key.replacen("\n", "\n!!", 2);
    std::fs::write(&key_path, &broken).unwrap();
    let error = LandscapeCa::load_or_create(dir.path()).unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(text.contains(CA_KEY_FILE), "{text}");
    for line in key.lines().filter(|line| !line.starts_with("-----")) {
        assert!(!text.contains(line), "the error quotes the key: {text}");
    }
}

#[test]
fn a_garbled_ca_certificate_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(CA_CERT_FILE), "not a certificate").unwrap();
    std::fs::write(dir.path().join(CA_KEY_FILE), "not a key").unwrap();
    let error = LandscapeCa::load_or_create(dir.path()).unwrap_err();
    assert!(error.to_string().contains(CA_CERT_FILE), "{error}");
}

#[test]
fn identities_print_no_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let ca = LandscapeCa::load_or_create(dir.path()).unwrap();
    let identity = ca.client_identity("agent").unwrap();
    assert_eq!(identity.subject, "CN=agent");
    assert!(identity.key_pem.expose().contains("PRIVATE KEY"));
    let shown = format!("{identity:?} {ca:?} {}", identity.pem_bundle());
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");
    let server = ca.server_identity(&[]).unwrap();
    assert_eq!(server.subject, "CN=localhost");
}

#[test]
fn empty_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ca = LandscapeCa::load_or_create(dir.path()).unwrap();
    assert!(matches!(ca.client_identity(" "), Err(CaError::Name { .. })));
    assert!(matches!(
        ca.server_identity(&[String::new()]),
        Err(CaError::Name { .. })
    ));
}

#[tokio::test]
async fn extra_names_are_served_and_a_reloaded_ca_issues_for_its_old_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let original = LandscapeCa::load_or_create(dir.path()).unwrap();
    let reloaded = LandscapeCa::load_or_create(dir.path()).unwrap();
    let identity = reloaded
        .server_identity(&["ias.sapland.test".into(), "127.0.0.2".into()])
        .unwrap();
    let config = server_config(&identity, &ClientAuth::Off).unwrap();
    let server = Server::start(whoami(), Some(config)).await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([reqwest::Certificate::from_pem(original.cert_pem().as_bytes()).unwrap()])
        .resolve("ias.sapland.test", server.addr)
        .build()
        .unwrap();
    let url = format!("https://ias.sapland.test:{}/whoami", server.port());
    assert_eq!(get_text(&client, &url).await.unwrap(), "anonymous");
    server.stop().await;
}

#[tokio::test]
async fn client_auth_with_explicit_ca_pems_matches_the_ca_helper() {
    let dir = tempfile::tempdir().unwrap();
    let ca = LandscapeCa::load_or_create(dir.path()).unwrap();
    let auth = ClientAuth::Optional {
        trusted_ca_pems: vec![ca.cert_pem().to_owned()],
    };
    assert_eq!(auth, ca.client_auth());
    let config = server_config(&ca.server_identity(&[]).unwrap(), &auth).unwrap();
    let server = Server::start(whoami(), Some(config)).await;
    let technical_user = ca.client_identity("T000123").unwrap();
    let url = format!("https://127.0.0.1:{}/whoami", server.port());
    assert_eq!(
        get_text(&client(ca.cert_pem(), Some(&technical_user)), &url)
            .await
            .unwrap(),
        "CN=T000123"
    );
    server.stop().await;
}
