//! An operator's bad day, through the real binary: a disk that fills while PDFs or ledger
//! lines are written, a run killed while it writes the checkpoint, a ledger whose tail was
//! cut. Faults are injected with `CEU_FAULT` (src/fault.rs); docs/reliability.md lists these
//! tests and the longer campaigns run from scripts.

use crate::common::{self};
use crate::common::{Offering, text};
use std::path::Path;
use std::process::Output;

const OFFERING: &str = "records/SER2-2025-03-CAL";

fn ledger_lines(offering: &Offering) -> usize {
    std::fs::read_to_string(offering.ledger())
        .unwrap_or_default()
        .lines()
        .count()
}

fn checkpoint_count(offering: &Offering) -> Option<u64> {
    let bytes = std::fs::read(ceu::ledger::checkpoint_path(&offering.ledger())).ok()?;
    let envelope = ceu::sign::parse_envelope(&bytes).unwrap();
    let payload: ceu::ledger::CheckpointPayload =
        serde_json::from_slice(&envelope.payload).unwrap();
    Some(payload.count)
}

fn checkpoint_temporaries(records: &Path) -> Vec<String> {
    std::fs::read_dir(records)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".ceu-checkpoint-"))
        .collect()
}

/// `ceu issue` with a fault injected.
fn issue_with_fault(offering: &Offering, key: &str, fault: &str) -> Output {
    let mut args = vec!["issue", "--key", key];
    args.extend_from_slice(&common::ISSUE_TIMES);
    offering
        .ceu()
        .env("CEU_FAULT", fault)
        .args(&args)
        .arg(OFFERING)
        .output()
        .unwrap()
}

/// Issues SER2 with a new key and revokes entry `n`'s certificate: (key, public key).
fn issued_and_one_revoked(offering: &Offering, n: usize) -> (String, String) {
    let (key, public) = offering.keygen();
    let first = offering.issue(&key, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let cert = ceu::ledger::read(&offering.ledger()).unwrap()[n].full_cert_id();
    let revoked = offering.revoke_command(&key, &cert).output().unwrap();
    assert_eq!(revoked.status.code(), Some(0), "{}", text(&revoked));
    (key, public)
}

/// `ceu ledger verify` and `ceu verify` of every certificate, both trusting `public`.
fn assert_everything_verifies(offering: &Offering, public: &str) {
    let chain = offering.ledger_verify(public);
    assert_eq!(chain.status.code(), Some(0), "{}", text(&chain));
    let verify = offering
        .ceu()
        .args(["verify", &format!("{OFFERING}/certificates")])
        .args(["--ledger", "records/ledger.jsonl", "--trust", public])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
}

/// Ledger lines `issue` appends on SER2 after the certificates: one notice each to A011,
/// A012, A015 and A022, who asked for a credit they do not get (docs/notices.md).
const NOTICES: usize = 4;

/// Bytes a complete, undisturbed issue of SER2 writes with this key: (all PDFs, the
/// certificates' ledger lines).
/// Rendering is deterministic, so a twin offering with the same key writes the same bytes.
fn bytes_an_issue_writes(key_file: &Path) -> (u64, u64) {
    let twin = Offering::ser2();
    std::fs::create_dir_all(twin.temp.path().join("secret")).unwrap();
    std::fs::copy(key_file, twin.temp.path().join("secret/key.pem")).unwrap();
    let output = twin.issue("secret/key.pem", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let pdfs = std::fs::read_dir(twin.certificates())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    // The certificates' lines only: the notices' lines come after their checkpoint.
    let ledger = std::fs::read_to_string(twin.ledger())
        .unwrap()
        .lines()
        .take(21)
        .map(|line| line.len() as u64 + 1)
        .sum();
    (pdfs, ledger)
}

#[test]
fn disk_full_while_appending_to_the_ledger_no_longer_blocks_every_later_run() {
    // The fault: with the ledger on a full disk, `issue` left complete lines plus a partial
    // last line and no checkpoint, and every later run refused "ends with an incomplete line".
    let offering = Offering::ser2();
    let (key, public) = offering.keygen();
    let (pdf_bytes, ledger_bytes) = bytes_an_issue_writes(&offering.temp.path().join(&key));
    // Every PDF fits; the disk fills in the middle of the ledger batch (a few lines in).
    let budget = pdf_bytes + ledger_bytes / 3 + 17;
    let full = issue_with_fault(&offering, &key, &format!("enospc-after-bytes:{budget}"));
    assert_eq!(full.status.code(), Some(2), "{}", text(&full));
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert!(
        stderr.contains("ledger.jsonl") && stderr.contains("No space left on device"),
        "{stderr}"
    );
    assert!(stderr.contains("run `ceu issue` again"), "{stderr}");
    // The writer took its batch back: nothing torn, nothing recorded.
    let ledger = std::fs::read(offering.ledger()).unwrap_or_default();
    assert!(ledger.is_empty() || ledger.ends_with(b"\n"));
    assert_eq!(ledger_lines(&offering), 0);

    let rerun = offering.issue(&key, &[]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert_eq!(ledger_lines(&offering), 21 + NOTICES);
    assert_eq!(checkpoint_count(&offering), Some(21 + NOTICES as u64));
    assert_everything_verifies(&offering, &public);
}

#[test]
fn disk_full_while_writing_pdfs_names_the_ledger_and_a_rerun_completes() {
    let offering = Offering::ser2();
    let (key, public) = offering.keygen();
    let (pdf_bytes, _) = bytes_an_issue_writes(&offering.temp.path().join(&key));
    let full = issue_with_fault(
        &offering,
        &key,
        &format!("enospc-after-bytes:{}", pdf_bytes / 2),
    );
    assert_eq!(full.status.code(), Some(2), "{}", text(&full));
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert!(
        stderr.contains("No space left on device")
            && stderr.contains("The ledger records/ledger.jsonl is intact"),
        "{stderr}"
    );
    assert_eq!(ledger_lines(&offering), 0);
    let rerun = offering.issue(&key, &[]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert_eq!(ledger_lines(&offering), 21 + NOTICES);
    assert_everything_verifies(&offering, &public);
}

#[test]
fn disk_full_while_writing_the_checkpoint_is_repaired_by_the_next_run() {
    let offering = Offering::ser2();
    let (key, public) = offering.keygen();
    let (pdf_bytes, ledger_bytes) = bytes_an_issue_writes(&offering.temp.path().join(&key));
    // PDFs and every ledger line fit; the checkpoint does not.
    let budget = pdf_bytes + ledger_bytes + 40;
    let full = issue_with_fault(&offering, &key, &format!("enospc-after-bytes:{budget}"));
    assert_eq!(full.status.code(), Some(2), "{}", text(&full));
    assert_eq!(ledger_lines(&offering), 21);
    assert_eq!(checkpoint_count(&offering), None);
    assert!(checkpoint_temporaries(&offering.records()).is_empty());

    let rerun = offering.issue(&key, &[]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert!(
        String::from_utf8_lossy(&rerun.stdout).contains("Issued 0"),
        "{}",
        text(&rerun)
    );
    assert_eq!(checkpoint_count(&offering), Some(21 + NOTICES as u64));
    assert_everything_verifies(&offering, &public);
}

#[test]
fn a_run_killed_during_the_checkpoint_write_leaves_nothing_stale_after_the_next_run() {
    // The fault: a kill during the checkpoint's fsync left `.ceu-checkpoint-XXXXXX` forever
    // and the checkpoint behind, and a later run with nothing new fixed neither.
    let offering = Offering::ser2();
    let (key, public) = offering.keygen();
    let first = offering.issue(&key, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let entry = ceu::ledger::read(&offering.ledger()).unwrap();
    let cert = entry[0].full_cert_id();
    let killed = offering
        .revoke_command(&key, &cert)
        .env("CEU_FAULT", "abort-in-checkpoint")
        .output()
        .unwrap();
    assert!(!killed.status.success(), "{}", text(&killed));
    assert_eq!(ledger_lines(&offering), 22 + NOTICES);
    assert_eq!(checkpoint_count(&offering), Some(21 + NOTICES as u64));
    assert_eq!(checkpoint_temporaries(&offering.records()).len(), 1);

    let rerun = offering.issue(&key, &[]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert_eq!(checkpoint_count(&offering), Some(22 + NOTICES as u64));
    assert!(checkpoint_temporaries(&offering.records()).is_empty());
    let chain = offering.ledger_verify(&public);
    assert_eq!(chain.status.code(), Some(0), "{}", text(&chain));
}

#[test]
fn issue_refuses_to_append_to_a_ledger_whose_tail_was_cut() {
    // Appending would overwrite the checkpoint that proves lines were removed.
    let offering = Offering::ser2();
    let (key, public) = issued_and_one_revoked(&offering, 3);
    let cert = ceu::ledger::read(&offering.ledger()).unwrap()[3].full_cert_id();
    let checkpoint_before =
        std::fs::read(ceu::ledger::checkpoint_path(&offering.ledger())).unwrap();
    // `head -n -1`: the revocation is gone, the chain of the rest still holds.
    let text_before = std::fs::read_to_string(offering.ledger()).unwrap();
    let kept: Vec<&str> = text_before.lines().take(21 + NOTICES).collect();
    std::fs::write(offering.ledger(), format!("{}\n", kept.join("\n"))).unwrap();

    for attempt in [
        offering.issue(&key, &["--reissue"]),
        offering
            .ceu()
            .args(["revoke", &cert, "--reason", "again", "--key", &key])
            .args(["--ledger", "records/ledger.jsonl"])
            .output()
            .unwrap(),
    ] {
        assert_eq!(attempt.status.code(), Some(2), "{}", text(&attempt));
        let stderr = String::from_utf8_lossy(&attempt.stderr);
        assert!(
            stderr.contains("does not extend its checkpoint")
                && stderr.contains("25 complete line(s), the checkpoint counts 26"),
            "{stderr}"
        );
    }
    assert_eq!(
        std::fs::read(ceu::ledger::checkpoint_path(&offering.ledger())).unwrap(),
        checkpoint_before,
        "the evidence was overwritten"
    );
    let chain = offering.ledger_verify(&public);
    assert_eq!(chain.status.code(), Some(1), "{}", text(&chain));
}

#[test]
fn a_run_waiting_for_the_ledger_lock_says_so_once() {
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    std::fs::create_dir_all(offering.records()).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(ceu::ledger::lock_path(&offering.ledger()))
        .unwrap();
    lock.lock().unwrap();
    let mut child = offering
        .issue_process(&key, OFFERING)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read its standard error until it says it waits, then let it go on.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("waiting for the ledger lock") {
        let mut line = String::new();
        let read = std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
        assert!(read > 0, "the run ended without saying it waits: {said}");
        said.push_str(&line);
    }
    lock.unlock().unwrap();
    std::io::Read::read_to_string(&mut stderr, &mut said).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{said}");
    assert_eq!(
        said.matches("waiting for the ledger lock").count(),
        1,
        "{said}"
    );
}

/// SER2 with `extra` more attendees cloned from A001 (ids B0001…, own emails), each attending
/// all four days, so the reports are larger than a pipe's buffer.
fn ser2_with_many_attendees(extra: usize) -> Offering {
    let offering = Offering::ser2();
    let roster = std::fs::read_to_string(offering.dir().join("roster.csv")).unwrap();
    let a001 = roster.lines().nth(1).unwrap().to_string();
    let mut more = String::new();
    for n in 0..extra {
        more.push_str(
            &a001
                .replacen("A001", &format!("B{n:04}"), 1)
                .replace("aiyana.redcrow@", &format!("b{n:04}@")),
        );
        more.push('\n');
    }
    common::edit_file(&offering.dir().join("roster.csv"), |t| format!("{t}{more}"));
    for entry in std::fs::read_dir(offering.dir().join("attendance")).unwrap() {
        let path = entry.unwrap().path();
        common::edit_file(&path, |text| {
            let row = text
                .lines()
                .find(|l| l.to_lowercase().contains("aiyana.redcrow@"))
                .unwrap()
                .to_lowercase();
            let mut rows = String::new();
            for n in 0..extra {
                rows.push_str(&row.replace("aiyana.redcrow@", &format!("b{n:04}@")));
                rows.push('\n');
            }
            format!("{text}{rows}")
        });
    }
    offering
}

/// Runs `ceu <args>` with its standard output a pipe whose reader is closed before ceu
/// writes; returns (exit code, standard error).
fn into_a_closed_pipe(offering: &Offering, args: &[&str], stdin: Option<String>) -> (i32, String) {
    let mut child = offering
        .process()
        .args(args)
        .stdin(if stdin.is_some() {
            std::process::Stdio::piped()
        } else {
            std::process::Stdio::null()
        })
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    if let Some(input) = stdin {
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ended_hours_check_and_verify_with_a_broken_pipe_panic() {
    // The fault: `ceu hours --format csv | true` on 1,000 attendees panicked ("Broken pipe",
    // exit 101). Now the command finishes quietly with the exit code it documents.
    let offering = ser2_with_many_attendees(1000);
    for (args, expected) in [
        (vec!["hours", OFFERING, "--format", "csv"], 0),
        (vec!["hours", OFFERING], 0),
        (vec!["check", OFFERING, "--as-of", "2025-03-20"], 0),
        (
            vec![
                "check",
                OFFERING,
                "--format",
                "json",
                "--as-of",
                "2025-03-20",
            ],
            0,
        ),
    ] {
        let full = offering.ceu().args(&args).output().unwrap();
        assert!(
            full.stdout.len() > 64 * 1024,
            "{args:?}: only {} bytes",
            full.stdout.len()
        );
        assert_eq!(
            full.status.code(),
            Some(expected),
            "{args:?}: {}",
            text(&full)
        );
        let (code, stderr) = into_a_closed_pipe(&offering, &args, None);
        assert_eq!(code, expected, "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
    // verify: 3,000 ids that are in no ledger, one FAIL line each; exit 1 as documented.
    let (key, public) = offering.keygen();
    let _ = key;
    std::fs::write(offering.ledger(), "").unwrap();
    let ids: String = (0..3000).map(|n| format!("NOT-A-CERT-{n:05}\n")).collect();
    let args = [
        "verify",
        "-",
        "--ledger",
        "records/ledger.jsonl",
        "--trust",
        public.as_str(),
    ];
    let (code, stderr) = into_a_closed_pipe(&offering, &args, Some(ids));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
}

#[test]
fn roster_names_steered_the_terminal_and_forged_report_rows() {
    // The fault: `ceu check` printed roster names raw: an ESC sequence reached the terminal,
    // an embedded newline forged a report row, U+202E reversed the rest of the line.
    let offering = Offering::ser2();
    offering.edit_roster(|t| {
        t.replacen("A001,Aiyana,", "A001,\"Ai\u{1b}[2Jyana\",", 1)
            .replacen("A002,Benoît,", "A002,\"Ben\nA999  forged  completed\",", 1)
            .replacen("A003,", "A003,Rev\u{202e}ersed ", 1)
    });
    let (_, human) = offering.check_human("2025-03-20");
    assert!(
        !human.contains('\u{1b}') && !human.contains('\u{202e}'),
        "{human}"
    );
    assert!(human.contains("Ai\\u{1b}[2Jyana"), "{human}");
    assert!(
        human.contains("Ben\\u{a}A999  forged  completed"),
        "{human}"
    );
    assert!(human.contains("Rev\\u{202e}ersed"), "{human}");
    assert!(
        !human.lines().any(|l| l.trim_start().starts_with("A999")),
        "{human}"
    );
    let hours = offering.run(&["hours"]);
    let table = String::from_utf8_lossy(&hours.stdout);
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{202e}'),
        "{table}"
    );
    assert!(!table.lines().any(|l| l.starts_with("A999")), "{table}");
    // JSON keeps the exact data.
    let (_, json) = offering.check_json("2025-03-20");
    let names: Vec<&str> = json["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("Ai\u{1b}[2Jyana")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.contains("Rev\u{202e}ersed")),
        "{names:?}"
    );
}

#[test]
fn one_attendees_control_character_stopped_the_whole_batch_and_check_did_not_see_it() {
    // The fault: a roster first name with U+0001 passed `check` (exit 0), then `issue` failed
    // the PDF/A export and exited 2 for everyone. Variants: bell, backspace, ESC, and a
    // control character in a field other than the name (the credential).
    for (edit, column) in [
        ("A005,\u{1}", 2),
        ("A005,\u{7}", 2),
        ("A005,\u{8}", 2),
        ("A005,\u{1b}", 2),
    ] {
        let offering = Offering::ser2();
        let (key, public) = offering.keygen();
        offering.edit_roster(|t| t.replacen("A005,", edit, 1));
        let (code, report) = offering.check_json("2025-03-20");
        assert_eq!(code, 1, "{edit:?}");
        let finding = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "DATA-CONTROL-CHARACTER")
            .unwrap_or_else(|| panic!("{edit:?}: {report:#}"));
        assert_eq!(finding["attendee"], "A005");
        assert_eq!(
            finding["location"]["file"],
            format!("{OFFERING}/roster.csv")
        );
        assert_eq!(finding["location"]["line"], 6);
        assert_eq!(finding["location"]["column"], column);
        let issue = offering.issue(&key, &[]);
        assert_eq!(issue.status.code(), Some(1), "{edit:?}: {}", text(&issue));
        let issued: Vec<String> = ceu::ledger::read(&offering.ledger())
            .unwrap()
            .iter()
            .filter_map(|e| e.body().issued().map(|f| f.attendee_id.clone()))
            .collect();
        assert_eq!(issued.len(), 20, "{edit:?}: {}", text(&issue));
        assert!(!issued.iter().any(|id| id == "A005"));
        assert_everything_verifies(&offering, &public);
    }
    let offering = Offering::ser2();
    offering.edit_roster(|t| t.replacen("CCC-SLP", "CCC-\u{1b}SLP", 1));
    let (code, report) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    let rules = common::finding_ids(&report);
    assert!(
        rules.contains(&("DATA-CONTROL-CHARACTER".into(), "error".into())),
        "{rules:?}"
    );
}

#[test]
fn a_ledger_moved_away_with_its_checkpoint_made_issue_start_over_and_overwrite_the_pdfs() {
    // Issue 17, item 5: with records/ledger.jsonl and its checkpoint moved away, `issue`
    // exited 0, started a new ledger and overwrote the PDFs, which then verified against
    // nothing. It refuses; `--new-ledger` starts one on purpose.
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    let first = offering.issue(&key, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let away = offering.temp.path().join("away");
    std::fs::create_dir_all(&away).unwrap();
    for name in ["ledger.jsonl", "ledger.checkpoint.json"] {
        std::fs::rename(offering.records().join(name), away.join(name)).unwrap();
    }
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = std::fs::read_dir(offering.certificates())
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    // A later issue time: overwriting would change every file.
    let refused = offering
        .ceu()
        .args([
            "issue",
            "--key",
            &key,
            "--issued-at",
            "2025-04-01T12:00:00Z",
        ])
        .args(["--as-of", "2025-04-01", OFFERING])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--new-ledger"),
        "{}",
        text(&refused)
    );
    assert!(!offering.ledger().exists());
    for (path, bytes) in &before {
        assert_eq!(
            &std::fs::read(path).unwrap(),
            bytes,
            "{} changed",
            path.display()
        );
    }
    let fresh = offering.issue(&key, &["--new-ledger"]);
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh));
    assert_eq!(ledger_lines(&offering), 21 + NOTICES);
}

#[test]
fn a_right_to_left_override_in_a_name_reversed_it_on_the_certificate() {
    // Issue 17, item 6: U+202E in a roster name must not reverse the printed name; the signed
    // record keeps the exact text.
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    offering.edit_roster(|t| t.replacen("A003,", "A003,Rev\u{202e}ersed", 1));
    let issue = offering.issue(&key, &[]);
    assert_eq!(issue.status.code(), Some(0), "{}", text(&issue));
    let pdf = offering.pdf_of("A003");
    let output = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&output.stdout);
    assert!(page.contains("Reversed"), "{page}");
    assert!(!page.contains('\u{202e}'), "{page}");
    let bytes = std::fs::read(&pdf).unwrap();
    let envelope = ceu::render::extract_attachment(&bytes).expect("the record is embedded");
    let envelope = ceu::sign::parse_envelope(&envelope).unwrap();
    let record = String::from_utf8(envelope.payload.clone()).unwrap();
    assert!(record.contains("Rev\u{202e}ersed"), "{record}");
}

#[test]
fn published_files_were_private_and_issue_did_not_warn_of_a_key_inside_git() {
    // Issue 17, item 8: public keys, the PDF-signing certificate and the checkpoint are meant
    // to be published and kept, so they are 0644 (private keys stay 0600); `issue --key` with
    // a private key inside a git work tree warns as `keygen` does.
    use std::os::unix::fs::PermissionsExt as _;
    let offering = Offering::ser2();
    std::fs::create_dir_all(offering.temp.path().join("work/.git")).unwrap();
    let keygen = offering
        .ceu()
        .args([
            "keygen",
            "--key",
            "work/key.pem",
            "--public-dir",
            "records/keys",
        ])
        .output()
        .unwrap();
    assert_eq!(keygen.status.code(), Some(0), "{}", text(&keygen));
    assert!(String::from_utf8_lossy(&keygen.stderr).contains("inside the git repository"));
    let issue = offering.issue("work/key.pem", &[]);
    assert_eq!(issue.status.code(), Some(0), "{}", text(&issue));
    assert!(
        String::from_utf8_lossy(&issue.stderr).contains("inside the git repository"),
        "{}",
        text(&issue)
    );
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&offering.temp.path().join("work/key.pem")), 0o600);
    let published: Vec<std::path::PathBuf> = std::fs::read_dir(offering.records().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(published.len() >= 2, "{published:?}");
    for path in published
        .iter()
        .chain([&ceu::ledger::checkpoint_path(&offering.ledger())])
    {
        assert_eq!(mode(path), 0o644, "{}", path.display());
    }
}

#[test]
fn a_render_failure_for_one_attendee_aborted_everyone_elses_certificates() {
    // Issue 17, item 3: whatever `check` cannot foresee, one certificate that fails to render
    // holds back that attendee only; the rest are issued and recorded.
    let offering = Offering::ser2();
    let (key, public) = offering.keygen();
    let failed = issue_with_fault(&offering, &key, "render-fail:A005");
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("A005") && l.contains("could not be rendered")),
        "{stdout}"
    );
    assert_eq!(ledger_lines(&offering), 20 + NOTICES);
    assert_everything_verifies(&offering, &public);
    let rerun = offering.issue(&key, &[]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert_eq!(ledger_lines(&offering), 21 + NOTICES);
    assert_everything_verifies(&offering, &public);
}

#[test]
fn verify_accepted_a_ledger_whose_revocation_line_was_cut() {
    // Issue 17, item 4: issue, revoke one, `head -n -1`: `verify` said "21 of 21 verified"
    // although the checkpoint beside the ledger records 22 entries.
    let offering = Offering::ser2();
    let (_, public) = issued_and_one_revoked(&offering, 4);
    let kept = offering.temp.path().join("kept-checkpoint.json");
    std::fs::copy(ceu::ledger::checkpoint_path(&offering.ledger()), &kept).unwrap();
    let all = std::fs::read_to_string(offering.ledger()).unwrap();
    let cut: Vec<&str> = all.lines().take(21 + NOTICES).collect();
    std::fs::write(offering.ledger(), format!("{}\n", cut.join("\n"))).unwrap();

    let verify = |extra: &[&str]| {
        offering
            .ceu()
            .args(["verify", &format!("{OFFERING}/certificates")])
            .args(["--ledger", "records/ledger.jsonl", "--trust", &public])
            .args(extra)
            .output()
            .unwrap()
    };
    let beside = verify(&[]);
    assert_eq!(beside.status.code(), Some(1), "{}", text(&beside));
    let report = String::from_utf8_lossy(&beside.stdout);
    assert_eq!(report.matches("FAIL").count(), 21, "{report}");
    assert!(report.contains("its tail was cut"), "{report}");
    // A checkpoint the auditor kept, with the one beside the ledger gone.
    std::fs::remove_file(ceu::ledger::checkpoint_path(&offering.ledger())).unwrap();
    let kept_run = verify(&["--checkpoint", "kept-checkpoint.json"]);
    assert_eq!(kept_run.status.code(), Some(1), "{}", text(&kept_run));
    // No checkpoint at all: a note on standard error, and the exit code is the ledger's.
    let none = verify(&[]);
    assert_eq!(none.status.code(), Some(0), "{}", text(&none));
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("no checkpoint beside"),
        "{}",
        text(&none)
    );
}

#[test]
fn a_panic_while_rendering_crashed_ceu_instead_of_reporting_an_internal_error() {
    // Issue 14, item 4: a worker thread that panics is a bug in ceu. The run stops with exit 3
    // (not 2, "the input could not be used") and a message that names the attendee and asks
    // for a bug report.
    let offering = Offering::ser2();
    let (key, _) = offering.keygen();
    let failed = issue_with_fault(&offering, &key, "panic-in-render:A005");
    assert_eq!(failed.status.code(), Some(3), "{}", text(&failed));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains(
            "error: while issuing the certificate of attendee A005: internal error: CEU_FAULT=panic-in-render: an injected panic. This is a bug in ceu"
        ),
        "{}",
        text(&failed)
    );
}
