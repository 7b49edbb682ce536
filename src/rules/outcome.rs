//! One attendee's outcome: attended minutes from their matched attendance, completion by the
//! provider's policy (ASHA-COMPLETE-2, -3), then one award per body the course offers or the
//! attendee requested (GEN-2, and each body's own rules in `crate::bodies`), then the status.

use crate::bodies::{self, Case, Grant};
use crate::catalogue::AshaRuleSet;
use crate::course::Course;
use crate::hours;
use crate::offering::Offering;
use crate::roster::{Attendee, Body};
use crate::rules::{AttendeeOutcome, Award, Status};
use compact_str::{CompactString, format_compact};

/// Decides one attendee's outcome and credit. `blocked_by` is left empty: the report fills it
/// in from all the findings ([`crate::rules::Report::with_findings`]). `below_maximum` says
/// whether more attended minutes would change the outcome: it is decided again as if the
/// attendee had attended every instructional minute, and compared.
pub(super) fn outcome(
    offering: &Offering,
    attendee: &Attendee,
    rule_set: AshaRuleSet,
) -> AttendeeOutcome {
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

/// The outcome for `attendance` (see [`outcome`]): completion, the awards, the status.
fn decide(
    offering: &Offering,
    attendee: &Attendee,
    rule_set: AshaRuleSet,
    attendance: Attendance,
) -> AttendeeOutcome {
    let course = &offering.record.course;
    let total = offering.schedule.core_minutes;
    let assessment_row = (!attendee.assessment_completed)
        .then(|| offering.assessment.missing_reason(attendee.id()))
        .flatten();
    let assessment_reason = assessment_reason(attendee, assessment_row.as_deref());
    let completion = completion(course, attendee, attendance, total, &assessment_reason);
    let case = Case {
        course,
        attendee,
        rule_set,
        attended: attendance.core,
        attended_iacet: attendance.iacet,
        total,
        attended_enough: completion.attended_enough,
        completed: completion.completed,
        reason: &completion.reason,
        assessment_reason: &assessment_reason,
        assessment_row: assessment_row.as_deref(),
        exception: course
            .exceptions
            .iter()
            .any(|e| e.get_ref().attendee == attendee.id()),
    };
    let credits = awards(&case);
    let status = if completion.completed {
        Status::Completed
    } else if credits.iter().any(|c| c.amount.is_some()) {
        Status::Partial
    } else {
        Status::NotCompleted
    };
    let mut reason = completion.reason;
    if status == Status::Partial {
        reason = format_compact!("{reason}; partial credit awarded");
    }
    AttendeeOutcome {
        attendee_id: attendee.id().into(),
        name: attendee.display_name().into(),
        profession: attendee.profession().into(),
        attended_minutes: attendance.core,
        instructional_minutes: total,
        status,
        reason,
        blocked_by: Vec::new(),
        credits,
        below_maximum: false,
    }
}

/// What the provider's completion policy decides for one attendee.
struct Completion {
    /// Attended at least the required minutes (ASHA-COMPLETE-3).
    attended_enough: bool,
    /// Attended enough and, where required, completed the assessment (ASHA-COMPLETE-2).
    completed: bool,
    /// Why the attendee is or is not a completer.
    reason: CompactString,
}

/// Completion by the policy in `[completion]`: `"minimum"` needs `minimum_percent` of the
/// `total` core minutes (rounded up), otherwise all but `grace_minutes`; an agenda without core
/// minutes completes no one (ASHA-COMPLETE-3). A required assessment must be done
/// (ASHA-COMPLETE-2).
fn completion(
    course: &Course,
    attendee: &Attendee,
    attendance: Attendance,
    total: i64,
    assessment_reason: &CompactString,
) -> Completion {
    let policy = course.completion.get_ref();
    let attended = attendance.core;
    let required = match policy.attendance.as_str() {
        "minimum" => {
            let percent = policy.minimum_percent.unwrap_or(100).clamp(0, 100);
            (total * percent + 99) / 100
        }
        _ => total - policy.grace_minutes.max(0),
    }
    .max(0);
    let attended_enough = attended >= required && total > 0;
    let assessment_missing = policy.assessment_required && !attendee.assessment_completed;
    let completed = attended_enough && !assessment_missing;
    let reason = if completed {
        CompactString::const_new("met the completion policy")
    } else if !attendance.recorded {
        CompactString::const_new("no attendance recorded")
    } else if !attended_enough {
        format_compact!(
            "attended {attended} of {total} instructional minutes; {required} required (ASHA-COMPLETE-3)"
        )
    } else {
        assessment_reason.clone()
    };
    Completion {
        attended_enough,
        completed,
        reason,
    }
}

/// Why `attendee` has not completed the learning assessment (ASHA-COMPLETE-2), naming the
/// deciding row of the LMS export in `assessment/` (`row`) when there is one; empty when they
/// have.
fn assessment_reason(attendee: &Attendee, row: Option<&str>) -> CompactString {
    if attendee.assessment_completed {
        return CompactString::default();
    }
    match row {
        Some(why) => format_compact!("learning assessment not completed: {why} (ASHA-COMPLETE-2)"),
        None => CompactString::const_new("learning assessment not completed (ASHA-COMPLETE-2)"),
    }
}

/// One award per body the course offers or the attendee requested, in [`Body::ALL`] order:
/// credit only when both (GEN-2), then as the body decides.
fn awards(case: &Case) -> Vec<Award> {
    let mut credits = Vec::new();
    for body in bodies::ALL {
        let offered = body.offered(case.course);
        let requested = case.attendee.requested(body.body());
        if !offered && !requested {
            continue;
        }
        let grant = if !requested {
            Grant {
                eligible: true,
                amount: None,
                reason: body.not_requested(),
            }
        } else if !offered {
            Grant {
                eligible: true,
                amount: None,
                reason: format_compact!(
                    "the course is not approved for {} credit (GEN-2)",
                    body.body().name()
                ),
            }
        } else {
            match body.award(case) {
                Some(grant) => grant,
                None => continue,
            }
        };
        credits.push(award(body.body(), requested, offered, grant));
    }
    // A Vec grows to four entries on its first push; at 100,000 attendees the unused
    // capacity alone was about 15 MB.
    credits.shrink_to_fit();
    credits
}

/// The report's award for one body's grant.
fn award(body: Body, requested: bool, offered: bool, grant: Grant) -> Award {
    Award {
        body,
        requested,
        offered,
        eligible: grant.eligible,
        amount: grant.amount,
        reason: grant.reason,
    }
}
