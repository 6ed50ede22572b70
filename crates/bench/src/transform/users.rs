//! The benchmark's input: users seeded into a mock IAS directory, varied so that they exercise
//! every part of SAP's default IAS v2 write transformation, written as NDJSON exactly as the
//! mock serves them (`GET /scim/Users/{id}`).
//!
//! The mock's seeding gives every user a name, a display name, one primary work e-mail, SAP's
//! extension and, for three in four, the enterprise extension's department and cost centre. Each
//! user is then replaced (`PUT`, [`Directory::replace_user`]) with deterministic variations,
//! chosen from a hash of the user's position and the seed:
//!
//! - e-mails: 1 % none, 1 % one invalid address (no `@`, no dot in the domain, or a space), 20 %
//!   two (work and home; the primary is the first or the second);
//! - addresses: 30 % none, 50 % one, 20 % two, each of type `work`, `home`, `other` or without a
//!   type (a quarter each);
//! - phone numbers: half none, a quarter one (`work`), a quarter two (`work`, `mobile`);
//! - the enterprise extension (where the seeding put it): an `employeeNumber` for all, and for
//!   two in five a `manager` (`value` the id of another user, `displayName` their name);
//! - 30 % a `locale` and `timezone`, 10 % a `middleName`, 10 % an `honorificPrefix`, 10 %
//!   `userType` `contractor`.
//!
//! The tenant does not require e-mails, so that users without one can be stored.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, anyhow, ensure};
use jiff::Timestamp;
use sapland_mock_ias::directory::{Directory, Uniqueness};
use sapland_mock_ias::seed::{self, SeedPlan};
use serde_json::{Map, Value, json};

const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const SAP_USER: &str = "urn:ietf:params:scim:schemas:extension:sap:2.0:User";

/// What the generated file holds, for the report.
#[derive(Debug, Clone, Default)]
pub(crate) struct Generated {
    /// Users written.
    pub(crate) users: usize,
    /// Size of the file in bytes.
    pub(crate) bytes: u64,
    /// Users without an e-mail.
    pub(crate) without_email: usize,
    /// Users whose only e-mail is not a valid address.
    pub(crate) invalid_email: usize,
    /// Users with two e-mails.
    pub(crate) two_emails: usize,
    /// Addresses by type: `work`, `home`, `other`, none.
    pub(crate) addresses: [usize; 4],
    /// Users with at least one phone number.
    pub(crate) with_phones: usize,
    /// Users with a manager.
    pub(crate) with_manager: usize,
}

impl Generated {
    /// Users the entity condition skips: without an e-mail, or with an invalid one.
    pub(crate) fn expected_skips(&self) -> usize {
        self.without_email + self.invalid_email
    }
}

/// Seeds `count` users with `seed` at `now`, varies them and writes them to `file`, one compact
/// JSON object per line, as the mock serves them.
pub(crate) fn write(
    file: &Path,
    count: usize,
    seed: u64,
    now: Timestamp,
) -> anyhow::Result<Generated> {
    let uniqueness = Uniqueness {
        email_required: false,
        ..Uniqueness::default()
    };
    let mut directory = Directory::new("http://127.0.0.1:1", uniqueness, seed);
    seed::seed(
        &mut directory,
        SeedPlan {
            users: count,
            groups: 0,
            seed,
        },
        now,
    )
    .map_err(|err| anyhow!("the mock IAS did not seed {count} users: {err}"))?;
    let users = directory.snapshot().users;
    ensure!(
        users.len() == count,
        "seeded {} users, not {count}",
        users.len()
    );
    let people: Vec<(String, String)> = users
        .iter()
        .map(|user| {
            (
                text(user, "id").to_string(),
                text(user, "displayName").to_string(),
            )
        })
        .collect();
    let mut out = std::io::BufWriter::with_capacity(
        1 << 16,
        std::fs::File::create(file).with_context(|| format!("cannot create {}", file.display()))?,
    );
    let mut generated = Generated::default();
    for (position, user) in users.into_iter().enumerate() {
        let manager = &people[(position + 7) % people.len()];
        let (id, body) = vary(user, position, seed, manager, &mut generated)?;
        directory
            .replace_user(&id, body, now)
            .map_err(|err| anyhow!("the mock IAS refused a varied user: {err:?}"))?;
        let (text, _version) = directory
            .user_text(&id)
            .map_err(|err| anyhow!("the mock IAS lost user {id}: {err:?}"))?;
        out.write_all(&text)?;
        out.write_all(b"\n")?;
        generated.users += 1;
    }
    out.flush()?;
    drop(out);
    generated.bytes = std::fs::metadata(file)?.len();
    Ok(generated)
}

/// A string member of a user, or `""`.
fn text<'v>(user: &'v Value, key: &str) -> &'v str {
    user.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// SplitMix64: a well-mixed 64-bit hash of a counter, for deterministic choices.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The PUT body of the user at `position`: the served user with its variations, without what
/// the server owns or derives (`meta`, SAP's `emails` view).
fn vary(
    user: Value,
    position: usize,
    seed: u64,
    manager: &(String, String),
    generated: &mut Generated,
) -> anyhow::Result<(String, Value)> {
    let Value::Object(mut user) = user else {
        anyhow::bail!("the mock served a user that is not an object");
    };
    let id = user
        .get("id")
        .and_then(Value::as_str)
        .context("the mock served a user without an id")?
        .to_string();
    let user_name = user
        .get("userName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    user.remove("meta");
    if let Some(Value::Object(sap)) = user.get_mut(SAP_USER) {
        sap.remove("emails");
    }
    let r = mix(seed.rotate_left(32) ^ position as u64);
    let bits = |shift: u32, modulus: u64| (r >> shift) % modulus;

    match bits(0, 100) {
        0 => {
            user.remove("emails");
            generated.without_email += 1;
        }
        1 => {
            let invalid = match bits(56, 3) {
                0 => format!("{user_name}.example.com"),
                1 => format!("{user_name}@example"),
                _ => format!("{} {user_name}@example.com", user_name.replace('.', " ")),
            };
            user.insert(
                "emails".into(),
                json!([{"value": invalid, "type": "work", "primary": true}]),
            );
            generated.invalid_email += 1;
        }
        2..=21 => {
            let home_primary = bits(7, 2) == 1;
            if let Some(Value::Array(emails)) = user.get_mut("emails") {
                if let Some(Value::Object(work)) = emails.first_mut() {
                    work.insert("primary".into(), (!home_primary).into());
                }
                emails.push(json!({
                    "value": format!("{user_name}@home.example.net"),
                    "type": "home",
                    "primary": home_primary,
                }));
            }
            generated.two_emails += 1;
        }
        _ => {}
    }

    let address_count = match bits(8, 10) {
        0..=2 => 0,
        3..=7 => 1,
        _ => 2,
    };
    if address_count > 0 {
        let addresses: Vec<Value> = (0..address_count)
            .map(|k| {
                let kind = bits(16 + 2 * k, 4) as usize;
                generated.addresses[kind] += 1;
                address(kind, position, k)
            })
            .collect();
        user.insert("addresses".into(), Value::Array(addresses));
    }

    let phones = match bits(24, 4) {
        0 | 1 => Vec::new(),
        2 => vec![json!({"value": phone(position, 0), "type": "work"})],
        _ => vec![
            json!({"value": phone(position, 0), "type": "work", "primary": true}),
            json!({"value": phone(position, 1), "type": "mobile"}),
        ],
    };
    if !phones.is_empty() {
        user.insert("phoneNumbers".into(), Value::Array(phones));
        generated.with_phones += 1;
    }

    if let Some(Value::Object(enterprise)) = user.get_mut(ENTERPRISE_USER) {
        enterprise.insert(
            "employeeNumber".into(),
            format!("E{:07}", position + 1).into(),
        );
        if bits(32, 5) < 2 && manager.0 != id {
            enterprise.insert(
                "manager".into(),
                json!({"value": manager.0, "displayName": manager.1}),
            );
            generated.with_manager += 1;
        }
    }

    if bits(40, 10) < 3 {
        let (locale, timezone) = [
            ("en_US", "America/New_York"),
            ("de_DE", "Europe/Berlin"),
            ("fr_FR", "Europe/Paris"),
        ][bits(60, 3) as usize];
        user.insert("locale".into(), locale.into());
        user.insert("timezone".into(), timezone.into());
    }
    if let Some(Value::Object(name)) = user.get_mut("name") {
        if bits(44, 10) == 0 {
            name.insert("middleName".into(), "Lee".into());
        }
        if bits(48, 10) == 1 {
            name.insert("honorificPrefix".into(), "Dr.".into());
        }
    }
    if bits(52, 10) == 2 {
        user.insert("userType".into(), "contractor".into());
    }
    Ok((id, Value::Object(user)))
}

/// Address `k` of the user at `position`, of type `work`, `home`, `other` or none (`kind` 0–3).
fn address(kind: usize, position: usize, k: u32) -> Value {
    let mut address = Map::new();
    if let Some(label) = ["work", "home", "other"].get(kind) {
        address.insert("type".into(), (*label).into());
    }
    let (locality, postal_code, country) = [
        ("Walldorf", "69190", "DE"),
        ("Berlin", "10115", "DE"),
        ("Newtown Square", "19073", "US"),
        ("Paris", "75002", "FR"),
    ][(position + k as usize) % 4];
    address.insert(
        "streetAddress".into(),
        format!("{} Main Street", 1 + (position * 7 + k as usize) % 250).into(),
    );
    address.insert("locality".into(), locality.into());
    address.insert("postalCode".into(), postal_code.into());
    address.insert("country".into(), country.into());
    if k == 0 {
        address.insert("primary".into(), true.into());
    }
    Value::Object(address)
}

/// Phone number `k` of the user at `position`.
fn phone(position: usize, k: u32) -> String {
    format!("+49 6227 {:07}", (position * 2 + k as usize) % 10_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(count: usize) -> (Generated, Vec<Value>, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("users.ndjson");
        let now: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
        let generated = write(&file, count, 1, now).unwrap();
        let bytes = std::fs::read(&file).unwrap();
        let users = bytes
            .split(|&b| b == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| serde_json::from_slice(line).unwrap())
            .collect();
        (generated, users, bytes)
    }

    #[test]
    fn the_file_holds_every_user_as_served_and_is_the_same_every_time() {
        let (generated, users, bytes) = generate(400);
        assert_eq!((generated.users, users.len()), (400, 400));
        assert_eq!(generated.bytes, bytes.len() as u64);
        for user in &users {
            assert!(user["id"].is_string() && user["meta"]["version"].is_string());
            assert!(user[SAP_USER]["userId"].is_string(), "{user}");
        }
        assert_eq!(generate(400).2, bytes, "deterministic");
    }

    #[test]
    fn the_variations_reach_the_users_in_the_counted_numbers() {
        let (generated, users, _) = generate(2_000);
        let count = |test: &dyn Fn(&Value) -> bool| users.iter().filter(|u| test(u)).count();
        let first_email = |u: &Value| u["emails"][0]["value"].as_str().map(str::to_string);
        assert_eq!(
            count(&|u| u.get("emails").is_none()),
            generated.without_email
        );
        let invalid = count(&|u| {
            first_email(u).is_some_and(|e| {
                e.contains(' ') || !e.contains('@') || !e.split('@').nth(1).unwrap().contains('.')
            })
        });
        assert_eq!(invalid, generated.invalid_email);
        assert_eq!(
            count(&|u| u["emails"].as_array().is_some_and(|e| e.len() == 2)),
            generated.two_emails
        );
        assert_eq!(
            count(&|u| u.get("phoneNumbers").is_some()),
            generated.with_phones
        );
        assert_eq!(
            count(&|u| u[ENTERPRISE_USER]["manager"]["value"].is_string()),
            generated.with_manager
        );
        let addresses: Vec<&Value> = users
            .iter()
            .filter_map(|u| u["addresses"].as_array())
            .flatten()
            .collect();
        assert_eq!(addresses.len(), generated.addresses.iter().sum::<usize>());
        for (kind, label) in ["work", "home", "other"].iter().enumerate() {
            let n = addresses.iter().filter(|a| a["type"] == *label).count();
            assert_eq!(n, generated.addresses[kind], "{label}");
        }
        // Between 1 and 3 % skipped, every kind of variation present.
        let skips = generated.expected_skips();
        assert!((20..=60).contains(&skips), "{skips} of 2000");
        assert!(generated.two_emails > 300 && generated.with_manager > 200);
        assert!(generated.addresses.iter().all(|&n| n > 200));
    }
}
