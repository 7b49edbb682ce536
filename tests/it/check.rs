//! `ceu check` and `ceu hours` on real offering folders: the SER2 worked example, and copies
//! of it with one thing changed, so every implemented rule is seen to fire and to stay quiet.

use crate::common::{Offering, attendee, finding_ids};
use serde_json::Value;

/// SER2 as shipped, judged before its ASHA deadline.
fn baseline() -> Value {
    let offering = Offering::ser2();
    let (code, json) = offering.check_json("2025-03-20");
    assert_eq!(code, 0, "SER2 must pass check: {json:#}");
    json
}

fn award<'a>(report: &'a Value, id: &str, body: &str) -> &'a Value {
    attendee(report, id)["credits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["body"] == body)
        .unwrap_or_else(|| panic!("{id} has no {body} entry"))
}

fn amount(report: &Value, id: &str, body: &str) -> Option<String> {
    award(report, id, body)["amount"]["value"]
        .as_str()
        .map(str::to_string)
}

/// Asserts that `rule` fires after `edit` with `severity`, and does not fire on SER2 as shipped.
fn fires_and_quiet(rule: &str, severity: &str, edit: impl FnOnce(&Offering)) -> Value {
    let quiet = baseline();
    assert!(
        !finding_ids(&quiet).iter().any(|(id, _)| id == rule),
        "{rule} fired on the unchanged SER2 record: {:#}",
        quiet["findings"]
    );
    let offering = Offering::ser2();
    edit(&offering);
    let (code, json) = offering.check_json("2025-03-20");
    let found = finding_ids(&json);
    assert!(
        found.iter().any(|(id, sev)| id == rule && sev == severity),
        "{rule} ({severity}) did not fire: {:#}",
        json["findings"]
    );
    assert_eq!(
        code,
        if severity == "error" { 1 } else { 0 },
        "exit code for {rule}"
    );
    json
}

#[test]
fn ser2_passes_check_with_the_expected_totals() {
    let report = baseline();
    assert_eq!(report["course_credit"]["instructional_minutes"], 1560);
    assert_eq!(report["course_credit"]["asha_ceus"], "2.60");
    assert_eq!(report["asha_rule_set"], "asha-2018");
    assert_eq!(report["asha_report_due"], "2025-04-23");
    assert_eq!(report["summary"]["attendees"], 24);
    assert_eq!(report["summary"]["errors"], 0);
}

#[test]
fn asha_disclose_1_missing_disclosure_table() {
    let json = fires_and_quiet("ASHA-DISCLOSE-1", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "[speaker.disclosure]\nfinancial = \"Maren Castell receives a teaching fee from Upledger Institute International for teaching this course.\"\nnonfinancial = \"Maren Castell has no relevant nonfinancial relationships to disclose.\"\ndate = 2025-01-15\n",
                "",
                1,
            )
        })
    });
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ASHA-DISCLOSE-1")
        .unwrap();
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("Maren Castell")
    );
    assert_eq!(finding["scope"], "offering");
}

/// The acceptance case: one speaker's nonfinancial line removed.
#[test]
fn asha_disclose_2_missing_nonfinancial_names_speaker_file_and_line() {
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        t.replacen("nonfinancial = \"Maren Castell has no relevant nonfinancial relationships to disclose.\"\n", "", 1)
    });
    let (code, json) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ASHA-DISCLOSE-2")
        .expect("ASHA-DISCLOSE-2 finding");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("Maren Castell")
    );
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("nonfinancial")
    );
    assert!(
        finding["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("course.toml")
    );
    // The [speaker.disclosure] table of the first speaker starts on this line of course.toml.
    let line = finding["location"]["line"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(offering.dir().join("course.toml")).unwrap();
    let shown = text.lines().nth(line - 1).unwrap();
    assert!(
        shown.contains("speaker.disclosure") || shown.contains("financial"),
        "line {line} is `{shown}`"
    );
    // And the human report says the same, with file:line.
    let (code, human) = offering.check_human("2025-03-20");
    assert_eq!(code, 1);
    assert!(human.contains(&format!("course.toml:{line}")), "{human}");
    assert!(human.contains("error[ASHA-DISCLOSE-2]"), "{human}");
}

#[test]
fn asha_disclose_3_and_4_flag_the_seed_statement_as_printed() {
    let json = fires_and_quiet("ASHA-DISCLOSE-3", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "Maren Castell receives a teaching fee from Upledger Institute International for teaching this course.",
                "Teacher receives a fee for teaching this course.",
                1,
            )
            .replacen(
                "Maren Castell has no relevant nonfinancial relationships to disclose.",
                "Teacher has no nonfinancial relationship to disclose.",
                1,
            )
        })
    });
    let ids = finding_ids(&json);
    assert!(ids.iter().any(|(id, _)| id == "ASHA-DISCLOSE-4"), "{ids:?}");
}

#[test]
fn asha_disclose_4_generic_speaker_name() {
    fires_and_quiet("ASHA-DISCLOSE-4", "error", |o| {
        o.edit_course(|t| t.replacen("name = \"Maren Castell\"", "name = \"Teacher\"", 1))
    });
}

const MAREN_FINANCIAL: &str = "Maren Castell receives a teaching fee from Upledger Institute International for teaching this course.";

/// The rule ids that fire on SER2 with Maren Castell's financial statement (and, when given,
/// her recorded name) replaced.
fn ids_with_financial(statement: &str, name: Option<&str>) -> Vec<String> {
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        let t = t.replacen(MAREN_FINANCIAL, statement, 1);
        match name {
            Some(name) => t.replacen("name = \"Maren Castell\"", &format!("name = \"{name}\""), 1),
            None => t,
        }
    });
    let (_, json) = offering.check_json("2025-03-20");
    finding_ids(&json).into_iter().map(|(id, _)| id).collect()
}

#[test]
fn asha_disclose_4_plural_collective_and_pronoun_wording_is_flagged() {
    for statement in [
        "Teachers receive a fee from Upledger Institute International.",
        "Speakers receive an honorarium from Upledger Institute International.",
        "The instructors are paid a teaching fee by Upledger Institute International.",
        "Faculty receive a fee from Upledger Institute International.",
        "They receive a fee from Upledger Institute International.",
        "She receives a teaching fee from Upledger Institute International.",
        "The author receives royalties from Upledger Institute International.",
        "The presenter is employed by Upledger Institute International.",
    ] {
        let ids = ids_with_financial(statement, None);
        assert!(
            ids.iter().any(|id| id == "ASHA-DISCLOSE-4"),
            "ASHA-DISCLOSE-4 did not fire on {statement:?}: {ids:?}"
        );
    }
}

#[test]
fn asha_disclose_4_stays_quiet_on_the_name_a_title_or_a_verb_first_statement() {
    for (statement, name) in [
        (
            "Receives a teaching fee from Upledger Institute International.",
            None,
        ),
        (
            "Maren Castell receives a teaching fee from Upledger Institute International.",
            None,
        ),
        (
            "Dr. Castell receives a teaching fee from Upledger Institute International.",
            None,
        ),
        (
            "Dr. Maren Castell receives a teaching fee from Upledger Institute International.",
            Some("Dr. Maren Castell"),
        ),
        (
            "Castell receives a teaching fee from Upledger Institute International; she also receives royalties from it.",
            None,
        ),
    ] {
        let ids = ids_with_financial(statement, name);
        assert!(
            !ids.iter().any(|id| id.starts_with("ASHA-DISCLOSE")),
            "a disclosure rule fired on {statement:?} ({name:?}): {ids:?}"
        );
    }
}

#[test]
fn asha_disclose_5_blanket_statements_are_flagged() {
    fires_and_quiet("ASHA-DISCLOSE-5", "error", |o| {
        o.edit_course(|t| t.replacen(MAREN_FINANCIAL, "The speakers have nothing to disclose.", 1))
    });
    for statement in [
        "No speakers have relevant relationships.",
        "All faculty: none.",
        "None of the presenters has a financial relationship to disclose.",
        "The planning committee has no conflicts of interest.",
        "Instructors have no relevant financial relationships.",
    ] {
        let ids = ids_with_financial(statement, None);
        assert!(
            ids.iter().any(|id| id == "ASHA-DISCLOSE-5"),
            "ASHA-DISCLOSE-5 did not fire on {statement:?}: {ids:?}"
        );
    }
    // A statement of the speaker's own absence of relationships is not blanket.
    let ids = ids_with_financial(
        "Maren Castell has no relevant financial relationships to disclose.",
        None,
    );
    assert!(!ids.iter().any(|id| id == "ASHA-DISCLOSE-5"), "{ids:?}");
}

#[test]
fn asha_disclose_8_disclosure_dated_after_the_start() {
    fires_and_quiet("ASHA-DISCLOSE-8", "error", |o| {
        o.edit_course(|t| t.replacen("date = 2025-01-15\n", "date = 2025-03-07\n", 1))
    });
}

/// Writes a sibling offering of SER2 beside it, starting on `start`, with `course_number`.
fn sibling_offering(o: &Offering, folder: &str, start: &str, course_number: &str) {
    let text = std::fs::read_to_string(o.dir().join("course.toml")).unwrap();
    let text = text
        .replacen(
            "start_date = 2025-03-06",
            &format!("start_date = {start}"),
            1,
        )
        .replacen("end_date = 2025-03-09", &format!("end_date = {start}"), 1)
        .replacen(
            "course_number = \"4102\"",
            &format!("course_number = \"{course_number}\""),
            1,
        );
    let dir = o.records().join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("course.toml"), text).unwrap();
}

#[test]
fn asha_disclose_8_disclosure_older_than_the_previous_offering_is_a_warning() {
    // Maren Castell's disclosure (2025-01-15) predates an offering of the same course on
    // 2025-02-01: not re-confirmed.
    fires_and_quiet("ASHA-DISCLOSE-8", "warning", |o| {
        sibling_offering(o, "SER2-2025-02-PBG", "2025-02-01", "4102")
    });
    // Quiet: the earlier offering is of another course, or was before the disclosure.
    for (start, number) in [("2025-02-01", "4103"), ("2024-09-05", "4102")] {
        let offering = Offering::ser2();
        sibling_offering(&offering, "SER2-EARLIER", start, number);
        let (code, json) = offering.check_json("2025-03-20");
        assert_eq!(code, 0);
        let ids = finding_ids(&json);
        assert!(
            !ids.iter().any(|(id, _)| id == "ASHA-DISCLOSE-8"),
            "{start} {number}: {ids:?}"
        );
    }
}

#[test]
fn asha_disclose_10_single_product_course_without_content_disclosure() {
    fires_and_quiet("ASHA-DISCLOSE-10", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "content_area = \"R\"\n",
                "content_area = \"R\"\nsingle_product_focus = true\n",
                1,
            )
        })
    });
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        t.replacen(
            "content_area = \"R\"\n",
            "content_area = \"R\"\nsingle_product_focus = true\ncontent_disclosure = \"This course focuses on the SomatoEmotional Release technique and includes limited information on other techniques.\"\n",
            1,
        )
    });
    let (code, _) = offering.check_json("2025-03-20");
    assert_eq!(
        code, 0,
        "a stated content disclosure satisfies ASHA-DISCLOSE-10"
    );
}

#[test]
fn asha_disclose_11_external_support_without_support_disclosure() {
    fires_and_quiet("ASHA-DISCLOSE-11", "error", |o| {
        o.edit_course(|t| t.replacen("content_area = \"R\"\n", "content_area = \"R\"\nsupport = [\"Acme Tables Inc. (in-kind: treatment tables)\"]\n", 1))
    });
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        t.replacen(
            "content_area = \"R\"\n",
            "content_area = \"R\"\nsupport = [\"Acme Tables Inc.\"]\nsupport_disclosure = \"Acme Tables Inc. lent the treatment tables for this course.\"\n",
            1,
        )
    });
    let (code, _) = offering.check_json("2025-03-20");
    assert_eq!(
        code, 0,
        "a stated support disclosure satisfies ASHA-DISCLOSE-11"
    );
}

#[test]
fn asha_disclose_9_refused_disclosure() {
    fires_and_quiet("ASHA-DISCLOSE-9", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "date = 2025-01-15\n",
                "date = 2025-01-15\nrefused = true\n",
                1,
            )
        })
    });
}

#[test]
fn asha_course_1_provider_code_not_four_letters() {
    fires_and_quiet("ASHA-COURSE-1", "error", |o| {
        o.edit_course(|t| t.replacen("provider_code = \"AUCS\"", "provider_code = \"AUC1\"", 1))
    });
}

#[test]
fn asha_course_4_title_over_80_characters() {
    fires_and_quiet("ASHA-COURSE-4", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "title = \"SomatoEmotional Release 2 (SER2): Intention, Inner Physician and Dialogue\"",
                "title = \"SER2: SomatoEmotional Release 2: Intention, Inner Physician and Dialogue - Deepening Principles and Practice of Upledger CranioSacral Therapy\"",
                1,
            )
        })
    });
}

#[test]
fn asha_course_5_invalid_level() {
    fires_and_quiet("ASHA-COURSE-5", "error", |o| {
        o.edit_course(|t| t.replacen("level = \"Intermediate\"", "level = \"Expert\"", 1))
    });
}

#[test]
fn asha_course_6_invalid_content_area() {
    fires_and_quiet("ASHA-COURSE-6", "error", |o| {
        o.edit_course(|t| t.replacen("content_area = \"R\"", "content_area = \"X\"", 1))
    });
}

#[test]
fn asha_course_8_unmeasurable_outcome() {
    fires_and_quiet("ASHA-COURSE-8", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "\"Identify energy cysts by arcing",
                "\"Understand energy cysts by arcing",
                1,
            )
        })
    });
}

#[test]
fn asha_course_10_overlapping_agenda() {
    fires_and_quiet("ASHA-COURSE-10", "error", |o| {
        o.edit_course(|t| t.replacen("start = \"10:45\"", "start = \"10:40\"", 1))
    });
}

#[test]
fn asha_ceu_1_working_meal_without_presentation_minutes() {
    fires_and_quiet("ASHA-CEU-1", "error", |o| {
        o.edit_course(|t| t.replacen("kind = \"meal\"", "kind = \"working-meal\"", 1))
    });
}

#[test]
fn asha_ceu_2_contact_hours_disagree_with_ceus() {
    fires_and_quiet("ASHA-CEU-2", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "contact_hours = \"26.0\"\npartial_credit",
                "contact_hours = \"25.0\"\npartial_credit",
                1,
            )
        })
    });
}

#[test]
fn asha_ceu_3_stated_ceus_the_agenda_cannot_support() {
    let json = fires_and_quiet("ASHA-CEU-3", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "ceus = \"2.60\"\ncontact_hours = \"26.0\"",
                "ceus = \"3.00\"\ncontact_hours = \"30.0\"",
                1,
            )
        })
    });
    assert_eq!(json["summary"]["offering_errors"], 1);
}

#[test]
fn asha_ceu_4_not_a_multiple_of_005() {
    fires_and_quiet("ASHA-CEU-4", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "ceus = \"2.60\"\ncontact_hours = \"26.0\"\n",
                "ceus = \"2.58\"\n",
                1,
            )
        })
    });
}

#[test]
fn asha_ceu_5_below_configured_minimum() {
    fires_and_quiet("ASHA-CEU-5", "warning", |o| {
        o.edit_course(|t| format!("{t}\n[rules]\nasha_minimum_ceus = \"3.00\"\n"))
    });
}

#[test]
fn asha_complete_1_requirements_not_stated() {
    fires_and_quiet("ASHA-COMPLETE-1", "error", |o| {
        o.edit_course(|t| {
            let start = t.find("requirements = ").unwrap();
            let end = start + t[start..].find('\n').unwrap() + 1;
            format!("{}{}", &t[..start], &t[end..])
        })
    });
}

/// Moves SER2 to September 2025, after the 2025 Standards took effect.
fn move_to_september(o: &Offering) {
    o.edit_course(|t| t.replace("2025-03-0", "2025-09-0"));
    o.edit_attendance(|t| t.replace("2025-03-0", "2025-09-0"));
}

#[test]
fn asha_complete_2_assessment_required_from_july_2025() {
    let report = fires_and_quiet("ASHA-COMPLETE-2", "error", move_to_september);
    assert_eq!(report["asha_rule_set"], "asha-2025");

    // With an assessment required, the offering passes, and a person who skipped it is not
    // a completer.
    let offering = Offering::ser2();
    move_to_september(&offering);
    offering
        .edit_course(|t| t.replace("assessment_required = false", "assessment_required = true"));
    offering.edit_roster(|t| t.replacen("ASHA,yes", "ASHA,no", 1)); // A001
    let (code, report) = offering.check_json("2025-09-20");
    assert_eq!(code, 0, "{:#}", report["findings"]);
    assert_eq!(attendee(&report, "A001")["status"], "not-completed");
    assert!(
        attendee(&report, "A001")["reason"]
            .as_str()
            .unwrap()
            .contains("ASHA-COMPLETE-2")
    );
    assert_eq!(attendee(&report, "A002")["status"], "completed");
}

#[test]
fn asha_complete_3_partial_attendance_is_an_outcome_not_a_finding() {
    let report = baseline();
    // A007 arrived 40 minutes late on day 2: not a completer (grace is 10 minutes).
    let late = attendee(&report, "A007");
    assert_eq!(late["attended_minutes"], 1520);
    assert!(late["reason"].as_str().unwrap().contains("ASHA-COMPLETE-3"));
    // A003 arrived 5 minutes late: within grace.
    assert_eq!(attendee(&report, "A003")["attended_minutes"], 1555);
    assert_eq!(attendee(&report, "A003")["status"], "completed");
    assert_eq!(amount(&report, "A003", "ASHA").as_deref(), Some("2.60"));
    assert!(
        !finding_ids(&report)
            .iter()
            .any(|(id, _)| id == "ASHA-COMPLETE-3")
    );
}

#[test]
fn asha_partial_1_and_2_partial_credit_rules() {
    // Registered for partial credit: 1,520 minutes -> 50 half hours -> 2.50 (ASHA-PARTIAL-2).
    let report = baseline();
    assert_eq!(attendee(&report, "A007")["status"], "partial");
    assert_eq!(amount(&report, "A007", "ASHA").as_deref(), Some("2.50"));
    assert!(
        award(&report, "A007", "ASHA")["reason"]
            .as_str()
            .unwrap()
            .contains("ASHA-PARTIAL-2")
    );

    // Not registered for partial credit: nothing (ASHA-PARTIAL-1) ...
    let offering = Offering::ser2();
    offering.edit_course(|t| t.replace("partial_credit = true", "partial_credit = false"));
    let (_, report) = offering.check_json("2025-03-20");
    assert_eq!(attendee(&report, "A007")["status"], "not-completed");
    assert_eq!(amount(&report, "A007", "ASHA"), None);
    assert!(
        award(&report, "A007", "ASHA")["reason"]
            .as_str()
            .unwrap()
            .contains("ASHA-PARTIAL-1")
    );

    // ... unless the provider documented an exception.
    offering.edit_course(|t| {
        format!("{t}\n[[exception]]\nattendee = \"A007\"\nreason = \"Flight delayed by a snowstorm\"\napproved_by = \"Dana Whitfield\"\n")
    });
    let (code, report) = offering.check_json("2025-03-20");
    assert_eq!(code, 0);
    assert_eq!(amount(&report, "A007", "ASHA").as_deref(), Some("2.50"));
}

#[test]
fn asha_elig_1_no_intent_no_asha_credit() {
    let report = baseline();
    // A008 is an SLP who did not ask for ASHA CEUs.
    assert_eq!(amount(&report, "A008", "ASHA"), None);
    assert!(
        award(&report, "A008", "ASHA")["reason"]
            .as_str()
            .unwrap()
            .contains("ASHA-ELIG-1")
    );
    assert_eq!(attendee(&report, "A008")["status"], "completed");
    // A001 did.
    assert_eq!(amount(&report, "A001", "ASHA").as_deref(), Some("2.60"));
}

#[test]
fn asha_elig_2_massage_therapist_gets_ncbtmb_and_no_asha() {
    let report = baseline();
    // A011 is a massage therapist who asked for ASHA and NCBTMB credit.
    let asha = award(&report, "A011", "ASHA");
    assert_eq!(asha["eligible"], false);
    assert!(asha["reason"].as_str().unwrap().contains("ASHA-ELIG-2"));
    assert_eq!(amount(&report, "A011", "NCBTMB").as_deref(), Some("28.0"));
    // A clinical fellow and an SLP student are eligible.
    assert_eq!(amount(&report, "A005", "ASHA").as_deref(), Some("2.60"));
    assert_eq!(amount(&report, "A006", "ASHA").as_deref(), Some("2.60"));
}

#[test]
fn asha_report_1_deadline_shown_and_warned_once_passed() {
    let report = baseline();
    assert_eq!(report["asha_report_due"], "2025-04-23");
    let offering = Offering::ser2();
    let (code, late) = offering.check_json("2025-04-30");
    assert_eq!(code, 0, "a passed deadline is a warning");
    assert!(finding_ids(&late).contains(&("ASHA-REPORT-1".to_string(), "warning".to_string())));
}

#[test]
fn ncbtmb_complete_1_full_attendance_required() {
    let report = baseline();
    // A012 came back 20 minutes late from lunch: no NCBTMB certificate.
    assert_eq!(amount(&report, "A012", "NCBTMB"), None);
    assert!(
        award(&report, "A012", "NCBTMB")["reason"]
            .as_str()
            .unwrap()
            .contains("NCBTMB-COMPLETE-1")
    );
    assert_eq!(amount(&report, "A009", "NCBTMB").as_deref(), Some("28.0"));
}

#[test]
fn ncbtmb_ce_3_approved_hours_required() {
    fires_and_quiet("NCBTMB-CE-3", "error", |o| {
        o.edit_course(|t| t.replacen("approved_hours = \"28.0\"\n", "", 1))
    });
}

/// Regression: NCBTMB's CE hour is 50 instruction minutes plus a 10-minute break, so 1,560
/// minutes with 15-minute breaks is 28 CE hours, not 1,560 / 50 = 31.
#[test]
fn ncbtmb_ce_1_hours_are_not_minutes_over_50() {
    fires_and_quiet("NCBTMB-CE-1", "error", |o| {
        o.edit_course(|t| t.replacen("approved_hours = \"28.0\"", "approved_hours = \"31.0\"", 1))
    });
}

#[test]
fn aota_course_1_approval_id_required() {
    fires_and_quiet("AOTA-COURSE-1", "error", |o| {
        o.edit_course(|t| t.replacen("approval_id = \"AOTA-APP-2025-0412\"\n", "", 1))
    });
}

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

#[test]
fn asha_course_9_future_tense_description() {
    fires_and_quiet("ASHA-COURSE-9", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "Participants practised how",
                "Participants will learn how",
                1,
            )
        })
    });
}

#[test]
fn asha_course_14_excluded_practice_in_an_outcome() {
    fires_and_quiet("ASHA-COURSE-14", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "\"Identify energy cysts by arcing at the start of a session.\"",
                "\"Apply facilitated communication with nonspeaking clients.\"",
                1,
            )
        })
    });
    fires_and_quiet("ASHA-COURSE-14", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "title = \"SomatoEmotional",
                "title = \"AIT and SomatoEmotional",
                1,
            )
        })
    });
}

#[test]
fn ncbtmb_course_1_approved_after_the_start() {
    fires_and_quiet("NCBTMB-COURSE-1", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "approved_hours = \"28.0\"\n",
                "approved_hours = \"28.0\"\ncourse_approved_on = 2025-03-07\n",
                1,
            )
        })
    });
    // Approved before the start: quiet.
    let offering = Offering::ser2();
    offering.edit_course(|t| t.replacen("approved_hours = \"28.0\"\n", "approved_hours = \"28.0\"\ncourse_approved_on = 2024-11-01\nap_valid_until = 2026-12-31\n", 1));
    let (code, _) = offering.check_json("2025-03-20");
    assert_eq!(code, 0);
}

#[test]
fn ncbtmb_provider_1_ap_term_ends_before_the_offering() {
    fires_and_quiet("NCBTMB-PROVIDER-1", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "approved_hours = \"28.0\"\n",
                "approved_hours = \"28.0\"\nap_valid_until = 2025-03-08\n",
                1,
            )
        })
    });
}

#[test]
fn ncbtmb_provider_2_ap_number_format() {
    fires_and_quiet("NCBTMB-PROVIDER-2", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "provider_number = \"450999-11\"",
                "provider_number = \"NCB-4509\"",
                1,
            )
        })
    });
}

#[test]
fn aota_course_1_activity_approved_after_the_start() {
    fires_and_quiet("AOTA-COURSE-1", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "approval_id = \"AOTA-APP-2025-0412\"\n",
                "approval_id = \"AOTA-APP-2025-0412\"\napproved_on = 2025-03-10\n",
                1,
            )
        })
    });
}

#[test]
fn aota_provider_1_recognition_lapsed_before_the_offering_ends() {
    fires_and_quiet("AOTA-PROVIDER-1", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "approval_id = \"AOTA-APP-2025-0412\"\n",
                "approval_id = \"AOTA-APP-2025-0412\"\nvalid_until = 2024-12-31\n",
                1,
            )
        })
    });
    let offering = Offering::ser2();
    offering.edit_course(|t| t.replacen("approval_id = \"AOTA-APP-2025-0412\"\n", "approval_id = \"AOTA-APP-2025-0412\"\napproved_on = 2025-01-20\nvalid_until = 2030-12-31\n", 1));
    let (code, json) = offering.check_json("2025-03-20");
    assert_eq!(code, 0, "{json:#}");
    assert!(
        !finding_ids(&json)
            .iter()
            .any(|(id, _)| id.starts_with("AOTA"))
    );
}

#[test]
fn pt_tx_1_texas_pt_without_a_licence_number() {
    let json = fires_and_quiet("PT-TX-1", "error", |o| {
        o.edit_roster(|t| t.replacen("\"PT, DPT\",1204477,TX", "\"PT, DPT\",,TX", 1))
    });
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "PT-TX-1")
        .unwrap();
    assert_eq!(finding["attendee"], "A021", "{finding:#}");
}

#[test]
fn pt_ia_1_iowa_pt_without_a_licence_number() {
    fires_and_quiet("PT-IA-1", "warning", |o| {
        o.edit_roster(|t| t.replacen("\"PT, DPT\",1204477,TX", "\"PT, DPT\",,IA", 1))
    });
}

#[test]
fn aota_course_2_activity_without_learning_outcomes() {
    fires_and_quiet("AOTA-COURSE-2", "error", |o| {
        o.edit_course(|t| {
            let start = t.find("learning_outcomes = [").unwrap();
            let end = start + t[start..].find("]\n").unwrap() + 2;
            format!("{}{}", &t[..start], &t[end..])
        })
    });
}

#[test]
fn asha_ncbtmb_iacet_record_1_retention_shorter_than_each_body_asks() {
    let json = fires_and_quiet("ASHA-RECORD-1", "warning", |o| {
        o.edit_course(|t| format!("{t}\n[rules]\nretention_years = 4\n"))
    });
    let ids = finding_ids(&json);
    assert!(
        ids.contains(&("NCBTMB-RECORD-1".into(), "warning".into())),
        "{ids:?}"
    );
    // Six years: enough for NCBTMB (5), not for IACET (7).
    fires_and_quiet("IACET-RECORD-1", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "[credit.pt]",
                "[credit.iacet]\nprovider_number = \"12345\"\nceus = \"2.6\"\nstatement = \"Upledger Institute International is accredited by IACET.\"\n\n[credit.pt]",
                1,
            ) + "\n[rules]\nretention_years = 6\n"
        })
    });
}

#[test]
fn asha_course_2_and_3_course_and_offering_number_forms() {
    fires_and_quiet("ASHA-COURSE-2", "warning", |o| {
        o.edit_course(|t| t.replacen("course_number = \"4102\"", "course_number = \"SER2\"", 1))
    });
    fires_and_quiet("ASHA-COURSE-3", "warning", |o| {
        o.edit_course(|t| t.replacen("offering_number = \"001\"", "offering_number = \"1\"", 1))
    });
    fires_and_quiet("ASHA-COURSE-3", "warning", |o| {
        o.edit_course(|t| t.replacen("offering_number = \"001\"", "offering_number = \"000\"", 1))
    });
}

#[test]
fn asha_report_3_account_number_not_8_digits() {
    let json = fires_and_quiet("ASHA-REPORT-3", "warning", |o| {
        o.edit_roster(|t| t.replacen(",12345678,", ",1234-567,", 1))
    });
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ASHA-REPORT-3")
        .unwrap();
    assert_eq!(finding["attendee"], "A001", "{finding:#}");
}
