//! Fingerprints of what was written to a target, so that a Read job writes only entities whose
//! content changed (`reference/ips-ias.md` §2.3: the mechanism is not documented; **proposed**:
//! a 64-bit FNV-1a hash of what the target received, with object members in sorted order so
//! that member order does not count as a change).
//!
//! A fingerprint remembers which transformation wrote it: an update's is the bare hash, a
//! create's carries [`CREATED`] in front, because a create also writes the `createEntity`
//! mappings. The next Read compares like with like — a create's fingerprint with the create
//! transformation of the entity as it is now — so that a create needs one transformation, not
//! a second one for the update it did not send.

use serde_json::Value;

const OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01B3;

/// The fingerprint of a JSON value as 16 hex digits.
///
/// ```
/// use sapland_provision::fingerprint::fingerprint;
/// use serde_json::json;
///
/// let a = fingerprint(&json!({"userName": "a", "active": true}));
/// assert_eq!(a, fingerprint(&json!({"active": true, "userName": "a"})));
/// assert_ne!(a, fingerprint(&json!({"userName": "a", "active": false})));
/// assert_eq!(a.len(), 16);
/// ```
pub fn fingerprint(value: &Value) -> String {
    let mut hash = Fnv(OFFSET);
    hash.value(value);
    format!("{:016x}", hash.0)
}

/// What a create's fingerprint starts with.
pub const CREATED: &str = "created:";

/// The fingerprint of a create's body: [`CREATED`] and the body's [`fingerprint`].
///
/// ```
/// use sapland_provision::fingerprint::{created, fingerprint, of_create};
/// use serde_json::json;
///
/// let body = json!({"userName": "a"});
/// let print = created(&body);
/// assert_eq!(of_create(&print), Some(fingerprint(&body).as_str()));
/// assert_eq!(of_create(&fingerprint(&body)), None);
/// ```
pub fn created(body: &Value) -> String {
    format!("{CREATED}{}", fingerprint(body))
}

/// The body's fingerprint in a create's fingerprint; `None` for an update's.
pub fn of_create(stored: &str) -> Option<&str> {
    stored.strip_prefix(CREATED)
}

struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }

    /// A tag byte per kind and lengths before contents keep `["ab"]` apart from `["a","b"]`.
    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.bytes(b"n"),
            Value::Bool(flag) => self.bytes(if *flag { b"t" } else { b"f" }),
            Value::Number(number) => {
                self.bytes(b"#");
                self.text(&number.to_string());
            }
            Value::String(text) => {
                self.bytes(b"s");
                self.text(text);
            }
            Value::Array(items) => {
                self.bytes(b"[");
                self.bytes(&(items.len() as u64).to_le_bytes());
                items.iter().for_each(|item| self.value(item));
            }
            Value::Object(members) => {
                self.bytes(b"{");
                self.bytes(&(members.len() as u64).to_le_bytes());
                let mut keys: Vec<&String> = members.keys().collect();
                keys.sort_unstable();
                for key in keys {
                    self.text(key);
                    self.value(&members[key]);
                }
            }
        }
    }

    fn text(&mut self, text: &str) {
        self.bytes(&(text.len() as u64).to_le_bytes());
        self.bytes(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn kinds_and_boundaries_are_told_apart() {
        let distinct = [
            json!(null),
            json!(false),
            json!(true),
            json!(0),
            json!("0"),
            json!(["ab"]),
            json!(["a", "b"]),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!([]),
            json!({}),
        ];
        let prints: Vec<String> = distinct.iter().map(fingerprint).collect();
        for (i, a) in prints.iter().enumerate() {
            for b in &prints[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn the_fingerprint_is_stable_across_runs() {
        // A fixed value: changing the algorithm would make every Read job rewrite everything.
        assert_eq!(fingerprint(&json!({"userName": "a"})), "3220999406b932a0");
    }
}
