//! Steps that start the landscape, move its clock and talk to mocks over HTTPS.

use std::collections::BTreeMap;

use cucumber::{given, when};
use jiff::{SignedDuration, Timestamp};
use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig, TenantDescription};
use serde_json::Value;

use crate::world::{Answer, World};

/// Where every scenario's landscape clock starts.
pub(crate) const START: &str = "2026-11-22T09:00:00Z";

/// How a request authenticates.
#[derive(Debug, Clone)]
pub(crate) enum Auth {
    /// The tenant's technical user, HTTP Basic.
    TechnicalUser,
    /// Basic with these credentials.
    Basic(String, String),
    /// A bearer token.
    Bearer(String),
    /// The tenant technical user's client certificate.
    Certificate,
    /// Another client certificate: certificate and key PEM, concatenated.
    Identity(String),
    /// No credentials.
    None,
}

#[given("a mock landscape")]
async fn a_mock_landscape(world: &mut World) {
    let mut config = LandscapeConfig::new(world.path().join("state"));
    config.clock = ClockChoice::Manual(START.parse::<Timestamp>().expect("a valid start time"));
    config.seed = Some(7);
    let landscape = Landscape::start(config)
        .await
        .expect("the landscape starts");
    let ca =
        std::fs::read(landscape.description.ca_cert.as_ref().expect("HTTPS")).expect("CA readable");
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&ca).expect("CA parses")])
        .build()
        .expect("client builds");
    world.http = Some(client);
    world.landscape = Some(landscape);
}

#[when(regex = r"^the landscape clock advances (\d+) (seconds?|minutes?|hours?)$")]
async fn the_clock_advances(world: &mut World, amount: i64, unit: String) {
    let by = match unit.trim_end_matches('s') {
        "second" => SignedDuration::from_secs(amount),
        "minute" => SignedDuration::from_mins(amount),
        _ => SignedDuration::from_hours(amount),
    };
    world
        .landscape()
        .clock
        .advance(by)
        .expect("the clock moves forward");
}

/// The description of a tenant.
pub(crate) fn tenant(world: &World, name: &str) -> TenantDescription {
    world
        .landscape()
        .description
        .ias
        .tenants
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("the landscape has no IAS tenant {name:?}"))
        .clone()
}

/// Sends a request to a tenant and remembers the answer.
pub(crate) async fn call(
    world: &mut World,
    tenant_name: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
    auth: Auth,
) -> Answer {
    let tenant = tenant(world, tenant_name);
    let url = format!("{}{path}", tenant.url);
    let client = match &auth {
        Auth::Certificate | Auth::Identity(_) => {
            let pem = match &auth {
                Auth::Identity(pem) => pem.clone().into_bytes(),
                _ => {
                    let user = &tenant.technical_user;
                    let mut pem =
                        std::fs::read(user.certificate.as_ref().expect("certificate file"))
                            .expect("readable");
                    pem.extend(
                        std::fs::read(user.key.as_ref().expect("key file")).expect("readable"),
                    );
                    pem
                }
            };
            client_with_identity(world, &pem)
        }
        _ => world.http.clone().expect("a landscape is running"),
    };
    let mut request = client.request(method.parse().expect("a method"), &url);
    request = match auth {
        Auth::TechnicalUser => request.basic_auth(
            &tenant.technical_user.client_id,
            Some(&tenant.technical_user.client_secret),
        ),
        Auth::Basic(id, secret) => request.basic_auth(id, Some(secret)),
        Auth::Bearer(token) => request.bearer_auth(token),
        Auth::Certificate | Auth::Identity(_) | Auth::None => request,
    };
    if let Some(body) = body {
        request = request
            .header("content-type", "application/scim+json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("the mock answers");
    answer(response).await
}

/// An HTTPS client that trusts the landscape CA and presents `pem` (certificate and key).
pub(crate) fn client_with_identity(world: &World, pem: &[u8]) -> reqwest::Client {
    let ca = world
        .landscape()
        .description
        .ca_cert
        .clone()
        .expect("HTTPS");
    let ca = std::fs::read(ca).expect("readable");
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&ca).expect("CA parses")])
        .identity(reqwest::Identity::from_pem(pem).expect("identity parses"))
        .build()
        .expect("client builds")
}

/// Reads a response into an [`Answer`].
pub(crate) async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers: BTreeMap<String, String> = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let bytes = response.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
    }
}

/// Calls the IAS admin surface with the admin token.
pub(crate) async fn admin(
    world: &mut World,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Answer {
    let base = world.landscape().description.ias.admin_url.clone();
    admin_at(world, &base, method, path, body).await
}

/// Calls the admin surface at `base` (a mock's `admin_url`) with the admin token.
pub(crate) async fn admin_at(
    world: &mut World,
    base: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Answer {
    let url = format!("{base}{path}");
    let token = world.landscape().description.admin_token.clone();
    let client = world.http.clone().expect("a landscape is running");
    let mut request = client
        .request(method.parse().expect("a method"), &url)
        .bearer_auth(token);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    answer(request.send().await.expect("the admin surface answers")).await
}

/// Percent-encodes a query parameter value (RFC 3986 unreserved characters stay).
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The rows of a step's table, each as column name → cell (the first row names the columns).
pub(crate) fn table_rows(step: &cucumber::gherkin::Step) -> Vec<BTreeMap<String, String>> {
    let table = step.table.as_ref().expect("the step has a table");
    let header = &table.rows[0];
    table.rows[1..]
        .iter()
        .map(|row| header.iter().cloned().zip(row.iter().cloned()).collect())
        .collect()
}
