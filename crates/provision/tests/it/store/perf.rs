//! How fast relations are written, each in its own committed transaction as a job writes them.
//! A measurement, not a test: run with
//! `cargo test -p sapland-provision --release --test it -- --ignored --nocapture perf`.

#![allow(clippy::print_stderr)]

use std::time::Instant;

use sapland_provision::store::RelationKey;

use super::support::fresh;

const COUNT: usize = 10_000;

#[test]
#[ignore = "a measurement; takes about a minute on a disk with slow fsync"]
fn perf_writing_10000_relations() {
    let (store, _clock, _dir) = fresh();
    let ids: Vec<String> = (0..COUNT).map(|i| format!("user-{i:05}")).collect();
    let key = |id| RelationKey::new("IAS Source", "IAS Target", "user", id);

    let started = Instant::now();
    for id in &ids {
        store.begin_create(&key(id), Some("userName=x")).unwrap();
        store.record_created(&key(id), "T", "fp1", false).unwrap();
    }
    let created = started.elapsed();

    let started = Instant::now();
    for id in &ids {
        store.record_written(&key(id), "fp2").unwrap();
    }
    let written = started.elapsed();

    let started = Instant::now();
    for chunk in ids.chunks(100) {
        store
            .transaction(|s| {
                chunk
                    .iter()
                    .try_for_each(|id| s.record_written(&key(id), "fp3"))
            })
            .unwrap();
    }
    let batched = started.elapsed();

    let started = Instant::now();
    let map = store.id_map("IAS Source", "IAS Target", "user").unwrap();
    let id_map = started.elapsed();
    assert_eq!(map.len(), COUNT);

    let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / COUNT as f64;
    eprintln!(
        "begin_create + record_created (two commits each): {COUNT} relations in {created:?}, {:.0} µs each",
        per(created)
    );
    eprintln!(
        "record_written (one commit each): {COUNT} relations in {written:?}, {:.0} µs each",
        per(written)
    );
    eprintln!(
        "record_written in transactions of 100: {COUNT} relations in {batched:?}, {:.0} µs each",
        per(batched)
    );
    eprintln!("id_map of {COUNT} relations: {id_map:?}");
}
