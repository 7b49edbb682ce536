//! Per-board certificate contents and activity criteria (compliance.md §3.6: PT-TX-1, PT-IA-1,
//! AOTA-COURSE-2): what a certificate for a Texas or Iowa physical therapist must carry, and
//! the parts of an AOTA activity a record can show.

use crate::catalogue::ids::*;
use crate::course::CourseRecord;
use crate::findings::{Finding, Severity};
use crate::offering::Offering;
use crate::roster::{Attendee, Body};

/// The board fields missing for a PT licensed in `state` ("TX" or "IA").
fn missing_for(record: &CourseRecord, attendee: &Attendee, state: &str) -> Vec<&'static str> {
    let course = &record.course;
    let mut missing = Vec::new();
    if attendee.license_number().trim().is_empty() {
        missing.push("the licence number (roster `license_number`)");
    }
    let approval = course
        .credit
        .pt
        .as_ref()
        .is_some_and(|pt| !pt.get_ref().approval_number.trim().is_empty());
    if state == "TX" {
        if !approval {
            missing.push("the course approval number (`[credit.pt] approval_number`)");
        }
        if course.offering.location.trim().is_empty() {
            missing.push("the location (`[offering] location`)");
        }
        if course.provider.signatory.name.trim().is_empty() {
            missing.push("the signatory (`[provider.signatory] name`)");
        }
    } else {
        if course
            .offering
            .learning_outcomes
            .as_ref()
            .is_none_or(|o| o.get_ref().is_empty())
        {
            missing.push("the objectives (`[offering] learning_outcomes`)");
        }
        if !course.speakers.iter().any(|s| s.get_ref().is_instructor()) {
            missing.push("a presenter (a `[[speaker]]` with role instructor)");
        }
    }
    missing
}

/// PT-TX-1 and PT-IA-1 for every physical therapist licensed in Texas or Iowa who requested
/// PT credit; AOTA-COURSE-2 for a course with AOTA credit.
pub(super) fn check(offering: &Offering, findings: &mut Vec<Finding>) {
    let record = &offering.record;
    for attendee in &offering.roster.attendees {
        let state = attendee.license_state().trim().to_ascii_uppercase();
        let is_pt = attendee.profession().trim().eq_ignore_ascii_case("PT");
        let (rule, severity) = match state.as_str() {
            "TX" => (PT_TX_1, Severity::Error),
            "IA" => (PT_IA_1, Severity::Warning),
            _ => continue,
        };
        if !is_pt || !attendee.requested(Body::Pt) {
            continue;
        }
        let missing = missing_for(record, attendee, &state);
        if !missing.is_empty() {
            findings.push(Finding::attendee(
                rule,
                severity,
                Some(attendee.id().to_string()),
                format!(
                    "{} is a physical therapist licensed in {state}; the certificate would lack {}",
                    attendee.display_name(),
                    missing.join(", ")
                ),
                Some(offering.roster.location(attendee)),
                "add the missing fields so the certificate carries what the board requires",
            ));
        }
    }
    check_aota_activity(record, findings);
}

/// AOTA-COURSE-2: an AOTA activity states its outcomes and its completion requirements.
fn check_aota_activity(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let course = &record.course;
    let Some(aota) = &course.credit.aota else {
        return;
    };
    let mut missing = Vec::new();
    if course
        .offering
        .learning_outcomes
        .as_ref()
        .is_none_or(|o| o.get_ref().is_empty())
    {
        missing.push("learning outcomes (`[offering] learning_outcomes`)");
    }
    if course.completion.get_ref().requirements.trim().is_empty() {
        missing.push("completion requirements (`[completion] requirements`)");
    }
    if !missing.is_empty() {
        findings.push(Finding::offering_error(
            AOTA_COURSE_2,
            format!("the AOTA activity has no {}", missing.join(" and ")),
            record.at(aota),
            "AOTA approves activities with stated outcomes and completion requirements: add them",
        ));
    }
}
