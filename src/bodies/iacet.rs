//! IACET (ANSI/IACET 1-2018; compliance.md §2.1, §3.6): CEUs in tenths, 1 CEU = 10 contact
//! hours of 60 minutes, rounded to the nearest 0.1, at least 0.1 (IACET-CEU-2), counted over
//! instruction plus assessment and evaluation (IACET-CEU-1).

use super::{AccreditingBody, Amount, Case, Grant, Profile, Step, format_tenths};
use crate::catalogue::ids::*;
use crate::course::Course;
use crate::findings::Finding;
use crate::offering::{Offering, Schedule};
use crate::roster::{Attendee, Body};
use compact_str::format_compact;

/// IACET CEUs in tenths: 60-minute contact hours / 10, rounded to the nearest 0.1 (half up);
/// an event under 30 minutes earns nothing, because the minimum is 0.1 CEU (IACET-CEU-2).
pub fn ceu_tenths(minutes: i64) -> i64 {
    if minutes < 30 { 0 } else { (minutes + 30) / 60 }
}

/// IACET (credit table `[credit.iacet]`).
pub struct Iacet;

const PROFILE: Profile = Profile {
    body: Body::Iacet,
    heading: "IACET",
    unit: "IACET CEUs",
    step: Step::Tenths,
};

impl AccreditingBody for Iacet {
    fn profile(&self) -> &'static Profile {
        &PROFILE
    }

    fn offered(&self, course: &Course) -> bool {
        course.credit.iacet.is_some()
    }

    fn supported_units(&self, _course: &Course, schedule: &Schedule) -> i64 {
        ceu_tenths(schedule.iacet_minutes)
    }

    fn check_credit(&self, offering: &Offering, findings: &mut Vec<Finding>) {
        let record = &offering.record;
        let Some(spanned) = &record.course.credit.iacet else {
            return;
        };
        let iacet = spanned.get_ref();
        let computed = self.supported_units(&record.course, &offering.schedule);
        let approved = iacet.ceus.get_ref().hundredths;
        if approved % 10 != 0 || approved > computed * 10 {
            findings.push(Finding::offering_error(
                IACET_CEU_2,
                format!(
                    "IACET CEUs `{}` must be in tenths and at most the {} the agenda supports (nearest 0.1)",
                    iacet.ceus.get_ref().text,
                    format_tenths(computed)
                ),
                record.at(&iacet.ceus),
                "correct ceus in [credit.iacet]",
            ));
        }
        if offering.schedule.iacet_minutes < 30 {
            findings.push(Finding::offering_error(
                IACET_CEU_2,
                "an IACET learning event must be at least 0.1 CEU (30 minutes)".into(),
                record.at(&iacet.ceus),
                "lengthen the event or do not offer IACET credit",
            ));
        }
    }

    fn award(&self, case: &Case) -> Option<Grant> {
        let iacet = case.course.credit.iacet.as_ref()?.get_ref();
        if !case.completed {
            return Some(Grant::none(case.reason.clone()));
        }
        let units = iacet.ceus.get_ref().hundredths / 10;
        let attended_iacet = case.attended_iacet;
        Some(Grant::credit(
            Body::Iacet,
            units,
            format_compact!("completed ({attended_iacet} minutes incl. assessment; IACET-CEU-2)"),
        ))
    }

    fn credit_lines(
        &self,
        course: &Course,
        _attendee: &Attendee,
        amount: Amount,
    ) -> Option<Vec<String>> {
        let iacet = course.credit.iacet.as_ref()?.get_ref();
        let mut lines = vec![
            format!("{} IACET CEUs", amount.value()),
            format!("IACET Accredited Provider #{}", iacet.provider_number),
        ];
        if !iacet.statement.trim().is_empty() {
            lines.push(iacet.statement.trim().to_string());
        }
        Some(lines)
    }
}
