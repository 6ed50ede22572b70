//! Landscape Management: registering a system (the path is real, [DOC] §2.4; body and answer
//! **proposed**, §6.2), unregistering it and its heartbeat (**proposed**), and the public read
//! API of landscape objects ([3P] §2.4: a plain JSON array, paged by `limit`/`offset`, the
//! total in `x-total-count`).

use jiff::Timestamp;
use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::query::{Query, segment};
use crate::scope;
use crate::send::Call;
use crate::service_key::Extra;

const REGISTRATION: &str = "/api/landscape-management/v1/Registration";
const HEARTBEAT: &str = "/api/landscape-management/v1/Heartbeat";
const OBJECTS: &str = "/api/calm-landscape/v1/landscapeObjects";

/// The page size used by [`Client::all_landscape_objects`] when the query sets no `limit`
/// (**proposed**).
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// A system to register, as the ABAP setup sends it (**proposed** body, §6.2). Cloud ALM
/// answers 400 when `dbHost` or `systemNumber` is missing or invalid (the documented
/// `SAPDBHOST`/`SLICENSE` causes, §3.11).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    /// The SID, such as `S4H`.
    pub system_id: String,
    /// The client, such as `000`.
    pub client: String,
    /// The 18-digit system number from `SLICENSE`.
    pub system_number: String,
    /// The installation number.
    pub installation_number: String,
    /// The database host (`SAPDBHOST`).
    pub db_host: String,
    /// The application server host.
    pub host_name: String,
    /// `ABAP`.
    pub sap_system_type: String,
    /// Such as `SAP S/4HANA 2023`.
    pub product_version: String,
    /// SAP_BASIS release, such as `758`.
    pub basis_release: String,
    /// SAP_BASIS support package.
    pub basis_sp: String,
    /// ST-PI release, such as `740`.
    pub st_pi_release: String,
    /// ST-PI support package.
    pub st_pi_sp: String,
    /// A description.
    pub description: String,
    /// The background user of the data collection jobs.
    pub background_user: String,
    /// The system's time zone.
    pub time_zone: String,
}

/// The answer to a registration: `201 {"lmsId","status":"Registered"}` (**proposed**).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Registered {
    /// The LMS ID of the system (client).
    pub lms_id: String,
    /// `Registered`.
    #[serde(default)]
    pub status: String,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Filters and paging of `GET /calm-landscape/v1/landscapeObjects`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LandscapeQuery {
    /// `name`.
    pub name: Option<String>,
    /// `systemNumber`.
    pub system_number: Option<String>,
    /// `objectType`: `BusinessService`, `CloudService`, `TechnicalSystem`.
    pub object_type: Option<String>,
    /// `source`, such as `SLIS` or `REGISTRATION`.
    pub source: Option<String>,
    /// `lmsId`.
    pub lms_id: Option<String>,
    /// `serviceType`.
    pub service_type: Option<String>,
    /// `role`.
    pub role: Option<String>,
    /// `externalId`.
    pub external_id: Option<String>,
    /// `deploymentModel`.
    pub deployment_model: Option<String>,
    /// `limit`: the page size.
    pub limit: Option<u32>,
    /// `offset`: how many objects to skip.
    pub offset: Option<u32>,
}

impl LandscapeQuery {
    fn to_query(&self) -> Query {
        let mut query = Query::new();
        query
            .push_opt("name", self.name.as_deref())
            .push_opt("systemNumber", self.system_number.as_deref())
            .push_opt("objectType", self.object_type.as_deref())
            .push_opt("source", self.source.as_deref())
            .push_opt("lmsId", self.lms_id.as_deref())
            .push_opt("serviceType", self.service_type.as_deref())
            .push_opt("role", self.role.as_deref())
            .push_opt("externalId", self.external_id.as_deref())
            .push_opt("deploymentModel", self.deployment_model.as_deref());
        if let Some(limit) = self.limit {
            query.push("limit", limit.to_string());
        }
        if let Some(offset) = self.offset {
            query.push("offset", offset.to_string());
        }
        query
    }
}

/// A landscape object: a service, system or client with its LMS ID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LandscapeObject {
    /// The LMS ID.
    #[serde(default)]
    pub lms_id: String,
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `BusinessService`, `CloudService`, `TechnicalSystem`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    /// The service type, such as `SAP_S4HANA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    /// The system number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_number: Option<String>,
    /// `Development`, `Test`, `Production`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// How it got there: `SLIS`, `REGISTRATION`, manual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// An external id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The deployment model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_model: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One page of a REST collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of the page.
    pub items: Vec<T>,
    /// `x-total-count`: how many match in all, when the server said.
    pub total: Option<u64>,
}

impl Client {
    /// Registers a system: `POST /api/landscape-management/v1/Registration` (scope
    /// [`scope::LANDSCAPE_WRITE`]).
    pub async fn register(&self, registration: &Registration) -> Result<Registered, Error> {
        let call = Call::new(Method::POST, REGISTRATION, scope::LANDSCAPE_WRITE).json(registration);
        self.send(&call).await?.json("the registration answer")
    }

    /// Unregisters a system: `DELETE …/Registration/{lmsId}` (**proposed**).
    pub async fn unregister(&self, lms_id: &str) -> Result<(), Error> {
        let path = format!("{REGISTRATION}/{}", segment(lms_id));
        self.send(&Call::new(Method::DELETE, path, scope::LANDSCAPE_WRITE))
            .await
            .map(drop)
    }

    /// Reports that a registered system is alive: `POST …/Heartbeat` with
    /// `{"lmsId","timestamp"}`, the time in RFC 3339 UTC (**proposed**).
    pub async fn heartbeat(&self, lms_id: &str, at: Timestamp) -> Result<(), Error> {
        let body = serde_json::json!({ "lmsId": lms_id, "timestamp": at.to_string() });
        let call = Call::new(Method::POST, HEARTBEAT, scope::LANDSCAPE_WRITE).json(&body);
        self.send(&call).await.map(drop)
    }

    /// One page of landscape objects (scope [`scope::LANDSCAPE_READ`]).
    pub async fn landscape_objects(
        &self,
        query: &LandscapeQuery,
    ) -> Result<Page<LandscapeObject>, Error> {
        let call = Call::new(Method::GET, OBJECTS, scope::LANDSCAPE_READ).query(query.to_query());
        let answer = self.send(&call).await?;
        let items: Vec<LandscapeObject> = answer.json("the landscape objects (a JSON array)")?;
        Ok(Page {
            total: answer.total_count(),
            items,
        })
    }

    /// Every landscape object matching `query`, page by page (`limit` of the query, or
    /// [`DEFAULT_PAGE_SIZE`]), from `offset` until `x-total-count` is reached or a page is
    /// not full.
    pub async fn all_landscape_objects(
        &self,
        query: &LandscapeQuery,
    ) -> Result<Vec<LandscapeObject>, Error> {
        let limit = query.limit.unwrap_or(DEFAULT_PAGE_SIZE).max(1);
        let mut offset = query.offset.unwrap_or(0);
        let mut all = Vec::new();
        loop {
            let page = self
                .landscape_objects(&LandscapeQuery {
                    limit: Some(limit),
                    offset: Some(offset),
                    ..query.clone()
                })
                .await?;
            let count = u32::try_from(page.items.len()).unwrap_or(u32::MAX);
            all.extend(page.items);
            offset = offset.saturating_add(count);
            let complete = page.total.is_some_and(|total| u64::from(offset) >= total);
            // A server that ignores `limit` answers with everything at once.
            if count != limit || complete {
                return Ok(all);
            }
        }
    }
}
