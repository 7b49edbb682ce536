//! `ceu` signs only what it should (issue 12, items 1, 2, 5): `issue` agrees with `check`
//! about who is issuable, unresolved attendance rows hold back exactly the attendees whose
//! credit they could change, the `init` template's placeholders are never signed, and the
//! records root (the ledger) does not depend on how the offering folder was typed.

use crate::common::{self};
use crate::common::{ISSUE_TIMES, Offering, edit_file, text};
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Output;

/// The attendees `check --format json` shows as issuable: status completed or partial,
/// `blocked_by` empty, and no offering-level error.
fn issuable(report: &Value) -> BTreeSet<String> {
    if report["summary"]["offering_errors"].as_u64().unwrap() > 0 {
        return BTreeSet::new();
    }
    report["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] != "not-completed")
        .filter(|a| a["blocked_by"].as_array().unwrap().is_empty())
        .map(|a| a["attendee_id"].as_str().unwrap().to_string())
        .collect()
}

/// The attendees the ledger holds a certificate for.
fn issued(offering: &Offering) -> BTreeSet<String> {
    ceu::ledger::read(&offering.ledger())
        .unwrap()
        .iter()
        .filter_map(|e| e.body().issued().map(|f| f.attendee_id.clone()))
        .collect()
}

fn blocked_by(report: &Value, attendee: &str) -> Vec<String> {
    let entry = report["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["attendee_id"] == attendee)
        .unwrap_or_else(|| panic!("no attendee {attendee}"));
    entry["blocked_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

fn has_rule(report: &Value, rule: &str) -> bool {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == rule)
}

/// Runs check (JSON) and issue on the offering; asserts issue issued exactly the attendees
/// check shows as issuable, and that issue exits as check does. Returns the report and the
/// issue output.
fn check_then_issue(offering: &Offering, key: &str) -> (Value, Output) {
    let (check_code, report) = offering.check_json("2025-03-20");
    let issue = offering.issue(key, &[]);
    assert_eq!(issue.status.code(), Some(check_code), "{}", text(&issue));
    assert_eq!(issued(offering), issuable(&report), "{}", text(&issue));
    (report, issue)
}

/// Day 2's sign-in sheet with names only: its rows match nobody.
fn day2_without_emails(offering: &Offering) {
    edit_file(
        &offering.dir().join("attendance/day2-2025-03-07.csv"),
        |t| {
            t.lines()
                .enumerate()
                .map(|(i, line)| {
                    if i == 0 {
                        return line.to_string();
                    }
                    let mut cells: Vec<&str> = line.split(',').collect();
                    cells[2] = "";
                    cells.join(",")
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        },
    );
}

/// Regression (issue 12, item 1): with a day's sheet that matches nobody and a bare `5:02`,
/// `check` exits 1 but `issue` printed no finding, issued partial certificates (one to an
/// attendee whose unmatched minutes would have given full credit) and exited 0.
#[test]
fn issue_went_past_unmatched_rows_and_an_ambiguous_time_and_hid_them() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    day2_without_emails(&offering);
    // Valentina Rossi's day 2 sign-out, without AM/PM, in a row that matches nobody.
    edit_file(
        &offering.dir().join("attendance/day2-2025-03-07.csv"),
        |t| {
            t.replace(
                "Valentina,Rossi,,2025-03-07,08:50,17:02",
                "Valentina,Rossi,,2025-03-07,08:50,5:02",
            )
        },
    );
    let (code, report) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    assert!(has_rule(&report, "DATA-UNMATCHED"));
    assert!(has_rule(&report, "DATA-AMBIGUOUS-TIME"));
    // Everyone lost day 2, so everyone who requested credit is below its maximum.
    for attendee in ["A001", "A007", "A009", "A017", "A022"] {
        let blocked = blocked_by(&report, attendee);
        assert!(
            blocked.contains(&"DATA-UNMATCHED".to_string())
                && blocked.contains(&"DATA-AMBIGUOUS-TIME".to_string()),
            "{attendee}: {blocked:?}"
        );
    }
    assert!(issuable(&report).is_empty());
    // `hours` runs the same evaluation: the same attendees held back by the same rules.
    let hours = offering.run(&["hours", "--format", "json"]);
    assert_eq!(hours.status.code(), Some(0), "{}", text(&hours));
    let hours: Value = serde_json::from_slice(&hours.stdout).unwrap();
    let held = |attendees: &Value| -> Vec<(String, Value)> {
        attendees
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["attendee_id"].to_string(), a["blocked_by"].clone()))
            .collect()
    };
    assert_eq!(held(&hours["attendees"]), held(&report["attendees"]));

    let issue = offering.issue(&key, &[]);
    assert_eq!(issue.status.code(), Some(1), "{}", text(&issue));
    assert!(issued(&offering).is_empty(), "{}", text(&issue));
    assert!(!offering.certificates().exists());
    let stderr = String::from_utf8_lossy(&issue.stderr);
    assert!(stderr.contains("error[DATA-UNMATCHED]"), "{stderr}");
    assert!(stderr.contains("error[DATA-AMBIGUOUS-TIME]"), "{stderr}");
    let stdout = String::from_utf8_lossy(&issue.stdout);
    assert!(stdout.contains("BLOCKED by a finding"), "{stdout}");
    assert!(stdout.contains("Issued 0,"), "{stdout}");
}

/// `issue` prints warnings too (here the overdue ASHA participant report) before issuing.
#[test]
fn issue_printed_no_warning_such_as_the_overdue_asha_report() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    let output = offering
        .ceu()
        .args([
            "issue",
            "--key",
            &key,
            "--issued-at",
            "2025-06-01T12:00:00Z",
        ])
        .args(["--as-of", "2025-06-01", "records/SER2-2025-03-CAL"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning[ASHA-REPORT-1]"), "{stderr}");
    assert!(stderr.contains("days late"), "{stderr}");
    assert_eq!(issued(&offering).len(), 21);
}

/// The kind, on several fixtures: what `issue` issues is exactly what `check --format json`
/// shows as issuable, and `issue` exits as `check` does.
#[test]
fn issue_and_check_disagreed_about_who_is_issuable() {
    // 1. The unchanged example.
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    let (report, _) = check_then_issue(&offering, &key);
    assert_eq!(issuable(&report).len(), 21);

    // 2. An unmatched row whose minutes all fall in a break holds back no one (check and
    //    issue still exit 1 on the error).
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    offering.append_attendance(
        "day1-2025-03-06.csv",
        "Zed,Unknown,zed@example.com,2025-03-06,10:31,10:44\n",
    );
    let (report, _) = check_then_issue(&offering, &key);
    assert_eq!(report["unmatched"][0]["minutes"], 0);
    assert_eq!(report["summary"]["blocked"], 0);
    assert_eq!(issuable(&report).len(), 21);

    // 3. An unmatched row with a full day of instruction: full-credit attendees are issued,
    //    everyone below the maximum of a body they requested is held back.
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    offering.append_attendance(
        "day1-2025-03-06.csv",
        "Zed,Unknown,zed@example.com,2025-03-06,09:00,17:00\n",
    );
    let (report, _) = check_then_issue(&offering, &key);
    assert_eq!(report["unmatched"][0]["minutes"], 390);
    let held: Vec<String> = report["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["blocked_by"].as_array().unwrap().is_empty())
        .map(|a| a["attendee_id"].as_str().unwrap().to_string())
        .collect();
    assert!(!held.is_empty());
    // A completer with the full ASHA 2.60 CEUs is not held back.
    assert!(blocked_by(&report, "A001").is_empty());
    assert!(issuable(&report).contains("A001"));

    // 4. An ambiguous time in a row that matches nobody: its minutes are unknown, so it holds
    //    back the same attendees as unmatched minutes would.
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    offering.append_attendance(
        "day1-2025-03-06.csv",
        "Zed,Unknown,zed@example.com,2025-03-06,9:00,5:02\n",
    );
    let (report, _) = check_then_issue(&offering, &key);
    assert!(has_rule(&report, "DATA-AMBIGUOUS-TIME"));
    assert!(blocked_by(&report, "A001").is_empty());
    let held_by_time: Vec<String> = report["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["blocked_by"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == "DATA-AMBIGUOUS-TIME")
        })
        .map(|a| a["attendee_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(held_by_time, held);

    // 5. An ambiguous time in a matched row holds back that attendee only.
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    edit_file(
        &offering.dir().join("attendance/day2-2025-03-07.csv"),
        |t| {
            t.replace(
                "aiyana.redcrow@example.org,2025-03-07,08:58,17:09",
                "aiyana.redcrow@example.org,2025-03-07,08:58,5:09",
            )
        },
    );
    let (report, _) = check_then_issue(&offering, &key);
    assert_eq!(blocked_by(&report, "A001"), vec!["DATA-AMBIGUOUS-TIME"]);
    assert_eq!(report["summary"]["blocked"], 1);
    assert_eq!(issuable(&report).len(), 20);
}

/// An attendee at the maximum of one body they requested but below another is held back; one
/// at the maximum of every body they requested, or of every body they can be eligible for, or
/// who requested none and completed, is not.
#[test]
fn unmatched_minutes_held_back_attendees_regardless_of_what_they_could_still_gain() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    // A001 attended all 1560 minutes, A003 1555 (inside the 10-minute grace): both complete
    // ASHA at 2.60 CEUs; NCBTMB needs 100 % attendance (NCBTMB-COMPLETE-1).
    offering.edit_roster(|t| {
        t.replacen("12345678,ASHA,yes", "12345678,ASHA;NCBTMB,yes", 1)
            .replacen("34567890,ASHA,yes", "34567890,ASHA;NCBTMB,yes", 1)
    });
    offering.append_attendance(
        "day1-2025-03-06.csv",
        "Zed,Unknown,zed@example.com,2025-03-06,09:00,17:00\n",
    );
    let (report, _) = check_then_issue(&offering, &key);
    let unmatched = vec!["DATA-UNMATCHED".to_string()];
    // At the maximum of both bodies requested.
    assert!(blocked_by(&report, "A001").is_empty());
    // At ASHA's maximum, below NCBTMB's.
    assert_eq!(blocked_by(&report, "A003"), unmatched);
    // LMT: at NCBTMB's maximum; ASHA requested but not eligible (ASHA-ELIG-2).
    assert!(blocked_by(&report, "A011").is_empty());
    // Requested nothing and completed: more minutes change nothing.
    assert!(blocked_by(&report, "A024").is_empty());
    // ASHA partial credit (1520 of 1560 minutes).
    assert_eq!(blocked_by(&report, "A007"), unmatched);
    let issued = issued(&offering);
    assert!(issued.contains("A001") && issued.contains("A011") && issued.contains("A024"));
    assert!(!issued.contains("A003") && !issued.contains("A007"));
}

/// Issue 12, item 1: an unmatched row is resolved by listing the person in
/// `<offering>/not-attendees.csv` (issue 16's mechanism), after which it holds back no one.
#[test]
fn an_unmatched_row_listed_in_not_attendees_csv_holds_back_no_one() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    offering.append_attendance(
        "day2-2025-03-07.csv",
        "Zed,Unknown,zed@example.com,2025-03-07,09:00,17:00\n",
    );
    let (_, held) = offering.check_json("2025-03-20");
    assert_eq!(
        blocked_by(&held, "A007"),
        vec!["DATA-UNMATCHED".to_string()]
    );
    std::fs::write(
        offering.dir().join("not-attendees.csv"),
        "name,email,reason\nZed Unknown,zed@example.com,venue technician\n",
    )
    .unwrap();
    let (report, issue) = check_then_issue(&offering, &key);
    assert!(!has_rule(&report, "DATA-UNMATCHED"), "{report:#}");
    assert!(blocked_by(&report, "A007").is_empty());
    assert_eq!(issue.status.code(), Some(0), "{}", text(&issue));
    assert!(issued(&offering).contains("A007"));
}

/// Regression (issue 12, item 2): after `ceu init`, the template's `...`, "City, Region,
/// Country", "ABCD" and "0000" passed `check` and were signed.
#[test]
fn the_init_templates_placeholders_passed_check_and_were_signed() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    let init = offering
        .ceu()
        .args(["init", "records/NEW-2025-01-TOWN"])
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(0), "{}", text(&init));
    let dir = offering.records().join("NEW-2025-01-TOWN");
    let course = std::fs::read_to_string(dir.join("course.toml")).unwrap();
    // init fills the id from the folder name.
    assert!(course.contains("id = \"NEW-2025-01-TOWN\""), "{course}");

    // Before class: header-only roster -> the record alone is checked (exit 1 for its
    // placeholders, not 2), with a warning that there is no roster yet.
    let check = |args: &[&str]| {
        offering
            .ceu()
            .args(["check", "--format", "json", "--as-of", "2025-01-02"])
            .args(args)
            .arg("records/NEW-2025-01-TOWN")
            .output()
            .unwrap()
    };
    let output = check(&[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(has_rule(&report, "DATA-ROSTER-EMPTY"));
    let placeholders: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "RECORD-PLACEHOLDER")
        .collect();
    // Each placeholder left names its own line of course.toml.
    let lines: BTreeSet<u64> = placeholders
        .iter()
        .map(|f| f["location"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines.len(), placeholders.len());
    for (needle, what) in [
        ("title = \"...\"", "title"),
        ("location = \"City, Region, Country\"", "location"),
        ("provider_code = \"ABCD\"", "provider code"),
        ("course_number = \"0000\"", "course number"),
        ("start_date = 2025-01-01", "start date"),
        ("financial = \"... receives", "disclosure"),
    ] {
        let line = course.lines().position(|l| l.starts_with(needle)).unwrap() as u64 + 1;
        assert!(
            lines.contains(&line),
            "{what} (line {line}) not reported: {lines:?}"
        );
        let finding = placeholders
            .iter()
            .find(|f| f["location"]["line"] == line)
            .unwrap();
        assert_eq!(finding["scope"], "offering");
        assert_eq!(
            finding["location"]["file"],
            "records/NEW-2025-01-TOWN/course.toml"
        );
    }
    assert!(
        !placeholders.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("COURSE-YYYY-MM-CITY")),
        "init filled the id"
    );
    // Plausible defaults are comments, not values.
    assert!(course.contains("# grace_minutes"));
    assert!(course.contains("time_zone = \"...\""), "{course}");
    assert!(course.contains("level = \"...\""), "{course}");

    // One roster row and one sign-in row, as in the issue: still nothing is signed.
    edit_file(&dir.join("roster.csv"), |t| {
        format!("{t}P1,Pat,Lee,pat@example.com,,,,,,,SLP,CCC-SLP,,,,ASHA,yes\n")
    });
    std::fs::write(
        dir.join("attendance/day1.csv"),
        "First Name,Last Name,Email,Date,Sign In,Sign Out\nPat,Lee,pat@example.com,2025-01-01,08:55,12:05\n",
    )
    .unwrap();
    let output = check(&[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let issue = offering
        .ceu()
        .args(["issue", "--key", &key])
        .args(ISSUE_TIMES)
        .arg("records/NEW-2025-01-TOWN")
        .output()
        .unwrap();
    assert_eq!(issue.status.code(), Some(1), "{}", text(&issue));
    assert!(!dir.join("certificates").exists());
    let stderr = String::from_utf8_lossy(&issue.stderr);
    assert!(stderr.contains("error[RECORD-PLACEHOLDER]"), "{stderr}");
}

/// Before class, a complete course record with a header-only roster: `check` exits by the
/// record's findings (0 here: warnings only), not 2; `issue` issues nothing and exits 1.
#[test]
fn a_header_only_roster_stopped_check_before_the_record_was_checked() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    edit_file(&offering.dir().join("roster.csv"), |t| {
        t.lines().next().unwrap().to_string() + "\n"
    });
    let (code, report) = offering.check_json("2025-03-20");
    assert!(has_rule(&report, "DATA-ROSTER-EMPTY"));
    assert_eq!(report["summary"]["errors"].as_u64().unwrap() > 0, code == 1);
    assert_ne!(code, 2);
    let issue = offering.issue(&key, &[]);
    assert_eq!(issue.status.code(), Some(1), "{}", text(&issue));
    assert!(!offering.certificates().exists());
    assert!(!offering.ledger().exists());
}

/// A record with every placeholder replaced has no RECORD-PLACEHOLDER finding (the example),
/// and an ellipsis inside a word is not taken for one.
#[test]
fn real_values_are_not_taken_for_placeholders() {
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        t.replacen(
            "description = \"\"\"\n",
            "description = \"\"\"\nBreathe... then \\\n",
            1,
        )
    });
    let (_, report) = offering.check_json("2025-03-20");
    assert!(!has_rule(&report, "RECORD-PLACEHOLDER"), "{report}");
    offering.edit_course(|t| t.replacen("Breathe... then ", "Then ... ", 1));
    let (code, report) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    assert!(has_rule(&report, "RECORD-PLACEHOLDER"));
    assert_eq!(report["summary"]["offering_errors"], 1);
}

/// Regression (issue 12, item 5): `cd records/OFF && ceu issue .` put a second ledger inside
/// the offering folder, and `ceu issue records/OFF` from the root then issued everyone again.
#[test]
fn issuing_from_inside_the_offering_folder_started_a_second_ledger() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    let key_abs = offering.temp.path().join(&key);
    let inside = offering
        .ceu()
        .current_dir(offering.dir())
        .args(["issue", "--key", key_abs.to_str().unwrap()])
        .args(ISSUE_TIMES)
        .arg(".")
        .output()
        .unwrap();
    assert_eq!(inside.status.code(), Some(0), "{}", text(&inside));
    assert!(!offering.dir().join("ledger.jsonl").exists());
    assert!(!offering.dir().join("keys").exists());
    assert_eq!(issued(&offering).len(), 21);
    // Printed paths stay as typed, and the ledger is printed relative to where they are.
    let stdout = String::from_utf8_lossy(&inside.stdout);
    assert!(stdout.contains("Certificates: ./certificates"), "{stdout}");
    assert!(stdout.contains("Ledger: ../ledger.jsonl"), "{stdout}");

    let root = offering.issue(&key, &[]);
    assert_eq!(root.status.code(), Some(0), "{}", text(&root));
    let stdout = String::from_utf8_lossy(&root.stdout);
    assert!(stdout.contains("Issued 0, unchanged 21"), "{stdout}");
    let lines = std::fs::read_to_string(offering.ledger()).unwrap();
    // 21 certificates and 4 notices.
    assert_eq!(lines.lines().count(), 25);
    assert_eq!(
        std::fs::read_dir(offering.certificates()).unwrap().count(),
        21
    );

    // verify and ledger verify from inside the offering folder find records/ledger.jsonl.
    let public = std::fs::read_dir(offering.records().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".pub.pem"))
        .unwrap();
    let verify = offering
        .ceu()
        .current_dir(offering.dir())
        .args([
            "verify",
            "certificates",
            "--trust",
            public.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    let chain = offering
        .ceu()
        .current_dir(offering.dir())
        .args(["ledger", "verify", "--trust", public.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(chain.status.code(), Some(0), "{}", text(&chain));
}

/// A ledger or checkpoint left inside the offering folder (by an older ceu) makes `issue`
/// refuse, saying what to do; nothing is written.
#[test]
fn a_ledger_inside_the_offering_folder_was_silently_ignored() {
    for stray in ["ledger.jsonl", "ledger.checkpoint.json"] {
        let offering = Offering::ser2();
        let (key, _) = offering.keygen();
        std::fs::write(offering.dir().join(stray), "").unwrap();
        let output = offering.issue(&key, &[]);
        assert_eq!(output.status.code(), Some(2), "{}", text(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("records/SER2-2025-03-CAL/{stray}")),
            "{stderr}"
        );
        assert!(stderr.contains("records/ledger.jsonl"), "{stderr}");
        assert!(!offering.ledger().exists());
        assert!(!offering.certificates().exists());
    }
}

/// Regression: with the ledger moved away, `issue` started a new ledger and overwrote the
/// PDFs. It refuses, and `--new-ledger` does it on purpose.
#[test]
fn a_moved_ledger_made_issue_start_a_new_one_over_the_old_pdfs() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    let first = offering.issue(&key, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let pdf = offering.pdf_of("A001");
    let before = std::fs::metadata(&pdf).unwrap().modified().unwrap();
    std::fs::rename(offering.ledger(), offering.temp.path().join("moved.jsonl")).unwrap();

    let refused = offering.issue(&key, &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("--new-ledger") && stderr.contains("--ledger"),
        "{stderr}"
    );
    assert!(!offering.ledger().exists());
    assert_eq!(std::fs::metadata(&pdf).unwrap().modified().unwrap(), before);

    // Naming the moved ledger works: nothing to do.
    let named = offering.issue(&key, &["--ledger", "moved.jsonl"]);
    assert_eq!(named.status.code(), Some(0), "{}", text(&named));
    assert!(String::from_utf8_lossy(&named.stdout).contains("unchanged 21"));

    // The old ledger's checkpoint is still beside the path: a new ledger would overwrite the
    // evidence of the old one, so it is refused until the checkpoint goes with its ledger.
    let kept = offering.issue(&key, &["--new-ledger"]);
    assert_eq!(kept.status.code(), Some(2), "{}", text(&kept));
    assert!(
        String::from_utf8_lossy(&kept.stderr).contains("move its checkpoint with it"),
        "{}",
        text(&kept)
    );
    std::fs::rename(
        offering.records().join("ledger.checkpoint.json"),
        offering.temp.path().join("moved.checkpoint.json"),
    )
    .unwrap();
    let fresh = offering.issue(&key, &["--new-ledger"]);
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh));
    assert_eq!(issued(&offering).len(), 21);
    // --new-ledger refuses once the ledger has entries.
    let again = offering.issue(&key, &["--new-ledger"]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
}

/// Certificates in the output folder that the ledger does not record (another key's or
/// ledger's) make `issue` refuse rather than overwrite or mix them.
#[test]
fn certificates_the_ledger_does_not_record_were_overwritten() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    std::fs::create_dir_all(offering.certificates()).unwrap();
    std::fs::write(
        offering
            .certificates()
            .join("SER2-2025-03-CAL-ABCDEFGH-r1.pdf"),
        "%PDF-1.7\n",
    )
    .unwrap();
    std::fs::write(offering.ledger(), "").unwrap();
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("SER2-2025-03-CAL-ABCDEFGH-r1.pdf"),
        "{stderr}"
    );
    assert!(stderr.contains("--out"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(offering.certificates()).unwrap().count(),
        1
    );
    // A separate output folder is fine.
    let elsewhere = offering.issue(&key, &["--out", "records/other-out"]);
    assert_eq!(elsewhere.status.code(), Some(0), "{}", text(&elsewhere));
}

/// Regression (issue 12, item 6): the README's first command wrote certificates into the
/// example, and the tests copied them along with the inputs (42 PDFs where 21 were expected).
/// Tests copy only inputs.
#[test]
fn tests_copied_the_certificates_the_readme_command_had_written() {
    let temp = tempfile::tempdir().unwrap();
    let example = temp.path().join("example");
    common::copy_offering_inputs(&common::repo().join("records/SER2-2025-03-CAL"), &example);
    let inputs: BTreeSet<String> = std::fs::read_dir(&example)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // What issuing (and the open issues' commands) write into an offering folder.
    for dir in ["certificates", "reports", "notices"] {
        std::fs::create_dir_all(example.join(dir)).unwrap();
        std::fs::write(example.join(dir).join("x.pdf"), "%PDF-1.7\n").unwrap();
    }
    for file in ["delivery.csv", "disclosure-A001.pdf", "packet.pdf"] {
        std::fs::write(example.join(file), "generated").unwrap();
    }
    let copy = temp.path().join("copy");
    common::copy_offering_inputs(&example, &copy);
    let copied: BTreeSet<String> = std::fs::read_dir(&copy)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(copied, inputs);
    assert!(copied.contains("course.toml") && copied.contains("attendance"));
}

/// What running the example writes is ignored by git, scoped to the example: a provider's
/// public keys and other offerings' files are not.
#[test]
fn git_tracked_what_the_readme_command_wrote() {
    let repo = common::repo();
    let ignored = |path: &str| {
        std::process::Command::new("git")
            .current_dir(&repo)
            .args(["check-ignore", "-q", "--no-index", path])
            .status()
            .expect("git runs")
            .code()
            == Some(0)
    };
    for path in [
        "records/ledger.jsonl",
        "records/ledger.checkpoint.json",
        "records/ledger.jsonl.lock",
        "records/SER2-2025-03-CAL/certificates/SER2-2025-03-CAL-0123ABCD-r1.pdf",
        "records/SER2-2025-03-CAL/reports/asha.csv",
        "records/SER2-2025-03-CAL/notices/A001.txt",
        "records/SER2-2025-03-CAL/delivery.csv",
        "records/SER2-2025-03-CAL/disclosure-A001.pdf",
        "records/SER2-2025-03-CAL/packet.pdf",
    ] {
        assert!(ignored(path), "{path} is not ignored");
    }
    for path in [
        "records/keys/0123abcd.pub.pem",
        "records/OTHER-2026-01-TOWN/certificates/x.pdf",
        "records/SER2-2025-03-CAL/course.toml",
        "records/SER2-2025-03-CAL/attendance/day1-2025-03-06.csv",
    ] {
        assert!(!ignored(path), "{path} is ignored");
    }
}
