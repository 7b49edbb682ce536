//! Runs the auditor's recipe in docs/verification.md, block by block and exactly as written
//! there, with the real tools (bash, jq, base64, sha256sum, openssl), on envelopes and a
//! ledger made by the library. The doc and the test cannot drift apart: the test reads the
//! shell blocks out of the doc.
//!
//! The PDF step (`recipe: pdf`) needs an issued certificate; the issue tests run it. The PDF
//! signature steps (`recipe: pdfsig`, `recipe: pyhanko`) run here on a certificate issued by
//! the binary.

use crate::common;
use ceu::ledger::{self, EntryBody, RevokeFields};
use ceu::sign::{self, KeyPair, TrustSet};
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::process::Command;

const RECORD_TYPE: &str = "application/vnd.ceu.certificate-record+json";

/// `<!-- recipe: NAME -->` followed by a ```sh block, by name.
fn recipe_blocks() -> HashMap<String, String> {
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/verification.md"))
            .unwrap();
    let mut blocks = HashMap::new();
    let mut rest = doc.as_str();
    while let Some(at) = rest.find("<!-- recipe: ") {
        rest = &rest[at + "<!-- recipe: ".len()..];
        let name = rest[..rest.find(" -->").unwrap()].to_string();
        let start = rest.find("```sh\n").unwrap() + "```sh\n".len();
        let end = start + rest[start..].find("\n```").unwrap();
        blocks.insert(name, rest[start..end].to_string());
        rest = &rest[end..];
    }
    blocks
}

fn tools_present() -> bool {
    ["bash", "jq", "openssl", "sha256sum", "base64"]
        .iter()
        .all(|tool| {
            Command::new(tool)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
                || Command::new(tool)
                    .arg("version")
                    .output()
                    .is_ok_and(|o| o.status.success())
        })
}

struct Run {
    ok: bool,
    out: String,
}

/// Runs the named recipe blocks, then `extra`, in one bash in `dir`.
fn run(dir: &Path, names: &[&str], extra: &str) -> Run {
    let blocks = recipe_blocks();
    let mut script = String::from("set -u\n");
    for name in names {
        script.push_str(
            blocks
                .get(*name)
                .unwrap_or_else(|| panic!("no recipe block {name}")),
        );
        script.push('\n');
    }
    script.push_str(extra);
    let output = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .output()
        .unwrap();
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Run {
        ok: output.status.success(),
        out,
    }
}

fn issue(n: u32) -> EntryBody {
    EntryBody::synthetic_issue(n)
}

/// An audit folder as the recipe expects it, and the provider key.
fn audit_folder() -> (tempfile::TempDir, KeyPair) {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyPair::generate();
    fs::write(
        dir.path().join("provider.pub.pem"),
        key.public_key().to_pem(),
    )
    .unwrap();
    let record = r#"{"holder":"Zoë Ångström","offering":"SER2","hours":"6.0"}"#;
    fs::write(
        dir.path().join("record.json"),
        sign::sign_envelope(&key, RECORD_TYPE, record.as_bytes()),
    )
    .unwrap();

    let ledger_path = dir.path().join("ledger.jsonl");
    ledger::append(&ledger_path, (1..=5).map(issue).collect(), &key).unwrap();
    fs::copy(
        ledger::checkpoint_path(&ledger_path),
        dir.path().join("kept-checkpoint.json"),
    )
    .unwrap();
    let reissue = match issue(2) {
        EntryBody::Issue(mut fields) => {
            fields.revision = 2;
            fields.supersedes = Some(1);
            EntryBody::Reissue(fields)
        }
        _ => unreachable!(),
    };
    let revoke = EntryBody::Revoke(RevokeFields {
        cert_id: "CERT0003".into(),
        revision: 1,
        reason: "duplicate".into(),
    });
    ledger::append(&ledger_path, vec![reissue, revoke], &key).unwrap();
    (dir, key)
}

macro_rules! require_tools {
    () => {
        if !tools_present() {
            // CI installs the tools, so there a missing tool is a failure, not a skip.
            assert!(
                std::env::var_os("CI").is_none(),
                "the recipe's tools are missing in CI"
            );
            eprintln!(
                "skipped: bash, jq, openssl, sha256sum and base64 are needed (CI installs them)"
            );
            return;
        }
    };
}

#[test]
fn the_recipe_computes_the_key_id() {
    require_tools!();
    let (dir, key) = audit_folder();
    let run = run(dir.path(), &["keyid"], "");
    assert!(run.ok, "{}", run.out);
    assert_eq!(run.out.trim(), format!("trusted key id: {}", key.key_id()));
}

#[test]
fn the_recipe_verifies_a_signed_record_with_openssl() {
    require_tools!();
    let (dir, _) = audit_folder();
    let run = run(
        dir.path(),
        &["keyid", "envelope"],
        &format!("verify_envelope record.json {RECORD_TYPE} && jq -r .holder payload.bin"),
    );
    assert!(run.ok, "{}", run.out);
    assert!(
        run.out.contains("Signature Verified Successfully"),
        "{}",
        run.out
    );
    assert!(run.out.contains("Zoë Ångström"), "{}", run.out);
}

#[test]
fn the_recipe_rejects_a_changed_record() {
    require_tools!();
    let (dir, key) = audit_folder();
    // A validly encoded envelope whose payload differs from what was signed.
    let opened = sign::open_envelope(
        &fs::read(dir.path().join("record.json")).unwrap(),
        &TrustSet::new().with(key.public_key()),
    )
    .unwrap();
    let changed = String::from_utf8(opened.payload)
        .unwrap()
        .replace("6.0", "9.0");
    let mut forged: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("record.json")).unwrap()).unwrap();
    use base64::Engine as _;
    forged["payload"] = base64::engine::general_purpose::STANDARD
        .encode(changed)
        .into();
    fs::write(
        dir.path().join("record.json"),
        serde_json::to_vec(&forged).unwrap(),
    )
    .unwrap();
    let run = run(
        dir.path(),
        &["keyid", "envelope"],
        &format!("verify_envelope record.json {RECORD_TYPE}"),
    );
    assert!(!run.ok, "{}", run.out);
    assert!(
        run.out.contains("Signature Verification Failure"),
        "{}",
        run.out
    );
}

#[test]
fn the_recipe_rejects_another_providers_key() {
    require_tools!();
    let (dir, _) = audit_folder();
    fs::write(
        dir.path().join("provider.pub.pem"),
        KeyPair::generate().public_key().to_pem(),
    )
    .unwrap();
    let run = run(
        dir.path(),
        &["keyid", "envelope"],
        &format!("verify_envelope record.json {RECORD_TYPE}"),
    );
    assert!(!run.ok);
    assert!(run.out.contains("FAIL: not signed by"), "{}", run.out);
}

#[test]
fn the_recipe_checks_a_line_the_chain_and_the_checkpoints() {
    require_tools!();
    let (dir, key) = audit_folder();
    let report = ledger::verify(
        &dir.path().join("ledger.jsonl"),
        &TrustSet::new().with(key.public_key()),
        None,
    )
    .unwrap();
    assert!(report.is_ok());

    let run = run(
        dir.path(),
        &["keyid", "envelope", "ledger-line", "chain", "checkpoint"],
        "",
    );
    assert!(run.ok, "{}", run.out);
    assert!(run.out.contains("line 2 chains to line 1"), "{}", run.out);
    assert!(
        run.out.contains(&format!(
            "chain OK: 7 lines, last hash {}",
            report.last_hash
        )),
        "{}",
        run.out
    );
    assert!(
        run.out
            .contains("ledger extends ledger.checkpoint.json (7 lines)"),
        "{}",
        run.out
    );
    assert!(
        run.out
            .contains("ledger extends kept-checkpoint.json (5 lines)"),
        "{}",
        run.out
    );
    assert!(!run.out.contains("FAIL"), "{}", run.out);
}

#[test]
fn the_recipe_finds_revocations_and_reissues() {
    require_tools!();
    let (dir, _) = audit_folder();
    let revoked = run(dir.path(), &["status"], "");
    assert!(!revoked.ok, "CERT must be set");
    let revoked = run(
        dir.path(),
        &[],
        &format!("CERT=CERT0003 REV=1\n{}", recipe_blocks()["status"]),
    );
    assert!(
        revoked.out.contains(r#""type":"revoke""#) && revoked.out.contains("duplicate"),
        "{}",
        revoked.out
    );
    let superseded = run(
        dir.path(),
        &[],
        &format!("CERT=CERT0002 REV=1\n{}", recipe_blocks()["status"]),
    );
    assert!(
        superseded.out.contains(r#""type":"reissue""#),
        "{}",
        superseded.out
    );
    let clean = run(
        dir.path(),
        &[],
        &format!("CERT=CERT0004 REV=1\n{}", recipe_blocks()["status"]),
    );
    assert!(clean.ok && clean.out.trim().is_empty(), "{}", clean.out);
}

#[test]
fn the_recipe_catches_an_edited_line() {
    require_tools!();
    let (dir, _) = audit_folder();
    let path = dir.path().join("ledger.jsonl");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Re-sign line 4 with another key: it no longer names the trusted key id.
    let entry = sign::parse_envelope(lines[3].as_bytes()).unwrap();
    lines[3] = String::from_utf8(sign::sign_envelope(
        &KeyPair::generate(),
        ledger::ENTRY_TYPE,
        &entry.payload,
    ))
    .unwrap();
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let run = run(dir.path(), &["keyid", "envelope", "chain"], "");
    assert!(run.out.contains("line 4: bad signature"), "{}", run.out);
}

#[test]
fn the_recipe_catches_a_cut_tail_against_a_kept_checkpoint() {
    require_tools!();
    let (dir, _) = audit_folder();
    let path = dir.path().join("ledger.jsonl");
    let text = fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text.lines().take(3).collect();
    fs::write(&path, kept.join("\n") + "\n").unwrap();
    let run = run(
        dir.path(),
        &["keyid", "envelope", "chain", "checkpoint"],
        "",
    );
    assert!(
        run.out.contains("chain OK: 3 lines"),
        "a cut tail leaves a valid chain: {}",
        run.out
    );
    assert!(
        run.out
            .contains("FAIL: checkpoint has 5 lines, ledger only 3: tail cut"),
        "{}",
        run.out
    );
}

#[test]
fn the_recipe_checks_the_pdf_signature_with_pdfsig_and_pyhanko() {
    require_tools!();
    let offering = common::Offering::ser2();
    let (key, _) = offering.keygen();
    let output = offering.issue(&key, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = fs::read_dir(offering.certificates())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .unwrap();
    let certificate = fs::read_dir(offering.records().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".crt.pem"))
        .expect("issue publishes the PDF signing certificate");
    let dir = tempfile::tempdir().unwrap();
    fs::copy(&pdf, dir.path().join("certificate.pdf")).unwrap();
    fs::copy(&certificate, dir.path().join("provider.crt.pem")).unwrap();

    let good = run(dir.path(), &["pdfsig"], "");
    assert!(good.out.contains("PDF signature valid"), "{}", good.out);
    assert!(
        good.out.contains("the signature covers the whole file"),
        "{}",
        good.out
    );
    assert!(!good.out.contains("FAIL"), "{}", good.out);

    // The block calls `pyhanko`: put its folder first on the PATH.
    let pyhanko = common::pyhanko();
    let path = pyhanko
        .as_ref()
        .and_then(|p| p.parent().filter(|d| !d.as_os_str().is_empty()))
        .map(|d| format!("export PATH={}:$PATH\n", d.display()))
        .unwrap_or_default();
    if pyhanko.is_some() {
        let trusted = run(
            dir.path(),
            &[],
            &format!("{path}{}", recipe_blocks()["pyhanko"]),
        );
        assert!(
            trusted.out.contains("PDF signature valid and trusted"),
            "{}",
            trusted.out
        );
    }

    // One changed byte (a digit of the signing time, inside the signed range).
    let mut bytes = fs::read(dir.path().join("certificate.pdf")).unwrap();
    let at = bytes.windows(5).position(|w| w == b"/M(D:").unwrap() + 7;
    bytes[at] = if bytes[at] == b'9' { b'8' } else { b'9' };
    fs::write(dir.path().join("certificate.pdf"), bytes).unwrap();
    let changed = run(dir.path(), &["pdfsig"], "");
    assert!(
        changed
            .out
            .contains("FAIL: the file was changed after signing"),
        "{}",
        changed.out
    );
    assert!(
        !changed.out.contains("PDF signature valid"),
        "{}",
        changed.out
    );
    if pyhanko.is_some() {
        let rejected = run(
            dir.path(),
            &[],
            &format!("{path}{}", recipe_blocks()["pyhanko"]),
        );
        assert!(
            !rejected.out.contains("PDF signature valid and trusted"),
            "{}",
            rejected.out
        );
    }
}
