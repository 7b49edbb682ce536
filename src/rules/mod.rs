//! The rules: `evaluate` runs every rule family on a loaded offering and decides each
//! attendee's outcome, giving the `check` report.
//!
//! - `catalogue`: every rule id, declared once with severity, scope, source and where it is
//!   checked, and the ASHA rule-set versioning by offering date (GEN-4);
//! - `report`: the report model and its JSON (docs/check-json.md);
//! - one file per rule family: `disclosure`, `reconfirm`, `support`, `course`, `agenda`,
//!   `content`, `approvals`, `boards`, `retention`, `participants`, `completion`, `reporting`, `data`, `placeholders`, and `wording` (the certificate's
//!   printed text); the bodies' own credit rules are in `crate::bodies`.
//!
//! Offering-scoped errors block issuing for everyone; attendee-scoped errors block only that
//! attendee; not completing is an outcome with a reason, not a finding.

mod agenda;
mod approvals;
mod boards;
pub use crate::catalogue;
mod completion;
mod content;
mod course;
mod credit;
mod data;
mod disclosure;
mod outcome;
mod participants;
mod placeholders;
mod reconfirm;
mod report;
mod reporting;
mod retention;
mod support;
pub mod wording;

pub use crate::bodies::Amount;
pub use crate::catalogue::{AshaRuleSet, RULES_VERSION, asha_2025_effective};
pub use report::{
    AttendeeOutcome, Award, CourseCredit, NotAttendeeName, Report, Status, Summary, UnmatchedName,
    rule_counts,
};

use crate::offering::Offering;
use chrono::NaiveDate;

/// Runs every rule on a loaded offering, as of `as_of` (for deadlines).
pub fn evaluate(offering: &Offering, as_of: NaiveDate) -> Report {
    let record = &offering.record;
    let course = &record.course;
    let end = course.offering.end_date;
    let rule_set = AshaRuleSet::for_end_date(end);
    let mut findings = Vec::new();
    disclosure::check(record, &mut findings);
    reconfirm::check(offering, &mut findings);
    support::check(record, &mut findings);
    course::check(record, &mut findings);
    content::check(record, &mut findings);
    approvals::check(record, &mut findings);
    boards::check(offering, &mut findings);
    retention::check(record, &mut findings);
    participants::check(offering, &mut findings);
    findings.extend(placeholders::check(record));
    agenda::check(record, &mut findings);
    let course_credit = credit::check(offering, &mut findings);
    completion::check(record, rule_set, &mut findings);
    let asha_report_due = reporting::check(record, rule_set, as_of, &mut findings);
    data::check(offering, &mut findings);

    let attendees = offering
        .roster
        .attendees
        .iter()
        .map(|attendee| outcome::outcome(offering, attendee, rule_set))
        .collect::<Vec<_>>();

    let unresolved_rows = data::unresolved_rows(offering);
    let unmatched = offering
        .matched
        .unmatched
        .iter()
        .map(|u| UnmatchedName::new(&u.who, u.minutes, &u.locations))
        .collect();
    let not_attendees = offering
        .matched
        .not_attendees
        .iter()
        .map(|n| NotAttendeeName {
            rows: UnmatchedName::new(&n.who, n.minutes, &n.locations),
            reason: n.reason.clone(),
        })
        .collect();

    Report {
        schema: "ceu-check/1",
        offering_id: offering.id().to_string(),
        title: course.offering.title.get_ref().clone(),
        start_date: course.offering.start_date,
        end_date: end,
        as_of,
        asha_rule_set: rule_set,
        asha_report_due,
        course_credit,
        findings: Vec::new(),
        attendees,
        unmatched,
        not_attendees,
        summary: Summary::default(),
        unresolved_rows,
    }
    .with_findings(findings)
}

/// The disclosure findings the course record alone decides (ASHA-DISCLOSE-1 to -5, -9, -10,
/// -11), for `ceu disclosure`, which runs before any roster or attendance exists. ASHA-DISCLOSE-8
/// (re-confirmed for each offering) reads sibling offerings and is left to `check`.
pub fn disclosure_findings(record: &crate::course::CourseRecord) -> Vec<crate::findings::Finding> {
    let mut findings = Vec::new();
    disclosure::check(record, &mut findings);
    support::check(record, &mut findings);
    findings
}
