//! The v2→v1 view mapping: a stored v2 user or group as SCIM v1 shows it, computed on every
//! read by SAP's attribute mapping (reference/ips-ias.md §3.4 [DOC]).

use sapland_core::scim::schemas::{
    CORE_GROUP, CORE_USER, CUSTOM_GROUP, CUSTOM_USER, ENTERPRISE_USER, SAP_USER,
};
use serde_json::{Map, Value, json};

use super::ids::{legacy_id_of, user_id_of};
use super::paths::{at, list};
use crate::directory::{Directory, member};

/// The most members one v1 group read shows ([DOC] groups search).
const MEMBERS_PER_READ: usize = 100;

/// The sub-attributes of a v1 name ([DOC] plus the SCIM ones v2 stores).
pub(super) const NAME_PARTS: &[&str] = &[
    "honorificPrefix",
    "givenName",
    "familyName",
    "middleName",
    "honorificSuffix",
    "formatted",
];

/// The sub-attributes of a v1 address ([DOC]).
pub(super) const ADDRESS_PARTS: &[&str] = &[
    "type",
    "streetAddress",
    "locality",
    "region",
    "postalCode",
    "country",
    "formatted",
];

impl Directory {
    /// The v1 representation of a stored user ([DOC] user resource; mapping §3.4).
    pub(super) fn v1_user_view(&self, uuid: &str) -> Option<Value> {
        let user = &self.stored(uuid)?;
        let id = user_id_of(user)?;
        let sap = |path: &[&str]| member(user, SAP_USER).and_then(|s| at(s, path));
        let enterprise = member(user, ENTERPRISE_USER).and_then(Value::as_object);
        let custom = member(user, CUSTOM_USER).filter(|c| c.is_object());
        let mut out = Map::new();
        let mut schemas = vec![Value::from(CORE_USER)];
        if enterprise.is_some() {
            schemas.push(ENTERPRISE_USER.into());
        }
        if custom.is_some() {
            schemas.push(CUSTOM_USER.into());
        }
        out.insert("schemas".into(), Value::Array(schemas));
        out.insert("id".into(), id.into());
        out.insert("userUuid".into(), uuid.into());
        out.insert(
            "meta".into(),
            json!({
                "created": at(user, &["meta", "created"]).cloned().unwrap_or(Value::Null),
                "lastModified": at(user, &["meta", "lastModified"]).cloned().unwrap_or(Value::Null),
                "location": format!("{}/service/scim/Users/{id}", self.base_url),
                "resourceType": "User",
                "version": "1.0",
            }),
        );
        for key in ["userName", "displayName", "userType", "locale"] {
            put(&mut out, key, member(user, key));
        }
        if let Some(Value::Object(name)) = member(user, "name") {
            let parts: Map<String, Value> = name
                .iter()
                .filter(|(k, v)| NAME_PARTS.contains(&k.as_str()) && !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !parts.is_empty() {
                out.insert("name".into(), Value::Object(parts));
            }
        }
        let emails: Vec<Value> = list(user, "emails")
            .filter_map(|e| member(e, "value").cloned())
            .map(|value| json!({ "value": value }))
            .collect();
        if !emails.is_empty() {
            out.insert("emails".into(), Value::Array(emails));
        }
        put_list(&mut out, user, "addresses", ADDRESS_PARTS);
        put_list(&mut out, user, "phoneNumbers", &["type", "value"]);
        put(&mut out, "timeZone", member(user, "timezone"));
        if sap(&["status"]).and_then(Value::as_str) != Some("new") {
            put(&mut out, "active", member(user, "active"));
        }
        put(&mut out, "sourceSystem", sap(&["sourceSystem"]));
        put(&mut out, "sourceSystemId", sap(&["sourceSystemId"]));
        put(
            &mut out,
            "contactPreferenceEmail",
            sap(&["contactPreferences", "email"]),
        );
        put(
            &mut out,
            "contactPreferenceTelephone",
            sap(&["contactPreferences", "telephone"]),
        );
        put(&mut out, "industryCrm", sap(&["industry"]));
        put(
            &mut out,
            "company",
            enterprise.and_then(|e| e.get("organization")),
        );
        put(
            &mut out,
            "companyRelationship",
            sap(&["companyRelationship"]),
        );
        put(
            &mut out,
            "department",
            enterprise.and_then(|e| e.get("department")),
        );
        let groups: Vec<Value> = self
            .memberships
            .get(uuid)
            .into_iter()
            .flatten()
            .filter_map(|group_id| {
                let group = self.groups.get(group_id)?;
                let legacy = legacy_id_of(group)?;
                Some(json!({
                    "value": legacy,
                    "display": member(group, "displayName").cloned().unwrap_or(Value::Null),
                    "$ref": format!("{}/service/scim/Groups/{legacy}", self.base_url),
                }))
            })
            .collect();
        if !groups.is_empty() {
            out.insert("groups".into(), Value::Array(groups));
        }
        put(&mut out, "corporateGroups", sap(&["corporateGroups"]));
        let verified = sap(&["mailVerified"]).and_then(Value::as_bool) == Some(true);
        out.insert("mailVerified".into(), verified.to_string().into());
        if let Some(Value::Array(phones)) = sap(&["phoneNumbers"])
            && !phones.is_empty()
        {
            let verified = phones
                .iter()
                .any(|p| member(p, "verified").and_then(Value::as_bool) == Some(true));
            out.insert("telephoneVerified".into(), verified.to_string().into());
        }
        for (key, path) in [
            ("passwordStatus", &["passwordDetails", "status"][..]),
            ("passwordPolicy", &["passwordDetails", "policy"]),
            (
                "passwordFailedLoginAttempts",
                &["passwordDetails", "failedLoginAttempts"],
            ),
            ("passwordLoginTime", &["passwordDetails", "loginTime"]),
            ("passwordSetTime", &["passwordDetails", "setTime"]),
            ("loginTime", &["loginTime"]),
            ("socialIdentities", &["socialIdentities"]),
        ] {
            put(&mut out, key, sap(path));
        }
        if let Some(enterprise) = enterprise {
            let mut view = enterprise.clone();
            if let Some(manager) = self.v1_manager_view(enterprise.get("manager")) {
                view.insert("manager".into(), manager);
            }
            out.insert(ENTERPRISE_USER.into(), Value::Object(view));
        }
        if let Some(custom) = custom {
            out.insert(CUSTOM_USER.into(), custom.clone());
        }
        Some(Value::Object(out))
    }

    /// A manager reference in v1 terms: user id, v1 `$ref` and the manager's display name.
    fn v1_manager_view(&self, manager: Option<&Value>) -> Option<Value> {
        let uuid = manager.and_then(|m| member(m, "value"))?.as_str()?;
        let user = &self.stored(uuid)?;
        let id = user_id_of(user)?;
        let mut view = json!({
            "value": id,
            "$ref": format!("{}/service/scim/Users/{id}", self.base_url),
        });
        if let Some(name) = display_of(user) {
            view["displayName"] = name.into();
        }
        Some(view)
    }

    /// The v1 representation of a stored group, with at most 100 members ([DOC]).
    pub(super) fn v1_group_view(&self, uuid: &str) -> Option<Value> {
        let group = self.groups.get(uuid)?;
        let id = legacy_id_of(group)?;
        let custom = member(group, CUSTOM_GROUP);
        let mut extension = Map::new();
        for key in ["name", "description"] {
            put(&mut extension, key, custom.and_then(|c| member(c, key)));
        }
        extension.insert("groupId".into(), uuid.into());
        let members: Vec<Value> = list(group, "members")
            .filter_map(|m| member(m, "value").and_then(Value::as_str))
            .filter_map(|member_id| self.v1_member_view(member_id))
            .take(MEMBERS_PER_READ)
            .collect();
        let mut out = json!({
            "schemas": [CORE_GROUP, CUSTOM_GROUP],
            "id": id,
            "displayName": member(group, "displayName").cloned().unwrap_or(Value::Null),
            CUSTOM_GROUP: extension,
            "meta": {
                "created": at(group, &["meta", "created"]).cloned().unwrap_or(Value::Null),
                "lastModified": at(group, &["meta", "lastModified"]).cloned().unwrap_or(Value::Null),
                "location": format!("{}/service/scim/Groups/{id}", self.base_url),
                "resourceType": "Group",
                "version": "1.0",
            },
        });
        if !members.is_empty() {
            out["members"] = Value::Array(members);
        }
        Some(out)
    }

    /// A group member in v1 terms: a user by user id, a nested group by its v1 id.
    fn v1_member_view(&self, member_id: &str) -> Option<Value> {
        if let Some(user) = &self.stored(member_id) {
            let id = user_id_of(user)?;
            let mut view = json!({
                "value": id,
                "$ref": format!("{}/service/scim/Users/{id}", self.base_url),
            });
            if let Some(name) = display_of(user) {
                view["display"] = name.into();
            }
            return Some(view);
        }
        let group = self.groups.get(member_id)?;
        let id = legacy_id_of(group)?;
        Some(json!({
            "value": id,
            "$ref": format!("{}/service/scim/Groups/{id}", self.base_url),
            "display": member(group, "displayName").cloned().unwrap_or(Value::Null),
        }))
    }
}

/// How a user is shown as a group member or manager.
fn display_of(user: &Value) -> Option<String> {
    if let Some(name) = member(user, "displayName").and_then(Value::as_str) {
        return Some(name.to_string());
    }
    let parts: Vec<&str> = ["givenName", "familyName"]
        .iter()
        .filter_map(|part| at(user, &["name", part]).and_then(Value::as_str))
        .collect();
    if !parts.is_empty() {
        return Some(parts.join(" "));
    }
    member(user, "userName")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Copies a member that is present and not `null`.
fn put(out: &mut Map<String, Value>, key: &str, value: Option<&Value>) {
    if let Some(value) = value.filter(|v| !v.is_null()) {
        out.insert(key.to_string(), value.clone());
    }
}

/// Copies a multi-valued attribute with only the sub-attributes v1 shows.
fn put_list(out: &mut Map<String, Value>, user: &Value, attribute: &str, parts: &[&str]) {
    let entries: Vec<Value> = list(user, attribute)
        .filter_map(Value::as_object)
        .map(|entry| {
            Value::Object(
                entry
                    .iter()
                    .filter(|(k, v)| parts.contains(&k.as_str()) && !v.is_null())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        })
        .collect();
    if !entries.is_empty() {
        out.insert(attribute.to_string(), Value::Array(entries));
    }
}

#[cfg(test)]
mod tests {
    use sapland_core::scim::schemas::{CORE_USER, CUSTOM_GROUP};
    use serde_json::{Value, json};

    use crate::directory::v1::fixtures::{create, directory, now, query, status_and_detail};

    #[test]
    fn a_v2_user_is_read_and_found_in_v1() {
        let mut directory = directory();
        let v2 = directory
            .create_user(
                json!({
                    "schemas": [CORE_USER],
                    "userName": "ben",
                    "name": {"familyName": "Baker"},
                    "emails": [{"value": "ben@example.com", "primary": true}],
                    "active": true,
                }),
                now(),
            )
            .expect("created in v2");
        let user = directory.v1_user("P000001").expect("visible in v1");
        assert_eq!(user["userUuid"], v2["id"]);
        assert_eq!(user["userName"], "ben");
        assert_eq!(user["emails"], json!([{"value": "ben@example.com"}]));
        assert_eq!(user["active"], true);
        assert_eq!(user["mailVerified"], "false");
        let list = directory
            .v1_list_users(&query(&[("filter", "userName eq \"BEN\"")]))
            .expect("listed");
        assert_eq!(list["totalResults"], 1);
        assert_eq!(list["Resources"][0]["id"], "P000001");
        let missing = directory.v1_user("P000002").expect_err("no such user");
        assert_eq!(
            status_and_detail(&missing),
            (404, "User P000002 not found".into())
        );
    }

    #[test]
    fn a_group_read_shows_at_most_one_hundred_members() {
        let mut directory = directory();
        let members: Vec<Value> = (0..105)
            .map(|i| json!({"value": create(&mut directory, &format!("u{i}"), &format!("u{i}@example.com"))}))
            .collect();
        let group = directory
            .v1_create_group(
                json!({"displayName": "Everyone", "members": members}),
                now(),
            )
            .expect("created");
        assert_eq!(group["members"].as_array().map(Vec::len), Some(100));
        let uuid = group[CUSTOM_GROUP]["groupId"].as_str().expect("a uuid");
        let v2 = directory.group(uuid).expect("v2");
        assert_eq!(v2["members"].as_array().map(Vec::len), Some(105));
    }
}
