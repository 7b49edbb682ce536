//! Attendance: every source format (sign-in sheets, Zoom, Teams, scanner logs) becomes one
//! normalized list of presence intervals per file; `identity` then matches each interval to a
//! roster attendee (by attendee id, email, or the administrator's alias list, never by the
//! spelling of a name).
//!
//! Formats: docs/attendance.md.

mod scanner;
mod signin;
mod teams;
mod zoom;

use crate::findings::{Finding, Location, Severity};
use crate::input::InputError;
use crate::input::error::TableFixes;
use crate::input::spellings;
use crate::input::table::{self, Header, Row};
use crate::input::text::{
    email_key, looks_like_phone, lowercase, normalized_name, phone_digits, shorten,
};
use crate::input::when::{self, When, Zone, ZoneProblem};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::path::{Path, PathBuf};

/// Kept at its old path: `cmd/hours.rs` and the tests call `attendance::csv_safe`.
pub use crate::input::text::csv_safe;

/// Who an attendance row says it is. Any field may be missing, depending on the format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity {
    pub attendee_id: Option<String>,
    pub email: Option<String>,
    /// Display name as written (never used for matching except through the alias list).
    pub name: Option<String>,
    pub phone: Option<String>,
}

impl Identity {
    /// True when the row says nothing about who it is.
    pub fn is_empty(&self) -> bool {
        self.attendee_id.is_none()
            && self.email.is_none()
            && self.name.is_none()
            && self.phone.is_none()
    }

    /// A key that is equal for rows naming the same identity (id, else email, else name, else
    /// phone), used to group rows within one file; not used to match the roster.
    pub fn key(&self) -> String {
        let (kind, text) = self.key_parts();
        format!("{}{text}", kind.prefix())
    }

    /// [`Identity::key`] in two parts, which are equal exactly when the keys are; the text is
    /// borrowed when it needs no normalizing, so grouping a long file allocates nothing per row.
    pub(crate) fn key_parts(&self) -> (KeyKind, Cow<'_, str>) {
        if let Some(id) = &self.attendee_id {
            (KeyKind::Id, lowercase(id.trim()))
        } else if let Some(email) = &self.email {
            (KeyKind::Email, email_key(email))
        } else if let Some(name) = &self.name {
            (KeyKind::Name, normalized_name(name))
        } else if let Some(phone) = &self.phone {
            let digits = phone_digits(phone).unwrap_or_default();
            (KeyKind::Phone, Cow::Owned(digits))
        } else {
            (KeyKind::Nobody, Cow::Borrowed(""))
        }
    }

    /// How to show this identity in a message: `Jane Doe <jane@example.org> (id A17)`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(name) = &self.name {
            parts.push(format!("`{}`", shorten(name, 80)));
        }
        if let Some(email) = &self.email {
            parts.push(format!("<{}>", shorten(email, 80)));
        }
        if let Some(phone) = &self.phone
            && self.name.as_deref() != Some(phone.as_str())
        {
            parts.push(format!("phone {}", shorten(phone, 40)));
        }
        if let Some(id) = &self.attendee_id {
            parts.push(format!("(attendee id {})", shorten(id, 40)));
        }
        if parts.is_empty() {
            "a row with no name, email or id".to_string()
        } else {
            parts.join(" ")
        }
    }
}

/// Which field an [`Identity::key`] comes from (its prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum KeyKind {
    Id,
    Email,
    Name,
    Phone,
    Nobody,
}

impl KeyKind {
    fn prefix(self) -> &'static str {
        match self {
            KeyKind::Id => "id:",
            KeyKind::Email => "email:",
            KeyKind::Name => "name:",
            KeyKind::Phone => "phone:",
            KeyKind::Nobody => "",
        }
    }
}

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

/// A column problem that makes a file unusable: (message, fix).
pub(crate) type FileProblem = (String, String);

const SIGNIN_HELP: &str = "give the sheet a header row with Name (or First Name and Last Name, or Email, or Attendee ID), Date, Sign In and Sign Out; see docs/attendance.md";

fn detect_and_read<'a>(
    rows: &'a [Row],
    b: &mut FileBuilder<'a>,
) -> Result<SourceFormat, FileProblem> {
    if let Some(format) = teams::detect(rows) {
        return teams::read(rows, b).map(|()| format);
    }
    // Zoom first: its summary block above the table has Start Time / End Time columns that
    // would pass for a sign-in sheet's.
    let headers: Vec<(usize, Header)> = rows.iter().take(60).map(Header::new).enumerate().collect();
    if let Some((index, _)) = headers.iter().find(|(_, h)| zoom::is_header(h)) {
        return zoom::read(rows, *index, b);
    }
    // A Zoom export without join and leave times ("Show unique users", or the meeting summary
    // alone): its summary's Start Time / End Time would otherwise pass for a sign-in sheet's.
    if let Some(problem) = zoom::without_times(&headers) {
        return Err(problem);
    }
    // A header with both sign-in and sign-out columns is a sheet, even if it also has a
    // Time or Type column that would pass for a scanner log's.
    for (index, header) in &headers {
        if signin::is_header(header) {
            signin::read(header, &rows[index + 1..], b)?;
            return Ok(SourceFormat::SignInSheet);
        }
        if scanner::is_header(header) {
            scanner::read(header, &rows[index + 1..], b)?;
            return Ok(SourceFormat::Scanner);
        }
    }
    // A header that is one column short of a format: say which format and which column.
    if let Some(problem) = headers.iter().find_map(|(_, h)| missing_column(h)) {
        return Err(problem);
    }
    let first = rows.first().map(|r| {
        (
            r.line,
            r.cells()
                .map(|c| shorten(c.trim(), 40))
                .collect::<Vec<_>>()
                .join(", "),
        )
    });
    let (line, found) = first.unwrap_or((1, String::new()));
    Err((
        format!("no attendance header row found (line {line} reads `{found}`)"),
        SIGNIN_HELP.to_string(),
    ))
}

/// A header that says who (or is Zoom's) and has one of a format's two time columns but not the
/// other: the format it was meant to be and the missing column, as an unusable-file problem.
fn missing_column(header: &Header) -> Option<FileProblem> {
    let who = IdentityColumns::find(header).any();
    let found = found_columns(header);
    let (format, missing, spellings) = if header.has(zoom::JOIN) != header.has(zoom::LEAVE) {
        let missing = if header.has(zoom::JOIN) {
            "Leave Time"
        } else {
            "Join Time"
        };
        (
            "a Zoom participant report",
            missing,
            "Join Time and Leave Time",
        )
    } else if who && header.has(signin::IN) != header.has(signin::OUT) {
        let missing = if header.has(signin::IN) {
            "sign-out"
        } else {
            "sign-in"
        };
        (
            "a sign-in sheet",
            missing,
            "Sign In (or Time In, In, Check In, Arrival) and Sign Out (or Time Out, Out, Check Out, Departure, Left)",
        )
    } else if who && header.has(scanner::EVENT) && !header.has(scanner::TIMESTAMP) {
        (
            "a check-in log",
            "timestamp",
            "Timestamp (or Date Time, Scan Time, Scanned At, Time)",
        )
    } else if who && header.has(scanner::TIMESTAMP) && !header.has(scanner::EVENT) {
        (
            "a check-in log",
            "event (in/out)",
            "Event (or Action, Direction, Type) with IN or OUT",
        )
    } else {
        return None;
    };
    Some((
        format!(
            "line {}: this looks like {format} (found `{found}`) but it has no {missing} column",
            header.line
        ),
        format!(
            "add the {missing} column, with one value per row; {format} needs {spellings} (see docs/attendance.md)"
        ),
    ))
}

/// Where a meeting export (Zoom, Teams) marks rows that are not time in the meeting: Zoom's
/// `In Waiting Room` (Yes), a lobby column, a webinar's `Attended` (No), or a status such as
/// `In lobby`. Such rows carry no presence.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AbsenceColumns {
    /// Yes = the row is time outside the meeting.
    waiting: Option<usize>,
    /// No = the person did not attend.
    attended: Option<usize>,
    /// A status word naming a waiting room or lobby.
    status: Option<usize>,
}

impl AbsenceColumns {
    const WAITING: &[&str] = &[
        "inwaitingroom",
        "waitingroom",
        "waitinginwaitingroom",
        "inlobby",
        "lobby",
        "waitinginlobby",
        "waitedinlobby",
    ];
    const ATTENDED: &[&str] = &["attended"];
    const STATUS: &[&str] = &["status", "participantstatus", "attendancestatus"];
    const ABSENT_STATUS: &[&str] = &[
        "inwaitingroom",
        "waitingroom",
        "waiting",
        "inlobby",
        "lobby",
        "waitinginlobby",
        "notattended",
        "didnotattend",
        "absent",
        "noshow",
    ];

    pub fn find(header: &Header) -> AbsenceColumns {
        AbsenceColumns {
            waiting: header.find(Self::WAITING),
            attended: header.find(Self::ATTENDED),
            status: header.find(Self::STATUS),
        }
    }

    /// True when the export marks `row` as not time in the meeting.
    pub fn absent(&self, row: &Row) -> bool {
        let word = |column: Option<usize>| table::normalize_header(row.get(column));
        matches!(
            word(self.waiting).as_str(),
            "yes" | "y" | "true" | "1" | "x"
        ) || matches!(word(self.attended).as_str(), "no" | "n" | "false" | "0")
            || Self::ABSENT_STATUS.contains(&word(self.status).as_str())
    }
}

/// A header's columns as written, for a message: `Badge, Timestamp, Event`.
pub(crate) fn found_columns(header: &Header) -> String {
    header
        .names
        .iter()
        .map(|n| shorten(n, 30))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the identity columns of a header are.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdentityColumns {
    pub id: Option<usize>,
    pub name: Option<usize>,
    pub first: Option<usize>,
    pub last: Option<usize>,
    pub email: Option<usize>,
    pub phone: Option<usize>,
}

impl IdentityColumns {
    pub fn find(header: &Header) -> IdentityColumns {
        IdentityColumns {
            id: header.find(spellings::ID),
            name: header.find(spellings::NAME),
            first: header.find(spellings::FIRST),
            last: header.find(spellings::LAST),
            email: header.find(spellings::EMAIL),
            phone: header.find(spellings::PHONE),
        }
    }

    pub fn any(&self) -> bool {
        self.id.is_some()
            || self.name.is_some()
            || self.first.is_some()
            || self.last.is_some()
            || self.email.is_some()
    }

    /// The identity a row states. A name that is a phone number (a Zoom dial-in) is also the
    /// phone.
    pub fn read(&self, row: &Row) -> Identity {
        let some = |text: &str| (!text.is_empty()).then(|| text.to_string());
        let name = match self.name.map(|i| row.cell(i)).filter(|n| !n.is_empty()) {
            Some(name) => Some(name.to_string()),
            // "First Last", or whichever of the two is there (the cells are trimmed).
            None => match (row.get(self.first), row.get(self.last)) {
                ("", last) => some(last),
                (first, "") => some(first),
                (first, last) => Some([first, last].join(" ")),
            },
        };
        let mut phone = some(row.get(self.phone));
        if phone.is_none()
            && let Some(name) = &name
            && looks_like_phone(name)
        {
            phone = Some(name.clone());
        }
        Identity {
            attendee_id: some(row.get(self.id)),
            email: some(row.get(self.email)),
            name,
            phone,
        }
    }
}

/// Collects what one file says while its format reader walks the rows.
pub(crate) struct FileBuilder<'a> {
    pub display: &'a Path,
    /// The zone of times written without one: the zone declared for the file in course.toml,
    /// else the offering's.
    pub zone: Zone,
    /// The zone declared for the file in course.toml, if any.
    declared: Option<Tz>,
    /// Zones named in the table's column headers (`Join Time (UTC)`), by column index; set by
    /// the format reader with [`FileBuilder::use_header`].
    column_zones: Vec<Option<Zone>>,
    /// The first place where two zones the file is said to be in disagree (line, message).
    zone_conflict: Option<(usize, String)>,
    /// The offering's dates and the day before and after each (see [`FileBuilder::stamp_on`]).
    neighbour_dates: Vec<NaiveDate>,
    pub ctx: &'a IngestContext,
    pub presences: Vec<Presence>,
    pub row_findings: Vec<(Identity, Finding)>,
    pub findings: Vec<Finding>,
    /// The rows read so far, to spot exact repeats. Borrowed from the table: copying every
    /// row's cells was the largest cost of reading a long sheet.
    seen_rows: HashSet<TrimmedRow<'a>>,
    /// Hashes a row's trimmed cells in one go (see [`TrimmedRow`]).
    row_hasher: RandomState,
    row_bytes: Vec<u8>,
}

/// A row as `DATA-DUPLICATE-ROW` compares rows: its cells, each trimmed. `hash` is computed
/// once from the trimmed cells (equal rows, equal hashes), which is cheaper than hashing the
/// cells one by one inside the set.
struct TrimmedRow<'a> {
    row: &'a Row,
    hash: u64,
}

impl PartialEq for TrimmedRow<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
            && self.row.len() == other.row.len()
            && self
                .row
                .cells()
                .zip(other.row.cells())
                .all(|(a, b)| a.trim() == b.trim())
    }
}

impl Eq for TrimmedRow<'_> {}

impl Hash for TrimmedRow<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl<'a> FileBuilder<'a> {
    /// `rows` is how many rows the file has (to size the duplicate check once).
    fn new(display: &'a Path, declared: Option<Tz>, ctx: &'a IngestContext, rows: usize) -> Self {
        FileBuilder {
            display,
            zone: Zone::Named(declared.unwrap_or(ctx.time_zone)),
            declared,
            column_zones: Vec::new(),
            zone_conflict: None,
            neighbour_dates: ctx
                .dates
                .iter()
                .flat_map(|d| [d.pred_opt(), Some(*d), d.succ_opt()])
                .flatten()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
            ctx,
            presences: Vec::with_capacity(rows),
            row_findings: Vec::new(),
            findings: Vec::new(),
            seen_rows: HashSet::with_capacity(rows),
            row_hasher: RandomState::new(),
            row_bytes: Vec::new(),
        }
    }

    pub fn location(&self, line: usize, column: Option<usize>) -> Location {
        let location = Location::line(self.display, line);
        match column {
            Some(index) => location.with_column(index + 1),
            None => location,
        }
    }

    /// Records an attendee-scoped row finding. `column` is a 0-based cell index.
    #[allow(clippy::too_many_arguments)]
    pub fn row_finding(
        &mut self,
        who: &Identity,
        rule: &str,
        severity: Severity,
        line: usize,
        column: Option<usize>,
        message: String,
        fix: String,
    ) {
        let location = self.location(line, column);
        let message = format!("{}: {message}", who.describe());
        self.row_findings.push((
            who.clone(),
            Finding::attendee(rule, severity, None, message, Some(location), fix),
        ));
    }

    /// True (after a `DATA-DUPLICATE-ROW` warning) when the row repeats an earlier row exactly.
    pub fn is_duplicate(&mut self, who: &Identity, row: &'a Row) -> bool {
        self.row_bytes.clear();
        for cell in row.cells() {
            self.row_bytes.extend_from_slice(cell.trim().as_bytes());
            // Never part of UTF-8 text: ends a cell, so ("ab", "c") and ("a", "bc") differ.
            self.row_bytes.push(0xFF);
        }
        let hash = self.row_hasher.hash_one(&self.row_bytes);
        let candidate = TrimmedRow { row, hash };
        let Some(earlier) = self.seen_rows.get(&candidate).map(|seen| seen.row.line) else {
            self.seen_rows.insert(candidate);
            return false;
        };
        self.row_finding(
            who,
            "DATA-DUPLICATE-ROW",
            Severity::Warning,
            row.line,
            None,
            format!("this row repeats line {earlier} exactly; it is counted once"),
            format!("delete this row (line {}) or line {earlier}", row.line),
        );
        true
    }

    pub fn push(&mut self, who: Identity, start: DateTime<Utc>, end: DateTime<Utc>, line: usize) {
        self.push_as(who, start, end, line, None);
    }

    /// [`Self::push`] for a row the export gives a role (organizer, host, ...).
    pub fn push_as(
        &mut self,
        who: Identity,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        line: usize,
        role: Option<Role>,
    ) {
        self.presences.push(Presence {
            who,
            start,
            end,
            line,
            role,
        });
    }

    /// The local date of an instant in the offering's zone.
    pub fn offering_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.ctx.time_zone).date_naive()
    }

    pub fn is_offering_date(&self, date: NaiveDate) -> bool {
        self.ctx.dates.is_empty() || self.ctx.dates.contains(&date)
    }

    pub fn offering_dates_text(&self) -> String {
        self.ctx
            .dates
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads a timestamp cell of a machine export (Zoom, Teams, scanner): a zoned instant, or a
    /// local date and time in the file's zone. Reports `DATA-TIME`, `DATA-DATE` or `DATA-DST`
    /// and returns `None` when the cell cannot give one instant.
    pub fn stamp(
        &mut self,
        who: &Identity,
        row: &Row,
        column: usize,
        header: &str,
    ) -> Option<DateTime<Utc>> {
        self.stamp_on(who, row, column, header, None)
    }

    /// [`Self::stamp`], with the date from a separate Date column (`date_column`) for cells
    /// that hold only a time.
    pub fn stamp_on(
        &mut self,
        who: &Identity,
        row: &Row,
        column: usize,
        header: &str,
        date_column: Option<(usize, &str)>,
    ) -> Option<DateTime<Utc>> {
        let text = row.cell(column);
        // A column in another zone than the offering's can fall on the day before or after
        // an offering date (00:30 UTC on 10 March is the evening of 9 March in Calgary): those
        // days settle a date that reads both ways too.
        let dates = if self.zone_of(column) == Zone::Named(self.ctx.time_zone) {
            &self.ctx.dates
        } else {
            &self.neighbour_dates
        };
        match when::parse_when(text, dates) {
            Ok(When::Instant(instant)) => Some(self.written_instant(row.line, column, instant)),
            Ok(When::Local {
                date: Some(date),
                time,
            }) => self.local(who, row.line, column, date, time.time),
            Ok(When::Local { date: None, time }) if date_column.is_some() => {
                let (date_index, date_header) = date_column?;
                let date_text = row.cell(date_index);
                match when::parse_date(date_text, dates) {
                    Ok(date) => self.local_at(who, row.line, date_index, column, date, time.time),
                    Err(problem) => {
                        self.date_problem(
                            who,
                            row.line,
                            date_index,
                            date_header,
                            date_text,
                            problem,
                        );
                        None
                    }
                }
            }
            Ok(When::Local { date: None, .. }) => {
                self.row_finding(
                    who,
                    "DATA-DATE",
                    Severity::Error,
                    row.line,
                    Some(column),
                    format!("{header} `{}` has a time but no date", shorten(text, 60)),
                    "export the report again with full dates, e.g. 2025-03-06 09:00:00".into(),
                );
                None
            }
            Err(problem) => {
                self.when_problem(who, row.line, column, header, text, problem);
                None
            }
        }
    }

    /// `DATA-ORDER` for an export row whose leave time (in column `leave`) is before its join
    /// time, naming both times and the date.
    pub fn order_finding(
        &mut self,
        who: &Identity,
        line: usize,
        leave: usize,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) {
        let message = format!(
            "leave time {} on {} is before join time {} on {}",
            self.clock(end),
            self.day(end),
            self.clock(start),
            self.day(start)
        );
        self.row_finding(
            who,
            "DATA-ORDER",
            Severity::Error,
            line,
            Some(leave),
            message,
            "check the export; correct or delete the row".into(),
        );
    }

    /// Reports a date cell that `when::parse_date` could not read (`DATA-DATE`).
    pub fn date_problem(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        header: &str,
        text: &str,
        problem: when::Problem,
    ) {
        self.cell_problem(who, line, column, header, text, problem, true);
    }

    /// Reports a time or timestamp cell that `when::parse_when` could not read (`DATA-TIME`,
    /// or `DATA-DATE` when its date part reads two ways).
    pub fn when_problem(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        header: &str,
        text: &str,
        problem: when::Problem,
    ) {
        self.cell_problem(who, line, column, header, text, problem, false);
    }

    #[allow(clippy::too_many_arguments)]
    fn cell_problem(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        header: &str,
        text: &str,
        problem: when::Problem,
        date_cell: bool,
    ) {
        let (rule, message, fix) = match problem {
            when::Problem::Unreadable if date_cell => (
                "DATA-DATE",
                format!(
                    "{header} `{}` is not a date ceu can read; expected a date such as 2025-03-06, 06.03.2025 or 3/6/2025",
                    shorten(text, 60)
                ),
                "write the date as 2025-03-06 (year-month-day)".to_string(),
            ),
            when::Problem::Unreadable if text.is_empty() => (
                "DATA-TIME",
                format!("{header} is empty"),
                "write the time, e.g. 17:00 or 5:00 PM".to_string(),
            ),
            when::Problem::Unreadable => (
                "DATA-TIME",
                format!(
                    "{header} `{}` is not a date or time ceu can read; expected a time such as 17:00 or 5:00 PM, or a date and time such as 2025-03-06 17:00",
                    shorten(text, 60)
                ),
                "write 17:00 or 5:00 PM (dates as 2025-03-06)".to_string(),
            ),
            when::Problem::AmbiguousDate(day_first, month_first) => (
                "DATA-DATE",
                format!(
                    "{header} `{}` could be {} (day first) or {} (month first), and the offering's dates ({}) do not settle it",
                    shorten(text, 60),
                    when::spell_date(day_first),
                    when::spell_date(month_first),
                    self.offering_dates_text()
                ),
                format!(
                    "write the date as {} (year-month-day)",
                    day_first.format("%Y-%m-%d")
                ),
            ),
        };
        self.row_finding(who, rule, Severity::Error, line, Some(column), message, fix);
    }

    /// Converts a local date and time in the zone of `column` (its header's zone, else the
    /// file's), reporting a date outside the offering (`DATA-DATE`) or a daylight-saving gap or
    /// fold (`DATA-DST`).
    pub fn local(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        date: NaiveDate,
        time: chrono::NaiveTime,
    ) -> Option<DateTime<Utc>> {
        self.local_at(who, line, column, column, date, time)
    }

    /// The zone times in `column` are read in: the zone its header names, else the file's.
    fn zone_of(&self, column: usize) -> Zone {
        self.column_zones
            .get(column)
            .copied()
            .flatten()
            .unwrap_or(self.zone)
    }

    /// Takes the header zones of the table the format reader is about to read.
    pub fn use_header(&mut self, header: &Header) {
        self.column_zones = header.zones().to_vec();
    }

    /// A cell that carries its own zone or offset: the instant it names, after checking the
    /// offset against the zone the column header names or the file is declared in.
    pub fn written_instant(
        &mut self,
        line: usize,
        column: usize,
        instant: DateTime<chrono::FixedOffset>,
    ) -> DateTime<Utc> {
        let utc = instant.with_timezone(&Utc);
        let claimed = match (
            self.column_zones.get(column).copied().flatten(),
            self.declared,
        ) {
            (Some(zone), _) => Some((zone, "its column header")),
            (None, Some(tz)) => Some((Zone::Named(tz), "course.toml")),
            (None, None) => None,
        };
        if let Some((zone, source)) = claimed
            && zone.offset_at(utc) != *instant.offset()
        {
            let message = format!(
                "line {line}, column {}: the cell gives the offset UTC{} but {source} says the times are in {} (UTC{} then)",
                column + 1,
                instant.offset(),
                zone.name(),
                zone.offset_at(utc)
            );
            self.note_zone_conflict(line, message);
        }
        utc
    }

    fn note_zone_conflict(&mut self, line: usize, message: String) {
        if self.zone_conflict.is_none() {
            self.zone_conflict = Some((line, message));
        }
    }

    /// [`Self::local`], with the zone taken from `zone_column` (the time's column when the date
    /// comes from a separate column).
    fn local_at(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        zone_column: usize,
        date: NaiveDate,
        time: chrono::NaiveTime,
    ) -> Option<DateTime<Utc>> {
        let zone = self.zone_of(zone_column);
        let converted = zone.to_utc(date, time);
        // The day that counts is the offering's: 00:02 UTC on 8 March is 7 March in Calgary.
        let offering_day = match converted {
            Ok(instant) if zone != Zone::Named(self.ctx.time_zone) => self.offering_date(instant),
            _ => date,
        };
        if !self.is_offering_date(offering_day) {
            let message = format!(
                "date {} is not one of the offering's dates ({})",
                when::spell_date(date),
                self.offering_dates_text()
            );
            self.row_finding(
                who,
                "DATA-DATE",
                Severity::Error,
                line,
                Some(column),
                message,
                "correct the date, or remove the row if it belongs to another offering".into(),
            );
            return None;
        }
        match converted {
            Ok(instant) => {
                // The header names one zone and course.toml declares another for the file.
                if let (Some(header_zone), Some(declared)) = (
                    self.column_zones.get(zone_column).copied().flatten(),
                    self.declared,
                ) && Zone::Named(declared).to_utc(date, time).ok() != Some(instant)
                {
                    let message = format!(
                        "line {line}: the column header says the times are in {} but course.toml declares {} for this file",
                        header_zone.name(),
                        declared.name()
                    );
                    self.note_zone_conflict(line, message);
                }
                Some(instant)
            }
            Err(problem) => {
                let what = match problem {
                    ZoneProblem::Gap => "did not exist: the clocks jumped forward over it",
                    ZoneProblem::Fold(..) => "happened twice: the clocks fell back over it",
                };
                let message = format!(
                    "{} on {} in {} {what}",
                    time.format("%H:%M"),
                    when::spell_date(date),
                    zone.name()
                );
                let fix = "write the time with its UTC offset (e.g. 2025-03-09T03:30:00-06:00), or correct it".to_string();
                self.row_finding(
                    who,
                    "DATA-DST",
                    Severity::Error,
                    line,
                    Some(column),
                    message,
                    fix,
                );
                None
            }
        }
    }

    /// Two zones the file is said to be in that disagree (a column header, a cell's offset, the
    /// declaration in course.toml): one offering-scope `DATA-ZONE-CONFLICT` error, since every
    /// time in the file is in doubt.
    fn check_zone_conflict(&mut self, file_name: &str) {
        let Some((line, message)) = self.zone_conflict.take() else {
            return;
        };
        let fix = format!(
            "find out which zone the export was written in and say it once: remove or correct the zone in the column header or the cells, or correct [attendance.files.\"{file_name}\"] time_zone in course.toml"
        );
        self.findings.push(Finding::offering(
            "DATA-ZONE-CONFLICT",
            Severity::Error,
            format!("the file is said to be in two time zones that disagree: {message}"),
            Some(Location::line(self.display, line)),
            fix,
        ));
    }

    /// A local time of an instant as the file's reader sees it: `08:55`.
    pub fn clock(&self, instant: DateTime<Utc>) -> String {
        self.zone.local(instant).format("%H:%M").to_string()
    }

    /// The local date of an instant in the file's zone, spelled out: `6 March 2025`.
    pub fn day(&self, instant: DateTime<Utc>) -> String {
        when::spell_date(self.zone.local(instant).date())
    }

    /// A file whose people all arrive and leave the same whole number of hours off the agenda
    /// was almost certainly written in another zone: one offering-scope `DATA-ZONE-SHIFT` error.
    fn check_zone_shift(&mut self, file_name: &str) {
        let Some(hours) = zone_shift_hours(&self.presences, &self.ctx.blocks) else {
            return;
        };
        let direction = if hours > 0 { "later" } else { "earlier" };
        let n = hours.abs();
        let plural = if n == 1 { "" } else { "s" };
        let message = format!(
            "times in this file sit {n} hour{plural} {direction} than the agenda: people typically arrive and leave {n} hour{plural} {direction} than the first block starts and the last block ends, read in {}. The file was almost certainly written in another time zone",
            self.zone.name()
        );
        let fix = format!(
            "declare the zone the file was exported in, in course.toml: [attendance.files.\"{file_name}\"] time_zone = \"<IANA zone, e.g. America/Toronto>\"; or correct the agenda if it is the agenda that is wrong"
        );
        self.findings.push(Finding::offering(
            "DATA-ZONE-SHIFT",
            Severity::Error,
            message,
            Some(Location::file(self.display)),
            fix,
        ));
    }
}

/// The whole-hour shift (non-zero) between a file's presences and the agenda, when the median
/// arrival and the median departure (per person and day, against the day's first block start
/// and last block end) both sit within 20 minutes of the same whole non-zero number of hours.
pub fn zone_shift_hours(
    presences: &[Presence],
    blocks: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Option<i64> {
    // Days: runs of blocks with gaps under six hours.
    let mut sorted = blocks.to_vec();
    sorted.sort();
    let mut days: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for (start, end) in sorted {
        match days.last_mut() {
            Some(day) if (start - day.1).num_hours() < 6 => day.1 = day.1.max(end),
            _ => days.push((start, end)),
        }
    }
    if days.is_empty() {
        return None;
    }
    // Only the medians are used, so the order of this map does not matter.
    let mut spans: HashMap<_, (DateTime<Utc>, DateTime<Utc>)> =
        HashMap::with_capacity(presences.len());
    for p in presences {
        let nearest = days
            .iter()
            .enumerate()
            .min_by_key(|(_, day)| (p.start - day.0).num_seconds().abs())
            .map(|(i, _)| i)?;
        if (p.start - days[nearest].0).num_hours().abs() > 14 {
            continue;
        }
        let span = spans
            .entry((p.who.key_parts(), nearest))
            .or_insert((p.start, p.end));
        span.0 = span.0.min(p.start);
        span.1 = span.1.max(p.end);
    }
    if spans.is_empty() {
        return None;
    }
    let mut arrivals: Vec<i64> = Vec::new();
    let mut departures: Vec<i64> = Vec::new();
    for ((_, day), (start, end)) in &spans {
        arrivals.push((*start - days[*day].0).num_seconds());
        departures.push((*end - days[*day].1).num_seconds());
    }
    let median = |values: &mut Vec<i64>| {
        values.sort_unstable();
        values[values.len() / 2]
    };
    let (arrive, leave) = (median(&mut arrivals), median(&mut departures));
    let hours = (arrive + 1800).div_euclid(3600);
    let near = |seconds: i64| (seconds - hours * 3600).abs() <= 20 * 60;
    (hours != 0 && near(arrive) && near(leave)).then_some(hours)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(
        id: Option<&str>,
        email: Option<&str>,
        name: Option<&str>,
        phone: Option<&str>,
    ) -> Identity {
        Identity {
            attendee_id: id.map(String::from),
            email: email.map(String::from),
            name: name.map(String::from),
            phone: phone.map(String::from),
        }
    }

    #[test]
    fn key_parts_are_equal_exactly_when_keys_are() {
        let people = [
            who(Some(" A17 "), None, None, None),
            who(Some("a17"), Some("x@example.org"), None, None),
            who(None, Some("X@Example.org "), None, None),
            who(None, Some("x@example.org"), Some("Ana"), None),
            who(None, Some("ΣΊΣΥΦΟΣ@EXAMPLE.ORG"), None, None),
            who(None, Some("σίσυφος@example.org"), None, None),
            who(None, None, Some("Ana  Lee"), None),
            who(None, None, Some(" ana lee"), None),
            who(None, None, Some("ana\tlee"), None),
            who(None, None, Some("Zoë  Ŝ"), None),
            who(None, None, Some("zoë ŝ"), None),
            who(None, None, None, Some("+1 (403) 555-0199")),
            who(None, None, None, Some("14035550199")),
            who(None, None, None, Some("call me")),
            who(None, None, None, None),
            who(Some("email:x"), None, None, None),
        ];
        for a in &people {
            let (kind, text) = a.key_parts();
            assert_eq!(format!("{}{text}", kind.prefix()), a.key());
            for b in &people {
                assert_eq!(
                    a.key() == b.key(),
                    a.key_parts() == b.key_parts(),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
