//! Typed sign-in/sign-out sheets: one row per person and stretch of presence (Name or First
//! Name + Last Name, optional Email and Attendee ID, Date, Sign In, Sign Out). Several rows for
//! one person and day are several intervals (left at lunch, came back).

use super::{FileBuilder, FileProblem, Identity, IdentityColumns, SIGNIN_HELP};
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

pub(super) fn read<'a>(
    header: &Header,
    rows: &'a [Row],
    b: &mut FileBuilder<'a>,
) -> Result<(), FileProblem> {
    b.use_header(header);
    let who_columns = IdentityColumns::find(header);
    if !who_columns.any() {
        return Err((
            format!(
                "line {}: no column says who signed in (found `{}`; expected one of {})",
                header.line,
                super::found_columns(header),
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
    let in_name = header.names.get(in_column).cloned().unwrap_or_default();
    let out_name = header.names.get(out_column).cloned().unwrap_or_default();
    // A sheet that writes AM/PM anywhere leaves every bare 1-12 hour in doubt.
    let uses_meridiem = rows.iter().any(|row| {
        [in_column, out_column].iter().any(|&c| matches!(when::parse_when(row.cell(c), &b.ctx.dates), Ok(When::Local { time, .. }) if time.meridiem))
    });
    if date_column.is_none() {
        let first_has_date = rows
            .iter()
            .find(|r| !r.cell(in_column).is_empty())
            .is_some_and(|r| {
                matches!(
                    when::parse_when(r.cell(in_column), &b.ctx.dates),
                    Ok(When::Instant(_)) | Ok(When::Local { date: Some(_), .. })
                )
            });
        if !first_has_date {
            return Err((
                format!(
                    "line {}: no Date column, and the sign-in times carry no date",
                    header.line
                ),
                SIGNIN_HELP.to_string(),
            ));
        }
    }

    // Every presence this sheet adds is one accepted row; double sign-ins are looked for among
    // them once all rows are read.
    let first_presence = b.presences.len();
    for row in rows {
        let who = who_columns.read(row);
        let (in_text, out_text) = (row.cell(in_column), row.cell(out_column));
        if in_text.is_empty() && out_text.is_empty() {
            // A pre-printed sheet: the person did not come (or the row is a note).
            continue;
        }
        if b.is_duplicate(&who, row) {
            continue;
        }
        if who.is_empty() {
            b.row_finding(
                &who,
                "DATA-IDENTITY",
                Severity::Error,
                row.line,
                None,
                "the row has times but no name, email or attendee id".into(),
                "write who this row is for, or delete it".into(),
            );
            continue;
        }
        for (text, column, name, what) in [
            (in_text, in_column, &in_name, "arrived"),
            (out_text, out_column, &out_name, "left"),
        ] {
            if text.is_empty() {
                b.row_finding(&who, "DATA-TIME", Severity::Error, row.line, Some(column),
                    format!("{name} is empty; expected the time the person {what}"),
                    format!("write the time the person {what}, e.g. 17:00 or 5:00 PM (ask the instructor if unsure)"));
            }
        }
        if in_text.is_empty() || out_text.is_empty() {
            continue;
        }
        let row_date = match date_column.map(|c| (c, row.cell(c))) {
            Some((c, "")) => {
                b.row_finding(
                    &who,
                    "DATA-DATE",
                    Severity::Error,
                    row.line,
                    Some(c),
                    "the date is empty".into(),
                    "write the date, e.g. 2025-03-06".into(),
                );
                None
            }
            Some((c, text)) => match when::parse_date(text, &b.ctx.dates) {
                Ok(date) if !b.is_offering_date(date) => {
                    let message = format!(
                        "date {} is not one of the offering's dates ({})",
                        when::spell_date(date),
                        b.offering_dates_text()
                    );
                    b.row_finding(
                        &who,
                        "DATA-DATE",
                        Severity::Error,
                        row.line,
                        Some(c),
                        message,
                        "correct the date, or remove the row if it belongs to another offering"
                            .into(),
                    );
                    continue;
                }
                Ok(date) => Some(date),
                Err(problem) => {
                    let name = header.names.get(c).cloned().unwrap_or_default();
                    b.date_problem(&who, row.line, c, &name, text, problem);
                    continue;
                }
            },
            None => None,
        };
        let mut cells = Vec::new();
        for (text, column, name) in [
            (in_text, in_column, &in_name),
            (out_text, out_column, &out_name),
        ] {
            match when::parse_when(text, &b.ctx.dates) {
                Ok(when) => cells.push(Cell { column, when }),
                Err(problem) => b.when_problem(&who, row.line, column, name, text, problem),
            }
        }
        let [sign_in, sign_out] = match <[Cell; 2]>::try_from(cells) {
            Ok(pair) => pair,
            Err(_) => continue,
        };
        if ambiguous(b, &who, row, [&sign_in, &sign_out], row_date, uses_meridiem) {
            continue;
        }
        let Some(start) = instant(b, &who, row, &sign_in, row_date) else {
            continue;
        };
        let Some(end) = instant(b, &who, row, &sign_out, row_date) else {
            continue;
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
                "DATA-ORDER",
                Severity::Error,
                row.line,
                Some(sign_out.column),
                message,
                "correct the times; write afternoon times as 24-hour (17:00) or with PM (5:00 PM)"
                    .into(),
            );
            continue;
        }
        b.push(who, start, end, row.line);
    }
    report_overlaps(b, first_presence, in_column);
    Ok(())
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
            "DATA-OVERLAP",
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
        "DATA-AMBIGUOUS-TIME",
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
                let message = format!(
                    "date {} is not one of the offering's dates ({})",
                    when::spell_date(date),
                    b.offering_dates_text()
                );
                b.row_finding(
                    who,
                    "DATA-DATE",
                    Severity::Error,
                    row.line,
                    Some(cell.column),
                    message,
                    "correct the date".into(),
                );
                return None;
            }
            Some(instant)
        }
        When::Local { date, time } => {
            let Some(date) = date.or(row_date) else {
                b.row_finding(
                    who,
                    "DATA-DATE",
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
