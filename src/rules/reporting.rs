//! ASHA reporting (compliance.md §1.5, §3.5: ASHA-REPORT-1, -5): the participant report's due
//! date, `end_date` + `[rules] asha_report_days`, moved back off a weekend under the 2018 rule
//! set only; a warning when it is close or past, never an error. Once the due date has passed
//! and the ledger records no submission of the offering's report (`ceu report asha
//! --submitted`), a second warning says the offering is neither reported nor closed
//! (ASHA-REPORT-5). A recorded submission silences both.

use crate::catalogue::AshaRuleSet;
use crate::catalogue::ids::*;
use crate::course::CourseRecord;
use crate::findings::Finding;
use chrono::{Datelike, NaiveDate, Weekday};

/// ASHA-REPORT-5: past its due date, the offering is not recorded as reported.
fn unreported(record: &CourseRecord, due: NaiveDate, findings: &mut Vec<Finding>) {
    let Some(asha) = record.course.credit.asha.as_ref() else {
        return;
    };
    let closed = due + chrono::Duration::days(30);
    findings.push(Finding::offering_warning(
        ASHA_REPORT_5,
        format!(
            "no submission of this offering's ASHA participant report is recorded in the ledger: every offering is reported, with zero participants if none earned credit, or ASHA closes it 30 days after its due date ({closed})"
        ),
        record.at(asha),
        "submit the report in the ASHA CE Provider Portal, then record it with `ceu report asha <offering> --submitted DATE`",
    ));
}

/// Reporting deadline (ASHA-REPORT-1): shown always, warned when passed or close, unless
/// `submitted` (read only then) gives a recorded submission; ASHA-REPORT-5 once passed.
pub(super) fn check(
    record: &CourseRecord,
    rule_set: AshaRuleSet,
    as_of: NaiveDate,
    findings: &mut Vec<Finding>,
    submitted: impl FnOnce() -> Option<String>,
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
    // The ledger is read only when a warning is due.
    if remaining <= 7 && submitted().is_some() {
        return Some(due);
    }
    if remaining < 0 {
        unreported(record, due, findings);
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
