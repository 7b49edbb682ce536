//! The whole human and JSON output of every command on the SER2 example, and the SHA-256 of
//! every PDF it issues, as snapshot files in `tests/it/snapshots/`. They pin behaviour while the
//! code is reshaped: a change in any byte a user sees fails here.
//!
//! The key comes from a fixed seed (no private key is committed) and the issue time is fixed
//! (`--issued-at 2025-03-09T23:00:00Z`), so the PDFs are byte-identical from run to run. The
//! temporary folder and key ids are filtered out of the text.
//!
//! To accept a deliberate change: `INSTA_UPDATE=always cargo test --test it snapshots`
//! (or `cargo insta review`), then read the diff before committing it.

use crate::common::{Offering, seeded_key, text};
use std::process::Output;

const OFFERING: &str = "records/SER2-2025-03-CAL";
const ISSUED_AT: &str = "2025-03-09T23:00:00Z";
const AS_OF: &str = "2025-03-20";

/// A run as a snapshot shows it: the command, its exit code, standard output, standard error.
fn shown(args: &[&str], output: &Output) -> String {
    format!("$ ceu {}\n{}", args.join(" "), text(output))
}

/// Runs `ceu <args>` from the offering's temporary root and returns it as [`shown`] prints it.
fn run(offering: &Offering, args: &[&str]) -> String {
    let output = offering.ceu().args(args).output().unwrap();
    shown(args, &output)
}

/// Filters: the temporary root, key ids (32 lowercase hex digits) and PDF-signing certificate
/// fingerprints, which change with the test key's seed and, for `keygen`, on every run;
/// and the revocation time, which `revoke` takes from the clock.
fn settings(offering: &Offering) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let root = offering.temp.path().to_string_lossy().into_owned();
    settings.add_filter(&regex_escape(&root), "[ROOT]");
    settings.add_filter(r"\b[0-9a-f]{32}\b", "[KEY-ID]");
    settings.add_filter(r"revoked on [0-9T:-]+Z", "revoked on [REVOKED-AT]");
    settings.add_filter(r"\b([0-9A-F]{2}:){31}[0-9A-F]{2}\b", "[CERTIFICATE-SHA256]");
    settings
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// `file  sha256` of every PDF in the certificates folder, sorted by file name.
fn pdf_hashes(offering: &Offering) -> String {
    let mut lines: Vec<String> = std::fs::read_dir(offering.certificates())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let digest = <sha2::Sha256 as sha2::Digest>::digest(&bytes);
            format!(
                "{}  {}",
                hex::encode(digest),
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    lines.join("\n") + "\n"
}

/// `issue` of SER2 with `key` at the fixed issue time and as-of date, then `extra`.
fn issue_args<'a>(key: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "issue",
        OFFERING,
        "--key",
        key,
        "--issued-at",
        ISSUED_AT,
        "--as-of",
        AS_OF,
    ];
    args.extend_from_slice(extra);
    args
}

/// `revoke CERT` "issued in error" with `key` in `records/ledger.jsonl`, then `extra`.
fn revoke_args<'a>(cert: &'a str, key: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "revoke",
        cert,
        "--reason",
        "issued in error",
        "--key",
        key,
        "--ledger",
        "records/ledger.jsonl",
    ];
    args.extend_from_slice(extra);
    args
}

/// The id (without revision) of the first certificate in the ledger.
fn first_certificate(offering: &Offering) -> String {
    ceu::ledger::read(&offering.ledger())
        .unwrap()
        .iter()
        .find_map(|e| e.body().issued().map(|f| f.cert_id.clone()))
        .unwrap()
}

#[test]
fn every_command_on_ser2_prints_what_it_printed_before() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "ceu snapshot tests");
    let _guard = settings(&offering).bind_to_scope();

    insta::assert_snapshot!(
        "check-human",
        run(&offering, &["check", OFFERING, "--as-of", AS_OF])
    );
    insta::assert_snapshot!(
        "check-json",
        run(
            &offering,
            &["check", OFFERING, "--as-of", AS_OF, "--format", "json"]
        )
    );
    insta::assert_snapshot!("hours-table", run(&offering, &["hours", OFFERING]));
    for format in ["csv", "json"] {
        insta::assert_snapshot!(
            format!("hours-{format}"),
            run(&offering, &["hours", OFFERING, "--format", format])
        );
    }

    let issue = issue_args(&key, &[]);
    insta::assert_snapshot!("issue-human", run(&offering, &issue));
    insta::assert_snapshot!("issue-pdf-sha256", pdf_hashes(&offering));
    insta::assert_snapshot!("issue-again-human", run(&offering, &issue));

    let certificates = "records/SER2-2025-03-CAL/certificates";
    let trust_dir = offering.records().join("keys");
    let public = std::fs::read_dir(&trust_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".pub.pem"))
        .unwrap();
    let public = format!("records/keys/{public}");
    let ledger = "records/ledger.jsonl";
    let verify = [
        "verify",
        certificates,
        "--ledger",
        ledger,
        "--trust",
        &public,
    ];
    insta::assert_snapshot!("verify-human", run(&offering, &verify));
    let mut verify_json = verify.to_vec();
    verify_json.extend(["--format", "json"]);
    insta::assert_snapshot!("verify-json", run(&offering, &verify_json));
    insta::assert_snapshot!(
        "verify-offline-human",
        run(
            &offering,
            &["verify", certificates, "--offline", "--trust", &public]
        )
    );
    insta::assert_snapshot!(
        "ledger-verify-human",
        run(
            &offering,
            &["ledger", "verify", "--ledger", ledger, "--trust", &public]
        )
    );

    let first = first_certificate(&offering);
    insta::assert_snapshot!(
        "revoke-human",
        run(&offering, &revoke_args(&first, &key, &[]))
    );
    insta::assert_snapshot!("verify-after-revoke-human", run(&offering, &verify));
    // The revocation entry holds the clock time, so the chain's last hash changes with it.
    let mut after_revoke = insta::Settings::clone_current();
    after_revoke.add_filter(r"last hash: [0-9a-f]{64}", "last hash: [LAST-HASH]");
    after_revoke.bind(|| {
        insta::assert_snapshot!(
            "ledger-verify-after-revoke-human",
            run(
                &offering,
                &["ledger", "verify", "--ledger", ledger, "--trust", &public]
            )
        );
    });

    insta::assert_snapshot!(
        "keygen-human",
        run(
            &offering,
            &[
                "keygen",
                "--key",
                "secret/other.pem",
                "--public-dir",
                "records/other-keys"
            ]
        )
    );
    insta::assert_snapshot!(
        "init-human",
        run(&offering, &["init", "records/NEW-OFFERING"])
    );
}

/// What the command-line additions of issue 14 print (help with examples, the JSON of `issue`,
/// `revoke` and `ledger verify`): added as new snapshots, none of the ones above changed.
#[test]
fn help_and_json_of_every_reporting_command_on_ser2() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "ceu snapshot tests");
    let mut settings = settings(&offering);
    settings.add_filter(r#""time": "[0-9T:-]+Z""#, r#""time": "[REVOKED-AT]""#);
    settings.add_filter(
        r#""last_hash": "[0-9a-f]{64}""#,
        r#""last_hash": "[LAST-HASH]""#,
    );
    let _guard = settings.bind_to_scope();

    insta::assert_snapshot!("help", run(&offering, &["--help"]));
    insta::assert_snapshot!("issue-help", run(&offering, &["issue", "--help"]));
    let issue = issue_args(&key, &["--format", "json"]);
    insta::assert_snapshot!("issue-json", run(&offering, &issue));
    let first = first_certificate(&offering);
    let ledger = "records/ledger.jsonl";
    insta::assert_snapshot!(
        "revoke-json",
        run(&offering, &revoke_args(&first, &key, &["--format", "json"]))
    );
    insta::assert_snapshot!(
        "ledger-verify-json",
        run(
            &offering,
            &["ledger", "verify", "--ledger", ledger, "--format", "json"]
        )
    );
}
