//! The one error for an input file (roster, attendance export, alias or not-attendee list) that
//! cannot be used at all: exit 2, and a message that names the file, where known the line and
//! column, and the fix. Problems inside a usable file are findings, not errors.

use super::table::{SAVE_AS_CSV, Unreadable};
use super::text::capitalized;
use crate::findings::Location;
use std::path::Path;

/// Why an input file could not be used at all (exit 2). The message texts are part of ceu's
/// interface (the tests and the snapshots pin them), so every variant prints exactly one line:
/// `<path>: <message>. <Fix>` or `<path>: cannot read[ the roster]: <io error>`.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file (or folder) could not be read from disk.
    #[error("{path}: cannot read{}: {source}", the(.what))]
    Io {
        /// The path as shown to the user.
        path: String,
        /// What the file is, when the message names it (`roster`: "cannot read the roster").
        what: Option<&'static str>,
        source: std::io::Error,
    },
    /// The file was read but cannot be used: the message says where and what, the fix what to
    /// do. `message` starts with `line N: ` (or `line N, column C: `) when the problem has a
    /// place in the file; `fix` starts with a capital letter.
    #[error("{path}: {message}. {fix}")]
    Unusable {
        path: String,
        message: String,
        fix: String,
    },
}

/// ` the roster` for `Some("roster")`, nothing for `None`.
fn the(what: &Option<&'static str>) -> String {
    what.map(|what| format!(" the {what}")).unwrap_or_default()
}

/// What to tell the administrator when a file is not a table at all (see
/// [`InputError::unreadable`]).
#[derive(Debug, Clone, Copy)]
pub struct TableFixes {
    /// How the file is called in the message: `file`, `roster`.
    pub called: &'static str,
    /// The fix for an empty file.
    pub empty: &'static str,
    /// The fix for CSV that cannot be parsed.
    pub csv: &'static str,
}

impl TableFixes {
    /// The fix for CSV that cannot be parsed, for a file exported from a spreadsheet.
    pub const CSV_FROM_EXCEL: &str =
        "check the quoting on that line, or save the file again from Excel as CSV UTF-8";
}

impl InputError {
    /// `path` could not be read from disk.
    pub fn io(path: &Path, source: std::io::Error) -> InputError {
        InputError::Io {
            path: path.display().to_string(),
            what: None,
            source,
        }
    }

    /// A file that cannot be used, at `at` (file, and where known line and column): the
    /// message gets the line (and column) in front, the fix a capital letter.
    pub fn unusable(at: &Location, message: impl std::fmt::Display, fix: &str) -> InputError {
        let message = match (at.line, at.column) {
            (Some(line), Some(column)) => format!("line {line}, column {column}: {message}"),
            (Some(line), None) => format!("line {line}: {message}"),
            _ => message.to_string(),
        };
        InputError::Unusable {
            path: at.file.display().to_string(),
            message,
            fix: capitalized(fix),
        }
    }

    /// Bytes that are not a table at all (empty, a workbook, CSV the parser gives up on), as
    /// the error for the file shown as `display`.
    pub fn unreadable(display: &Path, problem: Unreadable, fixes: TableFixes) -> InputError {
        let called = fixes.called;
        match problem {
            Unreadable::Empty => InputError::unusable(
                &Location::file(display),
                format!("the {called} is empty"),
                fixes.empty,
            ),
            Unreadable::Spreadsheet(kind) => InputError::unusable(
                &Location::file(display),
                format!("the {called} is {kind}"),
                SAVE_AS_CSV,
            ),
            Unreadable::Csv(message, line) => InputError::unusable(
                &Location::line(display, line),
                format!("the CSV cannot be parsed ({message})"),
                fixes.csv,
            ),
            Unreadable::Workbook(message) => InputError::unusable(
                &Location::file(display),
                format!(
                    "the {called} looks like an Excel or OpenDocument workbook but cannot be opened ({message})"
                ),
                "open it in Excel or LibreOffice and save it again as .xlsx, or use File > Save As > CSV UTF-8",
            ),
        }
    }

    /// The same error for a file that is a workbook, the problem being in sheet `sheet`: the
    /// leading `line N, column C: ` (or `line N: `) of the message becomes the cell (or row)
    /// after the path, `roster.xlsx:Sheet1!C7: ...` (the readers give every problem as a line
    /// and column, which in a workbook are the sheet's row and column numbers).
    pub fn in_sheet(self, sheet: Option<&str>) -> InputError {
        let Some(sheet) = sheet else {
            return self;
        };
        let InputError::Unusable { path, message, fix } = self else {
            return self;
        };
        let (line, column, rest) = split_place(&message);
        let place = crate::findings::cell_reference(sheet, line, column);
        InputError::Unusable {
            path: format!("{path}:{place}"),
            message: rest.to_string(),
            fix,
        }
    }
}

/// `line N, column C: rest` as `(Some(N), Some(C), rest)`, `line N: rest` as
/// `(Some(N), None, rest)`, anything else as `(None, None, message)`.
fn split_place(message: &str) -> (Option<usize>, Option<usize>, &str) {
    let Some(after) = message.strip_prefix("line ") else {
        return (None, None, message);
    };
    let Some((place, rest)) = after.split_once(": ") else {
        return (None, None, message);
    };
    let (line, column) = match place.split_once(", column ") {
        Some((line, column)) => (line.parse().ok(), column.parse().ok()),
        None => (place.parse().ok(), None),
    };
    match (line, column, place.contains("column")) {
        (Some(line), column, has_column) if column.is_some() || !has_column => {
            (Some(line), column, rest)
        }
        _ => (None, None, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{cell_reference, column_letters};

    #[test]
    fn columns_are_letters_and_sheets_are_quoted_when_they_must_be() {
        let letters: Vec<String> = [1, 3, 26, 27, 52, 53, 702, 703]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(letters, ["A", "C", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
        assert_eq!(cell_reference("Sheet1", Some(7), Some(3)), "Sheet1!C7");
        assert_eq!(cell_reference("Day 1", Some(3), Some(6)), "'Day 1'!F3");
        assert_eq!(cell_reference("Bob's", Some(2), None), "'Bob''s', row 2");
        assert_eq!(
            cell_reference("Anmeldung_März", None, None),
            "Anmeldung_März"
        );
    }

    #[test]
    fn an_error_in_a_sheet_names_the_cell_or_row_after_the_file() {
        let at = Location::line("roster.xlsx", 7).with_column(3);
        let error = InputError::unusable(&at, "bad", "fix it").in_sheet(Some("Sheet1"));
        assert_eq!(error.to_string(), "roster.xlsx:Sheet1!C7: bad. Fix it");
        let row = InputError::unusable(&Location::line("r.xlsx", 4), "dup", "fix");
        assert_eq!(
            row.in_sheet(Some("S")).to_string(),
            "r.xlsx:S, row 4: dup. Fix"
        );
        let file = InputError::unusable(&Location::file("r.xlsx"), "line 4: x", "fix");
        // A message that merely starts like a place, with no number, is left alone.
        let odd = InputError::unusable(&Location::file("r.xlsx"), "line up: x", "fix");
        assert_eq!(
            odd.in_sheet(Some("S")).to_string(),
            "r.xlsx:S: line up: x. Fix"
        );
        assert_eq!(file.in_sheet(None).to_string(), "r.xlsx: line 4: x. Fix");
    }
}
