//! Approval and provider-status dates (compliance.md §3.6: NCBTMB-COURSE-1,
//! NCBTMB-PROVIDER-1, NCBTMB-PROVIDER-2, the date part of AOTA-COURSE-1, AOTA-PROVIDER-1): the
//! course was approved before it was given, and the provider's approval covers its dates. The
//! dates are optional in the record; a rule whose date is not recorded is not checked.

use crate::catalogue::ids::*;
use crate::course::CourseRecord;
use crate::findings::Finding;

/// Whether `number` has the NCBTMB AP number form `123456-12` (format UNCONFIRMED).
fn is_ncbtmb_ap_number(number: &str) -> bool {
    let bytes = number.trim().as_bytes();
    bytes.len() == 9
        && bytes[6] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 6 || b.is_ascii_digit())
}

/// The approval findings of a course record.
pub(super) fn check(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let offering = &record.course.offering;
    let (start, end) = (offering.start_date, offering.end_date);
    if let Some(spanned) = &record.course.credit.ncbtmb {
        let ncbtmb = spanned.get_ref();
        let at = record.at(spanned);
        if let Some(approved) = ncbtmb.course_approved_on.filter(|d| *d > start) {
            findings.push(Finding::offering_error(
                NCBTMB_COURSE_1,
                format!("NCBTMB approved the course on {approved}, after the offering starts ({start})"),
                at.clone(),
                "NCBTMB credit needs the course approved before it is given: check `course_approved_on`, or drop NCBTMB credit for this offering",
            ));
        }
        if let Some(until) = ncbtmb.ap_valid_until.filter(|d| *d < end) {
            findings.push(Finding::offering_error(
                NCBTMB_PROVIDER_1,
                format!("the NCBTMB Approved Provider term ends {until}, before the offering ends ({end})"),
                at.clone(),
                "renew the Approved Provider status (3-year term) and record the new `ap_valid_until`",
            ));
        }
        if !is_ncbtmb_ap_number(&ncbtmb.provider_number) {
            findings.push(Finding::offering_warning(
                NCBTMB_PROVIDER_2,
                format!(
                    "NCBTMB provider number `{}` is not of the form 123456-12",
                    ncbtmb.provider_number
                ),
                at,
                "check the Approved Provider number against NCBTMB's directory (six digits, a hyphen, two digits)",
            ));
        }
    }
    if let Some(spanned) = &record.course.credit.aota {
        let aota = spanned.get_ref();
        let at = record.at(spanned);
        if let Some(approved) = aota.approved_on.filter(|d| *d > start) {
            findings.push(Finding::offering_error(
                AOTA_COURSE_1,
                format!(
                    "AOTA approved the activity on {approved}, after the offering starts ({start})"
                ),
                at.clone(),
                "AOTA CEUs need the activity approved before it starts: check `approved_on`",
            ));
        }
        if let Some(until) = aota.valid_until.filter(|d| *d < end) {
            findings.push(Finding::offering_warning(
                AOTA_PROVIDER_1,
                format!("the AOTA Approved Provider recognition ends {until}, before the offering ends ({end})"),
                at,
                "renew the recognition (7-year term, annual reports) and record the new `valid_until`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_ncbtmb_ap_number;

    #[test]
    fn ap_numbers() {
        assert!(is_ncbtmb_ap_number("450999-11"));
        assert!(!is_ncbtmb_ap_number("45099911"));
        assert!(!is_ncbtmb_ap_number("450999-1A"));
    }
}
