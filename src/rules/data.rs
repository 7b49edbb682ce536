//! Input rules (`DATA-*`, ceu's own): the findings the roster and attendance readers raised
//! are gathered into the report, and attendance rows that are still unresolved hold back the
//! attendees whose outcome they could change.

use crate::catalogue::ids::*;
use crate::findings::{Finding, Location, Scope, Severity};
use crate::offering::Offering;

/// The input findings: those raised while reading the roster and the attendance files, no
/// attendance at all (DATA-NO-ATTENDANCE), and exceptions for attendees not on the roster
/// (ASHA-PARTIAL-1).
pub(super) fn check(offering: &Offering, findings: &mut Vec<Finding>) {
    findings.extend(offering.roster.findings.iter().cloned());
    findings.extend(offering.matched.findings.iter().cloned());
    findings.extend(offering.assessment.findings.iter().cloned());
    findings.extend(offering.aliases.findings.iter().cloned());
    findings.extend(offering.not_attendees.findings.iter().cloned());
    if offering.files.is_empty() {
        findings.push(Finding::offering(
            DATA_NO_ATTENDANCE,
            Severity::Warning,
            "no attendance files: nobody can be shown to have attended",
            Some(Location::file(offering.dir.join("attendance"))),
            "put the sign-in sheets or meeting reports in the attendance/ folder",
        ));
    }
    let exceptions = &offering.record.course.exceptions;
    // Only needed for exceptions, which are rare; a roster can be 100,000 long.
    let known: std::collections::HashSet<&str> = if exceptions.is_empty() {
        Default::default()
    } else {
        offering.roster.attendees.iter().map(|a| a.id()).collect()
    };
    for exception in exceptions {
        if !known.contains(exception.get_ref().attendee.as_str()) {
            findings.push(Finding::offering_error(
                ASHA_PARTIAL_1,
                format!(
                    "the exception names attendee `{}`, who is not on the roster",
                    exception.get_ref().attendee
                ),
                offering.record.at(exception),
                "use the attendee_id from roster.csv",
            ));
        }
    }
}

/// The rule ids of attendance rows that are unresolved and may carry instructional minutes of
/// someone on the roster, sorted: `DATA-UNMATCHED` while any row that matches nobody carries
/// instructional minutes (rows resolved by aliases.csv or not-attendees.csv are no longer
/// unmatched; rows only in breaks or outside the agenda carry none), and the rule of every
/// attendee-scoped error in a row that matches nobody (an ambiguous or unreadable time, a row
/// without identity): its minutes are unknown. `DATA-ALIAS-UNKNOWN` is not one: the rows of
/// such an alias are unmatched rows themselves.
pub(super) fn unresolved_rows(offering: &Offering) -> Vec<String> {
    let mut rules: Vec<String> = offering
        .matched
        .findings
        .iter()
        .filter(|f| f.is_error() && f.scope == Scope::Attendee && f.attendee.is_none())
        .filter(|f| f.rule != DATA_UNMATCHED && f.rule != DATA_ALIAS_UNKNOWN)
        .map(|f| f.rule.clone())
        .collect();
    if offering.matched.unmatched.iter().any(|u| u.minutes > 0) {
        rules.push(DATA_UNMATCHED.to_string());
    }
    rules.sort();
    rules.dedup();
    rules
}
