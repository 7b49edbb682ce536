//! `ceu hours`: per attendee, attended instructional minutes, outcome with the reason, and
//! credit per body requested and eligible, as a table, CSV or JSON.

use crate::cli::{HoursArgs, HoursFormat};
use crate::exit::Exit;
use crate::input::text::csv_safe;
use crate::roster::Body;
use crate::rules::{AttendeeOutcome, Status};
use std::fmt::Write as _;

pub fn run(args: &HoursArgs) -> anyhow::Result<Exit> {
    let mut offering = crate::offering::load(&args.offering)?;
    let super::Evaluation { report, .. } = super::evaluate(&mut offering, args.as_of.date(), None)?;
    match args.format {
        HoursFormat::Json => {
            let value = serde_json::json!({
                "schema": "ceu-hours/1",
                "offering_id": report.offering_id,
                "instructional_minutes": report.course_credit.instructional_minutes,
                "attendees": report.attendees,
            });
            crate::dataln!("{}", serde_json::to_string_pretty(&value)?);
        }
        HoursFormat::Csv => crate::data!("{}", csv(&report.attendees)?),
        HoursFormat::Table => crate::out!(
            "{}",
            table(
                &report.attendees,
                report.course_credit.instructional_minutes
            )
        ),
    }
    // The process ends here: freeing every attendee's small allocations one by one would take
    // longer than the rest of printing (~5% of a 100,000-attendee run); exiting returns them.
    std::mem::forget((offering, report));
    Ok(Exit::Ok)
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Completed => "completed",
        Status::Partial => "partial",
        Status::NotCompleted => "not completed",
    }
}

/// The credit cell for one body: the amount, "-" (not requested/offered) or "no".
fn credit_cell(attendee: &AttendeeOutcome, body: Body) -> String {
    match attendee.credits.iter().find(|c| c.body == body) {
        Some(award) => match &award.amount {
            Some(amount) => amount.value(),
            None if award.requested => "no".into(),
            None => "-".into(),
        },
        None => "-".into(),
    }
}

fn csv(attendees: &[AttendeeOutcome]) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "attendee_id",
        "name",
        "attended_minutes",
        "instructional_minutes",
        "status",
        "reason",
        "asha_ceus",
        "ncbtmb_ce_hours",
        "aota_contact_hours",
        "iacet_ceus",
        "pt_contact_hours",
        "blocked_by",
    ])?;
    for a in attendees {
        writer.write_record([
            csv_safe(&a.attendee_id),
            csv_safe(&a.name),
            a.attended_minutes.to_string(),
            a.instructional_minutes.to_string(),
            status_word(a.status).to_string(),
            csv_safe(&a.reason),
            credit_cell(a, Body::Asha),
            credit_cell(a, Body::Ncbtmb),
            credit_cell(a, Body::Aota),
            credit_cell(a, Body::Iacet),
            credit_cell(a, Body::Pt),
            a.blocked_by.join(" "),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

fn table(attendees: &[AttendeeOutcome], total: i64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Instructional minutes in the course: {total}");
    let _ = writeln!(
        out,
        "{:<8} {:<28} {:>7} {:<14} {:>6} {:>7} {:>6} {:>6} {:>6}  reason",
        "id", "name", "minutes", "status", "ASHA", "NCBTMB", "AOTA", "IACET", "PT"
    );
    for a in attendees {
        // Escaped, not stripped: the table shows what the roster holds (issue 17, item 6).
        let name: String = crate::output::visible(&a.name).chars().take(28).collect();
        let _ = writeln!(
            out,
            "{:<8} {:<28} {:>7} {:<14} {:>6} {:>7} {:>6} {:>6} {:>6}  {}{}",
            crate::output::visible(&a.attendee_id),
            name,
            a.attended_minutes,
            status_word(a.status),
            credit_cell(a, Body::Asha),
            credit_cell(a, Body::Ncbtmb),
            credit_cell(a, Body::Aota),
            credit_cell(a, Body::Iacet),
            credit_cell(a, Body::Pt),
            if a.status == Status::Completed {
                ""
            } else {
                a.reason.as_str()
            },
            if a.blocked_by.is_empty() {
                String::new()
            } else {
                format!(" [blocked by {}]", a.blocked_by.join(", "))
            },
        );
    }
    let _ = writeln!(
        out,
        "\nCredit columns: amount awarded; \"no\" = requested but not awarded (see `ceu check`); \"-\" = not requested."
    );
    out
}
