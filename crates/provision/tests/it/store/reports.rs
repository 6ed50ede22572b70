//! Reports for outside monitoring queue until they are sent, oldest first, and survive a
//! reopened database.

use sapland_provision::store::Store;
use serde_json::json;

use super::support::fresh;

#[test]
fn reports_queue_until_sent_and_remember_failures() {
    let (store, _clock, dir) = fresh();
    let first = store
        .queue_report("job-1", "jam", &json!({"n": 1}))
        .unwrap();
    let second = store
        .queue_report("job-2", "jam", &json!({"n": 2}))
        .unwrap();
    store.queue_report("job-2", "other", &json!({})).unwrap();
    store
        .report_failed(first, "Cloud ALM answered 503")
        .unwrap();
    drop(store);

    let store = Store::open(dir.path(), jiff::Timestamp::now).unwrap();
    let queued = store.queued_reports("jam", 10).unwrap();
    assert_eq!(
        queued.iter().map(|r| r.seq).collect::<Vec<_>>(),
        [first, second]
    );
    assert_eq!(queued[0].attempts, 1);
    assert_eq!(
        queued[0].last_error.as_deref(),
        Some("Cloud ALM answered 503")
    );
    assert_eq!(queued[1].payload, json!({"n": 2}));
    store.report_sent(first).unwrap();
    assert_eq!(store.queued_reports("jam", 10).unwrap().len(), 1);
    assert_eq!(store.queued_reports("jam", 0).unwrap().len(), 0);
}
