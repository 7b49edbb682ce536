//! ASHA reporting (compliance.md §1.5, §3.5: ASHA-REPORT-1): the participant report's due
//! date, `end_date` + `[rules] asha_report_days`, moved back off a weekend under the 2018 rule
//! set only; a warning when it is close or past, never an error.

use crate::catalogue::AshaRuleSet;
use crate::catalogue::ids::*;
use crate::course::CourseRecord;
use crate::findings::Finding;
use chrono::{Datelike, NaiveDate, Weekday};

/// Reporting deadline (ASHA-REPORT-1): shown always, warned when passed or close.
pub(super) fn check(
    record: &CourseRecord,
    rule_set: AshaRuleSet,
    as_of: NaiveDate,
    findings: &mut Vec<Finding>,
) -> Option<NaiveDate> {
    let course = &record.course;
    let asha = course.credit.asha.as_ref()?;
    let mut due = course.offering.end_date + chrono::Duration::days(course.rules.asha_report_days);
    if rule_set == AshaRuleSet::Asha2018 {
        // Older rules move a weekend deadline back to the previous working day.
        match due.weekday() {
            Weekday::Sat => due -= chrono::Duration::days(1),
            Weekday::Sun => due -= chrono::Duration::days(2),
            _ => {}
        }
    }
    let remaining = (due - as_of).num_days();
    if remaining < 0 {
        findings.push(Finding::offering_warning(
            ASHA_REPORT_1,
            format!(
                "the ASHA participant report was due on {due} ({} days after the end date); as of {as_of} it is {} days late",
                course.rules.asha_report_days, -remaining
            ),
            record.at(asha),
            "submit the participant report in the ASHA CE Provider Portal now, or check with ASHA CE",
        ));
    } else if remaining <= 7 {
        findings.push(Finding::offering_warning(
            ASHA_REPORT_1,
            format!("the ASHA participant report is due on {due}, in {remaining} days"),
            record.at(asha),
            "report the participants in the ASHA CE Provider Portal before the deadline",
        ));
    }
    Some(due)
}
