//! The system catalogue's defaults and notes say what the code does: a tidy check that keeps
//! `systems show` and `docs/systems.md` (generated from the same catalogue) honest.

use sapland_core::system::spec_for;
use sapland_provision::job::CONCURRENCY;
use sapland_provision::target::IN_FLIGHT_PROPERTY;
use sapland_scim::Pace;
use sapland_systems::connect::PACE_PROPERTY;

#[test]
fn the_in_flight_default_is_the_runners_concurrency() {
    let spec = spec_for(IN_FLIGHT_PROPERTY).expect("the property is in the catalogue");
    assert_eq!(spec.default, Some(CONCURRENCY.to_string().as_str()));
}

#[test]
fn the_pace_note_names_the_clients_ias_default() {
    let spec = spec_for(PACE_PROPERTY).expect("the property is in the catalogue");
    assert_eq!(spec.default, None, "unset means: per connector");
    let default = Pace::IAS_DEFAULT_PER_MINUTE.to_string();
    assert!(
        spec.summary.contains(&format!("{default} for IAS")),
        "{:?} must name {default}",
        spec.summary
    );
}
