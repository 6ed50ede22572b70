//! The v1 operations the routes call: list, read, create, update or replace, and delete users
//! and groups, each a view in and out of the v2 store.

use jiff::Timestamp;
use sapland_core::scim::ScimError;
use sapland_core::scim::schemas::{CORE_GROUP, CORE_USER};
use serde_json::{Map, Value};

use super::errors::{bad_value, group_not_found, invalid_filter};
use super::filter::filter_terms;
use super::group_write::set_group_schemas;
use super::ids::{id_order, legacy_id_of, user_id_of};
use super::paging::Paging;
use super::user_write::{Mode, set_user_schemas};
use super::values::{body_id_matches, body_object};
use crate::directory::users::user_not_found;
use crate::directory::{Directory, ListQuery, Projection};

/// The most groups a tenant may hold ([DOC]).
const MAX_GROUPS_PER_TENANT: usize = 10_000;

/// The message code of a group PUT whose body names another group ([DOC] update group).
pub(super) const MISMATCHED_GROUP_ID: &str = "Mismatched group id";

impl Directory {
    /// `GET /service/scim/Users`: filter with `eq` and `and` on the documented attributes,
    /// index paging (`startIndex`, `count`) or id paging (`startId`, `nextId`, `end`);
    /// `count` defaults to 100 and is at most 100 ([DOC] §3.3).
    pub fn v1_list_users(&self, query: &ListQuery) -> Result<Value, ScimError> {
        let terms = match query.filter.as_deref().filter(|f| !f.trim().is_empty()) {
            Some(text) => filter_terms(text)?,
            None => Vec::new(),
        };
        let paging = Paging::parse(query, "user")?;
        let projection = Projection::parse(query, CORE_USER)?;
        let owned: Vec<(String, &str)> = self
            .v1_candidates(&terms)
            .into_iter()
            .filter(|uuid| terms.iter().all(|term| self.term_matches(uuid, term)))
            .filter_map(|uuid| Some((user_id_of(&self.stored(uuid)?)?.to_string(), uuid)))
            .collect();
        let mut found: Vec<(&str, &str)> = owned
            .iter()
            .map(|(id, uuid)| (id.as_str(), *uuid))
            .collect();
        found.sort_by(|a, b| id_order(a.0, b.0));
        Ok(paging.render(&found, |uuid| {
            self.v1_user_view(uuid).map(|u| projection.apply(u))
        }))
    }

    /// `GET /service/scim/Users/{id}` with a user id such as `P000001`.
    pub fn v1_user(&self, id: &str) -> Result<Value, ScimError> {
        self.v1_user_uuid(id)
            .and_then(|uuid| self.v1_user_view(uuid))
            .ok_or_else(|| user_not_found(id))
    }

    /// `POST /service/scim/Users`: `name.familyName` is mandatory, one email at most, status
    /// *new* without `active`; answers the created user with its `P` user id ([DOC] §3.3).
    pub fn v1_create_user(&mut self, body: Value, now: Timestamp) -> Result<Value, ScimError> {
        let body = body_object(body)?;
        let mut user = Map::new();
        self.apply_user_body(&mut user, &body, Mode::Create)?;
        set_user_schemas(&mut user);
        let created = self.create_user(Value::Object(user), now)?;
        let uuid = created
            .get("id")
            .and_then(Value::as_str)
            .expect("a created user has an id");
        Ok(self.v1_user_view(uuid).expect("just created"))
    }

    /// `PUT /service/scim/Users/{id}`: the body's `id` must be the path's; only the attributes
    /// sent change, the others remain ([DOC] update user).
    pub fn v1_update_user(
        &mut self,
        id: &str,
        body: Value,
        now: Timestamp,
    ) -> Result<Value, ScimError> {
        let uuid = self
            .v1_user_uuid(id)
            .ok_or_else(|| user_not_found(id))?
            .to_string();
        let body = body_object(body)?;
        body_id_matches(
            &body,
            id,
            || format!("id is required in the body and must be the user id of the path, {id}"),
            |sent| format!("The id {sent} in the body does not match the user {id}"),
        )?;
        let mut user = self
            .stored(&uuid)
            .and_then(|u| u.as_object().cloned())
            .ok_or_else(|| user_not_found(&uuid))?;
        self.apply_user_body(&mut user, &body, Mode::Update)?;
        set_user_schemas(&mut user);
        self.replace_user(&uuid, Value::Object(user), now)?;
        Ok(self.v1_user_view(&uuid).expect("just stored"))
    }

    /// `DELETE /service/scim/Users/{id}`: removes the user and its group memberships.
    pub fn v1_delete_user(&mut self, id: &str) -> Result<(), ScimError> {
        let uuid = self
            .v1_user_uuid(id)
            .ok_or_else(|| user_not_found(id))?
            .to_string();
        self.delete_user(&uuid)
    }

    /// `GET /service/scim/Groups`: at most 100 groups a page, no filter ([DOC] groups search).
    pub fn v1_list_groups(&self, query: &ListQuery) -> Result<Value, ScimError> {
        if query
            .filter
            .as_deref()
            .is_some_and(|f| !f.trim().is_empty())
        {
            return Err(invalid_filter(
                "the SCIM REST API (v1) does not filter groups; search users with groups eq \"<group id>\" instead",
            ));
        }
        let paging = Paging::parse(query, "group")?;
        let projection = Projection::parse(query, CORE_GROUP)?;
        let mut found: Vec<(&str, &str)> = self
            .groups
            .iter()
            .filter_map(|(uuid, group)| Some((legacy_id_of(group)?, uuid.as_str())))
            .collect();
        found.sort_by(|a, b| id_order(a.0, b.0));
        Ok(paging.render(&found, |uuid| {
            self.v1_group_view(uuid).map(|g| projection.apply(g))
        }))
    }

    /// `GET /service/scim/Groups/{id}` with a 24-character group id; at most 100 members.
    pub fn v1_group(&self, id: &str) -> Result<Value, ScimError> {
        self.v1_group_uuid(id)
            .and_then(|uuid| self.v1_group_view(uuid))
            .ok_or_else(|| group_not_found(id))
    }

    /// `POST /service/scim/Groups`: `displayName` required; the custom `name` defaults to it
    /// and is unique (409); members are user ids ([DOC] create group).
    pub fn v1_create_group(&mut self, body: Value, now: Timestamp) -> Result<Value, ScimError> {
        let body = body_object(body)?;
        if self.groups.len() >= MAX_GROUPS_PER_TENANT {
            return Err(bad_value(format!(
                "The tenant already holds {MAX_GROUPS_PER_TENANT} groups, the most it can hold"
            )));
        }
        let mut group = Map::new();
        self.apply_group_body(&mut group, &body, None)?;
        set_group_schemas(&mut group);
        let created = self.create_group(Value::Object(group), now)?;
        let uuid = created
            .get("id")
            .and_then(Value::as_str)
            .expect("a created group has an id");
        Ok(self.v1_group_view(uuid).expect("just created"))
    }

    /// `PUT /service/scim/Groups/{id}`: the body's `id` must be the path's, else 400
    /// `Mismatched group id`; `members` replaces all members, absent removes them all
    /// ([DOC] update group).
    pub fn v1_replace_group(
        &mut self,
        id: &str,
        body: Value,
        now: Timestamp,
    ) -> Result<Value, ScimError> {
        let uuid = self
            .v1_group_uuid(id)
            .ok_or_else(|| group_not_found(id))?
            .to_string();
        let body = body_object(body)?;
        body_id_matches(
            &body,
            id,
            || {
                format!(
                    "{MISMATCHED_GROUP_ID}: the body has no id; it must be the group id of the path, {id}"
                )
            },
            |sent| format!("{MISMATCHED_GROUP_ID}: the body names the group {sent}, the path {id}"),
        )?;
        let mut group = self.groups[&uuid]
            .as_object()
            .cloned()
            .expect("stored groups are objects");
        self.apply_group_body(&mut group, &body, Some(&uuid))?;
        set_group_schemas(&mut group);
        self.replace_group(&uuid, Value::Object(group), now)?;
        Ok(self.v1_group_view(&uuid).expect("just stored"))
    }

    /// `DELETE /service/scim/Groups/{id}`: removes the group and all its assignments.
    pub fn v1_delete_group(&mut self, id: &str) -> Result<(), ScimError> {
        let uuid = self
            .v1_group_uuid(id)
            .ok_or_else(|| group_not_found(id))?
            .to_string();
        self.delete_group(&uuid)
    }
}

#[cfg(test)]
mod tests {
    use sapland_core::scim::ScimType;
    use serde_json::json;

    use crate::directory::v1::fixtures::{create, directory, now, query, status_and_detail};

    #[test]
    fn uniqueness_is_the_v2_rule() {
        let mut directory = directory();
        create(&mut directory, "amy", "amy@example.com");
        let body = json!({"userName": "AMY", "name": {"familyName": "A"}, "emails": [{"value": "other@example.com"}]});
        let error = directory.v1_create_user(body, now()).expect_err("taken");
        assert_eq!(error.status_code(), Some(409));
        assert_eq!(directory.user_count(), 1);
    }

    #[test]
    fn put_needs_the_path_id_and_leaves_the_user_alone_when_refused() {
        let mut directory = directory();
        let id = create(&mut directory, "amy", "amy@example.com");
        let before = directory.v1_user(&id).expect("read");
        let cases = [
            (
                json!({"displayName": "A"}),
                400,
                "id is required in the body",
            ),
            (
                json!({"id": "P000009", "displayName": "A"}),
                400,
                "The id P000009 in the body does not match the user P000001",
            ),
            (
                json!({"id": id, "name": {"familyName": ""}}),
                400,
                "name.familyName is mandatory",
            ),
            (
                json!({"id": id, "passwordStatus": "initial"}),
                400,
                "passwordStatus initial requires password",
            ),
            (
                json!({"id": id, "emails": [{"value": "x@y.z"}, {"value": "z@y.z"}]}),
                400,
                "only one email",
            ),
        ];
        for (body, status, expected) in cases {
            let error = directory
                .v1_update_user(&id, body.clone(), now())
                .expect_err("refused");
            let (got, detail) = status_and_detail(&error);
            assert_eq!(got, status, "{body}");
            assert!(detail.contains(expected), "{expected:?} not in {detail:?}");
        }
        assert_eq!(directory.v1_user(&id).expect("read"), before);
        let error = directory
            .v1_update_user("P000042", json!({"id": "P000042"}), now())
            .expect_err("missing");
        assert_eq!(error.status_code(), Some(404));
    }

    #[test]
    fn deletes_answer_not_found_the_second_time() {
        let mut directory = directory();
        let amy = create(&mut directory, "amy", "amy@example.com");
        let group = directory
            .v1_create_group(
                json!({"displayName": "Devs", "members": [{"value": amy}]}),
                now(),
            )
            .expect("created");
        let id = group["id"].as_str().expect("an id").to_string();
        directory.v1_delete_user(&amy).expect("deleted");
        assert!(
            directory
                .v1_group(&id)
                .expect("group")
                .get("members")
                .is_none()
        );
        assert_eq!(
            directory
                .v1_delete_user(&amy)
                .expect_err("gone")
                .status_code(),
            Some(404)
        );
        directory.v1_delete_group(&id).expect("deleted");
        let error = directory.v1_delete_group(&id).expect_err("gone");
        assert_eq!(
            status_and_detail(&error),
            (404, format!("Group {id} not found"))
        );
    }

    #[test]
    fn groups_are_listed_a_hundred_at_most_and_not_filtered() {
        let mut directory = directory();
        for i in 0..3 {
            directory
                .v1_create_group(json!({"displayName": format!("G{i}")}), now())
                .expect("created");
        }
        let list = directory
            .v1_list_groups(&query(&[("count", "2")]))
            .expect("a list");
        assert_eq!(list["totalResults"], 3);
        assert_eq!(list["itemsPerPage"], 2);
        let error = directory
            .v1_list_groups(&query(&[("filter", "displayName eq \"G1\"")]))
            .expect_err("no filter");
        assert_eq!(error.scim_type, Some(ScimType::InvalidFilter));
    }
}
