//! `ceu check`: load an offering, run the rule catalogue, print every finding and each
//! attendee's outcome. Exit 0 with no error findings, 1 with any, 2 when the input is unusable.

use crate::cli::{CheckArgs, ReportFormat};
use crate::exit::Exit;
use crate::findings::{Finding, Scope, Severity};
use crate::rules::{self, Report, Status};
use std::fmt::Write as _;

pub fn run(args: &CheckArgs) -> anyhow::Result<Exit> {
    let offering = crate::offering::load(&args.offering)?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let report = rules::evaluate(&offering, as_of);
    let renderer = crate::render::Renderer::new(crate::render::DEFAULT_TEMPLATE.to_string(), None)?;
    let mut glyphs = crate::issue::glyph_findings(&offering, &report, &renderer);
    glyphs.extend(crate::page::findings(&offering, &report, &renderer));
    let report = report.with_findings(glyphs);
    match args.format {
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        ReportFormat::Human => print!("{}", human(&report)),
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

/// One finding as the human report prints it (also used by `issue`).
pub fn format_finding(out: &mut String, finding: &Finding) {
    let severity = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let scope = match (finding.scope, &finding.attendee) {
        (Scope::Offering, _) => "offering".to_string(),
        (Scope::Attendee, Some(id)) => format!("attendee {id}"),
        (Scope::Attendee, None) => "attendance row".to_string(),
    };
    let _ = write!(out, "{severity}[{}] ({scope})", finding.rule);
    if let Some(location) = &finding.location {
        let _ = write!(out, " {location}");
    }
    let _ = writeln!(out, "\n    {}", finding.message);
    if !finding.fix.is_empty() {
        let _ = writeln!(out, "    fix: {}", finding.fix);
    }
}

/// The human-readable report.
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", report.offering_id, report.title);
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
    if report.findings.is_empty() {
        let _ = writeln!(out, "No findings.");
    } else {
        let _ = writeln!(
            out,
            "Findings: {} errors ({} block the whole offering), {} warnings",
            report.summary.errors, report.summary.offering_errors, report.summary.warnings
        );
        for finding in &report.findings {
            format_finding(&mut out, finding);
        }
    }
    if !report.unmatched.is_empty() {
        let _ = writeln!(
            out,
            "\nAttendance that matches nobody on the roster (add them to aliases.csv):"
        );
        for unmatched in &report.unmatched {
            let who = unmatched
                .name
                .clone()
                .or_else(|| unmatched.email.clone())
                .or_else(|| unmatched.phone.clone())
                .or_else(|| unmatched.attendee_id.clone())
                .unwrap_or_else(|| "(no name)".into());
            let _ = writeln!(
                out,
                "  {who}: {} minutes, {}",
                unmatched.minutes,
                unmatched.locations.join(", ")
            );
        }
    }
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
            attendee.attendee_id,
            attendee.name,
            attendee.attended_minutes,
            attendee.instructional_minutes
        );
        if !credits.is_empty() {
            let _ = write!(out, "  [{}]", credits.join("; "));
        }
        if attendee.status != Status::Completed {
            let _ = write!(out, "  — {}", attendee.reason);
        }
        if !attendee.blocked_by.is_empty() {
            let _ = write!(out, "  BLOCKED by {}", attendee.blocked_by.join(", "));
        }
        let _ = writeln!(out);
    }
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
