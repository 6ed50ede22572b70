//! `resolveEntityIds` over the operational data (`reference/ips-ias.md` §1.8, §2.3): the
//! transformation engine's [`IdResolver`], backed by id maps loaded once per source and target.

use std::cell::RefCell;
use std::collections::HashMap;

use sapland_transform::functions::{IdRequest, IdResolver};

use super::db::Store;
use super::error::StoreError;

/// entity type → source id → target id, for one source and target system.
type PairMap = HashMap<String, HashMap<String, String>>;

/// Resolves source ids to target ids for one job's source and target system, as
/// `resolveEntityIds` needs (only `provisioned` relations resolve, see [`Store::target_id`]).
///
/// The job's pair is loaded when the resolver is made — one query however many entities. A
/// request naming another system (`sourceSystemName`, `targetSystemName`) loads that pair's
/// relations once, on first use. The maps are a snapshot: make the resolver after the entities
/// it must resolve were written (users before the groups whose members they are, §2.3).
///
/// [`IdResolver::resolve`] cannot return an error; a failed load resolves nothing and is kept
/// for [`Resolver::take_error`], which a job checks after transforming.
#[derive(Debug)]
pub struct Resolver<'s> {
    store: &'s Store,
    source_system: String,
    target_system: String,
    pairs: RefCell<Vec<((String, String), PairMap)>>,
    error: RefCell<Option<StoreError>>,
}

impl Store {
    /// A resolver for a job from `source_system` to `target_system`, with that pair's ids
    /// loaded.
    pub fn resolver(
        &self,
        source_system: &str,
        target_system: &str,
    ) -> Result<Resolver<'_>, StoreError> {
        let map = self.pair_map(source_system, target_system)?;
        Ok(Resolver {
            store: self,
            source_system: source_system.to_string(),
            target_system: target_system.to_string(),
            pairs: RefCell::new(vec![(
                (source_system.to_string(), target_system.to_string()),
                map,
            )]),
            error: RefCell::new(None),
        })
    }

    fn pair_map(&self, source_system: &str, target_system: &str) -> Result<PairMap, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT entity_type, source_id, target_id FROM relation WHERE source_system = ?1 \
                 AND target_system = ?2 AND state = 'provisioned'",
            )
            .and_then(|mut stmt| {
                let mut map = PairMap::new();
                let mut rows = stmt.query([source_system, target_system])?;
                while let Some(row) = rows.next()? {
                    map.entry(row.get(0)?)
                        .or_default()
                        .insert(row.get(1)?, row.get(2)?);
                }
                Ok(map)
            })
            .map_err(self.fail_with(|| {
                format!("reading the ids provisioned from {source_system:?} to {target_system:?}")
            }))
    }
}

impl Resolver<'_> {
    /// The first error a load met, if any; taking it clears it.
    pub fn take_error(&self) -> Option<StoreError> {
        self.error.borrow_mut().take()
    }

    fn lookup(&self, source: &str, target: &str, entity_type: &str, id: &str) -> Option<String> {
        let find = |pairs: &[((String, String), PairMap)]| {
            pairs
                .iter()
                .find(|((s, t), _)| s == source && t == target)
                .map(|(_, map)| map.get(entity_type).and_then(|ids| ids.get(id)).cloned())
        };
        if let Some(found) = find(&self.pairs.borrow()) {
            return found;
        }
        let map = match self.store.pair_map(source, target) {
            Ok(map) => map,
            Err(err) => {
                self.error.borrow_mut().get_or_insert(err);
                PairMap::new()
            }
        };
        let mut pairs = self.pairs.borrow_mut();
        pairs.push(((source.to_string(), target.to_string()), map));
        find(&pairs).flatten()
    }
}

impl IdResolver for Resolver<'_> {
    fn resolve(&self, request: &IdRequest<'_>) -> Option<String> {
        self.lookup(
            request.source_system.unwrap_or(&self.source_system),
            request.target_system.unwrap_or(&self.target_system),
            request.entity_type,
            request.source_id,
        )
    }
}
