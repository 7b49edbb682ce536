//! Notices to non-completers (issue 20, part 3; ASHA-COMPLETE-4): `ceu issue` writes one PDF
//! per attendee who asked for a body's credit and will not get it, into `<offering>/notices/`,
//! records each in the ledger, and names it in delivery.csv and in `issue --format json`.
//! Read back with pdftotext; the ledger checked with `ceu ledger verify`.

use crate::common::{self, Offering, edit_file, pdf_text, seeded_key, text};
use serde_json::Value;
use std::collections::BTreeSet;

fn notices_dir(offering: &Offering) -> std::path::PathBuf {
    offering.dir().join("notices")
}

/// The file names in the notices folder (none when it does not exist).
fn notice_files(offering: &Offering) -> BTreeSet<String> {
    std::fs::read_dir(notices_dir(offering))
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The ledger's `notice` entries' payloads.
fn notice_entries(offering: &Offering) -> Vec<Value> {
    use base64::Engine as _;
    std::fs::read_to_string(offering.ledger())
        .unwrap()
        .lines()
        .map(|line| {
            let envelope: Value = serde_json::from_str(line).unwrap();
            let payload = base64::engine::general_purpose::STANDARD
                .decode(envelope["payload"].as_str().unwrap())
                .unwrap();
            serde_json::from_slice::<Value>(&payload).unwrap()
        })
        .filter(|p| p["type"] == "notice")
        .collect()
}

/// delivery.csv as (attendee id -> notice_file).
fn delivery_notices(offering: &Offering) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(offering.dir().join("delivery.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let notice = header.iter().position(|h| h == "notice_file").unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[notice].to_string())
        })
        .collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

#[test]
fn ser2_notices_go_to_everyone_who_asked_for_credit_and_gets_none() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "notices");
    let issue = offering.issue(&key, &[]);
    assert_eq!(issue.status.code(), Some(0), "{}", text(&issue));
    // A011: a massage therapist who asked for ASHA credit (not eligible, ASHA-ELIG-2) and
    // completed; A012, A015: NCBTMB, did not complete; A022: PT, did not complete.
    assert_eq!(
        notice_files(&offering),
        names(&[
            "notice-A011.pdf",
            "notice-A012.pdf",
            "notice-A015.pdf",
            "notice-A022.pdf"
        ])
    );
    let a011 = pdf_text(&notices_dir(&offering).join("notice-A011.pdf"));
    assert!(a011.contains("Katarzyna Nowak"), "{a011}");
    assert!(
        a011.contains("will not be reported to the ASHA CE Registry"),
        "{a011}"
    );
    assert!(
        a011.contains("not eligible to earn ASHA CEUs (ASHA-ELIG-2)"),
        "{a011}"
    );
    assert!(a011.contains("You receive a certificate"), "{a011}");
    // An NCBTMB non-completer: the requirement missed and the minutes, no ASHA wording.
    let a012 = pdf_text(&notices_dir(&offering).join("notice-A012.pdf"));
    assert!(a012.contains("Liam Fitzgerald"), "{a012}");
    assert!(a012.contains("1540 minutes"), "{a012}");
    assert!(a012.contains("1560 minutes"), "{a012}");
    assert!(
        a012.contains("NCBTMB requires 100% attendance of a live course"),
        "{a012}"
    );
    assert!(a012.contains("No certificate is issued"), "{a012}");
    assert!(!a012.contains("ASHA CE Registry"), "{a012}");
    let a022 = pdf_text(&notices_dir(&offering).join("notice-A022.pdf"));
    assert!(a022.contains("physical-therapy contact hours"), "{a022}");
    assert!(!a022.contains("ASHA CE Registry"), "{a022}");

    // delivery.csv: every roster person exactly once, the notice named for those four only.
    let delivery = delivery_notices(&offering);
    assert_eq!(delivery.len(), 24);
    let ids: BTreeSet<&String> = delivery.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), 24);
    for (id, notice) in &delivery {
        let expected = if ["A011", "A012", "A015", "A022"].contains(&id.as_str()) {
            format!("notices/notice-{id}.pdf")
        } else {
            String::new()
        };
        assert_eq!(notice, &expected, "{id}");
    }

    // The ledger binds each notice's exact bytes to the person, and still verifies.
    let entries = notice_entries(&offering);
    assert_eq!(entries.len(), 4);
    for entry in &entries {
        let file = notices_dir(&offering).join(entry["pdf_file"].as_str().unwrap());
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(entry["pdf_sha256"], ceu::sign::sha256_hex(&bytes));
        assert_eq!(entry["offering_id"], "SER2-2025-03-CAL");
        assert!(file.ends_with(format!(
            "notice-{}.pdf",
            entry["attendee_id"].as_str().unwrap()
        )));
    }
    let verify = offering
        .ceu()
        .args(["ledger", "verify", "--ledger", "records/ledger.jsonl"])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));

    // A notice names a person and their outcome: owner-only, like delivery.csv.
    let mode = std::fs::metadata(notices_dir(&offering).join("notice-A012.pdf"))
        .unwrap()
        .permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600
    );
}

#[test]
fn a_rerun_writes_and_records_no_notice_again_until_the_outcome_changes() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "notices");
    assert_eq!(offering.issue(&key, &[]).status.code(), Some(0));
    let before = std::fs::read(notices_dir(&offering).join("notice-A012.pdf")).unwrap();
    let lines = std::fs::read_to_string(offering.ledger())
        .unwrap()
        .lines()
        .count();

    // Another day, same outcome: nothing appended, the notice untouched.
    let again = offering
        .ceu()
        .args([
            "issue",
            "--key",
            &key,
            "--issued-at",
            "2025-03-12T09:00:00Z",
        ])
        .args(["--as-of", "2025-03-20", "records/SER2-2025-03-CAL"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(String::from_utf8_lossy(&again.stdout).contains("notice unchanged"));
    assert_eq!(
        std::fs::read_to_string(offering.ledger())
            .unwrap()
            .lines()
            .count(),
        lines
    );
    assert_eq!(
        std::fs::read(notices_dir(&offering).join("notice-A012.pdf")).unwrap(),
        before
    );

    // A012 now asked for ASHA credit too: a new notice with ASHA's block, one new entry.
    offering.edit_roster(|t| {
        let line = t
            .lines()
            .find(|l| l.starts_with("A012,"))
            .unwrap()
            .to_string();
        t.replace(&line, &line.replace(",NCBTMB,", ",ASHA;NCBTMB,"))
    });
    let third = offering.issue(&key, &[]);
    assert_eq!(third.status.code(), Some(0), "{}", text(&third));
    let entries = notice_entries(&offering);
    assert_eq!(entries.len(), 5, "{}", text(&third));
    assert_eq!(entries[4]["attendee_id"], "A012");
    let a012 = pdf_text(&notices_dir(&offering).join("notice-A012.pdf"));
    assert!(
        a012.contains("will not be reported to the ASHA CE Registry"),
        "{a012}"
    );
    assert!(a012.contains("1550 required (ASHA-COMPLETE-3)"), "{a012}");
    assert!(a012.contains("NCBTMB requires 100% attendance"), "{a012}");
}

/// An ASHA requester who did not complete (not in the example: one is made by removing a day
/// of Aiyana Redcrow's attendance, with no ASHA partial credit offered) is told what was
/// required and what she attended.
#[test]
fn an_asha_non_completer_is_told_the_requirement_missed() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "notices");
    offering.edit_course(|t| t.replace("partial_credit = true", "partial_credit = false"));
    edit_file(
        &offering.dir().join("attendance/day3-2025-03-08.csv"),
        |t| {
            t.lines()
                .filter(|l| !l.starts_with("Aiyana,Redcrow"))
                .map(|l| format!("{l}\n"))
                .collect()
        },
    );
    let issue = offering.issue(&key, &["--format", "json"]);
    assert!(
        matches!(issue.status.code(), Some(0 | 1)),
        "{}",
        text(&issue)
    );
    let doc: Value = serde_json::from_slice(&issue.stdout).unwrap();
    let text_a001 = pdf_text(&notices_dir(&offering).join("notice-A001.pdf"));
    assert!(text_a001.contains("Aiyana Redcrow"), "{text_a001}");
    assert!(
        text_a001.contains("will not be reported to the ASHA CE Registry"),
        "{text_a001}"
    );
    assert!(text_a001.contains("1170 minutes"), "{text_a001}");
    assert!(text_a001.contains("ASHA-COMPLETE"), "{text_a001}");
    // `issue --format json`: the notice on the attendee's row and in the `notices` list.
    let row = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["attendee_id"] == "A001")
        .unwrap_or_else(|| panic!("{doc:#}"));
    assert_eq!(row["notice_file"], "notices/notice-A001.pdf");
    assert!(
        doc["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["attendee_id"] == "A001" && n["state"] == "written")
    );
}

/// Assessment missing (ASHA-COMPLETE-2) is a third way of not getting credit: the notice says
/// so; someone who asked for no credit gets no notice even when not completed.
#[test]
fn a_missing_assessment_is_named_and_no_credit_asked_means_no_notice() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "notices");
    offering
        .edit_course(|t| t.replace("assessment_required = false", "assessment_required = true"));
    offering.edit_roster(|t| {
        let line = t
            .lines()
            .find(|l| l.starts_with("A003,"))
            .unwrap()
            .to_string();
        t.replace(&line, &line.replace(",ASHA,yes", ",ASHA,no"))
    });
    let issue = offering.issue(&key, &[]);
    assert!(
        matches!(issue.status.code(), Some(0 | 1)),
        "{}",
        text(&issue)
    );
    let a003 = pdf_text(&notices_dir(&offering).join("notice-A003.pdf"));
    assert!(a003.contains("Chloé Martin"), "{a003}");
    assert!(
        a003.contains("learning assessment not completed (ASHA-COMPLETE-2)"),
        "{a003}"
    );
    assert!(
        a003.contains("will not be reported to the ASHA CE Registry"),
        "{a003}"
    );
    // A024 did not complete either (no assessment), but asked for no body's credit.
    let report = offering.check_json("2025-03-20").1;
    assert_eq!(
        crate::common::attendee(&report, "A024")["status"],
        "not-completed"
    );
    assert!(!notice_files(&offering).contains("notice-A024.pdf"));
    assert!(delivery_notices(&offering).contains(&("A024".into(), String::new())));
}

/// Attendance that matches nobody may carry a non-completer's minutes: no notice at all until
/// it is resolved. An attendee blocked by a finding of their own gets none either.
#[test]
fn no_notice_while_unmatched_attendance_or_a_finding_may_change_the_outcome() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "notices");
    offering.append_attendance(
        "day1-2025-03-06.csv",
        "Zed,Unknown,zed@example.com,2025-03-06,09:00,17:00\n",
    );
    let issue = offering.issue(&key, &[]);
    assert_eq!(issue.status.code(), Some(1), "{}", text(&issue));
    assert!(notice_files(&offering).is_empty());
    assert!(notice_entries(&offering).is_empty());
    assert!(
        delivery_notices(&offering)
            .iter()
            .all(|(_, n)| n.is_empty())
    );

    // A name no bundled font can print: A012's notice is not written (said so, exit 1), and
    // the others still get theirs; delivery.csv names no notice for A012.
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "notices");
    offering.edit_roster(|t| t.replace("A012,Liam,", "A012,Liam 林,"));
    let issue = offering.issue(&key, &[]);
    assert_eq!(issue.status.code(), Some(1), "{}", text(&issue));
    let stdout = String::from_utf8_lossy(&issue.stdout);
    assert!(
        stdout.contains("notice NOT written         A012") && stdout.contains("林"),
        "{stdout}"
    );
    assert_eq!(
        notice_files(&offering),
        names(&["notice-A011.pdf", "notice-A015.pdf", "notice-A022.pdf"]),
        "{}",
        text(&issue)
    );
    assert!(delivery_notices(&offering).contains(&("A012".into(), String::new())));
    assert_eq!(notice_entries(&offering).len(), 3);
}

/// The built-in template previews in a stock Typst editor (no ceu input: its sample data),
/// reports its layout facts, and is PDF/A-3b.
#[test]
fn the_notice_template_previews_alone() {
    use ceu::document::{DocumentRenderer, notice};
    let pdf = DocumentRenderer::preview("notice", notice::TEMPLATE.to_string()).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("preview.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let shown = pdf_text(&path);
    assert!(shown.contains("José Müller-Øster"), "{shown}");
    assert!(shown.contains("will not be reported to the ASHA CE Registry"));
    assert!(String::from_utf8_lossy(&pdf).contains("<pdfaid:part>3</pdfaid:part>"));
    // A template without layout facts is refused: ceu cannot tell whether it cuts text off.
    let bare = DocumentRenderer::preview("notice", "Hello".into()).unwrap_err();
    assert!(bare.to_string().contains("layout facts"), "{bare}");
    let _ = common::repo();
}
