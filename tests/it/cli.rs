//! The command-line conventions (issue 14, item 5): shared options, `--format json` on every
//! command that reports, `-q/--quiet`, completions and manual pages generated from the clap
//! definitions, examples in `--help`, and the course.toml line shown with a caret.

use crate::common::{Offering, seeded_key, text};
use serde_json::Value;

const OFFERING: &str = "records/SER2-2025-03-CAL";

fn json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}):\n{}", text(output)))
}

/// Issues SER2 with a seeded key; returns (key, public key path).
fn issued(offering: &Offering) -> (String, String, Value) {
    let key = seeded_key(offering, "ceu cli tests");
    let output = offering
        .ceu()
        .args(["issue", OFFERING, "--key", &key, "--format", "json"])
        .args([
            "--issued-at",
            "2025-03-10T12:00:00Z",
            "--as-of",
            "2025-03-20",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let doc = json(&output);
    let public = doc["public_key"].as_str().unwrap().to_string();
    (key, public, doc)
}

#[test]
fn issue_json_lists_every_decided_attendee_and_prints_no_findings_on_stderr() {
    let offering = Offering::ser2();
    let (_, public, doc) = issued(&offering);
    assert_eq!(doc["schema"], "ceu-issue/1");
    assert_eq!(doc["summary"]["issued"], 21, "{doc:#}");
    assert_eq!(doc["summary"]["not_completed"], 3, "{doc:#}");
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 24, "{doc:#}");
    let a012 = results.iter().find(|r| r["attendee_id"] == "A012").unwrap();
    assert_eq!(a012["outcome"], "not-completed");
    assert!(a012["reason"].as_str().unwrap().contains("ASHA-COMPLETE-3"));
    let a001 = results.iter().find(|r| r["attendee_id"] == "A001").unwrap();
    assert_eq!(a001["outcome"], "issued");
    assert!(
        offering
            .temp
            .path()
            .join(a001["file"].as_str().unwrap())
            .is_file()
    );
    assert!(offering.temp.path().join(&public).is_file());
    // The one warning (ASHA-ELIG-2) is in the document, not on standard error.
    assert_eq!(doc["findings"][0]["rule"], "ASHA-ELIG-2", "{doc:#}");
}

#[test]
fn issue_json_says_why_nothing_was_issued() {
    let offering = Offering::ser2();
    offering.edit_roster(|t| t.lines().next().unwrap().to_string() + "\n");
    let key = seeded_key(&offering, "ceu cli tests");
    let output = offering.run(&["issue", "--key", &key, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let doc = json(&output);
    assert!(
        doc["nothing_issued"]
            .as_str()
            .unwrap()
            .contains("no attendees yet"),
        "{doc:#}"
    );
}

#[test]
fn revoke_and_ledger_verify_speak_json_and_a_cut_tail_shows_in_it() {
    let offering = Offering::ser2();
    let (key, public, doc) = issued(&offering);
    let cert = doc["results"][0]["certificate_id"].as_str().unwrap();
    let cert = cert.rsplit_once("-r").unwrap().0.to_string();
    let output = offering
        .revoke_command(&key, &cert)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let revoked = json(&output);
    assert_eq!(revoked["schema"], "ceu-revoke/1");
    // 21 certificates and 4 notices to non-completers come first.
    assert_eq!(revoked["ledger_line"], 26);
    assert_eq!(revoked["certificate_id"], format!("{cert}-r1"));
    assert_eq!(revoked["reason"], "issued in error");

    let verify = |offering: &Offering| {
        offering
            .ceu()
            .args(["ledger", "verify", "--ledger", "records/ledger.jsonl"])
            .args(["--trust", &public, "--format", "json"])
            .output()
            .unwrap()
    };
    let output = verify(&offering);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let good = json(&output);
    assert_eq!(good["schema"], "ceu-ledger-verify/1");
    assert_eq!(good["ok"], true);
    assert_eq!(good["entries"], 26);
    assert_eq!(good["checkpoint"]["status"], "consistent");

    // Cut the revocation off the end: the checkpoint beside the ledger records 26 entries.
    let ledger = offering.ledger();
    let text_ = std::fs::read_to_string(&ledger).unwrap();
    let cut: Vec<&str> = text_.lines().take(25).collect();
    std::fs::write(&ledger, cut.join("\n") + "\n").unwrap();
    let output = verify(&offering);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let bad = json(&output);
    assert_eq!(bad["ok"], false);
    assert_eq!(bad["checkpoint"]["status"], "truncated", "{bad:#}");
    assert_eq!(bad["checkpoint"]["entries"], 26);
    assert_eq!(bad["checkpoint"]["ledger_entries"], 25);
}

#[test]
fn quiet_leaves_the_exit_code_errors_and_requested_data() {
    let offering = Offering::ser2();
    let output = offering.run(&["-q", "check", "--as-of", "2025-03-20"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        output.stdout.is_empty() && output.stderr.is_empty(),
        "{}",
        text(&output)
    );
    let output = offering.run(&[
        "check",
        "--quiet",
        "--format",
        "json",
        "--as-of",
        "2025-03-20",
    ]);
    assert_eq!(json(&output)["schema"], "ceu-check/1");
    let output = offering.run(&["hours", "-q", "--format", "csv"]);
    assert!(
        String::from_utf8_lossy(&output.stdout).starts_with("attendee_id"),
        "{}",
        text(&output)
    );

    let key = seeded_key(&offering, "ceu cli tests");
    let output = offering.run(&["issue", "-q", "--key", &key, "--as-of", "2025-03-20"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        output.stdout.is_empty() && output.stderr.is_empty(),
        "{}",
        text(&output)
    );
    assert_eq!(
        std::fs::read_dir(offering.certificates()).unwrap().count(),
        21
    );

    // An error still reaches standard error.
    let output = offering
        .ceu()
        .args(["-q", "check", "records/NO-SUCH-OFFERING"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("NO-SUCH-OFFERING"));
}

#[test]
fn completions_and_man_pages_come_from_the_same_definitions_as_help() {
    let offering = Offering::ser2();
    let run = |args: &[&str]| offering.ceu().args(args).output().unwrap();
    for (shell, marker) in [
        ("bash", "_ceu()"),
        ("zsh", "#compdef ceu"),
        ("fish", "complete -c ceu"),
    ] {
        let output = run(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("as-of") && script.contains("ledger"),
            "{shell}"
        );
    }
    let page = String::from_utf8(run(&["man"]).stdout).unwrap();
    assert!(
        page.starts_with(".ie") && page.contains(".TH ceu 1"),
        "{page}"
    );
    assert!(page.contains("quiet"), "{page}");
    let page = String::from_utf8(run(&["man", "ledger-verify"]).stdout).unwrap();
    assert!(page.contains(".TH ceu-ledger-verify 1"), "{page}");
    assert!(page.contains("checkpoint"), "{page}");
    let output = run(&["man", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ledger-verify"));
    // Examples: the whole sequence in `ceu --help`, one in each command's.
    let help = String::from_utf8(run(&["--help"]).stdout).unwrap();
    for step in ["ceu init", "ceu check", "ceu issue", "ceu verify"] {
        assert!(help.contains(step), "{help}");
    }
    for command in [
        "check", "hours", "issue", "verify", "revoke", "keygen", "init",
    ] {
        let help = String::from_utf8(run(&[command, "--help"]).stdout).unwrap();
        assert!(
            help.contains(&format!("ceu {command} ")),
            "{command}: {help}"
        );
    }
}

#[test]
fn a_bad_value_in_course_toml_is_shown_on_its_line_with_a_caret() {
    let offering = Offering::ser2();
    offering.edit_course(|t| t.replacen("start = \"09:00\"", "start = \"9 o'clock\"", 1));
    let output = offering.run(&["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let quoted = stderr
        .lines()
        .find(|l| l.contains("| start = \"9 o'clock\""))
        .unwrap_or_else(|| panic!("{stderr}"));
    let carets = stderr.lines().find(|l| l.contains('^')).unwrap();
    assert_eq!(
        carets.find('^'),
        quoted.find("\"9 o'clock\""),
        "the caret is under the value:\n{stderr}"
    );
}

#[test]
fn a_finding_on_a_course_toml_line_quotes_that_line() {
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        t.replacen(
            "financial = \"Maren Castell receives a teaching fee from Upledger Institute International for teaching this course.\"",
            "financial = \"...\"",
            1,
        )
    });
    let (_, report) = offering.check_human("2025-03-20");
    let finding = report
        .split("\nerror[")
        .chain(report.split("\nwarning["))
        .find(|f| f.contains("course.toml:"))
        .unwrap_or_else(|| panic!("no finding on course.toml:\n{report}"));
    assert!(finding.contains(" | "), "{finding}");
    assert!(finding.contains('^'), "{finding}");
}
