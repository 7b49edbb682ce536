//! The rules: `evaluate` runs every rule family on a loaded offering and decides each
//! attendee's outcome, giving the `check` report.
//!
//! - `catalogue`: every rule id, declared once with severity, scope, source and where it is
//!   checked, and the ASHA rule-set versioning by offering date (GEN-4);
//! - `report`: the report model and its JSON (docs/check-json.md);
//! - one file per rule family: `disclosure`, `reconfirm`, `support`, `course`, `agenda`,
//!   `content`, `approvals`, `boards`, `retention`, `participants`, `completion`, `reporting`, `data`, `placeholders`, and `wording` (the certificate's
//!   printed text); the bodies' own credit rules are in `crate::bodies`;
//! - across the offerings of a course: `siblings` (finding them), `across` (ASHA-COURSE-3,
//!   -11, -13) and `repeats` (ASHA-ELIG-3, -4).
//!
//! Offering-scoped errors block issuing for everyone; attendee-scoped errors block only that
//! attendee; not completing is an outcome with a reason, not a finding.

mod across;
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
pub mod participants;
mod placeholders;
mod reconfirm;
mod repeats;
mod report;
mod reporting;
mod retention;
pub mod siblings;
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

/// Runs every rule on a loaded offering, as of `as_of` (for deadlines), without a signing key:
/// see [`evaluate_with`].
pub fn evaluate(offering: &Offering, as_of: NaiveDate) -> Report {
    evaluate_with(offering, as_of, || None)
}

/// Runs every rule on a loaded offering, as of `as_of` (for deadlines). The other offerings of
/// the course ([`siblings`]) are read from the records root; `key` gives the signing key the
/// ledger's `report` entries were written with, and is called only for a course with an ASHA
/// course number; the ledger is read only when it gives one (ASHA-ELIG-3, -4 match people by
/// keyed tags; without a key that part is not decided).
pub fn evaluate_with(
    offering: &Offering,
    as_of: NaiveDate,
    key: impl FnOnce() -> Option<crate::sign::KeyPair>,
) -> Report {
    let mut siblings = siblings::Siblings::load(&offering.dir, &offering.record);
    // The ledger is read only when its report entries can be matched: with a key, for a
    // course with an ASHA course number.
    let key = siblings::course_key(&offering.record).and_then(|_| key());
    if key.is_some() {
        siblings.read_reports(&offering.dir, &offering.record);
    }
    let record = &offering.record;
    let course = &record.course;
    let end = course.offering.end_date;
    let rule_set = AshaRuleSet::for_end_date(end);
    let mut findings = Vec::new();
    disclosure::check(record, &mut findings);
    reconfirm::check(record, &siblings, &mut findings);
    across::check(record, &siblings, &mut findings);
    support::check(record, &mut findings);
    course::check(record, &mut findings);
    content::check(record, &mut findings);
    approvals::check(record, &mut findings);
    boards::check(offering, &mut findings);
    retention::check(record, &mut findings);
    findings.extend(placeholders::check(record));
    agenda::check(record, &mut findings);
    let course_credit = credit::check(offering, &mut findings);
    completion::check(record, rule_set, &mut findings);
    let asha_report_due = reporting::check(record, rule_set, as_of, &mut findings, || {
        siblings::recorded_submission(&offering.dir, offering.id())
    });
    data::check(offering, &mut findings);

    let mut attendees = offering
        .roster
        .attendees
        .iter()
        .map(|attendee| outcome::outcome(offering, attendee, rule_set))
        .collect::<Vec<_>>();
    repeats::withhold(offering, &siblings, key.as_ref(), &mut attendees);
    participants::check(offering, &attendees, &mut findings);

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
