//! Check-in/check-out logs from badge scanners (and Teams' older join/leave log): one row per
//! event, a timestamp (ISO 8601 with `Z` or an offset, or local) and an event saying in or out.
//! Events are paired per person in time order: a check-in followed by a check-out is one
//! interval. A check-out with no check-in, or a check-in never closed, is a finding: ceu does
//! not invent the missing time.

use super::{FileBuilder, FileProblem, Identity, IdentityColumns};
use crate::catalogue::ids;
use crate::findings::Severity;
use crate::input::table::{Header, Row, normalize_header};
use crate::input::text::shorten;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

pub(super) const TIMESTAMP: &[&str] = &[
    "timestamp",
    "datetime",
    "scantime",
    "scannedat",
    "eventtime",
    "time",
    "scannedtime",
];
pub(super) const EVENT: &[&str] = &[
    "event",
    "action",
    "useraction",
    "direction",
    "scantype",
    "eventtype",
    "type",
    "checkinout",
    "inout",
];
const IN_WORDS: &[&str] = &[
    "in",
    "checkin",
    "checkedin",
    "entry",
    "enter",
    "entered",
    "joined",
    "joinedbefore",
    "arrive",
    "arrival",
    "signin",
];
const OUT_WORDS: &[&str] = &[
    "out",
    "checkout",
    "checkedout",
    "exit",
    "exited",
    "left",
    "leave",
    "departure",
    "depart",
    "signout",
];

pub(super) fn is_header(header: &Header) -> bool {
    header.has(TIMESTAMP) && header.has(EVENT)
}

struct Event {
    at: DateTime<Utc>,
    arriving: bool,
    line: usize,
    column: usize,
    who: Identity,
}

pub(super) fn read<'a>(
    header: &Header,
    rows: &'a [Row],
    b: &mut FileBuilder<'a>,
) -> Result<(), FileProblem> {
    let (Some(stamp), Some(event)) = (header.find(TIMESTAMP), header.find(EVENT)) else {
        return Err((
            format!(
                "line {}: the check-in log needs a Timestamp and an Event (in/out) column",
                header.line
            ),
            "see docs/attendance.md, \"Scanner logs\"".into(),
        ));
    };
    b.use_header(header);
    let who_columns = IdentityColumns::find(header);
    if !who_columns.any() {
        return Err((
            format!(
                "line {}: the check-in log has no column saying who scanned (found `{}`)",
                header.line,
                header.as_written()
            ),
            format!(
                "export the log with a column saying who scanned: {}",
                crate::input::spellings::WHO_HELP
            ),
        ));
    }
    if rows.is_empty() {
        return Err((
            format!(
                "the log has a header row (line {}) but no events",
                header.line
            ),
            "export the log again, or delete the file".into(),
        ));
    }
    let by_person = read_events(header, rows, b, stamp, event);
    for (_, events) in by_person {
        pair(b, events);
    }
    Ok(())
}

/// Every event of the log, by person (identity key), in file order; rows that say no one, no
/// in or out, or no time are reported and left out.
fn read_events<'a>(
    header: &Header,
    rows: &'a [Row],
    b: &mut FileBuilder<'a>,
    stamp: usize,
    event: usize,
) -> BTreeMap<String, Vec<Event>> {
    let who_columns = IdentityColumns::find(header);
    let stamp_name = header.names.get(stamp).cloned().unwrap_or_default();
    // Some scanners write the date and the time in separate columns.
    let date_column = header.find(&["date", "scandate", "eventdate", "day"]);
    let date_name = date_column
        .and_then(|c| header.names.get(c).cloned())
        .unwrap_or_default();
    let mut by_person: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for row in rows {
        let who = who_columns.read(row);
        if b.is_duplicate(&who, row) {
            continue;
        }
        if who.is_empty() {
            b.row_finding(
                &who,
                ids::DATA_IDENTITY.as_str(),
                Severity::Error,
                row.line,
                None,
                "the event has no badge, id, email or name".into(),
                "delete the row or fill in who scanned".into(),
            );
            continue;
        }
        let word = normalize_header(row.cell(event));
        let arriving = if IN_WORDS.contains(&word.as_str()) {
            true
        } else if OUT_WORDS.contains(&word.as_str()) {
            false
        } else {
            b.row_finding(
                &who,
                ids::DATA_EVENT.as_str(),
                Severity::Error,
                row.line,
                Some(event),
                format!(
                    "event `{}` is neither a check-in nor a check-out",
                    shorten(row.cell(event), 40)
                ),
                "write IN or OUT (check-in / check-out)".into(),
            );
            continue;
        };
        let date = date_column.map(|c| (c, date_name.as_str()));
        let Some(at) = b.stamp_on(&who, row, stamp, &stamp_name, date) else {
            continue;
        };
        by_person.entry(who.key()).or_default().push(Event {
            at,
            arriving,
            line: row.line,
            column: stamp,
            who,
        });
    }
    by_person
}

/// One person's events, paired in time order: a check-in and the next check-out are one
/// presence; a check-in with none after it, or a check-out with none before, is reported.
fn pair(b: &mut FileBuilder, mut events: Vec<Event>) {
    events.sort_by_key(|e| (e.at, e.line));
    let mut open: Option<Event> = None;
    for e in events {
        match (open.take(), e.arriving) {
            (None, true) => open = Some(e),
            (Some(start), true) => {
                if b.offering_date(start.at) == b.offering_date(e.at) {
                    // Scanned in twice: still in since the first scan.
                    b.row_finding(&e.who, ids::DATA_UNPAIRED.as_str(), Severity::Warning, e.line, Some(e.column),
                        format!("a second check-in while already checked in since line {}; the first one counts", start.line),
                        "nothing to do unless a check-out between them is missing".into());
                    open = Some(start);
                } else {
                    unclosed(b, &start);
                    open = Some(e);
                }
            }
            (Some(start), false) => {
                if e.at > start.at {
                    b.push(start.who.clone(), start.at, e.at, start.line);
                }
            }
            (None, false) => {
                b.row_finding(
                    &e.who,
                    ids::DATA_UNPAIRED.as_str(),
                    Severity::Error,
                    e.line,
                    Some(e.column),
                    "a check-out with no check-in before it; the time of arrival is unknown".into(),
                    "add the missing check-in row with the arrival time, or delete this row".into(),
                );
            }
        }
    }
    if let Some(start) = open {
        unclosed(b, &start);
    }
}

fn unclosed(b: &mut FileBuilder, start: &Event) {
    b.row_finding(
        &start.who,
        ids::DATA_UNPAIRED.as_str(),
        Severity::Error,
        start.line,
        Some(start.column),
        "a check-in that is never followed by a check-out; the time of leaving is unknown".into(),
        "add the missing check-out row with the time the person left".into(),
    );
}
