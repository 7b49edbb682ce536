//! ASHA (speech-language pathologists and audiologists; compliance.md §1, §3.1–3.5): CEUs in
//! hundredths, awarded in half-hour steps (0.05 CEU); eligibility by profession
//! (ASHA-ELIG-1, -2); partial credit when registered for it or by exception (ASHA-PARTIAL-1,
//! -2); a learning assessment under the 2025 Standards (ASHA-COMPLETE-2); certificates print
//! contact hours, never "ASHA CEUs" (ASHA-CERT-1).

use super::{
    AccreditingBody, Amount, Case, Grant, Profile, Step, format_hundredths, format_tenths,
};
use crate::catalogue::AshaRuleSet;
use crate::catalogue::ids::*;
use crate::course::{AshaCredit, Course};
use crate::findings::Finding;
use crate::offering::{Offering, Schedule};
use crate::roster::{Attendee, Body};
use compact_str::{CompactString, format_compact};

/// ASHA CEUs, in hundredths, for `minutes` of instruction: 60-minute contact hours, 1 CEU =
/// 10 contact hours, awarded in half-hour steps (0.05 CEU) rounded down (ASHA-CEU-2,
/// ASHA-PARTIAL-2; compliance.md §1.2).
pub fn ceu_hundredths(minutes: i64) -> i64 {
    (minutes.max(0) / 30) * 5
}

/// ASHA (credit table `[credit.asha]`).
pub struct Asha;

const PROFILE: Profile = Profile {
    body: Body::Asha,
    heading: "ASHA",
    unit: "ASHA CEUs",
    step: Step::Hundredths,
};

impl AccreditingBody for Asha {
    fn profile(&self) -> &'static Profile {
        &PROFILE
    }

    fn offered(&self, course: &Course) -> bool {
        course.credit.asha.is_some()
    }

    fn supported_units(&self, _course: &Course, schedule: &Schedule) -> i64 {
        ceu_hundredths(schedule.core_minutes)
    }

    fn check_credit(&self, offering: &Offering, findings: &mut Vec<Finding>) {
        let record = &offering.record;
        let Some(spanned) = &record.course.credit.asha else {
            return;
        };
        let asha = spanned.get_ref();
        let minutes = offering.schedule.core_minutes;
        let computed = ceu_hundredths(minutes);
        let declared = &asha.ceus;
        let text = &declared.get_ref().text;
        let hundredths = declared.get_ref().hundredths;
        if hundredths % 5 != 0 {
            findings.push(Finding::offering_error(
                ASHA_CEU_4,
                format!("ASHA CEUs `{text}` is not a multiple of 0.05"),
                record.at(declared),
                "ASHA awards CEUs in half-hour steps (0.05): round down to the nearest 0.05",
            ));
        }
        if hundredths > computed {
            findings.push(Finding::offering_error(
                ASHA_CEU_3,
                format!(
                    "the course claims {text} ASHA CEUs but its agenda has {minutes} instructional minutes, which support {}",
                    format_hundredths(computed)
                ),
                record.at(declared),
                "lower ceus to what the agenda supports, or correct the agenda",
            ));
        } else if hundredths < computed {
            findings.push(Finding::offering_warning(
                ASHA_CEU_3,
                format!(
                    "the course claims {text} ASHA CEUs; its agenda would support {}",
                    format_hundredths(computed)
                ),
                record.at(declared),
                "check the registered amount; attendees are awarded at most the registered CEUs",
            ));
        }
        if let Some(contact) = &asha.contact_hours {
            // CEU = contact hours / 10: hundredths of a CEU equal tenths of a contact hour.
            if contact.get_ref().hundredths != hundredths * 10 {
                findings.push(Finding::offering_error(
                    ASHA_CEU_2,
                    format!(
                        "{} contact hours is not {text} ASHA CEUs: 1 ASHA CEU = 10 contact hours of 60 minutes",
                        contact.get_ref().text,
                    ),
                    record.at(contact),
                    "make contact_hours ten times ceus (or remove contact_hours)",
                ));
            }
        }
        let minimum = &record.course.rules.asha_minimum_ceus;
        if computed < minimum.hundredths {
            findings.push(Finding::offering_warning(
                ASHA_CEU_5,
                format!(
                    "the agenda supports {} ASHA CEUs, below the configured minimum of {}",
                    format_hundredths(computed),
                    minimum.text
                ),
                record.at(spanned),
                "ASHA's minimum is UNCONFIRMED; lengthen the course or set [rules] asha_minimum_ceus",
            ));
        }
    }

    fn not_requested(&self) -> CompactString {
        CompactString::const_new("did not state intent to earn ASHA CEUs (ASHA-ELIG-1)")
    }

    fn award(&self, case: &Case) -> Option<Grant> {
        let asha = case.course.credit.asha.as_ref()?.get_ref();
        let attendee = case.attendee;
        if !attendee.asha_eligibility.is_eligible() {
            return Some(Grant {
                eligible: false,
                amount: None,
                reason: format_compact!(
                    "profession `{}` is not eligible to earn ASHA CEUs (ASHA-ELIG-2)",
                    attendee.profession()
                ),
            });
        }
        let grant = if case.rule_set == AshaRuleSet::Asha2025 && !attendee.assessment_completed {
            Grant::none(case.assessment_reason.clone())
        } else if case.completed {
            let units = asha.ceus.get_ref().hundredths;
            Grant::credit(Body::Asha, units, CompactString::const_new("completed"))
        } else if case.attended_enough {
            Grant::none(case.reason.clone())
        } else {
            partial_credit(asha, case)
        };
        Some(grant)
    }

    fn credit_lines(
        &self,
        course: &Course,
        _attendee: &Attendee,
        amount: Amount,
    ) -> Option<Vec<String>> {
        let asha = course.credit.asha.as_ref()?.get_ref();
        // 0.05 ASHA CEU is half a contact hour, so hundredths of a CEU are tenths of an hour.
        let mut lines = vec![format!(
            "{} contact hours of instruction, {} level.",
            format_tenths(amount.units),
            course.offering.level.get_ref()
        )];
        let mut provider = format!("ASHA Approved CE Provider {}", asha.provider_code.get_ref());
        if !asha.course_number.is_empty() {
            provider.push_str(&format!(", course {}", asha.course_number));
            if !asha.offering_number.is_empty() {
                provider.push_str(&format!("-{}", asha.offering_number));
            }
        }
        lines.push(provider);
        lines.push("Credit is reported to the ASHA CE Registry and appears on the participant's ASHA transcript.".into());
        Some(lines)
    }
}

/// ASHA credit for an attendee who attended too little to complete: partial credit only when
/// the course is registered for it or has an exception for them (ASHA-PARTIAL-1), for the
/// attended minutes in half-hour steps, at most the registered CEUs (ASHA-PARTIAL-2).
fn partial_credit(asha: &AshaCredit, case: &Case) -> Grant {
    let attended = case.attended;
    if !(asha.partial_credit || case.exception) {
        return Grant::none(format_compact!(
            "partial attendance ({attended} of {} minutes) and the course is not registered for partial credit (ASHA-PARTIAL-1)",
            case.total
        ));
    }
    let units = ceu_hundredths(attended).min(asha.ceus.get_ref().hundredths);
    if units <= 0 {
        return Grant::none(format_compact!(
            "{attended} minutes is less than half an hour (ASHA-PARTIAL-2)"
        ));
    }
    let reason = if asha.partial_credit {
        format_compact!("partial credit for {attended} minutes (ASHA-PARTIAL-2)")
    } else {
        format_compact!(
            "partial credit by documented exception for {attended} minutes (ASHA-PARTIAL-1, ASHA-PARTIAL-2)"
        )
    };
    Grant::credit(Body::Asha, units, reason)
}
