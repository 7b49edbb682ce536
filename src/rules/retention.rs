//! Record retention (compliance.md §3.5, §3.6: ASHA-RECORD-1, NCBTMB-RECORD-1,
//! IACET-RECORD-1): the provider's stated retention, `[rules] retention_years` (default 7),
//! is at least what each body whose credit the course offers asks for. ASHA's sources
//! conflict (4 years now, 7 under the 2011 rule); ceu holds to the longer.

use crate::catalogue::{RuleId, ids::*};
use crate::course::CourseRecord;
use crate::findings::Finding;

/// The retention findings of a course record.
pub(super) fn check(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let course = &record.course;
    let years = course.rules.retention_years;
    let credit = &course.credit;
    let asks: [(RuleId, &str, bool, i64); 3] = [
        (ASHA_RECORD_1, "ASHA", credit.asha.is_some(), 7),
        (NCBTMB_RECORD_1, "NCBTMB", credit.ncbtmb.is_some(), 5),
        (IACET_RECORD_1, "IACET", credit.iacet.is_some(), 7),
    ];
    for (rule, body, offered, minimum) in asks {
        if offered && years < minimum {
            findings.push(Finding::offering_warning(
                rule,
                format!("records are kept {years} years (`[rules] retention_years`); {body} asks for {minimum}"),
                record.file(),
                &format!("keep the records and certificates at least {minimum} years: set `retention_years = {minimum}` or more"),
            ));
        }
    }
}
