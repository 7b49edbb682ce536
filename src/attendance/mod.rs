//! Attendance: every source format (sign-in sheets, Zoom, Teams, scanner logs) becomes one
//! normalized list of presence intervals per file; `identity` then matches each interval to a
//! roster attendee (by attendee id, email, or the administrator's alias list, never by the
//! spelling of a name).
//!
//! Formats: docs/attendance.md.

use crate::findings::{Finding, Location};
pub mod identity;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Who an attendance row says it is. Any field may be missing, depending on the format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity {
    pub attendee_id: Option<String>,
    pub email: Option<String>,
    /// Display name as written (never used for matching except through the alias list).
    pub name: Option<String>,
    pub phone: Option<String>,
}

/// One interval during which one person was present, from one row of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub who: Identity,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub source: Location,
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
    /// Row-level problems. Attendee-scoped; `attendee` is filled in by matching.
    pub row_findings: Vec<(Identity, Finding)>,
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

/// Why an attendance file could not be used at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}. {fix}")]
    Unusable {
        path: String,
        message: String,
        fix: String,
    },
}

/// Reads every attendance file in `dir` (the offering's `attendance/` folder).
pub fn load_dir(
    dir: &Path,
    display_dir: &Path,
    ctx: &IngestContext,
) -> Result<Vec<FileAttendance>, IngestError> {
    let _ = (dir, display_dir, ctx);
    Err(IngestError::Unusable {
        path: display_dir.display().to_string(),
        message: "attendance reading is not built yet".into(),
        fix: String::new(),
    })
}

/// Neutralizes a cell for a CSV that ceu writes: a leading `=`, `+`, `-`, `@` (or tab/CR)
/// would make a spreadsheet run it as a formula, so such cells get a leading apostrophe.
pub fn csv_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}
