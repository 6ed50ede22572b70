//! Runs every scenario in `features/` with cucumber. Fails on skipped and undefined steps and
//! writes a JUnit report to `target/tmp/scenarios.junit.xml`.

mod steps;
mod world;

use cucumber::{World as _, WriterExt as _, writer};

use world::World;

#[tokio::main]
async fn main() {
    let report_path = concat!(env!("CARGO_TARGET_TMPDIR"), "/scenarios.junit.xml");
    let report = std::fs::File::create(report_path).expect("the JUnit report can be created");
    World::cucumber()
        .with_writer(
            writer::Basic::stdout()
                .summarized()
                .tee::<World, _>(writer::JUnit::for_tee(report, 0))
                .normalized(),
        )
        .fail_on_skipped()
        .run_and_exit(concat!(env!("CARGO_MANIFEST_DIR"), "/../../features"))
        .await;
}
