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
/// `*.txt` and `*.tsv`, sorted by name, except `aliases.csv` and hidden or Excel lock files.
pub fn load_dir(
    dir: &Path,
    display_dir: &Path,
    ctx: &IngestContext,
) -> Result<Vec<FileAttendance>, InputError> {
    load_dir_each(dir, display_dir, ctx, |_| {})
}

/// [`load_dir`], handing each file to `each` as soon as it is read (to match its rows and let
/// them go before the next file is read).
pub fn load_dir_each(
    dir: &Path,
    display_dir: &Path,
    ctx: &IngestContext,
    mut each: impl FnMut(&mut FileAttendance),
) -> Result<Vec<FileAttendance>, InputError> {
    let io = |source| InputError::io(display_dir, source);
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let lower = name.to_lowercase();
        let wanted = [".csv", ".txt", ".tsv"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        if !wanted || lower == "aliases.csv" || name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if entry.path().is_file() {
            names.push(name);
        }
    }
    names.sort();
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        let display = display_dir.join(&name);
        let bytes =
            std::fs::read(dir.join(&name)).map_err(|source| InputError::io(&display, source))?;
        let mut file = load_file(&bytes, &name, &display, ctx)?;
        each(&mut file);
        files.push(file);
    }
    Ok(files)
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
    let fixes = TableFixes {
        called: "file",
        empty: "export the attendance again, or delete the file if it is not needed",
        csv: TableFixes::CSV_FROM_EXCEL,
    };
    let table = table::read_bytes(bytes)
        .map_err(|problem| InputError::unreadable(display, problem, fixes))?;
    let declared = ctx.file_zones.get(file_name).copied();
    let mut builder = FileBuilder::new(display, declared, ctx, table.rows.len());
    let format = detect_and_read(&table.rows, &mut builder)
        .map_err(|(message, fix)| InputError::unusable(&Location::file(display), message, &fix))?;
    builder.check_zone_conflict(file_name);
    builder.check_zone_shift(file_name);
    Ok(FileAttendance {
        display_path: display.to_path_buf(),
        format,
        presences: builder.presences,
        row_findings: builder.row_findings,
        findings: builder.findings,
        encoding: table.encoding,
        sha256: crate::sign::sha256(bytes),
    })
}
