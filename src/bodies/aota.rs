//! AOTA Approved Provider Program (occupational therapists; compliance.md §2.3, §3.6): contact
//! hours in tenths (60-minute hours, rounded down), AOTA CEUs = contact hours / 10
//! (AOTA-CEU-1); only APP-approved activities carry AOTA credit (AOTA-COURSE-1). Certificates
//! print both, with AOTA's statement.

use super::{
    AccreditingBody, Amount, Case, Grant, Profile, Step, format_hundredths, format_tenths,
};
use crate::catalogue::ids::*;
use crate::course::Course;
use crate::findings::Finding;
use crate::offering::{Offering, Schedule};
use crate::roster::{Attendee, Body};
use compact_str::format_compact;

/// AOTA contact hours in tenths (60-minute hours, rounded down to 0.1 h). AOTA CEUs =
/// contact hours / 10, so the same integer is the AOTA CEU amount in hundredths (AOTA-CEU-1).
pub fn contact_tenths(minutes: i64) -> i64 {
    minutes.max(0) / 6
}

/// AOTA CEUs from hundredths, printed with one decimal when exact ("2.6"), else two.
fn aota_ceus(hundredths: i64) -> String {
    if hundredths % 10 == 0 {
        format_tenths(hundredths / 10)
    } else {
        format_hundredths(hundredths)
    }
}

/// AOTA (credit table `[credit.aota]`).
pub struct Aota;

const PROFILE: Profile = Profile {
    body: Body::Aota,
    heading: "AOTA",
    unit: "contact hours",
    step: Step::Tenths,
};

impl AccreditingBody for Aota {
    fn profile(&self) -> &'static Profile {
        &PROFILE
    }

    fn offered(&self, course: &Course) -> bool {
        course.credit.aota.is_some()
    }

    fn supported_units(&self, _course: &Course, schedule: &Schedule) -> i64 {
        contact_tenths(schedule.core_minutes)
    }

    fn check_credit(&self, offering: &Offering, findings: &mut Vec<Finding>) {
        let record = &offering.record;
        let Some(spanned) = &record.course.credit.aota else {
            return;
        };
        let aota = spanned.get_ref();
        if aota
            .approval_id
            .as_deref()
            .is_none_or(|id| id.trim().is_empty())
        {
            findings.push(Finding::offering_error(
                AOTA_COURSE_1,
                "AOTA credit is offered but the activity has no AOTA approval id".into(),
                record.at(spanned),
                "add approval_id = \"…\" from the AOTA APP approval, or remove [credit.aota]",
            ));
        }
        let computed = self.supported_units(&record.course, &offering.schedule);
        if aota.contact_hours.get_ref().hundredths > computed * 10 {
            findings.push(Finding::offering_error(
                AOTA_CEU_1,
                format!(
                    "AOTA contact hours {} exceed the {} the agenda supports",
                    aota.contact_hours.get_ref().text,
                    format_tenths(computed)
                ),
                record.at(&aota.contact_hours),
                "correct contact_hours or the agenda",
            ));
        }
    }

    fn award(&self, case: &Case) -> Option<Grant> {
        let aota = case.course.credit.aota.as_ref()?.get_ref();
        if !case.completed {
            return Some(Grant::none(case.reason.clone()));
        }
        let units = aota.contact_hours.get_ref().hundredths / 10;
        Some(Grant::credit(
            Body::Aota,
            units,
            format_compact!(
                "completed; {} AOTA CEUs (AOTA-CEU-1)",
                format_hundredths(units)
            ),
        ))
    }

    fn credit_lines(
        &self,
        course: &Course,
        _attendee: &Attendee,
        amount: Amount,
    ) -> Option<Vec<String>> {
        let aota = course.credit.aota.as_ref()?.get_ref();
        let mut lines = vec![
            format!(
                "{} contact hours ({} AOTA CEUs), {} level",
                amount.value(),
                aota_ceus(amount.units),
                course.offering.level.get_ref()
            ),
            format!(
                "AOTA Approved Provider #{} · activity approval {}",
                aota.provider_number,
                aota.approval_id.clone().unwrap_or_default()
            ),
        ];
        if !aota.statement.trim().is_empty() {
            lines.push(aota.statement.trim().to_string());
        } else {
            lines.push(
                "AOTA does not endorse specific course content, products, or clinical procedures."
                    .into(),
            );
        }
        Some(lines)
    }
}
