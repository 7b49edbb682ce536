//! The rules: `evaluate` runs every rule family on a loaded offering and decides each
//! attendee's outcome, giving the `check` report.
//!
//! - `catalogue`: every rule id, declared once with severity, scope, source and where it is
//!   checked, and the ASHA rule-set versioning by offering date (GEN-4);
//! - `report`: the report model and its JSON (docs/check-json.md);
//! - one file per rule family: `disclosure`, `course`, `agenda`, `completion`, `reporting`,
//!   `data`, `placeholders`; the bodies' own credit rules are in `crate::bodies`.
//!
//! Offering-scoped errors block issuing for everyone; attendee-scoped errors block only that
//! attendee; not completing is an outcome with a reason, not a finding.

mod agenda;
pub mod catalogue;
mod completion;
mod course;
mod data;
mod disclosure;
mod placeholders;
mod report;
mod reporting;

pub use catalogue::{AshaRuleSet, RULES_VERSION, asha_2025_effective};
pub use report::{
    AttendeeOutcome, Award, CourseCredit, NotAttendeeName, Report, Status, Summary, UnmatchedName,
    rule_counts,
};

use crate::course::Course;
use crate::findings::Finding;
use crate::hours::{self, format_half_hours, format_hundredths, format_tenths};
use crate::offering::Offering;
use crate::roster::{Attendee, Body};
use catalogue::ids::*;
use chrono::NaiveDate;
use compact_str::{CompactString, format_compact};
use serde::Serialize;

/// An amount of credit from one body: the integer count of the body's smallest step
/// (hundredths of an ASHA CEU, half NCBTMB hours, tenths of AOTA/PT contact hours and of IACET
/// CEUs). The printed number and unit follow from the body, so they are computed when asked
/// for rather than stored twice per award (at 100,000 attendees that was ~15 MB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    pub body: Body,
    /// Integer amount in the body's smallest step.
    pub units: i64,
}

impl Amount {
    /// The number as printed, e.g. "2.60".
    pub fn value(&self) -> String {
        match self.body {
            Body::Asha => format_hundredths(self.units),
            Body::Ncbtmb => format_half_hours(self.units),
            Body::Aota | Body::Iacet | Body::Pt => format_tenths(self.units),
        }
    }

    /// The unit as printed, e.g. "ASHA CEUs", "CE hours", "contact hours".
    pub fn unit(&self) -> &'static str {
        match self.body {
            Body::Asha => "ASHA CEUs",
            Body::Ncbtmb => "CE hours",
            Body::Aota | Body::Pt => "contact hours",
            Body::Iacet => "IACET CEUs",
        }
    }
}

/// Serialized as `{"value": "2.60", "unit": "ASHA CEUs", "units": 260}`, as before the
/// printed forms were computed instead of stored.
impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Amount", 3)?;
        out.serialize_field("value", &self.value())?;
        out.serialize_field("unit", self.unit())?;
        out.serialize_field("units", &self.units)?;
        out.end()
    }
}

/// Runs every rule on a loaded offering, as of `as_of` (for deadlines).
pub fn evaluate(offering: &Offering, as_of: NaiveDate) -> Report {
    let record = &offering.record;
    let course = &record.course;
    let end = course.offering.end_date;
    let rule_set = AshaRuleSet::for_end_date(end);
    let mut findings = Vec::new();
    disclosure::check(record, &mut findings);
    course::check(record, &mut findings);
    findings.extend(placeholders::check(record));
    agenda::check(record, &mut findings);
    let course_credit = credit_rules(offering, rule_set, &mut findings);
    completion::check(record, rule_set, &mut findings);
    let asha_report_due = reporting::check(record, rule_set, as_of, &mut findings);
    data::check(offering, &mut findings);

    let attendees = offering
        .roster
        .attendees
        .iter()
        .map(|attendee| outcome(offering, attendee, rule_set))
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

/// Checks declared credit against what the agenda supports; returns the course totals.
fn credit_rules(
    offering: &Offering,
    rule_set: AshaRuleSet,
    findings: &mut Vec<Finding>,
) -> CourseCredit {
    let _ = rule_set;
    let record = &offering.record;
    let course = &record.course;
    let schedule = &offering.schedule;
    let minutes = schedule.core_minutes;
    let asha_computed = hours::asha_ceu_hundredths(minutes);
    let ncbtmb_computed = hours::ncbtmb_ce_half_hours(minutes, schedule.short_break_minutes);
    let aota_computed = hours::aota_contact_tenths(minutes);
    let iacet_computed = hours::iacet_ceu_tenths(schedule.iacet_minutes);

    if minutes == 0 && !course.agenda.is_empty() {
        findings.push(Finding::offering_error(
            ASHA_CEU_1,
            "the agenda has no instruction blocks: breaks, meals, social events and business meetings earn no credit".into(),
            record.file(),
            "mark teaching blocks kind = \"instruction\"",
        ));
    }

    if let Some(asha) = &course.credit.asha {
        let asha_at = record.at(asha);
        let asha = asha.get_ref();
        let declared = &asha.ceus;
        if declared.get_ref().hundredths % 5 != 0 {
            findings.push(Finding::offering_error(
                ASHA_CEU_4,
                format!(
                    "ASHA CEUs `{}` is not a multiple of 0.05",
                    declared.get_ref().text
                ),
                record.at(declared),
                "ASHA awards CEUs in half-hour steps (0.05): round down to the nearest 0.05",
            ));
        }
        if declared.get_ref().hundredths > asha_computed {
            findings.push(Finding::offering_error(
                ASHA_CEU_3,
                format!(
                    "the course claims {} ASHA CEUs but its agenda has {} instructional minutes, which support {}",
                    declared.get_ref().text,
                    minutes,
                    format_hundredths(asha_computed)
                ),
                record.at(declared),
                "lower ceus to what the agenda supports, or correct the agenda",
            ));
        } else if declared.get_ref().hundredths < asha_computed {
            findings.push(Finding::offering_warning(
                ASHA_CEU_3,
                format!(
                    "the course claims {} ASHA CEUs; its agenda would support {}",
                    declared.get_ref().text,
                    format_hundredths(asha_computed)
                ),
                record.at(declared),
                "check the registered amount; attendees are awarded at most the registered CEUs",
            ));
        }
        if let Some(contact) = &asha.contact_hours {
            // CEU = contact hours / 10: hundredths of a CEU equal tenths of a contact hour.
            if contact.get_ref().hundredths != declared.get_ref().hundredths * 10 {
                findings.push(Finding::offering_error(
                    ASHA_CEU_2,
                    format!(
                        "{} contact hours is not {} ASHA CEUs: 1 ASHA CEU = 10 contact hours of 60 minutes",
                        contact.get_ref().text,
                        declared.get_ref().text
                    ),
                    record.at(contact),
                    "make contact_hours ten times ceus (or remove contact_hours)",
                ));
            }
        }
        if asha_computed < course.rules.asha_minimum_ceus.hundredths {
            findings.push(Finding::offering_warning(
                ASHA_CEU_5,
                format!(
                    "the agenda supports {} ASHA CEUs, below the configured minimum of {}",
                    format_hundredths(asha_computed),
                    course.rules.asha_minimum_ceus.text
                ),
                asha_at,
                "ASHA's minimum is UNCONFIRMED; lengthen the course or set [rules] asha_minimum_ceus",
            ));
        }
    }

    if let Some(ncbtmb) = &course.credit.ncbtmb {
        let at = record.at(ncbtmb);
        let ncbtmb = ncbtmb.get_ref();
        match &ncbtmb.approved_hours {
            None => findings.push(Finding::offering_error(
                NCBTMB_CE_3,
                "NCBTMB credit is offered but approved_hours is missing: certificates must carry the hours the course was approved for".into(),
                at.clone(),
                "add approved_hours = \"…\" exactly as on the NCBTMB approval",
            )),
            Some(hours_approved) => {
                let value = hours_approved.get_ref().hundredths;
                if value % 50 != 0 {
                    findings.push(Finding::offering_error(
                        NCBTMB_CE_2,
                        format!("NCBTMB approved hours `{}` are not whole or half hours", hours_approved.get_ref().text),
                        record.at(hours_approved),
                        "NCBTMB awards CE hours in whole or half hours",
                    ));
                }
                if value > ncbtmb_computed * 50 {
                    findings.push(Finding::offering_error(
                        NCBTMB_CE_1,
                        format!(
                            "the course is approved for {} NCBTMB CE hours but its agenda supports {} (50 instruction minutes + a 10-minute break per CE hour; meals excluded)",
                            hours_approved.get_ref().text,
                            format_half_hours(ncbtmb_computed)
                        ),
                        record.at(hours_approved),
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

    if let Some(aota) = &course.credit.aota {
        let at = record.at(aota);
        let aota = aota.get_ref();
        if aota
            .approval_id
            .as_deref()
            .is_none_or(|id| id.trim().is_empty())
        {
            findings.push(Finding::offering_error(
                AOTA_COURSE_1,
                "AOTA credit is offered but the activity has no AOTA approval id".into(),
                at,
                "add approval_id = \"…\" from the AOTA APP approval, or remove [credit.aota]",
            ));
        }
        let approved = aota.contact_hours.get_ref().hundredths;
        if approved > aota_computed * 10 {
            findings.push(Finding::offering_error(
                AOTA_CEU_1,
                format!(
                    "AOTA contact hours {} exceed the {} the agenda supports",
                    aota.contact_hours.get_ref().text,
                    format_tenths(aota_computed)
                ),
                record.at(&aota.contact_hours),
                "correct contact_hours or the agenda",
            ));
        }
    }

    if let Some(iacet) = &course.credit.iacet {
        let iacet = iacet.get_ref();
        let approved = iacet.ceus.get_ref().hundredths;
        if approved % 10 != 0 || approved > iacet_computed * 10 {
            findings.push(Finding::offering_error(
                IACET_CEU_2,
                format!(
                    "IACET CEUs `{}` must be in tenths and at most the {} the agenda supports (nearest 0.1)",
                    iacet.ceus.get_ref().text,
                    format_tenths(iacet_computed)
                ),
                record.at(&iacet.ceus),
                "correct ceus in [credit.iacet]",
            ));
        }
        if schedule.iacet_minutes < 30 {
            findings.push(Finding::offering_error(
                IACET_CEU_2,
                "an IACET learning event must be at least 0.1 CEU (30 minutes)".into(),
                record.at(&iacet.ceus),
                "lengthen the event or do not offer IACET credit",
            ));
        }
    }

    if let Some(pt) = &course.credit.pt {
        let pt = pt.get_ref();
        let supported = hours::pt_contact_tenths(minutes, pt.minutes_per_hour);
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

    CourseCredit {
        instructional_minutes: minutes,
        asha_ceus: format_hundredths(asha_computed),
        ncbtmb_ce_hours: format_half_hours(ncbtmb_computed),
        aota_contact_hours: format_tenths(aota_computed),
        iacet_ceus: format_tenths(iacet_computed),
    }
}

/// Decides one attendee's outcome and credit. `blocked_by` is left empty: the report fills it
/// in from all the findings ([`Report::with_findings`]). `below_maximum` says whether more
/// attended minutes would change the outcome: it is decided again as if the attendee had
/// attended every instructional minute, and compared.
fn outcome(offering: &Offering, attendee: &Attendee, rule_set: AshaRuleSet) -> AttendeeOutcome {
    let schedule = &offering.schedule;
    let presences = offering.matched.by_attendee.get(attendee.id());
    let intervals: Vec<_> = presences
        .map(|p| p.iter().map(|p| (p.start, p.end)).collect())
        .unwrap_or_default();
    let merged = hours::union(intervals);
    let attended = Attendance {
        core: hours::overlap_seconds(&merged, &schedule.core) / 60,
        iacet: hours::overlap_seconds(&merged, &schedule.iacet) / 60,
        recorded: presences.is_some(),
    };
    let mut outcome = decide(offering, attendee, rule_set, attended);
    if attended.core < schedule.core_minutes || attended.iacet < schedule.iacet_minutes {
        let full = Attendance {
            core: schedule.core_minutes,
            iacet: schedule.iacet_minutes,
            recorded: true,
        };
        let best = decide(offering, attendee, rule_set, full);
        outcome.below_maximum = best.status != outcome.status
            || best
                .credits
                .iter()
                .zip(&outcome.credits)
                .any(|(best, now)| best.requested && best.amount != now.amount);
    }
    outcome
}

/// An attendee's attended instructional minutes, as each body counts them.
#[derive(Debug, Clone, Copy)]
struct Attendance {
    /// Minutes within the core instruction (completion, ASHA, NCBTMB, AOTA, PT).
    core: i64,
    /// Minutes within instruction plus assessment (IACET-CEU-1).
    iacet: i64,
    /// Whether any attendance row was matched to the attendee.
    recorded: bool,
}

/// The outcome for `attended` minutes (see [`outcome`]).
fn decide(
    offering: &Offering,
    attendee: &Attendee,
    rule_set: AshaRuleSet,
    attendance: Attendance,
) -> AttendeeOutcome {
    let record = &offering.record;
    let course: &Course = &record.course;
    let schedule = &offering.schedule;
    let completion = course.completion.get_ref();
    let attended = attendance.core;
    let attended_iacet = attendance.iacet;
    let total = schedule.core_minutes;

    let required = match completion.attendance.as_str() {
        "minimum" => {
            let percent = completion.minimum_percent.unwrap_or(100).clamp(0, 100);
            (total * percent + 99) / 100
        }
        _ => total - completion.grace_minutes.max(0),
    }
    .max(0);
    let attended_enough = attended >= required && total > 0;
    let assessment_missing = completion.assessment_required && !attendee.assessment_completed;
    let completed = attended_enough && !assessment_missing;

    let mut reason = if completed {
        CompactString::const_new("met the completion policy")
    } else if !attendance.recorded {
        CompactString::const_new("no attendance recorded")
    } else if !attended_enough {
        format_compact!(
            "attended {attended} of {total} instructional minutes; {required} required (ASHA-COMPLETE-3)"
        )
    } else {
        CompactString::const_new("learning assessment not completed (ASHA-COMPLETE-2)")
    };

    let exception = course
        .exceptions
        .iter()
        .any(|e| e.get_ref().attendee == attendee.id());
    let mut credits = Vec::new();
    for body in Body::ALL {
        let offered = match body {
            Body::Asha => course.credit.asha.is_some(),
            Body::Ncbtmb => course.credit.ncbtmb.is_some(),
            Body::Aota => course.credit.aota.is_some(),
            Body::Iacet => course.credit.iacet.is_some(),
            Body::Pt => course.credit.pt.is_some(),
        };
        let requested = attendee.requested(body);
        if !offered && !requested {
            continue;
        }
        let mut award = Award {
            body,
            requested,
            offered,
            eligible: true,
            amount: None,
            reason: CompactString::default(),
        };
        if !requested {
            award.reason = match body {
                Body::Asha => {
                    CompactString::const_new("did not state intent to earn ASHA CEUs (ASHA-ELIG-1)")
                }
                _ => format_compact!("did not request {} credit", body.name()),
            };
            credits.push(award);
            continue;
        }
        if !offered {
            award.reason = format_compact!(
                "the course is not approved for {} credit (GEN-2)",
                body.name()
            );
            credits.push(award);
            continue;
        }
        match body {
            Body::Asha => {
                let Some(asha) = &course.credit.asha else {
                    continue;
                };
                let asha = asha.get_ref();
                if !attendee.asha_eligibility.is_eligible() {
                    award.eligible = false;
                    award.reason = format_compact!(
                        "profession `{}` is not eligible to earn ASHA CEUs (ASHA-ELIG-2)",
                        attendee.profession()
                    );
                } else if rule_set == AshaRuleSet::Asha2025 && !attendee.assessment_completed {
                    award.reason = CompactString::const_new(
                        "learning assessment not completed (ASHA-COMPLETE-2)",
                    );
                } else if completed {
                    let units = asha.ceus.get_ref().hundredths;
                    award.amount = Some(Amount { body, units });
                    award.reason = CompactString::const_new("completed");
                } else if attended_enough {
                    award.reason = reason.clone();
                } else if asha.partial_credit || exception {
                    let units =
                        hours::asha_ceu_hundredths(attended).min(asha.ceus.get_ref().hundredths);
                    if units > 0 {
                        award.amount = Some(Amount { body, units });
                        award.reason = if asha.partial_credit {
                            format_compact!(
                                "partial credit for {attended} minutes (ASHA-PARTIAL-2)"
                            )
                        } else {
                            format_compact!(
                                "partial credit by documented exception for {attended} minutes (ASHA-PARTIAL-1, ASHA-PARTIAL-2)"
                            )
                        };
                    } else {
                        award.reason = format_compact!(
                            "{attended} minutes is less than half an hour (ASHA-PARTIAL-2)"
                        );
                    }
                } else {
                    award.reason = format_compact!(
                        "partial attendance ({attended} of {total} minutes) and the course is not registered for partial credit (ASHA-PARTIAL-1)"
                    );
                }
            }
            Body::Ncbtmb => {
                let Some(ncbtmb) = &course.credit.ncbtmb else {
                    continue;
                };
                let ncbtmb = ncbtmb.get_ref();
                if attended < total || total == 0 {
                    award.reason = format_compact!(
                        "NCBTMB requires 100% attendance of a live course: attended {attended} of {total} minutes (NCBTMB-COMPLETE-1)"
                    );
                } else if !completed {
                    award.reason = reason.clone();
                } else if ncbtmb.test && !attendee.assessment_completed {
                    award.reason = CompactString::const_new(
                        "the course's test was not passed; NCBTMB credit for a course with a test is a Certificate of Achievement (NCBTMB-COMPLETE-1)",
                    );
                } else if let Some(approved) = &ncbtmb.approved_hours {
                    let units = approved.get_ref().hundredths / 50;
                    award.amount = Some(Amount { body, units });
                    award.reason =
                        CompactString::const_new("completed; the approved hours (NCBTMB-CE-3)");
                } else {
                    award.reason = CompactString::const_new(
                        "the course has no approved NCBTMB hours (NCBTMB-CE-3)",
                    );
                }
            }
            Body::Aota => {
                let Some(aota) = &course.credit.aota else {
                    continue;
                };
                let aota = aota.get_ref();
                if completed {
                    let units = aota.contact_hours.get_ref().hundredths / 10;
                    award.amount = Some(Amount { body, units });
                    award.reason = format_compact!(
                        "completed; {} AOTA CEUs (AOTA-CEU-1)",
                        format_hundredths(units)
                    );
                } else {
                    award.reason = reason.clone();
                }
            }
            Body::Iacet => {
                let Some(iacet) = &course.credit.iacet else {
                    continue;
                };
                if completed {
                    let units = iacet.get_ref().ceus.get_ref().hundredths / 10;
                    award.amount = Some(Amount { body, units });
                    award.reason = format_compact!(
                        "completed ({attended_iacet} minutes incl. assessment; IACET-CEU-2)"
                    );
                } else {
                    award.reason = reason.clone();
                }
            }
            Body::Pt => {
                let Some(pt) = &course.credit.pt else {
                    continue;
                };
                if completed {
                    let units = pt.get_ref().contact_hours.get_ref().hundredths / 10;
                    award.amount = Some(Amount { body, units });
                    award.reason = CompactString::const_new("completed");
                } else {
                    award.reason = reason.clone();
                }
            }
        }
        credits.push(award);
    }

    // A Vec grows to four entries on its first push; at 100,000 attendees the unused
    // capacity alone was about 15 MB.
    credits.shrink_to_fit();
    let status = if completed {
        Status::Completed
    } else if credits.iter().any(|c| c.amount.is_some()) {
        Status::Partial
    } else {
        Status::NotCompleted
    };
    if status == Status::Partial {
        reason = format_compact!("{reason}; partial credit awarded");
    }

    AttendeeOutcome {
        attendee_id: attendee.id().into(),
        name: attendee.display_name().into(),
        profession: attendee.profession().into(),
        attended_minutes: attended,
        instructional_minutes: total,
        status,
        reason,
        blocked_by: Vec::new(),
        credits,
        below_maximum: false,
    }
}
