//! Attendance: every source format (sign-in sheets, Zoom, Teams, scanner logs) becomes one
//! normalized list of presence intervals per file, each with the identity its row states
//! (`identity`). Which format a file is, is `detect`'s job; what a file says is collected by
//! the `builder`. Files are read through `crate::input`; `crate::matching` then matches each
//! interval to a roster attendee (by attendee id, email, or the administrator's alias list,
//! never by the spelling of a name).
//!
//! Formats: docs/attendance.md.

mod builder;
mod detect;
mod identity;
mod meeting;
mod scanner;
mod signin;
mod teams;
mod zoom;

pub(crate) use builder::FileBuilder;
pub(crate) use detect::FileProblem;
use detect::SIGNIN_HELP;
pub use identity::Identity;
pub(crate) use identity::IdentityColumns;

use crate::findings::{Finding, Location};
use crate::input::InputError;
use crate::input::error::TableFixes;
use crate::input::table;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use detect::detect_and_read;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Kept at its old path for the tests, which call `attendance::csv_safe`.
pub use crate::input::text::csv_safe;

/// One interval during which one person was present, from one row of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub who: Identity,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The row's line in its file (the file is the `FileAttendance` that holds the presence):
    /// a line number rather than a `Location`, so a 100,000-row export is not also 100,000
    /// copies of its path.
    pub line: usize,
    /// The role the export gives the row when it is a meeting's organizer, host, presenter or
    /// panelist rather than an attendee (Teams `Role`, a Zoom host row).
    pub role: Option<Role>,
}

/// A role an export gives someone who runs a meeting rather than attends it. A row with one
/// that matches nobody on the roster is a not-attendee (docs/attendance.md, "Hosts,
/// organizers and speakers"), not an unmatched row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Organizer,
    CoOrganizer,
    Host,
    CoHost,
    Presenter,
    Panelist,
}

impl Role {
    /// Header spellings of a role column.
    pub const COLUMN: &[&str] = &["role", "participantrole", "userrole", "meetingrole"];

    /// Reads a role cell (`Organizer`, `Co-host`, `Presenter`...); `None` for an attendee or
    /// anything else.
    pub fn parse(text: &str) -> Option<Role> {
        match table::normalize_header(text).as_str() {
            "organizer" | "organiser" => Some(Role::Organizer),
            "coorganizer" | "coorganiser" => Some(Role::CoOrganizer),
            "host" | "alternativehost" | "alternatehost" => Some(Role::Host),
            "cohost" => Some(Role::CoHost),
            "presenter" => Some(Role::Presenter),
            "panelist" | "panellist" => Some(Role::Panelist),
            _ => None,
        }
    }

    /// The role as shown to people: `organizer`, `co-host`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Organizer => "organizer",
            Role::CoOrganizer => "co-organizer",
            Role::Host => "host",
            Role::CoHost => "co-host",
            Role::Presenter => "presenter",
            Role::Panelist => "panelist",
        }
    }

    /// The role a Zoom display name states in its last parentheses: `Maren Castell (Host)`.
    pub fn from_display_name(name: &str) -> Option<Role> {
        let inner = name.trim().strip_suffix(')')?;
        let open = inner.rfind('(')?;
        Role::parse(&inner[open + 1..])
    }
}

/// The source format of an attendance file, as detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    SignInSheet,
    ZoomMeeting,
    ZoomWebinar,
    Teams,
    Scanner,
}

/// One attendance file, read.
#[derive(Debug, Clone)]
pub struct FileAttendance {
    /// Path as shown to the user (relative to the offering folder).
    pub display_path: PathBuf,
    pub format: SourceFormat,
    pub presences: Vec<Presence>,
    /// Row-level problems. Attendee-scoped; `attendee` is filled in by matching, which takes
    /// them (with the presences) when the offering is loaded.
    pub row_findings: Vec<(Identity, Finding)>,
    /// File-level problems (offering scope), such as `DATA-ZONE-SHIFT`. `match_attendance`
    /// passes them on in `Matched::findings`.
    pub findings: Vec<Finding>,
    /// The encoding the file was decoded from (`UTF-8`, `UTF-16LE`, `Windows-1252`, ...).
    pub encoding: &'static str,
    /// SHA-256 of the exact file bytes.
    pub sha256: [u8; 32],
    /// The sheet the rows were read from, when the file is a workbook.
    pub sheet: Option<String>,
}

/// What ingestion needs to know about the offering.
#[derive(Debug, Clone)]
pub struct IngestContext {
    /// Zone for times written without one.
    pub time_zone: Tz,
    /// Per-file zone overrides, keyed by file name within `attendance/` (e.g. a Zoom report
    /// written in the host account's zone).
    pub file_zones: BTreeMap<String, Tz>,
    /// The offering's calendar dates, used to resolve day-first/month-first ambiguity.
    pub dates: Vec<NaiveDate>,
    /// The instruction blocks as UTC instants, used to spot files shifted by whole hours.
    pub blocks: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

/// The input layer's error, under the name attendance has always used for it (the tests and
/// `offering` name it so).
pub use crate::input::InputError as IngestError;

/// Reads every attendance file in `dir` (the offering's `attendance/` folder): `*.csv`,
/// `*.txt`, `*.tsv` and the workbooks `*.xlsx`, `*.xls`, `*.ods`, sorted by name, except
/// `aliases.csv` and hidden or Excel lock files. A workbook and another file that differ only
/// in extension (`day1.csv` and `day1.xlsx`) are an error naming both: the same sheet saved
/// twice would be counted twice.
pub fn load_dir(
    dir: &Path,
    display_dir: &Path,
    ctx: &IngestContext,
) -> Result<Vec<FileAttendance>, InputError> {
    load_dir_each(dir, display_dir, ctx, &BTreeMap::new(), |_| {})
}

/// [`load_dir`], decoding the text files `encodings` names (by file name within `dir`, from the
/// course record's `[inputs.encoding]`) in their declared encoding, and handing each file to
/// `each` as soon as it is read (to match its rows and let them go before the next file is
/// read).
pub fn load_dir_each(
    dir: &Path,
    display_dir: &Path,
    ctx: &IngestContext,
    encodings: &BTreeMap<String, &'static encoding_rs::Encoding>,
    mut each: impl FnMut(&mut FileAttendance),
) -> Result<Vec<FileAttendance>, InputError> {
    let names = file_names(dir, display_dir)?;
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        let display = display_dir.join(&name);
        let bytes =
            std::fs::read(dir.join(&name)).map_err(|source| InputError::io(&display, source))?;
        let declared = encodings.get(&name).copied();
        let mut file = load_file_declared(&bytes, &name, &display, ctx, declared)?;
        each(&mut file);
        files.push(file);
    }
    Ok(files)
}

/// The attendance file names in `dir`, sorted. Errors: the folder cannot be read, or a workbook
/// and another file differ only in extension.
fn file_names(dir: &Path, display_dir: &Path) -> Result<Vec<String>, InputError> {
    let names = crate::input::folder_files(
        dir,
        display_dir,
        &crate::input::TABLE_EXTENSIONS,
        &["aliases.csv"],
    )?;
    let is_workbook = |name: &str| {
        let lower = name.to_lowercase();
        [".xlsx", ".xls", ".ods"]
            .iter()
            .any(|ext| lower.ends_with(ext))
    };
    let mut stems: BTreeMap<String, &String> = BTreeMap::new();
    for name in &names {
        let stem = Path::new(name).file_stem().unwrap_or_default();
        let other = stems.insert(stem.to_string_lossy().to_lowercase(), name);
        if let Some(other) = other.filter(|other| is_workbook(other) || is_workbook(name)) {
            return Err(InputError::unusable(
                &Location::file(display_dir.join(other)),
                format!(
                    "{} holds the same attendance under another extension",
                    display_dir.join(name).display()
                ),
                &format!(
                    "keep one of the two (a sheet saved both as a workbook and as CSV would count twice): move {other} or {name} out of the attendance folder"
                ),
            ));
        }
    }
    Ok(names)
}

/// Reads one attendance file from its bytes; `file_name` selects the per-file zone from
/// `ctx.file_zones`. The format is detected from the header rows. This is the ingestion entry
/// point the fuzz target drives.
pub fn load_file(
    bytes: &[u8],
    file_name: &str,
    display: &Path,
    ctx: &IngestContext,
) -> Result<FileAttendance, InputError> {
    load_file_declared(bytes, file_name, display, ctx, None)
}

/// [`load_file`] for a text file whose encoding the course record may declare. A workbook is
/// read from its first sheet whose header rows are an attendance format's; findings and
/// errors in it name the sheet and cell. Undeclared 8-bit text that looks like another
/// encoding than Windows-1252 adds `DATA-ENCODING` (a warning).
pub fn load_file_declared(
    bytes: &[u8],
    file_name: &str,
    display: &Path,
    ctx: &IngestContext,
    declared: Option<&'static encoding_rs::Encoding>,
) -> Result<FileAttendance, InputError> {
    let fixes = TableFixes {
        called: "file",
        empty: "export the attendance again, or delete the file if it is not needed",
        csv: TableFixes::CSV_FROM_EXCEL,
    };
    let tables = crate::input::read_tables(bytes, declared)
        .map_err(|problem| InputError::unreadable(display, problem, fixes))?;
    let declared_zone = ctx.file_zones.get(file_name).copied();
    let mut first_problem = None;
    for table in &tables {
        let sheet = table.sheet.as_deref();
        let mut builder = FileBuilder::new(display, declared_zone, ctx, table.rows.len());
        let format = match detect_and_read(&table.rows, &mut builder) {
            Ok(format) => format,
            Err((message, fix)) => {
                let error = InputError::unusable(&Location::file(display), message, &fix);
                first_problem.get_or_insert(error.in_sheet(sheet));
                continue;
            }
        };
        builder.check_zone_conflict(file_name);
        builder.check_zone_shift(file_name);
        let mut file = FileAttendance {
            display_path: display.to_path_buf(),
            format,
            presences: builder.presences,
            row_findings: builder.row_findings,
            findings: builder.findings,
            encoding: table.encoding,
            sha256: crate::sign::sha256(bytes),
            sheet: table.sheet.clone(),
        };
        file.place_in_sheet();
        if let Some(likelier) = table.likelier {
            let key = format!("attendance/{file_name}");
            let finding = crate::input::encoding::finding(bytes, display, &key, likelier);
            file.findings.push(finding);
        }
        return Ok(file);
    }
    Err(first_problem.expect("read_tables gives at least one table"))
}

impl FileAttendance {
    /// Puts every finding's location in this file into its sheet, for a workbook.
    fn place_in_sheet(&mut self) {
        let Some(sheet) = &self.sheet else {
            return;
        };
        let findings = self.findings.iter_mut();
        let rows = self.row_findings.iter_mut().map(|(_, finding)| finding);
        for location in findings.chain(rows).filter_map(|f| f.location.as_mut()) {
            if location.file == self.display_path {
                location.sheet = Some(sheet.as_str().into());
            }
        }
    }

    /// Where row `line` of this file is (in a workbook, the row of its sheet).
    pub fn location(&self, line: usize) -> Location {
        Location::line(&self.display_path, line).in_sheet(self.sheet.as_deref())
    }
}
