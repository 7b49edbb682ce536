//! ASHA content and support disclosures (compliance.md §3.1: ASHA-DISCLOSE-10, -11): a course
//! focused on one product says, before enrollment, that it gives limited or no information on
//! alternatives; a course with external financial or in-kind support says so to learners.

use crate::catalogue::ids::*;
use crate::course::CourseRecord;
use crate::findings::Finding;

/// Whether a statement is missing or blank.
fn is_blank(statement: Option<&String>) -> bool {
    statement.is_none_or(|s| s.trim().is_empty())
}

/// The ASHA-DISCLOSE-10 and -11 findings of a course record.
pub(super) fn check(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let offering = &record.course.offering;
    if let Some(focus) = &offering.single_product_focus
        && *focus.get_ref()
        && is_blank(offering.content_disclosure.as_ref())
    {
        findings.push(Finding::offering_error(
            ASHA_DISCLOSE_10,
            "the course focuses on a single product or service but has no `content_disclosure`".into(),
            record.at(focus),
            "add `content_disclosure = \"This course focuses on … and includes limited or no information on similar products or services.\"` to [offering], and show it before enrollment",
        ));
    }
    if let Some(support) = &offering.support
        && support.get_ref().iter().any(|s| !s.trim().is_empty())
        && is_blank(offering.support_disclosure.as_ref())
    {
        findings.push(Finding::offering_error(
            ASHA_DISCLOSE_11,
            format!(
                "the course has external support ({}) but no `support_disclosure`",
                support.get_ref().join(", ")
            ),
            record.at(support),
            "add `support_disclosure = \"This course is supported by … \"` to [offering], and show it to learners",
        ));
    }
}
