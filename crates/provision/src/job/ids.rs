//! `resolveEntityIds` over the operational data: source ids of users and groups to the ids the
//! target gave them (`reference/ips-ias.md` §2.3 — only entities this job's source provisioned
//! resolve, so a member that failed or was skipped is not assigned).

use std::collections::HashMap;

use sapland_transform::functions::{IdRequest, IdResolver};

/// The relations of one source and target, per entity type.
#[derive(Debug, Default)]
pub(super) struct Relations {
    pub(super) users: HashMap<String, String>,
    pub(super) groups: HashMap<String, String>,
}

impl IdResolver for Relations {
    fn resolve(&self, request: &IdRequest<'_>) -> Option<String> {
        let map = match request.entity_type {
            "group" => &self.groups,
            _ => &self.users,
        };
        map.get(request.source_id).cloned()
    }
}
