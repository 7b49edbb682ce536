//! Microsoft Teams attendance reports: UTF-16, tab-separated, in sections ("1. Summary",
//! "2. Participants", "3. In-Meeting Activities"). The per-join activity rows are used when
//! present, because first join to last leave overcounts anyone who left in between; otherwise
//! the participants' first join and last leave. The older "Full Name / User Action / Timestamp"
//! log is read as join/leave events.

use super::meeting::Participants;
use super::{FileBuilder, FileProblem, Role, SourceFormat, scanner};
use crate::input::table::{Header, Row, normalize_header};

const JOIN: &[&str] = &["jointime", "firstjoin", "joiningtime"];
const LEAVE: &[&str] = &["leavetime", "lastleave", "leavingtime"];

fn section(row: &Row) -> Option<String> {
    (row.non_empty().count() == 1).then(|| normalize_header(row.cell(0)))
}

/// Detects a Teams report by its section titles or its old event-log header.
pub(super) fn detect(rows: &[Row]) -> Option<SourceFormat> {
    let titled = rows.iter().any(|r| {
        section(r).is_some_and(|s| {
            s.ends_with("inmeetingactivities") || s == "2.participants" || s == "1.summary"
        })
    });
    let old_log = rows.first().is_some_and(|r| {
        let h = Header::new(r);
        h.has(&["fullname"]) && h.has(&["useraction"]) && h.has(&["timestamp"])
    });
    (titled || old_log).then_some(SourceFormat::Teams)
}

pub(super) fn read<'a>(rows: &'a [Row], b: &mut FileBuilder<'a>) -> Result<(), FileProblem> {
    if let Some(first) = rows.first() {
        let h = Header::new(first);
        if h.has(&["useraction"]) {
            return scanner::read(&h, &rows[1..], b);
        }
    }
    let find_table = |title: &str| -> Option<(usize, Vec<&Row>)> {
        let at = rows
            .iter()
            .position(|r| section(r).is_some_and(|s| s.ends_with(title)))?;
        rows.get(at + 1)?;
        let data = rows[at + 2..]
            .iter()
            .take_while(|r| section(r).is_none())
            .collect();
        Some((at + 1, data))
    };
    let chosen = match find_table("inmeetingactivities") {
        Some((h, data)) if !data.is_empty() => Some((h, data)),
        _ => find_table("participants"),
    };
    let Some((header_index, data)) = chosen else {
        return Err((
            "the Teams report has no Participants or In-Meeting Activities section".into(),
            "download the attendance report again from the meeting's Attendance tab".into(),
        ));
    };
    let header = Header::new(&rows[header_index]);
    let (Some(join), Some(leave)) = (header.find(JOIN), header.find(LEAVE)) else {
        return Err((
            format!(
                "line {}: the Teams table has no Join Time / Leave Time (or First Join / Last Leave) columns",
                header.line
            ),
            "download the attendance report again from the meeting's Attendance tab".into(),
        ));
    };
    if data.is_empty() {
        return Err((
            format!(
                "the Teams report has a participant header (line {}) but no participant rows",
                header.line
            ),
            "download the report again after the meeting has ended".into(),
        ));
    }
    b.use_header(&header);
    let role_column = header.find(Role::COLUMN);
    let mut table = Participants::new(&header, join, leave);
    // The UPN is the sign-in address; use it when the Email cell is empty (guests have none).
    table.upn = header.find(&["participantid(upn)", "upn"]);
    for row in data {
        // Time in the lobby is not time in the meeting.
        table.read_row(b, row, |_| Role::parse(row.get(role_column)));
    }
    Ok(())
}
