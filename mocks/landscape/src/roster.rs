//! The mocks of a landscape as they declare themselves: each one's listeners bound in order, the
//! mock built on their URLs, its routers, and its `landscape.json` object. Nothing here knows
//! which mocks there are.

use std::sync::Arc;

use axum::Router;
use sapland_mock_kit::declare::{DeclaredMock, Listener, MockPlan, Site, Surface};
use sapland_mock_kit::kit::Kit;
use sapland_mock_kit::service::MockService;
use serde_json::{Map, Value};
use tokio::net::TcpListener;

use crate::config::Ports;
use crate::start::LandscapeError;

/// The mocks added so far, with their bound listeners, in the order they were added.
pub(crate) struct Roster {
    site: Site,
    host: String,
    scheme: &'static str,
    ports: PortCounter,
    members: Vec<Member>,
}

/// One declared mock, built and bound, not yet serving.
struct Member {
    mock: Arc<dyn DeclaredMock>,
    kit: Arc<Kit>,
    listeners: Vec<Bound>,
}

/// A declared listener, bound.
struct Bound {
    declared: Listener,
    listener: TcpListener,
    url: String,
}

/// A listener with the router it serves.
pub(crate) struct Server {
    pub(crate) listener: TcpListener,
    pub(crate) router: Router,
}

impl Roster {
    /// No mocks yet; listeners go on `host` with `ports`, URLs use `scheme`.
    pub(crate) fn new(site: Site, host: &str, ports: &Ports, scheme: &'static str) -> Self {
        Self {
            site,
            host: host.to_owned(),
            scheme,
            ports: PortCounter::new(ports),
            members: Vec::new(),
        }
    }

    /// Binds the listeners `plan` declares (ports numbered on from the mocks before), builds the
    /// mock on their URLs and gives it a kit of its own.
    pub(crate) async fn add<P: MockPlan>(
        &mut self,
        plan: P,
    ) -> Result<(Arc<P::Mock>, Arc<Kit>), LandscapeError> {
        let declared = plan.listeners();
        let ports = self.ports.take(declared.len())?;
        let mut listeners = Vec::new();
        for (declared, port) in declared.into_iter().zip(ports) {
            listeners.push(self.bind(declared, port).await?);
        }
        let urls = urls(&listeners);
        let mock = plan.build(&urls, &self.site)?;
        let kit = self.site.kit();
        self.members.push(Member {
            mock: mock.clone(),
            kit: kit.clone(),
            listeners,
        });
        Ok((mock, kit))
    }

    async fn bind(&self, declared: Listener, port: u16) -> Result<Bound, LandscapeError> {
        let bind_error = |source| LandscapeError::Bind {
            address: format!("{}:{port} ({})", self.host, declared.name),
            source,
        };
        let listener = TcpListener::bind((self.host.as_str(), port))
            .await
            .map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        let url = format!("{}://{}:{port}", self.scheme, url_host(&self.host));
        Ok(Bound {
            declared,
            listener,
            url,
        })
    }

    /// The URL of the first admin listener: every admin surface serves the landscape clock.
    pub(crate) fn clock_url(&self) -> Option<String> {
        self.members
            .iter()
            .flat_map(|member| &member.listeners)
            .find(|bound| bound.declared.surface == Surface::Admin)
            .map(|bound| bound.url.clone())
    }

    /// Each mock's `landscape.json` object under its name, in the order the mocks were added;
    /// the mocks write the files their objects name.
    pub(crate) fn describe(&self) -> Result<Map<String, Value>, LandscapeError> {
        let mut entries = Map::new();
        for member in &self.members {
            let entry = member.mock.describe(&urls(&member.listeners), &self.site)?;
            let name = member.mock.name();
            assert!(
                entries.insert(name.to_owned(), entry).is_none(),
                "two mocks of the landscape are named {name:?}"
            );
        }
        Ok(entries)
    }

    /// Every listener with its router: the kit's admin surface on admin listeners, the mock's
    /// own router on SAP-facing ones.
    pub(crate) fn into_servers(self) -> Vec<Server> {
        let mut servers = Vec::new();
        for Member {
            mock,
            kit,
            listeners,
        } in self.members
        {
            for (index, bound) in listeners.into_iter().enumerate() {
                let router = match bound.declared.surface {
                    Surface::Admin => {
                        let service: Arc<dyn MockService> = mock.clone();
                        sapland_mock_kit::admin::router(kit.clone(), service)
                    }
                    Surface::Sap => mock.clone().sap_router(index, &kit).unwrap_or_else(|| {
                        panic!(
                            "the mock {} declares the listener {:?} but has no router for it",
                            mock.name(),
                            bound.declared.name
                        )
                    }),
                };
                servers.push(Server {
                    listener: bound.listener,
                    router,
                });
            }
        }
        servers
    }
}

fn urls(listeners: &[Bound]) -> Vec<String> {
    listeners.iter().map(|bound| bound.url.clone()).collect()
}

/// Hands out ports: 0 (a free one) each time, or consecutive ports from the first.
struct PortCounter {
    first: Option<u16>,
    handed_out: u32,
}

impl PortCounter {
    fn new(ports: &Ports) -> Self {
        Self {
            first: match ports {
                Ports::Auto => None,
                Ports::From(first) => Some(*first),
            },
            handed_out: 0,
        }
    }

    /// The ports of the next `count` listeners, or an error before any is bound when they run
    /// past 65535.
    fn take(&mut self, count: usize) -> Result<Vec<u16>, LandscapeError> {
        let Some(first) = self.first else {
            return Ok(vec![0; count]);
        };
        let from = u32::from(first) + self.handed_out;
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        self.handed_out = self.handed_out.saturating_add(count);
        (from..from.saturating_add(count))
            .map(|port| {
                u16::try_from(port).map_err(|_| LandscapeError::Bind {
                    address: format!("ports from {first}"),
                    source: std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        "the landscape's ports run past 65535; choose a lower first port",
                    ),
                })
            })
            .collect()
    }
}

fn url_host(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}
