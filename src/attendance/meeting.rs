//! The participant table of a meeting export (Zoom, Teams): one row per join, with who, the
//! join and leave times, and columns that mark time outside the meeting (waiting room, lobby,
//! a registrant who did not attend). Both formats read their rows here, so a row means the
//! same in either.

use super::{FileBuilder, Identity, IdentityColumns, Role};
use crate::catalogue::ids;
use crate::findings::Severity;
use crate::input::table::{self, Header, Row};

/// Where a participant table keeps who, when they joined and left, and absence marks.
pub(super) struct Participants {
    who: IdentityColumns,
    absence: AbsenceColumns,
    join: usize,
    leave: usize,
    /// The join and leave headers as written, for messages.
    join_name: String,
    leave_name: String,
    /// Teams' sign-in address column, used when a row's Email cell is empty (guests have none).
    pub upn: Option<usize>,
    /// The fix offered for a row that says nobody.
    pub no_identity_fix: &'static str,
}

impl Participants {
    /// The table under `header`, whose join and leave columns are `join` and `leave`.
    pub fn new(header: &Header, join: usize, leave: usize) -> Participants {
        let name = |column: usize| header.names.get(column).cloned().unwrap_or_default();
        Participants {
            who: IdentityColumns::find(header),
            absence: AbsenceColumns::find(header),
            join,
            leave,
            join_name: name(join),
            leave_name: name(leave),
            upn: None,
            no_identity_fix: "check the export",
        }
    }

    /// Reads one row: a presence from join to leave with the role `role` gives it, or nothing
    /// for a row outside the meeting, a repeat, or a row that says nobody, has a time that
    /// cannot be read or leaves before it joins (the last three reported).
    pub fn read_row<'a>(
        &self,
        b: &mut FileBuilder<'a>,
        row: &'a Row,
        role: impl FnOnce(&Identity) -> Option<Role>,
    ) {
        // Waiting-room and lobby rows, and registrants who did not attend, carry no presence.
        if self.absence.absent(row) {
            return;
        }
        let mut who = self.who.read(row);
        if who.email.is_none() && row.get(self.upn).contains('@') {
            who.email = Some(row.get(self.upn).to_string());
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
                "the row has no name or email".into(),
                self.no_identity_fix.into(),
            );
            return;
        }
        let role = role(&who);
        let start = b.stamp(&who, row, self.join, &self.join_name);
        let end = b.stamp(&who, row, self.leave, &self.leave_name);
        let (Some(start), Some(end)) = (start, end) else {
            return;
        };
        if end < start {
            b.order_finding(&who, row.line, self.leave, start, end);
            return;
        }
        if end > start {
            b.push_as(who, start, end, row.line, role);
        }
    }
}

/// Where a meeting export (Zoom, Teams) marks rows that are not time in the meeting: Zoom's
/// `In Waiting Room` (Yes), a lobby column, a webinar's `Attended` (No), or a status such as
/// `In lobby`. Such rows carry no presence.
#[derive(Debug, Clone, Copy, Default)]
struct AbsenceColumns {
    /// Yes = the row is time outside the meeting.
    waiting: Option<usize>,
    /// No = the person did not attend.
    attended: Option<usize>,
    /// A status word naming a waiting room or lobby.
    status: Option<usize>,
}

impl AbsenceColumns {
    const WAITING: &[&str] = &[
        "inwaitingroom",
        "waitingroom",
        "waitinginwaitingroom",
        "inlobby",
        "lobby",
        "waitinginlobby",
        "waitedinlobby",
    ];
    const ATTENDED: &[&str] = &["attended"];
    const STATUS: &[&str] = &["status", "participantstatus", "attendancestatus"];
    const ABSENT_STATUS: &[&str] = &[
        "inwaitingroom",
        "waitingroom",
        "waiting",
        "inlobby",
        "lobby",
        "waitinginlobby",
        "notattended",
        "didnotattend",
        "absent",
        "noshow",
    ];

    pub fn find(header: &Header) -> AbsenceColumns {
        AbsenceColumns {
            waiting: header.find(Self::WAITING),
            attended: header.find(Self::ATTENDED),
            status: header.find(Self::STATUS),
        }
    }

    /// True when the export marks `row` as not time in the meeting.
    pub fn absent(&self, row: &Row) -> bool {
        let word = |column: Option<usize>| table::normalize_header(row.get(column));
        matches!(
            word(self.waiting).as_str(),
            "yes" | "y" | "true" | "1" | "x"
        ) || matches!(word(self.attended).as_str(), "no" | "n" | "false" | "0")
            || Self::ABSENT_STATUS.contains(&word(self.status).as_str())
    }
}
