//! ASHA course-content rules over the course's own words (compliance.md §3.2: ASHA-COURSE-9,
//! -14): the registered description is written in the past tense, and no content promotes the
//! practices ASHA excludes. Both are text heuristics, so they warn.

use crate::catalogue::ids::*;
use crate::course::CourseRecord;
use crate::findings::Finding;

/// Future-tense phrases of a description written before the course (ASHA-COURSE-9).
const FUTURE_TENSE: [&str; 7] = [
    "will learn",
    "participants will",
    "attendees will",
    "learners will",
    "you will",
    "will be able",
    "will be taught",
];

/// Practices ASHA CE may not promote (ASHA-COURSE-14), lowercase, matched as phrases.
const EXCLUDED: [&str; 3] = [
    "auditory integration training",
    "facilitated communication",
    "rapid prompting method",
];

/// The content findings of a course record; ASHA's rules, so only with ASHA credit.
pub(super) fn check(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let course = &record.course;
    if course.credit.asha.is_none() {
        return;
    }
    let offering = &course.offering;
    let description = offering.description.to_lowercase();
    if let Some(phrase) = FUTURE_TENSE.iter().find(|p| description.contains(*p)) {
        findings.push(Finding::offering_warning(
            ASHA_COURSE_9,
            format!("the description is in the future tense (\"{phrase}\"); ASHA registers it in the past tense"),
            record.file(),
            "rewrite `[offering] description` in the past tense, e.g. \"Participants practised …\"",
        ));
    }
    let mut texts = vec![
        offering.title.get_ref().clone(),
        offering.description.clone(),
    ];
    if let Some(outcomes) = &offering.learning_outcomes {
        texts.extend(outcomes.get_ref().iter().cloned());
    }
    for text in &texts {
        let lower = text.to_lowercase();
        let acronym = text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "AIT");
        if let Some(practice) = EXCLUDED
            .iter()
            .find(|p| lower.contains(*p))
            .copied()
            .or(acronym.then_some("AIT"))
        {
            findings.push(Finding::offering_warning(
                ASHA_COURSE_14,
                format!("the course text mentions {practice} (\"{}\"), which ASHA CE may not promote", text.trim()),
                record.file(),
                "ASHA CE may not promote auditory integration training, facilitated communication or the rapid prompting method: remove it, or offer the course without ASHA credit",
            ));
        }
    }
}
