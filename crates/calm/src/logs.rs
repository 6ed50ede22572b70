//! The raw data logs API, `/api/calm-logs/v1/logs` (`reference/cloud-alm.md` §2.8).
//!
//! Pushing (**proposed**): `POST ?useCase=<JAM|EXM|IM|HM>&serviceId=<lmsId>` with an OTLP JSON
//! `ExportLogsServiceRequest`.
//!
//! Reading handles the documented quirks ([OBS] §2.8): `serviceId` is sent as a plain
//! parameter (the bracket form gets 428); `format=protobuf-json` (the default is protobuf);
//! `limit`/`offset` always travel with `onLimit=truncate` (without it a large answer is 403
//! `Response total count is over the limit`); `period` is at most 60 minutes, so a longer
//! window is read as consecutive `from`/`to` windows (`YYYYMMDDHHmmss` UTC) of at most 60
//! minutes each. A record at the very second two windows share is kept once (**proposed**:
//! whether `to` is inclusive is not public, so an identical record at the boundary second is
//! dropped from the later window).

use jiff::{SignedDuration, Timestamp};
use reqwest::Method;

use crate::client::Client;
use crate::error::Error;
use crate::otlp::{ExportLogsServiceRequest, LogRecord, Resource};
use crate::query::Query;
use crate::scope;
use crate::send::Call;
use crate::window::{self, MAX_WINDOW};

const LOGS: &str = "/api/calm-logs/v1/logs";

/// Records asked for per page (**proposed**; the server's default limit is not public).
pub const DEFAULT_PAGE_SIZE: u32 = 1000;

/// The use case a pushed log record belongs to (**proposed** list, §2.8: the `useCaseId`s of
/// §2.6 that take logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UseCase {
    /// Job & Automation Monitoring.
    Jam,
    /// Exception Monitoring.
    Exm,
    /// Integration Monitoring.
    Im,
    /// Health Monitoring.
    Hm,
}

impl UseCase {
    /// The `useCase` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jam => "JAM",
            Self::Exm => "EXM",
            Self::Im => "IM",
            Self::Hm => "HM",
        }
    }
}

/// Which records to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogsWindow {
    /// The last minutes up to now: `period=<n>M` when at most 60, else split `from`/`to`
    /// windows ending at the client clock's now.
    LastMinutes(u32),
    /// Between two times (split into windows of at most 60 minutes).
    Between {
        /// Start.
        from: Timestamp,
        /// End.
        to: Timestamp,
    },
}

/// A logs read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsQuery {
    /// `provider`, such as `jam.run`, `exm.jam`, `hm` (required).
    pub provider: String,
    /// `serviceId`: the LMS ID (required, sent as a plain parameter).
    pub service_id: String,
    /// The time window.
    pub window: LogsWindow,
    /// Records per page.
    pub page_size: u32,
    /// More parameters, such as `category` or `observedTimestamp`.
    pub params: Vec<(String, String)>,
}

impl LogsQuery {
    /// A read of `provider` for `service_id` over `window`, default page size.
    pub fn new(
        provider: impl Into<String>,
        service_id: impl Into<String>,
        window: LogsWindow,
    ) -> Self {
        Self {
            provider: provider.into(),
            service_id: service_id.into(),
            window,
            page_size: DEFAULT_PAGE_SIZE,
            params: Vec::new(),
        }
    }
}

/// How one request is bounded in time.
enum Span {
    Period(u32),
    Between(Timestamp, Timestamp),
}

impl Client {
    /// Pushes log records: `POST /api/calm-logs/v1/logs?useCase=…&serviceId=…` (scope
    /// [`scope::LOGS_WRITE`], **proposed**).
    pub async fn push_logs(
        &self,
        use_case: UseCase,
        service_id: &str,
        request: &ExportLogsServiceRequest,
    ) -> Result<(), Error> {
        let mut query = Query::new();
        query
            .push("useCase", use_case.as_str())
            .push("serviceId", service_id);
        let call = Call::new(Method::POST, LOGS, scope::LOGS_WRITE)
            .query(query)
            .json(request);
        self.send(&call).await.map(drop)
    }

    /// Reads log records over the query's window, window by window and page by page, into one
    /// `ExportLogsServiceRequest` (scope [`scope::LOGS_READ`], **proposed**).
    pub async fn read_logs(&self, query: &LogsQuery) -> Result<ExportLogsServiceRequest, Error> {
        let spans: Box<dyn Iterator<Item = Span> + Send> = match query.window {
            LogsWindow::LastMinutes(0) => Box::new(std::iter::empty()),
            LogsWindow::LastMinutes(minutes) if u64::from(minutes) * 60 <= MAX_WINDOW.as_secs() => {
                Box::new(std::iter::once(Span::Period(minutes)))
            }
            LogsWindow::LastMinutes(minutes) => {
                let to = self.clock().now();
                let back = SignedDuration::from_mins(i64::from(minutes));
                let from = to.checked_sub(back).unwrap_or(Timestamp::MIN);
                between(from, to)
            }
            LogsWindow::Between { from, to } => between(from, to),
        };
        let mut all = ExportLogsServiceRequest::default();
        let mut boundary: Vec<(Resource, LogRecord)> = Vec::new();
        for span in spans {
            let mut read = self.read_span(query, &span).await?;
            drop_repeated(&mut read, &mut boundary);
            if let Span::Between(_, to) = span {
                boundary = at_second(&read, to);
            }
            all.resource_logs.extend(read.resource_logs);
        }
        Ok(all)
    }

    /// Every page of one window.
    async fn read_span(
        &self,
        query: &LogsQuery,
        span: &Span,
    ) -> Result<ExportLogsServiceRequest, Error> {
        let limit = query.page_size.max(1);
        let mut offset: u64 = 0;
        let mut all = ExportLogsServiceRequest::default();
        loop {
            let mut params = Query::new();
            params
                .push("provider", query.provider.as_str())
                .push("serviceId", query.service_id.as_str())
                .push("version", "V1")
                .push("format", "protobuf-json");
            match span {
                Span::Period(minutes) => {
                    params.push("period", format!("{minutes}M"));
                }
                Span::Between(from, to) => {
                    params.push_between(*from, *to);
                }
            }
            params.push_page(limit, offset, &query.params);
            let call = Call::new(Method::GET, LOGS, scope::LOGS_READ).query(params);
            let answer = self.send(&call).await?;
            let page: ExportLogsServiceRequest = answer.otlp_json("the logs (OTLP JSON)")?;
            let count = page.record_count() as u64;
            all.resource_logs.extend(page.resource_logs);
            offset += count;
            if answer.is_last_page(count, limit, offset) {
                return Ok(all);
            }
        }
    }
}

fn between(from: Timestamp, to: Timestamp) -> Box<dyn Iterator<Item = Span> + Send> {
    Box::new(window::windows(from, to).map(|(from, to)| Span::Between(from, to)))
}

/// The records of `read` in the second that starts at `boundary`.
fn at_second(read: &ExportLogsServiceRequest, boundary: Timestamp) -> Vec<(Resource, LogRecord)> {
    let start = boundary.as_nanosecond();
    let end = start + 1_000_000_000;
    read.records()
        .filter(|(_, record)| {
            let at = i128::from(record.time_unix_nano);
            at >= start && at < end
        })
        .map(|(resource, record)| (resource.clone(), record.clone()))
        .collect()
}

/// Removes from `read` the records already read at the previous window's boundary, each once.
fn drop_repeated(read: &mut ExportLogsServiceRequest, boundary: &mut Vec<(Resource, LogRecord)>) {
    if boundary.is_empty() {
        return;
    }
    for resource_logs in &mut read.resource_logs {
        let resource = resource_logs.resource.clone();
        for scope in &mut resource_logs.scope_logs {
            scope.log_records.retain(|record| {
                match boundary
                    .iter()
                    .position(|(seen_resource, seen)| seen_resource == &resource && seen == record)
                {
                    Some(index) => {
                        boundary.swap_remove(index);
                        false
                    }
                    None => true,
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otlp::KeyValue;

    fn read_with(times: &[&str]) -> ExportLogsServiceRequest {
        ExportLogsServiceRequest::for_resource(
            vec![KeyValue::string("sap.cloudalm.serviceId", "S")],
            "s",
            times
                .iter()
                .map(|t| LogRecord::new(t.parse().unwrap(), "INFO", "x"))
                .collect(),
        )
    }

    #[test]
    fn a_record_at_a_shared_boundary_is_kept_once() {
        let boundary: Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        let first = read_with(&["2026-11-22T09:59:59Z", "2026-11-22T10:00:00.5Z"]);
        let mut seen = at_second(&first, boundary);
        assert_eq!(seen.len(), 1);
        let mut second = read_with(&["2026-11-22T10:00:00.5Z", "2026-11-22T10:00:01Z"]);
        drop_repeated(&mut second, &mut seen);
        assert_eq!(second.record_count(), 1);
        assert_eq!(
            second.records().next().unwrap().1.time(),
            Some("2026-11-22T10:00:01Z".parse().unwrap())
        );
    }
}
