//! Findings: what `check` reports. Compliance problems are data, collected into a report, never
//! thrown as errors, so one run shows every problem at once.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is. Errors block issuing (for everyone or for one attendee, by scope);
/// warnings are reported and block nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Whom a finding blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The whole offering: nobody can be issued a certificate until it is fixed.
    Offering,
    /// One attendee (or one unmatched attendance row): only that person is held back.
    Attendee,
}

/// Where in the inputs a finding points: a file, and where known a line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// Path as given to the user (relative to the offering folder where possible).
    pub file: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The sheet, for a workbook (.xlsx, .xls, .ods): `line` is then the sheet's row number and
    /// `column` its column number (1 is A), shown as a cell (`roster.xlsx:Sheet1!C7`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Box<str>>,
}

impl Location {
    pub fn file(file: impl AsRef<Path>) -> Self {
        Location {
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            sheet: None,
        }
    }
    pub fn line(file: impl AsRef<Path>, line: usize) -> Self {
        Location {
            file: file.as_ref().to_path_buf(),
            line: Some(line),
            column: None,
            sheet: None,
        }
    }
    pub fn with_column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }
    /// The same place in the workbook sheet `sheet` (see [`Location::sheet`]).
    pub fn in_sheet(mut self, sheet: Option<&str>) -> Self {
        self.sheet = sheet.map(Box::from);
        self
    }
}

/// A column number (1-based) as a spreadsheet's letters: 1 is `A`, 27 is `AA`.
pub fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column;
    while n > 0 {
        let digit = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(digit).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A sheet name as a spreadsheet formula writes it: quoted (`'Sign-in sheet'`) unless it is
/// letters, digits and underscores only.
pub fn sheet_name(sheet: &str) -> String {
    if !sheet.is_empty() && sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    }
}

/// A place in a workbook as people point at it: `Sheet1!C7` for a cell, `Sheet1, row 7` for a
/// whole row, `Sheet1` for the sheet.
pub fn cell_reference(sheet: &str, line: Option<usize>, column: Option<usize>) -> String {
    let sheet = sheet_name(sheet);
    match (line, column) {
        (Some(line), Some(column)) => format!("{sheet}!{}{line}", column_letters(column)),
        (Some(line), None) => format!("{sheet}, row {line}"),
        _ => sheet,
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(sheet) = &self.sheet {
            return write!(f, ":{}", cell_reference(sheet, self.line, self.column));
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// One problem found in an offering's inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id from docs/rules.md (compliance.md ids, plus ceu's own `DATA-*` input rules).
    pub rule: String,
    pub severity: Severity,
    pub scope: Scope,
    /// The roster attendee this blocks, for attendee-scoped findings that matched someone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendee: Option<String>,
    /// What is wrong, in words an administrator understands.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What to do about it.
    pub fix: String,
}

impl Finding {
    /// An offering-scoped finding under `rule` (a catalogue id, `catalogue::ids`).
    pub fn offering(
        rule: impl AsRef<str>,
        severity: Severity,
        message: impl Into<String>,
        location: Option<Location>,
        fix: impl Into<String>,
    ) -> Self {
        Finding {
            rule: rule.as_ref().to_string(),
            severity,
            scope: Scope::Offering,
            attendee: None,
            message: message.into(),
            location,
            fix: fix.into(),
        }
    }

    /// An attendee-scoped finding under `rule`, holding back `attendee` (a roster id) when an
    /// error, or no named person when `None` (a row that matches nobody).
    pub fn attendee(
        rule: impl AsRef<str>,
        severity: Severity,
        attendee: Option<String>,
        message: impl Into<String>,
        location: Option<Location>,
        fix: impl Into<String>,
    ) -> Self {
        Finding {
            rule: rule.as_ref().to_string(),
            severity,
            scope: Scope::Attendee,
            attendee,
            message: message.into(),
            location,
            fix: fix.into(),
        }
    }

    /// An offering-scoped error at `location`: it blocks everyone's certificate.
    pub fn offering_error(
        rule: impl AsRef<str>,
        message: String,
        location: Location,
        fix: &str,
    ) -> Self {
        Finding::offering(rule, Severity::Error, message, Some(location), fix)
    }

    /// An offering-scoped warning at `location`: reported, blocks nothing.
    pub fn offering_warning(
        rule: impl AsRef<str>,
        message: String,
        location: Location,
        fix: &str,
    ) -> Self {
        Finding::offering(rule, Severity::Warning, message, Some(location), fix)
    }

    /// Whether the finding blocks issuing (for everyone or one attendee, by scope).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The first eight of `locations`, comma-separated, then ` and N more` when there are more:
/// where a finding about many rows points.
pub fn list_places(locations: &[Location]) -> String {
    const SHOWN: usize = 8;
    let shown: Vec<String> = locations
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect();
    let mut listed = shown.join(", ");
    if locations.len() > SHOWN {
        listed.push_str(&format!(" and {} more", locations.len() - SHOWN));
    }
    listed
}
