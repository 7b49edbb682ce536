//! The ledger on real files: append, read, index, and `verify` catching edits, deletions,
//! reordering, truncation against a checkpoint, and untrusted signers.

use ceu::ledger::{self, CheckpointStatus, EntryBody, LedgerIndex, LineProblem, RevokeFields};
use ceu::sign::{KeyPair, TrustSet};
use std::fs;
use std::path::{Path, PathBuf};

fn issue(n: u32) -> EntryBody {
    EntryBody::synthetic_issue(n)
}

struct Fixture {
    _dir: tempfile::TempDir,
    ledger: PathBuf,
    key: KeyPair,
    trust: TrustSet,
}

impl Fixture {
    /// `ledger verify` of the fixture's ledger against its checkpoint, trusting `trust`.
    fn verify_with(&self, trust: &TrustSet) -> ledger::VerifyReport {
        ledger::verify(
            &self.ledger,
            trust,
            Some(&ledger::checkpoint_path(&self.ledger)),
        )
        .unwrap()
    }

    /// The same, trusting the fixture's own key.
    fn verify(&self) -> ledger::VerifyReport {
        self.verify_with(&self.trust)
    }
}

fn fixture(entries: u32) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("records").join("ledger.jsonl");
    let key = KeyPair::generate();
    let trust = TrustSet::new().with(key.public_key());
    if entries > 0 {
        ledger::append(&ledger, (1..=entries).map(issue).collect(), &key).unwrap();
    }
    Fixture {
        _dir: dir,
        ledger,
        key,
        trust,
    }
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_lines(path: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    fs::write(path, text).unwrap();
}

#[test]
fn append_read_and_verify_round_trip() {
    let f = fixture(5);
    let more = ledger::append(&f.ledger, vec![issue(6), issue(7)], &f.key).unwrap();
    assert_eq!(more.iter().map(|e| e.seq()).collect::<Vec<_>>(), vec![6, 7]);

    let entries = ledger::read(&f.ledger).unwrap();
    assert_eq!(entries.len(), 7);
    assert_eq!(entries[0].payload.prev, ledger::GENESIS_PREV);
    for pair in entries.windows(2) {
        assert_eq!(pair[1].payload.prev, pair[0].hash);
    }
    // Each entry's hash is the SHA-256 of exactly the file's line.
    assert_eq!(
        entries[3].hash,
        ceu::sign::sha256_hex(lines(&f.ledger)[3].as_bytes())
    );

    let report = f.verify();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.lines, 7);
    assert_eq!(
        report.checkpoint,
        Some(CheckpointStatus::Consistent {
            count: 7,
            key_id: f.key.key_id().into()
        })
    );
    assert!(report.signers.contains(f.key.key_id()));
}

#[test]
fn checkpoint_records_count_and_last_hash() {
    let f = fixture(3);
    let bytes = fs::read(ledger::checkpoint_path(&f.ledger)).unwrap();
    let opened = ceu::sign::open_envelope_as(&bytes, ledger::CHECKPOINT_TYPE, &f.trust).unwrap();
    let payload: ledger::CheckpointPayload = serde_json::from_slice(&opened.payload).unwrap();
    assert_eq!(payload.count, 3);
    assert_eq!(payload.last_hash, ledger::read(&f.ledger).unwrap()[2].hash);
    assert_eq!(payload.ledger, "ceu");
}

#[test]
fn a_changed_byte_is_reported_at_its_line() {
    let f = fixture(10);
    let mut all = lines(&f.ledger);
    // Flip one character inside the base64 payload of line 4.
    let line = &mut all[3];
    let at = line.find("\"payload\":\"").unwrap() + 20;
    let original = line.as_bytes()[at];
    let replacement = if original == b'A' { "B" } else { "A" };
    line.replace_range(at..at + 1, replacement);
    write_lines(&f.ledger, &all);

    let report = ledger::verify(&f.ledger, &f.trust, None).unwrap();
    let (line, problem) = report.first_bad.expect("tampering detected");
    // The edited line either fails its own signature or (if the edit hit JSON) its parse;
    // either way it is line 4, not line 5 whose prev no longer matches.
    assert_eq!(line, 4, "{problem}");
}

#[test]
fn editing_a_line_and_resigning_is_caught_by_the_chain() {
    // An attacker with the key rewrites line 3 validly; line 4's prev no longer matches.
    let f = fixture(6);
    let mut all = lines(&f.ledger);
    let entries = ledger::read(&f.ledger).unwrap();
    let mut payload = entries[2].payload.clone();
    if let EntryBody::Issue(fields) = &mut payload.body {
        fields.attendee_id = "someone else".into();
    }
    let json = serde_json::to_vec(&payload).unwrap();
    all[2] =
        String::from_utf8(ceu::sign::sign_envelope(&f.key, ledger::ENTRY_TYPE, &json)).unwrap();
    write_lines(&f.ledger, &all);

    let report = ledger::verify(&f.ledger, &f.trust, None).unwrap();
    let (line, problem) = report.first_bad.unwrap();
    assert_eq!(line, 4);
    assert!(
        matches!(problem, LineProblem::BrokenChain { .. }),
        "{problem}"
    );
}

#[test]
fn a_deleted_middle_line_is_reported() {
    let f = fixture(8);
    let mut all = lines(&f.ledger);
    all.remove(4);
    write_lines(&f.ledger, &all);
    let report = ledger::verify(&f.ledger, &f.trust, None).unwrap();
    let (line, problem) = report.first_bad.unwrap();
    assert_eq!(line, 5);
    assert_eq!(
        problem,
        LineProblem::WrongSeq {
            expected: 5,
            found: 6
        }
    );
}

#[test]
fn reordered_lines_are_reported() {
    let f = fixture(8);
    let mut all = lines(&f.ledger);
    all.swap(2, 3);
    write_lines(&f.ledger, &all);
    let report = ledger::verify(&f.ledger, &f.trust, None).unwrap();
    assert_eq!(report.first_bad.unwrap().0, 3);
}

#[test]
fn a_cut_tail_is_detected_against_an_earlier_checkpoint() {
    let f = fixture(5);
    let kept = f.ledger.with_file_name("kept-checkpoint.json");
    fs::copy(ledger::checkpoint_path(&f.ledger), &kept).unwrap();
    ledger::append(&f.ledger, vec![issue(6)], &f.key).unwrap();

    // Still fine: the ledger extends the kept checkpoint.
    let report = ledger::verify(&f.ledger, &f.trust, Some(&kept)).unwrap();
    assert!(report.is_ok(), "{report:?}");

    // Cut back to 3 lines: the chain alone is valid, the checkpoint says 5.
    let all = lines(&f.ledger);
    write_lines(&f.ledger, &all[..3]);
    let report = ledger::verify(&f.ledger, &f.trust, None).unwrap();
    assert!(report.is_ok(), "a cut tail leaves a valid chain");
    let report = ledger::verify(&f.ledger, &f.trust, Some(&kept)).unwrap();
    assert!(!report.is_ok());
    assert_eq!(
        report.checkpoint,
        Some(CheckpointStatus::Truncated { count: 5, lines: 3 })
    );
}

#[test]
fn a_rewritten_history_is_detected_against_a_checkpoint() {
    let f = fixture(4);
    let kept = f.ledger.with_file_name("kept-checkpoint.json");
    fs::copy(ledger::checkpoint_path(&f.ledger), &kept).unwrap();
    // Roll back to 2 lines and append different entries: a valid chain of the same length.
    let all = lines(&f.ledger);
    write_lines(&f.ledger, &all[..2]);
    fs::remove_file(ledger::checkpoint_path(&f.ledger)).unwrap();
    ledger::append(&f.ledger, vec![issue(30), issue(40)], &f.key).unwrap();
    let report = ledger::verify(&f.ledger, &f.trust, Some(&kept)).unwrap();
    assert!(report.first_bad.is_none());
    assert_eq!(
        report.checkpoint,
        Some(CheckpointStatus::Rewritten { count: 4 })
    );
}

#[test]
fn an_untrusted_signer_fails() {
    let f = fixture(3);
    let stranger = TrustSet::new().with(KeyPair::generate().public_key());
    let report = f.verify_with(&stranger);
    let (line, problem) = report.first_bad.unwrap();
    assert_eq!(line, 1);
    assert!(
        matches!(problem, LineProblem::Signature(ref m) if m.contains("not trusted")),
        "{problem}"
    );
    assert!(matches!(
        report.checkpoint,
        Some(CheckpointStatus::Untrusted(_))
    ));
}

#[test]
fn a_line_signed_by_another_key_is_named() {
    // Lines appended by a second, untrusted key after three trusted ones.
    let f = fixture(3);
    ledger::append(&f.ledger, vec![issue(4)], &KeyPair::generate()).unwrap();
    let report = ledger::verify(&f.ledger, &f.trust, None).unwrap();
    assert_eq!(report.first_bad.unwrap().0, 4);
}

#[test]
fn garbage_line_is_malformed_at_its_line() {
    let f = fixture(3);
    let mut all = lines(&f.ledger);
    all.insert(1, "{not json".into());
    write_lines(&f.ledger, &all);
    let report = ledger::verify(&f.ledger, &f.trust, None).unwrap();
    let (line, problem) = report.first_bad.unwrap();
    assert_eq!(line, 2);
    assert!(matches!(problem, LineProblem::Malformed(_)));
    assert!(ledger::read(&f.ledger).is_err());
}

#[test]
fn a_missing_ledger_is_an_error_for_verify_and_empty_for_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.jsonl");
    assert!(ledger::verify(&path, &TrustSet::new(), None).is_err());
    assert!(ledger::read(&path).unwrap().is_empty());
}

#[test]
fn an_interrupted_append_is_cut_back_to_the_checkpoint() {
    let f = fixture(3);
    // A torn final line that was never synced nor checkpointed.
    let mut bytes = fs::read(&f.ledger).unwrap();
    bytes.extend_from_slice(b"{\"payloadType\":\"application/vnd.ceu.led");
    fs::write(&f.ledger, &bytes).unwrap();
    let report = ledger::verify(&f.ledger, &f.trust, None).unwrap();
    assert_eq!(report.first_bad.unwrap().0, 4);

    let added = ledger::append(&f.ledger, vec![issue(4)], &f.key).unwrap();
    assert_eq!(added[0].seq(), 4);
    let report = f.verify();
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn a_torn_tail_the_checkpoint_does_not_explain_is_refused() {
    let f = fixture(3);
    let all = lines(&f.ledger);
    // Drop the last line's newline: the checkpoint counts it, so this is not an interrupted
    // append of new lines.
    fs::write(&f.ledger, all.join("\n")).unwrap();
    let error = ledger::append(&f.ledger, vec![issue(4)], &f.key).unwrap_err();
    assert!(error.to_string().contains("incomplete line"), "{error}");
}

#[test]
fn concurrent_appends_keep_one_chain() {
    let f = fixture(0);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let path = f.ledger.clone();
            let key_pem_free = KeyPair::generate();
            std::thread::spawn(move || {
                for round in 0..10 {
                    let n = t * 100 + round;
                    ledger::append(&path, vec![issue(n), issue(n + 1000)], &key_pem_free).unwrap();
                }
                key_pem_free.public_key()
            })
        })
        .collect();
    let mut trust = TrustSet::new();
    for handle in threads {
        trust.insert(handle.join().unwrap());
    }
    let report = f.verify_with(&trust);
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.lines, 80);
    assert_eq!(report.signers.len(), 4);
}

#[test]
fn index_finds_certificates_revocations_and_supersession() {
    let f = fixture(3);
    let reissue = match issue(2) {
        EntryBody::Issue(mut fields) => {
            fields.revision = 2;
            fields.supersedes = Some(1);
            fields.pdf_sha256 = "ab".repeat(32);
            EntryBody::Reissue(fields)
        }
        _ => unreachable!(),
    };
    let revoke = EntryBody::Revoke(RevokeFields {
        cert_id: "CERT0003".into(),
        revision: 1,
        reason: "duplicate".into(),
    });
    ledger::append(&f.ledger, vec![reissue, revoke], &f.key).unwrap();

    let index = LedgerIndex::load(&f.ledger).unwrap();
    assert_eq!(index.certificate("CERT0002").unwrap().body().revision(), 2);
    assert_eq!(
        index.certificate("CERT0002-r1").unwrap().body().revision(),
        1
    );
    assert_eq!(index.certificate("CERT0002-r2").unwrap().seq(), 4);
    assert!(index.certificate("CERT0002-r3").is_none());
    assert!(index.certificate("NOPE").is_none());
    assert_eq!(index.superseded_by("CERT0002", 1).unwrap().seq(), 4);
    assert!(index.superseded_by("CERT0002", 2).is_none());
    assert_eq!(index.revocation("CERT0003", 1).unwrap().seq(), 5);
    assert_eq!(index.revoked().len(), 1);
    assert_eq!(
        index
            .by_pdf_sha256(&"AB".repeat(32))
            .unwrap()
            .full_cert_id(),
        "CERT0002-r2"
    );
    assert_eq!(index.latest_for("SER2", "A2").unwrap().body().revision(), 2);
    assert_eq!(index.latest_revision("CERT0001"), Some(1));
}

#[test]
fn split_cert_ref_handles_suffixes() {
    assert_eq!(ledger::split_cert_ref("ABC-r12"), ("ABC", Some(12)));
    assert_eq!(ledger::split_cert_ref("ABC"), ("ABC", None));
    assert_eq!(ledger::split_cert_ref("ABC-r"), ("ABC-r", None));
    assert_eq!(ledger::split_cert_ref("A-rb-x"), ("A-rb-x", None));
}

#[test]
fn a_reissue_without_supersedes_is_refused() {
    let f = fixture(1);
    let bad = match issue(9) {
        EntryBody::Issue(fields) => EntryBody::Reissue(fields),
        _ => unreachable!(),
    };
    assert!(ledger::append(&f.ledger, vec![bad], &f.key).is_err());
    assert_eq!(ledger::read(&f.ledger).unwrap().len(), 1);
}

// ---- `ceu ledger verify` and `ceu revoke` on the command line ----

/// A provider folder: `records/ledger.jsonl` with `entries` issues, the public key in
/// `records/keys/`, the private key (0600) at `key.pem`.
fn provider(entries: u32) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyPair::generate();
    ceu::sign::write_private_key(&dir.path().join("key.pem"), &key, false).unwrap();
    ceu::sign::write_public_key(&dir.path().join("records/keys"), &key.public_key()).unwrap();
    let ledger = dir.path().join("records/ledger.jsonl");
    ledger::append(&ledger, (1..=entries).map(issue).collect(), &key).unwrap();
    (dir, ledger)
}

fn ceu(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("ceu").unwrap();
    cmd.current_dir(dir)
        .env_remove(ceu::sign::KEY_ENV)
        .env("XDG_CONFIG_HOME", dir.join("config"));
    cmd
}

#[test]
fn cli_ledger_verify_passes_and_says_what_it_trusted() {
    let (dir, _) = provider(4);
    let output = ceu(dir.path()).args(["ledger", "verify"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("4 entries"), "{stdout}");
    assert!(stderr.contains("--trust"), "recommends --trust: {stderr}");
}

#[test]
fn cli_ledger_verify_names_the_first_bad_line() {
    let (dir, ledger) = provider(6);
    let mut all = lines(&ledger);
    all.remove(2);
    write_lines(&ledger, &all);
    let output = ceu(dir.path()).args(["ledger", "verify"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("line 3:"), "{stdout}");
    // The checkpoint beside the ledger also no longer matches (6 recorded, 5 present).
    assert!(
        stdout.contains("records 6 entries but the ledger has 5"),
        "{stdout}"
    );
}

#[test]
fn cli_ledger_verify_against_a_kept_checkpoint_detects_a_cut_tail() {
    let (dir, ledger) = provider(5);
    let kept = dir.path().join("kept.json");
    fs::copy(ledger::checkpoint_path(&ledger), &kept).unwrap();
    let all = lines(&ledger);
    write_lines(&ledger, &all[..4]);
    fs::remove_file(ledger::checkpoint_path(&ledger)).unwrap();
    ceu(dir.path()).args(["ledger", "verify"]).assert().code(0);
    let output = ceu(dir.path())
        .args(["ledger", "verify", "--checkpoint", "kept.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("cut or rolled back"));
}

#[test]
fn cli_ledger_verify_with_the_wrong_trusted_key_fails() {
    let (dir, _) = provider(2);
    let other = KeyPair::generate();
    let other_path =
        ceu::sign::write_public_key(&dir.path().join("elsewhere"), &other.public_key()).unwrap();
    let output = ceu(dir.path())
        .args(["ledger", "verify", "--trust"])
        .arg(&other_path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("line 1: signature"));
}

#[test]
fn cli_ledger_verify_of_a_missing_ledger_is_unusable() {
    let dir = tempfile::tempdir().unwrap();
    ceu(dir.path()).args(["ledger", "verify"]).assert().code(2);
}

#[test]
fn cli_revoke_appends_a_signed_entry_once() {
    let (dir, ledger) = provider(3);
    let output = ceu(dir.path())
        .args([
            "revoke",
            "CERT0002",
            "--reason",
            "attendance was misrecorded",
            "--key",
            "key.pem",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("revoked CERT0002-r1"));
    let index = LedgerIndex::load(&ledger).unwrap();
    let revoke = index.revocation("CERT0002", 1).expect("revoke entry");
    assert!(
        matches!(revoke.body(), EntryBody::Revoke(f) if f.reason == "attendance was misrecorded")
    );
    ceu(dir.path()).args(["ledger", "verify"]).assert().code(0);

    let again = ceu(dir.path())
        .args([
            "revoke",
            "CERT0002-r1",
            "--reason",
            "again",
            "--key",
            "key.pem",
        ])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already revoked"));

    let unknown = ceu(dir.path())
        .args(["revoke", "NOPE", "--reason", "x", "--key", "key.pem"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no certificate NOPE"));
    assert_eq!(ledger::read(&ledger).unwrap().len(), 4);
}

#[test]
fn cli_revoke_without_a_key_explains_keygen() {
    let (dir, ledger) = provider(1);
    let output = ceu(dir.path())
        .args(["revoke", "CERT0001", "--reason", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("ceu keygen"),
        "{output:?}"
    );
    assert_eq!(ledger::read(&ledger).unwrap().len(), 1);
}

/// Issue 5's target: `ledger verify` of 100,000 entries under 2 s in release. Run with
/// `cargo test --release --test ledger -- --ignored --nocapture ledger_verify_speed`.
#[test]
fn deciding_under_the_lock_prevents_duplicate_appends() {
    // Four writers each append CERT0001 unless it is already there: exactly one succeeds.
    let f = fixture(0);
    let key = std::sync::Arc::new(f.key);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let path = f.ledger.clone();
            let key = key.clone();
            std::thread::spawn(move || {
                let mut locked = ledger::LockedLedger::open(&path).unwrap();
                let index = locked.index().unwrap();
                if index.certificate("CERT0001").is_none() {
                    locked
                        .append(vec![issue(1)], &key, &ledger::now_rfc3339())
                        .unwrap();
                }
            })
        })
        .collect();
    for handle in threads {
        handle.join().unwrap();
    }
    assert_eq!(ledger::read(&f.ledger).unwrap().len(), 1);
    // `f.key` moved into the threads above: verify through the free function.
    let report = ledger::verify(
        &f.ledger,
        &f.trust,
        Some(&ledger::checkpoint_path(&f.ledger)),
    )
    .unwrap();
    assert!(report.is_ok(), "{report:?}");
}

/// Regression for the block-wise `verify` (one read, 16,384 lines at a time): every problem
/// must be reported at the same line, with the same signers and hashes, wherever the block
/// boundaries fall, and every well-formed entry handed on exactly once, in order.
#[test]
fn verify_reports_the_same_wherever_the_blocks_fall() {
    let f = fixture(9);
    let whole = |f: &Fixture| {
        let mut seqs = Vec::new();
        let report = ledger::verify_in_blocks(
            &f.ledger,
            &f.trust,
            Some(&ledger::checkpoint_path(&f.ledger)),
            usize::MAX,
            |e| seqs.push(e.seq()),
        )
        .unwrap();
        (report, seqs)
    };
    let check = |f: &Fixture, label: &str| {
        let expected = whole(f);
        for block in 1..=10 {
            let mut seqs = Vec::new();
            let report = ledger::verify_in_blocks(
                &f.ledger,
                &f.trust,
                Some(&ledger::checkpoint_path(&f.ledger)),
                block,
                |e| seqs.push(e.seq()),
            )
            .unwrap();
            assert_eq!((report, seqs), expected, "{label}, blocks of {block}");
        }
        expected.0
    };

    let intact = check(&f, "intact");
    assert!(intact.is_ok(), "{intact:?}");
    assert_eq!(intact.lines, 9);

    // A signature byte changed on line 7, then line 4 deleted: the chain breaks at 4 first.
    let mut text = lines(&f.ledger);
    text[6] = text[6].replacen("\"sig\":\"", "\"sig\":\"A", 1);
    write_lines(&f.ledger, &text);
    let bad_signature = check(&f, "bad signature");
    assert_eq!(
        bad_signature.first_bad.as_ref().map(|(line, _)| *line),
        Some(7)
    );
    text.remove(3);
    write_lines(&f.ledger, &text);
    let deleted = check(&f, "deleted line");
    assert!(
        matches!(deleted.first_bad, Some((4, LineProblem::WrongSeq { .. }))),
        "{deleted:?}"
    );

    // Garbage on the last line, without its newline.
    let mut text = lines(&f.ledger);
    text.push("{not json".into());
    fs::write(&f.ledger, text.join("\n")).unwrap();
    let garbage = check(&f, "garbage tail");
    assert!(
        matches!(garbage.first_bad, Some((4, _))),
        "the earlier problem still comes first: {garbage:?}"
    );
    assert_eq!(garbage.lines, 9);
}

#[test]
fn a_torn_line_after_lines_the_checkpoint_has_not_caught_up_with_is_cut_and_the_rest_kept() {
    // Issue 17, item 1: complete lines written after the last checkpoint, then a torn line
    // (a crash or full disk before the writer could take the batch back). It used to be
    // refused forever ("restore the ledger from a backup").
    let f = fixture(3);
    let checkpoint = ledger::checkpoint_path(&f.ledger);
    let old_checkpoint = fs::read(&checkpoint).unwrap();
    ledger::append(&f.ledger, vec![issue(4), issue(5)], &f.key).unwrap();
    fs::write(&checkpoint, &old_checkpoint).unwrap();
    let mut bytes = fs::read(&f.ledger).unwrap();
    bytes.extend_from_slice(b"{\"payloadType\":\"application/vnd.ceu.ledger-entry+json\",\"payl");
    fs::write(&f.ledger, &bytes).unwrap();

    let mut locked = ledger::LockedLedger::open(&f.ledger).unwrap();
    assert_eq!(locked.len(), 5, "the complete lines are kept");
    assert!(
        locked
            .bring_checkpoint_up_to_date(&f.key, "2025-03-10T12:00:00Z")
            .unwrap()
    );
    assert!(
        !locked
            .bring_checkpoint_up_to_date(&f.key, "2025-03-10T12:00:00Z")
            .unwrap()
    );
    drop(locked);
    let report = f.verify();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.lines, 5);
}

#[test]
fn a_ledger_rewritten_where_its_checkpoint_ends_is_refused_for_appending() {
    let f = fixture(3);
    let checkpoint = ledger::checkpoint_path(&f.ledger);
    let old_checkpoint = fs::read(&checkpoint).unwrap();
    // Line 3 replaced by another validly signed line: the chain still holds after it.
    let mut all = lines(&f.ledger);
    all.pop();
    write_lines(&f.ledger, &all);
    fs::remove_file(&checkpoint).unwrap();
    ledger::append(&f.ledger, vec![issue(30), issue(31)], &f.key).unwrap();
    fs::write(&checkpoint, &old_checkpoint).unwrap();
    let error = ledger::LockedLedger::open(&f.ledger).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("line 3 is not the line the checkpoint recorded"),
        "{error}"
    );
}

/// Issue 17, item 9: the edge-case vectors of "Taming the many EdDSAs" (ed25519-speccheck's
/// cases.json: small-order and mixed-order A and R, non-canonical encodings, s ≥ l). ceu's
/// single and batch verification give the same verdict on each, run after run, and accept
/// nothing OpenSSL 3 refuses. Returns the verdicts for the record in docs/verification.md.
#[test]
fn ed25519_edge_cases_get_one_verdict_from_single_and_batch_and_none_beyond_openssl() {
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ed25519/speccheck-cases.json"),
    )
    .unwrap();
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let hex32 = |v: &serde_json::Value| -> [u8; 32] {
        hex::decode(v.as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut verdicts = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let key = hex32(&case["pub_key"]);
        let message = hex::decode(case["message"].as_str().unwrap()).unwrap();
        let signature: [u8; 64] = hex::decode(case["signature"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        let single = ceu::sign::verify_raw(&key, &message, &signature);
        // The batch draws new random factors each time: the verdict must not depend on them.
        for _ in 0..64 {
            let batch = ceu::sign::verify_raw_batch(&key, &[(message.as_slice(), signature)]);
            assert_eq!(batch, single, "case {n}: batch and single disagree");
        }
        let openssl = openssl_verifies(dir.path(), n, &key, &message, &signature);
        if let Some(false) = openssl {
            assert!(!single, "case {n}: ceu accepts what OpenSSL refuses");
        }
        verdicts.push((n, single, openssl));
    }
    // Every case has a small-order or mixed-order point or a non-canonical encoding (case 3,
    // which OpenSSL and dalek's verify_strict accept, has a mixed-order A): ceu accepts none.
    let accepted: Vec<usize> = verdicts.iter().filter(|v| v.1).map(|v| v.0).collect();
    assert_eq!(accepted, Vec::<usize>::new(), "{verdicts:?}");
    // The control: an ordinary signature is accepted by all three.
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let message = b"an ordinary message";
    let signature = ed25519_dalek::Signer::sign(&key, message).to_bytes();
    let public = key.verifying_key().to_bytes();
    assert!(ceu::sign::verify_raw(&public, message, &signature));
    assert!(ceu::sign::verify_raw_batch(
        &public,
        &[(message.as_slice(), signature)]
    ));
    assert_ne!(
        openssl_verifies(dir.path(), 99, &public, message, &signature),
        Some(false)
    );
    let mut flipped = signature;
    flipped[40] ^= 1;
    assert!(!ceu::sign::verify_raw(&public, message, &flipped));
    assert!(!ceu::sign::verify_raw_batch(
        &public,
        &[(message.as_slice(), flipped)]
    ));
}

/// OpenSSL 3's verdict (`pkeyutl -verify -rawin`), or `None` when openssl is not installed.
fn openssl_verifies(
    dir: &Path,
    n: usize,
    key: &[u8; 32],
    message: &[u8],
    signature: &[u8; 64],
) -> Option<bool> {
    // SubjectPublicKeyInfo for Ed25519: the 12-byte header, then the key (RFC 8410).
    let mut spki = hex::decode("302a300506032b6570032100").unwrap();
    spki.extend_from_slice(key);
    let (key_path, message_path, signature_path) = (
        dir.join(format!("{n}.der")),
        dir.join(format!("{n}.msg")),
        dir.join(format!("{n}.sig")),
    );
    fs::write(&key_path, spki).unwrap();
    fs::write(&message_path, message).unwrap();
    fs::write(&signature_path, signature).unwrap();
    let output = std::process::Command::new("openssl")
        .args([
            "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-rawin", "-inkey",
        ])
        .arg(&key_path)
        .arg("-in")
        .arg(&message_path)
        .arg("-sigfile")
        .arg(&signature_path)
        .output()
        .ok()?;
    Some(output.status.success())
}
