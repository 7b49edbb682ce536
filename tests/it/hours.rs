//! `ceu hours` on whole offering folders, run as the binary: the attendance folder mixes the
//! formats people really export (issue 4).

use crate::common::Offering;
use crate::common::{self};
use std::collections::BTreeMap;

/// The SER2 course record with the fixture roster and the `mixed` attendance folder: a typed
/// sign-in sheet (day 1), a Zoom participant report (day 2), a Teams report (day 4) and the
/// alias list in `attendance/aliases.csv`.
fn mixed_offering() -> Offering {
    let offering = Offering::ser2();
    let dir = offering.dir();
    let fixtures = common::repo().join("tests/fixtures");
    std::fs::copy(fixtures.join("roster/roster.csv"), dir.join("roster.csv")).unwrap();
    std::fs::remove_dir_all(dir.join("attendance")).unwrap();
    common::copy_dir(&fixtures.join("attendance/mixed"), &dir.join("attendance"));
    offering
}

/// attendee id -> attended minutes, from `ceu hours --format csv`.
fn minutes(offering: &Offering) -> BTreeMap<String, i64> {
    let output = offering.run(&["hours", "--format", "csv"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let id = headers.iter().position(|h| h == "attendee_id").unwrap();
    let attended = headers
        .iter()
        .position(|h| h == "attended_minutes")
        .unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[id].to_string(), r[attended].parse().unwrap())
        })
        .collect()
}

#[test]
fn hours_on_a_folder_mixing_sheets_zoom_and_teams() {
    let offering = mixed_offering();
    let per = minutes(&offering);
    // Day 1 sheet + day 2 Zoom (rejoins merged) + day 4 Teams, 390 instructional minutes each.
    assert_eq!(per["A01"], 390 * 3);
    // Sheet by email, Zoom guest "Ben O" through the alias list, Teams join/leave activity.
    assert_eq!(per["A02"], 380 + 90 + 255);
    assert_eq!(per["A03"], 390 + 105);
    // A sheet row with a name and no email, matched through the alias list.
    assert_eq!(per["A04"], 300);
    assert_eq!(per["A08"], 390);
    assert_eq!(per["A05"], 0);

    // The walk-in nobody could match is listed by `check` with the minutes it would carry.
    let (_, report) = offering.check_json("2025-03-20");
    let unmatched: Vec<_> = common::finding_ids(&report)
        .into_iter()
        .filter(|(rule, _)| rule == "DATA-UNMATCHED")
        .collect();
    assert_eq!(unmatched.len(), 1, "{report:#}");
}

#[test]
fn an_alias_list_in_both_places_is_refused_naming_both() {
    let offering = mixed_offering();
    let dir = offering.dir();
    std::fs::copy(dir.join("attendance/aliases.csv"), dir.join("aliases.csv")).unwrap();
    let output = offering.run(&["hours"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("attendance/aliases.csv"), "{stderr}");
    assert!(stderr.contains("two alias lists"), "{stderr}");
}
