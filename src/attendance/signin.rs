//! Typed sign-in/sign-out sheets: one row per person and stretch of presence (Name or First
//! Name + Last Name, optional Email and Attendee ID, Date, Sign In, Sign Out). Several rows for
//! one person and day are several intervals (left at lunch, came back).

use super::{FileBuilder, FileProblem, Identity, IdentityColumns, SIGNIN_HELP};
use crate::catalogue::ids;
use crate::findings::Severity;
use crate::input::table::{Header, Row};
use crate::input::text::shorten;
use crate::input::when::{self, When};
use chrono::{DateTime, NaiveDate, TimeDelta, Timelike, Utc};
use std::collections::HashMap;

const DATE: &[&str] = &["date", "day", "sessiondate", "attendancedate", "datum"];
pub(super) const IN: &[&str] = &[
    "signin",
    "timein",
    "in",
    "checkin",
    "arrival",
    "arrived",
    "signedin",
    "intime",
    "signintime",
    "arrivaltime",
    "starttime",
    "start",
];
pub(super) const OUT: &[&str] = &[
    "signout",
    "timeout",
    "out",
    "checkout",
    "departure",
    "left",
    "signedout",
    "outtime",
    "signouttime",
    "departuretime",
    "endtime",
    "end",
];

pub(super) fn is_header(header: &Header) -> bool {
    header.has(IN) && header.has(OUT)
}

/// A sign-in or sign-out cell, read.
struct Cell {
    column: usize,
    when: When,
}

/// Where a sheet keeps who, when and on which day, found and checked once before its rows are
/// read.
struct Sheet {
    who: IdentityColumns,
    in_column: usize,
    out_column: usize,
    /// The sign-in and sign-out headers as written, for messages.
    in_name: String,
    out_name: String,
    date_column: Option<usize>,
    /// The sheet writes AM/PM somewhere, which leaves every bare 1-12 hour in doubt.
    uses_meridiem: bool,
}

impl Sheet {
    /// The sheet's columns, or why the sheet cannot be read at all: no column saying who, no
    /// sign-in or sign-out column, no rows, or no date anywhere.
    fn find(header: &Header, rows: &[Row], dates: &[NaiveDate]) -> Result<Sheet, FileProblem> {
        let who = IdentityColumns::find(header);
        if !who.any() {
            return Err((
                format!(
                    "line {}: no column says who signed in (found `{}`; expected one of {})",
                    header.line,
                    header.as_written(),
                    crate::input::spellings::WHO_HELP
                ),
                SIGNIN_HELP.to_string(),
            ));
        }
        let (Some(in_column), Some(out_column)) = (header.find(IN), header.find(OUT)) else {
            return Err((
                format!("line {}: no Sign In / Sign Out columns", header.line),
                SIGNIN_HELP.to_string(),
            ));
        };
        let date_column = header.find(DATE);
        if rows.is_empty() {
            return Err((
                format!(
                    "the sheet has a header row (line {}) but no attendance rows",
                    header.line
                ),
                "add one row per person and stretch of presence, or delete the file".to_string(),
            ));
        }
        let uses_meridiem = rows.iter().any(|row| {
            [in_column, out_column].iter().any(|&c| matches!(when::parse_when(row.cell(c), dates), Ok(When::Local { time, .. }) if time.meridiem))
        });
        if date_column.is_none() && !first_sign_in_has_date(rows, in_column, dates) {
            return Err((
                format!(
                    "line {}: no Date column, and the sign-in times carry no date",
                    header.line
                ),
                SIGNIN_HELP.to_string(),
            ));
        }
        let name = |column: usize| header.names.get(column).cloned().unwrap_or_default();
        Ok(Sheet {
            who,
            in_column,
            out_column,
            in_name: name(in_column),
            out_name: name(out_column),
            date_column,
            uses_meridiem,
        })
    }
}

/// True when the first filled-in sign-in cell carries a date of its own.
fn first_sign_in_has_date(rows: &[Row], in_column: usize, dates: &[NaiveDate]) -> bool {
    rows.iter()
        .find(|r| !r.cell(in_column).is_empty())
        .is_some_and(|r| {
            matches!(
                when::parse_when(r.cell(in_column), dates),
                Ok(When::Instant(_)) | Ok(When::Local { date: Some(_), .. })
            )
        })
}

pub(super) fn read<'a>(
    header: &Header,
    rows: &'a [Row],
    b: &mut FileBuilder<'a>,
) -> Result<(), FileProblem> {
    b.use_header(header);
    let sheet = Sheet::find(header, rows, &b.ctx.dates)?;
    // Every presence this sheet adds is one accepted row; double sign-ins are looked for among
    // them once all rows are read.
    let first_presence = b.presences.len();
    for row in rows {
        read_row(b, header, &sheet, row);
    }
    report_overlaps(b, first_presence, sheet.in_column);
    Ok(())
}

/// One row of the sheet: a presence, or the row findings that say why it gives none.
fn read_row<'a>(b: &mut FileBuilder<'a>, header: &Header, sheet: &Sheet, row: &'a Row) {
    let who = sheet.who.read(row);
    let (in_text, out_text) = (row.cell(sheet.in_column), row.cell(sheet.out_column));
    if in_text.is_empty() && out_text.is_empty() {
        // A pre-printed sheet: the person did not come (or the row is a note).
        return;
    }
    if b.is_duplicate(&who, row) {
        return;
    }
    if who.is_empty() {
        b.row_finding(
            &who,
            ids::DATA_IDENTITY.as_str(),
            Severity::Error,
            row.line,
            None,
            "the row has times but no name, email or attendee id".into(),
            "write who this row is for, or delete it".into(),
        );
        return;
    }
    for (text, column, name, what) in [
        (in_text, sheet.in_column, &sheet.in_name, "arrived"),
        (out_text, sheet.out_column, &sheet.out_name, "left"),
    ] {
        if text.is_empty() {
            b.row_finding(&who, ids::DATA_TIME.as_str(), Severity::Error, row.line, Some(column),
                format!("{name} is empty; expected the time the person {what}"),
                format!("write the time the person {what}, e.g. 17:00 or 5:00 PM (ask the instructor if unsure)"));
        }
    }
    if in_text.is_empty() || out_text.is_empty() {
        return;
    }
    let Ok(row_date) = row_date(b, header, sheet, &who, row) else {
        return;
    };
    let Some([sign_in, sign_out]) = read_cells(b, sheet, &who, row) else {
        return;
    };
    if ambiguous(
        b,
        &who,
        row,
        [&sign_in, &sign_out],
        row_date,
        sheet.uses_meridiem,
    ) {
        return;
    }
    let Some(start) = instant(b, &who, row, &sign_in, row_date) else {
        return;
    };
    let Some(end) = instant(b, &who, row, &sign_out, row_date) else {
        return;
    };
    if end <= start {
        let message = format!(
            "sign-out {} on {} is not after sign-in {}",
            b.clock(end),
            b.day(start),
            b.clock(start)
        );
        b.row_finding(
            &who,
            ids::DATA_ORDER.as_str(),
            Severity::Error,
            row.line,
            Some(sign_out.column),
            message,
            "correct the times; write afternoon times as 24-hour (17:00) or with PM (5:00 PM)"
                .into(),
        );
        return;
    }
    b.push(who, start, end, row.line);
}

/// The row's date from the Date column: `Ok(None)` when the sheet has none or the cell is
/// empty (reported: the times then need dates of their own), `Err(())` when the row is to be
/// skipped (a date outside the offering, or one that cannot be read; reported).
fn row_date(
    b: &mut FileBuilder,
    header: &Header,
    sheet: &Sheet,
    who: &Identity,
    row: &Row,
) -> Result<Option<NaiveDate>, ()> {
    let Some(c) = sheet.date_column else {
        return Ok(None);
    };
    let text = row.cell(c);
    if text.is_empty() {
        b.row_finding(
            who,
            ids::DATA_DATE.as_str(),
            Severity::Error,
            row.line,
            Some(c),
            "the date is empty".into(),
            "write the date, e.g. 2025-03-06".into(),
        );
        return Ok(None);
    }
    match when::parse_date(text, &b.ctx.dates) {
        Ok(date) if !b.is_offering_date(date) => {
            b.date_outside_offering(
                who,
                row.line,
                c,
                date,
                "correct the date, or remove the row if it belongs to another offering",
            );
            Err(())
        }
        Ok(date) => Ok(Some(date)),
        Err(problem) => {
            let name = header.names.get(c).cloned().unwrap_or_default();
            b.date_problem(who, row.line, c, &name, text, problem);
            Err(())
        }
    }
}

/// The sign-in and sign-out cells, read; `None` (reported) when either cannot be.
fn read_cells(b: &mut FileBuilder, sheet: &Sheet, who: &Identity, row: &Row) -> Option<[Cell; 2]> {
    let mut cells = Vec::new();
    for (column, name) in [
        (sheet.in_column, &sheet.in_name),
        (sheet.out_column, &sheet.out_name),
    ] {
        let text = row.cell(column);
        match when::parse_when(text, &b.ctx.dates) {
            Ok(when) => cells.push(Cell { column, when }),
            Err(problem) => b.when_problem(who, row.line, column, name, text, problem),
        }
    }
    <[Cell; 2]>::try_from(cells).ok()
}

/// `DATA-OVERLAP` for every sign-in that starts before an earlier-starting sign-in of the same
/// person has ended (a sort and one sweep, so a long sheet stays fast). Hours merge them anyway.
/// The sheet's rows are its presences from `first` on; the finding points at `column`, the
/// sign-in column.
fn report_overlaps(b: &mut FileBuilder, first: usize, column: usize) {
    let presences = &b.presences[first..];
    let show = |t: DateTime<Utc>| b.clock(t);
    let line = |i: usize| presences[i].line;
    // A number per person, in order of first appearance.
    let mut numbers = HashMap::with_capacity(presences.len());
    let person: Vec<usize> = presences
        .iter()
        .map(|p| {
            let next = numbers.len();
            *numbers.entry(p.who.key_parts()).or_insert(next)
        })
        .collect();
    let mut rows_of = vec![0usize; numbers.len()];
    for &number in &person {
        rows_of[number] += 1;
    }
    // Only people with two or more rows can overlap: their rows, by person, start and line.
    // (The order of the people does not matter: findings are sorted by line, and each row is
    // on its own line.)
    let mut order: Vec<usize> = (0..presences.len())
        .filter(|&i| rows_of[person[i]] > 1)
        .collect();
    order.sort_by_key(|&i| (person[i], presences[i].start, line(i)));
    let mut found = Vec::new();
    for person in order.chunk_by(|&x, &y| person[x] == person[y]) {
        let mut open: Option<usize> = None;
        for &this in person {
            let stretch = &presences[this];
            match open {
                Some(earlier_index) if stretch.start < presences[earlier_index].end => {
                    let earlier = &presences[earlier_index];
                    let message = format!(
                        "this sign-in ({}–{}) overlaps the one on line {} ({}–{}); the overlap is counted once",
                        show(stretch.start),
                        show(stretch.end),
                        line(earlier_index),
                        show(earlier.start),
                        show(earlier.end)
                    );
                    found.push((this, line(this), message));
                    if stretch.end > earlier.end {
                        open = Some(this);
                    }
                }
                _ => open = Some(this),
            }
        }
    }
    found.sort_by_key(|(_, line, _)| *line);
    for (index, line, message) in found {
        let who = b.presences[first + index].who.clone();
        b.row_finding(
            &who,
            ids::DATA_OVERLAP.as_str(),
            Severity::Error,
            line,
            Some(column),
            message,
            "delete the double sign-in, or correct the times so the rows do not overlap".into(),
        );
    }
}

/// Reports a bare 1–12 hour that could be AM or PM (`DATA-AMBIGUOUS-TIME`), instead of guessing.
/// The message names the date and the sign-in time, so the row can be found on paper.
fn ambiguous(
    b: &mut FileBuilder,
    who: &Identity,
    row: &Row,
    [sign_in, sign_out]: [&Cell; 2],
    row_date: Option<NaiveDate>,
    uses_meridiem: bool,
) -> bool {
    let (
        When::Local {
            time: t_in,
            date: in_date,
        },
        When::Local { time: t_out, .. },
    ) = (sign_in.when, sign_out.when)
    else {
        return false;
    };
    // `5:00` after `8:55`: 05:00 would end before the sign-in, 17:00 would not.
    let out_reads_pm = t_out.bare_twelve
        && t_out.time.hour() < 12
        && t_out.time <= t_in.time
        && t_out.time + TimeDelta::hours(12) > t_in.time;
    let target = if out_reads_pm {
        Some((sign_out.column, t_out))
    } else if uses_meridiem && t_in.bare_twelve {
        Some((sign_in.column, t_in))
    } else if uses_meridiem && t_out.bare_twelve {
        Some((sign_out.column, t_out))
    } else {
        None
    };
    let Some((column, time)) = target else {
        return false;
    };
    let text = row.cell(column);
    // The two readings of a bare hour h (1-12): h AM and h PM; 12 AM is 00:xx.
    let hm = time.time.format("%-I:%M").to_string();
    let hour12 = time.time.hour() % 12;
    let minute = time.time.minute();
    let morning = format!("{hour12:02}:{minute:02}");
    let evening = format!("{:02}:{minute:02}", hour12 + 12);
    let (first, second) = if column == sign_out.column {
        (
            format!("{evening} or {hm} PM"),
            format!("{morning} or {hm} AM"),
        )
    } else {
        (
            format!("{morning} or {hm} AM"),
            format!("{evening} or {hm} PM"),
        )
    };
    let which = if column == sign_out.column {
        format!(
            "the sign-out after sign-in `{}`",
            shorten(row.cell(sign_in.column), 30)
        )
    } else {
        "the sign-in".to_string()
    };
    let on = in_date
        .or(row_date)
        .map(|date| format!(" on {}", when::spell_date(date)))
        .unwrap_or_default();
    b.row_finding(
        who,
        ids::DATA_AMBIGUOUS_TIME.as_str(),
        Severity::Error,
        row.line,
        Some(column),
        format!(
            "`{}` ({which}{on}) has no AM/PM and could be {hm} AM or {hm} PM",
            shorten(text, 30)
        ),
        format!("write {first} (or {second} if that is what was meant)"),
    );
    true
}

/// The instant of a sign-in or sign-out cell, using the row's date when the cell has none.
fn instant(
    b: &mut FileBuilder,
    who: &Identity,
    row: &Row,
    cell: &Cell,
    row_date: Option<NaiveDate>,
) -> Option<DateTime<Utc>> {
    match cell.when {
        When::Instant(written) => {
            let instant = b.written_instant(row.line, cell.column, written);
            let date = b.offering_date(instant);
            if !b.is_offering_date(date) {
                b.date_outside_offering(who, row.line, cell.column, date, "correct the date");
                return None;
            }
            Some(instant)
        }
        When::Local { date, time } => {
            let Some(date) = date.or(row_date) else {
                b.row_finding(
                    who,
                    ids::DATA_DATE.as_str(),
                    Severity::Error,
                    row.line,
                    Some(cell.column),
                    "no date for this time".into(),
                    "write the date in the Date column, e.g. 2025-03-06".into(),
                );
                return None;
            };
            b.local(who, row.line, cell.column, date, time.time)
        }
    }
}
