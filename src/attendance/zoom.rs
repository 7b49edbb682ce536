//! Zoom reports: the meeting participant report (with or without the meeting summary block
//! above the table) and the webinar attendee report (sections; only "Attendee Details" rows
//! with Attended = Yes count). Join Time and Leave Time are read; Duration is never trusted,
//! and a person's rejoins or two devices are merged later, never summed.

use super::table::{Header, Row, normalize_header};
use super::{FileBuilder, FileProblem, IdentityColumns, SourceFormat};
use crate::findings::Severity;

const JOIN: &[&str] = &["jointime", "firstjoin", "jointime(utc)"];
const LEAVE: &[&str] = &["leavetime", "lastleave", "leavetime(utc)"];
const ATTENDED: &[&str] = &["attended"];

pub(super) fn is_header(header: &Header) -> bool {
    header.has(JOIN) && header.has(LEAVE)
}

fn is_section_title(row: &Row) -> bool {
    row.non_empty().count() == 1
}

pub(super) fn read<'a>(
    rows: &'a [Row],
    header_index: usize,
    b: &mut FileBuilder<'a>,
) -> Result<SourceFormat, FileProblem> {
    // A webinar report: the attendee table follows an "Attendee Details" title.
    let webinar_title = rows
        .iter()
        .position(|r| is_section_title(r) && normalize_header(r.cell(0)) == "attendeedetails");
    let (format, header_index) = match webinar_title {
        Some(title) if title + 1 < rows.len() => (SourceFormat::ZoomWebinar, title + 1),
        _ => (SourceFormat::ZoomMeeting, header_index),
    };
    let header = Header::new(&rows[header_index]);
    let (Some(join), Some(leave)) = (header.find(JOIN), header.find(LEAVE)) else {
        return Err((
            format!(
                "line {}: the Zoom attendee table has no Join Time / Leave Time columns",
                header.line
            ),
            "export the Zoom report again with participant details".into(),
        ));
    };
    let who_columns = IdentityColumns::find(&header);
    let attended = header.find(ATTENDED);
    let join_name = header.names.get(join).cloned().unwrap_or_default();
    let leave_name = header.names.get(leave).cloned().unwrap_or_default();
    let data: Vec<&Row> = rows[header_index + 1..]
        .iter()
        .take_while(|r| !is_section_title(r))
        .collect();
    if data.is_empty() {
        return Err((format!("the Zoom report has a participant header (line {}) but no participant rows", header.line), "export the report again after the meeting has ended, with \"Show unique users\" unticked".into()));
    }
    for row in data {
        if attended.is_some_and(|c| row.cell(c).eq_ignore_ascii_case("no")) {
            continue;
        }
        let who = who_columns.read(row);
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
                "the row has no name or email".into(),
                "check the export; delete the row if it is empty".into(),
            );
            continue;
        }
        let start = b.stamp(&who, row, join, &join_name);
        let end = b.stamp(&who, row, leave, &leave_name);
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        if end < start {
            b.row_finding(
                &who,
                "DATA-ORDER",
                Severity::Error,
                row.line,
                Some(leave),
                "leave time is before join time".into(),
                "check the export; correct or delete the row".into(),
            );
            continue;
        }
        if end > start {
            b.push(who, start, end, row.line);
        }
    }
    Ok(format)
}
