//! The participant data ASHA receives in the CE Registry report (compliance.md §3.5:
//! ASHA-REPORT-2, -3, -4), judged once for `check` and `ceu report asha` alike:
//!
//! - ASHA-REPORT-2: first and last name are required (a row without them is left out of the
//!   report); a missing mailing-address part or email is a warning, and the row is listed, as
//!   ASHA asks;
//! - ASHA-REPORT-3: an ASHA account number, when given, is 8 digits (the length is
//!   UNCONFIRMED, so this warns);
//! - ASHA-REPORT-4: each participant's CEUs are at most the course's and a multiple of 0.05 (the
//!   award is computed that way, so this guards the file against a future change).
//!
//! None holds back a certificate: `check` shows them as attendee-level warnings for everyone
//! the report would list, and `ceu report asha` ([`crate::report::asha`]) drops or keeps the
//! row by the same judgement.

use crate::bodies::format_hundredths;
use crate::catalogue::RuleId;
use crate::catalogue::ids::*;
use crate::findings::{Finding, Severity};
use crate::offering::Offering;
use crate::roster::{Attendee, Body, Field};
use crate::rules::AttendeeOutcome;

/// Account numbers are believed to be 8 digits (compliance.md §1.5: UNCONFIRMED).
const ACCOUNT_DIGITS: usize = 8;

/// One participant as reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub attendee_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub asha_account: String,
    /// CEUs earned, in hundredths (ASHA-CEU-6: no floating point until the .xlsx cell).
    pub ceu_hundredths: i64,
}

/// What is wrong with a row: (rule, severity, message). An error means the row is left out of
/// the report.
pub type RowProblem = (RuleId, Severity, String);

impl Row {
    /// The participant's row as the roster gives it (trimmed), with the CEUs earned
    /// (hundredths).
    pub fn of(attendee: &Attendee, attendee_id: String, ceu_hundredths: i64) -> Row {
        let field = |text: &str| text.trim().to_string();
        let get = |f: Field| field(attendee.get(f));
        Row {
            attendee_id,
            first_name: field(attendee.first_name()),
            last_name: field(attendee.last_name()),
            email: field(attendee.email()),
            street: get(Field::Street),
            city: get(Field::City),
            region: get(Field::Region),
            postal_code: get(Field::PostalCode),
            country: get(Field::Country),
            asha_account: get(Field::AshaAccount),
            ceu_hundredths,
        }
    }

    /// What is wrong with the row and whether it is still listed: ASHA-REPORT-4 (CEUs above the
    /// course's `course_hundredths` or off the 0.05 step) and a missing name (ASHA-REPORT-2)
    /// leave it out; a missing address part or email (ASHA-REPORT-2) and an account number
    /// that is not 8 digits (ASHA-REPORT-3) are warnings.
    pub fn problems(&self, course_hundredths: i64) -> (bool, Vec<RowProblem>) {
        let units = self.ceu_hundredths;
        if units > course_hundredths || units % 5 != 0 {
            let message = format!(
                "{} CEUs is not a multiple of 0.05 at most the course's {}; not listed",
                format_hundredths(units),
                format_hundredths(course_hundredths)
            );
            return (false, vec![(ASHA_REPORT_4, Severity::Error, message)]);
        }
        let missing = |fields: &[(&'static str, &String)]| -> Vec<&'static str> {
            fields
                .iter()
                .filter(|(_, v)| v.is_empty())
                .map(|(k, _)| *k)
                .collect()
        };
        let missing_name = missing(&[
            ("first name", &self.first_name),
            ("last name", &self.last_name),
        ]);
        if !missing_name.is_empty() {
            let message = format!(
                "no {} in the roster; not listed (ASHA needs both names)",
                missing_name.join(" and ")
            );
            return (false, vec![(ASHA_REPORT_2, Severity::Error, message)]);
        }
        let mut found = Vec::new();
        let missing_address = missing(&[
            ("street", &self.street),
            ("city", &self.city),
            ("region", &self.region),
            ("postal code", &self.postal_code),
            ("country", &self.country),
        ]);
        if !missing_address.is_empty() {
            found.push((
                ASHA_REPORT_2,
                Severity::Warning,
                format!(
                    "mailing address incomplete (no {}); listed anyway, as ASHA asks",
                    missing_address.join(", ")
                ),
            ));
        }
        if self.email.is_empty() {
            found.push((
                ASHA_REPORT_2,
                Severity::Warning,
                "no email in the roster; listed anyway, as ASHA asks".into(),
            ));
        }
        let account = &self.asha_account;
        if !account.is_empty()
            && (account.len() != ACCOUNT_DIGITS || !account.bytes().all(|b| b.is_ascii_digit()))
        {
            found.push((
                ASHA_REPORT_3,
                Severity::Warning,
                format!(
                    "ASHA account number {account:?} is not {ACCOUNT_DIGITS} digits (the format is UNCONFIRMED); listed as written"
                ),
            ));
        }
        (true, found)
    }
}

/// The ASHA participant report's problems, as attendee-level warnings: one per problem of each
/// attendee the report would list (ASHA credit requested and awarded). They never hold back a
/// certificate, so even a row the report leaves out is a warning here.
pub(super) fn check(
    offering: &Offering,
    attendees: &[AttendeeOutcome],
    findings: &mut Vec<Finding>,
) {
    let Some(asha) = offering.record.course.credit.asha.as_ref() else {
        return;
    };
    let course_hundredths = asha.get_ref().ceus.get_ref().hundredths;
    for (attendee, outcome) in offering.roster.attendees.iter().zip(attendees) {
        let Some(units) = outcome
            .credits
            .iter()
            .find(|a| a.body == Body::Asha && a.requested)
            .and_then(|a| a.amount)
            .map(|a| a.units)
            .filter(|units| *units > 0)
        else {
            continue;
        };
        let row = Row::of(attendee, attendee.id().to_string(), units);
        for (rule, _, message) in row.problems(course_hundredths).1 {
            findings.push(Finding::attendee(
                rule,
                Severity::Warning,
                Some(attendee.id().to_string()),
                format!(
                    "{} in the ASHA participant report: {message}",
                    attendee.display_name()
                ),
                Some(offering.roster.location(attendee)),
                fix(rule),
            ));
        }
    }
}

/// What to do about a row problem.
fn fix(rule: RuleId) -> &'static str {
    if rule == ASHA_REPORT_3 {
        "check the number on the member's ASHA card, or leave `asha_account` empty (it is optional)"
    } else if rule == ASHA_REPORT_4 {
        "report this to the ceu maintainers: the award should never exceed the course's CEUs"
    } else {
        "fill in the missing roster.csv cells for this attendee before `ceu report asha`"
    }
}
