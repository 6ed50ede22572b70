//! The raw data metrics API, `/api/calm-metrics/v1/metrics` (`reference/cloud-alm.md` §2.7).
//!
//! Pushing (**proposed**): `POST ?useCase=HEALTH_MONITORING&serviceId=<lmsId>` with an OTLP
//! JSON `ExportMetricsServiceRequest`; Cloud ALM answers `{}`.
//! Reading ([SAMPLE] §2.7): `GET ?provider=<hm|jam|…>&version=V1&format=protobuf-json` with
//! `period` or `from`/`to`, paged by `limit`/`offset` with `onLimit=truncate` as for logs.

use jiff::Timestamp;
use reqwest::Method;

use crate::client::Client;
use crate::error::Error;
use crate::otlp::ExportMetricsServiceRequest;
use crate::query::Query;
use crate::scope;
use crate::send::Call;

const METRICS: &str = "/api/calm-metrics/v1/metrics";

/// The `useCase` of pushed metrics (**proposed**, the contract's).
pub const PUSH_USE_CASE: &str = "HEALTH_MONITORING";

/// Data points asked for per page (**proposed**; Redpeaks pages by 3000, §5.1).
pub const DEFAULT_PAGE_SIZE: u32 = 3000;

/// Which data points to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsWindow {
    /// A time semantic such as `C24H`, `L7D` or `60M` (`period`).
    Period(String),
    /// Between two times (`from`/`to`, `YYYYMMDDHHmmss` UTC).
    Between {
        /// Start.
        from: Timestamp,
        /// End.
        to: Timestamp,
    },
}

/// A metrics read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsQuery {
    /// `provider`: `hm`, `jam`, `rum`, `bsm`, ….
    pub provider: String,
    /// `serviceId`, when reading one service.
    pub service_id: Option<String>,
    /// The time window.
    pub window: MetricsWindow,
    /// Data points per page.
    pub page_size: u32,
    /// More parameters, such as `dimensions`, `metrics`, `resolution`.
    pub params: Vec<(String, String)>,
}

impl MetricsQuery {
    /// A read of `provider` over `window`, default page size.
    pub fn new(provider: impl Into<String>, window: MetricsWindow) -> Self {
        Self {
            provider: provider.into(),
            service_id: None,
            window,
            page_size: DEFAULT_PAGE_SIZE,
            params: Vec::new(),
        }
    }
}

impl Client {
    /// Pushes metrics of the service `service_id` (scope [`scope::METRICS_WRITE`]).
    pub async fn push_metrics(
        &self,
        service_id: &str,
        request: &ExportMetricsServiceRequest,
    ) -> Result<(), Error> {
        let mut query = Query::new();
        query
            .push("useCase", PUSH_USE_CASE)
            .push("serviceId", service_id);
        let call = Call::new(Method::POST, METRICS, scope::METRICS_WRITE)
            .query(query)
            .json(request);
        self.send(&call).await.map(drop)
    }

    /// Reads metrics page by page into one `ExportMetricsServiceRequest` (scope
    /// [`scope::METRICS_READ`]).
    pub async fn read_metrics(
        &self,
        query: &MetricsQuery,
    ) -> Result<ExportMetricsServiceRequest, Error> {
        let limit = query.page_size.max(1);
        let mut offset: u64 = 0;
        let mut all = ExportMetricsServiceRequest::default();
        loop {
            let mut params = Query::new();
            params
                .push("provider", query.provider.as_str())
                .push("version", "V1")
                .push("format", "protobuf-json")
                .push_opt("serviceId", query.service_id.as_deref());
            match &query.window {
                MetricsWindow::Period(period) => {
                    params.push("period", period.as_str());
                }
                MetricsWindow::Between { from, to } => {
                    params.push_between(*from, *to);
                }
            }
            params.push_page(limit, offset, &query.params);
            let call = Call::new(Method::GET, METRICS, scope::METRICS_READ).query(params);
            let answer = self.send(&call).await?;
            let page: ExportMetricsServiceRequest = answer.otlp_json("the metrics (OTLP JSON)")?;
            let count = page.point_count() as u64;
            all.resource_metrics.extend(page.resource_metrics);
            offset += count;
            if answer.is_last_page(count, limit, offset) {
                return Ok(all);
            }
        }
    }
}
