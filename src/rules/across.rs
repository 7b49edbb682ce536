//! Rules across the offerings of one ASHA course ([`super::siblings`]; compliance.md §3.2):
//!
//! - ASHA-COURSE-3: an offering number is unique within the course (warning);
//! - ASHA-COURSE-11: every offering of a course is identical in title, description, learning
//!   outcomes, agenda (the kinds and lengths of its blocks in order, not their dates or
//!   clock times), ASHA CEUs and assessment (error, naming what differs and in which folder);
//! - ASHA-COURSE-13: an offering starts within five years of the earliest offering of the
//!   course that ceu can see (error; earlier offerings kept elsewhere may exist).

use super::siblings::{Sibling, Siblings};
use crate::catalogue::ids::*;
use crate::course::{Course, CourseRecord};
use crate::findings::{Finding, Severity};
use chrono::Months;

/// The findings of the rules across offerings.
pub(super) fn check(record: &CourseRecord, siblings: &Siblings, findings: &mut Vec<Finding>) {
    let Some(asha) = record.course.credit.asha.as_ref() else {
        return;
    };
    let asha = asha.get_ref();
    let number = asha.offering_number.trim();
    for sibling in &siblings.offerings {
        let theirs = sibling.record.course.credit.asha.as_ref();
        if !number.is_empty()
            && theirs.is_some_and(|t| t.get_ref().offering_number.trim() == number)
        {
            findings.push(Finding::offering_warning(
                ASHA_COURSE_3,
                format!(
                    "offering number {number} is also the offering number of `{}`, another offering of this course: offering numbers are unique within a course",
                    sibling.name()
                ),
                record.at(record.course.credit.asha.as_ref().expect("checked above")),
                "give this offering the next unused offering number (001, 002, …)",
            ));
        }
        let differences = differences(&record.course, &sibling.record.course);
        if !differences.is_empty() {
            findings.push(identical_finding(record, sibling, &differences));
        }
    }
    window(record, siblings, findings);
}

fn identical_finding(record: &CourseRecord, sibling: &Sibling, differences: &[String]) -> Finding {
    Finding::offering_error(
        ASHA_COURSE_11,
        format!(
            "this offering differs from `{}`, another offering of the same ASHA course, in {}: every offering of a course must be identical in title, description, learning outcomes, agenda, CEUs and assessment",
            sibling.name(),
            differences.join("; ")
        ),
        record.file(),
        "make the two records the same, or register the changed course with ASHA under a new course number",
    )
}

/// What differs between two offerings of a course (ASHA-COURSE-11), in words.
fn differences(this: &Course, other: &Course) -> Vec<String> {
    let mut found = Vec::new();
    if this.offering.title.get_ref().trim() != other.offering.title.get_ref().trim() {
        found.push("the title".to_string());
    }
    if this.offering.description.trim() != other.offering.description.trim() {
        found.push("the description".to_string());
    }
    let outcomes = |c: &Course| {
        c.offering
            .learning_outcomes
            .as_ref()
            .map_or_else(Vec::new, |o| {
                o.get_ref().iter().map(|s| s.trim().to_string()).collect()
            })
    };
    if outcomes(this) != outcomes(other) {
        found.push("the learning outcomes".to_string());
    }
    if let Some(agenda) = agenda_difference(this, other) {
        found.push(agenda);
    }
    let ceus = |c: &Course| {
        c.credit
            .asha
            .as_ref()
            .map(|a| a.get_ref().ceus.get_ref().hundredths)
    };
    if ceus(this) != ceus(other) {
        found.push("the ASHA CEUs".to_string());
    }
    let assessment = |c: &Course| {
        (
            c.completion.get_ref().assessment_required,
            c.credit.ncbtmb.as_ref().is_some_and(|n| n.get_ref().test),
        )
    };
    if assessment(this) != assessment(other) {
        found.push("the assessment (`assessment_required` or the NCBTMB `test`)".to_string());
    }
    found
}

/// The agenda as ASHA-COURSE-11 compares it: each block's kind, length in minutes and
/// presentation minutes, in order; dates and clock times aside.
fn agenda_shape(course: &Course) -> Vec<(&'static str, i64, Option<i64>)> {
    course
        .agenda
        .iter()
        .map(|b| {
            let b = b.get_ref();
            (b.kind.name(), b.minutes(), b.presentation_minutes)
        })
        .collect()
}

/// The first agenda block whose kind or length differs, in words.
fn agenda_difference(this: &Course, other: &Course) -> Option<String> {
    let (mine, theirs) = (agenda_shape(this), agenda_shape(other));
    if mine == theirs {
        return None;
    }
    let shown = |b: Option<&(&str, i64, Option<i64>)>| {
        b.map_or_else(
            || "no block".to_string(),
            |(kind, minutes, _)| format!("{kind} of {minutes} min"),
        )
    };
    let at = mine
        .iter()
        .zip(&theirs)
        .position(|(a, b)| a != b)
        .unwrap_or(mine.len().min(theirs.len()));
    Some(format!(
        "the agenda (block {}: {} here, {} there; {} blocks here, {} there)",
        at + 1,
        shown(mine.get(at)),
        shown(theirs.get(at)),
        mine.len(),
        theirs.len()
    ))
}

/// ASHA-COURSE-13: this offering starts within five years of the earliest one seen.
fn window(record: &CourseRecord, siblings: &Siblings, findings: &mut Vec<Finding>) {
    let start = record.course.offering.start_date;
    let Some(first) = siblings.offerings.iter().min_by_key(|s| s.start()) else {
        return;
    };
    if first.start() >= start {
        return;
    }
    let Some(limit) = first.start().checked_add_months(Months::new(60)) else {
        return;
    };
    if start >= limit {
        findings.push(Finding::offering(
            ASHA_COURSE_13,
            Severity::Error,
            format!(
                "this offering starts {start}, more than five years after the earliest offering of this course that ceu can see (`{}`, {}); ASHA registers a course for five years from its first offering (an earlier offering kept outside this records folder would make the window end sooner)",
                first.name(),
                first.start()
            ),
            Some(record.at(&record.course.offering.id)),
            format!(
                "offerings must start before {limit}: register the course with ASHA again under a new course number"
            ),
        ));
    }
}
