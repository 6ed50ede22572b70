//! Relations (`ips-ias.md` §2.3) and the states a write moves them through (§2.4).

use sapland_provision::store::{RelationKey, RelationState, StoreError};
use sapland_transform::functions::{IdRequest, IdResolver};

use super::support::{at, fresh, reopen};

const SOURCE: &str = "IAS Source";
const TARGET: &str = "IAS Target";

fn user(id: &str) -> RelationKey<'_> {
    RelationKey::new(SOURCE, TARGET, "user", id)
}

// ips-ias.md §2.3: "stores a relation for every source entity and its corresponding target
// entity"; the target key comes from the create response and is read back for update/delete.
#[test]
fn a_create_is_recorded_before_and_after_and_survives_reopening() {
    let (store, clock, dir) = fresh();
    store
        .begin_create(&user("u1"), Some("userName=alice"))
        .unwrap();
    let creating = store.relation(&user("u1")).unwrap().unwrap();
    assert_eq!(creating.state, RelationState::Creating);
    assert_eq!(creating.target_id, None);
    assert_eq!(creating.unique_key.as_deref(), Some("userName=alice"));
    assert_eq!(creating.updated, at(0));

    clock.advance(5);
    store
        .record_created(&user("u1"), "T-1", "fp-1", false)
        .unwrap();
    drop(store);

    let store = reopen(&dir, &clock);
    let relation = store.relation(&user("u1")).unwrap().unwrap();
    assert_eq!(relation.key(), user("u1"));
    assert_eq!(relation.state, RelationState::Provisioned);
    assert_eq!(relation.target_id.as_deref(), Some("T-1"));
    assert_eq!(relation.fingerprint.as_deref(), Some("fp-1"));
    assert_eq!(
        relation.unique_key.as_deref(),
        Some("userName=alice"),
        "the unique key of the create is kept"
    );
    assert!(!relation.existed_before);
    assert_eq!(relation.updated, at(5));
    assert!(store.pending(SOURCE, TARGET).unwrap().is_empty());
}

// ips-ias.md §2.3 existed-before: an entity found in the target on first provisioning is
// marked, and the mark stays through later updates.
#[test]
fn existed_before_is_recorded_and_kept_through_updates() {
    let (store, _clock, _dir) = fresh();
    store
        .record_created(&user("u1"), "T-1", "fp-1", true)
        .unwrap();
    store.record_written(&user("u1"), "fp-2").unwrap();
    let relation = store.relation(&user("u1")).unwrap().unwrap();
    assert!(relation.existed_before);
    assert_eq!(relation.fingerprint.as_deref(), Some("fp-2"));
    assert_eq!(
        relation.unique_key, None,
        "created without begin_create: no unique key"
    );
}

#[test]
fn a_retried_create_replaces_the_unique_key() {
    let (store, _clock, _dir) = fresh();
    store.begin_create(&user("u1"), Some("a")).unwrap();
    store.begin_create(&user("u1"), Some("b")).unwrap();
    let relation = store.relation(&user("u1")).unwrap().unwrap();
    assert_eq!(relation.unique_key.as_deref(), Some("b"));
}

// ips-ias.md §2.4 delete: begin_delete before the DELETE, record_deleted after.
#[test]
fn a_delete_is_recorded_before_and_after() {
    let (store, _clock, _dir) = fresh();
    store
        .record_created(&user("u1"), "T-1", "fp", false)
        .unwrap();
    store.begin_delete(&user("u1")).unwrap();
    let pending = store.pending(SOURCE, TARGET).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].state, RelationState::Deleting);
    assert_eq!(pending[0].target_id.as_deref(), Some("T-1"));
    assert!(store.record_deleted(&user("u1")).unwrap());
    assert_eq!(store.relation(&user("u1")).unwrap(), None);
    assert!(
        !store.record_deleted(&user("u1")).unwrap(),
        "nothing left to remove"
    );
}

// ips-ias.md §2.4: entities that could not be deleted are "queued for deletion" and retried
// by later jobs; one that comes back to the source is written again.
#[test]
fn queued_for_deletion_is_pending_does_not_resolve_and_can_come_back() {
    let (store, _clock, _dir) = fresh();
    store
        .record_created(&user("u1"), "T-1", "fp", false)
        .unwrap();
    store.queue_for_deletion(&user("u1")).unwrap();
    let pending = store.pending(SOURCE, TARGET).unwrap();
    assert_eq!(pending[0].state, RelationState::QueuedForDeletion);
    assert_eq!(store.target_id(SOURCE, TARGET, "user", "u1").unwrap(), None);
    assert!(store.id_map(SOURCE, TARGET, "user").unwrap().is_empty());

    store.begin_delete(&user("u1")).unwrap();
    store
        .queue_for_deletion(&user("u1"))
        .expect("a failed delete is queued again");
    store.record_written(&user("u1"), "fp-2").unwrap();
    let relation = store.relation(&user("u1")).unwrap().unwrap();
    assert_eq!(relation.state, RelationState::Provisioned);
    assert_eq!(
        store
            .target_id(SOURCE, TARGET, "user", "u1")
            .unwrap()
            .as_deref(),
        Some("T-1")
    );
}

#[test]
fn transitions_the_protocol_does_not_allow_fail_and_change_nothing() {
    let (store, _clock, _dir) = fresh();
    store
        .record_created(&user("u1"), "T-1", "fp", false)
        .unwrap();
    let before = store.relation(&user("u1")).unwrap();

    let err = store.begin_create(&user("u1"), None).unwrap_err();
    assert!(matches!(
        err,
        StoreError::WrongState {
            state: RelationState::Provisioned,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        r#"user "u1" from "IAS Source" to "IAS Target": cannot begin a create: the relation is provisioned"#
    );
    let err = store
        .record_created(&user("u1"), "T-2", "fp", false)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"user "u1" from "IAS Source" to "IAS Target": cannot record a creation: the relation is provisioned"#
    );
    assert_eq!(store.relation(&user("u1")).unwrap(), before);

    let err = store.record_written(&user("nobody"), "fp").unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"no relation for user "nobody" from "IAS Source" to "IAS Target""#
    );
    store.begin_create(&user("u2"), None).unwrap();
    for err in [
        store.record_written(&user("u2"), "fp").unwrap_err(),
        store.begin_delete(&user("u2")).unwrap_err(),
        store.queue_for_deletion(&user("u2")).unwrap_err(),
    ] {
        assert!(
            matches!(
                err,
                StoreError::WrongState {
                    state: RelationState::Creating,
                    ..
                }
            ),
            "{err}"
        );
    }
    assert!(store.forget(&user("u2")).unwrap(), "forget takes any state");
}

#[test]
fn relations_are_listed_by_source_id_and_kept_apart_by_system_and_type() {
    let (store, _clock, _dir) = fresh();
    for id in ["c", "a", "b"] {
        store
            .record_created(&user(id), &format!("T-{id}"), "fp", false)
            .unwrap();
    }
    store
        .record_created(
            &RelationKey::new(SOURCE, TARGET, "group", "a"),
            "G-a",
            "fp",
            false,
        )
        .unwrap();
    store
        .record_created(
            &RelationKey::new(SOURCE, "Other", "user", "a"),
            "O-a",
            "fp",
            false,
        )
        .unwrap();
    let ids: Vec<String> = store
        .relations(SOURCE, TARGET, "user")
        .unwrap()
        .into_iter()
        .map(|r| r.source_id)
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(
        store
            .target_id(SOURCE, TARGET, "group", "a")
            .unwrap()
            .as_deref(),
        Some("G-a")
    );
    assert_eq!(
        store
            .target_id(SOURCE, "Other", "user", "a")
            .unwrap()
            .as_deref(),
        Some("O-a")
    );
    let map = store.id_map(SOURCE, TARGET, "user").unwrap();
    assert_eq!(map.len(), 3);
    assert_eq!(map["b"], "T-b");
}

// ips-ias.md §2.3: duplicates in the source that collapse onto one target user produce a
// many-to-one relation.
#[test]
fn several_source_entities_may_share_one_target_entity() {
    let (store, _clock, _dir) = fresh();
    store
        .record_created(&user("dup-1"), "T-1", "fp", false)
        .unwrap();
    store
        .record_created(&user("dup-2"), "T-1", "fp", true)
        .unwrap();
    let sharing = store.by_target_id(TARGET, "user", "T-1").unwrap();
    let ids: Vec<&str> = sharing.iter().map(|r| r.source_id.as_str()).collect();
    assert_eq!(ids, ["dup-1", "dup-2"]);
}

// ips-ias.md §1.8 / §2.3: resolveEntityIds resolves only through IPS's own relations, against
// another source system's map when sourceSystemName is given.
#[test]
fn the_resolver_reads_the_jobs_pair_and_other_named_systems() {
    let (store, _clock, _dir) = fresh();
    store
        .record_created(&user("u1"), "T-1", "fp", false)
        .unwrap();
    store
        .record_created(
            &RelationKey::new("HR Source", TARGET, "user", "u1"),
            "T-HR",
            "fp",
            false,
        )
        .unwrap();
    store.begin_create(&user("u2"), None).unwrap();
    let resolver = store.resolver(SOURCE, TARGET).unwrap();
    let request = |source_id, source_system| IdRequest {
        entity_type: "user",
        source_id,
        source_system,
        target_system: None,
    };
    assert_eq!(
        resolver.resolve(&request("u1", None)).as_deref(),
        Some("T-1")
    );
    assert_eq!(
        resolver.resolve(&request("u2", None)),
        None,
        "a create not recorded does not resolve"
    );
    assert_eq!(
        resolver
            .resolve(&request("u1", Some("HR Source")))
            .as_deref(),
        Some("T-HR")
    );
    assert_eq!(resolver.resolve(&request("u1", Some("Unknown"))), None);
    assert!(resolver.take_error().is_none());
}

#[test]
fn a_transaction_commits_together_or_not_at_all() {
    let (store, _clock, dir) = fresh();
    store
        .transaction(|s| {
            s.begin_create(&user("u1"), None)?;
            s.record_created(&user("u1"), "T-1", "fp", false)?;
            s.transaction(|s| s.record_created(&user("u2"), "T-2", "fp", false))
        })
        .unwrap();
    assert_eq!(store.relations(SOURCE, TARGET, "user").unwrap().len(), 2);

    let err = store
        .transaction(|s| {
            s.record_written(&user("u1"), "changed")?;
            s.record_written(&user("missing"), "fp")
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::NoRelation { .. }));
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        store.transaction(|s| -> Result<(), StoreError> {
            s.record_written(&user("u2"), "changed")?;
            panic!("a bug in the middle of a transaction");
        })
    }));
    assert!(panicked.is_err());
    store
        .record_written(&user("u3"), "fp")
        .expect_err("the store is usable after the panic, with no transaction left open");
    let store = reopen(&dir, &super::support::Clock::new());
    for id in ["u1", "u2"] {
        let relation = store.relation(&user(id)).unwrap().unwrap();
        assert_eq!(
            relation.fingerprint.as_deref(),
            Some("fp"),
            "{id} unchanged"
        );
    }
}
