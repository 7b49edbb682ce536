//! Who is reported to ASHA for a course only once (compliance.md §3.4: ASHA-ELIG-3, -4),
//! decided across the other offerings of the course ([`super::siblings`]):
//!
//! - ASHA-ELIG-3: an instructor is reported only the first time they teach the course. An
//!   attendee who is an instructor of an earlier offering of the course, or who is an
//!   instructor of this or another offering and was already reported for the course, gets no
//!   ASHA credit here.
//! - ASHA-ELIG-4: a person already reported for the course (their keyed tag is in another
//!   offering's `report` entry) is not reported again, unless `[credit.asha] repeats_allowed`.
//!
//! The credit is withheld in the outcome, with the rule id in its reason, so the certificate,
//! the ASHA participant file and `check` agree; `check` repeats it as an attendee warning (as
//! for every requested credit withheld). The report entries hold keyed tags, not names, so
//! matching them needs the signing key that wrote them: without it only the instructor part
//! of ASHA-ELIG-3 is decided.

use super::siblings::{Siblings, person_tag};
use crate::catalogue::ids::*;
use crate::course::{Course, Speaker};
use crate::offering::Offering;
use crate::roster::{Attendee, Body};
use crate::rules::{AttendeeOutcome, Status};
use compact_str::{CompactString, format_compact};

/// Withholds the ASHA credit of every attendee ASHA-ELIG-3 or -4 says is not reported again.
/// `key`: the signing key the ledger's `report` entries were written with, when known.
pub(super) fn withhold(
    offering: &Offering,
    siblings: &Siblings,
    key: Option<&crate::sign::KeyPair>,
    attendees: &mut [AttendeeOutcome],
) {
    if siblings.offerings.is_empty() && siblings.reports.is_empty() {
        return;
    }
    for (attendee, outcome) in offering.roster.attendees.iter().zip(attendees.iter_mut()) {
        let Some(award) = outcome
            .credits
            .iter_mut()
            .find(|a| a.body == Body::Asha && a.requested && a.amount.is_some())
        else {
            continue;
        };
        let Some(reason) = not_again(offering, siblings, key, attendee) else {
            continue;
        };
        award.amount = None;
        award.reason = reason;
        if outcome.status == Status::Partial && outcome.credits.iter().all(|c| c.amount.is_none()) {
            outcome.status = Status::NotCompleted;
            outcome.reason = outcome
                .reason
                .trim_end_matches("; partial credit awarded")
                .into();
        }
    }
}

/// Why `attendee` is not reported to ASHA again for this course, if they are not.
fn not_again(
    offering: &Offering,
    siblings: &Siblings,
    key: Option<&crate::sign::KeyPair>,
    attendee: &Attendee,
) -> Option<CompactString> {
    let course = &offering.record.course;
    let start = course.offering.start_date;
    if let Some(earlier) = siblings
        .offerings
        .iter()
        .filter(|s| s.start() < start)
        .find(|s| teaches(&s.record.course, attendee))
    {
        return Some(format_compact!(
            "taught this course in offering `{}` ({}): an instructor is reported for a course only the first time they teach it ({ASHA_ELIG_3})",
            earlier.name(),
            earlier.start()
        ));
    }
    let tag = person_tag(key?, attendee.email(), attendee.asha_account());
    let (seq, offering_id) = siblings.reported(&tag)?;
    let number = course.credit.asha.as_ref()?.get_ref();
    let instructor = teaches(course, attendee)
        || siblings
            .offerings
            .iter()
            .any(|s| teaches(&s.record.course, attendee));
    if instructor {
        Some(format_compact!(
            "already reported for ASHA course {} with offering {offering_id} (ledger entry {seq}): an instructor is reported for a course only once ({ASHA_ELIG_3})",
            number.course_number
        ))
    } else if number.repeats_allowed {
        None
    } else {
        Some(format_compact!(
            "already reported for ASHA course {} with offering {offering_id} (ledger entry {seq}): a person is reported for a course once ({ASHA_ELIG_4})",
            number.course_number
        ))
    }
}

/// Whether `attendee` is one of the course's instructors: the speaker's email, or their name
/// without titles and credentials, is the attendee's.
fn teaches(course: &Course, attendee: &Attendee) -> bool {
    course
        .speakers
        .iter()
        .map(|s| s.get_ref())
        .filter(|s| s.is_instructor())
        .any(|speaker| same_person(speaker, attendee))
}

/// Titles left out of a speaker's name before comparing it with an attendee's.
const TITLES: [&str; 8] = ["dr", "mr", "mrs", "ms", "mx", "prof", "professor", "rev"];

fn same_person(speaker: &Speaker, attendee: &Attendee) -> bool {
    let email = attendee.email().trim();
    if let Some(theirs) = &speaker.email
        && !email.is_empty()
        && theirs.trim().eq_ignore_ascii_case(email)
    {
        return true;
    }
    // "Dr. Dana Whitfield, PhD, CCC-SLP" → ["dana", "whitfield"].
    let name = speaker.name.split(',').next().unwrap_or("");
    let spoken = words(name)
        .into_iter()
        .filter(|w| !TITLES.contains(&w.as_str()))
        .collect::<Vec<_>>();
    let attending = words(&format!(
        "{} {}",
        attendee.first_name(),
        attendee.last_name()
    ));
    !attending.is_empty() && spoken == attending
}

/// The lowercase words of `text`.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}
