//! Shared test support: a fresh copy of an offering folder per test, edits to its files, and
//! runs of the real `ceu` binary on it.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root (where Cargo.toml is).
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

/// A private copy of an offering folder inside a temporary `records/` folder.
pub struct Offering {
    pub temp: tempfile::TempDir,
}

impl Offering {
    /// A copy of the bundled SER2 example.
    pub fn ser2() -> Offering {
        let temp = tempfile::tempdir().unwrap();
        copy_dir(
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

    /// Runs `ceu <args> <offering>` from the temporary root (so paths print relative).
    pub fn run(&self, args: &[&str]) -> Output {
        let mut command = assert_cmd::Command::cargo_bin("ceu").unwrap();
        command
            .current_dir(self.temp.path())
            .args(args)
            .arg("records/SER2-2025-03-CAL");
        command.output().unwrap()
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
