//! `ceu check`: load an offering, run the rule catalogue, print every finding and each
//! attendee's outcome. Exit 0 with no error findings, 1 with any, 2 when the input is unusable.

use crate::cli::{CheckArgs, ReportFormat};
use crate::course::CourseRecord;
use crate::exit::Exit;
use crate::findings::{Finding, Scope, Severity};
use crate::output::visible;
use crate::rules::{self, Report, Status};
use std::fmt::Write as _;

pub fn run(args: &CheckArgs) -> anyhow::Result<Exit> {
    let mut offering = crate::offering::load(&args.offering)?;
    let super::Evaluation { report, .. } =
        super::evaluate(&mut offering, args.as_of.date(), args.key.as_deref())?;
    match args.format.format {
        ReportFormat::Json => crate::dataln!("{}", serde_json::to_string_pretty(&report)?),
        ReportFormat::Human => crate::out!("{}", human(&report, &offering.record)),
    }
    let exit = if report.has_errors() {
        Exit::Findings
    } else {
        Exit::Ok
    };
    // As in `hours`: the process ends here, and exiting frees faster than dropping.
    std::mem::forget((offering, report));
    Ok(exit)
}

/// One finding as the human report prints it (also used by `issue`). A finding located on a
/// line of the course record shows that line with a caret ([`crate::excerpt`]).
pub fn format_finding(out: &mut String, finding: &Finding, course: &CourseRecord) {
    let severity = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let scope = match (finding.scope, &finding.attendee) {
        (Scope::Offering, _) => "offering".to_string(),
        (Scope::Attendee, Some(id)) => format!("attendee {}", visible(id)),
        // A row of an LMS export in assessment/ that matches nobody.
        (Scope::Attendee, None)
            if finding.location.as_ref().is_some_and(|l| {
                l.file.parent().and_then(|p| p.file_name())
                    == Some(crate::assessment::FOLDER.as_ref())
            }) =>
        {
            "assessment row".to_string()
        }
        (Scope::Attendee, None) => "attendance row".to_string(),
    };
    let _ = write!(out, "{severity}[{}] ({scope})", finding.rule);
    if let Some(location) = &finding.location {
        let _ = write!(out, " {}", visible(&location.to_string()));
        if let Some(line) = location.line
            && location.file == course.display_path
        {
            let excerpt = crate::excerpt::excerpt_line(&course.source, line, location.column);
            out.push_str(&excerpt.replace('\n', "\n  "));
        }
    }
    let _ = writeln!(out, "\n    {}", visible(&finding.message));
    if !finding.fix.is_empty() {
        let _ = writeln!(out, "    fix: {}", visible(&finding.fix));
    }
}

/// Every finding, errors and warnings, offering-level first (also printed by `issue` before
/// it issues anything).
pub fn findings_list(out: &mut String, report: &Report, course: &CourseRecord) {
    if report.findings.is_empty() {
        let _ = writeln!(out, "No findings.");
    } else {
        let _ = writeln!(
            out,
            "Findings: {} errors ({} block the whole offering), {} warnings",
            report.summary.errors, report.summary.offering_errors, report.summary.warnings
        );
        for finding in &report.findings {
            format_finding(out, finding, course);
        }
    }
}

/// The first of name, email, phone and attendee id that a row gave.
fn shown_who(fields: [&Option<String>; 4]) -> &str {
    fields
        .into_iter()
        .find_map(Option::as_deref)
        .unwrap_or("(no name)")
}

/// The human-readable report.
pub fn human(report: &Report, course: &CourseRecord) -> String {
    let mut out = String::new();
    header(&mut out, report);
    findings_list(&mut out, report, course);
    unmatched_list(&mut out, report);
    not_attendees_list(&mut out, report);
    attendees_list(&mut out, report);
    let _ = writeln!(
        out,
        "\n{}",
        if report.offering_blocked() {
            "Result: offering-level errors — nothing can be issued until they are fixed."
        } else if report.has_errors() {
            "Result: attendee-level errors — those attendees are held back; the rest can be issued."
        } else {
            "Result: compliant — ready to issue."
        }
    );
    out
}

/// The offering, its dates, rule set and credit, and the ASHA report deadline.
fn header(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "{} — {}",
        visible(&report.offering_id),
        visible(&report.title)
    );
    let _ = writeln!(
        out,
        "{} to {}; ASHA rule set {}; {} instructional minutes (supports {} ASHA CEUs, {} NCBTMB CE hours, {} AOTA contact hours, {} IACET CEUs)",
        report.start_date,
        report.end_date,
        match report.asha_rule_set {
            rules::AshaRuleSet::Asha2018 => "2018 requirements (ends before 2025-07-01)",
            rules::AshaRuleSet::Asha2025 => "2025 standards (ends on or after 2025-07-01)",
        },
        report.course_credit.instructional_minutes,
        report.course_credit.asha_ceus,
        report.course_credit.ncbtmb_ce_hours,
        report.course_credit.aota_contact_hours,
        report.course_credit.iacet_ceus,
    );
    if let Some(due) = report.asha_report_due {
        let days = (due - report.as_of).num_days();
        let when = if days >= 0 {
            format!("{days} days left")
        } else {
            format!("passed {} days ago", -days)
        };
        let _ = writeln!(
            out,
            "ASHA participant report due {due} (as of {}: {when})",
            report.as_of
        );
    }
    let _ = writeln!(out);
}

/// Attendance rows that match nobody on the roster.
fn unmatched_list(out: &mut String, report: &Report) {
    if !report.unmatched.is_empty() {
        let _ = writeln!(
            out,
            "\nAttendance that matches nobody on the roster (add them to aliases.csv, or to not-attendees.csv if they are not attendees):"
        );
        for unmatched in &report.unmatched {
            let who = shown_who([
                &unmatched.name,
                &unmatched.email,
                &unmatched.phone,
                &unmatched.attendee_id,
            ]);
            let _ = writeln!(
                out,
                "  {}: {} minutes, {}",
                visible(who),
                unmatched.minutes,
                visible(&unmatched.locations.join(", "))
            );
        }
    }
}

/// Hosts, organizers, speakers and not-attendees.csv rows.
fn not_attendees_list(out: &mut String, report: &Report) {
    if !report.not_attendees.is_empty() {
        let _ = writeln!(
            out,
            "\nNot attendees (hosts, organizers, speakers, not-attendees.csv; they block nothing):"
        );
        for other in &report.not_attendees {
            let rows = &other.rows;
            let who = shown_who([&rows.name, &rows.email, &rows.phone, &rows.attendee_id]);
            let _ = writeln!(
                out,
                "  {}: {}; {} minutes, {}",
                visible(who),
                visible(&other.reason),
                rows.minutes,
                visible(&rows.locations.join(", "))
            );
        }
    }
}

/// One line per attendee: minutes, outcome, credit, reason, what blocks them.
fn attendees_list(out: &mut String, report: &Report) {
    let summary = &report.summary;
    let _ = writeln!(
        out,
        "\nAttendees: {} — {} completed, {} partial credit, {} not completed, {} blocked by a finding",
        summary.attendees,
        summary.completed,
        summary.partial,
        summary.not_completed,
        summary.blocked
    );
    for attendee in &report.attendees {
        let status = match attendee.status {
            Status::Completed => "completed",
            Status::Partial => "partial",
            Status::NotCompleted => "not completed",
        };
        let credits: Vec<String> = attendee
            .credits
            .iter()
            .filter_map(|c| {
                c.amount
                    .as_ref()
                    .map(|a| format!("{} {} {}", c.body.name(), a.value(), a.unit()))
            })
            .collect();
        let _ = write!(
            out,
            "  {:<8} {:<28} {:>5}/{} min  {status}",
            visible(&attendee.attendee_id),
            visible(&attendee.name),
            attendee.attended_minutes,
            attendee.instructional_minutes
        );
        if !credits.is_empty() {
            let _ = write!(out, "  [{}]", credits.join("; "));
        }
        if attendee.status != Status::Completed {
            let _ = write!(out, "  — {}", visible(&attendee.reason));
        }
        if !attendee.blocked_by.is_empty() {
            let _ = write!(out, "  BLOCKED by {}", attendee.blocked_by.join(", "));
        }
        let _ = writeln!(out);
    }
}
