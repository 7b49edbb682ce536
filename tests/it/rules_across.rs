//! The rules across the offerings of one ASHA course (ASHA-COURSE-3, -11, -13, ASHA-ELIG-3,
//! -4), ASHA-COURSE-7, and the ASHA participant report's row checks as `check` shows them
//! (ASHA-REPORT-2, -4). The other offerings are folders beside SER2's (tests/fixtures/siblings
//! holds an earlier offering of the course, taught by one of SER2's attendees) and the ledger's
//! signed `report` entries, written by the real `ceu report asha`.

use crate::common::{self, Offering, attendee, copy_dir, finding_ids, repo};
use serde_json::Value;

const AS_OF: &str = "2025-03-20";

/// An edit of a course record's text.
type Edit = fn(String) -> String;

/// Writes another offering of SER2's course beside it: SER2's course record with the offering
/// id `folder`, the dates `start`..`start`, offering number `number`, then `edit` applied.
fn sibling(
    o: &Offering,
    folder: &str,
    start: &str,
    number: &str,
    edit: impl FnOnce(String) -> String,
) {
    let text = std::fs::read_to_string(o.dir().join("course.toml")).unwrap();
    let text = text
        .replacen(
            "id = \"SER2-2025-03-CAL\"",
            &format!("id = \"{folder}\""),
            1,
        )
        .replacen(
            "start_date = 2025-03-06",
            &format!("start_date = {start}"),
            1,
        )
        .replacen("end_date = 2025-03-09", &format!("end_date = {start}"), 1)
        .replacen(
            "offering_number = \"001\"",
            &format!("offering_number = \"{number}\""),
            1,
        );
    let dir = o.records().join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("course.toml"), edit(text)).unwrap();
}

/// An agenda `start = "HH:MM"` or `end = "HH:MM"` line one hour earlier; other lines as they are.
fn earlier_by_an_hour(line: &str) -> String {
    for key in ["start = \"", "end = \""] {
        if let Some(time) = line.strip_prefix(key) {
            let hour: u32 = time[..2].parse().unwrap();
            return format!("{key}{:02}{}", hour - 1, &time[2..]);
        }
    }
    line.to_string()
}

/// The findings of `rule` in a check report.
fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn has(report: &Value, rule: &str) -> bool {
    !findings(report, rule).is_empty()
}

/// The ASHA award of attendee `id`.
fn asha<'a>(report: &'a Value, id: &str) -> &'a Value {
    attendee(report, id)["credits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["body"] == "ASHA")
        .unwrap()
}

// ---- ASHA-COURSE-11: identical offerings ----

#[test]
fn asha_course_11_names_what_differs_and_the_folder() {
    let cases: [(&str, Edit, &str); 6] = [
        (
            "the title",
            |t| t.replacen("Inner Physician", "Inner Doctor", 1),
            "title",
        ),
        (
            "the description",
            |t| t.replacen("Participants practised", "Participants rehearsed", 1),
            "description",
        ),
        (
            "the learning outcomes",
            |t| t.replacen("with a practice partner", "with two partners", 1),
            "outcomes",
        ),
        (
            "the agenda (block 1: instruction of 90 min here, instruction of 60 min there",
            |t| t.replacen("end = \"10:30\"", "end = \"10:00\"", 1),
            "agenda",
        ),
        (
            "the ASHA CEUs",
            |t| t.replacen("ceus = \"2.60\"", "ceus = \"2.50\"", 1),
            "ceus",
        ),
        (
            "the assessment",
            |t| {
                t.replacen(
                    "assessment_required = false",
                    "assessment_required = true",
                    1,
                )
            },
            "assessment",
        ),
    ];
    for (words, edit, label) in cases {
        let o = Offering::ser2();
        sibling(&o, "SER2-2024-10-PBG", "2024-10-03", "002", edit);
        let (code, json) = o.check_json(AS_OF);
        let found = findings(&json, "ASHA-COURSE-11");
        assert_eq!(found.len(), 1, "{label}: {:#}", json["findings"]);
        let message = found[0]["message"].as_str().unwrap();
        assert!(message.contains("`SER2-2024-10-PBG`"), "{label}: {message}");
        assert!(message.contains(words), "{label}: {message}");
        assert_eq!(found[0]["severity"], "error");
        assert_eq!(code, 1, "{label}");
    }
}

#[test]
fn asha_course_11_is_quiet_when_only_dates_times_and_numbers_differ() {
    let o = Offering::ser2();
    // The same blocks on other days and at other clock times, another offering number.
    sibling(&o, "SER2-2024-10-PBG", "2024-10-03", "002", |t| {
        t.replace("date = 2025-03-0", "date = 2024-10-0")
            .lines()
            .map(earlier_by_an_hour)
            .collect::<Vec<_>>()
            .join("\n")
    });
    // Another course by number is never compared.
    sibling(&o, "OTHER-COURSE", "2024-11-01", "001", |t| {
        t.replacen("course_number = \"4102\"", "course_number = \"4103\"", 1)
            .replacen("Inner Physician", "Outer Physician", 1)
    });
    let (code, json) = o.check_json(AS_OF);
    assert!(!has(&json, "ASHA-COURSE-11"), "{:#}", json["findings"]);
    assert!(!has(&json, "ASHA-COURSE-3"), "{:#}", json["findings"]);
    assert_eq!(code, 0, "{:#}", json["findings"]);
}

#[test]
fn a_sibling_of_another_provider_or_unreadable_is_not_compared() {
    let o = Offering::ser2();
    sibling(&o, "OTHER-PROVIDER", "2024-10-03", "002", |t| {
        t.replacen("provider_code = \"AUCS\"", "provider_code = \"ZZZZ\"", 1)
            .replacen("Inner Physician", "Inner Doctor", 1)
    });
    sibling(&o, "BROKEN", "2024-10-03", "003", |t| {
        format!("{t}\nnot toml = = =")
    });
    let (code, json) = o.check_json(AS_OF);
    assert_eq!(code, 0, "{:#}", json["findings"]);
    assert!(!has(&json, "ASHA-COURSE-11"));
}

// ---- ASHA-COURSE-3: offering numbers unique within the course ----

#[test]
fn asha_course_3_offering_number_used_by_another_offering() {
    let o = Offering::ser2();
    sibling(&o, "SER2-2024-10-PBG", "2024-10-03", "001", |t| t);
    let (code, json) = o.check_json(AS_OF);
    let found = findings(&json, "ASHA-COURSE-3");
    assert_eq!(found.len(), 1, "{:#}", json["findings"]);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("`SER2-2024-10-PBG`")
    );
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(code, 0);
}

// ---- ASHA-COURSE-13: the five-year window ----

#[test]
fn asha_course_13_five_years_after_the_earliest_offering_seen() {
    // SER2 starts 2025-03-06. An offering on 2020-03-06 puts it exactly five years on: too late.
    let o = Offering::ser2();
    sibling(&o, "SER2-2020-03-PBG", "2020-03-06", "002", |t| t);
    sibling(&o, "SER2-2022-03-PBG", "2022-03-03", "003", |t| t);
    let (code, json) = o.check_json(AS_OF);
    let found = findings(&json, "ASHA-COURSE-13");
    assert_eq!(found.len(), 1, "{:#}", json["findings"]);
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`SER2-2020-03-PBG`, 2020-03-06"),
        "{message}"
    );
    assert!(
        message.contains("earlier offering kept outside"),
        "{message}"
    );
    assert!(found[0]["fix"].as_str().unwrap().contains("2025-03-06"));
    assert_eq!(code, 1);
}

#[test]
fn asha_course_13_is_quiet_inside_the_window_and_for_the_first_offering() {
    // One day inside the window; and a later offering does not start a window for this one.
    let o = Offering::ser2();
    sibling(&o, "SER2-2020-03-PBG", "2020-03-07", "002", |t| t);
    sibling(&o, "SER2-2031-03-PBG", "2031-03-06", "003", |t| t);
    let (code, json) = o.check_json(AS_OF);
    assert!(!has(&json, "ASHA-COURSE-13"), "{:#}", json["findings"]);
    assert_eq!(code, 0);
}

// ---- ASHA-COURSE-7: subject code ----

#[test]
fn asha_course_7_subject_code_missing_or_not_in_the_providers_list() {
    let quiet = Offering::ser2();
    let (_, json) = quiet.check_json(AS_OF);
    assert!(!has(&json, "ASHA-COURSE-7"));

    let o = Offering::ser2();
    o.edit_course(|t| t.replacen("subject_code = \"7040\"\n", "", 1));
    let (code, json) = o.check_json(AS_OF);
    let found = findings(&json, "ASHA-COURSE-7");
    assert_eq!(found.len(), 1, "{:#}", json["findings"]);
    assert_eq!(found[0]["severity"], "warning");
    let file = found[0]["location"]["file"].as_str().unwrap();
    assert!(file.ends_with("SER2-2025-03-CAL/course.toml"), "{file}");
    assert!(found[0]["location"]["line"].is_u64(), "{:#}", found[0]);
    assert_eq!(code, 0);

    for (codes, fires) in [("[\"7040\", \"7050\"]", false), ("[\"1234\"]", true)] {
        let o = Offering::ser2();
        o.edit_course(|t| format!("{t}\n[rules]\nasha_subject_codes = {codes}\n"));
        let (code, json) = o.check_json(AS_OF);
        assert_eq!(
            has(&json, "ASHA-COURSE-7"),
            fires,
            "{codes}: {:#}",
            json["findings"]
        );
        assert_eq!(code, 0);
    }
}

// ---- ASHA-ELIG-3: an instructor is reported only the first time they teach the course ----

/// The fixture: an offering of SER2's course in October 2024 taught by `name` (a roster
/// attendee of SER2), copied beside SER2 under `folder` with its start moved to `start`.
fn taught_by(o: &Offering, folder: &str, start: &str, name: &str) {
    let fixture = repo().join("tests/fixtures/siblings/SER2-2024-10-PBG/course.toml");
    let text = std::fs::read_to_string(fixture)
        .unwrap()
        .replacen(
            "start_date = 2024-10-03",
            &format!("start_date = {start}"),
            1,
        )
        .replacen("end_date = 2024-10-06", &format!("end_date = {start}"), 1)
        .replace("Aiyana Redcrow", name);
    let dir = o.records().join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("course.toml"), text).unwrap();
}

#[test]
fn asha_elig_3_an_instructor_of_an_earlier_offering_gets_no_asha_credit() {
    for name in [
        "Aiyana Redcrow",
        "Dr. Aiyana Redcrow, CCC-SLP",
        "aiyana redcrow",
    ] {
        let o = Offering::ser2();
        taught_by(&o, "SER2-2024-10-PBG", "2024-10-03", name);
        let (code, json) = o.check_json(AS_OF);
        assert_eq!(
            code, 0,
            "{name}: a warning, not an error: {:#}",
            json["findings"]
        );
        let award = asha(&json, "A001");
        assert!(award["amount"].is_null(), "{name}: {award:#}");
        let reason = award["reason"].as_str().unwrap();
        assert!(reason.contains("ASHA-ELIG-3"), "{reason}");
        assert!(
            reason.contains("`SER2-2024-10-PBG` (2024-10-03)"),
            "{reason}"
        );
        let warned = findings(&json, "ASHA-ELIG-3");
        assert_eq!(warned.len(), 1, "{:#}", json["findings"]);
        assert_eq!(warned[0]["attendee"], "A001");
        assert_eq!(warned[0]["severity"], "warning");
        // The certificate is still issued (a Certificate of Attendance), never blocked.
        assert_eq!(attendee(&json, "A001")["status"], "completed");
        assert!(
            attendee(&json, "A001")["blocked_by"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        // Only A001.
        assert!(asha(&json, "A002")["amount"].is_object());
    }
}

#[test]
fn asha_elig_3_partial_credit_withheld_leaves_no_certificate() {
    // A007 earns ASHA partial credit only; as an earlier instructor, that is withheld too.
    let o = Offering::ser2();
    taught_by(&o, "SER2-2024-10-PBG", "2024-10-03", "Grace O'Neill");
    let (_, json) = o.check_json(AS_OF);
    let a007 = attendee(&json, "A007");
    assert_eq!(a007["status"], "not-completed", "{a007:#}");
    assert!(
        !a007["reason"]
            .as_str()
            .unwrap()
            .contains("partial credit awarded")
    );
    assert!(
        asha(&json, "A007")["reason"]
            .as_str()
            .unwrap()
            .contains("ASHA-ELIG-3")
    );
}

#[test]
fn asha_elig_3_is_quiet_for_a_later_offering_a_planner_or_another_person() {
    let cases: [(&str, &str, Edit); 3] = [
        // Teaching a later offering does not make this one a repeat.
        ("2025-09-04", "Aiyana Redcrow", |t| t),
        // A planner is not an instructor.
        ("2024-10-03", "Aiyana Redcrow", |t| {
            t.replacen(
                "role = \"instructor\"\n\n[speaker.disclosure]\nfinancial = \"Aiyana",
                "role = \"planner\"\n\n[speaker.disclosure]\nfinancial = \"Aiyana",
                1,
            )
        }),
        // Someone else with the same first name.
        ("2024-10-03", "Aiyana Whitecloud", |t| t),
    ];
    for (start, name, edit) in cases {
        let o = Offering::ser2();
        taught_by(&o, "SER2-2024-10-PBG", start, name);
        common::edit_file(&o.records().join("SER2-2024-10-PBG/course.toml"), |t| {
            let changed = edit(t.clone());
            if changed == t {
                format!("{t}\n")
            } else {
                changed
            }
        });
        let (code, json) = o.check_json(AS_OF);
        assert_eq!(code, 0, "{start} {name}: {:#}", json["findings"]);
        assert!(asha(&json, "A001")["amount"].is_object(), "{start} {name}");
        assert!(
            !has(&json, "ASHA-ELIG-3"),
            "{start} {name}: {:#}",
            json["findings"]
        );
    }
}

#[test]
fn asha_elig_3_matches_an_instructor_by_email() {
    let o = Offering::ser2();
    taught_by(&o, "SER2-2024-10-PBG", "2024-10-03", "A. Redcrow-Smith");
    common::edit_file(&o.records().join("SER2-2024-10-PBG/course.toml"), |t| {
        t.replacen(
            "name = \"A. Redcrow-Smith\"\nrole = \"instructor\"",
            "name = \"A. Redcrow-Smith\"\nrole = \"instructor\"\nemail = \"Aiyana.Redcrow@example.org\"",
            1,
        )
    });
    let (_, json) = o.check_json(AS_OF);
    assert!(
        asha(&json, "A001")["reason"]
            .as_str()
            .unwrap()
            .contains("ASHA-ELIG-3")
    );
}

// ---- ASHA-ELIG-4: a person is reported for a course once ----

/// A second offering of SER2's course, with the same roster and attendance, in the folder
/// `SER2-2025-03-EDM` (offering number 002), reported to ASHA with `key`.
fn reported_sibling(o: &Offering, key: &str, edit: impl FnOnce(String) -> String) {
    let dir = o.records().join("SER2-2025-03-EDM");
    copy_dir(&o.dir(), &dir);
    common::edit_file(&dir.join("course.toml"), |t| {
        edit(
            t.replacen("id = \"SER2-2025-03-CAL\"", "id = \"SER2-2025-03-EDM\"", 1)
                .replacen("offering_number = \"001\"", "offering_number = \"002\"", 1),
        )
    });
    let output = o
        .ceu()
        .args([
            "report",
            "asha",
            "records/SER2-2025-03-EDM",
            "--as-of",
            AS_OF,
            "--key",
            key,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", common::text(&output));
}

fn check_with_key(o: &Offering, key: Option<&str>) -> (i32, Value) {
    let mut command = o.ceu();
    command.args([
        "check",
        "records/SER2-2025-03-CAL",
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ]);
    if let Some(key) = key {
        command.args(["--key", key]);
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap(),
        serde_json::from_slice(&output.stdout).unwrap(),
    )
}

#[test]
fn asha_elig_4_people_reported_for_the_course_in_another_offering_are_not_reported_again() {
    let o = Offering::ser2();
    let key = common::seeded_key(&o, "elig-4");
    reported_sibling(&o, &key, |t| t);
    let (code, json) = check_with_key(&o, Some(&key));
    assert_eq!(code, 0, "{:#}", json["findings"]);
    // The seven reported there (A001–A007) get no ASHA credit here; each who still receives a
    // certificate is warned about (A007's only credit was partial ASHA credit: no certificate).
    for id in ["A001", "A002", "A003", "A004", "A005", "A006", "A007"] {
        let award = asha(&json, id);
        assert!(award["amount"].is_null(), "{id}: {award:#}");
        let reason = award["reason"].as_str().unwrap();
        assert!(reason.contains("ASHA-ELIG-4"), "{reason}");
        assert!(reason.contains("SER2-2025-03-EDM"), "{reason}");
        assert!(reason.contains("ledger entry 1"), "{reason}");
    }
    assert_eq!(findings(&json, "ASHA-ELIG-4").len(), 6);
    assert_eq!(attendee(&json, "A007")["status"], "not-completed");

    // `ceu report asha` on this offering lists none of them: they are not reported again.
    let output = o
        .ceu()
        .args([
            "report",
            "asha",
            "records/SER2-2025-03-CAL",
            "--as-of",
            AS_OF,
            "--key",
            &key,
        ])
        .output()
        .unwrap();
    let text = common::text(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("No ASHA participants"), "{text}");
    assert!(text.contains("(ASHA-ELIG-4)"), "{text}");
}

#[test]
fn asha_elig_4_is_quiet_when_repeats_are_allowed_without_the_key_or_with_another_key() {
    // Repeats allowed by the course's registration.
    let o = Offering::ser2();
    let key = common::seeded_key(&o, "elig-4");
    reported_sibling(&o, &key, |t| t);
    o.edit_course(|t| {
        t.replacen(
            "partial_credit = true\n",
            "partial_credit = true\nrepeats_allowed = true\n",
            1,
        )
    });
    let (code, json) = check_with_key(&o, Some(&key));
    assert_eq!(code, 0);
    assert!(!has(&json, "ASHA-ELIG-4"), "{:#}", json["findings"]);
    assert!(asha(&json, "A001")["amount"].is_object());

    // Without the key the tags cannot be matched (docs/rules.md says so); with another key
    // they do not match.
    let o = Offering::ser2();
    let key = common::seeded_key(&o, "elig-4");
    reported_sibling(&o, &key, |t| t);
    let (_, json) = check_with_key(&o, None);
    assert!(!has(&json, "ASHA-ELIG-4"));
    let other_key = common::seeded_key(&o, "another provider");
    let (_, json) = check_with_key(&o, Some(&other_key));
    assert!(!has(&json, "ASHA-ELIG-4"), "{:#}", json["findings"]);
}

#[test]
fn asha_elig_3_an_instructor_already_reported_is_not_reported_again_even_with_repeats() {
    // Aiyana Redcrow was reported for the course in the other offering, and teaches this one.
    let o = Offering::ser2();
    let key = common::seeded_key(&o, "elig-3");
    reported_sibling(&o, &key, |t| t);
    o.edit_course(|t| {
        t.replacen("partial_credit = true\n", "partial_credit = true\nrepeats_allowed = true\n", 1)
            .replacen(
                "[[speaker]]\nname = \"Tobias Reinholt\"",
                "[[speaker]]\nname = \"Aiyana Redcrow\"\nrole = \"instructor\"\n\n[speaker.disclosure]\nfinancial = \"Aiyana Redcrow receives a teaching fee from Upledger Institute International.\"\nnonfinancial = \"Aiyana Redcrow has no relevant nonfinancial relationships to disclose.\"\ndate = 2025-01-20\n\n[[speaker]]\nname = \"Tobias Reinholt\"",
                1,
            )
    });
    let (code, json) = check_with_key(&o, Some(&key));
    assert_eq!(code, 0, "{:#}", json["findings"]);
    let reason = asha(&json, "A001")["reason"].as_str().unwrap();
    assert!(reason.contains("ASHA-ELIG-3"), "{reason}");
    assert!(
        reason.contains("an instructor is reported for a course only once"),
        "{reason}"
    );
    // The others may repeat.
    assert!(asha(&json, "A002")["amount"].is_object());
}

// ---- ASHA-REPORT-2, -3, -4 in check: attendee warnings, never blocking ----

#[test]
fn asha_report_2_missing_report_fields_are_attendee_warnings_in_check() {
    let o = Offering::ser2();
    o.edit_roster(|t| {
        t.replacen("T2S 1A1,Canada", "T2S 1A1,", 1)
            .replacen("A002,Benoît,Lavoie", "A002,Benoît,", 1)
            .replacen("2200 Speer Blvd", "", 1)
            // Not an ASHA participant: a missing address is nothing to ASHA.
            .replacen("310 Bow Valley Trail", "", 1)
    });
    let (code, json) = o.check_json(AS_OF);
    assert_eq!(code, 0, "{:#}", json["findings"]);
    let found = findings(&json, "ASHA-REPORT-2");
    let by: Vec<(&str, &str)> = found
        .iter()
        .map(|f| {
            (
                f["attendee"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(by.len(), 3, "{by:#?}");
    assert!(
        by.iter()
            .any(|(id, m)| *id == "A001" && m.contains("no country")),
        "{by:?}"
    );
    assert!(
        by.iter()
            .any(|(id, m)| *id == "A002" && m.contains("no last name") && m.contains("not listed")),
        "{by:?}"
    );
    assert!(
        by.iter()
            .any(|(id, m)| *id == "A004" && m.contains("no street")),
        "{by:?}"
    );
    assert!(found.iter().all(|f| f["severity"] == "warning"));
    for id in ["A001", "A002", "A004"] {
        assert!(
            attendee(&json, id)["blocked_by"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn asha_report_4_a_row_above_the_course_ceus_or_off_the_step_is_left_out() {
    use ceu::rules::participants::Row;
    let row = |units| Row {
        attendee_id: "A001".into(),
        first_name: "Aiyana".into(),
        last_name: "Redcrow".into(),
        email: "a@example.org".into(),
        street: "1 Main St".into(),
        city: "Calgary".into(),
        region: "AB".into(),
        postal_code: "T2S 1A1".into(),
        country: "Canada".into(),
        asha_account: "12345678".into(),
        ceu_hundredths: units,
    };
    for units in [265, 257] {
        let (listed, problems) = row(units).problems(260);
        assert!(!listed, "{units}");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0.as_str(), "ASHA-REPORT-4");
    }
    for units in [260, 5] {
        let (listed, problems) = row(units).problems(260);
        assert!(listed && problems.is_empty(), "{units}: {problems:?}");
    }
}

#[test]
fn check_and_report_agree_on_the_report_warnings() {
    // The same roster cell gives the same rule in both, from one judgement.
    let o = Offering::ser2();
    o.edit_roster(|t| t.replacen(",12345678,", ",1234-567,", 1));
    let (_, json) = o.check_json(AS_OF);
    assert_eq!(findings(&json, "ASHA-REPORT-3").len(), 1);
    let key = common::seeded_key(&o, "agree");
    let output = o
        .ceu()
        .args([
            "report",
            "asha",
            "records/SER2-2025-03-CAL",
            "--as-of",
            AS_OF,
            "--key",
            &key,
        ])
        .output()
        .unwrap();
    let text = common::text(&output);
    assert!(text.contains("warning[ASHA-REPORT-3] A001"), "{text}");
    assert!(
        finding_ids(&json)
            .iter()
            .any(|(id, s)| id == "ASHA-REPORT-3" && s == "warning")
    );
}

// ---- ASHA-REPORT-5: every offering reported or closed ----

#[test]
fn asha_report_5_past_the_due_date_without_a_recorded_submission() {
    // Before the due date (2025-04-23): quiet.
    let o = Offering::ser2();
    let (_, json) = o.check_json("2025-04-23");
    assert!(!has(&json, "ASHA-REPORT-5"), "{:#}", json["findings"]);
    // After it, with no ledger at all: warned, never an error.
    let (code, json) = o.check_json("2025-04-24");
    let found = findings(&json, "ASHA-REPORT-5");
    assert_eq!(found.len(), 1, "{:#}", json["findings"]);
    assert_eq!(code, 0);
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("2025-05-23"),
        "closed 30 days after: {message}"
    );
    assert!(found[0]["fix"].as_str().unwrap().contains("--submitted"));
    // A report made but not recorded as submitted does not count.
    let key = common::seeded_key(&o, "report-5");
    let made = o
        .ceu()
        .args([
            "report",
            "asha",
            "records/SER2-2025-03-CAL",
            "--as-of",
            "2025-04-20",
            "--key",
            &key,
        ])
        .output()
        .unwrap();
    assert_eq!(made.status.code(), Some(0), "{}", common::text(&made));
    let (_, json) = o.check_json("2025-05-01");
    assert!(has(&json, "ASHA-REPORT-5"));
    assert!(has(&json, "ASHA-REPORT-1"));
}

#[test]
fn a_recorded_submission_silences_the_deadline_warnings() {
    let o = Offering::ser2();
    let key = common::seeded_key(&o, "report-5");
    let made = o
        .ceu()
        .args([
            "report",
            "asha",
            "records/SER2-2025-03-CAL",
            "--as-of",
            "2025-04-20",
        ])
        .args(["--key", &key, "--submitted", "2025-04-20"])
        .output()
        .unwrap();
    assert_eq!(made.status.code(), Some(0), "{}", common::text(&made));
    for as_of in ["2025-04-20", "2025-05-01", "2026-01-01"] {
        let (code, json) = o.check_json(as_of);
        assert_eq!(code, 0);
        assert!(
            !has(&json, "ASHA-REPORT-5"),
            "{as_of}: {:#}",
            json["findings"]
        );
        assert!(
            !has(&json, "ASHA-REPORT-1"),
            "{as_of}: {:#}",
            json["findings"]
        );
    }
    // Another offering's submission is not this one's.
    let o = Offering::ser2();
    let key = common::seeded_key(&o, "report-5");
    reported_sibling(&o, &key, |t| t);
    let made = o
        .ceu()
        .args([
            "report",
            "asha",
            "records/SER2-2025-03-EDM",
            "--as-of",
            AS_OF,
        ])
        .args(["--key", &key, "--submitted", "2025-03-20"])
        .output()
        .unwrap();
    assert_eq!(made.status.code(), Some(0), "{}", common::text(&made));
    let (_, json) = o.check_json("2025-05-01");
    assert!(has(&json, "ASHA-REPORT-5"), "{:#}", json["findings"]);
}
