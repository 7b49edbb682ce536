//! The certificate page says exactly what the record says (issue 12, items 3 and 4), through
//! the real binary on copies of the SER2 example: every number labelled, titles by the
//! bodies' rules, requested credit that is not awarded explained in `check`, and nothing the
//! record holds dropped from the page (disclosures continue on a second page; a name that
//! cannot be shown is held back by `check` and `issue`). PDFs are read back with pdftotext.

use crate::common::{self};
use crate::common::{Offering, text};
use serde_json::Value;
use std::path::Path;

/// pdftotext of `path` (all pages, or one page), whitespace collapsed.
fn pdf_text_pages(path: &Path, page: Option<u32>) -> String {
    let page = page.map(|p| p.to_string());
    match &page {
        Some(p) => common::pdf_text_args(path, &["-enc", "UTF-8", "-f", p, "-l", p]),
        None => common::pdf_text_args(path, &["-enc", "UTF-8"]),
    }
}

fn pdf_text(path: &Path) -> String {
    pdf_text_pages(path, None)
}

fn page_count(path: &Path) -> usize {
    common::pdf_pages(path)
}

/// The attendee `id` in a `check --format json` report.
fn attendee<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["attendee_id"] == id)
        .unwrap_or_else(|| panic!("{id} is not in the report"))
}

fn blocked_by(report: &Value, id: &str) -> Vec<String> {
    attendee(report, id)["blocked_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Findings of `rule` about attendee `id`: (severity, message).
fn findings_for(report: &Value, rule: &str, id: &str) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule && f["attendee"] == id)
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Replaces the SER2 speakers with `n` speakers, each with a distinct, complete disclosure.
fn with_speakers(offering: &Offering, n: usize) {
    offering.edit_course(|course| {
        let start = course.find("[[speaker]]").unwrap();
        let end = course.find("# The same day four times").unwrap();
        let speakers: String = (1..=n)
            .map(|i| {
                format!(
                    "[[speaker]]\nname = \"Speaker Number{i} Castellano\"\nrole = \"instructor\"\n\n\
                     [speaker.disclosure]\n\
                     financial = \"Speaker Number{i} Castellano receives a teaching fee from Upledger Institute International for teaching this course, marker fin{i}end.\"\n\
                     nonfinancial = \"Speaker Number{i} Castellano has no relevant nonfinancial relationships to disclose, marker non{i}end.\"\n\
                     date = 2025-01-15\n\n"
                )
            })
            .collect();
        format!("{}{speakers}{}", &course[..start], &course[end..])
    });
}

/// Sets attendee `id`'s first and last name in roster.csv.
fn rename(offering: &Offering, id: &str, first: &str, last: &str) {
    offering.edit_roster(|roster| {
        roster
            .lines()
            .map(|line| {
                if line.starts_with(&format!("{id},")) {
                    let mut fields: Vec<String> = line.split(',').map(String::from).collect();
                    fields[1] = first.into();
                    fields[2] = last.into();
                    fields.join(",")
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
}

/// Every speaker's whole disclosure is in the PDF, and each one sits entirely on one page.
fn assert_all_disclosures_shown(pdf: &Path, n: usize) {
    let all = pdf_text(pdf);
    let pages = page_count(pdf);
    let texts: Vec<String> = (1..=pages as u32)
        .map(|p| pdf_text_pages(pdf, Some(p)))
        .collect();
    for i in 1..=n {
        for marker in [
            format!("Speaker Number{i} Castellano (instructor)"),
            format!("marker fin{i}end."),
            format!("marker non{i}end."),
        ] {
            assert!(all.contains(&marker), "{marker} missing from {all}");
            assert!(
                texts.iter().any(|t| t.contains(&marker)),
                "{marker} split across pages"
            );
        }
    }
}

/// The "Done when" test of issue 12: 1, 4, 8 and 12 speakers and a very long name: every
/// disclosure is on the page (continuing on page 2 when needed), and the name that cannot be
/// shown holds its attendee back in `check` and `issue`.
#[test]
fn disclosures_that_do_not_fit_were_cut_or_invisible_now_continue_on_page_two() {
    for n in [1, 4, 8, 12] {
        let offering = Offering::ser2();
        with_speakers(&offering, n);
        let long = "Maximiliana ".repeat(900); // ~10,000 characters
        rename(&offering, "A003", long.trim(), "Martin");
        let (code, report) = offering.check_json("2025-03-20");
        assert_eq!(code, 1, "the long name is an attendee-level error");
        assert_eq!(
            blocked_by(&report, "A003"),
            vec!["RENDER-CLIPPED".to_string()],
            "{n} speakers"
        );
        // Nobody else is held back by the layout: disclosures never clip.
        for a in report["attendees"].as_array().unwrap() {
            if a["attendee_id"] != "A003" {
                assert!(
                    !a["blocked_by"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|r| r == "RENDER-CLIPPED"),
                    "{a}"
                );
            }
        }
        let (_, human) = offering.check_human("2025-03-20");
        assert!(
            human.contains("error[RENDER-CLIPPED] (attendee A003)"),
            "{human}"
        );
        assert!(human.contains("fix: shorten the name"), "{human}");

        let (key, _) = offering.keygen();
        let output = offering.issue(&key, &[]);
        assert_eq!(output.status.code(), Some(1), "{}", text(&output));
        let entries = ceu::ledger::read(&offering.ledger()).unwrap();
        assert!(
            !entries
                .iter()
                .filter_map(|e| e.body().issued())
                .any(|f| f.attendee_id == "A003"),
            "the long name must not be issued"
        );
        let pdf = offering.pdf_of("A001");
        assert_all_disclosures_shown(&pdf, n);
        let pages = page_count(&pdf);
        if n == 1 {
            assert_eq!(pages, 1, "one speaker fits on the page");
        } else {
            // Four of SER2's two-sentence disclosures already need the second page.
            assert_eq!(pages, 2, "{n} speakers continue on page 2");
            assert!(pdf_text_pages(&pdf, Some(1)).contains("Continued on page 2."));
            let second = pdf_text_pages(&pdf, Some(2));
            assert!(
                second.contains("SPEAKER DISCLOSURES (CONTINUED)"),
                "{second}"
            );
            assert!(second.contains("Aiyana Redcrow"), "{second}");
        }
    }
}

/// Names of other lengths: the real layout decides. A 60-character name shrinks onto the page;
/// a 400-character name without spaces does not fit and is held back; a long credential is
/// the attendee's too.
#[test]
fn a_name_cut_to_175_characters_is_now_shown_whole_or_held_back() {
    let offering = Offering::ser2();
    let sixty = "Aiyana-Marguerite Wilhelmina Redcrow-Featherstonehaugh";
    rename(&offering, "A001", sixty, "Ng");
    rename(&offering, "A002", &"Bé".repeat(200), "Lavoie");
    offering.edit_roster(|roster| {
        roster.replacen(
            "A004,Deepa,Raman,deepa.raman@example.com,,2200 Speer Blvd,Denver,CO,80211,USA,AUD,CCC-A,",
            &format!(
                "A004,Deepa,Raman,deepa.raman@example.com,,2200 Speer Blvd,Denver,CO,80211,USA,AUD,{},",
                "CCC-A ".repeat(60).trim()
            ),
            1,
        )
    });
    let (_, report) = offering.check_json("2025-03-20");
    assert!(blocked_by(&report, "A001").is_empty(), "{report}");
    assert_eq!(blocked_by(&report, "A002"), vec!["RENDER-CLIPPED"]);
    assert_eq!(blocked_by(&report, "A004"), vec!["RENDER-CLIPPED"]);
    let (message, _) = (
        findings_for(&report, "RENDER-CLIPPED", "A004")[0].1.clone(),
        (),
    );
    assert!(message.contains("holder.credential"), "{message}");

    let (key, _) = offering.keygen();
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let shown = pdf_text(&offering.pdf_of("A001"));
    assert!(shown.contains(&format!("{sixty} Ng")), "{shown}");
}

/// An offering value that does not fit is an offering-level error naming the course.toml key.
#[test]
fn an_overlong_title_was_clipped_silently_now_blocks_the_offering() {
    let offering = Offering::ser2();
    offering.edit_course(|course| {
        course.replacen(
            "title = \"SomatoEmotional Release 2 (SER2): Intention, Inner Physician and Dialogue\"",
            &format!(
                "title = \"{}\"",
                "Intention and Dialogue ".repeat(40).trim()
            ),
            1,
        )
    });
    let (code, report) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    let clipped: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "RENDER-CLIPPED")
        .collect();
    assert_eq!(clipped.len(), 1, "{clipped:?}");
    assert_eq!(clipped[0]["scope"], "offering");
    assert!(
        clipped[0]["message"]
            .as_str()
            .unwrap()
            .contains("[offering] title"),
        "{}",
        clipped[0]
    );
}

/// Regression: a massage therapist's page read "26.0 instructional hours" above "28.0 CE
/// hours", so attended time looked like the credit. Now each number says what it is.
#[test]
fn attended_hours_above_ncbtmb_28_ce_hours_looked_like_credit() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let lmt = pdf_text(&offering.pdf_of("A009"));
    assert!(lmt.contains("Time attended: 26.0 hours"), "{lmt}");
    assert!(
        lmt.contains("Offering length: 26.0 instructional hours"),
        "{lmt}"
    );
    assert!(lmt.contains("28.0 CE hours"), "{lmt}");
    assert!(lmt.contains("Certificate of Completion"), "{lmt}");
    // No unlabelled "26.0 instructional hours" any more.
    assert_eq!(
        lmt.matches("instructional hours").count(),
        lmt.matches("Offering length: 26.0 instructional hours")
            .count(),
        "{lmt}"
    );

    // The partial-credit holder: 25.3 hours attended, ASHA credit 25.0 contact hours.
    let partial = pdf_text(&offering.pdf_of("A007"));
    let attended = partial
        .split("Time attended: ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .unwrap_or_else(|| panic!("no time attended in {partial}"));
    assert!(
        partial.contains("Offering length: 26.0 instructional hours"),
        "{partial}"
    );
    assert!(
        partial.contains("contact hours of instruction"),
        "{partial}"
    );
    assert!(
        !partial.contains(&format!("{attended} contact hours")),
        "attended time printed as credit: {partial}"
    );
}

/// Regression: a massage therapist 5 minutes late (inside the 10-minute grace) received a
/// "Certificate of Completion" with no credit and no reason. Now: a "Certificate of
/// Attendance" that says why, and a warning in `check`'s human report.
#[test]
fn massage_therapist_late_inside_grace_got_a_completion_certificate_without_credit_or_reason() {
    let offering = Offering::ser2();
    common::edit_file(
        &offering.dir().join("attendance/day1-2025-03-06.csv"),
        |csv| {
            csv.replace(
                "Ingrid,Lindqvist,ingrid.lindqvist@example.se,2025-03-06,08:53,17:01",
                "Ingrid,Lindqvist,ingrid.lindqvist@example.se,2025-03-06,09:05,17:01",
            )
        },
    );
    let (code, human) = offering.check_human("2025-03-20");
    assert_eq!(code, 0, "a warning blocks nothing: {human}");
    assert!(
        human.contains("warning[NCBTMB-COMPLETE-1] (attendee A009)"),
        "{human}"
    );
    assert!(human.contains("requested NCBTMB credit"), "{human}");
    assert!(human.contains("attended 1555 of 1560 minutes"), "{human}");

    let (key, _) = offering.keygen();
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let page = pdf_text(&offering.pdf_of("A009"));
    assert!(page.contains("Certificate of Attendance"), "{page}");
    assert!(!page.contains("Certificate of Completion"), "{page}");
    assert!(
        page.contains("No continuing-education credit is awarded"),
        "{page}"
    );
    // One statement of why, not a second generic "no credit" line under it.
    assert!(
        !page.contains("No accrediting-body credit is stated"),
        "{page}"
    );
    assert!(
        page.contains("NCBTMB requires 100% attendance of a live course"),
        "{page}"
    );
    assert!(page.contains("Time attended: 25.9 hours"), "{page}");
    assert!(!page.contains("CE hours"), "no NCBTMB credit line: {page}");
}

/// Variants of "asked for a body's credit and does not get it": not eligible (a massage
/// therapist asking for ASHA credit, ASHA-ELIG-2), a body the course is not approved for
/// (GEN-2), and no body requested at all. Each is told why; the ineligible request still
/// receives the credit it is eligible for.
#[test]
fn requested_credit_that_is_not_awarded_is_explained_in_check_and_on_the_page() {
    let offering = Offering::ser2();
    // A019 (OT) also asks for IACET credit, which the course does not offer.
    offering
        .edit_roster(|roster| roster.replacen("OT-5523,ID,,AOTA,", "OT-5523,ID,,AOTA;IACET,", 1));
    let (code, report) = offering.check_json("2025-03-20");
    assert_eq!(code, 0, "{report}");
    let elig = findings_for(&report, "ASHA-ELIG-2", "A011");
    assert_eq!(elig.len(), 1, "{report}");
    assert_eq!(elig[0].0, "warning");
    assert!(elig[0].1.contains("requested ASHA credit"), "{}", elig[0].1);
    let gen2 = findings_for(&report, "GEN-2", "A019");
    assert_eq!(gen2.len(), 1, "{report}");
    assert!(gen2[0].1.contains("IACET"), "{}", gen2[0].1);
    assert!(blocked_by(&report, "A011").is_empty());
    let (_, human) = offering.check_human("2025-03-20");
    assert!(
        human.contains("warning[ASHA-ELIG-2] (attendee A011)"),
        "{human}"
    );

    let (key, _) = offering.keygen();
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let lmt = pdf_text(&offering.pdf_of("A011"));
    assert!(lmt.contains("Certificate of Completion"), "{lmt}");
    assert!(lmt.contains("28.0 CE hours"), "{lmt}");
    assert!(
        lmt.contains("Credit requested but not awarded. ASHA:"),
        "{lmt}"
    );
    assert!(!lmt.contains("ASHA CEU"), "ASHA-CERT-1: {lmt}");
    let ot = pdf_text(&offering.pdf_of("A019"));
    assert!(ot.contains("IACET: the course is not approved"), "{ot}");
    // A024 requested no credit at all.
    let none = pdf_text(&offering.pdf_of("A024"));
    assert!(none.contains("Certificate of Attendance"), "{none}");
    assert!(
        none.contains("No accrediting-body credit was requested"),
        "{none}"
    );
}

/// NCBTMB's "Certificate of Achievement" is for a course with a test (`[credit.ncbtmb] test =
/// true`), not for `assessment_required`; an attendee who did not pass it gets no NCBTMB
/// credit and is told why.
#[test]
fn a_course_with_a_test_issues_ncbtmb_certificates_of_achievement() {
    let offering = Offering::ser2();
    offering.edit_course(|course| {
        course.replacen(
            "approved_hours = \"28.0\"",
            "approved_hours = \"28.0\"\ntest = true",
            1,
        )
    });
    // A010 passed the test; A009 did not.
    offering.edit_roster(|roster| {
        roster.replacen("LMT-8890,MT,,NCBTMB,no", "LMT-8890,MT,,NCBTMB,yes", 1)
    });
    let (_, report) = offering.check_json("2025-03-20");
    let failed = findings_for(&report, "NCBTMB-COMPLETE-1", "A009");
    assert_eq!(failed.len(), 1, "{report}");
    assert!(
        failed[0].1.contains("test was not passed"),
        "{}",
        failed[0].1
    );

    let (key, _) = offering.keygen();
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let passed = pdf_text(&offering.pdf_of("A010"));
    assert!(passed.contains("Certificate of Achievement"), "{passed}");
    assert!(passed.contains("passed its test"), "{passed}");
    assert!(passed.contains("28.0 CE hours"), "{passed}");
    let not_passed = pdf_text(&offering.pdf_of("A009"));
    assert!(
        not_passed.contains("Certificate of Attendance"),
        "{not_passed}"
    );
    // The SLPs' certificates are not NCBTMB's and stay "of Completion".
    let slp = pdf_text(&offering.pdf_of("A001"));
    assert!(slp.contains("Certificate of Completion"), "{slp}");
}
