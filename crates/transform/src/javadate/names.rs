//! English month, day and era names.

/// Full month names, January first.
pub(super) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Full day names, Monday first (ISO order).
pub(super) const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The three-letter abbreviation of a full name (`Jan`, `Mon`).
pub(super) fn short(name: &str) -> &str {
    &name[..3]
}
