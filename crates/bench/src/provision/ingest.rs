//! The baseline: the mock IAS's raw ingest rate. The agent's create bodies are POSTed to
//! `/scim/Users` with nothing else to do — no file, no transformation, no operational data —
//! by a client built the way the agent builds its own (`sapland_outbound::https::build`:
//! reqwest, rustls with ring, the landscape CA, HTTP/2 when the server offers it, keep-alive),
//! with the agent's number of requests in flight, on a single-threaded runtime like the agent's.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use futures_util::StreamExt as _;
use hyper::body::Bytes;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use sapland_landscape::TenantDescription;
use sapland_outbound::https::{HttpsOptions, PemSource};

/// How long one ingest may take before the benchmark gives up.
const LIMIT: Duration = Duration::from_secs(600);

/// The `Content-Type` and `Accept` the agent's SCIM client sends.
const SCIM_JSON: &str = "application/scim+json";
const SCIM_ACCEPT: &str = "application/scim+json, application/json";

/// A client for one tenant.
pub(crate) struct Ingest {
    client: reqwest::Client,
    users_url: String,
    user: String,
    password: String,
}

/// One timed ingest.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ingested {
    /// From the first POST sent to the last answer read.
    pub(crate) elapsed: Duration,
    /// The HTTP version the connection negotiated.
    pub(crate) version: reqwest::Version,
}

impl Ingest {
    /// A client for `tenant` that trusts the landscape CA `ca_pem`.
    pub(crate) fn new(tenant: &TenantDescription, ca_pem: Vec<u8>) -> anyhow::Result<Self> {
        let options = HttpsOptions {
            extra_roots: vec![PemSource::new("landscape CA", ca_pem)],
            ..HttpsOptions::default()
        };
        let client = sapland_outbound::https::build(&options)
            .map_err(|err| anyhow::anyhow!("cannot build the HTTPS client: {err}"))?;
        Ok(Self {
            client,
            users_url: format!("{}/scim/Users", tenant.url.trim_end_matches('/')),
            user: tenant.technical_user.client_id.clone(),
            password: tenant.technical_user.client_secret.clone(),
        })
    }

    /// Opens the connection with one untimed GET, then POSTs every body, `in_flight` at a
    /// time, each answer read in full; every answer must be 201.
    pub(crate) async fn post_all(
        &self,
        bodies: &[Bytes],
        in_flight: usize,
    ) -> anyhow::Result<Ingested> {
        let warm = self
            .client
            .get(format!("{}?count=1", self.users_url))
            .basic_auth(&self.user, Some(&self.password))
            .header(ACCEPT, SCIM_ACCEPT)
            .send()
            .await
            .with_context(|| format!("GET {}", self.users_url))?;
        let version = warm.version();
        ensure!(
            warm.status() == StatusCode::OK,
            "GET {} answered {}",
            self.users_url,
            warm.status()
        );
        warm.bytes().await?;
        let started = Instant::now();
        let all = async {
            let mut answers = futures_util::stream::iter(bodies.iter().cloned())
                .map(|body| self.post(body))
                .buffer_unordered(in_flight.max(1));
            while let Some(answer) = answers.next().await {
                answer?;
            }
            anyhow::Ok(())
        };
        tokio::time::timeout(LIMIT, all)
            .await
            .context("the ingest took longer than its limit")??;
        Ok(Ingested {
            elapsed: started.elapsed(),
            version,
        })
    }

    async fn post(&self, body: Bytes) -> anyhow::Result<()> {
        let response = self
            .client
            .post(&self.users_url)
            .basic_auth(&self.user, Some(&self.password))
            .header(CONTENT_TYPE, SCIM_JSON)
            .header(ACCEPT, SCIM_ACCEPT)
            .body(body)
            .send()
            .await
            .with_context(|| format!("POST {}", self.users_url))?;
        let status = response.status();
        let answer = response.bytes().await?;
        if status != StatusCode::CREATED {
            bail!(
                "POST {} answered {status}: {}",
                self.users_url,
                String::from_utf8_lossy(&answer)
            );
        }
        Ok(())
    }
}
