//! `ceu packet` (issue 21, part 2): the audit packet, one PDF/A-3b with the check report
//! attached. Checked with poppler only: pdfinfo (PDF/A-3b metadata), pdfdetach (the attached
//! report equals `check --format json`), pdftotext (title, minutes, input hashes, ledger).

use crate::common::{self, Offering, seeded_key, text};
use std::path::Path;

/// pdftotext in layout mode (a table row stays on one line), whitespace collapsed.
fn pdf_text(path: &Path) -> String {
    common::pdf_text_args(path, &["-layout"])
}

fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = std::process::Command::new(tool)
        .args(args)
        .arg(pdf)
        .output()
        .unwrap_or_else(|_| panic!("{tool} (poppler-utils) must be installed"));
    assert!(output.status.success(), "{tool} {}", pdf.display());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The attached check report, extracted with pdfdetach.
fn attached_report(pdf: &Path) -> Vec<u8> {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("report.json");
    let status = std::process::Command::new("pdfdetach")
        .args(["-save", "1", "-o"])
        .arg(&out)
        .arg(pdf)
        .status()
        .expect("pdfdetach (poppler-utils) must be installed");
    assert!(status.success());
    std::fs::read(out).unwrap()
}

#[test]
fn ser2_after_issuing_has_a_packet_with_everything_an_auditor_asks_for() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "packet");
    let issue = offering.issue(&key, &[]);
    assert_eq!(issue.status.code(), Some(0), "{}", text(&issue));
    let run = offering.run(&["packet", "--as-of", "2025-04-01"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let packet = offering.dir().join("packet.pdf");

    // PDF/A-3b, the title, dated by --as-of.
    let meta = poppler("pdfinfo", &["-meta"], &packet);
    assert!(meta.contains("<pdfaid:part>3</pdfaid:part>"), "{meta}");
    assert!(
        meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{meta}"
    );
    let info = poppler("pdfinfo", &[], &packet);
    assert!(
        info.contains("Title:           Audit packet: SomatoEmotional Release 2"),
        "{info}"
    );
    assert!(
        info.contains("CreationDate:    Tue Apr  1 00:00:00 2025 UTC"),
        "{info}"
    );

    // The attached report is exactly what `check --format json` prints as of the same day.
    let list = poppler("pdfdetach", &["-list"], &packet);
    assert!(list.contains("check-report.json"), "{list}");
    let check = offering.run(&["check", "--format", "json", "--as-of", "2025-04-01"]);
    assert_eq!(attached_report(&packet), check.stdout);

    let shown = pdf_text(&packet);
    let expected = [
        "Audit packet: SomatoEmotional Release 2",
        "Instructional minutes 1560",
        // Minutes and outcome of a completer, a partial and a non-completer.
        "A001 Aiyana Redcrow 1560 completed ASHA: 2.60",
        "A007 Grace O'Neill 1520 partial ASHA: 2.50",
        "A012 Liam Fitzgerald 1540 not-completed NCBTMB: none",
        // Disclosures with their dates, the completion policy, the retention period.
        "Maren Castell",
        "2025-01-15",
        "Attend all four days",
        "records for 7 years after it ends, that is until 2032-03-09 (ASHA-RECORD-1)",
        "attached to this PDF as check-report.json",
        // A finding and the ledger's notice entries.
        "ASHA-ELIG-2",
        "notice-A012.pdf",
    ];
    for text in expected {
        assert!(shown.contains(text), "{text}\n{shown}");
    }
    // Every input file's SHA-256, as `check` computed it.
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let course = std::fs::read(offering.dir().join("course.toml")).unwrap();
    assert!(shown.contains(&ceu::sign::sha256_hex(&course)));
    let roster = std::fs::read(offering.dir().join("roster.csv")).unwrap();
    assert!(shown.contains(&ceu::sign::sha256_hex(&roster)));
    for day in std::fs::read_dir(offering.dir().join("attendance")).unwrap() {
        let bytes = std::fs::read(day.unwrap().path()).unwrap();
        assert!(shown.contains(&ceu::sign::sha256_hex(&bytes)));
    }
    assert_eq!(report["offering_id"], "SER2-2025-03-CAL");
    // Every issued certificate's ledger entry: 21 issues and 4 notices.
    assert_eq!(
        shown.matches(" issue SER2-2025-03-CAL-").count(),
        21,
        "{shown}"
    );
    assert_eq!(shown.matches(" notice attendee ").count(), 4, "{shown}");
}

#[test]
fn two_renders_with_the_same_as_of_and_ledger_are_identical() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "packet");
    assert_eq!(offering.issue(&key, &[]).status.code(), Some(0));
    let out = offering.records().join("audit/SER2.pdf");
    let render = || {
        let run = offering
            .ceu()
            .args([
                "packet",
                "records/SER2-2025-03-CAL",
                "--as-of",
                "2025-04-01",
            ])
            .args(["--ledger", "records/ledger.jsonl", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{}", text(&run));
        std::fs::read(&out).unwrap()
    };
    let first = render();
    assert_eq!(render(), first);
    // Another day is another packet (its date and the deadlines judged on it).
    let other = offering.run(&["packet", "--as-of", "2025-05-01"]);
    assert_eq!(other.status.code(), Some(0), "{}", text(&other));
    assert_ne!(
        std::fs::read(offering.dir().join("packet.pdf")).unwrap(),
        first
    );
    // A revocation is one of this offering's ledger entries.
    let cert = std::fs::read_dir(offering.certificates())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with("-r1.pdf"))
        .unwrap();
    let cert = cert.trim_end_matches(".pdf").to_string();
    let revoke = offering.revoke_command(&key, &cert).output().unwrap();
    assert_eq!(revoke.status.code(), Some(0), "{}", text(&revoke));
    let revoked = render();
    assert_ne!(revoked, first);
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("p.pdf");
    std::fs::write(&path, &revoked).unwrap();
    assert!(pdf_text(&path).contains(&format!("revoke {cert}")));
}

#[test]
fn before_issuing_the_packet_says_the_ledger_holds_nothing_yet() {
    let offering = Offering::ser2();
    let run = offering.run(&["packet", "--as-of", "2025-03-20"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no ledger at"));
    let shown = pdf_text(&offering.dir().join("packet.pdf"));
    assert!(shown.contains("None in ledger.jsonl."), "{shown}");
    // The retention period follows the record.
    offering.edit_course(|t| format!("{t}\n[rules]\nretention_years = 10\n"));
    let run = offering.run(&["packet", "--as-of", "2025-03-20"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let shown = pdf_text(&offering.dir().join("packet.pdf"));
    assert!(
        shown.contains("for 10 years after it ends, that is until 2035-03-09"),
        "{shown}"
    );
}

#[test]
fn the_packet_template_previews_alone() {
    use ceu::document::{DocumentRenderer, packet};
    let pdf = DocumentRenderer::preview("packet", packet::TEMPLATE.to_string()).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("preview.pdf");
    std::fs::write(&path, &pdf).unwrap();
    assert!(pdf_text(&path).contains("José Müller-Øster"));
}
