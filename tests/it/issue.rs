//! `ceu issue`, `ceu verify` and `ceu revoke` on copies of the SER2 example: real PDFs read
//! back with pdftotext, a real ledger checked with `ceu ledger verify`.

use crate::common::{self};
use crate::common::{Offering, pdf_text, text};
use std::path::Path;
use std::process::Output;

fn pdfs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// SER2 issued once, with its key.
fn issued() -> (Offering, String, String) {
    let offering = Offering::ser2();
    let (key, public) = offering.keygen();
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    (offering, key, public)
}

fn verify(offering: &Offering, items: &[&str], extra: &[&str]) -> Output {
    offering
        .ceu()
        .arg("verify")
        .args(items)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn issue_writes_one_verifiable_pdf_per_completer() {
    let (offering, _, public) = issued();
    // 24 attendees: 20 completers and 1 with ASHA partial credit get certificates; 3 do not.
    assert_eq!(pdfs(&offering.certificates()).len(), 21);
    let ledger = std::fs::read_to_string(offering.ledger()).unwrap();
    // And 4 notices to those who asked for credit and get none (docs/notices.md).
    assert_eq!(ledger.lines().count(), 25);
    let verified = verify(
        &offering,
        &["records/SER2-2025-03-CAL/certificates"],
        &["--ledger", "records/ledger.jsonl", "--trust", &public],
    );
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));
    assert!(text(&verified).contains("21 of 21 verified"));
    let chain = offering.ledger_verify(&public);
    assert_eq!(chain.status.code(), Some(0), "{}", text(&chain));
    // Regression: PDFs were written 0600 (the temporary file's mode), unreadable to others.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&pdfs(&offering.certificates())[0])
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(offering.certificates())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".pdf"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn certificates_carry_each_bodys_wording_and_never_a_bare_ceu() {
    let (offering, _, _) = issued();
    let slp = pdf_text(&offering.pdf_of("A001"));
    assert!(slp.contains("Aiyana Redcrow"), "{slp}");
    assert!(slp.contains("26.0 contact hours"), "{slp}");
    assert!(slp.contains("6–9 March 2025"), "{slp}");
    assert!(slp.contains("Calgary, Alberta, Canada"), "{slp}");
    assert!(slp.contains("Maren Castell"), "{slp}");
    assert!(
        slp.contains("receives a teaching fee from Upledger Institute International"),
        "{slp}"
    );
    // ASHA discourages "ASHA CEUs" on certificates (ASHA-CERT-1).
    assert!(!slp.contains("ASHA CEU"), "{slp}");

    let lmt = pdf_text(&offering.pdf_of("A009"));
    assert!(lmt.contains("NCBTMB Approved Provider #450999-11"), "{lmt}");
    assert!(lmt.contains("28.0 CE hours"), "{lmt}");
    assert!(
        lmt.contains("Deepening Principles and Practice of Upledger CranioSacral Therapy"),
        "{lmt}"
    );

    let ot = pdf_text(&offering.pdf_of("A017"));
    assert!(ot.contains("26.0 contact hours (2.6 AOTA CEUs)"), "{ot}");
    assert!(ot.contains("AOTA does not endorse"), "{ot}");

    // Regression: the partial-credit holder's certificate said "Certificate of Completion".
    assert!(slp.contains("Certificate of Completion"), "{slp}");
    let partial = pdf_text(&offering.pdf_of("A007"));
    assert!(
        partial.contains("Certificate of Partial Credit"),
        "{partial}"
    );
    assert!(!partial.contains("Certificate of Completion"), "{partial}");
    assert!(partial.contains("awarded partial credit"), "{partial}");
    assert!(
        partial.contains("attended part of the continuing-education offering"),
        "{partial}"
    );
    assert!(!partial.contains("has completed"), "{partial}");

    let pt = pdf_text(&offering.pdf_of("A021"));
    assert!(pt.contains("Licence TX 1204477"), "{pt}");
    assert!(pt.contains("Course approval #TX-CCU-2025-11873"), "{pt}");

    // GEN-3: every "CEU" is named for its body.
    for (who, text) in [("A001", &slp), ("A009", &lmt), ("A017", &ot), ("A021", &pt)] {
        let words: Vec<&str> = text.split(' ').collect();
        for (i, word) in words.iter().enumerate() {
            if word
                .trim_matches(|c: char| !c.is_alphanumeric())
                .starts_with("CEU")
            {
                let before = if i > 0 {
                    words[i - 1].trim_start_matches('(')
                } else {
                    ""
                };
                assert!(
                    ["ASHA", "AOTA", "IACET"].contains(&before),
                    "bare CEU on {who}'s certificate: {text}"
                );
            }
        }
    }
}

#[test]
fn the_same_record_renders_to_identical_bytes() {
    let first = Offering::ser2();
    let (key, _) = first.keygen();
    assert_eq!(first.issue(&key, &[]).status.code(), Some(0));
    // A second, independent copy signed with the same key at the same issue time.
    let second = Offering::ser2();
    std::fs::create_dir_all(second.temp.path().join("secret")).unwrap();
    let copied = second.temp.path().join(&key);
    std::fs::copy(first.temp.path().join(&key), &copied).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&copied, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(second.issue(&key, &[]).status.code(), Some(0));
    let a = pdfs(&first.certificates());
    let b = pdfs(&second.certificates());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.file_name(), y.file_name());
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
}

#[test]
fn rerun_skips_unchanged_reports_a_corrected_name_and_reissues_only_when_told() {
    let (offering, key, public) = issued();
    let again = offering.issue(&key, &[]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        text(&again).contains("Issued 0, unchanged 21"),
        "{}",
        text(&again)
    );

    let old_pdf = offering.pdf_of("A002");
    offering.edit_roster(|t| t.replacen("A002,Benoît,Lavoie", "A002,Benoît,Lavoie-Tremblay", 1));
    let changed = offering.issue(&key, &[]);
    assert_eq!(changed.status.code(), Some(0));
    let report = text(&changed);
    assert!(report.contains("changed, NOT reissued"), "{report}");
    assert!(
        report.contains("holder.name: \"Benoît Lavoie\" -> \"Benoît Lavoie-Tremblay\""),
        "{report}"
    );
    assert_eq!(
        std::fs::read_to_string(offering.ledger())
            .unwrap()
            .lines()
            .count(),
        25,
        "nothing recorded (21 certificates and 4 notices from the first run)"
    );

    let reissued = offering.issue(&key, &["--reissue"]);
    assert_eq!(reissued.status.code(), Some(0), "{}", text(&reissued));
    assert!(
        text(&reissued).contains("reissued (supersedes r1)"),
        "{}",
        text(&reissued)
    );
    let new_pdf = offering.pdf_of("A002");
    assert!(new_pdf.to_string_lossy().ends_with("-r2.pdf"));
    assert!(pdf_text(&new_pdf).contains("Benoît Lavoie-Tremblay"));

    let old = verify(
        &offering,
        &[old_pdf.to_str().unwrap()],
        &["--ledger", "records/ledger.jsonl", "--trust", &public],
    );
    assert_eq!(old.status.code(), Some(1));
    assert!(text(&old).contains("superseded"), "{}", text(&old));
    assert!(text(&old).contains("-r2"), "{}", text(&old));
    let new = verify(
        &offering,
        &[new_pdf.to_str().unwrap()],
        &["--ledger", "records/ledger.jsonl", "--trust", &public],
    );
    assert_eq!(new.status.code(), Some(0), "{}", text(&new));
}

#[test]
fn an_altered_pdf_fails_verification_with_the_check_that_failed() {
    let (offering, _, public) = issued();
    let pdf = offering.pdf_of("A001");
    let mut bytes = std::fs::read(&pdf).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    std::fs::write(&pdf, &bytes).unwrap();
    let output = verify(
        &offering,
        &[pdf.to_str().unwrap()],
        &["--ledger", "records/ledger.jsonl", "--trust", &public],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("pdf-hash check failed"),
        "{}",
        text(&output)
    );
}

#[test]
fn offline_verification_rerenders_and_says_revocation_was_not_checked() {
    let (offering, _, public) = issued();
    let pdf = offering.pdf_of("A009");
    let output = verify(
        &offering,
        &[pdf.to_str().unwrap()],
        &["--offline", "--trust", &public, "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["revocation_checked"], false);
    let checks = report["items"][0]["checks"].as_array().unwrap();
    assert!(
        checks
            .iter()
            .any(|c| c["check"] == "pdf-signature" && c["ok"] == true)
    );
    assert!(checks.iter().any(|c| {
        c["check"] == "page"
            && c["ok"] == true
            && c["detail"]
                .as_str()
                .unwrap()
                .contains("identical to the signed file's first revision")
    }));
    assert!(checks.iter().any(
        |c| c["check"] == "revocation" && c["detail"].as_str().unwrap().contains("NOT checked")
    ));
}

#[test]
fn verification_trusts_only_the_named_key() {
    let (offering, _, _) = issued();
    let other = Offering::ser2();
    let (_, other_public) = other.keygen();
    let stranger = other.temp.path().join(&other_public);
    let output = verify(
        &offering,
        &["records/SER2-2025-03-CAL/certificates"],
        &["--offline", "--trust", stranger.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("not trusted"), "{}", text(&output));
    // Without any trusted key, verify refuses to guess.
    let none = verify(
        &offering,
        &["records/SER2-2025-03-CAL/certificates"],
        &["--offline"],
    );
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none).contains("--trust"), "{}", text(&none));
}

#[test]
fn a_revoked_certificate_fails_with_when_and_why() {
    let (offering, key, public) = issued();
    let pdf = offering.pdf_of("A003");
    let id = pdf
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .trim_end_matches("-r1")
        .to_string();
    let revoke = offering
        .ceu()
        .args([
            "revoke",
            &id,
            "--reason",
            "attendance sheet was forged",
            "--key",
            &key,
            "--ledger",
            "records/ledger.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(revoke.status.code(), Some(0), "{}", text(&revoke));
    for item in [pdf.to_str().unwrap(), id.as_str()] {
        let output = verify(
            &offering,
            &[item],
            &["--ledger", "records/ledger.jsonl", "--trust", &public],
        );
        assert_eq!(output.status.code(), Some(1));
        assert!(text(&output).contains("revoked"), "{}", text(&output));
        assert!(
            text(&output).contains("attendance sheet was forged"),
            "{}",
            text(&output)
        );
    }
}

#[test]
fn offering_level_errors_refuse_issuing_for_everyone() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    offering.edit_course(|t| t.replacen("nonfinancial = \"Maren Castell has no relevant nonfinancial relationships to disclose.\"\n", "", 1));
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("ASHA-DISCLOSE-2"),
        "{}",
        text(&output)
    );
    assert!(pdfs(&offering.certificates()).is_empty());
    assert!(!offering.ledger().exists());
}

#[test]
fn an_attendee_level_error_holds_back_only_that_attendee() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    offering.append_attendance(
        "day2-2025-03-07.csv",
        "Ingrid,Lindqvist,ingrid.lindqvist@example.se,2025-03-07,08:45,10:30\n",
    );
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("BLOCKED by a finding"),
        "{}",
        text(&output)
    );
    assert!(text(&output).contains("A009"), "{}", text(&output));
    assert_eq!(pdfs(&offering.certificates()).len(), 20);
}

#[test]
fn hostile_names_print_literally() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    let hostile = r#"#read("/etc/passwd") *bold* $x$ \ ] <b>"#;
    offering.edit_roster(|t| {
        t.replacen(
            "A024,Yusuf,",
            &format!("A024,\"{}\",", hostile.replace('"', "\"\"")),
            1,
        )
    });
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let printed = pdf_text(&offering.pdf_of("A024"));
    assert!(
        printed.contains(r#"#read("/etc/passwd") *bold* $x$ \ ] <b> Demir"#),
        "{printed}"
    );
    assert!(!printed.contains("root:"), "{printed}");
}

#[test]
fn characters_no_bundled_font_has_block_that_one_certificate() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    offering.edit_roster(|t| t.replacen("A023,Wen,Zhao", "A023,文,赵", 1));
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report = text(&output);
    assert!(report.contains("RENDER-GLYPHS"), "{report}");
    assert!(report.contains("A023"), "{report}");
    assert_eq!(pdfs(&offering.certificates()).len(), 20);
    // Accented Latin is fine.
    assert!(pdf_text(&offering.pdf_of("A002")).contains("Benoît Lavoie"));
}

#[test]
fn a_fresh_machine_gets_a_local_key_and_is_told_so() {
    let offering = Offering::ser2();
    let output = offering
        .ceu()
        .args(["issue", "--as-of", "2025-03-20", "records/SER2-2025-03-CAL"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("LOCAL key"), "{stderr}");
    assert!(stderr.contains("ceu keygen"), "{stderr}");
    let key = offering.temp.path().join("config/ceu/signing-key.pem");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The private key never appears in the output.
    let secret = std::fs::read_to_string(&key).unwrap();
    let body: String = secret
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':'))
        .collect();
    assert!(!body.is_empty());
    assert!(!text(&output).contains(&body));
}

#[test]
fn two_issue_runs_at_once_keep_the_ledger_intact() {
    let offering = Offering::ser2();
    let (key, public) = offering.keygen();
    // A second offering beside the first, sharing the ledger.
    let second = offering.records().join("SER2-2025-03-CAL-B");
    common::copy_dir(&offering.dir(), &second);
    common::edit_file(&second.join("course.toml"), |t| {
        t.replacen(
            "id = \"SER2-2025-03-CAL\"",
            "id = \"SER2-2025-03-CAL-B\"",
            1,
        )
    });
    let spawn = |dir: &str| offering.issue_process(&key, dir).spawn().unwrap();
    let mut a = spawn("records/SER2-2025-03-CAL");
    let mut b = spawn("records/SER2-2025-03-CAL-B");
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    assert_eq!(
        std::fs::read_to_string(offering.ledger())
            .unwrap()
            .lines()
            .count(),
        50,
        "21 certificates and 4 notices per offering"
    );
    let chain = offering.ledger_verify(&public);
    assert_eq!(chain.status.code(), Some(0), "{}", text(&chain));
}

/// After a crash and a re-run: exactly one PDF and one ledger entry per completer, no
/// temporary files, and everything verifies.
fn assert_complete_after_rerun(offering: &Offering, key: &str, public: &str) {
    let rerun = offering.issue(key, &[]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    let files: Vec<String> = std::fs::read_dir(offering.certificates())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 21, "{files:?}");
    assert!(files.iter().all(|f| f.ends_with("-r1.pdf")), "{files:?}");
    let ledger = std::fs::read_to_string(offering.ledger()).unwrap();
    // 21 certificates and 4 notices to non-completers.
    assert_eq!(ledger.lines().count(), 25, "{ledger}");
    let mut attendees: Vec<String> = ceu::ledger::read(&offering.ledger())
        .unwrap()
        .iter()
        .filter_map(|e| e.body().issued().map(|f| f.attendee_id.clone()))
        .collect();
    attendees.sort();
    attendees.dedup();
    assert_eq!(attendees.len(), 21);
    let verified = verify(
        offering,
        &["records/SER2-2025-03-CAL/certificates"],
        &["--ledger", "records/ledger.jsonl", "--trust", public],
    );
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));
    let chain = offering
        .ceu()
        .args(["ledger", "verify", "--ledger", "records/ledger.jsonl"])
        .args(["--trust", public])
        .output()
        .unwrap();
    assert_eq!(chain.status.code(), Some(0), "{}", text(&chain));
}

#[test]
fn an_issue_that_crashes_after_some_pdfs_is_completed_by_a_rerun() {
    let offering = Offering::ser2();
    let (key, public) = offering.keygen();
    let crashed = offering
        .issue_process(&key, "records/SER2-2025-03-CAL")
        .env("CEU_FAULT", "abort-after-pdf:7")
        .status()
        .unwrap();
    assert!(!crashed.success(), "the fault point did not fire");
    // The crash came before the batch reached the ledger: PDFs without entries.
    assert!(!pdfs(&offering.certificates()).is_empty());
    let lines = std::fs::read_to_string(offering.ledger()).unwrap_or_default();
    assert_eq!(lines.lines().count(), 0, "{lines}");
    assert_complete_after_rerun(&offering, &key, &public);
}

#[test]
fn an_issue_killed_with_sigkill_is_completed_by_a_rerun() {
    let offering = Offering::ser2();
    let (key, public) = offering.keygen();
    let mut child = offering
        .issue_process(&key, "records/SER2-2025-03-CAL")
        .spawn()
        .unwrap();
    // Kill it as soon as the first certificate is on disk, wherever it then is.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while child.try_wait().unwrap().is_none()
        && pdfs(&offering.certificates()).is_empty()
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().ok();
    child.wait().unwrap();
    assert_complete_after_rerun(&offering, &key, &public);
}

#[test]
fn files_and_ledger_do_not_depend_on_the_thread_count() {
    // Two copies of SER2 with the same key, issued on 1 and on 3 threads: the same PDFs and
    // the same ledger, byte for byte (Ed25519 signatures are deterministic).
    let one = Offering::ser2();
    let (key, _) = one.keygen();
    let three = Offering::ser2();
    let key_three = three.temp.path().join(&key);
    std::fs::create_dir_all(key_three.parent().unwrap()).unwrap();
    std::fs::copy(one.temp.path().join(&key), &key_three).unwrap();
    for (offering, jobs) in [(&one, "1"), (&three, "3")] {
        let output = offering.issue(&key, &["--jobs", jobs]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    }
    let ledger_one = std::fs::read(one.ledger()).unwrap();
    // 21 certificates and 4 notices.
    assert_eq!(ledger_one.split(|&b| b == b'\n').count() - 1, 25);
    assert!(ledger_one == std::fs::read(three.ledger()).unwrap());
    let (a, b) = (pdfs(&one.certificates()), pdfs(&three.certificates()));
    assert_eq!(a.len(), 21);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.file_name(), y.file_name());
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{x:?}"
        );
    }
}

/// With an intact ledger, a PDF whose bytes a signed entry binds is not re-read for its
/// record (the `record` check says why); with a damaged ledger, the record is still opened
/// and checked on its own, and the verdict names the ledger line. Before `verify` read the
/// ledger once, a malformed ledger line made it refuse to check anything.
#[test]
fn verify_binds_the_record_through_the_ledger_and_names_a_damaged_ledger_line() {
    let (offering, _, public) = issued();
    let ledger = offering.ledger();
    // The PDF of ledger line 3; line 2 is the one damaged below.
    let entries = ceu::ledger::read(&ledger).unwrap();
    let file = &entries[2].body().issued().unwrap().pdf_file;
    let pdf = offering.certificates().join(file);
    let args = [
        "--ledger",
        "records/ledger.jsonl",
        "--trust",
        &public,
        "--format",
        "json",
    ];
    let checks_of = |output: &Output| -> Vec<serde_json::Value> {
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["items"][0]["checks"].as_array().unwrap().clone()
    };
    let output = verify(&offering, &[pdf.to_str().unwrap()], &args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(checks_of(&output).iter().any(|c| {
        c["check"] == "record"
            && c["ok"] == true
            && c["detail"]
                .as_str()
                .unwrap()
                .contains("signed ledger entry binds")
    }));

    let mut lines: Vec<String> = std::fs::read_to_string(&ledger)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines[1] = "{\"payloadType\":\"not an entry\"".into();
    std::fs::write(&ledger, lines.join("\n") + "\n").unwrap();
    let output = verify(&offering, &[pdf.to_str().unwrap()], &args);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(1), "{all}");
    let checks = checks_of(&output);
    assert!(
        checks.iter().any(|c| c["check"] == "ledger"
            && c["ok"] == false
            && c["detail"].as_str().unwrap().contains("line 2")),
        "{all}"
    );
    assert!(
        checks
            .iter()
            .any(|c| c["check"] == "record-signature" && c["ok"] == true),
        "the record is checked on its own when the ledger fails: {all}"
    );
}

/// The human report is verified and printed a chunk of 4,096 items at a time (holding every
/// verdict took ~300 MB at 100,000 PDFs): across chunks, lines keep the order of the items
/// and the summary counts all of them.
#[test]
fn verify_prints_every_item_in_order_across_chunks() {
    let (offering, _, public) = issued();
    let entries = ceu::ledger::read(&offering.ledger()).unwrap();
    let hashes: Vec<String> = entries
        .iter()
        .filter_map(|e| e.body().issued().map(|i| i.pdf_sha256.clone()))
        .collect();
    let unknown = "0".repeat(64);
    let items: Vec<&str> = (0..5_000)
        .map(|i| {
            if i == 4_500 {
                unknown.as_str()
            } else {
                hashes[i % hashes.len()].as_str()
            }
        })
        .collect();
    let output = verify(
        &offering,
        &items,
        &["--ledger", "records/ledger.jsonl", "--trust", &public],
    );
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        5_002,
        "5,000 verdicts, a blank line, the summary"
    );
    for (i, (line, item)) in lines.iter().zip(&items).enumerate() {
        let expected = if i == 4_500 { "FAIL  " } else { "OK    " };
        assert!(
            line.starts_with(&format!("{expected}{item}")),
            "line {}: {line}",
            i + 1
        );
    }
    assert_eq!(lines[5_001], "4999 of 5000 verified.");
}

#[test]
fn the_plan_of_a_first_run_gives_every_issuable_completer_revision_1() {
    // The plan is decided from the evaluation and the ledger alone: no key, no renderer, no
    // files written. With an empty ledger every completer who is not blocked gets a first
    // issue, and everyone on the roster is accounted for exactly once.
    let dir = common::repo().join("records/SER2-2025-03-CAL");
    let offering = ceu::offering::load(&dir).unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
    let report = ceu::rules::evaluate(&offering, as_of);
    let issued_at = "2025-03-10T12:00:00Z".parse().unwrap();
    let empty = ceu::ledger::LedgerIndex::default();
    let plan = ceu::issue::plan(&offering, &report, &empty, issued_at, false);

    assert!(!plan.jobs.is_empty());
    assert!(
        plan.jobs.iter().all(|job| job.revision() == 1
            && job.supersedes().is_none()
            && job.cert_id().is_none())
    );
    assert_eq!(
        plan.jobs.len() + plan.blocked.len() + plan.not_completed.len(),
        offering.roster.attendees.len()
    );
    assert_eq!(
        (plan.unchanged, plan.changed.len(), plan.revoked.len()),
        (0, 0, 0)
    );
    for job in &plan.jobs {
        let outcome = &report.attendees[job.index()];
        assert!(outcome.blocked_by.is_empty());
        assert_ne!(outcome.status, ceu::rules::Status::NotCompleted);
    }
}

#[test]
fn a_panic_while_verifying_crashed_ceu_instead_of_reporting_an_internal_error() {
    // Issue 14, item 4: a verification worker that panics is a bug in ceu: exit 3 and a
    // message that names the file being verified, not a crash.
    let (offering, _, public) = issued();
    let pdf = pdfs(&offering.certificates()).remove(0);
    let name = pdf.file_name().unwrap().to_string_lossy().into_owned();
    let output = offering
        .ceu()
        .env("CEU_FAULT", format!("panic-in-verify:{name}"))
        .arg("verify")
        .arg(&pdf)
        .args(["--ledger", "records/ledger.jsonl", "--trust", &public])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "while verifying {}: internal error: CEU_FAULT=panic-in-verify",
            pdf.display()
        )),
        "{}",
        text(&output)
    );
}
