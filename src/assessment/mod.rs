//! Learning-assessment results from the LMS: every file in an offering's optional
//! `assessment/` folder (a Moodle quiz results report, a Canvas quiz student analysis report,
//! a Canvas or Moodle gradebook with one graded column, or a simple table; `formats`), read
//! through the shared table layer (`crate::input`), each row matched to a roster attendee as
//! attendance rows are (attendee id, email, alias; and the ASHA account number), and the best
//! attempt deciding whether that attendee completed the assessment (`decide`).
//!
//! An attempt completes the assessment when it was submitted (Moodle `Finished`, a Canvas
//! `submitted` time, a simple table's `completed = yes` or a score) and, when course.toml sets
//! `[completion] assessment_min_score_percent`, scored at least that share of the maximum.
//! The files are used only where the record uses an assessment: ASHA credit under the 2025
//! Standards (offerings ending on or after 2025-07-01; ASHA-COMPLETE-2),
//! `[completion] assessment_required`, or an NCBTMB course with a test. Formats and matching:
//! docs/assessment.md.

mod decide;
mod formats;

pub use decide::decide;

use crate::attendance::Identity;
use crate::catalogue::AshaRuleSet;
use crate::course::CourseRecord;
use crate::findings::Finding;
use crate::input::InputError;
use crate::input::error::TableFixes;
use crate::input::table::{self, Header};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The folder, beside course.toml, that holds the LMS exports.
pub const FOLDER: &str = "assessment";

/// An assessment export's format, as detected from its header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Moodle quiz results (Grades or Responses report): `State`/`Status`, `Grade/<max>`.
    MoodleQuiz,
    /// Canvas quiz Student Analysis report: `sis_id`, `submitted`, `score`.
    CanvasQuiz,
    /// Canvas gradebook export: `Student`, `SIS User ID`, `SIS Login ID`, one assignment
    /// column, a `Points Possible` row.
    CanvasGradebook,
    /// Moodle gradebook export: `Email address` and one `Quiz: <name> (Real)` column.
    MoodleGradebook,
    /// An id, email, ASHA account or name column plus `completed` and/or `score`.
    Simple,
}

impl Format {
    /// The format as named in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::MoodleQuiz => "Moodle quiz results",
            Format::CanvasQuiz => "Canvas quiz student analysis",
            Format::CanvasGradebook => "Canvas gradebook",
            Format::MoodleGradebook => "Moodle gradebook",
            Format::Simple => "assessment table",
        }
    }
}

/// One attempt (one data row) of an export.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub who: Identity,
    /// The ASHA account number the row states, if the file has such a column.
    pub asha_account: Option<String>,
    /// The attempt was submitted (finished), graded or not.
    pub submitted: bool,
    /// What the row says about submission, for messages: ``state `In progress` ``.
    pub said: String,
    /// The score cell as written, when not blank.
    pub score: Option<String>,
    /// The score in percent of the maximum, when the file gives both.
    pub percent: Option<f64>,
    /// The row's line in its file (1-based).
    pub line: usize,
    /// A cell the row could not be read from (`DATA-VALUE`), for its attendee.
    pub problem: Option<Finding>,
}

/// One export, read.
#[derive(Debug, Clone)]
pub struct AssessmentFile {
    /// Path as shown in findings (the offering folder as given, then `assessment/<name>`).
    pub display_path: PathBuf,
    /// `assessment/<name>`, as reasons and the certificate record name it.
    pub name: String,
    pub format: Format,
    pub attempts: Vec<Attempt>,
    /// SHA-256 of the exact file bytes.
    pub sha256: [u8; 32],
}

/// Whether one attendee completed the assessment, by their best attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Result {
    pub completed: bool,
    /// Where and what: ``assessment/quiz.csv line 4: state `In progress` ``.
    pub why: String,
}

/// The assessment exports of an offering and what they decided.
#[derive(Debug, Clone, Default)]
pub struct Assessment {
    /// The files read, in name order (empty when there is no folder or the record uses no
    /// assessment).
    pub files: Vec<AssessmentFile>,
    /// Attendee id -> the result of their best attempt (attendees with at least one row).
    pub by_attendee: HashMap<String, Result>,
    /// Unmatched rows (`DATA-UNMATCHED`), unreadable cells (`DATA-VALUE`), id/email
    /// conflicts and roster disagreements (`DATA-ASSESSMENT-CONFLICT`).
    pub findings: Vec<Finding>,
}

impl Assessment {
    /// Why `attendee`'s assessment is not completed, for an outcome's reason: their best
    /// attempt, or that the exports hold none of theirs; `None` without exports.
    pub fn missing_reason(&self, attendee: &str) -> Option<String> {
        if self.files.is_empty() {
            return None;
        }
        Some(match self.by_attendee.get(attendee) {
            Some(result) => result.why.clone(),
            None => format!("no attempt in {FOLDER}/"),
        })
    }
}

/// Whether the record uses an assessment at all: required by the completion policy, needed
/// for ASHA credit under the 2025 Standards (ASHA-COMPLETE-2), or an NCBTMB test.
pub fn used(record: &CourseRecord) -> bool {
    let course = &record.course;
    let asha_2025 = AshaRuleSet::for_end_date(course.offering.end_date) == AshaRuleSet::Asha2025;
    course.completion.get_ref().assessment_required
        || (asha_2025 && course.credit.asha.is_some())
        || course
            .credit
            .ncbtmb
            .as_ref()
            .is_some_and(|n| n.get_ref().test)
}

/// Reads every export in `dir` (the offering's `assessment/` folder): `*.csv`, `*.txt` and
/// `*.tsv`, sorted by name, except hidden and Excel lock files. `display_dir` is the folder as
/// shown in messages.
///
/// Errors (exit 2): a file that cannot be read, is not a table, or has no header ceu knows.
pub fn load_dir(
    dir: &Path,
    display_dir: &Path,
) -> std::result::Result<Vec<AssessmentFile>, InputError> {
    let io = |source| InputError::io(display_dir, source);
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let lower = name.to_lowercase();
        let wanted = [".csv", ".txt", ".tsv"].iter().any(|e| lower.ends_with(e));
        if wanted && !name.starts_with('.') && !name.starts_with("~$") && entry.path().is_file() {
            names.push(name);
        }
    }
    names.sort();
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        let display = display_dir.join(&name);
        let bytes =
            std::fs::read(dir.join(&name)).map_err(|source| InputError::io(&display, source))?;
        files.push(load_file(&bytes, &name, &display)?);
    }
    Ok(files)
}

/// Reads one export from its bytes (`name` is its file name in `assessment/`).
pub fn load_file(
    bytes: &[u8],
    name: &str,
    display: &Path,
) -> std::result::Result<AssessmentFile, InputError> {
    let fixes = TableFixes {
        called: "assessment export",
        empty: "export the quiz results again, or delete the file if it is not needed",
        csv: TableFixes::CSV_FROM_EXCEL,
    };
    let parsed = table::read_bytes(bytes)
        .map_err(|problem| InputError::unreadable(display, problem, fixes))?;
    let Some((at, layout)) = formats::detect(&parsed.rows) else {
        let first = parsed.rows.first().map(Header::new);
        return Err(InputError::unusable(
            &crate::findings::Location::line(display, first.as_ref().map_or(1, |h| h.line)),
            format!(
                "no header row ceu knows as an assessment export (first row: {})",
                first.map(|h| h.as_written()).unwrap_or_default()
            ),
            "export the Moodle quiz results (Grades report), the Canvas quiz Student Analysis or a gradebook as CSV, or write a table with an attendee_id or email column and a completed (yes/no) or score column (see docs/assessment.md)",
        ));
    };
    let header = Header::new(&parsed.rows[at]);
    if let Some(problem) = &layout.unusable {
        return Err(InputError::unusable(
            &crate::findings::Location::line(display, header.line),
            problem,
            "export only the assessment's column (in Canvas: Grades > Export after hiding the other assignments; in Moodle: Grades > Export with only the quiz selected), or delete the other graded columns from the file",
        ));
    }
    let mut layout = layout;
    layout.points_possible(&parsed.rows[at + 1..]);
    let attempts = parsed.rows[at + 1..]
        .iter()
        .filter_map(|row| layout.read(row, &header, display))
        .collect();
    Ok(AssessmentFile {
        display_path: display.to_path_buf(),
        name: format!("{FOLDER}/{name}"),
        format: layout.format,
        attempts,
        sha256: crate::sign::sha256(bytes),
    })
}
