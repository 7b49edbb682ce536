//! Completion-policy rules (compliance.md §1.4, §3.4: ASHA-COMPLETE-1, -2, -3): the policy
//! learners were told is stated and usable, and under the 2025 Standards includes a learning
//! assessment. How the policy decides each attendee is in `outcome`.

use crate::catalogue::AshaRuleSet;
use crate::catalogue::ids::*;
use crate::course::CourseRecord;
use crate::findings::Finding;

/// The completion-policy findings of a course record.
pub(super) fn check(record: &CourseRecord, rule_set: AshaRuleSet, findings: &mut Vec<Finding>) {
    let course = &record.course;
    let completion = course.completion.get_ref();
    let at = record.at(&course.completion);
    if completion.requirements.trim().is_empty() {
        findings.push(Finding::offering_error(
            ASHA_COMPLETE_1,
            "the satisfactory-completion requirements are not stated".into(),
            at.clone(),
            "add requirements = \"…\" to [completion], worded as learners were told before enrolling",
        ));
    }
    match completion.attendance.as_str() {
        "full" => {}
        "minimum" => {
            if !completion
                .minimum_percent
                .is_some_and(|p| (1..=100).contains(&p))
            {
                findings.push(Finding::offering_error(
                    ASHA_COMPLETE_3,
                    "attendance = \"minimum\" needs minimum_percent between 1 and 100".into(),
                    at.clone(),
                    "add minimum_percent = 90 (for example) to [completion]",
                ));
            }
        }
        other => findings.push(Finding::offering_error(
            ASHA_COMPLETE_3,
            format!("completion attendance `{other}` is not \"full\" or \"minimum\""),
            at.clone(),
            "set attendance = \"full\" or \"minimum\" in [completion]",
        )),
    }
    if completion.grace_minutes < 0 {
        findings.push(Finding::offering_error(
            ASHA_COMPLETE_3,
            "grace_minutes cannot be negative".into(),
            at.clone(),
            "set grace_minutes to 0 or more",
        ));
    }
    if rule_set == AshaRuleSet::Asha2025
        && course.credit.asha.is_some()
        && !completion.assessment_required
    {
        findings.push(Finding::offering_error(
            ASHA_COMPLETE_2,
            format!(
                "the offering ends on {}, on or after 2025-07-01: ASHA no longer accepts attendance alone as completion",
                course.offering.end_date
            ),
            at,
            "add a learning assessment (quiz, self-assessment, skill demonstration, intent-to-change statement) and set assessment_required = true",
        ));
    }
}
