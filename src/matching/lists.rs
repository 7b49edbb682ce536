//! The administrator's two list files beside the attendance: `aliases.csv` (display name or
//! phone -> attendee id) and `not-attendees.csv` (hosts, organizers, speakers and staff whose
//! rows need no certificate). Formats: docs/attendance.md.

use crate::attendance::{Identity, IdentityColumns};
use crate::findings::{Finding, Location};
use crate::input::InputError;
use crate::input::error::TableFixes;
use crate::input::table::{self, Header};
use crate::input::text::{email_key, normalize_name, phone_digits, phone_key, shorten};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The administrator's alias list (`aliases.csv` beside the roster): display name or phone
/// number -> attendee id, for Zoom guests, dial-ins and sheets without an email column.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    /// Normalized alias (trimmed, case-folded name, or digits of a phone number) -> attendee id.
    pub to_attendee: BTreeMap<String, String>,
    pub sha256: Option<[u8; 32]>,
    /// Normalized alias -> where it is written (for findings about the alias itself).
    pub locations: BTreeMap<String, Location>,
    /// Findings about the file itself (`DATA-ENCODING`).
    pub findings: Vec<Finding>,
    /// Where the list is, relative to the offering folder (`attendance/aliases.csv` or
    /// `aliases.csv`), as the input hashes name it; empty when there is none.
    pub file: String,
}

/// The key an alias is stored under: phone digits for a phone number, else the normalized name.
pub fn alias_key(alias: &str) -> String {
    match phone_digits(alias) {
        Some(digits) => phone_key(&digits).to_string(),
        None => normalize_name(alias),
    }
}

/// An administrator's list file (aliases.csv, not-attendees.csv), read: `None` when there is
/// no such file; else the SHA-256 of its bytes, its table (`None` when the file is empty) and
/// a `DATA-ENCODING` warning when undeclared 8-bit bytes look like another encoding than
/// Windows-1252.
type ListFile = Option<([u8; 32], Option<table::Table>, Option<Finding>)>;

/// How a list file is named and decoded: the encoding `[inputs.encoding]` declares for it, and
/// its key there (its path in the offering folder: `aliases.csv`, `attendance/aliases.csv`,
/// `not-attendees.csv`).
#[derive(Debug, Clone, Copy)]
pub struct ListEncoding<'a> {
    pub declared: Option<&'static encoding_rs::Encoding>,
    pub key: &'a str,
}

/// Reads a list file (see [`ListFile`]) decoded as `encoding` says; a workbook or unparsable
/// CSV is unusable (the lists are typed by hand: docs/attendance.md).
fn read_list(path: &Path, display: &Path, encoding: ListEncoding) -> Result<ListFile, InputError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(InputError::io(display, source)),
    };
    let sha256 = crate::sign::sha256(&bytes);
    let fixes = TableFixes {
        called: "file",
        empty: "",
        csv: "check the quoting on that line",
    };
    let read = match table::spreadsheet_kind(&bytes) {
        Some(kind) => Err(table::Unreadable::Spreadsheet(kind)),
        None => crate::input::read_tables(&bytes, encoding.declared).map(|mut t| t.remove(0)),
    };
    match read {
        Ok(table) => {
            let warning = table.likelier.map(|likelier| {
                crate::input::encoding::finding(&bytes, display, encoding.key, likelier)
            });
            Ok(Some((sha256, Some(table), warning)))
        }
        Err(table::Unreadable::Empty) => Ok(Some((sha256, None, None))),
        Err(problem) => Err(InputError::unreadable(display, problem, fixes)),
    }
}

/// The list's key when the caller declares none: its file name.
fn default_key(display: &Path) -> String {
    display
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Reads an alias list. A missing file is an empty list (the caller checks existence).
pub fn load_aliases(path: &Path, display: &Path) -> Result<Aliases, InputError> {
    let key = default_key(display);
    let encoding = ListEncoding {
        declared: None,
        key: &key,
    };
    load_aliases_declared(path, display, encoding)
}

/// [`load_aliases`], decoded as `encoding` declares (`[inputs.encoding]`); undeclared 8-bit
/// text that looks like another encoding than Windows-1252 adds `DATA-ENCODING`.
pub fn load_aliases_declared(
    path: &Path,
    display: &Path,
    encoding: ListEncoding,
) -> Result<Aliases, InputError> {
    let unusable = |line: usize, message: String, fix: &str| {
        InputError::unusable(&Location::line(display, line), message, fix)
    };
    let Some((sha256, table, warning)) = read_list(path, display, encoding)? else {
        return Ok(Aliases::default());
    };
    let sha256 = Some(sha256);
    let findings = Vec::from_iter(warning);
    let Some(table) = table else {
        return Ok(Aliases {
            sha256,
            findings,
            ..Aliases::default()
        });
    };
    let header = Header::new(&table.rows[0]);
    let alias_column = header.find(&[
        "alias",
        "name",
        "displayname",
        "zoomname",
        "phone",
        "aliasname",
    ]);
    let id_column = header.find(&["attendeeid", "id", "registrationid"]);
    let (Some(alias_column), Some(id_column)) = (alias_column, id_column) else {
        return Err(unusable(
            header.line,
            "expected the header `alias,attendee_id`".into(),
            "make the first line `alias,attendee_id`, then one `<display name or phone>,<attendee id>` per line",
        ));
    };
    let mut aliases = Aliases {
        sha256,
        findings,
        ..Aliases::default()
    };
    for row in &table.rows[1..] {
        let (alias, id) = (row.cell(alias_column), row.cell(id_column));
        if alias.is_empty() && id.is_empty() {
            continue;
        }
        if alias.is_empty() || id.is_empty() {
            return Err(unusable(
                row.line,
                "an alias needs both a name (or phone) and an attendee id".into(),
                "fill in both cells or delete the line",
            ));
        }
        let key = alias_key(alias);
        if let Some(existing) = aliases.to_attendee.get(&key)
            && existing != id
        {
            let first = aliases
                .locations
                .get(&key)
                .and_then(|l| l.line)
                .unwrap_or(0);
            return Err(unusable(
                row.line,
                format!(
                    "alias `{}` points to {id}, but line {first} points it to {existing}",
                    shorten(alias, 60)
                ),
                "keep one line per alias; a name two people share needs each person's email or attendee id in the attendance file instead",
            ));
        }
        aliases.to_attendee.insert(key.clone(), id.to_string());
        aliases
            .locations
            .entry(key)
            .or_insert_with(|| Location::line(display, row.line));
    }
    Ok(aliases)
}

/// People whose attendance rows are not an attendee's and who need no certificate: the people
/// in the offering's `not-attendees.csv` (by email or name) and the `[[speaker]] email`s of
/// course.toml (by email). Rows of theirs that match nobody on the roster go to
/// [`super::Matched::not_attendees`] instead of being `DATA-UNMATCHED` (docs/attendance.md, "Hosts,
/// organizers and speakers").
#[derive(Debug, Clone, Default)]
pub struct NotAttendees {
    /// Why each listed person is not an attendee, as shown in the report.
    pub(super) reasons: Vec<String>,
    /// Where each listed person is written (`None` for a course.toml speaker).
    pub(super) locations: Vec<Option<Location>>,
    /// [`email_key`] -> index into `reasons`.
    pub(super) by_email: HashMap<String, usize>,
    /// [`normalize_name`] -> index into `reasons`.
    pub(super) by_name: HashMap<String, usize>,
    /// SHA-256 of `not-attendees.csv`, when there is one.
    pub sha256: Option<[u8; 32]>,
    /// Findings about the file itself (`DATA-ENCODING`).
    pub findings: Vec<Finding>,
}

impl NotAttendees {
    /// The file name, beside course.toml.
    pub const FILE: &str = "not-attendees.csv";

    /// Adds a `[[speaker]]` of course.toml by the email given for them.
    pub fn add_speaker(&mut self, name: &str, email: &str) {
        let key = email_key(email).into_owned();
        if key.is_empty() || self.by_email.contains_key(&key) {
            return;
        }
        self.by_email.insert(key, self.reasons.len());
        self.locations.push(None);
        self.reasons.push(format!(
            "speaker {} ([[speaker]] email in course.toml)",
            shorten(name, 60)
        ));
    }

    /// Reads `not-attendees.csv`: a header with a name column (Name, or First Name and Last
    /// Name, in any spelling the roster accepts) and/or an email column, and optionally a
    /// Reason (Note, Role) column; one person per row. A missing file is an empty list.
    pub fn load(path: &Path, display: &Path) -> Result<NotAttendees, InputError> {
        let encoding = ListEncoding {
            declared: None,
            key: Self::FILE,
        };
        Self::load_declared(path, display, encoding)
    }

    /// [`NotAttendees::load`], decoded as `encoding` declares (`[inputs.encoding]`); undeclared
    /// 8-bit text that looks like another encoding than Windows-1252 adds `DATA-ENCODING`.
    pub fn load_declared(
        path: &Path,
        display: &Path,
        encoding: ListEncoding,
    ) -> Result<NotAttendees, InputError> {
        let unusable = |line: usize, message: String, fix: &str| {
            InputError::unusable(&Location::line(display, line), message, fix)
        };
        let Some((sha256, table, warning)) = read_list(path, display, encoding)? else {
            return Ok(NotAttendees::default());
        };
        let sha256 = Some(sha256);
        let findings = Vec::from_iter(warning);
        let Some(table) = table else {
            return Ok(NotAttendees {
                sha256,
                findings,
                ..NotAttendees::default()
            });
        };
        let header = Header::new(&table.rows[0]);
        let columns = IdentityColumns::find(&header);
        let reason_column = header.find(&["reason", "note", "notes", "role", "why", "comment"]);
        if columns.name.is_none()
            && columns.first.is_none()
            && columns.last.is_none()
            && columns.email.is_none()
        {
            return Err(unusable(
                header.line,
                format!("no name or email column (found `{}`)", header.as_written()),
                "make the first line `name,email,reason`, then one person who is not an attendee (a host, organizer, speaker or staff member) per line, with their name as the attendance files show it and/or their email",
            ));
        }
        let mut list = NotAttendees {
            sha256,
            findings,
            ..NotAttendees::default()
        };
        for row in &table.rows[1..] {
            let who = columns.read(row);
            if who.name.is_none() && who.email.is_none() {
                return Err(unusable(
                    row.line,
                    "the row has neither a name nor an email".into(),
                    "write the person's name as the attendance files show it, or their email, or delete the line",
                ));
            }
            let reason = match row.get(reason_column) {
                "" => format!("listed in {} (line {})", Self::FILE, row.line),
                reason => format!(
                    "listed in {} (line {}): {}",
                    Self::FILE,
                    row.line,
                    shorten(reason, 120)
                ),
            };
            let index = list.reasons.len();
            list.reasons.push(reason);
            list.locations.push(Some(Location::line(display, row.line)));
            if let Some(email) = &who.email {
                list.by_email
                    .entry(email_key(email).into_owned())
                    .or_insert(index);
            }
            if let Some(name) = &who.name {
                list.by_name.entry(normalize_name(name)).or_insert(index);
            }
        }
        Ok(list)
    }

    /// Why `who` is not an attendee, when the list names them (by email, by name, or by the
    /// name before a Zoom `(...)`).
    pub fn reason(&self, who: &Identity) -> Option<&str> {
        let by_email = who
            .email
            .as_deref()
            .and_then(|email| self.by_email.get(email_key(email).as_ref()));
        let by_name = || {
            let name = who.name.as_deref()?;
            self.by_name.get(&normalize_name(name)).or_else(|| {
                let (before, _) = name.split_once(" (")?;
                self.by_name.get(&normalize_name(before))
            })
        };
        by_email
            .or_else(by_name)
            .map(|&index| self.reasons[index].as_str())
    }
}
