//! The v1→v2 conversion of user writes: a v1 create or update body checked attribute by
//! attribute and written into the v2 user it becomes, which then goes through the v2 rules.

use sapland_core::scim::ScimError;
use sapland_core::scim::schemas::{CORE_USER, CUSTOM_USER, ENTERPRISE_USER, SAP_USER};
use serde_json::{Map, Value, json};

use super::errors::bad_value;
use super::paths::{at_map, set_at};
use super::user_attributes::{
    apply_corporate_groups, apply_custom, apply_emails, apply_list, apply_name, check_acceptances,
    check_newsletters, same_as_extension, sync_phone_view,
};
use super::values::{bounded, check_schemas, flag, integer, set_text, text};
use super::views::ADDRESS_PARTS;
use crate::directory::Directory;

/// `userType` values ([DOC]).
const USER_TYPES: &[&str] = &["public", "partner", "customer", "employee"];

/// `userType` values that overwrite `companyRelationship` ([DOC] create user).
const RELATIONSHIP_TYPES: &[&str] = &["partner", "customer", "employee"];

/// `passwordStatus` values ([DOC]).
const PASSWORD_STATUSES: &[&str] = &["importedPassword", "initial", "enabled", "disabled"];

/// User attributes a client may send back but not change.
const READ_ONLY_USER: &[&str] = &[
    "meta",
    "userUuid",
    "groups",
    "loginTime",
    "passwordLoginTime",
    "passwordSetTime",
    "socialIdentities",
];

/// The enterprise extension's simple attributes.
const ENTERPRISE_TEXTS: &[&str] = &[
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "department",
];

/// The sub-attributes of a v1 phone number ([DOC]).
const PHONE_PARTS: &[&str] = &["type", "value", "display"];

/// Whether a request creates a resource or updates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// A POST: the resource is new.
    Create,
    /// A PUT: the resource exists.
    Update,
}

impl Directory {
    /// Writes a v1 user body into a v2 user object (empty for a create, the stored user for
    /// an update); checks everything first-hand and names what is wrong.
    pub(super) fn apply_user_body(
        &self,
        user: &mut Map<String, Value>,
        body: &Map<String, Value>,
        mode: Mode,
    ) -> Result<(), ScimError> {
        let mut password = false;
        let mut password_status = None;
        let mut telephone_verified = None;
        for (key, value) in body {
            let key = key.as_str();
            match key {
                "schemas" => check_schemas(value, &[CORE_USER, ENTERPRISE_USER, CUSTOM_USER])?,
                "id" => {}
                _ if READ_ONLY_USER.contains(&key) => {}
                "userName" | "displayName" | "locale" => set_text(user, &[key], key, value)?,
                "timeZone" => set_text(user, &["timezone"], key, value)?,
                "userType" => {
                    if let Some(kind) = text(key, value)?
                        && !USER_TYPES.iter().any(|t| t.eq_ignore_ascii_case(kind))
                    {
                        return Err(bad_value(format!(
                            "userType must be one of public, partner, customer, employee; got {kind:?}"
                        )));
                    }
                    set_text(user, &[key], key, value)?;
                }
                "name" => apply_name(user, value)?,
                "emails" => apply_emails(user, value)?,
                "addresses" => apply_list(user, key, value, ADDRESS_PARTS, &["work", "home"])?,
                "phoneNumbers" => {
                    apply_list(user, key, value, PHONE_PARTS, &["work", "mobile", "fax"])?;
                }
                "active" => match value {
                    Value::Null => {}
                    Value::Bool(active) => {
                        set_at(user, &["active"], Some((*active).into()));
                        let status = if *active { "active" } else { "inactive" };
                        set_at(user, &[SAP_USER, "status"], Some(status.into()));
                    }
                    other => {
                        return Err(bad_value(format!(
                            "active must be true or false as a JSON boolean, got {other}"
                        )));
                    }
                },
                "contactPreferenceEmail" => {
                    set_text(user, &[SAP_USER, "contactPreferences", "email"], key, value)?;
                }
                "contactPreferenceTelephone" => {
                    set_text(
                        user,
                        &[SAP_USER, "contactPreferences", "telephone"],
                        key,
                        value,
                    )?;
                }
                "industryCrm" => set_text(user, &[SAP_USER, "industry"], key, value)?,
                "companyRelationship"
                | "sourceSystemId"
                | "targetUrl"
                | "emailTemplateSetId"
                | "applicationId" => set_text(user, &[SAP_USER, key], key, value)?,
                "company" => set_text(user, &[ENTERPRISE_USER, "organization"], key, value)?,
                "department" => set_text(user, &[ENTERPRISE_USER, "department"], key, value)?,
                "corporateGroups" => apply_corporate_groups(user, value)?,
                "sourceSystem" => {
                    if let Some(code) = integer(key, value)? {
                        if code < 0 {
                            return Err(bad_value(format!(
                                "sourceSystem must be a source system code such as 39 or 100, got {code}"
                            )));
                        }
                        set_at(user, &[SAP_USER, key], Some(code.into()));
                    }
                }
                "mailVerified" => {
                    if let Some(verified) = flag(key, value)? {
                        set_at(user, &[SAP_USER, key], Some(verified.into()));
                    }
                }
                "sendMail" => {
                    if let Some(send) = flag(key, value)?
                        && mode == Mode::Create
                    {
                        set_at(user, &[SAP_USER, key], Some(send.into()));
                    }
                }
                "password" => match value {
                    Value::Null => {}
                    Value::String(secret) if !secret.is_empty() => password = true,
                    _ => {
                        return Err(bad_value("password must be a non-empty string"));
                    }
                },
                "passwordStatus" => {
                    if let Some(status) = text(key, value)? {
                        if !PASSWORD_STATUSES.contains(&status) {
                            return Err(bad_value(format!(
                                "passwordStatus must be one of importedPassword, initial, enabled, disabled; got {status:?}"
                            )));
                        }
                        password_status = Some(status);
                        set_at(
                            user,
                            &[SAP_USER, "passwordDetails", "status"],
                            Some(status.into()),
                        );
                    }
                }
                "passwordPolicy" => {
                    set_text(user, &[SAP_USER, "passwordDetails", "policy"], key, value)?;
                }
                "passwordFailedLoginAttempts" => {
                    if let Some(attempts) = bounded(key, value, 0, 5)? {
                        set_at(
                            user,
                            &[SAP_USER, "passwordDetails", "failedLoginAttempts"],
                            Some(attempts.into()),
                        );
                    }
                }
                "otpFailedLoginAttempts" => {
                    bounded(key, value, 0, 4)?;
                }
                "telephoneVerificationAttempts" => {
                    bounded(key, value, 0, 5)?;
                }
                "telephoneVerified" => telephone_verified = flag(key, value)?,
                "newsletters" => check_newsletters(value)?,
                "termsOfUse" | "privacyPolicy" => check_acceptances(key, value)?,
                ENTERPRISE_USER => self.apply_enterprise(user, value)?,
                CUSTOM_USER => apply_custom(user, value, mode)?,
                other => {
                    return Err(bad_value(format!(
                        "Unknown attribute {other}: the SCIM REST API (v1) has no such user attribute (names are case-sensitive)"
                    )));
                }
            }
        }
        same_as_extension(body, "company", "organization")?;
        same_as_extension(body, "department", "department")?;
        if let Some(status) = password_status
            && matches!(status, "enabled" | "initial")
            && !password
        {
            return Err(bad_value(format!(
                "passwordStatus {status} requires password"
            )));
        }
        if mode == Mode::Create {
            if password && password_status.is_none() {
                set_at(
                    user,
                    &[SAP_USER, "passwordDetails", "status"],
                    Some("initial".into()),
                );
            }
            if body.get("active").is_none_or(Value::is_null) {
                set_at(user, &["active"], None);
                set_at(user, &[SAP_USER, "status"], Some("new".into()));
            }
            let family = at_map(user, &["name", "familyName"]).and_then(Value::as_str);
            if family.is_none_or(|f| f.trim().is_empty()) {
                return Err(bad_value("name.familyName is mandatory"));
            }
        }
        if let Some(kind) = body.get("userType").and_then(Value::as_str)
            && RELATIONSHIP_TYPES
                .iter()
                .any(|t| t.eq_ignore_ascii_case(kind))
        {
            set_at(user, &[SAP_USER, "companyRelationship"], Some(kind.into()));
        }
        if telephone_verified.is_some() || body.contains_key("phoneNumbers") {
            sync_phone_view(user, telephone_verified);
        }
        Ok(())
    }

    /// The enterprise extension of a v1 body, merged member by member; the manager is named
    /// by user id and must exist ([DOC] 400 otherwise).
    fn apply_enterprise(
        &self,
        user: &mut Map<String, Value>,
        value: &Value,
    ) -> Result<(), ScimError> {
        let extension = match value {
            Value::Null => return Ok(()),
            Value::Object(extension) => extension,
            other => {
                return Err(bad_value(format!(
                    "{ENTERPRISE_USER} must be an object, got {other}"
                )));
            }
        };
        for (key, value) in extension {
            let name = format!("{ENTERPRISE_USER}:{key}");
            if ENTERPRISE_TEXTS.contains(&key.as_str()) {
                set_text(user, &[ENTERPRISE_USER, key], &name, value)?;
            } else if key == "manager" {
                self.apply_manager(user, value)?;
            } else {
                return Err(bad_value(format!(
                    "Unknown attribute {name}: the enterprise extension has no such attribute"
                )));
            }
        }
        Ok(())
    }

    fn apply_manager(&self, user: &mut Map<String, Value>, value: &Value) -> Result<(), ScimError> {
        let manager = match value {
            Value::Null => return Ok(()),
            Value::Object(manager) => manager,
            other => {
                return Err(bad_value(format!(
                    "{ENTERPRISE_USER}:manager must be an object with the manager's user id as value, got {other}"
                )));
            }
        };
        if let Some(key) = manager
            .keys()
            .find(|k| !["value", "$ref", "displayName"].contains(&k.as_str()))
        {
            return Err(bad_value(format!(
                "Unknown attribute {ENTERPRISE_USER}:manager.{key}"
            )));
        }
        match manager.get("value") {
            None | Some(Value::Null) => Ok(()),
            Some(Value::String(id)) if id.is_empty() => {
                set_at(user, &[ENTERPRISE_USER, "manager"], None);
                Ok(())
            }
            Some(Value::String(id)) => {
                let uuid = self.v1_user_uuid(id).ok_or_else(|| {
                    bad_value(format!(
                        "The manager {id} does not exist: no user has this id"
                    ))
                })?;
                let reference = json!({
                    "value": uuid,
                    "$ref": format!("{}/scim/Users/{uuid}", self.base_url),
                });
                set_at(user, &[ENTERPRISE_USER, "manager"], Some(reference));
                Ok(())
            }
            Some(other) => Err(bad_value(format!(
                "{ENTERPRISE_USER}:manager.value must be a user id such as P000001, got {other}"
            ))),
        }
    }
}

/// Sets a v2 user's `schemas` to core plus the extensions it holds.
pub(super) fn set_user_schemas(user: &mut Map<String, Value>) {
    let mut schemas = vec![Value::from(CORE_USER)];
    for urn in [ENTERPRISE_USER, SAP_USER, CUSTOM_USER] {
        if user.keys().any(|k| k.eq_ignore_ascii_case(urn)) {
            schemas.push(urn.into());
        }
    }
    user.insert("schemas".into(), Value::Array(schemas));
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use sapland_core::scim::schemas::{CUSTOM_USER, ENTERPRISE_USER, SAP_USER};
    use serde_json::{Value, json};

    use crate::directory::v1::fixtures::{create, directory, now, smith, status_and_detail};

    #[test]
    fn a_created_user_gets_a_p_number_and_is_stored_in_the_v2_shape() {
        let mut directory = directory();
        let user = directory.v1_create_user(smith(), now()).expect("created");
        assert_eq!(user["id"], "P000001");
        assert_eq!(
            user["meta"],
            json!({
                "created": "2026-11-22T09:00:00Z",
                "lastModified": "2026-11-22T09:00:00Z",
                "location": "https://target.example/service/scim/Users/P000001",
                "resourceType": "User",
                "version": "1.0",
            })
        );
        assert_eq!(user["timeZone"], "Europe/Berlin");
        assert_eq!(user["company"], "SFSF");
        assert_eq!(user["mailVerified"], "true");
        assert_eq!(user["sourceSystem"], 39);
        assert_eq!(user["passwordStatus"], "disabled");
        assert_eq!(user["corporateGroups"], json!([{"value": "admin"}]));
        assert!(
            user.get("active").is_none(),
            "no active means status new: {user}"
        );
        let uuid = user["userUuid"].as_str().expect("a userUuid");
        let v2 = directory.user(uuid).expect("visible in v2");
        assert_eq!(v2["id"], json!(uuid));
        assert_eq!(v2["timezone"], "Europe/Berlin");
        assert_eq!(v2["active"], false);
        assert_eq!(
            v2[ENTERPRISE_USER],
            json!({"organization": "SFSF", "department": "Administration"})
        );
        let sap = &v2[SAP_USER];
        assert_eq!(sap["userId"], "P000001");
        assert_eq!(sap["status"], "new");
        assert_eq!(sap["mailVerified"], true);
        assert_eq!(sap["sourceSystem"], 39);
        assert_eq!(sap["industry"], "Consumer Products");
        assert_eq!(sap["contactPreferences"], json!({"email": "yes"}));
        assert_eq!(sap["passwordDetails"], json!({"status": "disabled"}));
        assert_eq!(sap["emails"][0]["verified"], true);
        assert!(sap.get("sendMail").is_none(), "sendMail is create-only");
        assert_eq!(
            v2[CUSTOM_USER]["attributes"],
            json!([{"name": "customAttribute1", "value": "Home Address2"}])
        );
    }

    #[test]
    fn a_password_makes_the_password_status_initial_and_active_sets_the_status() {
        let mut directory = directory();
        let mut body = smith();
        body["password"] = json!("Abcd1234");
        body["active"] = json!(true);
        body.as_object_mut()
            .expect("an object")
            .remove("passwordStatus");
        let user = directory.v1_create_user(body, now()).expect("created");
        assert_eq!(user["passwordStatus"], "initial");
        assert_eq!(user["active"], true);
        assert!(user.get("password").is_none());
        let uuid = user["userUuid"].as_str().expect("a uuid");
        assert_eq!(
            directory.user(uuid).expect("v2")[SAP_USER]["status"],
            "active"
        );
    }

    #[test]
    fn bad_creates_are_refused_precisely_and_change_nothing() {
        let mut directory = directory();
        let cases: Vec<(Value, &str)> = vec![
            (
                json!({"userName": "x", "emails": [{"value": "x@y.z"}]}),
                "name.familyName is mandatory",
            ),
            (
                json!({"name": {"familyName": "A:B"}, "emails": [{"value": "x@y.z"}]}),
                "name.familyName must not contain <, > or :",
            ),
            (
                json!({"name": {"familyName": "X", "middleName": "<b>"}, "emails": [{"value": "x@y.z"}]}),
                "name.middleName must not contain",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "a@y.z"}, {"value": "b@y.z"}]}),
                "supports only one email, got 2",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "nobody"}]}),
                "\"nobody\" is not an email address",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "sendMail": "yes"}),
                "sendMail must be \"true\" or \"false\"",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "active": "true"}),
                "active must be true or false as a JSON boolean",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "userType": "robot"}),
                "userType must be one of",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "passwordStatus": "enabled"}),
                "passwordStatus enabled requires password",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "username": "x"}),
                "Unknown attribute username",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "passwordFailedLoginAttempts": 6}),
                "from 0 to 5, got 6",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "company": "A", ENTERPRISE_USER: {"organization": "B"}}),
                "differ",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], ENTERPRISE_USER: {"manager": {"value": "P999913"}}}),
                "The manager P999913 does not exist",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], CUSTOM_USER: {"attributes": [{"name": "customAttribute11", "value": "v"}]}}),
                "customAttribute1 … customAttribute10",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "schemas": [SAP_USER]}),
                "Unknown schema",
            ),
            (
                json!({"name": {"familyName": "X"}, "emails": [{"value": "x@y.z"}], "termsOfUse": [{"timeOfAcceptance": "2015-08-21 11:19"}]}),
                "yyyy-MM-ddTHH:mm:ssZ",
            ),
            (json!(["not", "an", "object"]), "must be a JSON object"),
        ];
        for (body, expected) in cases {
            let error = directory
                .v1_create_user(body.clone(), now())
                .expect_err("refused");
            let (status, detail) = status_and_detail(&error);
            assert_eq!(status, 400, "{body}");
            assert!(
                detail.contains(expected),
                "{expected:?} not in {detail:?} for {body}"
            );
        }
        assert_eq!(directory.user_count(), 0);
        assert_eq!(create(&mut directory, "amy", "amy@example.com"), "P000001");
    }

    #[test]
    fn put_changes_only_the_attributes_sent() {
        let mut directory = directory();
        let id = directory.v1_create_user(smith(), now()).expect("created")["id"]
            .as_str()
            .expect("an id")
            .to_string();
        let later: Timestamp = "2026-11-22T10:00:00Z".parse().expect("a timestamp");
        let body = json!({
            "id": id,
            "displayName": "John Smith",
            "name": {"givenName": "Johnny"},
            "urn:sap:cloud:scim:schemas:extension:custom:2.0:User": {
                "attributes": [{"name": "customAttribute1", "value": ""}, {"name": "customAttribute2", "value": "v2"}]
            }
        });
        let user = directory.v1_update_user(&id, body, later).expect("updated");
        assert_eq!(user["displayName"], "John Smith");
        assert_eq!(
            user["name"],
            json!({"givenName": "Johnny", "familyName": "Smith", "honorificPrefix": "Mr."})
        );
        assert_eq!(user["company"], "SFSF", "not sent, so unchanged");
        assert_eq!(user["timeZone"], "Europe/Berlin");
        assert_eq!(
            user["corporateGroups"],
            json!([{"value": "admin"}]),
            "absent keeps"
        );
        assert_eq!(
            user[CUSTOM_USER]["attributes"],
            json!([{"name": "customAttribute2", "value": "v2"}]),
            "an empty value deletes, a new one is added"
        );
        assert_eq!(user["meta"]["lastModified"], "2026-11-22T10:00:00Z");
        assert_eq!(user["meta"]["created"], "2026-11-22T09:00:00Z");
        assert!(
            user.get("active").is_none(),
            "active absent keeps status new"
        );

        let user = directory
            .v1_update_user(
                &id,
                json!({"id": id, "corporateGroups": [], "active": true}),
                later,
            )
            .expect("updated");
        assert!(
            user.get("corporateGroups").is_none(),
            "empty deletes: {user}"
        );
        assert_eq!(user["active"], true);
        let user = directory
            .v1_update_user(
                &id,
                json!({"id": id, CUSTOM_USER: {"attributes": []}}),
                later,
            )
            .expect("updated");
        assert!(
            user.get(CUSTOM_USER).is_none(),
            "an empty list deletes all: {user}"
        );
    }

    #[test]
    fn the_manager_is_named_by_user_id_and_stored_by_uuid() {
        let mut directory = directory();
        let boss = create(&mut directory, "boss", "boss@example.com");
        let boss_uuid = directory.v1_user(&boss).expect("boss")["userUuid"].clone();
        let mut body = smith();
        body[ENTERPRISE_USER] = json!({"manager": {"value": boss, "displayName": "ignored"}});
        body.as_object_mut().expect("an object").remove("company");
        body.as_object_mut()
            .expect("an object")
            .remove("department");
        let user = directory.v1_create_user(body, now()).expect("created");
        assert_eq!(
            user[ENTERPRISE_USER]["manager"],
            json!({"value": "P000001", "$ref": "https://target.example/service/scim/Users/P000001", "displayName": "boss"})
        );
        let v2 = directory
            .user(user["userUuid"].as_str().expect("uuid"))
            .expect("v2");
        assert_eq!(v2[ENTERPRISE_USER]["manager"]["value"], boss_uuid);
    }
}
