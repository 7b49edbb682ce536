//! The other bodies' rules (NCBTMB, AOTA, PT boards) and record retention on copies of SER2.

use super::*;

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
