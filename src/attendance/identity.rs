//! Matching attendance rows to roster attendees: attendee id, then email (case-insensitive),
//! then the administrator's alias list (display name or phone -> attendee id), then the phone
//! number registered on the roster. Never by the spelling of a name alone.

use super::{FileAttendance, Identity, IngestError, Presence};
use crate::findings::{Finding, Location, Severity};
use crate::hours;
use crate::input::table::{self, Header};
use crate::input::text::{lowercase, shorten};
use crate::roster::Roster;
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// The administrator's alias list (`aliases.csv` beside the roster): display name or phone
/// number -> attendee id, for Zoom guests, dial-ins and sheets without an email column.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    /// Normalized alias (trimmed, case-folded name, or digits of a phone number) -> attendee id.
    pub to_attendee: BTreeMap<String, String>,
    pub sha256: Option<[u8; 32]>,
    /// Normalized alias -> where it is written (for findings about the alias itself).
    pub locations: BTreeMap<String, Location>,
}

/// A display name as compared through the alias list: Unicode NFC (so `José` typed with a
/// combining accent is `José`), trimmed, inner whitespace collapsed, and fully case-folded
/// (`STRASSE` and `straße` compare equal), then NFC again.
pub fn normalize_name(name: &str) -> String {
    let composed: String = name.nfc().collect();
    let spaced = composed.split_whitespace().collect::<Vec<_>>().join(" ");
    caseless::default_case_fold_str(&spaced).nfc().collect()
}

/// An email as compared: trimmed, Unicode NFC and lower-cased only. Full case folding would
/// merge addresses that are different mailboxes (`ß` and `ss`), so it is not applied.
pub fn email_key(email: &str) -> Cow<'_, str> {
    let email = email.trim();
    if email.is_ascii() {
        lowercase(email)
    } else {
        Cow::Owned(email.nfc().collect::<String>().to_lowercase())
    }
}

/// [`normalize_name`], borrowed when the name is already normalized (lower-case ASCII words
/// separated by single spaces).
pub fn normalized_name(name: &str) -> Cow<'_, str> {
    let bytes = name.as_bytes();
    let normal = name.is_ascii()
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !bytes.windows(2).any(|pair| pair == b"  ")
        && !bytes
            .iter()
            .any(|&b| b.is_ascii_uppercase() || (b != b' ' && char::from(b).is_whitespace()));
    if normal {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(normalize_name(name))
    }
}

/// The digits of a phone number, when it has at least 7 and nothing but phone punctuation.
pub fn phone_digits(text: &str) -> Option<String> {
    if !looks_like_phone(text) {
        return None;
    }
    Some(text.chars().filter(char::is_ascii_digit).collect())
}

/// True for text such as `+1 (403) 555-0199` or `14035550199`.
pub fn looks_like_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))
}

/// The last ten digits: the same number written with or without a country code.
fn phone_key(digits: &str) -> &str {
    &digits[digits.len().saturating_sub(10)..]
}

/// The key an alias is stored under: phone digits for a phone number, else the normalized name.
pub fn alias_key(alias: &str) -> String {
    match phone_digits(alias) {
        Some(digits) => phone_key(&digits).to_string(),
        None => normalize_name(alias),
    }
}

/// One CSV line (without its line end) holding `cells`, quoted where a cell needs it: the alias
/// line a message suggests must paste into aliases.csv as the same cells
/// (`"Okonkwo-Hale, Adaeze",<attendee id>`).
pub fn csv_line(cells: &[&str]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(cells);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

/// An administrator's list file (aliases.csv, not-attendees.csv), read: `None` when there is
/// no such file; else the SHA-256 of its bytes and its table (`None` when the file is empty).
type ListFile = Option<([u8; 32], Option<table::Table>)>;

/// Reads a list file (see [`ListFile`]); a workbook or unparsable CSV is unusable.
fn read_list(path: &Path, display: &Path) -> Result<ListFile, IngestError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(IngestError::Io {
                path: display.display().to_string(),
                source,
            });
        }
    };
    let sha256 = crate::sign::sha256(&bytes);
    match table::read_bytes(&bytes) {
        Ok(table) => Ok(Some((sha256, Some(table)))),
        Err(table::Unreadable::Empty) => Ok(Some((sha256, None))),
        Err(table::Unreadable::Spreadsheet(kind)) => Err(list_unusable(
            display,
            format!("the file is {kind}"),
            table::SAVE_AS_CSV,
        )),
        Err(table::Unreadable::Csv(message, line)) => Err(list_unusable(
            display,
            format!("line {line}: the CSV cannot be parsed ({message})"),
            "check the quoting on that line",
        )),
    }
}

/// A list file that cannot be used, with the fix.
fn list_unusable(display: &Path, message: String, fix: &str) -> IngestError {
    IngestError::Unusable {
        path: display.display().to_string(),
        message,
        fix: crate::input::text::capitalized(fix),
    }
}

/// Reads an alias list. A missing file is an empty list (the caller checks existence).
pub fn load_aliases(path: &Path, display: &Path) -> Result<Aliases, IngestError> {
    let unusable = |message: String, fix: &str| list_unusable(display, message, fix);
    let Some((sha256, table)) = read_list(path, display)? else {
        return Ok(Aliases::default());
    };
    let sha256 = Some(sha256);
    let Some(table) = table else {
        return Ok(Aliases {
            sha256,
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
            format!(
                "line {}: expected the header `alias,attendee_id`",
                header.line
            ),
            "make the first line `alias,attendee_id`, then one `<display name or phone>,<attendee id>` per line",
        ));
    };
    let mut aliases = Aliases {
        sha256,
        ..Aliases::default()
    };
    for row in &table.rows[1..] {
        let (alias, id) = (row.cell(alias_column), row.cell(id_column));
        if alias.is_empty() && id.is_empty() {
            continue;
        }
        if alias.is_empty() || id.is_empty() {
            return Err(unusable(
                format!(
                    "line {}: an alias needs both a name (or phone) and an attendee id",
                    row.line
                ),
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
                format!(
                    "line {}: alias `{}` points to {id}, but line {first} points it to {existing}",
                    row.line,
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
/// [`Matched::not_attendees`] instead of being `DATA-UNMATCHED` (docs/attendance.md, "Hosts,
/// organizers and speakers").
#[derive(Debug, Clone, Default)]
pub struct NotAttendees {
    /// Why each listed person is not an attendee, as shown in the report.
    reasons: Vec<String>,
    /// Where each listed person is written (`None` for a course.toml speaker).
    locations: Vec<Option<Location>>,
    /// [`email_key`] -> index into `reasons`.
    by_email: HashMap<String, usize>,
    /// [`normalize_name`] -> index into `reasons`.
    by_name: HashMap<String, usize>,
    /// SHA-256 of `not-attendees.csv`, when there is one.
    pub sha256: Option<[u8; 32]>,
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
    pub fn load(path: &Path, display: &Path) -> Result<NotAttendees, IngestError> {
        let unusable = |message: String, fix: &str| list_unusable(display, message, fix);
        let Some((sha256, table)) = read_list(path, display)? else {
            return Ok(NotAttendees::default());
        };
        let sha256 = Some(sha256);
        let Some(table) = table else {
            return Ok(NotAttendees {
                sha256,
                ..NotAttendees::default()
            });
        };
        let header = Header::new(&table.rows[0]);
        let columns = super::IdentityColumns::find(&header);
        let reason_column = header.find(&["reason", "note", "notes", "role", "why", "comment"]);
        if columns.name.is_none()
            && columns.first.is_none()
            && columns.last.is_none()
            && columns.email.is_none()
        {
            return Err(unusable(
                format!(
                    "line {}: no name or email column (found `{}`)",
                    header.line,
                    super::found_columns(&header)
                ),
                "make the first line `name,email,reason`, then one person who is not an attendee (a host, organizer, speaker or staff member) per line, with their name as the attendance files show it and/or their email",
            ));
        }
        let mut list = NotAttendees {
            sha256,
            ..NotAttendees::default()
        };
        for row in &table.rows[1..] {
            let who = columns.read(row);
            if who.name.is_none() && who.email.is_none() {
                return Err(unusable(
                    format!("line {}: the row has neither a name nor an email", row.line),
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

/// Attendance rows of someone who is not an attendee (a host, organizer, speaker, or a person
/// in not-attendees.csv), grouped by who they say they are. They block nothing.
#[derive(Debug, Clone)]
pub struct NotAttendee {
    pub who: Identity,
    /// Why they are not an attendee: `marked organizer in the export`, `speaker ...`,
    /// `listed in not-attendees.csv (line 2): ...`.
    pub reason: String,
    /// Instructional minutes of these rows (never credited to anyone).
    pub minutes: i64,
    pub locations: Vec<Location>,
}

/// Attendance rows that matched nobody, grouped by who they say they are.
#[derive(Debug, Clone)]
pub struct Unmatched {
    pub who: Identity,
    /// Instructional minutes these rows would carry if matched.
    pub minutes: i64,
    pub locations: Vec<Location>,
}

/// One interval during which a matched attendee was present (from one attendance row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attended {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The result of matching all attendance files against the roster.
#[derive(Debug, Clone, Default)]
pub struct Matched {
    /// Attendee id -> that person's presence intervals from every file.
    pub by_attendee: BTreeMap<String, Vec<Attended>>,
    pub unmatched: Vec<Unmatched>,
    /// Rows of hosts, organizers, speakers and people in not-attendees.csv that match nobody
    /// on the roster: reported, blocking nothing.
    pub not_attendees: Vec<NotAttendee>,
    /// Unmatched-row findings plus every file's row findings, with `attendee` filled in.
    pub findings: Vec<Finding>,
}

/// Looks identities up in the roster and the alias list. Lookups only, so hash maps; ids and
/// emails (the roster's and each row's) are lower-cased without copying when they already are.
struct Directory<'a> {
    ids: HashMap<Cow<'a, str>, &'a str>,
    emails: HashMap<Cow<'a, str>, &'a str>,
    phones: HashMap<String, &'a str>,
    aliases: &'a Aliases,
}

impl<'a> Directory<'a> {
    fn new(roster: &'a Roster, aliases: &'a Aliases) -> Self {
        let mut directory = Directory {
            ids: HashMap::with_capacity(roster.attendees.len()),
            emails: HashMap::with_capacity(roster.attendees.len()),
            phones: HashMap::new(),
            aliases,
        };
        for attendee in &roster.attendees {
            let id = attendee.id();
            directory.ids.insert(lowercase(attendee.id().trim()), id);
            let email = email_key(attendee.email());
            if !email.is_empty() {
                directory.emails.entry(email).or_insert(id);
            }
            if let Some(digits) = phone_digits(attendee.phone().trim()) {
                directory
                    .phones
                    .entry(phone_key(&digits).to_string())
                    .or_insert(id);
            }
        }
        directory
    }

    fn id(&self, text: &str) -> Option<&'a str> {
        self.ids.get(lowercase(text.trim()).as_ref()).copied()
    }

    fn email(&self, text: &str) -> Option<&'a str> {
        self.emails.get(email_key(text).as_ref()).copied()
    }

    /// A row whose attendee id and email name two different roster attendees: matched by the
    /// id (ids are keys), and reported, since one of the two is a typo.
    fn conflict(&self, who: &Identity, file: &Path, line: usize) -> Option<Finding> {
        let by_id = self.id(who.attendee_id.as_deref()?)?;
        let email = who.email.as_deref()?;
        let by_email = self.email(email)?;
        if by_email == by_id {
            return None;
        }
        Some(Finding::attendee(
            "DATA-IDENTITY-CONFLICT",
            Severity::Error,
            Some(by_id.to_string()),
            format!(
                "{}: attendee id {by_id} and email <{}> belong to two different roster attendees ({by_id} and {by_email}); the row was counted for {by_id}",
                who.describe(),
                shorten(email, 80)
            ),
            Some(Location::line(file, line)),
            "correct the attendee id or the email so both name the same person",
        ))
    }

    /// attendee id, then email, then alias (name, the name before a Zoom "(...)", email or
    /// phone), then the roster's phone numbers.
    fn find(&self, who: &Identity) -> Option<&'a str> {
        if let Some(id) = who.attendee_id.as_deref().and_then(|id| self.id(id)) {
            return Some(id);
        }
        if let Some(id) = who.email.as_deref().and_then(|email| self.email(email)) {
            return Some(id);
        }
        let mut keys = Vec::new();
        if let Some(name) = &who.name {
            keys.push(alias_key(name));
            if let Some((before, _)) = name.split_once(" (") {
                keys.push(alias_key(before));
            }
        }
        if let Some(email) = &who.email {
            keys.push(normalize_name(email));
        }
        if let Some(phone) = &who.phone {
            keys.push(alias_key(phone));
        }
        for key in &keys {
            if let Some(id) = self.aliases.to_attendee.get(key).and_then(|id| self.id(id)) {
                return Some(id);
            }
        }
        let digits = who.phone.as_deref().and_then(phone_digits)?;
        self.phones.get(phone_key(&digits)).copied()
    }
}

/// Matches every presence to a roster attendee. `blocks` are the instruction blocks (UTC),
/// used to tell how many minutes an unmatched name would carry.
pub fn match_attendance(
    roster: &Roster,
    aliases: &Aliases,
    files: &[FileAttendance],
    blocks: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Matched {
    let mut matcher = Matcher::new(roster, aliases);
    for file in files {
        matcher.add_rows(file, file.presences.clone(), file.row_findings.clone());
    }
    matcher.finish(blocks)
}

/// A row that matched nobody, kept (with its file and line) for the `DATA-UNMATCHED` finding.
struct UnmatchedRow {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    source: Location,
}

/// [`match_attendance`] one file at a time: [`Matcher::add`] moves a file's presences to their
/// attendees as soon as the file is read, so a long offering never holds every file's rows
/// (each with its identity and source) at once.
pub struct Matcher<'a> {
    directory: Directory<'a>,
    findings: Vec<Finding>,
    /// Keyed by the roster's own id strings while matching; ordered once in `finish`.
    by_attendee: HashMap<&'a str, Vec<Attended>>,
    /// Unmatched rows (start, end, where), grouped by the identity key, in first-seen order.
    unmatched: Vec<(Identity, Vec<UnmatchedRow>)>,
    unmatched_index: HashMap<String, usize>,
    /// The not-attendee list, when the offering has one (see [`Matcher::with_not_attendees`]).
    not_attendee_list: Option<&'a NotAttendees>,
    /// Rows of not-attendees, grouped by (identity key, reason), in first-seen order.
    not_attendees: Vec<(Identity, String, Vec<UnmatchedRow>)>,
    not_attendees_index: HashMap<(String, String), usize>,
}

impl<'a> Matcher<'a> {
    pub fn new(roster: &'a Roster, aliases: &'a Aliases) -> Self {
        let directory = Directory::new(roster, aliases);
        let mut findings = Vec::new();
        for (alias, id) in &aliases.to_attendee {
            if directory.id(id).is_none() {
                findings.push(Finding::attendee(
                    "DATA-ALIAS-UNKNOWN",
                    Severity::Error,
                    None,
                    format!(
                        "alias `{}` points to attendee id `{}`, which is not on the roster",
                        shorten(alias, 60),
                        shorten(id, 40)
                    ),
                    aliases.locations.get(alias).cloned(),
                    "correct the attendee id (it must be one of the roster's attendee_id values)",
                ));
            }
        }
        Matcher {
            directory,
            findings,
            by_attendee: HashMap::with_capacity(roster.attendees.len()),
            unmatched: Vec::new(),
            unmatched_index: HashMap::new(),
            not_attendee_list: None,
            not_attendees: Vec::new(),
            not_attendees_index: HashMap::new(),
        }
    }

    /// Sends the rows of the people in `list` that match nobody on the roster to the
    /// not-attendees instead of the unmatched.
    ///
    /// A listed email that is a roster attendee's is a `DATA-NOT-ATTENDEE` warning: the roster
    /// comes first, so that person's rows are still credited, which may not be what the list
    /// meant.
    pub fn with_not_attendees(mut self, list: &'a NotAttendees) -> Self {
        self.not_attendee_list = Some(list);
        let mut registered: Vec<(usize, &str, &'a str)> = list
            .by_email
            .iter()
            .filter_map(|(email, &index)| {
                Some((index, email.as_str(), self.directory.email(email)?))
            })
            .collect();
        registered.sort_unstable();
        for (index, email, id) in registered {
            self.findings.push(Finding::attendee(
                "DATA-NOT-ATTENDEE",
                Severity::Warning,
                Some(id.to_string()),
                format!(
                    "<{}> is registered on the roster as {id} but is {}; rows that match the roster are credited to {id}",
                    shorten(email, 80),
                    list.reasons[index]
                ),
                list.locations[index].clone(),
                "if they are not an attendee, remove them from the roster; if they are, remove them from not-attendees.csv (or remove the [[speaker]] email)",
            ));
        }
        self
    }

    /// Why an unmatched presence is not an attendee's, if it is not: the list first (the
    /// administrator's word), then the role the export gives the row.
    fn not_attendee_reason(&self, who: &Identity, role: Option<super::Role>) -> Option<String> {
        if let Some(reason) = self.not_attendee_list.and_then(|list| list.reason(who)) {
            return Some(reason.to_string());
        }
        role.map(|role| format!("marked {} in the export", role.name()))
    }

    /// Matches one file, taking its presences and row findings (the file keeps its
    /// file-level findings and hash).
    pub fn add(&mut self, file: &mut FileAttendance) {
        let presences = std::mem::take(&mut file.presences);
        let row_findings = std::mem::take(&mut file.row_findings);
        self.add_rows(file, presences, row_findings);
    }

    /// Matches `presences` and attributes `row_findings`, read from `file` (which supplies
    /// the file's own findings).
    fn add_rows(
        &mut self,
        file: &FileAttendance,
        presences: Vec<Presence>,
        row_findings: Vec<(Identity, Finding)>,
    ) {
        let directory = &self.directory;
        self.findings.extend(file.findings.iter().cloned());
        // Looked for before the presences move to their attendees.
        let conflicts: Vec<Finding> = presences
            .iter()
            .filter_map(|presence| {
                directory.conflict(&presence.who, &file.display_path, presence.line)
            })
            .collect();
        // Identities whose rows turn out to be a not-attendee's: their row findings (a host's
        // odd leave time, say) concern nobody who needs a certificate and are dropped.
        let mut not_attendee_keys: HashSet<String> = HashSet::new();
        for presence in presences {
            if let Some(id) = directory.find(&presence.who) {
                self.by_attendee.entry(id).or_default().push(Attended {
                    start: presence.start,
                    end: presence.end,
                });
                continue;
            }
            let key = presence.who.key();
            let row = UnmatchedRow {
                start: presence.start,
                end: presence.end,
                source: Location::line(&file.display_path, presence.line),
            };
            if let Some(reason) = self.not_attendee_reason(&presence.who, presence.role) {
                not_attendee_keys.insert(key.clone());
                let group = (key, reason);
                match self.not_attendees_index.get(&group) {
                    Some(&i) => self.not_attendees[i].2.push(row),
                    None => {
                        self.not_attendees_index
                            .insert(group.clone(), self.not_attendees.len());
                        self.not_attendees.push((presence.who, group.1, vec![row]));
                    }
                }
                continue;
            }
            match self.unmatched_index.get(&key) {
                Some(&i) => self.unmatched[i].1.push(row),
                None => {
                    self.unmatched_index.insert(key, self.unmatched.len());
                    self.unmatched.push((presence.who, vec![row]));
                }
            }
        }
        self.findings.extend(conflicts);
        for (who, mut finding) in row_findings {
            finding.attendee = directory.find(&who).map(str::to_string);
            if finding.attendee.is_none()
                && (not_attendee_keys.contains(&who.key())
                    || self
                        .not_attendee_list
                        .is_some_and(|list| list.reason(&who).is_some()))
            {
                continue;
            }
            self.findings.push(finding);
        }
    }

    /// Reports the unmatched names (`blocks` as for [`match_attendance`]) and hands over the
    /// result.
    pub fn finish(self, blocks: &[(DateTime<Utc>, DateTime<Utc>)]) -> Matched {
        let mut matched = Matched {
            findings: self.findings,
            ..Matched::default()
        };
        let mut by_attendee: Vec<(&str, Vec<Attended>)> = self.by_attendee.into_iter().collect();
        by_attendee.sort_unstable_by_key(|(id, _)| *id);
        matched.by_attendee = by_attendee
            .into_iter()
            .map(|(id, intervals)| (id.to_string(), intervals))
            .collect();
        let blocks = hours::union(blocks.to_vec());
        for (who, reason, rows) in self.not_attendees {
            let minutes = hours::credited_minutes(rows.iter().map(|p| (p.start, p.end)), &blocks);
            matched.not_attendees.push(NotAttendee {
                who,
                reason,
                minutes,
                locations: rows.into_iter().map(|p| p.source).collect(),
            });
        }
        for (who, presences) in self.unmatched {
            let minutes =
                hours::credited_minutes(presences.iter().map(|p| (p.start, p.end)), &blocks);
            let locations: Vec<Location> = presences.into_iter().map(|p| p.source).collect();
            let shown: Vec<String> = locations.iter().take(8).map(ToString::to_string).collect();
            let more = if locations.len() > 8 {
                format!(" and {} more", locations.len() - 8)
            } else {
                String::new()
            };
            let label = who
                .name
                .clone()
                .or_else(|| who.email.clone())
                .or_else(|| who.phone.clone())
                .or_else(|| who.attendee_id.clone())
                .unwrap_or_default();
            let message = format!(
                "{} matches nobody on the roster (no matching attendee id, email or alias); these rows would carry {minutes} instructional minutes: {}{more}",
                who.describe(),
                shown.join(", ")
            );
            let fix = format!(
                "add `{}` to aliases.csv (or correct the email or attendee id in the attendance file); if this is not an attendee (a host, staff, an observer), list them in not-attendees.csv beside course.toml",
                csv_line(&[&shorten(&label, 80), "<attendee id>"])
            );
            matched.findings.push(Finding::attendee(
                "DATA-UNMATCHED",
                Severity::Error,
                None,
                message,
                locations.first().cloned(),
                fix,
            ));
            matched.unmatched.push(Unmatched {
                who,
                minutes,
                locations,
            });
        }
        matched
    }
}
