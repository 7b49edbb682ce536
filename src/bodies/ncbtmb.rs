//! NCBTMB (massage therapists; compliance.md §2.2, §3.6): CE hours in half hours, where a CE
//! hour is 50 minutes of instruction plus a 10-minute break (NCBTMB-CE-1, -2); completers get
//! exactly the approved hours (NCBTMB-CE-3); a live course needs 100% attendance, and a course
//! with a test needs it passed (NCBTMB-COMPLETE-1). Certificates say "CE hours", never CEUs.

use super::{AccreditingBody, Amount, Case, Grant, Profile, Step, format_half_hours, format_label};
use crate::catalogue::ids::*;
use crate::course::Course;
use crate::findings::Finding;
use crate::offering::{Offering, Schedule};
use crate::roster::{Attendee, Body};
use compact_str::{CompactString, format_compact};

/// NCBTMB CE hours, in half hours. A CE hour is 50 minutes of instruction plus a 10-minute
/// break (NCBTMB-CE-1), so short breaks (20 minutes or less) count, up to 10 minutes for every
/// 50 of instruction; meals and longer breaks never count. Awarded in half-hour steps, rounded
/// down (NCBTMB-CE-2; the direction is UNCONFIRMED, compliance.md open item 8).
pub fn ce_half_hours(instruction_minutes: i64, short_break_minutes: i64) -> i64 {
    let instruction = instruction_minutes.max(0);
    let breaks = short_break_minutes.max(0).min(instruction / 5);
    (instruction + breaks) * 2 / 60
}

/// NCBTMB (credit table `[credit.ncbtmb]`).
pub struct Ncbtmb;

const PROFILE: Profile = Profile {
    body: Body::Ncbtmb,
    heading: "NCBTMB",
    unit: "CE hours",
    step: Step::HalfHours,
};

impl AccreditingBody for Ncbtmb {
    fn profile(&self) -> &'static Profile {
        &PROFILE
    }

    fn offered(&self, course: &Course) -> bool {
        course.credit.ncbtmb.is_some()
    }

    fn supported_units(&self, _course: &Course, schedule: &Schedule) -> i64 {
        ce_half_hours(schedule.core_minutes, schedule.short_break_minutes)
    }

    fn check_credit(&self, offering: &Offering, findings: &mut Vec<Finding>) {
        let record = &offering.record;
        let Some(spanned) = &record.course.credit.ncbtmb else {
            return;
        };
        let at = record.at(spanned);
        let ncbtmb = spanned.get_ref();
        let computed = self.supported_units(&record.course, &offering.schedule);
        match &ncbtmb.approved_hours {
            None => findings.push(Finding::offering_error(
                NCBTMB_CE_3,
                "NCBTMB credit is offered but approved_hours is missing: certificates must carry the hours the course was approved for".into(),
                at.clone(),
                "add approved_hours = \"…\" exactly as on the NCBTMB approval",
            )),
            Some(approved) => {
                let value = approved.get_ref().hundredths;
                if value % 50 != 0 {
                    findings.push(Finding::offering_error(
                        NCBTMB_CE_2,
                        format!("NCBTMB approved hours `{}` are not whole or half hours", approved.get_ref().text),
                        record.at(approved),
                        "NCBTMB awards CE hours in whole or half hours",
                    ));
                }
                if value > computed * 50 {
                    findings.push(Finding::offering_error(
                        NCBTMB_CE_1,
                        format!(
                            "the course is approved for {} NCBTMB CE hours but its agenda supports {} (50 instruction minutes + a 10-minute break per CE hour; meals excluded)",
                            approved.get_ref().text,
                            format_half_hours(computed)
                        ),
                        record.at(approved),
                        "correct the agenda, or check the approval",
                    ));
                }
            }
        }
        if ncbtmb
            .approved_title
            .as_deref()
            .is_none_or(|t| t.trim().is_empty())
        {
            findings.push(Finding::offering_error(
                NCBTMB_CE_3,
                "NCBTMB credit is offered but approved_title is missing: the certificate must carry the title exactly as in the NCBTMB directory".into(),
                at,
                "add approved_title = \"…\" copied from the NCBTMB directory",
            ));
        }
    }

    fn award(&self, case: &Case) -> Option<Grant> {
        let ncbtmb = case.course.credit.ncbtmb.as_ref()?.get_ref();
        let (attended, total) = (case.attended, case.total);
        let grant = if attended < total || total == 0 {
            Grant::none(format_compact!(
                "NCBTMB requires 100% attendance of a live course: attended {attended} of {total} minutes (NCBTMB-COMPLETE-1)"
            ))
        } else if !case.completed {
            Grant::none(case.reason.clone())
        } else if ncbtmb.test && !case.attendee.assessment_completed {
            // The LMS export's deciding row, as ASHA-COMPLETE-2's reason names it.
            let row = case
                .assessment_row
                .map(|row| format_compact!(" ({row})"))
                .unwrap_or_default();
            Grant::none(format_compact!(
                "the course's test was not passed{row}; NCBTMB credit for a course with a test is a Certificate of Achievement (NCBTMB-COMPLETE-1)",
            ))
        } else if let Some(approved) = &ncbtmb.approved_hours {
            let units = approved.get_ref().hundredths / 50;
            Grant::credit(
                Body::Ncbtmb,
                units,
                CompactString::const_new("completed; the approved hours (NCBTMB-CE-3)"),
            )
        } else {
            Grant::none(CompactString::const_new(
                "the course has no approved NCBTMB hours (NCBTMB-CE-3)",
            ))
        };
        Some(grant)
    }

    fn certifies_achievement(&self, course: &Course) -> bool {
        course
            .credit
            .ncbtmb
            .as_ref()
            .is_some_and(|n| n.get_ref().test)
    }

    fn credit_lines(
        &self,
        course: &Course,
        _attendee: &Attendee,
        amount: Amount,
    ) -> Option<Vec<String>> {
        let ncbtmb = course.credit.ncbtmb.as_ref()?.get_ref();
        Some(vec![
            format!("NCBTMB Approved Provider #{}", ncbtmb.provider_number),
            format!(
                "Approved course: {}",
                ncbtmb.approved_title.clone().unwrap_or_default()
            ),
            format!(
                "{} CE hours · {}",
                amount.value(),
                format_label(course.offering.format.get_ref())
            ),
        ])
    }
}
