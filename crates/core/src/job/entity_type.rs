//! The two entity types IPS provisions, by the names its transformations and job logs use.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Users or groups (`reference/ips-ias.md` §2.3: one job provisions both, groups after users
/// so that their members resolve).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    /// `user`.
    User,
    /// `group`.
    Group,
}

impl EntityType {
    /// Both, in the order a job provisions them.
    pub const ALL: [EntityType; 2] = [EntityType::User, EntityType::Group];

    /// The name in transformations and job logs: `user` or `group`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is neither `user` nor `group`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown entity type {0:?}: expected user or group")]
pub struct UnknownEntityType(pub String);

impl FromStr for EntityType {
    type Err = UnknownEntityType;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "user" => Ok(Self::User),
            "group" => Ok(Self::Group),
            other => Err(UnknownEntityType(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_nothing_else_is_an_entity_type() {
        for entity_type in EntityType::ALL {
            assert_eq!(entity_type.as_str().parse(), Ok(entity_type));
        }
        assert_eq!(
            "User".parse::<EntityType>(),
            Err(UnknownEntityType("User".into()))
        );
        assert_eq!(
            serde_json::to_string(&EntityType::Group).unwrap(),
            "\"group\""
        );
    }
}
