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
use std::collections::{BTreeMap, HashMap};
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
    /// The sheet the attempts were read from, for a workbook (.xlsx, .xls, .ods): every
    /// `line` is then that sheet's row number.
    pub sheet: Option<String>,
    /// Findings about the file itself (`DATA-ENCODING`).
    pub findings: Vec<Finding>,
}

impl AssessmentFile {
    /// Where row `line` of this file is, in its sheet for a workbook.
    pub fn location(&self, line: usize) -> crate::findings::Location {
        crate::findings::Location::line(&self.display_path, line).in_sheet(self.sheet.as_deref())
    }

    /// Row `line` as reasons name it: `assessment/quiz.csv line 4`, or for a workbook
    /// `assessment/quiz.xlsx:Results, row 4`.
    pub fn row_name(&self, line: usize) -> String {
        match &self.sheet {
            Some(sheet) => format!(
                "{}:{}",
                self.name,
                crate::findings::cell_reference(sheet, Some(line), None)
            ),
            None => format!("{} line {line}", self.name),
        }
    }

    /// `finding` placed in this file's sheet when it points into this file.
    fn in_sheet(&self, mut finding: Finding) -> Finding {
        if let Some(location) = finding.location.as_mut()
            && location.file == self.display_path
        {
            location.sheet = self.sheet.as_deref().map(Box::from);
        }
        finding
    }
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

/// Reads every export in `dir` (the offering's `assessment/` folder): `*.csv`, `*.txt`,
/// `*.tsv`, `*.xlsx`, `*.xls` and `*.ods`, sorted by name, except hidden and Excel lock files.
/// `display_dir` is the folder as shown in messages; `encodings` maps a text file's name to the
/// encoding the course record declares for it (`[inputs.encoding]` key `assessment/<name>`).
///
/// Errors (exit 2): a file that cannot be read, is not a table, or has no header ceu knows.
pub fn load_dir(
    dir: &Path,
    display_dir: &Path,
    encodings: &BTreeMap<String, &'static encoding_rs::Encoding>,
) -> std::result::Result<Vec<AssessmentFile>, InputError> {
    let names = crate::input::folder_files(dir, display_dir, &crate::input::TABLE_EXTENSIONS, &[])?;
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        let display = display_dir.join(&name);
        let bytes =
            std::fs::read(dir.join(&name)).map_err(|source| InputError::io(&display, source))?;
        let declared = encodings.get(&name).copied();
        files.push(load_file(&bytes, &name, &display, declared)?);
    }
    Ok(files)
}

/// Reads one export from its bytes (`name` is its file name in `assessment/`): a text file
/// decoded as `declared` says (else UTF-8 or Windows-1252, with `DATA-ENCODING` when the bytes
/// look like another encoding), or a workbook read from its first sheet whose leading rows hold
/// a known header (errors and findings then name the sheet and cell).
pub fn load_file(
    bytes: &[u8],
    name: &str,
    display: &Path,
    declared: Option<&'static encoding_rs::Encoding>,
) -> std::result::Result<AssessmentFile, InputError> {
    let fixes = TableFixes {
        called: "assessment export",
        empty: "export the quiz results again, or delete the file if it is not needed",
        csv: TableFixes::CSV_FROM_EXCEL,
    };
    let tables = crate::input::read_tables(bytes, declared)
        .map_err(|problem| InputError::unreadable(display, problem, fixes))?;
    let mut first_error = None;
    for parsed in &tables {
        let sheet = parsed.sheet.as_deref();
        let attempts = match read_attempts(&parsed.rows, display) {
            Ok(attempts) => attempts,
            Err(error) => {
                first_error.get_or_insert(error.in_sheet(sheet));
                continue;
            }
        };
        let mut file = AssessmentFile {
            display_path: display.to_path_buf(),
            name: format!("{FOLDER}/{name}"),
            format: attempts.0,
            attempts: attempts.1,
            sha256: crate::sign::sha256(bytes),
            sheet: parsed.sheet.clone(),
            findings: Vec::new(),
        };
        let mut attempts = std::mem::take(&mut file.attempts);
        for attempt in &mut attempts {
            attempt.problem = attempt.problem.take().map(|p| file.in_sheet(p));
        }
        file.attempts = attempts;
        if let Some(likelier) = parsed.likelier {
            let key = format!("{FOLDER}/{name}");
            let finding = crate::input::encoding::finding(bytes, display, &key, likelier);
            file.findings.push(finding);
        }
        return Ok(file);
    }
    Err(first_error.expect("read_tables gives at least one table"))
}

/// The format and attempts of one table. Errors: no known header in its leading rows, or a
/// gradebook whose assessment column cannot be told.
fn read_attempts(
    rows: &[table::Row],
    display: &Path,
) -> std::result::Result<(Format, Vec<Attempt>), InputError> {
    let Some((at, layout)) = formats::detect(rows) else {
        let first = rows.first().map(Header::new);
        return Err(InputError::unusable(
            &crate::findings::Location::line(display, first.as_ref().map_or(1, |h| h.line)),
            format!(
                "no header row ceu knows as an assessment export (first row: {})",
                first.map(|h| h.as_written()).unwrap_or_default()
            ),
            "export the Moodle quiz results (Grades report), the Canvas quiz Student Analysis or a gradebook as CSV or Excel, or write a table with an attendee_id or email column and a completed (yes/no) or score column (see docs/assessment.md)",
        ));
    };
    let header = Header::new(&rows[at]);
    if let Some(problem) = &layout.unusable {
        return Err(InputError::unusable(
            &crate::findings::Location::line(display, header.line),
            problem,
            "export only the assessment's column (in Canvas: Grades > Export after hiding the other assignments; in Moodle: Grades > Export with only the quiz selected), or delete the other graded columns from the file",
        ));
    }
    let mut layout = layout;
    layout.points_possible(&rows[at + 1..]);
    let attempts = rows[at + 1..]
        .iter()
        .filter_map(|row| layout.read(row, &header, display))
        .collect();
    Ok((layout.format, attempts))
}
