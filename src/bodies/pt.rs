//! Physical-therapy licensing boards (compliance.md §2.4, §3.6): contact hours in tenths, of
//! the board's hour length (`minutes_per_hour`: 60, or 50 in Alabama; PT-AL-1); certificates
//! carry the course approval and the holder's licence.

use super::{AccreditingBody, Amount, Case, Grant, Profile, Step, format_tenths};
use crate::catalogue::ids::*;
use crate::course::Course;
use crate::findings::Finding;
use crate::offering::{Offering, Schedule};
use crate::roster::{Attendee, Body};
use compact_str::CompactString;

/// PT board contact hours in tenths, for a board's hour length (60, or 50 in Alabama:
/// PT-AL-1), rounded down; 0 for an hour length that is not positive.
pub fn contact_tenths(minutes: i64, minutes_per_hour: i64) -> i64 {
    if minutes_per_hour <= 0 {
        0
    } else {
        minutes.max(0) * 10 / minutes_per_hour
    }
}

/// A physical-therapy board (credit table `[credit.pt]`).
pub struct Pt;

const PROFILE: Profile = Profile {
    body: Body::Pt,
    heading: "Physical therapy",
    unit: "contact hours",
    step: Step::Tenths,
};

impl AccreditingBody for Pt {
    fn profile(&self) -> &'static Profile {
        &PROFILE
    }

    fn offered(&self, course: &Course) -> bool {
        course.credit.pt.is_some()
    }

    /// 0 when the course offers no PT credit (the hour length is the credit table's).
    fn supported_units(&self, course: &Course, schedule: &Schedule) -> i64 {
        course.credit.pt.as_ref().map_or(0, |pt| {
            contact_tenths(schedule.core_minutes, pt.get_ref().minutes_per_hour)
        })
    }

    fn check_credit(&self, offering: &Offering, findings: &mut Vec<Finding>) {
        let record = &offering.record;
        let Some(spanned) = &record.course.credit.pt else {
            return;
        };
        let pt = spanned.get_ref();
        let supported = self.supported_units(&record.course, &offering.schedule);
        if pt.contact_hours.get_ref().hundredths > supported * 10 {
            findings.push(Finding::offering_error(
                PT_AL_1,
                format!(
                    "PT contact hours {} exceed the {} the agenda supports at {} minutes an hour",
                    pt.contact_hours.get_ref().text,
                    format_tenths(supported),
                    pt.minutes_per_hour
                ),
                record.at(&pt.contact_hours),
                "correct contact_hours or minutes_per_hour in [credit.pt]",
            ));
        }
    }

    fn award(&self, case: &Case) -> Option<Grant> {
        let pt = case.course.credit.pt.as_ref()?.get_ref();
        if !case.completed {
            return Some(Grant::none(case.reason.clone()));
        }
        let units = pt.contact_hours.get_ref().hundredths / 10;
        Some(Grant::credit(
            Body::Pt,
            units,
            CompactString::const_new("completed"),
        ))
    }

    fn credit_lines(
        &self,
        course: &Course,
        attendee: &Attendee,
        amount: Amount,
    ) -> Option<Vec<String>> {
        let pt = course.credit.pt.as_ref()?.get_ref();
        let mut lines = vec![
            format!("{} contact hours", amount.value()),
            format!("Course approval #{}", pt.approval_number),
        ];
        if !attendee.license_number().trim().is_empty() {
            lines.push(format!(
                "Licence {} {}",
                attendee.license_state().trim(),
                attendee.license_number().trim()
            ));
        }
        Some(lines)
    }
}
