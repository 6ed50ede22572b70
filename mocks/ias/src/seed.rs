//! Seeding a tenant with realistic, deterministic fake users and groups (**proposed**: IAS has
//! no such API; this is the mock-specific seeding of DESIGN.md's admin surface).
//!
//! `POST /_admin/ias/tenants/{tenant}/seed` with `{"users": N, "groups": M, "seed": S}` (each
//! optional, but users or groups must be given) creates N users, then M groups whose members are
//! drawn from those users, and answers 201 `{"users": N, "groups": M, "seed": S}`.
//!
//! - Users get fake English first and last names, `displayName` "First Last", `userName`
//!   `first.last.<n>` and the work email `first.last.<n>@example.com`, where `<n>` is the user's
//!   ordinal in the tenant, so both are always unique; SAP status `active` (so `active: true`);
//!   three in four carry the enterprise extension's `department` and `costCenter`.
//! - Groups get a `displayName` such as "Sales Analysts" (numbered when taken) and a random
//!   subset of the seeded users as members: 1 to [`MAX_MEMBERS`] of them, no user in more than
//!   [`MAX_GROUPS_PER_USER`] groups.
//! - The same seed on the same empty tenant gives the same users and groups: the generator is
//!   `ChaCha8Rng` (portable, unlike `StdRng`), drawn from in a fixed order. Without a seed, one
//!   is derived from the landscape seed, the tenant and its user count, and answered back.
//! - Everything goes through [`Directory::create_user`] and [`Directory::create_group`], so every
//!   rule of the tenant (uniqueness, ids, status/active, `meta`) applies. `meta` times come from
//!   the landscape clock when the admin router hands it to the handler as an `Extension<Clock>`,
//!   else from wall time.
//! - A rejected body creates nothing (400, the field named); should the tenant refuse a seeded
//!   resource midway, everything seeded so far is removed again.
//! - It is admin traffic, not SCIM traffic: it never counts against the tenant's throttling.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fake::Fake;
use fake::faker::job::en::{Field, Position};
use fake::faker::name::en::{FirstName, LastName};
use fake::rand::RngExt;
use fake::rand::seq::index;
use jiff::Timestamp;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use sapland_core::scim::schemas::{CORE_GROUP, CORE_USER, ENTERPRISE_USER, SAP_USER};
use sapland_core::scim::{ScimError, ScimType};
use sapland_mock_kit::clock::Clock;
use sapland_mock_kit::ids::IdGenerator;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::directory::Directory;
use crate::mock::IasMock;

/// The most users one request may seed (**proposed**).
pub const MAX_USERS: u64 = 200_000;

/// The most groups a tenant holds: "≤10 000 groups per tenant" ([DOC] reference/ips-ias.md,
/// Groups, create).
pub const MAX_GROUPS_PER_TENANT: u64 = 10_000;

/// The most groups a user belongs to: "≤500 groups per user" ([DOC] reference/ips-ias.md).
pub const MAX_GROUPS_PER_USER: u16 = 500;

/// The most members a seeded group gets (**proposed**).
pub const MAX_MEMBERS: usize = 50;

/// How many other ordinals or names are tried when a seeded user or group collides with one the
/// tenant already holds.
const MAX_RETRIES: u32 = 1_000;

/// The body of a seed request, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRequest {
    /// How many users to create.
    pub users: Option<u64>,
    /// How many groups to create.
    pub groups: Option<u64>,
    /// The seed of the fake data.
    pub seed: Option<u64>,
}

/// A checked request: what will be created, from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedPlan {
    /// Users to create.
    pub users: usize,
    /// Groups to create.
    pub groups: usize,
    /// The seed.
    pub seed: u64,
}

/// What a seeding created; also the 201 answer body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Seeded {
    /// Users created.
    pub users: usize,
    /// Groups created.
    pub groups: usize,
    /// The seed used (the one sent, or the one derived when none was).
    pub seed: u64,
}

/// Why nothing was seeded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedError {
    /// The request was wrong (400); the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// The tenant refused a seeded resource; everything seeded before it was removed again.
    #[error("{message}")]
    Refused {
        /// The HTTP status of the tenant's refusal.
        status: u16,
        /// What was refused and why.
        message: String,
    },
}

impl SeedRequest {
    /// Reads a request body; unknown members and values of the wrong type are refused with
    /// their JSON path.
    pub fn parse(body: &str) -> Result<Self, SeedError> {
        sapland_core::json::from_str(body)
            .map_err(|err| SeedError::Invalid(format!("invalid seed request: {err}")))
    }

    /// Checks the request against the limits and the tenant's `existing_groups`; `default_seed`
    /// is used when the request names none.
    pub fn plan(&self, existing_groups: usize, default_seed: u64) -> Result<SeedPlan, SeedError> {
        if self.users.is_none() && self.groups.is_none() {
            return Err(SeedError::Invalid(
                "users, groups: give how many users or groups (or both) to seed".into(),
            ));
        }
        let users = self.users.unwrap_or(0);
        if users > MAX_USERS {
            return Err(SeedError::Invalid(format!(
                "users: at most {MAX_USERS} users can be seeded at once, got {users}"
            )));
        }
        let groups = self.groups.unwrap_or(0);
        if groups > MAX_GROUPS_PER_TENANT {
            return Err(SeedError::Invalid(format!(
                "groups: at most {MAX_GROUPS_PER_TENANT} (IAS's limit of groups per tenant), got {groups}"
            )));
        }
        let existing = existing_groups as u64;
        if existing + groups > MAX_GROUPS_PER_TENANT {
            return Err(SeedError::Invalid(format!(
                "groups: the tenant holds {existing} groups and IAS allows {MAX_GROUPS_PER_TENANT}, so at most {} more, got {groups}",
                MAX_GROUPS_PER_TENANT.saturating_sub(existing)
            )));
        }
        Ok(SeedPlan {
            users: users as usize,
            groups: groups as usize,
            seed: self.seed.unwrap_or(default_seed),
        })
    }
}

/// The seed used when a request names none: one per landscape seed, tenant and user count, so a
/// second seeding of the same tenant brings other people.
pub fn default_seed(landscape_seed: u64, tenant: &str, user_count: usize) -> u64 {
    IdGenerator::derived(
        landscape_seed ^ user_count as u64,
        &format!("ias.seed.{tenant}"),
    )
    .next_u64()
}

/// Creates the planned users and groups in `directory` at time `now`; all or nothing.
pub fn seed(
    directory: &mut Directory,
    plan: SeedPlan,
    now: Timestamp,
) -> Result<Seeded, SeedError> {
    let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
    let mut seeded = Created::default();
    match seed_into(directory, plan, now, &mut rng, &mut seeded) {
        Ok(()) => Ok(Seeded {
            users: seeded.users.len(),
            groups: seeded.groups.len(),
            seed: plan.seed,
        }),
        Err(err) => {
            seeded.remove_from(directory);
            Err(err)
        }
    }
}

/// The ids of what a seeding created so far.
#[derive(Default)]
struct Created {
    users: Vec<String>,
    groups: Vec<String>,
}

impl Created {
    fn remove_from(&self, directory: &mut Directory) {
        for id in self.groups.iter().rev() {
            let _ = directory.delete_group(id);
        }
        for id in self.users.iter().rev() {
            let _ = directory.delete_user(id);
        }
    }
}

fn seed_into(
    directory: &mut Directory,
    plan: SeedPlan,
    now: Timestamp,
    rng: &mut ChaCha8Rng,
    created: &mut Created,
) -> Result<(), SeedError> {
    created.users.reserve(plan.users);
    let numbered_display_names = directory.uniqueness().display_name_unique;
    let mut ordinal = directory.user_count() + 1;
    let mut login = String::with_capacity(64);
    for _ in 0..plan.users {
        let person = Person::fake(rng);
        let mut retries = 0;
        let id = loop {
            let body = person.body(ordinal, numbered_display_names, &mut login);
            ordinal += 1;
            match directory.create_user(body, now) {
                Ok(user) => break id_of(user),
                Err(err) if is_uniqueness(&err) && retries < MAX_RETRIES => retries += 1,
                Err(err) => return Err(refused("user", created.users.len() + 1, &err)),
            }
        };
        created.users.push(id);
    }

    let mut memberships = vec![0u16; created.users.len()];
    let mut names: HashMap<String, u32> = HashMap::new();
    for _ in 0..plan.groups {
        let field: &str = Field().fake_with_rng(rng);
        let position: &str = Position().fake_with_rng(rng);
        let base = format!("{field} {position}s");
        let members = pick_members(rng, &mut memberships);
        let members: Vec<Value> = members
            .iter()
            .map(|&i| json!({ "value": created.users[i], "type": "User" }))
            .collect();
        let taken = names.entry(base.to_lowercase()).or_insert(0);
        let mut retries = 0;
        let id = loop {
            *taken += 1;
            let display_name = if *taken == 1 {
                base.clone()
            } else {
                format!("{base} {taken}")
            };
            let body = json!({
                "schemas": [CORE_GROUP],
                "displayName": display_name,
                "members": members,
            });
            match directory.create_group(body, now) {
                Ok(group) => break id_of(group),
                Err(err) if is_uniqueness(&err) && retries < MAX_RETRIES => retries += 1,
                Err(err) => return Err(refused("group", created.groups.len() + 1, &err)),
            }
        };
        created.groups.push(id);
    }
    Ok(())
}

/// 1 to [`MAX_MEMBERS`] distinct seeded users, in seeding order, leaving out those already in
/// [`MAX_GROUPS_PER_USER`] groups; counts the picked ones' memberships.
fn pick_members(rng: &mut ChaCha8Rng, memberships: &mut [u16]) -> Vec<usize> {
    let users = memberships.len();
    if users == 0 {
        return Vec::new();
    }
    let size = rng.random_range(1..=users.min(MAX_MEMBERS));
    let mut picked = index::sample(rng, users, size).into_vec();
    picked.sort_unstable();
    picked.retain(|&i| memberships[i] < MAX_GROUPS_PER_USER);
    for &i in &picked {
        memberships[i] += 1;
    }
    picked
}

/// One fake person, drawn in a fixed order so a seed always gives the same people.
struct Person {
    first: &'static str,
    last: &'static str,
    department: Option<(&'static str, u32)>,
}

impl Person {
    fn fake(rng: &mut ChaCha8Rng) -> Self {
        let first: &'static str = FirstName().fake_with_rng(rng);
        let last: &'static str = LastName().fake_with_rng(rng);
        let department = if rng.random_bool(0.75) {
            let field: &'static str = Field().fake_with_rng(rng);
            Some((field, rng.random_range(1000..10_000)))
        } else {
            None
        };
        Self {
            first,
            last,
            department,
        }
    }

    /// The SCIM body of this person as the `ordinal`-th user of the tenant; `login` is a buffer
    /// reused between users.
    fn body(&self, ordinal: usize, numbered_display_name: bool, login: &mut String) -> Value {
        login.clear();
        push_slug(login, self.first);
        login.push('.');
        push_slug(login, self.last);
        let _ = write!(login, ".{ordinal}");
        let user_name = login.clone();
        login.push_str("@example.com");
        let email = login.clone();
        let display_name = if numbered_display_name {
            format!("{} {} {ordinal}", self.first, self.last)
        } else {
            format!("{} {}", self.first, self.last)
        };

        let mut schemas = vec![Value::from(CORE_USER)];
        let mut user = Map::new();
        user.insert("userName".into(), user_name.into());
        user.insert(
            "name".into(),
            json!({ "givenName": self.first, "familyName": self.last }),
        );
        user.insert("displayName".into(), display_name.into());
        user.insert(
            "emails".into(),
            json!([{ "value": email, "type": "work", "primary": true }]),
        );
        user.insert("active".into(), true.into());
        if let Some((department, cost_center)) = self.department {
            schemas.push(ENTERPRISE_USER.into());
            user.insert(
                ENTERPRISE_USER.into(),
                json!({ "department": department, "costCenter": cost_center.to_string() }),
            );
        }
        schemas.push(SAP_USER.into());
        user.insert(SAP_USER.into(), json!({ "status": "active" }));
        user.insert("schemas".into(), Value::Array(schemas));
        Value::Object(user)
    }
}

/// Appends the lower-case ASCII letters and digits of a name (`O'Keefe` → `okeefe`).
fn push_slug(out: &mut String, name: &str) {
    let before = out.len();
    out.extend(
        name.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase()),
    );
    if out.len() == before {
        out.push('x');
    }
}

fn id_of(mut resource: Value) -> String {
    match resource.get_mut("id").map(Value::take) {
        Some(Value::String(id)) => id,
        other => panic!("the directory answered a resource without a string id: {other:?}"),
    }
}

fn is_uniqueness(err: &ScimError) -> bool {
    err.scim_type == Some(ScimType::Uniqueness)
}

fn refused(what: &str, number: usize, err: &ScimError) -> SeedError {
    SeedError::Refused {
        status: err.status.parse().unwrap_or(500),
        message: format!(
            "the tenant refused seeded {what} {number}: {}; nothing was seeded",
            err.detail.as_deref().unwrap_or("no detail")
        ),
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// `POST /_admin/ias/tenants/{tenant}/seed`. Resources get `meta` times from the landscape clock
/// when the admin router provides it as an `Extension<Clock>`, else from wall time.
pub(crate) async fn seed_tenant(
    State(mock): State<Arc<IasMock>>,
    Path(name): Path<String>,
    clock: Option<Extension<Clock>>,
    body: Bytes,
) -> Response {
    let Some(tenant) = mock.tenant(&name) else {
        return error(StatusCode::NOT_FOUND, format!("no tenant {name:?}"));
    };
    let request = match SeedRequest::parse(&String::from_utf8_lossy(&body)) {
        Ok(request) => request,
        Err(err) => return error(StatusCode::BAD_REQUEST, err.to_string()),
    };
    let now = clock.map_or_else(Timestamp::now, |Extension(clock)| clock.now());
    let landscape_seed = mock.config().seed;
    // Seeding 100 000 users takes seconds: off the async workers, under one write lock.
    let seeding = tokio::task::spawn_blocking(move || {
        let mut directory = tenant.directory_mut();
        let fallback = default_seed(landscape_seed, &tenant.name, directory.user_count());
        let plan = request.plan(directory.group_count(), fallback)?;
        seed(&mut directory, plan, now)
    })
    .await;
    match seeding {
        Ok(Ok(seeded)) => (StatusCode::CREATED, Json(seeded)).into_response(),
        Ok(Err(SeedError::Invalid(message))) => error(StatusCode::BAD_REQUEST, message),
        Ok(Err(SeedError::Refused { status, message })) => error(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message,
        ),
        Err(join) => match join.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => error(
                StatusCode::SERVICE_UNAVAILABLE,
                "the mock is shutting down; nothing was seeded",
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use crate::directory::{ListQuery, Uniqueness};

    use super::*;

    const NOW: &str = "2026-11-22T09:00:00Z";

    fn directory() -> Directory {
        Directory::new("https://target.example", Uniqueness::default(), 1)
    }

    fn plan(users: usize, groups: usize, seed: u64) -> SeedPlan {
        SeedPlan {
            users,
            groups,
            seed,
        }
    }

    fn now() -> Timestamp {
        NOW.parse().unwrap()
    }

    fn all(directory: &Directory, groups: bool) -> Vec<Value> {
        let query = ListQuery {
            count: Some("1000".into()),
            ..ListQuery::default()
        };
        let list = if groups {
            directory.list_groups(&query)
        } else {
            directory.list_users(&query)
        };
        list.unwrap()["Resources"].as_array().unwrap().clone()
    }

    fn texts(resources: &[Value], attribute: &str) -> Vec<String> {
        let mut values: Vec<String> = resources
            .iter()
            .map(|r| r[attribute].as_str().unwrap().to_string())
            .collect();
        values.sort();
        values
    }

    #[test]
    fn seeds_active_users_with_unique_logins_and_emails() {
        let mut directory = directory();
        let seeded = seed(&mut directory, plan(40, 0, 42), now()).unwrap();
        assert_eq!(
            seeded,
            Seeded {
                users: 40,
                groups: 0,
                seed: 42
            }
        );
        let users = all(&directory, false);
        assert_eq!(users.len(), 40);
        let emails: HashSet<&str> = users
            .iter()
            .map(|u| u["emails"][0]["value"].as_str().unwrap())
            .collect();
        assert_eq!(emails.len(), 40);
        let mut departments = 0;
        for user in &users {
            let login = user["userName"].as_str().unwrap();
            let email = user["emails"][0]["value"].as_str().unwrap();
            assert_eq!(email, format!("{login}@example.com"));
            assert!(login.split('.').count() == 3, "{login}");
            assert_eq!(user["emails"][0]["primary"], true);
            assert_eq!(user["active"], true);
            assert_eq!(user[SAP_USER]["status"], "active");
            assert_eq!(
                user["displayName"],
                format!(
                    "{} {}",
                    user["name"]["givenName"].as_str().unwrap(),
                    user["name"]["familyName"].as_str().unwrap()
                )
            );
            assert_eq!(user["meta"]["created"], NOW);
            if let Some(enterprise) = user.get(ENTERPRISE_USER) {
                departments += 1;
                assert!(enterprise["department"].is_string());
                assert_eq!(enterprise["costCenter"].as_str().unwrap().len(), 4);
            }
        }
        assert!((10..40).contains(&departments), "{departments} of 40");
    }

    #[test]
    fn the_same_seed_on_an_empty_tenant_gives_the_same_people_and_groups() {
        let (mut a, mut b, mut c) = (directory(), directory(), directory());
        seed(&mut a, plan(30, 4, 7), now()).unwrap();
        seed(&mut b, plan(30, 4, 7), now()).unwrap();
        seed(&mut c, plan(30, 4, 8), now()).unwrap();
        let (users_a, users_b) = (all(&a, false), all(&b, false));
        assert_eq!(users_a, users_b);
        assert_eq!(all(&a, true), all(&b, true));
        assert_ne!(
            texts(&users_a, "userName"),
            texts(&all(&c, false), "userName")
        );
    }

    #[test]
    fn the_users_are_fixed_by_the_seed_alone() {
        // Pinned: a change of generator, word lists or draw order shows up here.
        let mut directory = directory();
        seed(&mut directory, plan(3, 0, 42), now()).unwrap();
        let names = texts(&all(&directory, false), "userName");
        let mut again = Directory::new("https://other.example", Uniqueness::default(), 99);
        seed(&mut again, plan(3, 0, 42), now()).unwrap();
        assert_eq!(names, texts(&all(&again, false), "userName"));
        assert_eq!(names, ["dan.parker.1", "lucy.corwin.3", "oliver.kautzer.2"]);
    }

    #[test]
    fn groups_have_distinct_names_and_members_from_the_seeded_users() {
        let mut directory = directory();
        let seeded = seed(&mut directory, plan(20, 600, 3), now()).unwrap();
        assert_eq!(seeded.groups, 600);
        let users = all(&directory, false);
        let user_ids: HashSet<&str> = users.iter().map(|u| u["id"].as_str().unwrap()).collect();
        let groups = {
            let mut groups = Vec::new();
            for start in [1, 1001] {
                let query = ListQuery {
                    count: Some("1000".into()),
                    start_index: Some(start.to_string()),
                    ..ListQuery::default()
                };
                let page = directory.list_groups(&query).unwrap();
                groups.extend(page["Resources"].as_array().unwrap().iter().cloned());
            }
            groups
        };
        assert_eq!(groups.len(), 600);
        let names: HashSet<String> = groups
            .iter()
            .map(|g| g["displayName"].as_str().unwrap().to_lowercase())
            .collect();
        assert_eq!(names.len(), 600, "group names are unique");
        for group in &groups {
            let members = group["members"].as_array().unwrap();
            assert!((1..=20).contains(&members.len()), "{group}");
            for member in members {
                assert!(user_ids.contains(member["value"].as_str().unwrap()));
            }
        }
        let user = directory.user(users[0]["id"].as_str().unwrap()).unwrap();
        let count = user["groups"].as_array().map_or(0, Vec::len);
        assert!(
            count > 0 && count <= usize::from(MAX_GROUPS_PER_USER),
            "{count}"
        );
    }

    #[test]
    fn no_user_is_put_in_more_groups_than_ias_allows() {
        let mut directory = directory();
        seed(&mut directory, plan(2, 1200, 5), now()).unwrap();
        for user in all(&directory, false) {
            let user = directory.user(user["id"].as_str().unwrap()).unwrap();
            let count = user["groups"].as_array().map_or(0, Vec::len);
            assert_eq!(count, usize::from(MAX_GROUPS_PER_USER));
        }
    }

    #[test]
    fn groups_without_users_have_no_members() {
        let mut directory = directory();
        seed(&mut directory, plan(0, 2, 1), now()).unwrap();
        for group in all(&directory, true) {
            assert!(
                group.get("members").is_none_or(|m| m == &json!([])),
                "{group}"
            );
        }
    }

    #[test]
    fn seeding_again_adds_other_unique_users_and_renumbers_taken_group_names() {
        let mut directory = directory();
        seed(&mut directory, plan(10, 3, 1), now()).unwrap();
        seed(&mut directory, plan(10, 3, 1), now()).unwrap();
        let users = all(&directory, false);
        assert_eq!(users.len(), 20);
        assert_eq!(
            texts(&users, "userName")
                .iter()
                .collect::<HashSet<_>>()
                .len(),
            20
        );
        let groups = texts(&all(&directory, true), "displayName");
        assert_eq!(groups.iter().collect::<HashSet<_>>().len(), 6, "{groups:?}");
    }

    #[test]
    fn unique_display_names_are_numbered() {
        let mut directory = Directory::new(
            "https://target.example",
            Uniqueness {
                display_name_unique: true,
                ..Uniqueness::default()
            },
            1,
        );
        seed(&mut directory, plan(300, 0, 9), now()).unwrap();
        assert_eq!(directory.user_count(), 300);
    }

    #[test]
    fn what_a_refused_seeding_created_is_removed_again() {
        let mut directory = directory();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut created = Created::default();
        seed_into(&mut directory, plan(5, 2, 1), now(), &mut rng, &mut created).unwrap();
        assert_eq!((directory.user_count(), directory.group_count()), (5, 2));
        created.remove_from(&mut directory);
        assert_eq!((directory.user_count(), directory.group_count()), (0, 0));
    }

    #[test]
    fn requests_are_checked_before_anything_is_created() {
        let parse = |body: &str| SeedRequest::parse(body).and_then(|r| r.plan(0, 11));
        assert_eq!(
            parse(r#"{"users": 3}"#).unwrap(),
            SeedPlan {
                users: 3,
                groups: 0,
                seed: 11
            }
        );
        assert_eq!(parse(r#"{"groups": 2, "seed": 5}"#).unwrap().seed, 5);
        let message = |body: &str| parse(body).unwrap_err().to_string();
        assert!(message(r#"{"users": 200001}"#).starts_with("users: "));
        assert!(parse(r#"{"users": 200000}"#).is_ok());
        assert!(message(r#"{"groups": 10001}"#).starts_with("groups: "));
        assert!(message("{}").starts_with("users, groups: "));
        assert!(message(r#"{"users": 1, "userz": 2}"#).contains("userz"));
        assert!(message(r#"{"users": -1}"#).contains("$.users"));
        assert!(message(r#"{"users": "many"}"#).contains("$.users"));
        assert!(message("not json").starts_with("invalid seed request"));
        let full = SeedRequest {
            groups: Some(11),
            ..SeedRequest::default()
        }
        .plan(9_990, 1)
        .unwrap_err()
        .to_string();
        assert!(
            full.starts_with("groups: the tenant holds 9990 groups"),
            "{full}"
        );
    }

    #[test]
    fn the_default_seed_depends_on_landscape_tenant_and_user_count() {
        assert_eq!(default_seed(1, "target", 0), default_seed(1, "target", 0));
        assert_ne!(default_seed(1, "target", 0), default_seed(1, "source", 0));
        assert_ne!(default_seed(1, "target", 0), default_seed(1, "target", 10));
        assert_ne!(default_seed(1, "target", 0), default_seed(2, "target", 0));
    }

    /// One HTTP/1.1 POST to a router served on a free port, written by hand (no client crate).
    async fn post(app: axum::Router, path: &str, body: &str) -> (u16, Value) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: admin\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).await.unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    #[tokio::test]
    async fn the_endpoint_seeds_on_the_landscape_clock_and_leaves_refused_bodies_without_effect() {
        let config = crate::config::IasConfig::default_landscape(1);
        let urls: Vec<String> = (1..=config.tenants.len())
            .map(|port| format!("http://127.0.0.1:{port}"))
            .collect();
        let mock = Arc::new(IasMock::new(config, &urls));
        let app = || crate::admin::routes(mock.clone()).layer(Extension(Clock::manual(now())));
        let path = "/_admin/ias/tenants/target/seed";

        let (status, body) = post(app(), path, r#"{"users": 3, "groups": 1, "seed": 4}"#).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body, json!({"users": 3, "groups": 1, "seed": 4}));
        let target = mock.tenant("target").unwrap();
        for user in all(&target.directory(), false) {
            assert_eq!(user["meta"]["created"], NOW, "the landscape clock's time");
        }

        for (request, field) in [
            (r#"{"users": 3, "colour": "red"}"#, "colour"),
            (r#"{"users": 200001}"#, "users: "),
            (r#"{"groups": 10000}"#, "groups: the tenant holds 1 groups"),
            (r#"{"seed": 1}"#, "users, groups: "),
        ] {
            let (status, body) = post(app(), path, request).await;
            assert_eq!(status, 400, "{request}");
            let message = body["error"].as_str().unwrap();
            assert!(message.contains(field), "{field:?} in {message:?}");
        }
        assert_eq!(target.directory().user_count(), 3);
        assert_eq!(target.directory().group_count(), 1);

        let (status, body) = post(app(), "/_admin/ias/tenants/nope/seed", r#"{"users": 1}"#).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (404, Some("no tenant \"nope\""))
        );
    }
}
