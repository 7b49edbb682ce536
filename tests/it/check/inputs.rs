//! The input files and the commands around `check`: unknown keys, missing folders, `hours`,
//! attendance rows that overlap or match nobody, `init`, and names no font can print.

use super::*;

#[test]
fn unknown_key_is_an_error_naming_key_file_and_line() {
    let offering = Offering::ser2();
    offering.edit_course(|t| t.replacen("nonfinancial = ", "nonfinancal = ", 1));
    let output = offering.run(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let text = std::fs::read_to_string(offering.dir().join("course.toml")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("nonfinancal"))
        .unwrap()
        + 1;
    assert!(stderr.contains("nonfinancal"), "{stderr}");
    assert!(stderr.contains(&format!("course.toml:{line}")), "{stderr}");
}

#[test]
fn missing_offering_folder_exits_2_with_one_line() {
    let output = assert_cmd::Command::cargo_bin("ceu")
        .unwrap()
        .args(["check", "no/such/offering"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no/such/offering"));
}

#[test]
fn hours_cover_breaks_lunch_and_returns() {
    let offering = Offering::ser2();
    let output = offering.run(&["hours", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    // Signed in 08:xx–17:xx every day: across both breaks and lunch, only instruction counts.
    assert_eq!(attendee(&report, "A001")["attended_minutes"], 1560);
    // Left at lunch on the last day: misses 13:00–17:00 less the afternoon break = 225 minutes.
    assert_eq!(attendee(&report, "A022")["attended_minutes"], 1335);
    // Left at lunch and came back on time.
    assert_eq!(attendee(&report, "A019")["attended_minutes"], 1560);
    // Left early on the last day (15:30): misses 90 minutes.
    assert_eq!(attendee(&report, "A015")["attended_minutes"], 1470);

    let csv = offering.run(&["hours", "--format", "csv"]);
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.starts_with("attendee_id,name,attended_minutes"));
    assert!(
        text.contains("A011,Katarzyna Nowak,1560,1560,completed"),
        "{text}"
    );
}

#[test]
fn overlapping_double_sign_in_counts_once_and_blocks_only_that_attendee() {
    let offering = Offering::ser2();
    offering.append_attendance(
        "day2-2025-03-07.csv",
        "Ingrid,Lindqvist,ingrid.lindqvist@example.se,2025-03-07,08:45,10:30\n",
    );
    let (code, report) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    assert_eq!(attendee(&report, "A009")["attended_minutes"], 1560);
    let blocked = attendee(&report, "A009")["blocked_by"].as_array().unwrap();
    assert!(!blocked.is_empty(), "{report:#}");
    // Nobody else is blocked and the offering itself is not.
    assert_eq!(report["summary"]["blocked"], 1);
    assert_eq!(report["summary"]["offering_errors"], 0);
}

#[test]
fn unmatched_attendance_row_is_a_finding_not_a_silent_drop() {
    let offering = Offering::ser2();
    offering.append_attendance(
        "day1-2025-03-06.csv",
        "Zed,Unknown,zed@example.com,2025-03-06,09:00,17:00\n",
    );
    let (code, report) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    assert!(
        finding_ids(&report)
            .iter()
            .any(|(id, _)| id == "DATA-UNMATCHED")
    );
    let unmatched = report["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1);
    assert_eq!(unmatched[0]["minutes"], 390);
}

#[test]
fn init_scaffolds_a_folder_that_check_reads_and_never_overwrites() {
    let temp = tempfile::tempdir().unwrap();
    let init = assert_cmd::Command::cargo_bin("ceu")
        .unwrap()
        .current_dir(temp.path())
        .args(["init", "records/NEW"])
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(0));
    // The skeleton's course record parses; with the roster's header alone, check reports the
    // record's placeholders (exit 1, not 2) and that there is no roster yet.
    let check = assert_cmd::Command::cargo_bin("ceu")
        .unwrap()
        .current_dir(temp.path())
        .args(["check", "--as-of", "2025-01-02", "records/NEW"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains("warning[DATA-ROSTER-EMPTY]"), "{stdout}");
    assert!(stdout.contains("error[RECORD-PLACEHOLDER]"), "{stdout}");
    assert!(stdout.contains("records/NEW/course.toml:"), "{stdout}");
    let again = assert_cmd::Command::cargo_bin("ceu")
        .unwrap()
        .current_dir(temp.path())
        .args(["init", "records/NEW"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn check_reports_names_no_bundled_font_can_print_before_issuing() {
    let offering = Offering::ser2();
    offering.edit_roster(|t| t.replacen("A023,Wen,Zhao", "A023,文,赵", 1));
    let (code, report) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "RENDER-GLYPHS")
        .expect("RENDER-GLYPHS finding");
    assert_eq!(finding["attendee"], "A023");
    assert!(
        finding["message"].as_str().unwrap().contains("U+6587"),
        "{finding}"
    );
    assert_eq!(report["summary"]["blocked"], 1);
    // The unchanged example has none.
    assert!(
        !finding_ids(&baseline())
            .iter()
            .any(|(id, _)| id == "RENDER-GLYPHS")
    );
}
