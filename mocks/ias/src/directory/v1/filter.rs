//! v1 user filters: only `attribute eq value` joined by `and`, on the attributes SAP documents
//! for the users search, answered through the directory's indexes where a term allows it.

use std::collections::BTreeSet;

use sapland_core::scim::ScimError;
use sapland_core::scim::schemas::{CORE_USER, CUSTOM_GROUP};
use serde_json::Value;

use super::errors::invalid_filter;
use super::ids::{legacy_id_of, user_id_of};
use super::paths::{at, same_text};
use crate::directory::{Directory, member};
use crate::scim::filter::{Filter, Operator};
use crate::scim::path::AttrPath;

/// A v1 search attribute ([DOC] users search).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Searchable {
    Id,
    UserUuid,
    Emails,
    UserName,
    FamilyName,
    Country,
    Groups,
}

/// One `attribute eq value` of a v1 filter.
#[derive(Debug, Clone)]
pub(super) struct Term {
    attribute: Searchable,
    value: Value,
}

impl Directory {
    /// The users a filter can match at all: through an index when a term allows it.
    pub(super) fn v1_candidates(&self, terms: &[Term]) -> Vec<&str> {
        for term in terms {
            let text = term.value.as_str();
            match term.attribute {
                Searchable::Id => {
                    return text
                        .and_then(|t| self.v1_user_uuid(t))
                        .into_iter()
                        .collect();
                }
                Searchable::UserUuid => {
                    return text
                        .and_then(|t| self.users.get_key_value(t))
                        .map(|(k, _)| k.as_str())
                        .into_iter()
                        .collect();
                }
                Searchable::UserName => {
                    return text
                        .and_then(|t| self.user_id_by_user_name(t))
                        .into_iter()
                        .collect();
                }
                Searchable::Emails if self.uniqueness.email_unique => {
                    return text
                        .and_then(|t| self.identifiers.owner_of(t))
                        .into_iter()
                        .collect();
                }
                Searchable::Groups => {
                    let Some(text) = text else {
                        return Vec::new();
                    };
                    let members: BTreeSet<&str> = self
                        .groups
                        .values()
                        .filter(|group| group_is_named(group, text))
                        .filter_map(|group| member(group, "members").and_then(Value::as_array))
                        .flatten()
                        .filter_map(|m| member(m, "value").and_then(Value::as_str))
                        .filter(|id| self.users.contains_key(*id))
                        .collect();
                    return members.into_iter().collect();
                }
                _ => {}
            }
        }
        self.users.keys().map(String::as_str).collect()
    }

    /// Whether the user with v2 id `uuid` satisfies one filter term.
    pub(super) fn term_matches(&self, uuid: &str, term: &Term) -> bool {
        let (Some(user), Some(text)) = (self.stored(uuid), term.value.as_str()) else {
            return false;
        };
        let user = &user;
        let text_at = |path: &[&str]| at(user, path).and_then(Value::as_str);
        let any_value = |attribute: &str, sub: &str| {
            member(user, attribute)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|entry| member(entry, sub).and_then(Value::as_str))
                .any(|value| same_text(value, text))
        };
        match term.attribute {
            Searchable::Id => user_id_of(user) == Some(text),
            Searchable::UserUuid => uuid == text,
            Searchable::Emails => any_value("emails", "value"),
            Searchable::UserName => text_at(&["userName"]).is_some_and(|v| same_text(v, text)),
            Searchable::FamilyName => {
                text_at(&["name", "familyName"]).is_some_and(|v| same_text(v, text))
            }
            Searchable::Country => any_value("addresses", "country"),
            Searchable::Groups => self.memberships.get(uuid).is_some_and(|groups| {
                groups.iter().any(|id| {
                    self.groups
                        .get(id)
                        .is_some_and(|group| group_is_named(group, text))
                })
            }),
        }
    }
}

/// Parses a v1 filter: only `eq` joined by `and`, only the documented attributes ([DOC]).
pub(super) fn filter_terms(text: &str) -> Result<Vec<Term>, ScimError> {
    let filter = Filter::parse(text).map_err(|err| invalid_filter(err.to_string()))?;
    if let Some(op) = filter
        .operators()
        .into_iter()
        .find(|op| !matches!(op, Operator::Eq | Operator::And))
    {
        return Err(invalid_filter(format!(
            "the SCIM REST API (v1) supports only the operators eq and and; the filter uses {op}"
        )));
    }
    let mut terms = Vec::new();
    collect_terms(&filter, &mut terms)?;
    Ok(terms)
}

/// Collects the terms of an `and` tree; anything but comparisons and `and` is refused.
fn collect_terms(filter: &Filter, terms: &mut Vec<Term>) -> Result<(), ScimError> {
    match filter {
        Filter::And(left, right) => {
            collect_terms(left, terms)?;
            collect_terms(right, terms)
        }
        Filter::Compare { path, value, .. } => {
            terms.push(Term {
                attribute: searchable(path)?,
                value: value.clone(),
            });
            Ok(())
        }
        other => Err(invalid_filter(format!(
            "the SCIM REST API (v1) supports only attribute eq value joined by and, not {other}"
        ))),
    }
}

/// The searchable attribute a filter path names, or the documented list of them.
fn searchable(path: &AttrPath) -> Result<Searchable, ScimError> {
    let qualified_elsewhere = path
        .urn
        .as_deref()
        .is_some_and(|urn| !urn.eq_ignore_ascii_case(CORE_USER));
    let name = match &path.sub_attr {
        Some(sub) => format!("{}.{sub}", path.attr),
        None => path.attr.clone(),
    };
    let attribute = match name.to_ascii_lowercase().as_str() {
        _ if qualified_elsewhere => None,
        "id" => Some(Searchable::Id),
        "useruuid" => Some(Searchable::UserUuid),
        "emails" | "emails.value" => Some(Searchable::Emails),
        "username" => Some(Searchable::UserName),
        "name.familyname" => Some(Searchable::FamilyName),
        "addresses.country" => Some(Searchable::Country),
        "groups" => Some(Searchable::Groups),
        _ => None,
    };
    attribute.ok_or_else(|| {
        invalid_filter(format!(
            "the SCIM REST API (v1) cannot search by {path}; it searches id, userUuid, emails, userName, name.familyName, addresses.country and groups"
        ))
    })
}

/// Whether `text` names the group: its v1 id, its display name or its custom name.
fn group_is_named(group: &Value, text: &str) -> bool {
    legacy_id_of(group) == Some(text)
        || member(group, "displayName")
            .and_then(Value::as_str)
            .is_some_and(|name| same_text(name, text))
        || member(group, CUSTOM_GROUP)
            .and_then(|c| member(c, "name"))
            .and_then(Value::as_str)
            .is_some_and(|name| same_text(name, text))
}

#[cfg(test)]
mod tests {
    use sapland_core::scim::ScimType;

    use crate::directory::v1::fixtures::{create, directory, now, query, smith, status_and_detail};

    #[test]
    fn filters_take_eq_and_and_on_the_documented_attributes_only() {
        let mut directory = directory();
        directory.v1_create_user(smith(), now()).expect("created");
        create(&mut directory, "amy", "amy@example.com");
        let found = directory
            .v1_list_users(&query(&[(
                "filter",
                "emails eq \"John.Smith@sap-test.de\" and addresses.country eq \"US\"",
            )]))
            .expect("a list");
        assert_eq!(found["totalResults"], 1);
        assert_eq!(found["Resources"][0]["userName"], "johnsmith");
        for (filter, expected) in [
            ("id eq \"P000002\"", 1),
            ("name.familyName eq \"SMITH\"", 1),
            ("emails eq \"nobody@example.com\"", 0),
            ("userName eq \"amy\" and id eq \"P000001\"", 0),
        ] {
            let list = directory
                .v1_list_users(&query(&[("filter", filter)]))
                .expect("a list");
            assert_eq!(list["totalResults"], expected, "{filter}");
        }
        for (filter, expected) in [
            (
                "userName eq \"amy\" or userName eq \"johnsmith\"",
                "uses or",
            ),
            ("userName sw \"a\"", "uses sw"),
            ("not (userName eq \"a\")", "uses not"),
            ("emails[value eq \"a\"]", "uses []"),
            ("displayName eq \"a\"", "cannot search by displayName"),
            ("userName eq", "invalid filter"),
        ] {
            let error = directory
                .v1_list_users(&query(&[("filter", filter)]))
                .expect_err("refused");
            assert_eq!(error.scim_type, Some(ScimType::InvalidFilter), "{filter}");
            let (_, detail) = status_and_detail(&error);
            assert!(detail.contains(expected), "{expected:?} not in {detail:?}");
        }
    }
}
