//! When disclosures were collected (compliance.md §3.1: ASHA-DISCLOSE-8): before delivery, and
//! again for each offering. A disclosure dated after the offering's start is an error; one
//! dated before the previous offering of the same course is a warning (it was not
//! re-confirmed).
//!
//! The previous offering is the latest other offering of the course ([`super::siblings`]) that
//! starts before this one.

use super::siblings::Siblings;
use crate::catalogue::ids::*;
use crate::course::CourseRecord;
use crate::findings::Finding;
use chrono::NaiveDate;

/// The ASHA-DISCLOSE-8 findings of a loaded offering.
pub(super) fn check(record: &CourseRecord, siblings: &Siblings, findings: &mut Vec<Finding>) {
    let start = record.course.offering.start_date;
    let previous = previous_start(record, siblings);
    for spanned in &record.course.speakers {
        let speaker = spanned.get_ref();
        let Some(disclosure) = &speaker.disclosure else {
            continue;
        };
        let Some(date) = disclosure.get_ref().date else {
            continue;
        };
        let at = record.at(disclosure);
        if date > start {
            findings.push(Finding::offering_error(
                ASHA_DISCLOSE_8,
                format!(
                    "speaker `{}`'s disclosure is dated {date}, after the offering starts ({start})",
                    speaker.name
                ),
                at,
                "collect the disclosure before the course is delivered and record that date",
            ));
        } else if let Some(previous) = previous.filter(|p| date < *p) {
            findings.push(Finding::offering_warning(
                ASHA_DISCLOSE_8,
                format!(
                    "speaker `{}`'s disclosure is dated {date}, before the previous offering of this course ({previous}): it was not re-confirmed for this offering",
                    speaker.name
                ),
                at,
                "ask the speaker to re-confirm the disclosure for this offering and record the new date",
            ));
        }
    }
}

/// The start of the latest other offering of the same ASHA course that starts before this one.
fn previous_start(record: &CourseRecord, siblings: &Siblings) -> Option<NaiveDate> {
    let start = record.course.offering.start_date;
    siblings
        .offerings
        .iter()
        .map(super::siblings::Sibling::start)
        .filter(|sibling_start| *sibling_start < start)
        .max()
}
