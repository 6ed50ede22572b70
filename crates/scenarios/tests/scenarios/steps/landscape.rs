//! Steps that start the landscape, move its clock and talk to mocks over HTTPS.

use std::collections::BTreeMap;

use cucumber::{given, when};
use jiff::{SignedDuration, Timestamp};
use sapland_landscape::{ClockChoice, Landscape, LandscapeConfig, TenantDescription};
use sapland_outbound::https::{ClientIdentity, HttpsOptions, PemSource, PrivateKeyPem};
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
    start(world, "state", 7).await;
}

/// Starts a landscape with its state in `state` of the scenario's directory (manual clock at
/// [`START`], `seed`), and an HTTPS client that trusts its CA as the world's client.
pub(crate) async fn start(world: &mut World, state: &str, seed: u64) {
    let mut config = LandscapeConfig::new(world.path().join(state));
    config.clock = ClockChoice::Manual(START.parse::<Timestamp>().expect("a valid start time"));
    config.seed = Some(seed);
    let landscape = Landscape::start(config)
        .await
        .expect("the landscape starts");
    world.http = Some(https_client(&ca_pem(&landscape), None));
    world.landscape = Some(landscape);
}

/// The landscape CA's certificate, PEM.
fn ca_pem(landscape: &Landscape) -> Vec<u8> {
    let file = landscape
        .description
        .ca_cert
        .as_ref()
        .expect("the landscape serves HTTPS, so it has a CA");
    std::fs::read(file).unwrap_or_else(|err| panic!("{}: {err}", file.display()))
}

/// An HTTPS client that trusts only the CA of `ca_pem` and, when given, presents `identity`
/// (certificate and private key, PEM), built as the agent builds its clients — ring passed
/// explicitly, so no step relies on a process-wide crypto provider. Every client the steps use
/// is built here.
fn https_client(ca_pem: &[u8], identity: Option<&[u8]>) -> reqwest::Client {
    sapland_outbound::https::build(&HttpsOptions {
        extra_roots: vec![PemSource::new("the landscape CA", ca_pem.to_vec())],
        system_roots: false,
        identity: identity.map(|pem| ClientIdentity {
            certificate: PemSource::new("the client identity", pem.to_vec()),
            private_key: PrivateKeyPem::new(pem.to_vec()),
        }),
        connect_timeout: None,
        timeout: None,
        ..HttpsOptions::default()
    })
    .expect("the HTTPS client builds")
}

/// An HTTPS client for the scenario's landscape: the world's client, or, with `identity`
/// (certificate and key PEM), one that presents it.
pub(crate) fn client(world: &World, identity: Option<&[u8]>) -> reqwest::Client {
    match identity {
        None => world.http.clone().expect("a landscape is running"),
        Some(pem) => https_client(&ca_pem(world.landscape()), Some(pem)),
    }
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
    let http = match &auth {
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
            client(world, Some(&pem))
        }
        _ => client(world, None),
    };
    let mut request = http.request(method.parse().expect("a method"), &url);
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
        text: String::from_utf8_lossy(&bytes).into_owned(),
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
    let mut request = client(world, None)
        .request(method.parse().expect("a method"), &url)
        .bearer_auth(token);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    answer(request.send().await.expect("the admin surface answers")).await
}

/// The journal of the mock whose admin surface is at `base`, oldest entry first. The call must
/// succeed and answer a list of entries.
pub(crate) async fn journal_at(world: &mut World, base: &str) -> Vec<Value> {
    let answer = admin_at(world, base, "GET", "/_admin/journal?limit=10000", None).await;
    assert_eq!(
        answer.status, 200,
        "the journal of {base} answered {}: {}",
        answer.status, answer.text
    );
    answer.body["entries"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("the journal of {base} lists no entries: {}", answer.text))
}

/// The position of a journal entry in its journal.
pub(crate) fn seq(entry: &Value) -> u64 {
    entry["seq"]
        .as_u64()
        .unwrap_or_else(|| panic!("a journal entry without a seq: {entry}"))
}

/// The position of a journal's last entry: writes after it are new; 0 for an empty journal.
pub(crate) fn journal_end(entries: &[Value]) -> u64 {
    entries.last().map_or(0, seq)
}

/// The `Resources` of a SCIM list answer: all of them (`totalResults` of them; a list of none
/// may leave the member out).
pub(crate) fn resources(list: &Value) -> Vec<Value> {
    let total = list["totalResults"]
        .as_u64()
        .unwrap_or_else(|| panic!("not a SCIM list: {list}"));
    let resources = match list.get("Resources") {
        None if total == 0 => Vec::new(),
        resources => resources
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_else(|| panic!("a list of {total} without Resources: {list}")),
    };
    assert_eq!(
        resources.len() as u64,
        total,
        "the list answers only part of the resources: {list}"
    );
    resources
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
