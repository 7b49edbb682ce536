//! Credit rules: what the agenda supports against what each body's credit table declares
//! (each body's own checks are in `crate::bodies`), and the course totals for the report.

use crate::bodies::{self, format_half_hours, format_hundredths, format_tenths};
use crate::catalogue::ids::*;
use crate::findings::Finding;
use crate::offering::Offering;
use crate::roster::Body;
use crate::rules::CourseCredit;

/// Checks every body's declared credit against what the agenda supports (ASHA-CEU-1 for an
/// agenda without instruction); returns the course totals.
pub(super) fn check(offering: &Offering, findings: &mut Vec<Finding>) -> CourseCredit {
    let record = &offering.record;
    let course = &record.course;
    let schedule = &offering.schedule;
    if schedule.core_minutes == 0 && !course.agenda.is_empty() {
        findings.push(Finding::offering_error(
            ASHA_CEU_1,
            "the agenda has no instruction blocks: breaks, meals, social events and business meetings earn no credit".into(),
            record.file(),
            "mark teaching blocks kind = \"instruction\"",
        ));
    }
    for body in bodies::ALL {
        body.check_credit(offering, findings);
    }
    let supported = |body: Body| bodies::of(body).supported_units(course, schedule);
    CourseCredit {
        instructional_minutes: schedule.core_minutes,
        asha_ceus: format_hundredths(supported(Body::Asha)),
        ncbtmb_ce_hours: format_half_hours(supported(Body::Ncbtmb)),
        aota_contact_hours: format_tenths(supported(Body::Aota)),
        iacet_ceus: format_tenths(supported(Body::Iacet)),
    }
}
