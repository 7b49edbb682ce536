//! ASHA completion, partial credit, eligibility and reporting (ASHA-COMPLETE-*, -PARTIAL-*,
//! -ELIG-*, -REPORT-*) on copies of SER2: outcomes as well as findings.

use super::*;

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
