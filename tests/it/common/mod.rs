//! Shared test support: a fresh copy of an offering folder per test, edits to its files, and
//! runs of the real `ceu` binary on it.
#![allow(dead_code)]

use base64::Engine as _;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// `pdftotext` of a PDF, whitespace collapsed to single spaces (so a line break never decides
/// whether a phrase is found). Panics naming the file when poppler-utils is missing or fails.
pub fn pdf_text(path: &Path) -> String {
    pdf_text_args(path, &[])
}

/// [`pdf_text`] with `args` given to pdftotext before the file (`-layout`, `-f 2 -l 2`).
pub fn pdf_text_args(path: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("pdftotext")
        .args(args)
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: .ci/run installs it");
    assert!(
        output.status.success(),
        "pdftotext {}: {output:?}",
        path.display()
    );
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The page count `pdfinfo` reports.
pub fn pdf_pages(path: &Path) -> usize {
    let output = std::process::Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo (poppler-utils) must be installed: .ci/run installs it");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages:")
}

/// A run's exit code, standard output and standard error, for assertion messages and
/// `contains` checks.
pub fn text(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The repository root (where Cargo.toml is).
/// The fixed issue time and as-of date every test issues with.
pub const ISSUE_TIMES: [&str; 4] = [
    "--issued-at",
    "2025-03-10T12:00:00Z",
    "--as-of",
    "2025-03-20",
];

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// What a provider writes into an offering folder: the inputs. Everything else in it
/// (certificates/, reports/, notices/, delivery.csv, disclosure-*.pdf, packet.pdf) is written by
/// ceu and never copied, so a test sees the same folder whether or not the README's first
/// command already issued the example.
pub const OFFERING_INPUTS: [&str; 5] = [
    "course.toml",
    "roster.csv",
    "attendance",
    "aliases.csv",
    "not-attendees.csv",
];

/// Copies an offering folder's inputs ([`OFFERING_INPUTS`], plus the signature image the
/// course record names) from `from` to `to`.
pub fn copy_offering_inputs(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for name in OFFERING_INPUTS {
        let source = from.join(name);
        if source.is_dir() {
            copy_dir(&source, &to.join(name));
        } else if source.is_file() {
            std::fs::copy(&source, to.join(name)).unwrap();
        }
    }
    let course = from.join("course.toml");
    let record = ceu::course::load(&course, &course).unwrap();
    if let Some(image) = &record.course.provider.signatory.signature_image {
        let target = to.join(image);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(image), target).unwrap();
    }
}

/// A private copy of an offering folder inside a temporary `records/` folder.
pub struct Offering {
    pub temp: tempfile::TempDir,
}

impl Offering {
    /// A copy of the bundled SER2 example.
    pub fn ser2() -> Offering {
        let temp = tempfile::tempdir().unwrap();
        copy_offering_inputs(
            &repo().join("records/SER2-2025-03-CAL"),
            &temp.path().join("records/SER2-2025-03-CAL"),
        );
        Offering { temp }
    }

    pub fn records(&self) -> PathBuf {
        self.temp.path().join("records")
    }

    pub fn dir(&self) -> PathBuf {
        self.records().join("SER2-2025-03-CAL")
    }

    pub fn edit_course(&self, edit: impl FnOnce(String) -> String) {
        edit_file(&self.dir().join("course.toml"), edit);
    }

    pub fn edit_roster(&self, edit: impl FnOnce(String) -> String) {
        edit_file(&self.dir().join("roster.csv"), edit);
    }

    /// Applies the same edit to every attendance file.
    pub fn edit_attendance(&self, edit: impl Fn(String) -> String) {
        for entry in std::fs::read_dir(self.dir().join("attendance")).unwrap() {
            edit_file(&entry.unwrap().path(), &edit);
        }
    }

    pub fn append_attendance(&self, file: &str, rows: &str) {
        edit_file(&self.dir().join("attendance").join(file), |t| {
            format!("{t}{rows}")
        });
    }

    /// `ceu` run from the temporary root (so paths print relative), with a private config
    /// folder so no test ever reads or writes the user's real keys.
    pub fn ceu(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.process())
    }

    /// The same as [`Offering::ceu`], as a plain process (to spawn, run several at once, or
    /// kill one).
    pub fn process(&self) -> std::process::Command {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ceu"));
        command
            .current_dir(self.temp.path())
            .env("XDG_CONFIG_HOME", self.temp.path().join("config"))
            .env("HOME", self.temp.path().join("home"))
            .env_remove("CEU_SIGNING_KEY");
        command
    }

    /// Runs `ceu <args> <offering>`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.ceu()
            .args(args)
            .arg("records/SER2-2025-03-CAL")
            .output()
            .unwrap()
    }

    /// Makes a signing key outside `records/` (private key) with its public key in
    /// `records/keys/`; returns (private key path, public key path), relative to the root.
    pub fn keygen(&self) -> (String, String) {
        let output = self
            .ceu()
            .args([
                "keygen",
                "--key",
                "secret/key.pem",
                "--public-dir",
                "records/keys",
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let public = std::fs::read_dir(self.records().join("keys"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(".pub.pem"))
            .unwrap();
        (
            "secret/key.pem".into(),
            format!(
                "records/keys/{}",
                public.file_name().unwrap().to_string_lossy()
            ),
        )
    }

    /// `ceu issue` with a fixed issue time and as-of date.
    pub fn issue(&self, key: &str, extra: &[&str]) -> Output {
        let mut args = vec!["issue", "--key", key];
        args.extend_from_slice(&ISSUE_TIMES);
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `ceu issue <dir>` as [`Offering::issue`] runs it, as a plain process with its output
    /// discarded.
    pub fn issue_process(&self, key: &str, dir: &str) -> std::process::Command {
        let mut command = self.process();
        command
            .args(["issue", "--key", key])
            .args(ISSUE_TIMES)
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        command
    }

    /// `ceu ledger verify` of `records/ledger.jsonl`, trusting `public`.
    pub fn ledger_verify(&self, public: &str) -> Output {
        self.ceu()
            .args(["ledger", "verify", "--ledger", "records/ledger.jsonl"])
            .args(["--trust", public])
            .output()
            .unwrap()
    }

    /// `ceu revoke CERT --reason "issued in error"` with `records/ledger.jsonl`, not yet run
    /// (to add an environment variable first).
    pub fn revoke_command(&self, key: &str, cert: &str) -> assert_cmd::Command {
        let mut command = self.ceu();
        command
            .args(["revoke", cert, "--reason", "issued in error", "--key", key])
            .args(["--ledger", "records/ledger.jsonl"]);
        command
    }

    pub fn certificates(&self) -> PathBuf {
        self.dir().join("certificates")
    }

    pub fn ledger(&self) -> PathBuf {
        self.records().join("ledger.jsonl")
    }

    /// The PDF of an attendee's latest revision, from the ledger.
    pub fn pdf_of(&self, attendee: &str) -> PathBuf {
        let entries = ceu::ledger::read(&self.ledger()).unwrap();
        let fields = entries
            .iter()
            .rev()
            .filter_map(|e| e.body().issued())
            .find(|f| f.attendee_id == attendee)
            .unwrap_or_else(|| panic!("{attendee} has no certificate in the ledger"));
        self.certificates().join(&fields.pdf_file)
    }

    /// `ceu check --format json --as-of DATE`: exit code and parsed report.
    pub fn check_json(&self, as_of: &str) -> (i32, Value) {
        let output = self.run(&["check", "--format", "json", "--as-of", as_of]);
        let code = output.status.code().unwrap();
        let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "check printed no JSON ({error}); exit {code}; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (code, json)
    }

    pub fn check_human(&self, as_of: &str) -> (i32, String) {
        let output = self.run(&["check", "--as-of", as_of]);
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
        )
    }
}

pub fn edit_file(path: &Path, edit: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let changed = edit(text.clone());
    assert_ne!(
        text,
        changed,
        "the edit of {} changed nothing",
        path.display()
    );
    std::fs::write(path, changed).unwrap();
}

/// (rule, severity) of every finding in a check report.
pub fn finding_ids(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The outcome of attendee `id` in a check report.
pub fn attendee<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["attendee_id"] == id)
        .unwrap_or_else(|| panic!("attendee {id} missing"))
}

/// pyHanko: `$CEU_PYHANKO` (set by .ci/run; it must exist when set), else `pyhanko` on the
/// PATH, else None with a message: a local run without pyHanko skips those checks; in CI
/// (`$CI` set) a missing pyHanko fails.
pub fn pyhanko() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CEU_PYHANKO").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(path);
        assert!(
            path.exists(),
            "CEU_PYHANKO names {}, which is missing",
            path.display()
        );
        return Some(path);
    }
    let on_path = std::process::Command::new("pyhanko")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if on_path {
        return Some(PathBuf::from("pyhanko"));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "pyHanko is missing in CI (.ci/run installs it and sets CEU_PYHANKO)"
    );
    eprintln!("SKIPPED the pyHanko checks: set CEU_PYHANKO (.ci/run installs pyHanko)");
    None
}

/// Writes an Ed25519 PKCS#8 key derived from `seed` at `<root>/secret/key.pem` (mode 0600);
/// returns the path relative to the root.
pub fn seeded_key(offering: &Offering, seed: &str) -> String {
    let secret = <sha2::Sha256 as sha2::Digest>::digest(seed.as_bytes());
    let mut der = hex::decode("302e020100300506032b657004220420").unwrap();
    der.extend_from_slice(&secret);
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        base64::engine::general_purpose::STANDARD.encode(&der)
    );
    let dir = offering.temp.path().join("secret");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("key.pem");
    std::fs::write(&path, pem).unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    "secret/key.pem".into()
}
