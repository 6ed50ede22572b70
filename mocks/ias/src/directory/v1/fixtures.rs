//! What the v1 unit tests share: a directory at a fixed URL and time, SAP's example user, list
//! queries, and a short way to create a user and read an error.

use jiff::Timestamp;
use sapland_core::scim::ScimError;
use serde_json::{Value, json};

use crate::directory::{Directory, ListQuery, Uniqueness};

/// The tenant URL of the test directory.
pub(super) const URL: &str = "https://target.example";

/// The time every test write happens at.
pub(super) fn now() -> Timestamp {
    "2026-11-22T09:00:00Z".parse().expect("a timestamp")
}

/// An empty directory with the default uniqueness rules.
pub(super) fn directory() -> Directory {
    Directory::new(URL, Uniqueness::default(), 7)
}

/// SAP's create example, shortened ([DOC] create user).
pub(super) fn smith() -> Value {
    json!({
        "userName": "johnsmith",
        "name": {"givenName": "John", "familyName": "Smith", "honorificPrefix": "Mr."},
        "emails": [{"value": "john.smith@sap-test.de"}],
        "addresses": [{"type": "work", "locality": "Hollywood", "country": "US"}],
        "timeZone": "Europe/Berlin",
        "company": "SFSF",
        "department": "Administration",
        "industryCrm": "Consumer Products",
        "contactPreferenceEmail": "yes",
        "sendMail": "false",
        "mailVerified": "true",
        "passwordStatus": "disabled",
        "sourceSystem": "39",
        "corporateGroups": [{"value": "admin"}],
        "urn:sap:cloud:scim:schemas:extension:custom:2.0:User": {
            "attributes": [{"name": "customAttribute1", "value": "Home Address2"}]
        }
    })
}

/// A list query from `(parameter, value)` pairs.
pub(super) fn query(pairs: &[(&str, &str)]) -> ListQuery {
    let mut query = ListQuery::default();
    for (key, value) in pairs {
        let value = Some((*value).to_string());
        match *key {
            "filter" => query.filter = value,
            "count" => query.count = value,
            "startIndex" => query.start_index = value,
            "startId" => query.start_id = value,
            other => panic!("no parameter {other}"),
        }
    }
    query
}

/// Creates a user through v1 and answers its user id.
pub(super) fn create(directory: &mut Directory, name: &str, email: &str) -> String {
    let body =
        json!({"userName": name, "name": {"familyName": name}, "emails": [{"value": email}]});
    let user = directory.v1_create_user(body, now()).expect("created");
    user["id"].as_str().expect("an id").to_string()
}

/// An error's HTTP status and detail.
pub(super) fn status_and_detail(error: &ScimError) -> (u16, String) {
    (
        error.status_code().expect("a status"),
        error.detail.clone().unwrap_or_default(),
    )
}
