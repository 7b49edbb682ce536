//! Agenda rules (compliance.md §3.2, §3.3: ASHA-COURSE-10, ASHA-CEU-1): the agenda exists,
//! lies within the offering's dates, is in time order without overlaps, every time exists in
//! the offering's zone, and a working meal says how much of it is presentation.

use crate::catalogue::ids::*;
use crate::course::{AgendaBlock, BlockKind, CourseRecord};
use crate::findings::{Finding, Location};
use crate::offering::to_utc;

/// The agenda findings of a course record, block by block.
pub(super) fn check(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let course = &record.course;
    let offering = &course.offering;
    if offering.end_date < offering.start_date {
        findings.push(Finding::offering_error(
            ASHA_COURSE_10,
            format!(
                "end_date {} is before start_date {}",
                offering.end_date, offering.start_date
            ),
            record.file(),
            "correct start_date and end_date in [offering]",
        ));
    }
    if course.agenda.is_empty() {
        findings.push(Finding::offering_error(
            ASHA_COURSE_10,
            "the course record has no agenda".into(),
            record.file(),
            "add one [[agenda]] table per block with date, start, end and kind",
        ));
        return;
    }
    let mut previous: Option<&AgendaBlock> = None;
    for spanned in &course.agenda {
        let block = spanned.get_ref();
        let at = record.at(spanned);
        check_block(record, block, &at, findings);
        if let Some(previous) = previous {
            check_order(previous, block, &at, findings);
        }
        previous = Some(block);
    }
}

/// One block on its own: within the offering's dates, ending after it starts, at times that
/// exist in the offering's zone, and a working meal's presentation minutes.
fn check_block(
    record: &CourseRecord,
    block: &AgendaBlock,
    at: &Location,
    findings: &mut Vec<Finding>,
) {
    let offering = &record.course.offering;
    if block.date < offering.start_date || block.date > offering.end_date {
        findings.push(Finding::offering_error(
            ASHA_COURSE_10,
            format!(
                "agenda block on {} is outside the offering's dates ({} to {})",
                block.date, offering.start_date, offering.end_date
            ),
            at.clone(),
            "correct the block's date or the offering's start_date/end_date",
        ));
    }
    if block.end <= block.start {
        findings.push(Finding::offering_error(
            ASHA_COURSE_10,
            format!(
                "agenda block {} {}–{} ends before it starts",
                block.date,
                block.start.format("%H:%M"),
                block.end.format("%H:%M")
            ),
            at.clone(),
            "blocks must end after they start on the same day; split a block that crosses midnight",
        ));
    }
    for (label, time) in [("start", block.start), ("end", block.end)] {
        if to_utc(record.time_zone, block.date.and_time(time)).is_none() {
            findings.push(Finding::offering_error(
                ASHA_COURSE_10,
                format!(
                    "agenda block {label} {} {} does not exist in {} (the clocks skip it when daylight time starts)",
                    block.date,
                    time.format("%H:%M"),
                    record.time_zone
                ),
                at.clone(),
                "use the local time as shown on the clock that day",
            ));
        }
    }
    if block.kind == BlockKind::WorkingMeal {
        match block.presentation_minutes {
            Some(m) if m > 0 && m <= block.minutes() => {}
            _ => findings.push(Finding::offering_error(
                ASHA_CEU_1,
                format!(
                    "working meal {} {} needs presentation_minutes between 1 and its {} minutes: only the presentation counts",
                    block.date,
                    block.start.format("%H:%M"),
                    block.minutes()
                ),
                at.clone(),
                "add presentation_minutes = <minutes of germane presentation>, or make it kind = \"meal\"",
            )),
        }
    }
}

/// A block after `previous`: not earlier, and not overlapping it on the same day.
fn check_order(
    previous: &AgendaBlock,
    block: &AgendaBlock,
    at: &Location,
    findings: &mut Vec<Finding>,
) {
    if (block.date, block.start) < (previous.date, previous.start) {
        findings.push(Finding::offering_error(
            ASHA_COURSE_10,
            format!(
                "agenda is not in time order: {} {} comes after {} {}",
                block.date,
                block.start.format("%H:%M"),
                previous.date,
                previous.start.format("%H:%M")
            ),
            at.clone(),
            "list the [[agenda]] blocks in the order they happen",
        ));
    } else if block.date == previous.date && block.start < previous.end {
        findings.push(Finding::offering_error(
            ASHA_COURSE_10,
            format!(
                "agenda block {} {}–{} overlaps the block before it ({}–{})",
                block.date,
                block.start.format("%H:%M"),
                block.end.format("%H:%M"),
                previous.start.format("%H:%M"),
                previous.end.format("%H:%M")
            ),
            at.clone(),
            "correct the times so that each block starts when or after the previous one ends",
        ));
    }
}
