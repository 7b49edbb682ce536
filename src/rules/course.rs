//! ASHA course-definition rules (compliance.md §1.3, §3.2: ASHA-COURSE-1 to -8): the
//! fields ASHA registers an offering with are well formed.

use crate::catalogue::ids::*;
use crate::course::CourseRecord;
use crate::findings::Finding;

/// ASHA's instructional levels (ASHA-COURSE-5).
const LEVELS: [&str; 4] = ["Introductory", "Intermediate", "Advanced", "Various"];

/// Verbs ASHA asks learning outcomes to avoid, because they cannot be measured (ASHA-COURSE-8).
const UNMEASURABLE: [&str; 7] = [
    "understand",
    "know",
    "become aware",
    "become familiar",
    "learn about",
    "appreciate",
    "be aware",
];

/// Whether `text` is exactly `digits` ASCII digits.
fn is_digits(text: &str, digits: usize) -> bool {
    text.len() == digits && text.bytes().all(|b| b.is_ascii_digit())
}

/// ASHA-COURSE-2 and -3: a four-digit course number and a three-digit offering number from
/// 001, when given (uniqueness across the provider's catalogue is not in one record).
fn check_numbers(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let Some(asha) = &record.course.credit.asha else {
        return;
    };
    let credit = asha.get_ref();
    let course = credit.course_number.trim();
    if !course.is_empty() && !is_digits(course, 4) {
        findings.push(Finding::offering_warning(
            ASHA_COURSE_2,
            format!("ASHA course number `{course}` is not four digits"),
            record.at(asha),
            "write the four-digit course number ASHA registered, e.g. course_number = \"0001\"",
        ));
    }
    let offering = credit.offering_number.trim();
    if !offering.is_empty() && (!is_digits(offering, 3) || offering == "000") {
        findings.push(Finding::offering_warning(
            ASHA_COURSE_3,
            format!("ASHA offering number `{offering}` is not three digits from 001"),
            record.at(asha),
            "number offerings 001, 002, … e.g. offering_number = \"001\"",
        ));
    }
}

/// ASHA-COURSE-7: with ASHA credit, a subject code is assigned, and, when the provider lists
/// the codes it uses in `[rules] asha_subject_codes` (ASHA's list is UNCONFIRMED), it is one
/// of them.
fn check_subject_code(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let Some(asha) = &record.course.credit.asha else {
        return;
    };
    let code = asha.get_ref().subject_code.trim();
    let known = &record.course.rules.asha_subject_codes;
    if code.is_empty() {
        findings.push(Finding::offering_warning(
            ASHA_COURSE_7,
            "no ASHA subject code: ASHA registers each course under a subject code".to_string(),
            record.at(asha),
            "add the code the course was registered under to [credit.asha], e.g. subject_code = \"...\"",
        ));
    } else if !known.is_empty() && !known.iter().any(|k| k.trim() == code) {
        findings.push(Finding::offering_warning(
            ASHA_COURSE_7,
            format!(
                "ASHA subject code `{code}` is not one of `[rules] asha_subject_codes` ({})",
                known.join(", ")
            ),
            record.at(asha),
            "correct the subject code, or add it to `[rules] asha_subject_codes`",
        ));
    }
}

/// The course-definition findings of a course record.
pub(super) fn check(record: &CourseRecord, findings: &mut Vec<Finding>) {
    check_subject_code(record, findings);
    let course = &record.course;
    let offering = &course.offering;
    if let Some(asha) = &course.credit.asha {
        let code = asha.get_ref().provider_code.get_ref();
        if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            findings.push(Finding::offering_error(
                ASHA_COURSE_1,
                format!("ASHA provider code `{code}` is not four capital letters"),
                record.at(&asha.get_ref().provider_code),
                "write the four-letter code ASHA assigned, e.g. provider_code = \"ABCD\"",
            ));
        }
    }
    let title = offering.title.get_ref();
    let length = title.chars().count();
    if length > 80 {
        findings.push(Finding::offering_warning(
            ASHA_COURSE_4,
            format!("the title is {length} characters; ASHA's registration form takes at most 80"),
            record.at(&offering.title),
            "shorten the registered title to 80 characters or fewer (60 on the legacy form)",
        ));
    }
    let level = offering.level.get_ref();
    if !LEVELS.iter().any(|l| l.eq_ignore_ascii_case(level.trim())) {
        findings.push(Finding::offering_error(
            ASHA_COURSE_5,
            format!(
                "instructional level `{level}` is not one of {}",
                LEVELS.join(", ")
            ),
            record.at(&offering.level),
            "set level to Introductory, Intermediate, Advanced or Various",
        ));
    }
    check_content_area(record, findings);
    check_outcomes(record, findings);
    check_numbers(record, findings);
}

/// ASHA-COURSE-6: the content area is B, P or R, and present when ASHA credit is offered.
fn check_content_area(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let course = &record.course;
    match &course.offering.content_area {
        Some(area) if matches!(area.get_ref().trim(), "B" | "P" | "R") => {}
        Some(area) => findings.push(Finding::offering_error(
            ASHA_COURSE_6,
            format!("content area `{}` is not B, P or R", area.get_ref()),
            record.at(area),
            "set content_area to B (Basic Communication Processes), P (Professional) or R (Related)",
        )),
        None if course.credit.asha.is_some() => findings.push(Finding::offering_error(
            ASHA_COURSE_6,
            "the course offers ASHA credit but has no content area".into(),
            record.file(),
            "add content_area = \"B\", \"P\" or \"R\" to [offering]",
        )),
        None => {}
    }
}

/// ASHA-COURSE-8: there are learning outcomes, and each uses a measurable verb.
fn check_outcomes(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let offering = &record.course.offering;
    let empty = Vec::new();
    let outcomes = offering
        .learning_outcomes
        .as_ref()
        .map_or(&empty, |o| o.get_ref());
    let outcomes_at = offering
        .learning_outcomes
        .as_ref()
        .map_or_else(|| record.file(), |o| record.at(o));
    if outcomes.iter().all(|o| o.trim().is_empty()) {
        findings.push(Finding::offering_warning(
            ASHA_COURSE_8,
            "the course has no learning outcomes".into(),
            record.file(),
            "add learning_outcomes = [\"Participants will be able to …\"] with measurable action verbs",
        ));
    }
    for outcome in outcomes {
        if let Some(verb) = unmeasurable_verb(outcome) {
            findings.push(Finding::offering_warning(
                ASHA_COURSE_8,
                format!("learning outcome \"{outcome}\" uses \"{verb}\", which cannot be measured"),
                outcomes_at.clone(),
                "use an observable action verb: describe, demonstrate, identify, list, apply …",
            ));
        }
    }
}

/// The first verb of ASHA's "avoid" list in an outcome, matched on whole words ("know" must
/// not match "knowledge").
fn unmeasurable_verb(outcome: &str) -> Option<&'static str> {
    let lower = outcome.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let padded = format!(" {} ", words.join(" "));
    UNMEASURABLE
        .iter()
        .copied()
        .find(|verb| padded.contains(&format!(" {verb} ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: ASHA-COURSE-8 matched "know" inside "knowledge".
    #[test]
    fn unmeasurable_verbs_match_whole_words_only() {
        assert_eq!(
            unmeasurable_verb("Apply knowledge of arcing to find energy cysts"),
            None
        );
        assert_eq!(unmeasurable_verb("Know the 10-step protocol"), Some("know"));
        assert_eq!(
            unmeasurable_verb("Become familiar with dialogue"),
            Some("become familiar")
        );
    }
}
