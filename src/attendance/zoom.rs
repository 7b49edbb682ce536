//! Zoom reports: the meeting participant report (with or without the meeting summary block
//! above the table) and the webinar attendee report (sections; only "Attendee Details" rows
//! with Attended = Yes count). Join Time and Leave Time are read; Duration is never trusted,
//! and a person's rejoins or two devices are merged later, never summed.

use super::meeting::Participants;
use super::{FileBuilder, FileProblem, Role, SourceFormat};
use crate::input::table::{Header, Row, normalize_header};

pub(super) const JOIN: &[&str] = &["jointime", "firstjoin"];
pub(super) const LEAVE: &[&str] = &["leavetime", "lastleave"];

pub(super) fn is_header(header: &Header) -> bool {
    header.has(JOIN) && header.has(LEAVE)
}

/// The host account's email in the meeting summary above the participant table (`Meeting ID,
/// Topic, Start Time, End Time, User Email, ...` and the row below it).
fn summary_host_email(above: &[Row]) -> Option<String> {
    let at = above.iter().position(|r| {
        let h = Header::new(r);
        h.has(&["meetingid"]) && h.has(&["useremail"])
    })?;
    let column = Header::new(&above[at]).find(&["useremail"])?;
    let email = above.get(at + 1)?.cell(column);
    email.contains('@').then(|| email.to_string())
}

/// Spellings of the duration-only column of a "Show unique users" export.
const TOTAL_DURATION: &[&str] = &["totalduration(minutes)", "totalduration"];
/// The original-name column only Zoom writes.
const ORIGINAL_NAME: &[&str] = &["name(originalname)", "username(originalname)"];

/// A Zoom export that has no join and leave times: the "Show unique users" participant export
/// (one row per person with a total duration), or the meeting summary alone. ceu never credits
/// a duration, so the file cannot be used; the fix is to export it again from Zoom.
/// `headers` are the file's first rows, each read as a header.
pub(super) fn without_times(headers: &[(usize, Header)]) -> Option<FileProblem> {
    let no_times = |h: &Header| !h.has(JOIN) && !h.has(LEAVE);
    let unique_users = |h: &Header| {
        no_times(h)
            && (h.has(TOTAL_DURATION)
                || (h.has(ORIGINAL_NAME) && h.has(&["duration(minutes)", "duration"])))
    };
    let summary = |h: &Header| no_times(h) && h.has(&["meetingid"]) && h.has(&["topic"]);
    let (header, unique_users) = match headers.iter().find(|(_, h)| unique_users(h)) {
        Some((_, header)) => (header, true),
        None => (&headers.iter().find(|(_, h)| summary(h))?.1, false),
    };
    let what = if unique_users {
        "a Zoom participant report exported with \"Show unique users\" ticked: it has one total duration per person and no join or leave times"
    } else {
        "a Zoom meeting summary without the participant table: it has no join or leave times"
    };
    Some((
        format!("line {}: this is {what}", header.line),
        "in Zoom (Reports > Usage > Participants), untick \"Show unique users\", tick \"Export with meeting data\" and export the report again, so that each join and leave time is included (ceu counts time from join and leave times, never from a duration)".into(),
    ))
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
    b.use_header(&header);
    let role_column = header.find(Role::COLUMN);
    let host_email = summary_host_email(&rows[..header_index]);
    let mut table = Participants::new(&header, join, leave);
    table.no_identity_fix = "check the export; delete the row if it is empty";
    let data: Vec<&Row> = rows[header_index + 1..]
        .iter()
        .take_while(|r| !is_section_title(r))
        .collect();
    if data.is_empty() {
        return Err((format!("the Zoom report has a participant header (line {}) but no participant rows", header.line), "export the report again after the meeting has ended, with \"Show unique users\" unticked".into()));
    }
    for row in data {
        // The meeting's host: a Role column, `(Host)` after the name, or the host account's
        // email from the meeting summary.
        table.read_row(b, row, |who| {
            Role::parse(row.get(role_column))
                .or_else(|| who.name.as_deref().and_then(Role::from_display_name))
                .or_else(|| {
                    let email = who.email.as_deref()?;
                    let host = host_email.as_deref()?;
                    email
                        .trim()
                        .eq_ignore_ascii_case(host)
                        .then_some(Role::Host)
                })
        });
    }
    Ok(format)
}
