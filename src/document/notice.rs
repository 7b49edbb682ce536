//! The written notice to an attendee who asked for a body's credit and will not get it
//! (ASHA-COMPLETE-4): what they attended, what was required, and per body what happens.
//!
//! Who gets one ([`needs_notice`]): an attendee with at least one requested body whose credit
//! is not awarded (did not complete, not eligible, assessment missing), who is not blocked by
//! any finding, in an offering without offering-level errors and without unresolved unmatched
//! attendance (which might still change the outcome). The data ([`NoticeData`]) is everything
//! printed; [`content_sha256`] covers all of it but the date, so a rerun with the same outcome
//! writes nothing new.

use crate::course::Course;
use crate::roster::{Attendee, Body};
use crate::rules::{AttendeeOutcome, Report, Status};
use serde::Serialize;

/// The built-in notice template (`templates/notice.typ`), compiled into the binary.
pub const TEMPLATE: &str = include_str!("../../templates/notice.typ");

/// The folder, in the offering folder, that holds the notices.
pub const FOLDER: &str = "notices";

/// ASHA's wording for what happens to a participant who does not earn ASHA CEUs; printed in
/// ASHA's block only.
pub const ASHA_NOT_REPORTED: &str = "will not be reported to the ASHA CE Registry";

/// Everything printed on one notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeData {
    /// "Notice: continuing-education credit not awarded".
    pub heading: String,
    /// The date the notice is written, in the offering's time zone ("20 March 2025").
    pub written_on: String,
    pub provider: Party,
    pub signatory: Party,
    pub holder: Party,
    pub offering: OfferingLine,
    /// Attended instructional minutes, and the course's (whole minutes).
    pub attended_minutes: i64,
    pub instructional_minutes: i64,
    /// The provider's completion requirements (course.toml `[completion] requirements`).
    pub requirements: String,
    /// What the evaluation decided: "did not complete the activity" or "completed ...".
    pub outcome: String,
    /// The evaluation's reason (with its rule id).
    pub reason: String,
    /// Whether a certificate is issued anyway (completers and partial credit).
    pub certificate: String,
    /// One block per requested body whose credit is not awarded.
    pub bodies: Vec<BodyBlock>,
}

/// A person or organisation as printed: a name and one more line (contact, title or id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Party {
    pub name: String,
    pub detail: String,
}

/// The offering as printed on a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferingLine {
    pub id: String,
    pub title: String,
    pub dates: String,
    pub location: String,
}

/// One body's block: what happens and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyBlock {
    /// `ASHA`, `NCBTMB`, `AOTA`, `IACET`, `PT`.
    pub body: String,
    /// What happens, in that body's terms.
    pub consequence: String,
    /// Why (the evaluation's reason, with its rule id).
    pub reason: String,
}

/// Whether anyone may get a notice in this evaluation: no offering-level error and no
/// unresolved unmatched attendance (either may still change who completed).
pub fn offering_allows_notices(report: &Report) -> bool {
    !report.offering_blocked() && report.unresolved_rows.is_empty()
}

/// Whether this attendee gets a notice: not blocked by any finding, and at least one body
/// they asked for awards them nothing.
pub fn needs_notice(outcome: &AttendeeOutcome) -> bool {
    outcome.blocked_by.is_empty()
        && outcome
            .credits
            .iter()
            .any(|c| c.requested && c.amount.is_none())
}

/// The notice for `attendee`, written on `written_on` (already formatted).
pub fn notice_data(
    course: &Course,
    attendee: &Attendee,
    outcome: &AttendeeOutcome,
    written_on: &str,
) -> NoticeData {
    let offering = &course.offering;
    let completed = outcome.status != Status::NotCompleted;
    NoticeData {
        heading: "Notice: continuing-education credit not awarded".into(),
        written_on: written_on.to_string(),
        provider: Party {
            name: course.provider.name.clone(),
            detail: course.provider.contact.clone(),
        },
        signatory: Party {
            name: course.provider.signatory.name.clone(),
            detail: course.provider.signatory.title.clone(),
        },
        holder: Party {
            name: attendee.display_name(),
            detail: format!("Attendee {}", attendee.id()),
        },
        offering: OfferingLine {
            id: offering.id.get_ref().clone(),
            title: offering.title.get_ref().clone(),
            dates: crate::certificate::date_range(offering.start_date, offering.end_date),
            location: offering.location.clone(),
        },
        attended_minutes: outcome.attended_minutes,
        instructional_minutes: outcome.instructional_minutes,
        requirements: course.completion.get_ref().requirements.trim().to_string(),
        outcome: match outcome.status {
            Status::Completed => "completed the activity".into(),
            Status::Partial => "did not complete the activity; partial credit is awarded".into(),
            Status::NotCompleted => "did not complete the activity".into(),
        },
        reason: outcome.reason.replace('`', ""),
        certificate: if completed {
            "You receive a certificate showing the credit that is awarded.".into()
        } else {
            "No certificate is issued for this activity.".into()
        },
        bodies: outcome
            .credits
            .iter()
            .filter(|c| c.requested && c.amount.is_none())
            .map(|c| BodyBlock {
                body: c.body.name().to_string(),
                consequence: consequence(c.body),
                reason: c.reason.replace('`', ""),
            })
            .collect(),
    }
}

/// What happens with one body's credit not awarded. ASHA's wording ("will not be reported to
/// the ASHA CE Registry") is ASHA's only; the others say no credit is awarded.
fn consequence(body: Body) -> String {
    match body {
        Body::Asha => format!(
            "Your participation {ASHA_NOT_REPORTED}, and no ASHA CEUs are awarded for this activity."
        ),
        Body::Pt => {
            "No physical-therapy contact hours are awarded for this activity; do not claim them with your licensing board.".into()
        }
        other => format!(
            "No {} credit is awarded for this activity; do not claim it with {}.",
            other.name(),
            other.name()
        ),
    }
}

/// SHA-256 of everything the notice prints except its date: a rerun whose notice says the
/// same writes and records nothing new.
pub fn content_sha256(data: &NoticeData) -> String {
    let undated = NoticeData {
        written_on: String::new(),
        ..data.clone()
    };
    crate::sign::sha256_hex(&serde_json::to_vec(&undated).unwrap_or_default())
}

/// The notice's file name: `notice-<attendee id>.pdf`, with any character other than ASCII
/// letters, digits, `-` and `_` replaced by `_`.
pub fn file_name(attendee_id: &str) -> String {
    let safe: String = attendee_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("notice-{safe}.pdf")
}
