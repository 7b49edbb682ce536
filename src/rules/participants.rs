//! Participant data ASHA receives in the report (compliance.md §3.5: ASHA-REPORT-3): an ASHA
//! account number is optional, and when given it is digits only, 8 of them (the length is
//! UNCONFIRMED, so this warns).

use crate::catalogue::ids::*;
use crate::findings::{Finding, Severity};
use crate::offering::Offering;

/// The ASHA-REPORT-3 findings of an offering, one per attendee with a malformed account.
pub(super) fn check(offering: &Offering, findings: &mut Vec<Finding>) {
    if offering.record.course.credit.asha.is_none() {
        return;
    }
    for attendee in &offering.roster.attendees {
        let account = attendee.asha_account().trim();
        if account.is_empty() || (account.len() == 8 && account.bytes().all(|b| b.is_ascii_digit()))
        {
            continue;
        }
        findings.push(Finding::attendee(
            ASHA_REPORT_3,
            Severity::Warning,
            Some(attendee.id().to_string()),
            format!(
                "{}'s ASHA account number `{account}` is not 8 digits",
                attendee.display_name()
            ),
            Some(offering.roster.location(attendee)),
            "check the number on the member's ASHA card, or leave `asha_account` empty (it is optional)",
        ));
    }
}
