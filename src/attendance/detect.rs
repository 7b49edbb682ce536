//! Which format an attendance file is, from its header rows: Teams by its sections, Zoom by its
//! Join Time / Leave Time header, a sign-in sheet by its Sign In / Sign Out columns, a scanner
//! log by its Timestamp and Event columns. A header one column short of a format says which.

use super::builder::FileBuilder;
use super::identity::IdentityColumns;
use super::{SourceFormat, scanner, signin, teams, zoom};
use crate::input::table::{Header, Row};
use crate::input::text::shorten;

/// A column problem that makes a file unusable: (message, fix).
pub(crate) type FileProblem = (String, String);

pub(super) const SIGNIN_HELP: &str = "give the sheet a header row with Name (or First Name and Last Name, or Email, or Attendee ID), Date, Sign In and Sign Out; see docs/attendance.md";

pub(super) fn detect_and_read<'a>(
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
    let found = header.as_written();
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
