//! When disclosures were collected (compliance.md §3.1: ASHA-DISCLOSE-8): before delivery, and
//! again for each offering. A disclosure dated after the offering's start is an error; one
//! dated before the previous offering of the same course is a warning (it was not
//! re-confirmed).
//!
//! The previous offering is the latest sibling offering folder (a folder beside this one,
//! under the same records root, whose `course.toml` loads) with the same ASHA provider code
//! and course number that starts before this one. A sibling that does not load is skipped.

use crate::catalogue::ids::*;
use crate::course::{self, CourseRecord};
use crate::findings::Finding;
use crate::offering::Offering;
use chrono::NaiveDate;
use std::path::Path;

/// The ASHA-DISCLOSE-8 findings of a loaded offering.
pub(super) fn check(offering: &Offering, findings: &mut Vec<Finding>) {
    let record = &offering.record;
    let start = record.course.offering.start_date;
    let previous = previous_start(&offering.dir, record);
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

/// The ASHA provider code and course number of a record, when both are given.
fn course_key(record: &CourseRecord) -> Option<(String, String)> {
    let asha = record.course.credit.asha.as_ref()?.get_ref();
    let number = asha.course_number.trim();
    (!number.is_empty()).then(|| {
        (
            asha.provider_code.get_ref().trim().to_string(),
            number.to_string(),
        )
    })
}

/// The start of the latest sibling offering of the same ASHA course that starts before this
/// one.
fn previous_start(dir: &Path, record: &CourseRecord) -> Option<NaiveDate> {
    let key = course_key(record)?;
    let start = record.course.offering.start_date;
    let this = std::fs::canonicalize(dir).ok()?;
    let root = this.parent()?;
    std::fs::read_dir(root)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir() && *path != this)
        .filter_map(|path| {
            let file = path.join("course.toml");
            course::load(&file, &file).ok()
        })
        .filter(|sibling| course_key(sibling).as_ref() == Some(&key))
        .map(|sibling| sibling.course.offering.start_date)
        .filter(|sibling_start| *sibling_start < start)
        .max()
}
