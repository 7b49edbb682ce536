//! Matching attendance rows to roster attendees: attendee id, then email (case-insensitive),
//! then the administrator's alias list (display name or phone -> attendee id), then the phone
//! number registered on the roster. Never by the spelling of a name alone.

use super::table::{self, Header};
use super::{FileAttendance, Identity, IngestError, Presence, lowercase};
use crate::findings::{Finding, Location, Severity};
use crate::hours;
use crate::roster::Roster;
use chrono::{DateTime, Utc};
use std::borrow::Cow;
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
}

/// A display name as compared through the alias list: trimmed, inner whitespace collapsed,
/// case-folded.
pub fn normalize_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
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

/// Reads an alias list. A missing file is an empty list (the caller checks existence).
pub fn load_aliases(path: &Path, display: &Path) -> Result<Aliases, IngestError> {
    let shown = display.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Aliases::default()),
        Err(source) => {
            return Err(IngestError::Io {
                path: shown,
                source,
            });
        }
    };
    let unusable = |message: String, fix: &str| IngestError::Unusable {
        path: shown.clone(),
        message,
        fix: crate::attendance::capitalized(fix),
    };
    let sha256 = Some(crate::sign::sha256(&bytes));
    let table = match table::read_bytes(&bytes) {
        Ok(table) => table,
        Err(table::Unreadable::Empty) => {
            return Ok(Aliases {
                sha256,
                ..Aliases::default()
            });
        }
        Err(table::Unreadable::Spreadsheet(kind)) => {
            return Err(unusable(format!("the file is {kind}"), table::SAVE_AS_CSV));
        }
        Err(table::Unreadable::Csv(message, line)) => {
            return Err(unusable(
                format!("line {line}: the CSV cannot be parsed ({message})"),
                "check the quoting on that line",
            ));
        }
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
                    super::shorten(alias, 60)
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
            let email = lowercase(attendee.email().trim());
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
        self.emails.get(lowercase(text.trim()).as_ref()).copied()
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
                super::shorten(email, 80)
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
                        super::shorten(alias, 60),
                        super::shorten(id, 40)
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
        }
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
        for presence in presences {
            match directory.find(&presence.who) {
                Some(id) => self.by_attendee.entry(id).or_default().push(Attended {
                    start: presence.start,
                    end: presence.end,
                }),
                None => {
                    let key = presence.who.key();
                    let row = UnmatchedRow {
                        start: presence.start,
                        end: presence.end,
                        source: Location::line(&file.display_path, presence.line),
                    };
                    match self.unmatched_index.get(&key) {
                        Some(&i) => self.unmatched[i].1.push(row),
                        None => {
                            self.unmatched_index.insert(key, self.unmatched.len());
                            self.unmatched.push((presence.who, vec![row]));
                        }
                    }
                }
            }
        }
        self.findings.extend(conflicts);
        for (who, mut finding) in row_findings {
            finding.attendee = directory.find(&who).map(str::to_string);
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
                "add `{},<attendee id>` to aliases.csv (or correct the email or attendee id in the attendance file)",
                super::shorten(&label, 80)
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
