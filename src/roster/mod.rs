//! The registration roster (`roster.csv` beside `course.toml`): who registered, for which
//! bodies' credit, with the details each body needs on a certificate or in a report.
//!
//! Format: docs/attendance.md ("The roster").

mod attendee;
mod columns;

pub use attendee::{Address, Attendee, Field};

use crate::catalogue::ids;
use crate::findings::{Finding, Location, Severity};
use crate::input::InputError;
use crate::input::error::TableFixes;
use crate::input::table::{self, Header, Row};
use crate::input::text::{email_key, lowercase, shorten};
use columns::RosterColumns;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// An accrediting body whose credit an attendee can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Body {
    #[serde(rename = "ASHA")]
    Asha,
    #[serde(rename = "NCBTMB")]
    Ncbtmb,
    #[serde(rename = "AOTA")]
    Aota,
    #[serde(rename = "IACET")]
    Iacet,
    /// A physical-therapy licensing board (state given by the attendee's licence state).
    #[serde(rename = "PT")]
    Pt,
}

impl Body {
    pub const ALL: [Body; 5] = [Body::Asha, Body::Ncbtmb, Body::Aota, Body::Iacet, Body::Pt];

    pub fn name(self) -> &'static str {
        match self {
            Body::Asha => "ASHA",
            Body::Ncbtmb => "NCBTMB",
            Body::Aota => "AOTA",
            Body::Iacet => "IACET",
            Body::Pt => "PT",
        }
    }

    /// Parses a body name as written in a roster's credit column (case-insensitive).
    pub fn parse(text: &str) -> Option<Body> {
        match text.trim().to_ascii_uppercase().as_str() {
            "ASHA" => Some(Body::Asha),
            "NCBTMB" => Some(Body::Ncbtmb),
            "AOTA" => Some(Body::Aota),
            "IACET" => Some(Body::Iacet),
            "PT" => Some(Body::Pt),
            _ => None,
        }
    }
}

/// ASHA's eligibility categories for earning ASHA CEUs (compliance.md §1.4, ASHA-ELIG-2 [S37]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AshaEligibility {
    Member,
    Ccc,
    LicensedSlpAud,
    CredentialedSlpAud,
    ClinicalFellow,
    StudentSlpAud,
    /// None of the above (e.g. a massage therapist, OT or PT with no SLP/AUD credential).
    NotEligible,
}

impl AshaEligibility {
    pub fn is_eligible(self) -> bool {
        self != AshaEligibility::NotEligible
    }
}

/// The whole roster, in file order, with the problems found while reading it.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub attendees: Vec<Attendee>,
    /// Row-level problems (duplicate emails, unreadable values): findings, not failures.
    pub findings: Vec<Finding>,
    /// SHA-256 of the exact file bytes (recorded in the certificate record).
    pub sha256: [u8; 32],
    /// The roster file as shown in messages.
    pub path: PathBuf,
    /// The sheet the attendees were read from, when the roster is a workbook.
    pub sheet: Option<String>,
}

impl Roster {
    /// Where `attendee`'s row is (in a workbook, the row of its sheet).
    pub fn location(&self, attendee: &Attendee) -> Location {
        Location::line(&self.path, attendee.line).in_sheet(self.sheet.as_deref())
    }
}

/// The input layer's error, under the name the roster has always used for it (the tests and
/// `offering` name it so).
pub use crate::input::InputError as RosterError;

/// Reads `path` (see docs/attendance.md). `display` is the path to print in messages.
pub fn load(path: &Path, display: &Path) -> Result<Roster, InputError> {
    load_declared(path, display, None)
}

/// [`load`], decoding a text file as `declared` when the course record declares its encoding
/// (`[inputs.encoding]`, docs/course-record.md).
pub fn load_declared(
    path: &Path,
    display: &Path,
    declared: Option<&'static encoding_rs::Encoding>,
) -> Result<Roster, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Io {
        path: display.display().to_string(),
        what: Some("roster"),
        source,
    })?;
    parse_declared(&bytes, display, declared)
}

/// Reads a roster from its bytes (what [`load`] does after reading the file). Errors: the bytes
/// are no table, a required column (attendee id, a name, email) is missing, or an attendee id
/// is empty or used twice; every other problem is a finding.
pub fn parse(bytes: &[u8], display: &Path) -> Result<Roster, InputError> {
    parse_declared(bytes, display, None)
}

/// [`parse`] with the declared encoding of a text file. A workbook (.xlsx, .xls, .ods) is read
/// from the first sheet whose first row is a roster header; its findings and errors name the
/// sheet and cell. Undeclared 8-bit text that looks like another encoding than Windows-1252
/// adds `DATA-ENCODING` (a warning).
pub fn parse_declared(
    bytes: &[u8],
    display: &Path,
    declared: Option<&'static encoding_rs::Encoding>,
) -> Result<Roster, InputError> {
    let fixes = TableFixes {
        called: "roster",
        empty: "export the registration list again as CSV, with a header row and one row per attendee",
        csv: TableFixes::CSV_FROM_EXCEL,
    };
    let tables = crate::input::read_tables(bytes, declared)
        .map_err(|problem| InputError::unreadable(display, problem, fixes))?;
    let (table, header, c) = roster_sheet(&tables, display)?;
    let sheet = table.sheet.as_deref();
    let mut roster = read_rows(table, &header, &c, display).map_err(|e| e.in_sheet(sheet))?;
    roster.sha256 = crate::sign::sha256(bytes);
    if sheet.is_some() {
        for location in roster
            .findings
            .iter_mut()
            .filter_map(|f| f.location.as_mut())
        {
            if location.file == display {
                location.sheet = sheet.map(Box::from);
            }
        }
        roster.sheet = sheet.map(str::to_string);
    }
    if let Some(likelier) = table.likelier {
        let key = display.file_name().unwrap_or_default().to_string_lossy();
        let finding = crate::input::encoding::finding(bytes, display, &key, likelier);
        roster.findings.push(finding);
    }
    Ok(roster)
}

/// The table (a workbook's first sheet whose first row is a roster header; a text file's only
/// table), its header and columns. Errors: no table has the required columns (the error is
/// the first table's).
fn roster_sheet<'t>(
    tables: &'t [table::Table],
    display: &Path,
) -> Result<(&'t table::Table, Header, RosterColumns), InputError> {
    let mut first_error = None;
    for table in tables {
        let header = Header::new(&table.rows[0]);
        match RosterColumns::find(&header, display) {
            Ok(c) => return Ok((table, header, c)),
            Err(error) => {
                first_error.get_or_insert(error.in_sheet(table.sheet.as_deref()));
            }
        }
    }
    Err(first_error.expect("read_tables gives at least one table"))
}

/// The attendees of `table` under `header` (its first row).
fn read_rows(
    table: &table::Table,
    header: &Header,
    c: &RosterColumns,
    display: &Path,
) -> Result<Roster, InputError> {
    let rows = &table.rows[1..];
    let mut roster = Roster {
        path: display.to_path_buf(),
        attendees: Vec::with_capacity(rows.len()),
        ..Roster::default()
    };
    if rows.is_empty() {
        // Before class: the course record alone is checked; issuing refuses an empty roster.
        roster.findings.push(Finding::offering(
            ids::DATA_ROSTER_EMPTY.as_str(),
            Severity::Warning,
            format!(
                "the roster has a header row (line {}) but no attendees yet: only the course record was checked",
                header.line
            ),
            Some(Location::line(display, header.line)),
            "after registration closes, paste the registration export under the header row",
        ));
        return Ok(roster);
    }
    // Lower-case id -> line, borrowed from the table where lower-casing changes nothing.
    let mut ids: HashMap<Cow<str>, usize> = HashMap::with_capacity(rows.len());
    for row in rows {
        let attendee = read_attendee(row, c, header, display, &mut ids, &mut roster.findings)?;
        roster.attendees.push(attendee);
    }
    duplicate_emails(&mut roster, display, c.email);
    Ok(roster)
}

/// One roster row as an attendee, its details read ([`read_details`]) and its cells checked for
/// control characters. `ids` holds the ids read so far (lower-cased) with their lines. Errors:
/// the attendee id is empty or already used.
fn read_attendee<'a>(
    row: &'a Row,
    c: &RosterColumns,
    header: &Header,
    display: &Path,
    ids: &mut HashMap<Cow<'a, str>, usize>,
    findings: &mut Vec<Finding>,
) -> Result<Attendee, InputError> {
    let unusable = |message: String, fix: &str| {
        InputError::unusable(&Location::line(display, row.line), message, fix)
    };
    let attendee_id = row.cell(c.id);
    if attendee_id.is_empty() {
        return Err(unusable(
            "the attendee_id is empty".into(),
            "give every attendee a registration id (ids are how attendance, findings and certificates refer to people)",
        ));
    }
    if let Some(first_line) = ids.insert(lowercase(attendee_id), row.line) {
        return Err(unusable(
            format!(
                "attendee_id `{}` is also used on line {first_line}",
                shorten(attendee_id, 40)
            ),
            "give each attendee a unique attendee_id (ids are keys: attendance and certificates refer to them)",
        ));
    }
    let (first_name, last_name) = match (c.first, c.last) {
        (None, None) => (row.get(c.name), ""),
        _ => (row.get(c.first), row.get(c.last)),
    };
    // In `Field` order.
    let mut attendee = Attendee::new(
        [
            attendee_id,
            first_name,
            last_name,
            row.cell(c.email),
            row.get(c.phone),
            row.get(c.street),
            row.get(c.city),
            row.get(c.region),
            row.get(c.postal),
            row.get(c.country),
            row.get(c.profession),
            row.get(c.credential),
            row.get(c.license_number),
            row.get(c.license_state),
            row.get(c.asha_account),
        ],
        row.line,
    );
    read_details(&mut attendee, row, c, header, display, findings);
    if let Some(finding) = control_characters(&attendee, row, header, display) {
        findings.push(finding);
    }
    Ok(attendee)
}

/// Credit, assessment and eligibility: values that can be wrong without making the file
/// unusable, so a bad one is an attendee-level finding.
fn read_details(
    a: &mut Attendee,
    row: &Row,
    c: &RosterColumns,
    header: &Header,
    display: &Path,
    findings: &mut Vec<Finding>,
) {
    let at = |column: usize| Some(Location::line(display, row.line).with_column(column + 1));
    let column_name = |column: usize| header.names.get(column).cloned().unwrap_or_default();
    if let Some(column) = c.credit {
        for word in row
            .cell(column)
            .split([';', ',', '|', ' ', '/', '\t'])
            .filter(|w| !w.trim().is_empty())
        {
            match Body::parse(word) {
                Some(body) if !a.credit_requested.contains(&body) => a.credit_requested.push(body),
                Some(_) => {}
                None => findings.push(Finding::attendee(
                    ids::DATA_CREDIT.as_str(),
                    Severity::Error,
                    Some(a.id().to_string()),
                    format!("{}: credit `{}` names no body ceu knows; expected ASHA, NCBTMB, AOTA, IACET or PT", a.display_name(), shorten(word, 40)),
                    at(column),
                    "correct the body name in the credit column (separate several with `;`)",
                )),
            }
        }
        a.credit_requested.sort();
    }
    if let Some(column) = c.assessment {
        let text = row.cell(column);
        a.assessment_stated = !text.is_empty();
        match yes_no(text) {
            Some(done) => a.assessment_completed = done,
            None => findings.push(Finding::attendee(
                ids::DATA_VALUE.as_str(),
                Severity::Error,
                Some(a.id().to_string()),
                format!(
                    "{}: {} `{}` is not yes or no",
                    a.display_name(),
                    column_name(column),
                    shorten(text, 40)
                ),
                at(column),
                "write yes or no (also accepted: y/n, true/false, 1/0, x, or blank for no)",
            )),
        }
    }
    a.asha_eligibility = eligibility_from_profession(a.profession());
    if let Some(column) = c.eligibility {
        let text = row.cell(column);
        if !text.is_empty() {
            match parse_eligibility(text) {
                Some(eligibility) => a.asha_eligibility = eligibility,
                None => findings.push(Finding::attendee(
                    ids::DATA_VALUE.as_str(),
                    Severity::Error,
                    Some(a.id().to_string()),
                    format!("{}: asha_eligibility `{}` is not a category ceu knows", a.display_name(), shorten(text, 40)),
                    at(column),
                    "write one of member, ccc, licensed, credentialed, cf, student, none (or leave it blank to derive it from the profession)",
                )),
            }
        }
    }
}

/// DATA-CONTROL-CHARACTER: a cell holding a control character (U+0000–U+001F, U+007F–U+009F:
/// a stray ESC, bell, backspace or line break pasted from another program) cannot be printed
/// on a PDF/A certificate, and `issue` would fail on it. An attendee-level error at the first
/// such cell (roster file, line, column), so `check` holds back exactly that attendee and
/// `issue` issues everyone else.
fn control_characters(a: &Attendee, row: &Row, header: &Header, display: &Path) -> Option<Finding> {
    let (column, bad) = row
        .cells()
        .enumerate()
        .find_map(|(column, cell)| Some((column, cell.chars().find(|c| c.is_control())?)))?;
    let column_name = header.names.get(column).cloned().unwrap_or_default();
    Some(Finding::attendee(
        ids::DATA_CONTROL_CHARACTER.as_str(),
        Severity::Error,
        Some(a.id().to_string()),
        format!(
            "{}: {column_name} holds the invisible control character U+{:04X}, which cannot be printed on a certificate",
            a.id(),
            bad as u32
        ),
        Some(Location::line(display, row.line).with_column(column + 1)),
        format!(
            "retype the {column_name} of {} in the roster without the pasted control character",
            a.id()
        ),
    ))
}

/// yes/no/y/n/true/false/1/0/x, blank = no.
fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" | "✓" | "done" | "completed" => Some(true),
        "no" | "n" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

fn parse_eligibility(text: &str) -> Option<AshaEligibility> {
    match table::normalize_header(text).as_str() {
        "member" | "ashamember" => Some(AshaEligibility::Member),
        "ccc" => Some(AshaEligibility::Ccc),
        "licensed" | "licensedslpaud" => Some(AshaEligibility::LicensedSlpAud),
        "credentialed" | "credentialedslpaud" => Some(AshaEligibility::CredentialedSlpAud),
        "cf" | "clinicalfellow" => Some(AshaEligibility::ClinicalFellow),
        "student" | "studentslpaud" => Some(AshaEligibility::StudentSlpAud),
        "none" | "noteligible" | "no" => Some(AshaEligibility::NotEligible),
        _ => None,
    }
}

/// ASHA eligibility implied by a profession code when the roster has no eligibility column:
/// SLPs and audiologists (licensed or certified), clinical fellows and SLP/AUD students are
/// eligible; everyone else (LMT, OT, OTA, PT, PTA, SLPA, ...) is not (compliance.md §1.4).
pub fn eligibility_from_profession(profession: &str) -> AshaEligibility {
    let code: String = profession
        .trim()
        .to_uppercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect();
    match code.as_str() {
        "SLP"
        | "AUD"
        | "CCC-SLP"
        | "CCC-A"
        | "CCC-AUD"
        | "AUDIOLOGIST"
        | "SPEECH-LANGUAGE-PATHOLOGIST" => AshaEligibility::LicensedSlpAud,
        "CF" | "CF-SLP" | "SLP-CF" | "CFY" | "CF-AUD" => AshaEligibility::ClinicalFellow,
        _ if code.contains("STUDENT") && (code.contains("SLP") || code.contains("AUD")) => {
            AshaEligibility::StudentSlpAud
        }
        _ => AshaEligibility::NotEligible,
    }
}

/// Two roster rows with one email (case-insensitive): one `DATA-DUP-EMAIL` per row, each naming
/// the other rows' lines.
fn duplicate_emails(roster: &mut Roster, display: &Path, email_column: usize) {
    // Almost always none: one pass to find out without building the map below.
    let mut seen = HashSet::with_capacity(roster.attendees.len());
    let any_shared = roster.attendees.iter().any(|attendee| {
        let email = email_key(attendee.email());
        !email.is_empty() && !seen.insert(email)
    });
    if !any_shared {
        return;
    }
    let mut by_email: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, attendee) in roster.attendees.iter().enumerate() {
        let email = email_key(attendee.email()).into_owned();
        if !email.is_empty() {
            by_email.entry(email).or_default().push(index);
        }
    }
    for indices in by_email.values().filter(|v| v.len() > 1) {
        for &index in indices {
            let attendee = &roster.attendees[index];
            let others: Vec<String> = indices
                .iter()
                .filter(|&&i| i != index)
                .map(|&i| {
                    let other = &roster.attendees[i];
                    format!("line {} ({})", other.line, other.id())
                })
                .collect();
            let line = attendee.line;
            roster.findings.push(Finding::attendee(
                ids::DATA_DUP_EMAIL.as_str(),
                Severity::Error,
                Some(attendee.id().to_string()),
                format!(
                    "{} ({}) has email `{}`, which {} also has; one email must be one person",
                    attendee.display_name(),
                    attendee.id(),
                    shorten(attendee.email(), 80),
                    others.join(", ")
                ),
                Some(Location::line(display, line).with_column(email_column + 1)),
                "give each person their own email, or delete the duplicate registration",
            ));
        }
    }
}
