//! The operations on users and groups. A [`Client`] is cheap to clone; clones share the HTTP
//! connections, the token and the pace, so a job can run requests concurrently.

use std::fmt;
use std::sync::Arc;

use reqwest::Method;
use sapland_core::scim::PatchRequest;
use sapland_outbound::clock::Clock;
use serde_json::Value;

use crate::config::{ClientConfig, ConfigError};
use crate::dialect::Dialect;
use crate::error::{Error, ErrorKind};
use crate::filter::{Filter, UniqueAttribute};
use crate::pace::Pace;
use crate::paging::{ListQuery, Pager};
use crate::send::{Answer, Call, Inner, json_body};

/// The resource types sapland provisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceType {
    /// `/Users`.
    User,
    /// `/Groups`.
    Group,
}

impl ResourceType {
    /// The endpoint below the SCIM root.
    pub fn endpoint(self) -> &'static str {
        match self {
            Self::User => "Users",
            Self::Group => "Groups",
        }
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::User => "user",
            Self::Group => "group",
        })
    }
}

/// A SCIM client for one service.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("root", &self.inner.root.as_str())
            .field("dialect", &self.inner.dialect)
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("pace", &self.inner.pace)
            .finish()
    }
}

impl Client {
    /// A client for `config`, with an HTTPS client built from `config.https` and waits on
    /// `clock`.
    pub fn new(config: ClientConfig, clock: Arc<dyn Clock>) -> Result<Self, ConfigError> {
        config.check_identity()?;
        let http = sapland_outbound::https::build(&config.https)?;
        Self::with_http(config, http, clock)
    }

    /// A client for `config` that sends through `http` (which must carry the client
    /// certificate when the authentication needs one); `config.https` is not used.
    pub fn with_http(
        config: ClientConfig,
        http: reqwest::Client,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, ConfigError> {
        Ok(Self {
            inner: Arc::new(config.into_inner(http, clock)?),
        })
    }

    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.inner.dialect
    }

    /// The pace shared by this client's clones, if any.
    pub fn pace(&self) -> Option<&Pace> {
        self.inner.pace.as_ref()
    }

    /// `GET /<Users|Groups>/<id>`.
    pub async fn get(&self, kind: ResourceType, id: &str) -> Result<Value, Error> {
        let answer = self
            .inner
            .send(Call {
                method: Method::GET,
                segments: segments(kind, Some(id)),
                query: Vec::new(),
                body: None,
            })
            .await?;
        self.json(Method::GET, kind, Some(id), &answer)
    }

    /// `POST /<Users|Groups>`: the created resource, with its `id` (IAS v2 answers 201 with
    /// the full resource, [REC] §3.4).
    pub async fn create(&self, kind: ResourceType, resource: &Value) -> Result<Value, Error> {
        let answer = self.post(kind, resource).await?;
        let created: Value = self.json(Method::POST, kind, None, &answer)?;
        if created.get("id").and_then(Value::as_str).is_none() {
            return Err(self.invalid(
                Method::POST,
                kind,
                None,
                &answer,
                "the created resource has no id",
            ));
        }
        Ok(created)
    }

    /// `POST /<Users|Groups>`, keeping only the id the service gave the resource: the rest
    /// of the answer is checked to be JSON and not kept.
    pub async fn create_id(&self, kind: ResourceType, resource: &Value) -> Result<String, Error> {
        /// The one member of a created resource a writer needs.
        #[derive(serde::Deserialize)]
        struct Created {
            id: Option<Value>,
        }
        let answer = self.post(kind, resource).await?;
        let created: Created = self.json(Method::POST, kind, None, &answer)?;
        match created.id {
            Some(Value::String(id)) => Ok(id),
            _ => Err(self.invalid(
                Method::POST,
                kind,
                None,
                &answer,
                "the created resource has no id",
            )),
        }
    }

    /// Sends `POST /<Users|Groups>` with `resource`.
    async fn post(&self, kind: ResourceType, resource: &Value) -> Result<Answer, Error> {
        self.inner
            .send(Call {
                method: Method::POST,
                segments: segments(kind, None),
                query: Vec::new(),
                body: Some(json_body(resource)),
            })
            .await
    }

    /// `PUT /<Users|Groups>/<id>`: the resource as the service keeps it.
    ///
    /// IAS v2 and SCIM replace the resource: attributes not sent are erased ([DOC] §3.4). IAS
    /// v1 changes only the attributes sent, and needs the `id` in the body ([DOC] §3.3); the
    /// client adds it there when it is missing and refuses a body naming another id.
    pub async fn replace(
        &self,
        kind: ResourceType,
        id: &str,
        resource: &Value,
    ) -> Result<Value, Error> {
        let mut body = resource.clone();
        if self.inner.dialect == Dialect::IasV1
            && let Some(object) = body.as_object_mut()
        {
            match object.get("id").and_then(Value::as_str) {
                Some(given) if given != id => {
                    return Err(self.inner.refuse(
                        Method::PUT,
                        &segments(kind, Some(id)),
                        format!("the body names the id {given:?}, the request {id:?}"),
                    ));
                }
                Some(_) => {}
                None => {
                    object.insert("id".into(), Value::String(id.to_string()));
                }
            }
        }
        let answer = self
            .inner
            .send(Call {
                method: Method::PUT,
                segments: segments(kind, Some(id)),
                query: Vec::new(),
                body: Some(json_body(&body)),
            })
            .await?;
        if answer.body.is_empty() {
            return self.get(kind, id).await;
        }
        self.json(Method::PUT, kind, Some(id), &answer)
    }

    /// `PATCH /<Users|Groups>/<id>` (RFC 7644 §3.5.2). IAS v2 answers 204 without a body
    /// ([REC] §3.4): then `None`; a service that answers 200 gives the resource. IAS v1 has no
    /// PATCH: refused without a request.
    pub async fn patch(
        &self,
        kind: ResourceType,
        id: &str,
        request: &PatchRequest,
    ) -> Result<Option<Value>, Error> {
        let method = Method::PATCH;
        if !self.inner.dialect.supports_patch() {
            return Err(self.inner.refuse(
                method,
                &segments(kind, Some(id)),
                format!(
                    "{} has no PATCH; update with a PUT, which there changes only the attributes sent",
                    self.inner.dialect
                ),
            ));
        }
        let body = serde_json::to_vec(request).map_err(|err| {
            self.inner
                .refuse(method.clone(), &segments(kind, Some(id)), err.to_string())
        })?;
        let answer = self
            .inner
            .send(Call {
                method: method.clone(),
                segments: segments(kind, Some(id)),
                query: Vec::new(),
                body: Some(body.into()),
            })
            .await?;
        if answer.body.is_empty() {
            return Ok(None);
        }
        self.json(method, kind, Some(id), &answer).map(Some)
    }

    /// `DELETE /<Users|Groups>/<id>` (204). A 404 is [`ErrorKind::NotFound`]: the entity is
    /// already gone.
    pub async fn delete(&self, kind: ResourceType, id: &str) -> Result<(), Error> {
        self.inner
            .send(Call {
                method: Method::DELETE,
                segments: segments(kind, Some(id)),
                query: Vec::new(),
                body: None,
            })
            .await
            .map(|_| ())
    }

    /// Every resource of `kind` that matches `query`, page by page (see [`Pager`]).
    pub fn list(&self, kind: ResourceType, query: ListQuery) -> Pager {
        Pager::new(self.clone(), kind, query)
    }

    /// Every resource that matches `filter` (all pages at once: for lookups, not for reads of
    /// a whole tenant).
    pub async fn find(&self, kind: ResourceType, filter: Filter) -> Result<Vec<Value>, Error> {
        self.list(
            kind,
            ListQuery {
                filter: Some(filter),
                ..ListQuery::default()
            },
        )
        .collect_all()
        .await
    }

    /// The resources that hold the same values as `entity` for every attribute of
    /// `attributes` (IPS's conflict resolution by `ias.user.unique.attribute` and friends, [DOC]
    /// §2.4): none means the conflict cannot be resolved, one is the entity to overwrite.
    pub async fn find_unique(
        &self,
        kind: ResourceType,
        attributes: &[UniqueAttribute],
        entity: &Value,
    ) -> Result<Vec<Value>, Error> {
        let filter = UniqueAttribute::filter_for(attributes, entity).map_err(|err| {
            self.inner
                .refuse(Method::GET, &segments(kind, None), err.to_string())
        })?;
        self.find(kind, filter).await
    }

    fn json<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        kind: ResourceType,
        id: Option<&str>,
        answer: &Answer,
    ) -> Result<T, Error> {
        serde_json::from_slice(&answer.body).map_err(|err| {
            self.invalid(
                method,
                kind,
                id,
                answer,
                &format!("the body is not JSON ({})", err.classify_category()),
            )
        })
    }

    fn invalid(
        &self,
        method: Method,
        kind: ResourceType,
        id: Option<&str>,
        answer: &Answer,
        reason: &str,
    ) -> Error {
        Error {
            kind: Box::new(ErrorKind::InvalidResponse {
                status: answer.status,
                reason: reason.to_string(),
            }),
            method: method.to_string(),
            path: self.inner.url(&segments(kind, id)).path().to_string(),
            attempts: 1,
        }
    }
}

/// The path segments of a resource type or one resource.
pub(crate) fn segments(kind: ResourceType, id: Option<&str>) -> Vec<String> {
    let mut segments = vec![kind.endpoint().to_string()];
    if let Some(id) = id {
        segments.push(id.to_string());
    }
    segments
}

/// A serde error's category in words, without quoting the input.
pub(crate) trait ClassifyCategory {
    fn classify_category(&self) -> &'static str;
}

impl ClassifyCategory for serde_json::Error {
    fn classify_category(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "invalid syntax",
            serde_json::error::Category::Data => "unexpected shape",
            serde_json::error::Category::Eof => "cut off",
        }
    }
}
