use jiff::civil::{DateTime, date};

use super::{DatePattern, DatePatternError};

fn pattern(text: &str) -> DatePattern {
    DatePattern::parse(text).unwrap_or_else(|err| panic!("{text}: {err}"))
}

fn dt(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8, ns: i32) -> DateTime {
    date(y, mo, d).at(h, mi, s, ns)
}

fn parse(p: &str, text: &str) -> DateTime {
    pattern(p)
        .parse_text(text)
        .unwrap_or_else(|err| panic!("{p} / {text}: {err}"))
}

fn parse_err(p: &str, text: &str) -> DatePatternError {
    pattern(p).parse_text(text).unwrap_err()
}

#[test]
fn ips_default_variable_format_round_trips() {
    // ips-ias.md §1.6 / §2.8: ips.date.variable.format defaults to yyyy-MM-dd HH:mm:ss.SSS.
    let p = pattern("yyyy-MM-dd HH:mm:ss.SSS");
    let value = dt(2018, 2, 28, 11, 0, 0, 123_000_000);
    assert_eq!(p.format(value), "2018-02-28 11:00:00.123");
    assert_eq!(p.parse_text("2018-02-28 11:00:00.123").unwrap(), value);
}

#[test]
fn documented_examples() {
    // ips-ias.md §1.8 manipulateDate: "2018-02-28 11:00:00.000" to "02/28/2018".
    let value = parse("yyyy-MM-dd HH:mm:ss.SSS", "2018-02-28 11:00:00.000");
    assert_eq!(pattern("MM/dd/yyyy").format(value), "02/28/2018");
    // The doc's own example of a full pattern: yyyy-MM-dd'T'HH:mm:ss'Z'.
    let iso = pattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    assert_eq!(iso.format(value), "2018-02-28T11:00:00Z");
    assert_eq!(iso.parse_text("2018-02-28T11:00:00Z").unwrap(), value);
}

#[test]
fn names_and_twelve_hour_clock() {
    let value = dt(2024, 3, 4, 15, 7, 9, 0);
    assert_eq!(
        pattern("EEEE, d MMMM yyyy h:mm a").format(value),
        "Monday, 4 March 2024 3:07 PM"
    );
    assert_eq!(pattern("EEE MMM dd").format(value), "Mon Mar 04");
    assert_eq!(
        parse("EEEE, d MMMM yyyy h:mm a", "monday, 4 MARCH 2024 3:07 pm"),
        dt(2024, 3, 4, 15, 7, 0, 0)
    );
    assert_eq!(
        parse("dd MMM yyyy", "04 March 2024"),
        dt(2024, 3, 4, 0, 0, 0, 0)
    );
    assert_eq!(parse("hh:mm a", "12:30 AM"), dt(1970, 1, 1, 0, 30, 0, 0));
    assert_eq!(parse("KK:mm a", "11:30 PM"), dt(1970, 1, 1, 23, 30, 0, 0));
    assert_eq!(parse("kk:mm", "24:00"), dt(1970, 1, 1, 0, 0, 0, 0));
    assert_eq!(pattern("kk").format(dt(2024, 1, 1, 0, 0, 0, 0)), "24");
    assert_eq!(pattern("hh a").format(dt(2024, 1, 1, 0, 0, 0, 0)), "12 AM");
}

#[test]
fn wrong_day_name_is_an_error() {
    let err = parse_err("EEE yyyy-MM-dd", "Tue 2024-03-04");
    assert!(err.message.contains("is not a Tuesday"), "{err}");
}

#[test]
fn quotes_and_literals() {
    let value = dt(2024, 3, 4, 5, 6, 7, 0);
    assert_eq!(pattern("'at' HH 'o''clock'").format(value), "at 05 o'clock");
    assert_eq!(pattern("''yy''").format(value), "'24'");
    assert_eq!(
        parse("'at' HH 'o''clock'", "at 05 o'clock"),
        dt(1970, 1, 1, 5, 0, 0, 0)
    );
}

#[test]
fn years() {
    assert_eq!(parse("yy-MM-dd", "24-03-04"), dt(2024, 3, 4, 0, 0, 0, 0));
    assert_eq!(parse("uuuu", "-0044"), dt(-44, 1, 1, 0, 0, 0, 0));
    assert_eq!(pattern("uuuu").format(dt(-44, 1, 1, 0, 0, 0, 0)), "-0044");
    assert_eq!(
        pattern("yyyy G").format(dt(-43, 1, 1, 0, 0, 0, 0)),
        "0044 BC"
    );
    assert_eq!(parse("yyyy G", "0044 BC"), dt(-43, 1, 1, 0, 0, 0, 0));
    assert_eq!(parse("yyyyMMdd", "20240304"), dt(2024, 3, 4, 0, 0, 0, 0));
    assert_eq!(parse("y-M-d", "2024-3-4"), dt(2024, 3, 4, 0, 0, 0, 0));
    assert_eq!(pattern("D").format(dt(2024, 12, 31, 0, 0, 0, 0)), "366");
    assert_eq!(parse("yyyy-DDD", "2024-060"), dt(2024, 2, 29, 0, 0, 0, 0));
}

#[test]
fn fractions_and_nanos() {
    let value = dt(2024, 1, 1, 0, 0, 0, 123_456_789);
    assert_eq!(pattern("ss.S").format(value), "00.1");
    assert_eq!(pattern("ss.SSSSSSSSS").format(value), "00.123456789");
    assert_eq!(pattern("n").format(value), "123456789");
    assert_eq!(
        parse("HH:mm:ss.SSSSSS", "00:00:00.123456"),
        dt(1970, 1, 1, 0, 0, 0, 123_456_000)
    );
}

#[test]
fn offsets_are_applied_when_parsing_and_written_as_utc() {
    let p = pattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    assert_eq!(
        p.parse_text("2024-03-04T10:00:00+02:00").unwrap(),
        dt(2024, 3, 4, 8, 0, 0, 0)
    );
    assert_eq!(
        p.parse_text("2024-03-04T10:00:00Z").unwrap(),
        dt(2024, 3, 4, 10, 0, 0, 0)
    );
    assert_eq!(p.format(dt(2024, 3, 4, 8, 0, 0, 0)), "2024-03-04T08:00:00Z");
    assert_eq!(
        pattern("HHmm Z").parse_text("1000 -0130").unwrap(),
        dt(1970, 1, 1, 11, 30, 0, 0)
    );
    assert_eq!(
        pattern("xx|xxx|ZZZZ").format(dt(2024, 1, 1, 0, 0, 0, 0)),
        "+0000|+00:00|GMT"
    );
}

#[test]
fn pattern_errors_name_the_character() {
    let err = DatePattern::parse("yyyy-MM-dd'T").unwrap_err();
    assert_eq!(err.position, 10);
    assert!(err.message.contains("quote not closed"));
    let err = DatePattern::parse("YYYY-MM-dd").unwrap_err();
    assert_eq!(err.position, 0);
    assert!(err.message.contains("unknown pattern letter 'Y'"));
    let err = DatePattern::parse("MMMMM").unwrap_err();
    assert!(err.message.contains("too many 'M'"));
    let err = DatePattern::parse("yyyy[-MM]").unwrap_err();
    assert!(err.message.contains("optional sections"));
}

#[test]
fn text_errors_say_what_was_expected() {
    let err = parse_err("yyyy-MM-dd", "2024-3-04");
    assert_eq!(err.position, 5);
    assert!(err.message.contains("a month (2 digits)"), "{err}");
    let err = parse_err("yyyy-MM-dd", "2024-02-30");
    assert!(err.message.contains("no such date"), "{err}");
    let err = parse_err("yyyy-MM-dd", "2024-02-03 extra");
    assert!(err.message.contains("unexpected text"), "{err}");
    let err = parse_err("HH:mm", "25:00");
    assert!(err.message.contains("no such time"), "{err}");
    assert!(pattern("yyyy").parse_text("").is_err());
}

#[test]
fn never_panics_on_odd_text() {
    let patterns = [
        "yyyy-MM-dd HH:mm:ss.SSS",
        "y",
        "EEEE MMMM a",
        "uuuu-DDD XXX",
        "h K k n",
    ];
    let texts = [
        "",
        "-",
        "99999999999999999999",
        "+",
        "é",
        "Z",
        "2024-13-45",
        "\u{0}",
        "AM PM",
    ];
    for p in patterns {
        let p = pattern(p);
        for text in texts {
            let _ = p.parse_text(text);
        }
    }
}
